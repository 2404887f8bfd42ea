// The widget's words. STRINGS is not declared in any module: the server (WidgetAssets) wraps the
// bundle as (() => { "use strict"; const STRINGS = {en, and the language asked for}; const SETTINGS = {…}; bundle })();
// (comments.js?lang=de carries en + de only; without ?lang, en + fr), so a language is one JSON file
// to add, a page downloads only its own words, and nothing leaks into the page's globals.
/* global STRINGS */

// The page's language for an element: the nearest lang attribute, else English.
export function languageOf(el) {
  const wanted = (el.closest("[lang]") || document.documentElement).lang || "en";
  let locale = "en";
  try { locale = Intl.getCanonicalLocales(wanted)[0] || "en"; } catch { /* not a language tag */ }
  const l = locale.toLowerCase();
  const t = STRINGS[l] || STRINGS[l.split("-")[0]];
  // Words and numbers, plurals and dates in one language: English throughout when the page's isn't bundled.
  return t ? { locale, t } : { locale: "en", t: STRINGS.en };
}

// "{n} comments" with n filled in; an unknown {name} stays as written.
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));

// "8 Commentaires", "1 Commentaire", "Aucun commentaire": zero has its own words, then the
// language's plural rules pick the form (French says "1" and "0" alike, so zero comes first).
export function countText(lang, n) {
  const forms = lang.t.count;
  const form = n === 0 ? forms.none : forms[new Intl.PluralRules(lang.locale).select(n)] || forms.other;
  return fill(form, { n: n.toLocaleString(lang.locale) });
}
