// A list of comments: one status (or all), searched and filtered by thread, fifty at a time;
// or the one comment an email's link opened. Also the keyboard's cursor and the selection.
import { h } from "../Widget/dom.js";
import { fill, plural, t } from "./i18n.js";
import { call, failureText } from "./server.js";
import { say } from "./frame.js";
import { byId, state, ui } from "./state.js";
import { refreshStats, showView } from "./layout.js";
import { addEntry, showContext } from "./card.js";
import { openReply } from "./editing.js";

const PAGE_SIZE = 50;

function clearList() {
  state.entries = [];
  state.cursor = -1;
  state.next = null;
  byId.clear();
  ui.list.replaceChildren();
  ui.selectAll.checked = false;
  selectionChanged();
}

function listHeading() {
  const parts = [t[state.view]];
  if (state.q) parts.push("“" + state.q + "”");
  if (state.thread) parts.push(state.thread);
  return parts.join(" · ");
}

export async function showList(status) {
  showView(status, status);
  ui.back.hidden = true;
  ui.toolbar.hidden = false;
  ui.emptySpam.hidden = status !== "spam";
  ui.bulk.approve.hidden = status === "published";
  ui.bulk.spam.hidden = status === "spam";
  ui.bulk.ham.hidden = status !== "spam" && status !== "all";
  clearList();
  ui.heading.textContent = listHeading();
  ui.list.setAttribute("aria-busy", "true");
  ui.list.append(h("li", { class: "empty" }, t.loading));
  await loadMore(true);
  refreshStats();
}

let loads = 0;
export async function loadMore(first) {
  const view = state.view;
  // Only the latest load of a list counts (a tab clicked twice, a search typed again).
  const load = first ? ++loads : loads;
  const query = new URLSearchParams({ status: view, pageSize: String(PAGE_SIZE) });
  if (state.q) query.set("q", state.q);
  if (state.thread) query.set("thread", state.thread);
  if (!first && state.next) query.set("continuationToken", state.next);
  ui.more.disabled = true;
  try {
    const page = await call("GET", "admin/comments?" + query);
    if (view !== state.view || load !== loads) return;
    if (first) ui.list.replaceChildren();
    const before = state.entries.length;
    for (const comment of page.comments) if (!byId.has(comment.id)) addEntry(comment);
    state.next = page.continuationToken || null;
    ui.more.hidden = !state.next;
    if (!state.entries.length) ui.list.replaceChildren(h("li", { class: "empty" }, t.empty));
    else if (!first && state.entries[before]) moveTo(before);
    say(fill(t.fieldError, { field: listHeading(), message: plural(t.comments, state.entries.length) }));
  } catch (e) {
    if (load !== loads) return;
    if (first) ui.list.replaceChildren(h("li", { class: "empty" }, e.status === 401 ? "" : t.loadFailed));
    say(failureText(e));
  } finally {
    ui.list.removeAttribute("aria-busy");
    ui.more.disabled = false;
  }
}

// From an email's link: that one comment, with its context open, and its reply form if asked.
export async function openOne(id, reply) {
  showView("one", null);
  ui.toolbar.hidden = true;
  ui.more.hidden = true;
  ui.back.hidden = false;
  clearList();
  ui.heading.textContent = t.openedFromLink;
  try {
    const detail = await call("GET", "admin/comments/" + encodeURIComponent(id));
    const entry = addEntry(detail.comment);
    showContext(entry, detail);
    moveTo(0, !reply);
    if (reply) openReply(entry);
  } catch (e) {
    ui.list.replaceChildren(h("li", { class: "empty" }, e.status === 404 ? t.notFound : failureText(e)));
    ui.heading.focus();
  }
}

// An entry in the list, then, when it was the last, the list says it is empty.
export function removeEntry(entry) {
  const i = state.entries.indexOf(entry);
  if (i >= 0) state.entries.splice(i, 1);
  entry.li.remove();
  byId.delete(entry.comment.id);
  if (!state.entries.length) ui.list.replaceChildren(h("li", { class: "empty" }, t.empty));
}

// ---- The cursor (j, k, and the comment focused) ----
export function markCursor() {
  state.entries.forEach((entry, i) => entry.el.classList.toggle("current", i === state.cursor));
}
export function moveTo(index, focus = true) {
  if (!state.entries.length) return;
  state.cursor = Math.max(0, Math.min(index, state.entries.length - 1));
  markCursor();
  const entry = state.entries[state.cursor];
  if (focus) entry.el.focus();
  entry.el.scrollIntoView({ block: "nearest" });
}
export const current = () => {
  const inside = document.activeElement && document.activeElement.closest && document.activeElement.closest("article.comment");
  return (inside && byId.get(inside.dataset.id)) || state.entries[state.cursor] || null;
};

// ---- The selection, for decisions on many at once ----
export function selectedEntries() {
  return state.entries.filter((entry) => entry.check.checked);
}
export function selectionChanged() {
  const n = state.entries.filter((entry) => entry.check.checked).length;
  ui.selectedCount.textContent = plural(t.selected, n);
  for (const b of Object.values(ui.bulk)) b.disabled = n === 0;
  ui.selectAll.checked = n > 0 && n === state.entries.length;
  ui.selectAll.indeterminate = n > 0 && n < state.entries.length;
}
