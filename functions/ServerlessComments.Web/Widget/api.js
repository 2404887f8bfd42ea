// The API root (…/api/) from this script's own address: the widget and the API share an origin.
// Read while the bundle first runs, the only time document.currentScript is this script.
export const api = new URL("../", document.currentScript.src);
