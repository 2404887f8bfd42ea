// The signed-in console's layout: the tabs with their counts, the search, the list's toolbar,
// and the three views (a list of comments, the owner's lists, import and export).
import { h } from "../Widget/dom.js";
import { baseTitle, fill, locale, t } from "./i18n.js";
import { auth, call } from "./server.js";
import { live, root, toasts } from "./frame.js";
import { STATUSES, state, ui } from "./state.js";
import { loadMore, selectedEntries, selectionChanged, showList } from "./list.js";
import { act, confirmEmpty } from "./decisions.js";
import { showLists } from "./lists.js";
import { showData } from "./data.js";
import { shortcutsDialog } from "./keyboard.js";
import { signOut } from "./session.js";

export function buildConsole(session) {
  root.replaceChildren();
  const tabs = {};
  for (const view of [...STATUSES, "lists", "data"]) {
    tabs[view] = h("button", { type: "button", class: "tab", "data-view": view,
      onclick: () => (view === "lists" ? showLists() : view === "data" ? showData() : showList(view)) }, t[view]);
  }
  ui.tabs = tabs;
  ui.heading = h("h2", { id: "list-h", tabindex: "-1" });
  ui.list = h("ol", { class: "comments", "aria-labelledby": "list-h" });
  ui.more = h("button", { type: "button", class: "more", hidden: true, onclick: () => loadMore() }, t.more);
  ui.back = h("button", { type: "button", class: "quiet", hidden: true, onclick: () => showList("pending") }, t.backToList);
  ui.listView = h("section", { class: "view", "aria-labelledby": "list-h" }, [searchForm(), ui.heading, ui.back, toolbar(), ui.list, ui.more]);
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
        " ", h("button", { type: "button", class: "quiet", onclick: signOut }, t.signOut),
      ]),
    ]),
    h("main", {}, [ui.listView, ui.listsView, ui.dataView]),
    live, toasts, ui.shortcuts, ui.confirm,
  );
  root.removeAttribute("aria-busy");
  refreshStats();
}

function searchForm() {
  ui.q = h("input", { type: "search", name: "q", id: "q", autocomplete: "off", maxlength: 200 });
  ui.thread = h("input", { type: "text", name: "thread", id: "thread", autocomplete: "off", maxlength: 2000 });
  return h("form", { role: "search", class: "search", onsubmit: (event) => {
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
}

// Select all, the count selected, the decisions for the selection, and emptying the spam folder.
function toolbar() {
  ui.selectAll = h("input", { type: "checkbox", id: "select-all", onchange: () => {
    for (const entry of state.entries) entry.check.checked = ui.selectAll.checked;
    selectionChanged();
  } });
  ui.selectedCount = h("span", { class: "count", id: "selected-count" });
  ui.bulk = {};
  const bulkButtons = [["approve", t.approve], ["spam", t.markSpam], ["ham", t.ham], ["delete", t.delete]].map(([action, label]) =>
    (ui.bulk[action] = h("button", { type: "button", "data-action": action, "aria-describedby": "selected-count", onclick: () => act(selectedEntries(), action) }, label)));
  ui.emptySpam = h("button", { type: "button", class: "danger", onclick: () => confirmEmpty() }, t.emptySpam);
  return (ui.toolbar = h("div", { class: "toolbar", role: "group", "aria-label": t.bulkActions }, [
    h("p", { class: "check" }, [ui.selectAll, h("label", { for: "select-all" }, t.selectAll)]),
    ui.selectedCount, ...bulkButtons, ui.emptySpam,
  ]));
}

// One view shown, its tab marked (none for a comment opened from a link); a list's address
// drops the #comment=… it may have been opened with.
export function showView(view, tab) {
  state.view = view;
  markTab(tab);
  ui.listView.hidden = view === "lists" || view === "data";
  ui.listsView.hidden = view !== "lists";
  ui.dataView.hidden = view !== "data";
  if (view !== "one" && location.hash) history.replaceState(null, "", location.pathname + location.search);
}

function markTab(view) {
  for (const [name, tab] of Object.entries(ui.tabs)) {
    if (name === view) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
}

// The held comments' count in the page's title, every status's in its tab.
function showCounts() {
  const held = state.stats.pending || 0;
  document.title = held ? fill(t.titleCount, { n: held.toLocaleString(locale), title: baseTitle }) : baseTitle;
  for (const status of ["pending", "spam", "published"]) {
    const n = state.stats[status] || 0;
    ui.tabs[status].textContent = fill(t.tabCount, { label: t[status], n: n.toLocaleString(locale) });
  }
}
export async function refreshStats() {
  try {
    state.stats = await call("GET", "admin/stats");
    showCounts();
  } catch { /* counts stay as they were */ }
}
export function moveCount(from, to, n) {
  if (from && from in state.stats) state.stats[from] = Math.max(0, state.stats[from] - n);
  if (to && to in state.stats) state.stats[to] += n;
  showCounts();
}

// New held comments arrive while the console is open: the counts in the title and tabs follow.
export function followCounts() {
  setInterval(() => { if (auth.signedIn && !document.hidden) refreshStats(); }, 60 * 1000);
  document.addEventListener("visibilitychange", () => { if (auth.signedIn && !document.hidden) refreshStats(); });
}
