// Shared by comments.js and count.js. The server wraps each script as
// (() => { "use strict"; const STRINGS = {…every strings/*.json…}; const SETTINGS = {…}; dom.js; common.js; script })();
// so nothing leaks into the page's globals, a language is one JSON file to add, and what the
// widget tells readers (how long their IP address is kept) follows the backend's settings.

// The API root (…/api/) from this script's own address: the widget and the API share an origin.
const api = new URL("../", document.currentScript.src);

// The page's language for an element: the nearest lang attribute, else English.
function languageOf(el) {
  const wanted = (el.closest("[lang]") || document.documentElement).lang || "en";
  let locale = "en";
  try { locale = Intl.getCanonicalLocales(wanted)[0] || "en"; } catch { /* not a language tag */ }
  const l = locale.toLowerCase();
  return { locale, t: STRINGS[l] || STRINGS[l.split("-")[0]] || STRINGS.en };
}

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));

// "8 Commentaires", "1 Commentaire", "Aucun commentaire": zero has its own words, then the
// language's plural rules pick the form (French says "1" and "0" alike, so zero comes first).
function countText(lang, n) {
  const forms = lang.t.count;
  const form = n === 0 ? forms.none : forms[new Intl.PluralRules(lang.locale).select(n)] || forms.other;
  return fill(form, { n: n.toLocaleString(lang.locale) });
}
