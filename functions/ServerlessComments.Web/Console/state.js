// What the console shows now, shared by its views: the open view and its filters, the list's
// entries in the order shown, the keyboard's cursor, the counts, and the page's fixed elements (ui).
export const STATUSES = ["pending", "spam", "published", "all"];

export const state = {
  view: "pending", // a status, "one" (a comment from a link), "lists" or "data"
  q: "",
  thread: "",
  entries: [], // { comment, el, check, ... } in the order shown
  next: null,
  cursor: -1,
  stats: { pending: 0, spam: 0, published: 0 },
};
export const byId = new Map();
export const ui = {};
