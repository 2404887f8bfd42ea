// The thread: comments and their replies as nested lists, a page at a time.
import { h, webLink } from "../dom.js";
import { fill } from "../language.js";
import { avatar } from "./avatar.js";
import { formatted } from "./markdown.js";

export function createThread(w) {
  const { id, t } = w;
  const dates = new Intl.DateTimeFormat(w.lang.locale, { dateStyle: "long", timeStyle: "short" });
  // id → { li, article, replies, page }
  const byId = new Map();
  const list = h("ol", { class: "sc-list" });
  const more = h("button", { type: "button", class: "sc-more", hidden: true }, t.more);
  let next = null;

  function repliesOf(entry) {
    if (!entry.replies) entry.li.append((entry.replies = h("ol", { class: "sc-list" })));
    return entry.replies;
  }

  // The form decides what a reply opens (w.openReply); the thread only offers the button.
  function replyButton(comment, entry) {
    const button = h("button", { type: "button", class: "sc-r", "aria-expanded": "false", "aria-controls": id + "-f" }, t.reply);
    button.addEventListener("click", () => w.openReply(comment, entry, button));
    return button;
  }

  // page: the cursor that loaded the comment's top-level comment (null: the first page), so
  // that watching a new reply looks again at the page that holds it.
  function render(comment, pending, page) {
    const site = comment.website && webLink(comment.website);
    const when = new Date(comment.createdAt);
    const article = h("article", { id: "comment-" + comment.id, class: "sc-c", tabindex: "-1" }, [
      h("header", {}, [
        avatar(comment),
        // Isolated (<bdi>): a right-to-left or oddly written name never reorders the date beside it.
        site ? h("a", { href: site, rel: "nofollow ugc noopener", class: "sc-a" }, h("bdi", {}, comment.author)) : h("b", { class: "sc-a" }, h("bdi", {}, comment.author)),
        // The blog owner's own comments say so, as WordPress marks the post author's.
        comment.byOwner ? [" ", h("span", { class: "sc-o" }, t.owner)] : null,
        " ",
        h("time", { datetime: when.toISOString() }, dates.format(when)),
        // Changed by the owner since (a typo, a broken link): the thread says so.
        comment.editedAt ? [" ", h("span", { class: "sc-ed" }, t.edited)] : null,
        // Deeper than the thread nests: shown at the deepest level, saying whom it answers.
        comment.inReplyTo ? [" ", h("a", { href: "#comment-" + comment.parentId, class: "sc-to" }, fill(t.inReplyTo, { name: comment.inReplyTo }))] : null,
      ].flat()),
      pending ? h("p", { class: "sc-p" }, t.pending) : null,
      h("div", { class: "sc-b" }, formatted(comment) || comment.body),
    ]);
    const entry = { li: h("li", {}, article), article, replies: null, page };
    if (!pending) article.append(replyButton(comment, entry));
    // What other concerns add to a comment (its author's edit buttons, its like), in turn.
    for (const decorate of w.decorators) decorate(comment, entry, pending);
    byId.set(comment.id, entry);
    for (const reply of comment.replies || []) repliesOf(entry).append(render(reply, false, page));
    return entry.li;
  }

  // Appends a page; returns its first comment's article.
  function show(answer, page) {
    const first = answer.comments.length ? render(answer.comments[0], false, page) : null;
    if (first) list.append(first);
    for (const comment of answer.comments.slice(1)) list.append(render(comment, false, page));
    next = answer.next;
    more.hidden = !next;
    w.showCount(answer.count);
    if (w.arrange) w.arrange();
    return first && first.firstChild;
  }

  more.addEventListener("click", async () => {
    if (w.busy || !next) return;
    w.busy = true;
    more.setAttribute("aria-busy", "true");
    const page = next;
    try {
      const first = show(await w.load(page), page);
      // Keyboard and screen-reader users land on what was just loaded.
      if (first) first.focus();
    } catch {
      w.say(t.moreFailed);
    } finally {
      w.busy = false;
      more.removeAttribute("aria-busy");
    }
  });

  // Loads the next pages, one request at a time, until a comment is shown (a link to it from an
  // email or a feed, the owner's pinned comment), at most `pages` of them; its entry, or undefined.
  let reaching = Promise.resolve();
  function reach(commentId, pages = 10) {
    const walk = async () => {
      for (let n = 0; !byId.has(commentId) && next && n < pages; n++) {
        while (w.busy) await new Promise((resolve) => setTimeout(resolve, 50));
        w.busy = true;
        try {
          const page = next;
          show(await w.load(page), page);
        } catch {
          break;
        } finally {
          w.busy = false;
        }
      }
      return byId.get(commentId);
    };
    return (reaching = reaching.then(walk, walk));
  }

  return { list, more, byId, render, repliesOf, replyButton, show, reach };
}
