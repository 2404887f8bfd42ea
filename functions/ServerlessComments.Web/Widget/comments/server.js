// The widget's two requests: a page of a thread, and a new comment.
import { api, views, readView } from "../api.js";

// 128 random bits as hex: an Idempotency-Key (crypto.randomUUID needs a secure context; this does not).
export const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

const fromApi = (thread, order, after, cache) =>
  fetch(new URL("comments?thread=" + encodeURIComponent(thread) + "&order=" + order + (after ? "&after=" + encodeURIComponent(after) : ""), api),
    { cache: cache || "default" }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));

// The view's folder: the thread key, as the API makes it (lowercase hex SHA-256 of the UTF-8 id).
export const keyOf = (thread) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(thread))
  .then((d) => Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join(""));

// A page of top-level comments with their replies; after: the cursor of the page before. A first
// page comes from the public views when there are some (a plain page view runs no function); a
// later page, a forced reload (watching a comment just sent) or any failure there goes to the API.
export const loadPage = (thread, order, after, cache) =>
  views && !after && !cache
    ? Promise.resolve(thread).then(keyOf).then((key) => readView(key + "/" + order + ".json"))
      .catch(() => fromApi(thread, order, after, cache))
    : fromApi(thread, order, after, cache);

// A lost answer or a server error is tried again, twice, with the same key: the server
// answers the id of the comment it stored, never a second comment.
export async function postComment({ body, key }) {
  for (let wait = 500; ; wait *= 3) {
    try {
      const answer = await fetch(new URL("comments", api), {
        method: "POST", body,
        headers: { "Content-Type": "application/json", "Idempotency-Key": '"' + key + '"' },
      });
      if (answer.status < 500 || wait > 1500) return answer;
    } catch (failure) {
      if (wait > 1500) throw failure;
    }
    await new Promise((done) => setTimeout(done, wait));
  }
}
