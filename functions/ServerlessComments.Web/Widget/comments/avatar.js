// A comment's face: the image the API serves for the opaque avatar id in the view (a keyed hash,
// never the address), from the API's own origin, so no third party sees the reader. Decorative
// (alt=""): the name beside it says who wrote the comment.
import { h } from "../dom.js";
import { api } from "../api.js";

export const avatar = (comment) =>
  /^([0-9a-f]{16}|owner)$/.test(comment.avatar || "")
    ? h("img", { class: "sc-av", src: new URL("avatars/" + comment.avatar + ".svg", api).href, alt: "", width: 32, height: 32, loading: "lazy" })
    : null;
