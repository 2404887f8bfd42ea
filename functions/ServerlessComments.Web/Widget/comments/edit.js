// A reader's second thoughts: Edit and Delete under their own comments while the edit window is
// open. The 202 of a post carries the comment's edit token and the window's end; they are kept in
// localStorage by comment id (this browser only). The server checks the window again, whatever
// this says. Text nodes only, like the rest.
import { api } from "../api.js";
import { h } from "../dom.js";

const KEY = "serverless-comments:edits";

function tokens() {
  try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch { return {}; }
}
function keep(all) {
  try { localStorage.setItem(KEY, JSON.stringify(all)); } catch { /* storage blocked: this page only */ }
}
function forget(id) {
  const all = tokens();
  delete all[id];
  keep(all);
}

export function createEdit(w) {
  const t = w.t;
  // Windows long closed are forgotten.
  const all = tokens();
  for (const id of Object.keys(all)) if (!(Date.parse(all[id].until) > Date.now())) delete all[id];
  keep(all);

  w.keepEdit = (id, token, until) => {
    if (!token) return;
    const now = tokens();
    now[id] = { token, until };
    keep(now);
  };

  // A comment not stored yet (just sent) answers 409: asked again a few times.
  async function send(id, method, body, tries = 4) {
    const answer = await fetch(new URL("comments/" + encodeURIComponent(id), api), {
      method,
      headers: Object.assign({ Authorization: "Bearer " + (tokens()[id] || {}).token }, body ? { "Content-Type": "application/json" } : {}),
      body: body ? JSON.stringify({ body }) : undefined,
    });
    if (answer.status !== 409 || tries <= 1) return answer;
    await new Promise((done) => setTimeout(done, 2000));
    return send(id, method, body, tries - 1);
  }

  // Drawn by the thread for every comment: a placeholder for a deleted one, and the reader's own
  // buttons on theirs while the window is open.
  w.decorators.push((comment, entry) => {
    if (comment.deleted) return placeholder(entry);
    const mine = tokens()[comment.id];
    const left = mine ? Date.parse(mine.until) - Date.now() : 0;
    if (!(left > 0)) return;
    const article = entry.article;
    const bodyBox = article.querySelector(".sc-b");
    const editButton = h("button", { type: "button", "aria-expanded": "false" }, t.editOwn);
    const deleteButton = h("button", { type: "button" }, t.deleteOwn);
    const bar = h("span", { class: "sc-own" }, [editButton, " ", deleteButton]);
    let form = null;
    bodyBox.after(bar);
    // The window closes: the buttons (and an open form) go; the server would refuse anyway.
    setTimeout(close, Math.min(left, 2 ** 31 - 1));

    function close() {
      closeForm(false);
      bar.remove();
      forget(comment.id);
    }
    function closeForm(refocus) {
      if (!form) return;
      form.remove();
      form = null;
      bodyBox.hidden = false;
      editButton.setAttribute("aria-expanded", "false");
      if (refocus) editButton.focus();
    }
    function refused(answer) {
      if (answer.status === 410 || answer.status === 403) {
        close();
        w.say(t.editClosed);
        return true;
      }
      return false;
    }

    editButton.addEventListener("click", () => {
      if (form) return closeForm(true);
      const id = w.id + "-e" + comment.id;
      const text = h("textarea", { id, rows: 4, maxlength: 10000, required: true });
      text.value = bodyBox.textContent;
      const error = h("span", { id: id + "-e", class: "sc-e" });
      const cancel = h("button", { type: "button", onclick: () => closeForm(true) }, t.editCancel);
      form = h("form", { class: "sc-ef", novalidate: true }, [
        h("label", { for: id }, t.editLabel), text, error,
        h("p", {}, [h("button", { type: "submit" }, t.editSave), " ", cancel]),
      ]);
      form.addEventListener("keydown", (event) => {
        if (event.key === "Escape") closeForm(true);
      });
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const body = text.value.trim();
        if (!body) {
          error.textContent = t.required;
          return text.focus();
        }
        form.setAttribute("aria-busy", "true");
        try {
          const answer = await send(comment.id, "PUT", body);
          if (answer.status === 202) {
            bodyBox.textContent = body;
            if (!article.querySelector(".sc-ed")) article.querySelector("header").append(" ", h("span", { class: "sc-ed" }, t.edited));
            closeForm(true);
            return w.say(t.editSent);
          }
          if (refused(answer)) return;
          const problem = await answer.json().catch(() => ({}));
          error.textContent = (problem.errors && problem.errors.body) ? [].concat(problem.errors.body).join(" ") : t.editFailed;
          text.setAttribute("aria-describedby", error.id);
          text.focus();
        } catch {
          w.say(t.editFailed);
        } finally {
          if (form) form.removeAttribute("aria-busy");
        }
      });
      bodyBox.hidden = true;
      bar.before(form);
      editButton.setAttribute("aria-expanded", "true");
      text.focus();
    });

    // Two steps: the first press asks, the second deletes; leaving the button asks again next time.
    deleteButton.addEventListener("click", async () => {
      if (deleteButton.textContent !== t.deleteConfirm) {
        deleteButton.textContent = t.deleteConfirm;
        return;
      }
      try {
        const answer = await send(comment.id, "DELETE");
        if (answer.status === 204) {
          forget(comment.id);
          w.say(t.ownDeleted);
          if (entry.replies && entry.replies.children.length) placeholder(entry).focus();
          else {
            entry.li.remove();
            w.heading.tabIndex = -1;
            w.heading.focus();
          }
          return;
        }
        if (!refused(answer)) w.say(t.editFailed);
      } catch {
        w.say(t.editFailed);
      }
    });
    deleteButton.addEventListener("blur", () => {
      deleteButton.textContent = t.deleteOwn;
    });
  });

  // A comment deleted by its author that has replies: nothing of it but the words "comment deleted".
  function placeholder(entry) {
    entry.article.replaceChildren(h("p", { class: "sc-del" }, t.deletedComment));
    return entry.article;
  }
}
