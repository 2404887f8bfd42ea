// "My comments and my data": a disclosure under the form whose one field asks the API to email
// the reader a link to their own data. The answer is the same whatever the address, so the
// widget says the same thing whatever it was; text nodes only, like the rest.
import { api } from "../api.js";
import { h } from "../dom.js";

export function createMyData(w) {
  const t = w.t;
  const input = h("input", { id: w.id + "-md", type: "email", name: "email", required: true, maxlength: "254", autocomplete: "email" });
  const said = h("p", { role: "status", "aria-live": "polite" });
  const send = h("button", { type: "submit" }, t.myDataSend);
  const form = h("form", {
    onsubmit: async (event) => {
      event.preventDefault();
      if (send.disabled) return;
      send.disabled = true;
      try {
        const answer = await fetch(new URL("your-data/link", api), {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ email: input.value, lang: w.lang.locale }),
        });
        said.textContent = answer.status === 202 ? t.myDataSent : answer.status === 429 ? t.myDataWait : t.myDataFailed;
      } catch {
        said.textContent = t.myDataFailed;
      } finally {
        send.disabled = false;
      }
    },
  }, [h("label", { for: w.id + "-md" }, t.myDataLabel), input, send, said]);
  return h("details", { class: "sc-md" }, [h("summary", null, t.myDataSummary), form]);
}
