// Replying as the blog's author and editing a comment's text: a small form in the card's slot.
import { h } from "../Widget/dom.js";
import { fill, t } from "./i18n.js";
import { call, failureText } from "./server.js";
import { field, nextId, say } from "./frame.js";
import { state } from "./state.js";
import { moveCount } from "./layout.js";
import { addEntry, authorText, paint } from "./card.js";
import { flush } from "./decisions.js";

function closeForm(entry, refocus) {
  if (!entry.form) return;
  entry.form.el.remove();
  const kind = entry.form.kind;
  entry.form = null;
  paint(entry);
  if (refocus) entry.parts.querySelector(`[data-action=${kind}]`).focus();
}

function textForm(entry, kind, heading, label, value, submitLabel, onSubmit) {
  closeForm(entry, false);
  const text = h("textarea", { name: kind === "reply" ? "reply" : "body", rows: 5, maxlength: 10000, required: true });
  text.value = value;
  const f = field(label, text);
  const submit = h("button", { type: "submit", class: "primary" }, submitLabel);
  const headingId = nextId("fh");
  const el = h("form", { class: "textform " + kind, novalidate: true, "aria-labelledby": headingId }, [
    h("h4", { id: headingId }, heading), f.row,
    h("p", { class: "buttons" }, [submit, h("button", { type: "button", class: "quiet", onclick: () => closeForm(entry, true) }, t.cancel)]),
  ]);
  el.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.stopPropagation(); closeForm(entry, true); }
  });
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    f.error("");
    if (!text.value.trim()) {
      f.error(t.required);
      return text.focus();
    }
    submit.disabled = true;
    el.setAttribute("aria-busy", "true");
    try {
      await onSubmit(text.value);
    } catch (e) {
      f.error(failureText(e));
      text.focus();
    } finally {
      submit.disabled = false;
      el.removeAttribute("aria-busy");
    }
  });
  entry.form = { kind, el };
  entry.slot.append(el);
  paint(entry);
  text.focus();
  return text;
}

export function openReply(entry) {
  if (entry.form && entry.form.kind === "reply") return entry.form.el.querySelector("textarea").focus();
  const c = entry.comment;
  const held = c.status !== "published";
  textForm(entry, "reply", fill(t.replyHeading, { name: authorText(c) }), t.replyLabel, "", held ? t.approveAndReply : t.sendReply, async (body) => {
    // A reply under a comment nobody can see would be lost: approve the comment first.
    await flush(c.id);
    if (entry.comment.status !== "published") {
      const before = entry.comment.status;
      entry.comment = await call("POST", "admin/comments/" + encodeURIComponent(c.id) + "/approve");
      moveCount(before, "published", 1);
    }
    const answer = await call("POST", "admin/comments/" + encodeURIComponent(c.id) + "/reply", { body });
    closeForm(entry, false);
    if (state.view === "one" || state.view === "published" || state.view === "all") {
      const index = state.view === "one" ? state.entries.indexOf(entry) + 1 : 0;
      addEntry(answer.comment, index);
    }
    moveCount(null, "published", 1);
    paint(entry);
    say(fill(t.replied, { name: authorText(c) }));
    entry.el.focus();
  });
}

export function openEdit(entry) {
  const c = entry.comment;
  textForm(entry, "edit", t.edit, t.editLabel, c.body, t.save, async (body) => {
    entry.comment = await call("PATCH", "admin/comments/" + encodeURIComponent(c.id), { body });
    closeForm(entry, false);
    say(fill(t.saved, { name: authorText(c) }));
    entry.el.focus();
  });
}
