// The comment widget: <div data-comments data-thread="/my-post/"></div> plus this script.
// Safe by construction: every reader-supplied text enters the page as a text node (append with
// a string, textContent), attributes are set one by one, and a website becomes a link only
// when it is http or https. No string is ever parsed as HTML.
const SAVED = "serverless-comments:author";
const FIELDS = ["body", "author", "email", "website"];
let widgets = 0;
// 128 random bits as hex: an Idempotency-Key (crypto.randomUUID needs a secure context; this does not).
const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

function mount(root) {
  const id = "sc" + ++widgets;
  const lang = languageOf(root);
  const t = lang.t;
  const thread = root.dataset.thread || location.pathname;
  // Top-level comments come a page at a time, oldest first unless data-order="newest".
  const order = root.dataset.order === "newest" ? "newest" : "oldest";
  const dates = new Intl.DateTimeFormat(lang.locale, { dateStyle: "long", timeStyle: "short" });
  const byId = new Map();
  let parentId = null;
  let opener = null;
  let busy = false;
  // The submission being sent and its Idempotency-Key, kept until it is answered 202, so that
  // every retry of it (automatic, or the reader's after an error) is the same comment.
  let attempt = null;

  const heading = h("h2", { id: id + "-h", class: "sc-h" }, t.loading);
  const list = h("ol", { class: "sc-list" });
  const more = h("button", { type: "button", class: "sc-more", hidden: true }, t.more);
  let next = null;
  const status = h("p", { class: "sc-s", role: "status", "aria-live": "polite" });
  const say = (text) => { status.textContent = text; };

  // One form, moved under a comment to reply to it (as WordPress does) and back.
  const inputs = {};
  const errors = {};
  function field(name, control, required) {
    control.id = id + "-" + name;
    control.name = name;
    if (required) control.required = true;
    inputs[name] = control;
    errors[name] = h("span", { id: control.id + "-e", class: "sc-e" });
    return h("p", { class: "sc-fld" }, [
      h("label", { for: control.id }, [t[name], required ? h("span", { "aria-hidden": "true" }, " *") : null]),
      control,
      errors[name],
    ]);
  }
  function checkbox(name, label) {
    inputs[name] = h("input", { type: "checkbox", id: id + "-" + name, name });
    return h("p", { class: "sc-chk" }, [inputs[name], " ", h("label", { for: id + "-" + name }, label)]);
  }
  const homeHeading = root.dataset.formHeading || t.formHeading;
  const formHeading = h("h3", { id: id + "-fh" }, homeHeading);
  const submit = h("button", { type: "submit" }, t.submit);
  const cancel = h("button", { type: "button", class: "sc-x", hidden: true }, t.cancelReply);
  const form = h("form", { id: id + "-f", class: "sc-f", novalidate: true, "aria-labelledby": id + "-fh" }, [
    formHeading,
    h("p", { class: "sc-n" }, t.emailNotice),
    field("body", h("textarea", { rows: 6, maxlength: 10000 }), true),
    field("author", h("input", { type: "text", autocomplete: "name", maxlength: 80 }), true),
    field("email", h("input", { type: "email", autocomplete: "email", maxlength: 254 }), true),
    field("website", h("input", { type: "url", autocomplete: "url", maxlength: 2000 }), false),
    // The honeypot: off-screen, out of the tab order and hidden from screen readers; bots fill it.
    h("p", { class: "sc-hp", "aria-hidden": "true" }, [
      h("label", { for: id + "-hp" }, t.honeypot),
      h("input", { type: "text", id: id + "-hp", name: "hp", tabindex: "-1", autocomplete: "off" }),
    ]),
    checkbox("notify", t.notify),
    checkbox("remember", t.remember),
    h("p", { class: "sc-n" }, fill(t.spamNotice, { days: SETTINGS.retentionDays })),
    h("p", { class: "sc-act" }, [submit, " ", cancel]),
  ]);
  const home = h("div", { class: "sc-home" }, form);

  try {
    const saved = JSON.parse(localStorage.getItem(SAVED) || "null");
    if (saved) {
      for (const name of ["author", "email", "website"]) inputs[name].value = saved[name] || "";
      inputs.remember.checked = true;
    }
  } catch { /* storage blocked or corrupt: start empty */ }

  const showCount = (count) => { heading.textContent = countText(lang, count); };

  function repliesOf(entry) {
    if (!entry.replies) entry.li.append((entry.replies = h("ol", { class: "sc-list" })));
    return entry.replies;
  }

  function replyButton(comment, entry) {
    const button = h("button", { type: "button", class: "sc-r", "aria-expanded": "false", "aria-controls": id + "-f" }, t.reply);
    button.addEventListener("click", () => openReply(comment, entry, button));
    return button;
  }

  // page: the cursor that loaded the comment's top-level comment (null: the first page), so
  // that watching a new reply looks again at the page that holds it.
  function render(comment, pending, page) {
    const site = comment.website && webLink(comment.website);
    const when = new Date(comment.createdAt);
    const article = h("article", { id: "comment-" + comment.id, class: "sc-c", tabindex: "-1" }, [
      h("header", {}, [
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
      h("div", { class: "sc-b" }, comment.body),
    ]);
    const entry = { li: h("li", {}, article), article, replies: null, page };
    if (!pending) article.append(replyButton(comment, entry));
    byId.set(comment.id, entry);
    for (const reply of comment.replies || []) repliesOf(entry).append(render(reply, false, page));
    return entry.li;
  }

  function openReply(comment, entry, button) {
    closeReply(false);
    parentId = comment.id;
    opener = button;
    button.setAttribute("aria-expanded", "true");
    formHeading.textContent = fill(t.replyTo, { name: comment.author });
    cancel.hidden = false;
    entry.article.after(form);
    inputs.body.focus();
  }

  function closeReply(refocus) {
    if (opener) opener.setAttribute("aria-expanded", "false");
    if (refocus && opener) opener.focus();
    parentId = null;
    opener = null;
    formHeading.textContent = homeHeading;
    cancel.hidden = true;
    home.append(form);
  }
  cancel.addEventListener("click", () => closeReply(true));

  function showError(name, message) {
    errors[name].textContent = message;
    inputs[name].setAttribute("aria-invalid", "true");
    inputs[name].setAttribute("aria-describedby", errors[name].id);
  }
  function clearErrors() {
    for (const name of FIELDS) {
      errors[name].textContent = "";
      inputs[name].removeAttribute("aria-invalid");
      inputs[name].removeAttribute("aria-describedby");
    }
  }
  function fieldErrors(found) {
    const first = FIELDS.find((name) => found[name]);
    for (const name of FIELDS) if (found[name]) showError(name, found[name]);
    say(t.fix);
    inputs[first].focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    const value = {};
    for (const name of FIELDS) value[name] = inputs[name].value.trim();
    const missing = {};
    for (const name of ["body", "author", "email"]) if (!value[name]) missing[name] = t.required;
    if (Object.keys(missing).length) return fieldErrors(missing);

    try {
      if (inputs.remember.checked) localStorage.setItem(SAVED, JSON.stringify({ author: value.author, email: value.email, website: value.website }));
      else localStorage.removeItem(SAVED);
    } catch { /* storage blocked: nothing to save */ }

    busy = true;
    form.setAttribute("aria-busy", "true");
    say(t.sending);
    const replyingTo = parentId;
    const body = JSON.stringify({
      thread, parentId: replyingTo, pageUrl: location.href, pageTitle: document.title,
      author: value.author, email: value.email, website: value.website || null, body: value.body,
      notifyOnReply: inputs.notify.checked, hp: form.elements.hp.value, lang: lang.locale,
    });
    if (!attempt || attempt.body !== body) attempt = { body, key: newKey() };
    try {
      const answer = await send(attempt);
      const problem = await answer.json().catch(() => ({}));
      if (answer.status === 202) {
        attempt = null;
        return posted(problem.id, value, replyingTo);
      }
      if (answer.status === 429)
        return say(fill(t.tooFast, { s: problem.retryAfter || answer.headers.get("Retry-After") || 60 }));
      if (answer.status === 409) return say(t.duplicate);
      const found = {};
      for (const [name, messages] of Object.entries(problem.errors || {}))
        if (FIELDS.includes(name)) found[name] = [].concat(messages).join(" ");
      if (Object.keys(found).length) return fieldErrors(found);
      say(answer.status < 500 && problem.errors ? Object.values(problem.errors).flat().join(" ") : t.failed);
    } catch {
      say(t.failed);
    } finally {
      busy = false;
      form.removeAttribute("aria-busy");
    }
  });

  // A lost answer or a server error is tried again, twice, with the same key: the server
  // answers the id of the comment it stored, never a second comment.
  async function send({ body, key }) {
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

  // Shown at once, marked "awaiting moderation", then watched until it is published.
  function posted(commentId, value, replyingTo) {
    const comment = { id: commentId, author: value.author, website: value.website, body: value.body, createdAt: new Date().toISOString() };
    const parent = replyingTo && byId.get(replyingTo);
    const li = render(comment, true, parent ? parent.page : null);
    (parent ? repliesOf(parent) : list).append(li);
    inputs.body.value = "";
    closeReply(false);
    say(t.sent);
    byId.get(commentId).article.focus();
    // A new top-level comment is on the first page newest first; a reply, on its parent's page.
    watch(comment, parent ? { page: parent.page, order } : { page: null, order: "newest" }, [1, 2, 4, 8, 15, 30, 60]);
  }

  function watch(comment, where, delays) {
    if (!delays.length) return;
    setTimeout(async () => {
      try {
        const answer = await load(where.page, where.order, "no-cache");
        if (contains(answer.comments, comment.id)) return published(comment, answer.count);
      } catch { /* try again later */ }
      watch(comment, where, delays.slice(1));
    }, delays[0] * 1000);
  }

  function contains(comments, commentId) {
    return comments.some((c) => c.id === commentId || contains(c.replies || [], commentId));
  }

  function published(comment, total) {
    const entry = byId.get(comment.id);
    entry.article.querySelector(".sc-p")?.remove();
    entry.article.append(replyButton(comment, entry));
    showCount(total);
    say(t.published);
  }

  const load = (after, inOrder, cache) =>
    fetch(new URL("comments?thread=" + encodeURIComponent(thread) + "&order=" + (inOrder || order) + (after ? "&after=" + encodeURIComponent(after) : ""), api),
      { cache: cache || "default" }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));

  // Appends a page; returns its first comment's article.
  function show(answer, page) {
    const first = answer.comments.length ? render(answer.comments[0], false, page) : null;
    if (first) list.append(first);
    for (const comment of answer.comments.slice(1)) list.append(render(comment, false, page));
    next = answer.next;
    more.hidden = !next;
    showCount(answer.count);
    return first && first.firstChild;
  }

  more.addEventListener("click", async () => {
    if (busy || !next) return;
    busy = true;
    more.setAttribute("aria-busy", "true");
    const page = next;
    try {
      const first = show(await load(page), page);
      // Keyboard and screen-reader users land on what was just loaded.
      if (first) first.focus();
    } catch {
      say(t.moreFailed);
    } finally {
      busy = false;
      more.removeAttribute("aria-busy");
    }
  });

  root.append(h("section", { class: "sc", "aria-labelledby": id + "-h" }, [heading, list, more, status, home]));
  load()
    .then((answer) => {
      show(answer, null);
      // A link to #comment-… (from an email) lands on its comment once it exists.
      const target = location.hash.startsWith("#comment-") && document.getElementById(location.hash.slice(1));
      if (target) target.scrollIntoView();
    })
    .catch(() => {
      heading.textContent = t.loadFailed;
    });
}

// The style sheet comes from the same place as the script; a page may override any rule.
if (!document.querySelector("link[data-comments-css]"))
  document.head.append(h("link", { rel: "stylesheet", href: new URL("widget/comments.css", api).href, "data-comments-css": true }));

for (const root of document.querySelectorAll("[data-comments]")) {
  if (root.dataset.commentsReady) continue;
  root.dataset.commentsReady = "true";
  mount(root);
}
