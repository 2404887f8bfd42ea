// The comment form: one form, moved under a comment to reply to it (as WordPress does) and back.
// SETTINGS, like STRINGS, comes from the server's wrapper (WidgetAssets): what the privacy
// notice says (how long an IP address is kept) follows the backend's settings.
/* global SETTINGS */
import { h } from "../dom.js";
import { fill } from "../language.js";
import { newKey, postComment } from "./server.js";
import { challenger, withProof } from "./challenge.js";
import { preview } from "./preview.js";
import { watch } from "./watch.js";

const SAVED = "serverless-comments:author";
const FIELDS = ["body", "author", "email", "website"];

export function createForm(w, thread, homeHeading) {
  const { id, t } = w;
  let parentId = null;
  let opener = null;
  // The submission being sent and its Idempotency-Key, kept until it is answered 202, so that
  // every retry of it (automatic, or the reader's after an error) is the same comment.
  let attempt = null;

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
  const formHeading = h("h3", { id: id + "-fh" }, homeHeading);
  const submit = h("button", { type: "submit" }, t.submit);
  const cancel = h("button", { type: "button", class: "sc-x", hidden: true }, t.cancelReply);
  const form = h("form", { id: id + "-f", class: "sc-f", novalidate: true, "aria-labelledby": id + "-fh" }, [
    formHeading,
    h("p", { class: "sc-n" }, t.emailNotice),
    field("body", h("textarea", { rows: 6, maxlength: 10000 }), true),
    preview(w, inputs.body),
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
  const takeProof = challenger(form);

  try {
    const saved = JSON.parse(localStorage.getItem(SAVED) || "null");
    if (saved) {
      for (const name of ["author", "email", "website"]) inputs[name].value = saved[name] || "";
      inputs.remember.checked = true;
    }
  } catch { /* storage blocked or corrupt: start empty */ }

  w.openReply = (comment, entry, button) => {
    closeReply(false);
    parentId = comment.id;
    opener = button;
    button.setAttribute("aria-expanded", "true");
    formHeading.textContent = fill(t.replyTo, { name: comment.author });
    cancel.hidden = false;
    entry.article.after(form);
    inputs.body.focus();
  };

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
    w.say(t.fix);
    inputs[first].focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (w.busy) return;
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

    w.busy = true;
    form.setAttribute("aria-busy", "true");
    w.say(t.sending);
    const replyingTo = parentId;
    const body = JSON.stringify({
      thread: w.thread, parentId: replyingTo, pageUrl: location.href, pageTitle: document.title,
      author: value.author, email: value.email, website: value.website || null, body: value.body,
      notifyOnReply: inputs.notify.checked, hp: form.elements.hp.value, lang: w.lang.locale,
    });
    if (!attempt || attempt.form !== body) attempt = { form: body, key: newKey() };
    try {
      let answer, problem;
      // A proof refused (expired, already spent) is replaced once, unseen; any answer but 202 spent it.
      for (let tries = 0; tries < 2; tries++) {
        attempt.body = attempt.body || withProof(body, await takeProof());
        answer = await postComment(attempt);
        problem = await answer.json().catch(() => ({}));
        if (answer.status !== 202) attempt.body = null;
        if (!(problem.errors || {}).proof) break;
      }
      if (answer.status === 202) {
        attempt = null;
        w.keepEdit(problem.id, problem.editToken, problem.editUntil);
        return posted(problem.id, value, replyingTo);
      }
      if (answer.status === 429)
        return w.say(fill(t.tooFast, { s: problem.retryAfter || answer.headers.get("Retry-After") || 60 }));
      if (answer.status === 409) return w.say(t.duplicate);
      const found = {};
      for (const [name, messages] of Object.entries(problem.errors || {}))
        if (FIELDS.includes(name)) found[name] = [].concat(messages).join(" ");
      if (Object.keys(found).length) return fieldErrors(found);
      w.say(answer.status < 500 && problem.errors ? Object.values(problem.errors).flat().join(" ") : t.failed);
    } catch {
      w.say(t.failed);
    } finally {
      w.busy = false;
      form.removeAttribute("aria-busy");
    }
  });

  // Shown at once, marked "awaiting moderation", then watched until it is published.
  function posted(commentId, value, replyingTo) {
    const comment = { id: commentId, author: value.author, website: value.website, body: value.body, createdAt: new Date().toISOString() };
    const parent = replyingTo && thread.byId.get(replyingTo);
    const li = thread.render(comment, true, parent ? parent.page : null);
    (parent ? thread.repliesOf(parent) : thread.list).append(li);
    inputs.body.value = "";
    closeReply(false);
    w.say(t.sent);
    thread.byId.get(commentId).article.focus();
    // A new top-level comment is on the first page newest first; a reply, on its parent's page.
    watch(w, thread, comment, parent ? { page: parent.page, order: w.order } : { page: null, order: "newest" }, [1, 2, 4, 8, 15, 30, 60]);
  }

  return { home };
}
