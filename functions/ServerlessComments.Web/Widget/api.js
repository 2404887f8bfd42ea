// Where the widget's requests go. Read while the bundle first runs, the only time
// document.currentScript is this script.
const self = document.currentScript.src;
// The API root (…/api/): the copy the API serves finds it from its own address; the copy kept in
// the public views container (Widget:StaticBase) carries it in SETTINGS.
export const api = new URL(SETTINGS.api || "../", self);
// The script's own folder, where its style sheet is too, whichever copy this is.
export const here = new URL("./", self);
// The public views (first pages, counts.json) when the deployment serves them from storage:
// reading them runs no function. Absent: everything comes from the API.
export const views = SETTINGS.staticBase ? new URL(SETTINGS.staticBase.replace(/\/?$/, "/")) : null;

// A public view, or a rejection (404, network, CORS, no crypto.subtle) so the caller asks the API.
export const readView = (name) =>
  fetch(new URL(name, views)).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
