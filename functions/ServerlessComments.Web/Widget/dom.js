// Shared by the widget and the owner's console (both bundles import it): building elements
// safely, and telling a web address from anything else.

// h("a", { href, onclick: fn }, ["text", child]): an element; strings become text nodes (never
// parsed as HTML), functions become event listeners (never attributes), null and false are skipped.
export function h(tag, attrs, children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (v != null && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const child of [].concat(children ?? [])) if (child != null && child !== false) el.append(child);
  return el;
}

// An http(s) address as the browser parses it, else null: only those become links.
export function webLink(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}
