// Pinning: the owner puts a published top-level comment at the top of its thread (one per thread),
// or takes it down. The button says what it will do and, pressed, that the comment is pinned.
import { h } from "../Widget/dom.js";
import { t } from "./i18n.js";
import { call, failureText } from "./server.js";
import { say } from "./frame.js";

export function pinButton(entry) {
  const pinned = !!entry.pinned;
  return h("button", { type: "button", "data-action": "pin", "aria-pressed": pinned, onclick: async (e) => {
    try {
      await call(pinned ? "DELETE" : "POST", "admin/comments/" + encodeURIComponent(entry.comment.id) + "/pin");
      entry.pinned = !pinned;
      e.target.setAttribute("aria-pressed", !pinned);
      say(pinned ? t.unpinned : t.pinnedTop);
    } catch (failure) {
      say(failureText(failure));
    }
  } }, t.pin);
}
