// One widget on the page: its heading, thread, status line and form, sharing one small state
// object (w) that the thread, the form and the watch read.
import { h } from "../dom.js";
import { countText, languageOf } from "../language.js";
import { loadPage } from "./server.js";
import { createThread } from "./thread.js";
import { createForm } from "./form.js";
import { createMyData } from "./mydata.js";
import { feedLink } from "./feed.js";
import { createReactions } from "./reactions.js";
import { createEdit } from "./edit.js";

let widgets = 0;

export function mount(root) {
  const id = "sc" + ++widgets;
  const lang = languageOf(root);
  const t = lang.t;
  const w = {
    id, lang, t,
    thread: root.dataset.thread || location.pathname,
    // Top-level comments come a page at a time, oldest first unless data-order="newest".
    order: root.dataset.order === "newest" ? "newest" : "oldest",
    // One request at a time: a comment being sent, or the next page.
    busy: false,
    heading: h("h2", { id: id + "-h", class: "sc-h" }, t.loading),
    status: h("p", { class: "sc-s", role: "status", "aria-live": "polite" }),
    // What each concern adds to a comment the thread draws: (comment, entry, pending) => void.
    decorators: [],
  };
  w.say = (text) => { w.status.textContent = text; };
  w.showCount = (count) => { w.heading.textContent = countText(lang, count); };
  w.load = (after, order, cache) => loadPage(w.thread, order || w.order, after, cache);

  createEdit(w);
  const thread = createThread(w);
  const reactions = createReactions(w, thread);
  const form = createForm(w, thread, root.dataset.formHeading || t.formHeading);
  root.append(h("section", { class: "sc", "aria-labelledby": id + "-h" }, [w.heading, feedLink(w), reactions.bar, thread.list, thread.more, w.status, form.home, createMyData(w)]));
  w.load()
    .then((answer) => {
      thread.show(answer, null);
      reactions.load();
      // A link to #comment-… (from an email or a feed) lands on its comment, on whichever page it is.
      if (location.hash.startsWith("#comment-"))
        thread.reach(location.hash.slice(9)).then((entry) => {
          if (entry) {
            entry.article.scrollIntoView();
            entry.article.focus({ preventScroll: true });
          }
        });
    })
    .catch(() => {
      w.heading.textContent = t.loadFailed;
    });
}
