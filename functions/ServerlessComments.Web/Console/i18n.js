// The console's words and formats, in the page's language (the <html lang> the server wrote).
// STRINGS is declared by the server's wrapper (ConsoleAssets):
// (() => { "use strict"; const STRINGS = {…the console section of every strings/*.json…}; bundle })();
/* global STRINGS */
import { fill } from "../Widget/language.js";

export { fill };

export const locale = (() => {
  try { return Intl.getCanonicalLocales(document.documentElement.lang || "en")[0] || "en"; } catch { return "en"; }
})();
export const t = STRINGS[locale.toLowerCase()] || STRINGS[locale.toLowerCase().split("-")[0]] || STRINGS.en;
export const baseTitle = document.title || t.title;

const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
const plurals = new Intl.PluralRules(locale);

// "3 comments", "no comments": the language's plural form, zero's own words if it has them.
export function plural(forms, n) {
  const form = n === 0 && forms.none ? forms.none : forms[plurals.select(n)] || forms.other;
  return fill(form, { n: n.toLocaleString(locale) });
}
export const when = (iso) => (iso ? dates.format(new Date(iso)) : "");

// "5 minutes ago", "yesterday": how long ago a moment was, in the page's language.
const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
const UNITS = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
export function ago(iso) {
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const [unit, size] = UNITS.find(([, s]) => Math.abs(seconds) >= s) || UNITS[UNITS.length - 1];
  return relative.format(Math.round(seconds / size), unit);
}
