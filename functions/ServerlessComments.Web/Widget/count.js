// Comment counts for index pages: <a href="/my-post/#comments" data-comment-count></a> gets
// "8 Comments". The thread is data-thread, else the link's path. With public views, one read of
// counts.json (it lists every thread with a published comment); else, or if that read fails,
// one API request per 50 threads.
import { api, views, readView } from "./api.js";
import { countText, languageOf } from "./language.js";

const links = [...document.querySelectorAll("[data-comment-count]")];
const threadOf = (el) => el.dataset.thread || new URL(el.getAttribute("href") || location.href, location.href).pathname;
const threads = [...new Set(links.map(threadOf))];

// counts: thread → count, for some threads; every link of those threads gets its text.
function show(counts, all) {
  for (const el of links) {
    const n = all ? counts[threadOf(el)] || 0 : counts[threadOf(el)];
    if (typeof n === "number") el.textContent = countText(languageOf(el), n);
  }
}

function fromApi() {
  for (let i = 0; i < threads.length; i += 50) {
    const query = threads.slice(i, i + 50).map((t) => "thread=" + encodeURIComponent(t)).join("&");
    fetch(new URL("comments/count?" + query, api))
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((answer) => show(answer.counts, false))
      .catch(() => { /* counts are decoration: leave the links as they are */ });
  }
}

if (threads.length) {
  if (views) readView("counts.json").then((doc) => show(doc.threads, true)).catch(fromApi);
  else fromApi();
}
