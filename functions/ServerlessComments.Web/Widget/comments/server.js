// The widget's two requests: a page of a thread, and a new comment.
import { api } from "../api.js";

// 128 random bits as hex: an Idempotency-Key (crypto.randomUUID needs a secure context; this does not).
export const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

// A page of top-level comments with their replies; after: the cursor of the page before.
export const loadPage = (thread, order, after, cache) =>
  fetch(new URL("comments?thread=" + encodeURIComponent(thread) + "&order=" + order + (after ? "&after=" + encodeURIComponent(after) : ""), api),
    { cache: cache || "default" }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));

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
