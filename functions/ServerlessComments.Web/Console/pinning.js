// Pinning: the owner puts a published top-level comment at the top of its thread (one per thread),
// or takes it down. The button says what it will do and, pressed, that the comment is pinned.
import { h } from "../Widget/dom.js";
import { t } from "./i18n.js";
import { call, failureText } from "./server.js";
import { say } from "./frame.js";

// Which comment each thread has pinned, asked once a thread (what readers are answered too), so
// that a button shows the pin after a reload; null when none, or when it cannot be known.
const pinnedIn = new Map();
function pinnedOf(thread) {
  if (!pinnedIn.has(thread))
    pinnedIn.set(thread, call("GET", "reactions?thread=" + encodeURIComponent(thread)).then((r) => (r && r.pinned) || null, () => null));
  return pinnedIn.get(thread);
}

// Every pin button of a thread shows the thread's pin: one per thread.
function show(thread, id) {
  for (const button of document.querySelectorAll("button[data-action=pin]"))
    if (button.dataset.thread === thread) button.setAttribute("aria-pressed", button.dataset.id === id);
}

export function pinButton(entry) {
  const { id, thread } = entry.comment;
  const button = h("button", { type: "button", "data-action": "pin", "data-thread": thread, "data-id": id, "aria-pressed": "false", onclick: async () => {
    const pinned = button.getAttribute("aria-pressed") === "true";
    try {
      await call(pinned ? "DELETE" : "POST", "admin/comments/" + encodeURIComponent(id) + "/pin");
      pinnedIn.set(thread, Promise.resolve(pinned ? null : id));
      show(thread, pinned ? null : id);
      say(pinned ? t.unpinned : t.pinnedTop);
    } catch (failure) {
      say(failureText(failure));
    }
  } }, t.pin);
  pinnedOf(thread).then((pinned) => button.setAttribute("aria-pressed", pinned === id));
  return button;
}
