// Reactions and order: a like (♥) on each comment, the page's row of emoji, the thread's order
// (oldest, newest, most liked) and the owner's pinned comment first. The reader is a random id
// kept in localStorage (never a cookie); so are the reactions it gave, so a reload shows them pressed.
/* global SETTINGS */
import { h } from "../dom.js";
import { fill } from "../language.js";
import { api, views, readView } from "../api.js";
import { newKey, keyOf } from "./server.js";

const stored = (key) => { try { return localStorage.getItem(key); } catch { return null; } };
const keep = (key, value) => { try { localStorage.setItem(key, value); } catch { /* private mode: this page only */ } };

export function createReactions(w, thread) {
  const { t } = w;
  const emoji = SETTINGS.reactions; // absent: the owner turned reactions off
  const reader = stored("sc-reader") || newKey();
  keep("sc-reader", reader);
  const mineKey = "sc-mine:" + w.thread;
  const mine = new Set(JSON.parse(stored(mineKey) || "[]"));
  let counts = { likes: {}, page: {}, pinned: null };
  let liked = false; // the "most liked" order is on
  const buttons = new Map(); // target → [button, count]

  const countOf = (target) => (target[0] === "c" ? counts.likes[target.slice(2)] : counts.page[target.slice(2)]) || 0;

  function paint(target) {
    const [button, n] = buttons.get(target);
    button.setAttribute("aria-pressed", mine.has(target));
    n.textContent = countOf(target);
    if (target[0] === "c") button.setAttribute("title", fill(t.likeLabel, { n: countOf(target) }));
  }

  // One press: shown at once, sent, then the server's count (or undone, saying why).
  async function toggle(target) {
    const add = !mine.has(target);
    const set = (on, n) => {
      if (on) mine.add(target); else mine.delete(target);
      (target[0] === "c" ? counts.likes : counts.page)[target.slice(2)] = n;
      paint(target);
    };
    const before = countOf(target);
    set(add, before + (add ? 1 : -1));
    try {
      const answer = await fetch(new URL("reactions", api), {
        method: add ? "POST" : "DELETE",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ thread: w.thread, reader, [target[0] === "c" ? "comment" : "emoji"]: target.slice(2) }),
      });
      if (!answer.ok) throw answer.status;
      set(add, (await answer.json()).count);
      keep(mineKey, JSON.stringify([...mine]));
    } catch {
      set(!add, before);
      w.say(t.reactFailed);
    }
  }

  function button(target, cls, label) {
    const n = h("span", {}, "0");
    const b = h("button", { type: "button", class: cls, "aria-pressed": "false", onclick: () => toggle(target) }, [label, " ", n]);
    buttons.set(target, [b, n]);
    paint(target);
    return b;
  }

  // The thread calls this for each comment it shows. A like is named by what it shows ("♥ 3"),
  // so seen and said agree; its title says it in words ("Like (3)").
  w.decorators.push((comment, entry, pending) => {
    if (emoji && !pending && !comment.deleted) entry.article.append(" ", button("c:" + comment.id, "sc-like", "♥"));
  });

  // Pinned first, then the chosen order among the comments on the page (most liked: a stable sort
  // of what is loaded, so ties keep their order).
  w.arrange = () => {
    const items = [...thread.list.children];
    const id = (li) => li.firstChild.id.slice(8);
    if (liked) items.sort((a, b) => (counts.likes[id(b)] || 0) - (counts.likes[id(a)] || 0));
    for (const old of thread.list.querySelectorAll(".sc-pin")) old.remove();
    const pinned = thread.byId.get(counts.pinned);
    if (pinned && pinned.li.parentNode === thread.list) {
      items.splice(items.indexOf(pinned.li), 1);
      items.unshift(pinned.li);
      pinned.article.firstChild.append(" ", h("span", { class: "sc-o sc-pin" }, t.pinned));
    }
    // Moving a node takes the focus off it: a keyboard or screen-reader user keeps their place.
    const focused = thread.list.contains(document.activeElement) ? document.activeElement : null;
    thread.list.append(...items);
    if (focused && document.activeElement !== focused) focused.focus({ preventScroll: true });
  };

  // The pinned comment comes first even when it is on a later page: those pages load first.
  const reachPinned = () => (counts.pinned && !thread.byId.has(counts.pinned) ? thread.reach(counts.pinned) : Promise.resolve());

  const orders = emoji ? ["oldest", "newest", "liked"] : ["oldest", "newest"];
  const sorts = orders.map((order) => h("button", {
    type: "button", class: "sc-sort", "aria-pressed": order === w.order, onclick: () => sort(order),
  }, t[order === "liked" ? "mostLiked" : order]));

  async function sort(order) {
    if (w.busy) return;
    sorts.forEach((b, i) => b.setAttribute("aria-pressed", orders[i] === order));
    liked = order === "liked";
    if (!liked && order !== w.order) {
      w.busy = true;
      try {
        const answer = await w.load(null, order);
        w.order = order;
        thread.list.replaceChildren();
        thread.byId.clear();
        thread.show(answer, null);
      } catch {
        w.say(t.moreFailed);
      } finally {
        w.busy = false;
      }
      await reachPinned();
    }
    w.arrange();
  }

  const bar = h("div", { class: "sc-bar" }, [
    emoji && emoji.length ? h("div", { role: "group", "aria-label": t.pageReactions, class: "sc-rx" }, emoji.map((e) => button("p:" + e, "sc-like", e))) : null,
    h("div", { role: "group", "aria-label": t.order, class: "sc-rx" }, sorts),
  ]);

  // The counts, from the public views when there are some, else the API; the page works without them.
  const fromApi = () => fetch(new URL("reactions?thread=" + encodeURIComponent(w.thread), api)).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  // A thread nobody reacted to has no reactions.json: a 404 there means none, not "ask the API",
  // so a page view with public views still runs no function.
  const load = () => (views ? keyOf(w.thread).then((key) => readView(key + "/reactions.json")).catch((e) => (e === 404 ? {} : fromApi())) : fromApi())
    .then((c) => {
      counts = { likes: c.likes || {}, page: c.page || {}, pinned: c.pinned };
      for (const target of buttons.keys()) paint(target);
      w.arrange();
      return reachPinned().then(w.arrange);
    }, () => {});

  return { bar, load };
}
