// The owner's console, served at /api/console. The server wraps this file as
// (() => { "use strict"; const STRINGS = {…the console section of every strings/*.json…}; console.js })();
// Safe by construction, as the widget: every text a reader wrote (comment, name, email, website,
// page) enters the page as a text node or an attribute set one by one, a link only when it is
// http or https, and no string is ever parsed as HTML. No inline script or style: the page's
// Content-Security-Policy forbids both.
const API = "/api/";
const UNDO_MS = 5000;
const PAGE_SIZE = 50;
const AFTER_SIGN_IN = "serverless-comments:console-after";
const STATUSES = ["pending", "spam", "published", "all"];
const LISTS = ["blockWords", "holdWords", "blockEmails", "holdEmails", "blockDomains", "holdDomains", "blockIps", "holdIps"];

const locale = (() => {
  try { return Intl.getCanonicalLocales(document.documentElement.lang || "en")[0] || "en"; } catch { return "en"; }
})();
const t = STRINGS[locale.toLowerCase()] || STRINGS[locale.toLowerCase().split("-")[0]] || STRINGS.en;
const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
const plurals = new Intl.PluralRules(locale);
const baseTitle = document.title || t.title;
const root = document.getElementById("console");

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
function plural(forms, n) {
  const form = n === 0 && forms.none ? forms.none : forms[plurals.select(n)] || forms.other;
  return fill(form, { n: n.toLocaleString(locale) });
}
const when = (iso) => (iso ? dates.format(new Date(iso)) : "");

const outLink = (url, text) => {
  const href = url && webLink(url);
  return href ? h("a", { href, rel: "noopener noreferrer nofollow", target: "_blank" }, text || url) : h("span", {}, text || url || "");
};
let uid = 0;
const nextId = (prefix) => prefix + "-" + ++uid;

// ---- The server -------------------------------------------------------------------------
let csrf = "";
class Failure extends Error {
  constructor(status, problem) {
    super(problemText(problem) || String(status));
    this.status = status;
    this.problem = problem || {};
  }
}
function problemText(problem) {
  if (!problem) return "";
  const fields = Object.values(problem.errors || {}).flat();
  return fields.length ? fields.join(" ") : problem.detail || problem.title || "";
}
async function call(method, path, body, options) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  let answer;
  try {
    answer = await fetch(API + path, {
      method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body), keepalive: !!(options && options.keepalive),
    });
  } catch {
    throw new Failure(0, { title: t.unreachable });
  }
  const data = answer.status === 204 ? null : await answer.json().catch(() => null);
  if (answer.ok) return data;
  if (answer.status === 401 && !(options && options.signIn)) signedOut(t.expired);
  throw new Failure(answer.status, data);
}
const failureText = (e) =>
  e.status === 0 ? t.unreachable
    : e.status === 429 ? fill(t.tooMany, { s: e.problem.retryAfter || 60 })
      : e.status === 403 ? t.forbidden
        : fill(t.actionFailed, { detail: e.message });

// ---- The page's frame: an aria-live region everything is announced in, and undo toasts ----
const live = h("p", { class: "live", role: "status", "aria-live": "polite", "aria-atomic": "true" });
const toasts = h("ul", { class: "toasts", "aria-label": t.undo });
function say(text) {
  // Emptied first, so the same sentence twice is announced twice.
  live.textContent = "";
  setTimeout(() => { live.textContent = text; }, 30);
}

// ---- Signing in -------------------------------------------------------------------------
function field(label, control, hint) {
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

function showSignIn(message) {
  document.title = baseTitle;
  root.replaceChildren();
  const email = h("input", { type: "email", name: "email", autocomplete: "email", required: true, maxlength: 254 });
  const emailField = field(t.emailLabel, email);
  const linkAnswer = h("p", { class: "answer", role: "status" });
  const linkButton = h("button", { type: "submit", class: "primary" }, t.sendLink);
  const linkForm = h("form", { class: "card signin", novalidate: true, "aria-labelledby": "link-h" }, [
    h("h2", { id: "link-h" }, t.linkHeading), emailField.row, h("p", {}, linkButton), linkAnswer,
  ]);
  linkForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    emailField.error("");
    linkAnswer.textContent = "";
    if (!email.value.trim()) {
      emailField.error(t.required);
      return email.focus();
    }
    linkButton.disabled = true;
    linkAnswer.textContent = t.sending;
    try {
      await call("POST", "admin/session/link", { email: email.value.trim() }, { signIn: true });
      linkAnswer.textContent = t.linkSent;
    } catch (e) {
      linkAnswer.textContent = failureText(e);
    } finally {
      linkButton.disabled = false;
    }
  });

  const key = h("input", { type: "password", name: "key", autocomplete: "current-password", required: true });
  const keyField = field(t.keyLabel, key);
  const keyButton = h("button", { type: "submit" }, t.keySignIn);
  const keyAnswer = h("p", { class: "answer", role: "status" });
  const keyForm = h("form", { class: "card signin", novalidate: true, "aria-labelledby": "key-h" }, [
    h("h2", { id: "key-h" }, t.keyHeading), keyField.row, h("p", {}, keyButton), keyAnswer,
  ]);
  keyForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    keyField.error("");
    keyAnswer.textContent = "";
    if (!key.value) {
      keyField.error(t.required);
      return key.focus();
    }
    keyButton.disabled = true;
    try {
      await call("POST", "admin/session/key", { key: key.value }, { signIn: true });
      key.value = "";
      await start();
    } catch (e) {
      if (e.status === 401) {
        keyField.error(t.wrongKey);
        key.select();
        key.focus();
      } else keyAnswer.textContent = failureText(e);
    } finally {
      keyButton.disabled = false;
    }
  });

  root.append(h("main", { class: "signin-page", "aria-labelledby": "signin-h" }, [
    h("h1", { id: "signin-h" }, t.signInHeading),
    h("p", { class: "intro" }, t.signInIntro),
    message ? h("p", { class: "notice", role: "status" }, message) : null,
    linkForm, keyForm,
  ]));
  root.removeAttribute("aria-busy");
  email.focus();
}

// A link from an email (#comment=… or #reply=…) survives the sign-in it may need, for a while.
function rememberWanted() {
  if (/^#(comment|reply)=/.test(location.hash))
    try { localStorage.setItem(AFTER_SIGN_IN, JSON.stringify({ hash: location.hash, at: Date.now() })); } catch { /* storage blocked */ }
}
function wantedHash() {
  let hash = /^#(comment|reply)=/.test(location.hash) ? location.hash : "";
  try {
    const saved = JSON.parse(localStorage.getItem(AFTER_SIGN_IN) || "null");
    localStorage.removeItem(AFTER_SIGN_IN);
    if (!hash && saved && Date.now() - saved.at < 30 * 60 * 1000) hash = saved.hash;
  } catch { /* storage blocked or corrupt */ }
  return hash;
}

let signedIn = false;
function signedOut(message) {
  if (!signedIn) return;
  signedIn = false;
  csrf = "";
  for (const action of pendingActions) clearTimeout(action.timer);
  pendingActions.length = 0;
  rememberWanted();
  showSignIn(message);
}

async function start() {
  let session;
  try {
    session = await call("GET", "admin/session", undefined, { signIn: true });
  } catch (e) {
    rememberWanted();
    return showSignIn(e.status === 401 ? "" : failureText(e));
  }
  csrf = session.csrf;
  signedIn = true;
  buildConsole(session);
  const hash = wantedHash();
  const match = /^#(comment|reply)=([^&]+)/.exec(hash);
  if (match) await openOne(decodeURIComponent(match[2]), match[1] === "reply");
  else {
    await showList("pending");
    // Keyboard and screen-reader users start at the list, ready for j.
    ui.heading.focus();
  }
}

// ---- The console ------------------------------------------------------------------------
const state = {
  view: "pending", // a status, "one" (a comment from a link) or "lists"
  q: "",
  thread: "",
  entries: [], // { comment, el, ... } in the order shown
  next: null,
  cursor: -1,
  stats: { pending: 0, spam: 0, published: 0 },
};
const byId = new Map();
const pendingActions = [];
const ui = {};

function buildConsole(session) {
  root.replaceChildren();
  const tabs = {};
  for (const view of [...STATUSES, "lists", "data"]) {
    tabs[view] = h("button", { type: "button", class: "tab", "data-view": view,
      onclick: () => (view === "lists" ? showLists() : view === "data" ? showData() : showList(view)) }, t[view]);
  }
  ui.tabs = tabs;
  const signOut = h("button", { type: "button", class: "quiet", onclick: async () => {
    await flushAll();
    try { await call("POST", "admin/session/signout"); } catch { /* the cookie may be gone already */ }
    signedIn = false;
    csrf = "";
    showSignIn(t.signedOut);
  } }, t.signOut);

  ui.q = h("input", { type: "search", name: "q", id: "q", autocomplete: "off", maxlength: 200 });
  ui.thread = h("input", { type: "text", name: "thread", id: "thread", autocomplete: "off", maxlength: 2000 });
  const search = h("form", { role: "search", class: "search", onsubmit: (event) => {
    event.preventDefault();
    state.q = ui.q.value.trim();
    state.thread = ui.thread.value.trim();
    // A search looks through every status; a tab then narrows it down.
    showList(state.q ? "all" : STATUSES.includes(state.view) ? state.view : "pending");
  } }, [
    h("p", { class: "field" }, [h("label", { for: "q" }, t.searchLabel), ui.q]),
    h("p", { class: "field" }, [h("label", { for: "thread" }, t.threadLabel), ui.thread]),
    h("p", { class: "buttons" }, [
      h("button", { type: "submit" }, t.search),
      h("button", { type: "button", class: "quiet", onclick: () => {
        ui.q.value = ui.thread.value = state.q = state.thread = "";
        showList(STATUSES.includes(state.view) ? state.view : "pending");
      } }, t.clear),
    ]),
  ]);

  ui.selectAll = h("input", { type: "checkbox", id: "select-all", onchange: () => {
    for (const entry of state.entries) entry.check.checked = ui.selectAll.checked;
    selectionChanged();
  } });
  ui.selectedCount = h("span", { class: "count", id: "selected-count" });
  ui.bulk = {};
  const bulkButtons = [["approve", t.approve], ["spam", t.markSpam], ["ham", t.ham], ["delete", t.delete]].map(([action, label]) =>
    (ui.bulk[action] = h("button", { type: "button", "data-action": action, "aria-describedby": "selected-count", onclick: () => act(selectedEntries(), action) }, label)));
  ui.emptySpam = h("button", { type: "button", class: "danger", onclick: () => confirmEmpty() }, t.emptySpam);
  ui.toolbar = h("div", { class: "toolbar", role: "group", "aria-label": t.bulkActions }, [
    h("p", { class: "check" }, [ui.selectAll, h("label", { for: "select-all" }, t.selectAll)]),
    ui.selectedCount, ...bulkButtons, ui.emptySpam,
  ]);
  ui.heading = h("h2", { id: "list-h", tabindex: "-1" });
  ui.list = h("ol", { class: "comments", "aria-labelledby": "list-h" });
  ui.more = h("button", { type: "button", class: "more", hidden: true, onclick: () => loadMore() }, t.more);
  ui.back = h("button", { type: "button", class: "quiet", hidden: true, onclick: () => showList("pending") }, t.backToList);
  ui.listView = h("section", { class: "view", "aria-labelledby": "list-h" }, [search, ui.heading, ui.back, ui.toolbar, ui.list, ui.more]);
  ui.listsView = h("section", { class: "view", "aria-labelledby": "lists-h", hidden: true });
  ui.dataView = h("section", { class: "view", "aria-labelledby": "data-h", hidden: true });
  ui.shortcuts = shortcutsDialog();
  ui.confirm = h("dialog", { class: "dialog", "aria-labelledby": "confirm-h" });

  root.append(
    h("header", { class: "top" }, [
      h("h1", {}, [session.siteName ? h("span", { class: "site" }, session.siteName) : null, " ", t.title]),
      h("nav", { "aria-label": t.views }, [h("ul", {}, Object.values(tabs).map((tab) => h("li", {}, tab)))]),
      h("p", { class: "session" }, [
        h("button", { type: "button", class: "quiet", "aria-keyshortcuts": "?", onclick: () => ui.shortcuts.showModal() }, t.shortcuts),
        " ", signOut,
      ]),
    ]),
    h("main", {}, [ui.listView, ui.listsView, ui.dataView]),
    live, toasts, ui.shortcuts, ui.confirm,
  );
  root.removeAttribute("aria-busy");
  refreshStats();
}
// New held comments arrive while the console is open: the counts in the title and tabs follow.
setInterval(() => { if (signedIn && !document.hidden) refreshStats(); }, 60 * 1000);
document.addEventListener("visibilitychange", () => { if (signedIn && !document.hidden) refreshStats(); });

function showCounts() {
  const held = state.stats.pending || 0;
  document.title = held ? fill(t.titleCount, { n: held.toLocaleString(locale), title: baseTitle }) : baseTitle;
  for (const status of ["pending", "spam", "published"]) {
    const n = state.stats[status] || 0;
    ui.tabs[status].textContent = fill(t.tabCount, { label: t[status], n: n.toLocaleString(locale) });
  }
}
async function refreshStats() {
  try {
    state.stats = await call("GET", "admin/stats");
    showCounts();
  } catch { /* counts stay as they were */ }
}
function moveCount(from, to, n) {
  if (from && from in state.stats) state.stats[from] = Math.max(0, state.stats[from] - n);
  if (to && to in state.stats) state.stats[to] += n;
  showCounts();
}

function markTab(view) {
  for (const [name, tab] of Object.entries(ui.tabs)) {
    if (name === view) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
}

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

async function showList(status) {
  state.view = status;
  markTab(status);
  ui.listsView.hidden = true;
  ui.dataView.hidden = true;
  ui.listView.hidden = false;
  ui.back.hidden = true;
  ui.toolbar.hidden = false;
  ui.emptySpam.hidden = status !== "spam";
  ui.bulk.approve.hidden = status === "published";
  ui.bulk.spam.hidden = status === "spam";
  ui.bulk.ham.hidden = status !== "spam" && status !== "all";
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  clearList();
  ui.heading.textContent = listHeading();
  ui.list.setAttribute("aria-busy", "true");
  ui.list.append(h("li", { class: "empty" }, t.loading));
  await loadMore(true);
  refreshStats();
}

let loads = 0;
async function loadMore(first) {
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
async function openOne(id, reply) {
  state.view = "one";
  markTab(null);
  ui.listsView.hidden = true;
  ui.dataView.hidden = true;
  ui.listView.hidden = false;
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

// ---- One comment ------------------------------------------------------------------------
const authorText = (c) => c.author || c.email || "?";

function addEntry(comment, index) {
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

function paint(entry) {
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
      dataRow(t.ip, c.ip), dataRow(t.userAgent, c.userAgent), dataRow(t.referrer, c.referrer ? outLink(c.referrer, c.referrer) : null),
    ].flat().filter(Boolean)),
    h("p", { class: "actions" }, actions),
  );
}

function markCursor() {
  state.entries.forEach((entry, i) => entry.el.classList.toggle("current", i === state.cursor));
}
function moveTo(index, focus = true) {
  if (!state.entries.length) return;
  state.cursor = Math.max(0, Math.min(index, state.entries.length - 1));
  markCursor();
  const entry = state.entries[state.cursor];
  if (focus) entry.el.focus();
  entry.el.scrollIntoView({ block: "nearest" });
}
const current = () => {
  const inside = document.activeElement && document.activeElement.closest && document.activeElement.closest("article.comment");
  return (inside && byId.get(inside.dataset.id)) || state.entries[state.cursor] || null;
};

function selectedEntries() {
  return state.entries.filter((entry) => entry.check.checked);
}
function selectionChanged() {
  const n = state.entries.filter((entry) => entry.check.checked).length;
  ui.selectedCount.textContent = plural(t.selected, n);
  for (const b of Object.values(ui.bulk)) b.disabled = n === 0;
  ui.selectAll.checked = n > 0 && n === state.entries.length;
  ui.selectAll.indeterminate = n > 0 && n < state.entries.length;
}

// ---- Context: the comment it answers, whether the author is new, their other comments ----
async function toggleContext(entry) {
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
function showContext(entry, detail) {
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

// ---- Reply as the author, edit the text ---------------------------------------------------
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
function openReply(entry) {
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
function openEdit(entry) {
  const c = entry.comment;
  textForm(entry, "edit", t.edit, t.editLabel, c.body, t.save, async (body) => {
    entry.comment = await call("PATCH", "admin/comments/" + encodeURIComponent(c.id), { body });
    closeForm(entry, false);
    say(fill(t.saved, { name: authorText(c) }));
    entry.el.focus();
  });
}

// ---- Decisions, one or many, each undoable for a few seconds -------------------------------
// A decision is sent at once, so the public thread and counts follow at once, and Undo sends the
// decision that leads back (approve, spam, or hold for a comment that was held). A deletion is
// final: it waits UNDO_MS before it is sent, and Undo cancels it.
const TO = { approve: "published", ham: "published", spam: "spam", "spam-block": "spam", hold: "pending", delete: null };
const SAID = { approve: "approved", ham: "hammed", spam: "spammed", "spam-block": "spammed", delete: "deleted" };
const reverseOf = (status) => (status === "published" ? "approve" : status === "spam" ? "spam" : status === "pending" ? "hold" : null);

function whatText(entries) {
  return entries.length === 1 ? fill(t.commentBy, { name: authorText(entries[0].comment) }) : plural(t.comments, entries.length);
}

async function act(entries, action) {
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

function removeEntry(entry) {
  const i = state.entries.indexOf(entry);
  if (i >= 0) state.entries.splice(i, 1);
  entry.li.remove();
  byId.delete(entry.comment.id);
  if (!state.entries.length) ui.list.replaceChildren(h("li", { class: "empty" }, t.empty));
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
async function flush(id) {
  for (const record of [...pendingActions]) {
    if (id && !record.ids.includes(id)) continue;
    clearTimeout(record.timer);
    dropPending(record);
    if (record.toast) record.toast.remove();
    await record.send(false);
  }
}
const flushAll = () => flush(null);
addEventListener("pagehide", () => {
  for (const record of [...pendingActions]) {
    clearTimeout(record.timer);
    dropPending(record);
    record.send(true);
  }
});

// ---- Empty the spam folder -----------------------------------------------------------------
function confirmEmpty() {
  const yes = h("button", { type: "button", class: "danger" }, t.emptyYes);
  const no = h("button", { type: "button", class: "quiet", onclick: () => ui.confirm.close() }, t.cancel);
  yes.addEventListener("click", async () => {
    ui.confirm.close();
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
  ui.confirm.replaceChildren(h("h2", { id: "confirm-h" }, t.emptySpam), h("p", {}, t.emptyConfirm), h("p", { class: "buttons" }, [no, yes]));
  ui.confirm.showModal();
  no.focus();
}

// ---- The defences: the owner's lists -------------------------------------------------------
async function showLists() {
  state.view = "lists";
  markTab("lists");
  ui.listView.hidden = true;
  ui.listsView.hidden = false;
  ui.dataView.hidden = true;
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
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
  ui.listsView.replaceChildren(h("h2", { id: "lists-h", tabindex: "-1" }, t.listsHeading), form);
  areas.blockWords.focus();
}

// ---- Import and export ---------------------------------------------------------------------
function showData() {
  state.view = "data";
  markTab("data");
  ui.listView.hidden = true;
  ui.listsView.hidden = true;
  ui.dataView.hidden = false;
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  const file = h("input", { type: "file", name: "file", id: "import-file", accept: ".xml,.json,application/xml,application/json" });
  const format = h("select", { name: "format", id: "import-format" },
    [["wxr", t.formatWxr], ["disqus", t.formatDisqus], ["json", t.formatJson]].map(([value, label]) => h("option", { value }, label)));
  const dry = h("input", { type: "checkbox", name: "dryRun", id: "import-dry" });
  const progress = h("progress", { max: 100, value: 0, hidden: true, "aria-labelledby": "import-h" });
  const answer = h("p", { class: "answer", role: "status" });
  const go = h("button", { type: "submit", class: "primary" }, t.importButton);
  const fileField = field(t.importFile, file);
  file.addEventListener("change", () => {
    // The format is guessed from the name; the owner can still choose.
    const name = (file.files[0] && file.files[0].name.toLowerCase()) || "";
    if (name.endsWith(".json")) format.value = "json";
    else if (name.includes("disqus")) format.value = "disqus";
  });
  const form = h("form", { class: "import", novalidate: true, "aria-labelledby": "import-h" }, [
    h("p", {}, t.importIntro), fileField.row, field(t.importFormat, format).row,
    h("p", { class: "check" }, [dry, h("label", { for: "import-dry" }, t.dryRun)]),
    h("p", {}, go), progress, answer,
  ]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    fileField.error("");
    if (!file.files[0]) {
      fileField.error(t.chooseFile);
      file.focus();
      return;
    }
    go.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    answer.textContent = "";
    // XMLHttpRequest, not fetch: only it reports the upload's progress.
    const xhr = new XMLHttpRequest();
    xhr.open("POST", API + "admin/import?format=" + encodeURIComponent(format.value) + "&dryRun=" + (dry.checked ? "true" : "false"));
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      progress.value = Math.round((100 * e.loaded) / e.total);
      answer.textContent = progress.value < 100 ? fill(t.importing, { percent: progress.value }) : t.importWorking;
    };
    xhr.onload = () => {
      go.disabled = false;
      progress.hidden = true;
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 200 && data) {
        // The count, then why (trash, type note…): a file whose comments were all skipped says so.
        const reasons = Object.entries(data.skipped || {});
        const total = reasons.reduce((a, [, n]) => a + n, 0);
        const skipped = reasons.length ? total + " (" + reasons.map(([k, n]) => k + ": " + n).join(", ") + ")" : "0";
        answer.textContent = (data.dryRun ? t.importDryRun : "") + fill(t.importSummary, {
          imported: data.imported, already: data.alreadyThere, orphans: data.orphans, truncated: data.truncated, skipped,
        });
        refreshStats();
      } else {
        if (xhr.status === 401) signedOut(t.expired);
        answer.textContent = fill(t.importFailed, { detail: problemText(data) || String(xhr.status) });
      }
      say(answer.textContent);
    };
    xhr.onerror = () => {
      go.disabled = false;
      progress.hidden = true;
      answer.textContent = t.unreachable;
      say(answer.textContent);
    };
    xhr.send(file.files[0]);
  });
  // Plain links: a download is a GET the session cookie authorises, streamed by the server.
  const downloads = [["json", t.exportJson], ["wxr", t.exportWxr], ["disqus", t.exportDisqus]].map(([value, label]) =>
    h("li", {}, h("a", { href: API + "admin/export?format=" + value, download: "", "data-format": value }, label)));
  ui.dataView.replaceChildren(
    h("h2", { id: "data-h", tabindex: "-1" }, t.dataHeading),
    h("h3", { id: "import-h" }, t.importHeading), form,
    h("h3", {}, t.exportHeading), h("p", {}, t.exportIntro), h("ul", { class: "downloads" }, downloads),
    sessionsSection());
  file.focus();
}

// ---- Open sessions: where the console is signed in, and signing out everywhere ----------------
function sessionsSection() {
  const list = h("ul", { class: "sessions", "aria-labelledby": "sessions-h" });
  const answer = h("p", { class: "answer", role: "status" });
  const everywhere = h("button", { type: "button", class: "danger", id: "signout-everywhere", onclick: async () => {
    everywhere.disabled = true;
    try {
      await call("POST", "admin/sessions/signout");
      // This session ended too: back to the sign-in form, saying why.
      signedIn = false;
      csrf = "";
      showSignIn(t.signedOutEverywhere);
    } catch (e) {
      everywhere.disabled = false;
      answer.textContent = failureText(e);
      say(answer.textContent);
    }
  } }, t.signOutEverywhere);
  (async () => {
    try {
      const data = await call("GET", "admin/sessions");
      list.replaceChildren(...data.sessions.map((s) => h("li", { class: s.current ? "current" : "" }, [
        h("span", { class: "agent" }, s.userAgent || t.unknownBrowser),
        ...(s.current ? [" ", h("strong", {}, t.thisSession)] : []),
        h("br"),
        fill(t.sessionTimes, { created: when(s.createdAt), used: when(s.lastUsedAt) }),
      ])));
    } catch (e) {
      answer.textContent = failureText(e);
    }
  })();
  return h("section", { "aria-labelledby": "sessions-h" }, [
    h("h3", { id: "sessions-h" }, t.sessionsHeading), h("p", {}, t.sessionsIntro), list, h("p", {}, everywhere), answer,
  ]);
}

// ---- Keyboard ------------------------------------------------------------------------------
const KEYS = [["j", t.keyNext], ["k", t.keyPrevious], ["a", t.keyApprove], ["s", t.keySpam], ["d", t.keyDelete], ["r", t.keyReply],
  ["x", t.keySelect], ["o", t.keyContext], ["u", t.keyUndo], ["/", t.keySearch], ["?", t.keyHelp]];
function shortcutsDialog() {
  const dialog = h("dialog", { class: "dialog", "aria-labelledby": "keys-h" }, [
    h("h2", { id: "keys-h" }, t.shortcuts),
    h("dl", { class: "keys" }, KEYS.map(([key, label]) => [h("dt", {}, h("kbd", {}, key)), h("dd", {}, label)]).flat()),
    h("form", { method: "dialog" }, h("button", { type: "submit" }, t.close)),
  ]);
  return dialog;
}

document.addEventListener("keydown", (event) => {
  if (!signedIn || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
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

// A link to a comment followed while the console is open in this tab: no reload, the hash changes.
addEventListener("hashchange", async () => {
  const match = /^#(comment|reply)=([^&]+)/.exec(location.hash);
  if (!signedIn || !match) return;
  await flushAll();
  await openOne(decodeURIComponent(match[2]), match[1] === "reply");
});

start();
