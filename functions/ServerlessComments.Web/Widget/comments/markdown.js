// A comment's formatted text: the API's "formatted" nodes (a text is a string, an element is
// ["tag", {attributes}?, ...children]) built with createElement and text nodes, each element and
// attribute checked against the same allow-list as the server's (CommentMarkdown.AllowedTags),
// and each link's address checked again here, so that no bug upstream can become script.
import { h } from "../dom.js";

const ALLOWED = { p: [], br: [], em: [], strong: [], code: [], pre: [], blockquote: [], ul: [], ol: ["start"], li: [], a: ["href", "title"], hr: [] };

// An absolute http(s) or mailto address as the browser parses it, else null.
function safeLink(href) {
  try {
    const u = new URL(href);
    return ["http:", "https:", "mailto:"].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

// Nodes for one formatted node; throws on anything unexpected (the caller falls back to text).
function build(node, depth) {
  if (typeof node == "string") return [node];
  const [tag, ...rest] = node;
  if (depth > 12 || !Object.hasOwn(ALLOWED, tag)) throw 0;
  const given = rest[0] && rest[0].constructor == Object ? rest.shift() : {};
  const attrs = {};
  for (const name of ALLOWED[tag]) if (typeof given[name] == "string") attrs[name] = given[name];
  const children = rest.flatMap((child) => build(child, depth + 1));
  if (tag == "a") {
    // Not a web or mail address: its text stays, the link goes.
    if (!(attrs.href = safeLink(attrs.href))) return children;
    attrs.rel = "nofollow ugc noopener";
  }
  return [h(tag, attrs, children)];
}

// The comment's formatted text as nodes, or null: then its plain text is shown, as always.
export function formatted(comment) {
  try {
    return comment.formatted ? comment.formatted.flatMap((node) => build(node, 0)) : null;
  } catch {
    return null;
  }
}
