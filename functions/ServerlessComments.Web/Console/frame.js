// The page's frame and small pieces every view uses: the aria-live region everything is
// announced in, the undo toasts' list, the confirmation asked before what cannot be undone, a
// labelled form field, a link that is only ever http(s).
import { h, webLink } from "../Widget/dom.js";
import { t } from "./i18n.js";
import { ui } from "./state.js";

export const root = document.getElementById("console");
export const live = h("p", { class: "live", role: "status", "aria-live": "polite", "aria-atomic": "true" });
export const toasts = h("ul", { class: "toasts", "aria-label": t.undo });

export function say(text) {
  // Emptied first, so the same sentence twice is announced twice.
  live.textContent = "";
  setTimeout(() => { live.textContent = text; }, 30);
}

// Asks before something that cannot be undone: Cancel has the focus, so Enter by habit does nothing.
export function ask(title, question, yesLabel, onYes) {
  const yes = h("button", { type: "button", class: "danger" }, yesLabel);
  const no = h("button", { type: "button", class: "quiet", onclick: () => ui.confirm.close() }, t.cancel);
  yes.addEventListener("click", () => {
    ui.confirm.close();
    onYes();
  });
  ui.confirm.replaceChildren(h("h2", { id: "confirm-h" }, title), h("p", {}, question), h("p", { class: "buttons" }, [no, yes]));
  ui.confirm.showModal();
  no.focus();
}

let uid = 0;
export const nextId = (prefix) => prefix + "-" + ++uid;

// A labelled control with its error beside it; error(text) shows it (and ties it to the control), error("") clears it.
export function field(label, control, hint) {
  control.id = control.id || nextId("f");
  const error = h("span", { class: "error", id: control.id + "-e" });
  return {
    row: h("p", { class: "field" }, [h("label", { for: control.id }, label), control, hint || null, error]),
    error: (text) => {
      error.textContent = text || "";
      if (text) {
        control.setAttribute("aria-invalid", "true");
        control.setAttribute("aria-describedby", error.id);
      } else {
        control.removeAttribute("aria-invalid");
        control.removeAttribute("aria-describedby");
      }
    },
  };
}

export const outLink = (url, text) => {
  const href = url && webLink(url);
  return href ? h("a", { href, rel: "noopener noreferrer nofollow", target: "_blank" }, text || url) : h("span", {}, text || url || "");
};
