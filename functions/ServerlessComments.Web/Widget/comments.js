// The comment widget: <div data-comments data-thread="/my-post/"></div> plus this script.
// Safe by construction: every reader-supplied text enters the page as a text node (append with
// a string, textContent), attributes are set one by one, and a website becomes a link only
// when it is http or https. No string is ever parsed as HTML.
import { here } from "./api.js";
import { h } from "./dom.js";
import { mount } from "./comments/widget.js";

// The style sheet comes from the same place as the script; a page may override any rule.
if (!document.querySelector("link[data-comments-css]"))
  document.head.append(h("link", { rel: "stylesheet", href: new URL("comments.css", here).href, "data-comments-css": true }));

for (const root of document.querySelectorAll("[data-comments]")) {
  if (root.dataset.commentsReady) continue;
  root.dataset.commentsReady = "true";
  mount(root);
}
