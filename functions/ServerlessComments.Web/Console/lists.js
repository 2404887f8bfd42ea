// The defences' lists: words, emails, domains and IP addresses to block or hold, and how long
// spam is kept. One form; the server names the list an entry is wrong in, said beside it.
import { h } from "../Widget/dom.js";
import { ago, fill, locale, t } from "./i18n.js";
import { call, failureText } from "./server.js";
import { ask, field, say } from "./frame.js";
import { ui } from "./state.js";
import { showView } from "./layout.js";

const LISTS = ["blockWords", "holdWords", "blockEmails", "holdEmails", "blockDomains", "holdDomains", "blockIps", "holdIps"];

export async function showLists() {
  showView("lists", "lists");
  ui.listsView.replaceChildren(h("h2", { id: "lists-h", tabindex: "-1" }, t.listsHeading), h("p", {}, t.loading));
  let lists;
  try {
    lists = await call("GET", "admin/lists");
  } catch (e) {
    ui.listsView.lastChild.textContent = failureText(e);
    return;
  }
  const areas = {};
  const fields = {};
  const rows = LISTS.map((name) => {
    areas[name] = h("textarea", { name, id: "list-" + name, rows: 4, spellcheck: "false" });
    areas[name].value = (lists[name] || []).join("\n");
    fields[name] = field(t[name], areas[name]);
    return fields[name].row;
  });
  const days = h("input", { type: "number", name: "spamRetentionDays", id: "list-days", min: 0, step: 1, inputmode: "numeric" });
  days.value = String(lists.spamRetentionDays || 0);
  fields.spamRetentionDays = field(t.spamRetentionDays, days);
  const answer = h("p", { class: "answer", role: "status" });
  const save = h("button", { type: "submit", class: "primary" }, t.saveLists);
  const form = h("form", { class: "lists", novalidate: true, "aria-labelledby": "lists-h" }, [
    h("p", {}, t.listsIntro),
    h("div", { class: "grid" }, rows),
    fields.spamRetentionDays.row,
    h("p", {}, save), answer,
  ]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    for (const name of LISTS) body[name] = [...new Set(areas[name].value.split("\n").map((line) => line.trim()).filter(Boolean))];
    body.spamRetentionDays = parseInt(days.value, 10) || 0;
    save.disabled = true;
    answer.textContent = "";
    for (const f of Object.values(fields)) f.error("");
    try {
      const saved = await call("PUT", "admin/lists", body);
      for (const name of LISTS) areas[name].value = (saved[name] || []).join("\n");
      days.value = String(saved.spamRetentionDays || 0);
      answer.textContent = t.listsSaved;
      say(t.listsSaved);
    } catch (e) {
      // The server names the list that is wrong (an entry that is not an address…): said beside it.
      const named = Object.entries((e.problem && e.problem.errors) || {}).filter(([name]) => fields[name]);
      for (const [name, messages] of named) fields[name].error([].concat(messages).join(" "));
      answer.textContent = named.length ? named.map(([name, messages]) => fill(t.fieldError, { field: t[name], message: [].concat(messages).join(" ") })).join(" ") : failureText(e);
      say(answer.textContent);
      if (named.length) (areas[named[0][0]] || days).focus();
    } finally {
      save.disabled = false;
    }
  });
  ui.listsView.replaceChildren(h("h2", { id: "lists-h", tabindex: "-1" }, t.listsHeading), form, spamFilter());
  areas.blockWords.focus();
}

// The learning spam filter: how many owner decisions it keeps, when it last retrained on them,
// and forgetting them all (after a confirmation).
function spamFilter() {
  const line = h("span", { class: "filter-line", role: "status" }, t.loading);
  const reset = h("button", { type: "button", class: "danger", onclick: () => confirmReset() }, t.spamFilterReset);
  const show = (status) => {
    const words = { spam: (status.spamExamples || 0).toLocaleString(locale), ham: (status.hamExamples || 0).toLocaleString(locale) };
    line.textContent = !status.on ? fill(t.spamFilterOff, words)
      : status.trainedAt ? fill(t.spamFilterLine, { ...words, when: ago(status.trainedAt) })
        : fill(t.spamFilterNever, words);
  };
  const confirmReset = () => ask(t.spamFilterReset, t.spamFilterConfirm, t.spamFilterYes, async () => {
    reset.disabled = true;
    try {
      show(await call("POST", "admin/spam-filter/reset"));
      say(t.spamFilterWasReset);
    } catch (e) {
      say(failureText(e));
    } finally {
      reset.disabled = false;
      reset.focus();
    }
  });
  call("GET", "admin/spam-filter").then(show, (e) => { line.textContent = failureText(e); });
  return h("p", { class: "lists spam-filter" }, [line, " ", reset]);
}
