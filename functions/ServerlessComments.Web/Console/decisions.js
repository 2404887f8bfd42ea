// Decisions, one or many, each undoable for a few seconds. A decision is sent at once, so the
// public thread and counts follow at once, and Undo sends the decision that leads back (approve,
// spam, or hold for a comment that was held). A deletion is final: it waits UNDO_MS before it is
// sent, and Undo cancels it. Also emptying the spam folder.
import { h } from "../Widget/dom.js";
import { fill, plural, t } from "./i18n.js";
import { call, failureText } from "./server.js";
import { ask, say, toasts } from "./frame.js";
import { byId, state, ui } from "./state.js";
import { moveCount, refreshStats } from "./layout.js";
import { moveTo, removeEntry, selectionChanged, showList } from "./list.js";
import { authorText, paint } from "./card.js";

const UNDO_MS = 5000;
const TO = { approve: "published", ham: "published", spam: "spam", "spam-block": "spam", hold: "pending", delete: null };
const SAID = { approve: "approved", ham: "hammed", spam: "spammed", "spam-block": "spammed", delete: "deleted" };
const reverseOf = (status) => (status === "published" ? "approve" : status === "spam" ? "spam" : status === "pending" ? "hold" : null);
// Decisions waiting for their undo time, oldest first.
const pendingActions = [];

function whatText(entries) {
  return entries.length === 1 ? fill(t.commentBy, { name: authorText(entries[0].comment) }) : plural(t.comments, entries.length);
}

export async function act(entries, action) {
  // A decision still waiting for its undo time on one of these goes first, so they land in order.
  for (const entry of entries) if (entry) await flush(entry.comment.id);
  entries = entries.filter((entry) => entry && !(action !== "delete" && TO[action] === entry.comment.status));
  if (!entries.length) return;
  const snapshot = entries.map((entry) => ({ entry, comment: entry.comment, index: state.entries.indexOf(entry), checked: entry.check.checked }));
  const what = whatText(entries);
  const ids = entries.map((entry) => entry.comment.id);
  const cursorWas = state.cursor;
  const record = { ids, action, snapshot, done: false, timer: null, toast: null };
  const deferred = action === "delete" || snapshot.some((s) => reverseOf(s.comment.status) === null);

  // Shown at once: the comments leave a list they no longer belong to, or show their new state.
  for (const s of snapshot) moveCount(s.comment.status, TO[action], 1);
  for (const s of snapshot) {
    const stays = action !== "delete" && (state.view === "all" || state.view === "one" || state.view === TO[action]);
    if (stays) {
      s.entry.comment = Object.assign({}, s.comment, { status: TO[action] });
      s.entry.check.checked = false;
      paint(s.entry);
    } else removeEntry(s.entry);
  }
  selectionChanged();
  if (state.entries.length) moveTo(Math.min(cursorWas, state.entries.length - 1));
  else ui.heading.focus();
  const message = action === "spam-block" ? fill(t.blocked, { email: entries[0].comment.email }) : fill(t[SAID[action]], { what });
  say(message);
  toast(record, message);

  record.send = async (keepalive) => {
    record.done = true;
    try {
      await send(ids, action, keepalive);
      refreshStats();
    } catch (e) {
      undoLocally(record);
      say(failureText(e));
    }
  };
  if (deferred) {
    pendingActions.push(record);
    record.timer = setTimeout(() => {
      dropPending(record);
      record.send(false);
    }, UNDO_MS);
  } else await record.send(false);
}

async function send(ids, action, keepalive) {
  const options = { keepalive };
  if (ids.length === 1) {
    const path = "admin/comments/" + encodeURIComponent(ids[0]);
    if (action === "delete") return call("DELETE", path, undefined, options);
    if (action === "spam-block") return call("POST", path + "/spam?block=email", undefined, options);
    return call("POST", path + "/" + action, undefined, options);
  }
  for (let i = 0; i < ids.length; i += 200)
    await call("POST", "admin/comments/bulk", { action: action === "spam-block" ? "spam" : action, ids: ids.slice(i, i + 200) }, options);
}

function undoLocally(record) {
  for (const s of record.snapshot) moveCount(TO[record.action], s.comment.status, 1);
  if (!state.entries.length) ui.list.replaceChildren();
  for (const s of [...record.snapshot].sort((a, b) => a.index - b.index)) {
    if (byId.has(s.comment.id)) {
      const entry = byId.get(s.comment.id);
      entry.comment = s.comment;
      paint(entry);
    } else if (s.index >= 0) {
      s.entry.comment = s.comment;
      byId.set(s.comment.id, s.entry);
      const at = Math.min(s.index, state.entries.length);
      if (at >= state.entries.length) ui.list.append(s.entry.li);
      else ui.list.insertBefore(s.entry.li, state.entries[at].li);
      state.entries.splice(at, 0, s.entry);
      paint(s.entry);
    }
  }
  selectionChanged();
  const first = record.snapshot[0] && byId.get(record.snapshot[0].comment.id);
  if (first) moveTo(state.entries.indexOf(first));
}

async function undo(record) {
  if (record.toast) record.toast.remove();
  record.toast = null;
  const what = whatText(record.snapshot.map((s) => s.entry));
  if (!record.done) {
    clearTimeout(record.timer);
    dropPending(record);
    record.done = true;
    undoLocally(record);
    say(fill(t.undone, { what }));
    return;
  }
  undoLocally(record);
  try {
    // Sent already: each comment goes back by the decision that leads to where it was.
    const groups = new Map();
    for (const s of record.snapshot) {
      const back = reverseOf(s.comment.status);
      if (back) groups.set(back, [...(groups.get(back) || []), s.comment.id]);
    }
    for (const [action, ids] of groups) await send(ids, action, false);
    say(fill(t.undone, { what }));
  } catch (e) {
    say(failureText(e));
  }
  refreshStats();
}

function toast(record, message) {
  const button = h("button", { type: "button", onclick: () => undo(record) }, t.undo);
  const item = h("li", { class: "toast" }, [h("span", {}, message), button]);
  record.toast = item;
  toasts.append(item);
  setTimeout(() => {
    item.remove();
    if (record.toast === item) record.toast = null;
  }, UNDO_MS);
}

function dropPending(record) {
  const i = pendingActions.indexOf(record);
  if (i >= 0) pendingActions.splice(i, 1);
}

// Sends now what waits for its undo time, e.g. before replying to that comment or leaving.
export async function flush(id) {
  for (const record of [...pendingActions]) {
    if (id && !record.ids.includes(id)) continue;
    clearTimeout(record.timer);
    dropPending(record);
    if (record.toast) record.toast.remove();
    await record.send(false);
  }
}
export const flushAll = () => flush(null);

// Signed out by the server: what waited is not sent (it would be refused).
export function cancelPending() {
  for (const record of pendingActions) clearTimeout(record.timer);
  pendingActions.length = 0;
}

// Leaving the page: what waits is sent now, with keepalive so it outlives the page.
addEventListener("pagehide", () => {
  for (const record of [...pendingActions]) {
    clearTimeout(record.timer);
    dropPending(record);
    record.send(true);
  }
});

// ---- Empty the spam folder ----
export function confirmEmpty() {
  ask(t.emptySpam, t.emptyConfirm, t.emptyYes, async () => {
    try {
      await flushAll();
      const answer = await call("POST", "admin/spam/empty");
      say(fill(t.emptied, { what: plural(t.comments, answer.deleted || 0) }));
      await showList("spam");
      say(fill(t.emptied, { what: plural(t.comments, answer.deleted || 0) }));
    } catch (e) {
      say(failureText(e));
    }
  });
}
