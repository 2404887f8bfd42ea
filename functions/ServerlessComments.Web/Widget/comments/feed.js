// The thread's Atom feed, linked beside its heading for readers who follow comments in a feed reader.
import { h } from "../dom.js";
import { api } from "../api.js";

export const feedLink = (w) =>
  h("a", { class: "sc-fd", type: "application/atom+xml", href: new URL("feeds/thread.atom?thread=" + encodeURIComponent(w.thread), api).href }, w.t.feed);
