// Comment counts for index pages: <a href="/my-post/#comments" data-comment-count></a> gets
// "8 Comments". The thread is data-thread, else the link's path. One request per 50 threads.
import { api } from "./api.js";
import { countText, languageOf } from "./language.js";

const links = [...document.querySelectorAll("[data-comment-count]")];
const threadOf = (el) => el.dataset.thread || new URL(el.getAttribute("href") || location.href, location.href).pathname;
const threads = [...new Set(links.map(threadOf))];
for (let i = 0; i < threads.length; i += 50) {
  const query = threads.slice(i, i + 50).map((t) => "thread=" + encodeURIComponent(t)).join("&");
  fetch(new URL("comments/count?" + query, api))
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
    .then((answer) => {
      for (const el of links) {
        const n = answer.counts[threadOf(el)];
        if (typeof n === "number") el.textContent = countText(languageOf(el), n);
      }
    })
    .catch(() => { /* counts are decoration: leave the links as they are */ });
}
