// A comment just sent shows at once, "awaiting moderation", and is watched until it is
// published: the page that will hold it is asked for again, less and less often.
export function watch(w, thread, comment, where, delays) {
  if (!delays.length) return;
  setTimeout(async () => {
    try {
      const answer = await w.load(where.page, where.order, "no-cache");
      if (contains(answer.comments, comment.id)) return published(w, thread, comment, answer.count);
    } catch { /* try again later */ }
    watch(w, thread, comment, where, delays.slice(1));
  }, delays[0] * 1000);
}

function contains(comments, commentId) {
  return comments.some((c) => c.id === commentId || contains(c.replies || [], commentId));
}

function published(w, thread, comment, total) {
  const entry = thread.byId.get(comment.id);
  entry.article.querySelector(".sc-p")?.remove();
  entry.article.append(thread.replyButton(comment, entry));
  w.showCount(total);
  w.say(w.t.published);
}
