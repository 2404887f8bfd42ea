// The form's Preview toggle: the text as the thread will show it, formatted by the API by the
// same rules as a stored comment (a Markdown renderer here would not fit the widget's budget, and
// two renderers would disagree). Typing again hides it: a preview never shows stale text.
import { api } from "../api.js";
import { h } from "../dom.js";
import { formatted } from "./markdown.js";

export function preview(w, textarea) {
  const { id, t } = w;
  const region = h("div", { id: id + "-pv", class: "sc-pv", hidden: true, "aria-live": "polite" });
  const button = h("button", { type: "button", class: "sc-r", "aria-pressed": "false", "aria-controls": region.id }, t.preview);
  const hide = () => {
    button.setAttribute("aria-pressed", "false");
    region.hidden = true;
  };
  textarea.addEventListener("input", hide);
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-pressed") == "true") return hide();
    button.setAttribute("aria-pressed", "true");
    textarea.form.addEventListener("submit", hide, { once: true });
    const text = textarea.value;
    let shown = t.previewEmpty;
    if (text.trim()) {
      try {
        const answer = await fetch(new URL("preview", api), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ body: text }) });
        shown = answer.ok ? formatted(await answer.json()) || text : t.previewFailed;
      } catch {
        shown = t.previewFailed;
      }
    }
    region.replaceChildren(...[].concat(shown));
    region.hidden = false;
  });
  return h("div", { class: "sc-pvw" }, [button, region]);
}
