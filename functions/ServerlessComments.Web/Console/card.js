// A comment's card: who wrote it, where, when, its status and why, its text, its actions; and,
// opened on demand, its context (the comment it answers, whether the author is new, their others).
import { h } from "../Widget/dom.js";
import { fill, t, when } from "./i18n.js";
import { call, failureText } from "./server.js";
import { outLink, say } from "./frame.js";
import { byId, state, STATUSES, ui } from "./state.js";
import { markCursor, selectionChanged, showList } from "./list.js";
import { act } from "./decisions.js";
import { openEdit, openReply } from "./editing.js";
import { pinButton } from "./pinning.js";

export const authorText = (c) => c.author || c.email || "?";

// A card added to the list (at index, else at the end) and painted.
export function addEntry(comment, index) {
  const entry = { comment, el: null, check: null, slot: null, context: null, form: null };
  entry.check = h("input", { type: "checkbox", class: "select", "aria-label": fill(t.selectOne, { name: authorText(comment) }), onchange: selectionChanged });
  entry.slot = h("div", { class: "slot" });
  entry.parts = h("div", { class: "parts" });
  entry.el = h("article", { class: "comment", id: "comment-" + comment.id, tabindex: "-1", "data-id": comment.id,
    onfocusin: () => { state.cursor = state.entries.indexOf(entry); markCursor(); } }, [entry.check, h("div", { class: "main" }, [entry.parts, entry.slot])]);
  // One comment from a link has no list to act on together.
  entry.check.hidden = state.view === "one";
  entry.li = h("li", {}, entry.el);
  byId.set(comment.id, entry);
  const empty = ui.list.querySelector(":scope > .empty");
  if (empty) empty.remove();
  if (index == null || index >= state.entries.length) {
    state.entries.push(entry);
    ui.list.append(entry.li);
  } else {
    ui.list.insertBefore(entry.li, state.entries[index].li);
    state.entries.splice(index, 0, entry);
  }
  paint(entry);
  return entry;
}

function dataRow(label, value) {
  return value == null || value === "" ? null : [h("dt", {}, label), h("dd", {}, value)];
}

// (Re)draws the card's parts from entry.comment; its context and open form stay in their slot.
export function paint(entry) {
  const c = entry.comment;
  const site = c.website ? outLink(c.website, c.website) : null;
  const page = c.pageUrl ? outLink(c.pageUrl, c.pageTitle || c.pageUrl) : null;
  const threadButton = h("button", { type: "button", class: "link", title: t.filterThread, onclick: () => {
    ui.thread.value = state.thread = c.thread;
    showList(STATUSES.includes(state.view) ? state.view : "all");
  } }, c.thread);
  const badges = [
    h("span", { class: "badge status-" + c.status }, t[c.status] || c.status),
    c.byOwner ? h("span", { class: "badge owner" }, t.byOwner) : null,
    entry.newAuthor ? h("span", { class: "badge new" }, t.newAuthor) : null,
  ];
  const actions = [];
  const button = (action, label, extra) => h("button", Object.assign({ type: "button", "data-action": action, onclick: () => act([entry], action) }, extra || {}), label);
  if (c.status !== "published") actions.push(button("approve", t.approve, { class: "primary", "aria-keyshortcuts": "a" }));
  if (c.status !== "spam") actions.push(button("spam", t.markSpam, { "aria-keyshortcuts": "s" }), button("spam-block", t.spamBlock));
  if (c.status === "spam") actions.push(button("ham", t.ham));
  actions.push(button("delete", t.delete, { class: "danger", "aria-keyshortcuts": "d" }));
  actions.push(h("button", { type: "button", "data-action": "reply", "aria-keyshortcuts": "r", "aria-expanded": entry.form && entry.form.kind === "reply" ? "true" : "false", onclick: () => openReply(entry) }, t.reply));
  actions.push(h("button", { type: "button", "data-action": "edit", "aria-expanded": entry.form && entry.form.kind === "edit" ? "true" : "false", onclick: () => openEdit(entry) }, t.edit));
  if (c.status === "published" && !c.parentId) actions.push(pinButton(entry));
  actions.push(h("button", { type: "button", "data-action": "context", "aria-keyshortcuts": "o", "aria-expanded": entry.context ? "true" : "false", onclick: () => toggleContext(entry) }, entry.context ? t.hideContext : t.context));
  entry.parts.replaceChildren(
    h("header", {}, [
      h("h3", { class: "author" }, h("bdi", {}, authorText(c))), ...badges,
      h("time", { datetime: c.createdAt }, when(c.createdAt)),
      c.editedAt ? h("span", { class: "edited" }, fill(t.editedOn, { when: when(c.editedAt) })) : null,
    ]),
    h("div", { class: "body" }, c.body),
    h("dl", { class: "meta" }, [
      dataRow(t.email, c.email), dataRow(t.website, site), dataRow(t.page, page), dataRow(t.thread, threadButton),
      dataRow(t.reasons, c.reasons && c.reasons.length ? c.reasons.join(", ") : null),
      // The author's earlier texts (their edits within the edit window), oldest first.
      dataRow(t.earlierTexts, c.history && c.history.length ? h("ol", { class: "history" }, c.history.map((r) => h("li", {}, [h("time", { datetime: r.at }, when(r.at)), " ", h("span", { class: "body" }, r.body)]))) : null),
      dataRow(t.ip, c.ip), dataRow(t.userAgent, c.userAgent), dataRow(t.referrer, c.referrer ? outLink(c.referrer, c.referrer) : null),
    ].flat().filter(Boolean)),
    h("p", { class: "actions" }, actions),
  );
}

// ---- Context ----
export async function toggleContext(entry) {
  if (entry.context) {
    entry.context.remove();
    entry.context = null;
    paint(entry);
    return;
  }
  try {
    showContext(entry, await call("GET", "admin/comments/" + encodeURIComponent(entry.comment.id)));
  } catch (e) {
    say(e.status === 404 ? t.notFound : failureText(e));
  }
}

function mini(c) {
  return h("div", { class: "mini" }, [
    h("p", { class: "mini-h" }, [h("b", {}, h("bdi", {}, authorText(c))), " ", h("span", { class: "badge status-" + c.status }, t[c.status] || c.status),
      c.byOwner ? [" ", h("span", { class: "badge owner" }, t.byOwner)] : null, " ", h("time", { datetime: c.createdAt }, when(c.createdAt))].flat()),
    h("div", { class: "body" }, c.body),
  ]);
}

export function showContext(entry, detail) {
  if (entry.context) entry.context.remove();
  entry.comment = detail.comment || entry.comment;
  entry.newAuthor = !!detail.newAuthor;
  const others = (detail.byAuthor || []).filter((c) => c.id !== entry.comment.id);
  entry.context = h("section", { class: "context", "aria-label": t.context }, [
    detail.parent ? [h("h4", {}, fill(t.inReplyTo, { name: authorText(detail.parent) })), mini(detail.parent)] : null,
    h("h4", {}, t.otherComments),
    others.length ? h("ul", { class: "others" }, others.map((c) => h("li", {}, mini(c)))) : h("p", { class: "none" }, t.noOtherComments),
  ].flat());
  entry.slot.prepend(entry.context);
  paint(entry);
}
