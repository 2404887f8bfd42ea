// The keyboard: j and k move through the list, a s d r o act on the current comment, x selects
// it, u undoes the last decision, / searches, ? lists the shortcuts. Never while typing.
import { h } from "../Widget/dom.js";
import { t } from "./i18n.js";
import { auth } from "./server.js";
import { say, toasts } from "./frame.js";
import { state, ui } from "./state.js";
import { current, moveTo, selectionChanged, showList } from "./list.js";
import { toggleContext } from "./card.js";
import { openReply } from "./editing.js";
import { act } from "./decisions.js";

const KEYS = [["j", t.keyNext], ["k", t.keyPrevious], ["a", t.keyApprove], ["s", t.keySpam], ["d", t.keyDelete], ["r", t.keyReply],
  ["x", t.keySelect], ["o", t.keyContext], ["u", t.keyUndo], ["/", t.keySearch], ["?", t.keyHelp]];

export function shortcutsDialog() {
  return h("dialog", { class: "dialog", "aria-labelledby": "keys-h" }, [
    h("h2", { id: "keys-h" }, t.shortcuts),
    h("dl", { class: "keys" }, KEYS.map(([key, label]) => [h("dt", {}, h("kbd", {}, key)), h("dd", {}, label)]).flat()),
    h("form", { method: "dialog" }, h("button", { type: "submit" }, t.close)),
  ]);
}

export function listenToKeys() {
  document.addEventListener("keydown", (event) => {
    if (!auth.signedIn || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, dialog, [contenteditable]")) return;
    if (target.tagName === "BUTTON" && (event.key === "Enter" || event.key === " ")) return;
    const inList = state.view !== "lists" && state.view !== "data";
    const entry = inList ? current() : null;
    const run = {
      j: () => inList && moveTo(state.cursor + 1),
      k: () => inList && moveTo(state.cursor < 0 ? 0 : state.cursor - 1),
      a: () => entry && act([entry], "approve"),
      s: () => entry && act([entry], "spam"),
      d: () => entry && act([entry], "delete"),
      r: () => entry && openReply(entry),
      o: () => entry && toggleContext(entry),
      x: () => {
        if (!entry || state.view === "one") return;
        entry.check.checked = !entry.check.checked;
        selectionChanged();
        say(ui.selectedCount.textContent);
      },
      u: () => {
        const items = [...toasts.children];
        if (items.length) items[items.length - 1].querySelector("button").click();
      },
      "/": () => {
        if (!inList) showList("pending");
        ui.q.focus();
        ui.q.select();
      },
      "?": () => ui.shortcuts.showModal(),
    }[event.key];
    if (!run) return;
    event.preventDefault();
    run();
  });
}
