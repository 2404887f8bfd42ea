// Signing in (by an emailed link or the owner's key), starting the console once signed in, and
// signing out. A link from an email (#comment=… or #reply=…) survives the sign-in it may need.
import { h } from "../Widget/dom.js";
import { baseTitle, t } from "./i18n.js";
import { auth, call, failureText } from "./server.js";
import { field, root } from "./frame.js";
import { ui } from "./state.js";
import { buildConsole } from "./layout.js";
import { openOne, showList } from "./list.js";
import { cancelPending, flushAll } from "./decisions.js";

const AFTER_SIGN_IN = "serverless-comments:console-after";

export function showSignIn(message) {
  document.title = baseTitle;
  root.replaceChildren();
  const email = h("input", { type: "email", name: "email", autocomplete: "email", required: true, maxlength: 254 });
  const emailField = field(t.emailLabel, email);
  const linkAnswer = h("p", { class: "answer", role: "status" });
  const linkButton = h("button", { type: "submit", class: "primary" }, t.sendLink);
  const linkForm = h("form", { class: "card signin", novalidate: true, "aria-labelledby": "link-h" }, [
    h("h2", { id: "link-h" }, t.linkHeading), emailField.row, h("p", {}, linkButton), linkAnswer,
  ]);
  linkForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    emailField.error("");
    linkAnswer.textContent = "";
    if (!email.value.trim()) {
      emailField.error(t.required);
      return email.focus();
    }
    linkButton.disabled = true;
    linkAnswer.textContent = t.sending;
    try {
      await call("POST", "admin/session/link", { email: email.value.trim() }, { signIn: true });
      linkAnswer.textContent = t.linkSent;
    } catch (e) {
      linkAnswer.textContent = failureText(e);
    } finally {
      linkButton.disabled = false;
    }
  });

  const key = h("input", { type: "password", name: "key", autocomplete: "current-password", required: true });
  const keyField = field(t.keyLabel, key);
  const keyButton = h("button", { type: "submit" }, t.keySignIn);
  const keyAnswer = h("p", { class: "answer", role: "status" });
  const keyForm = h("form", { class: "card signin", novalidate: true, "aria-labelledby": "key-h" }, [
    h("h2", { id: "key-h" }, t.keyHeading), keyField.row, h("p", {}, keyButton), keyAnswer,
  ]);
  keyForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    keyField.error("");
    keyAnswer.textContent = "";
    if (!key.value) {
      keyField.error(t.required);
      return key.focus();
    }
    keyButton.disabled = true;
    try {
      await call("POST", "admin/session/key", { key: key.value }, { signIn: true });
      key.value = "";
      await start();
    } catch (e) {
      if (e.status === 401) {
        keyField.error(t.wrongKey);
        key.select();
        key.focus();
      } else keyAnswer.textContent = failureText(e);
    } finally {
      keyButton.disabled = false;
    }
  });

  root.append(h("main", { class: "signin-page", "aria-labelledby": "signin-h" }, [
    h("h1", { id: "signin-h" }, t.signInHeading),
    h("p", { class: "intro" }, t.signInIntro),
    message ? h("p", { class: "notice", role: "status" }, message) : null,
    linkForm, keyForm,
  ]));
  root.removeAttribute("aria-busy");
  email.focus();
}

function rememberWanted() {
  if (/^#(comment|reply)=/.test(location.hash))
    try { localStorage.setItem(AFTER_SIGN_IN, JSON.stringify({ hash: location.hash, at: Date.now() })); } catch { /* storage blocked */ }
}
function wantedHash() {
  let hash = /^#(comment|reply)=/.test(location.hash) ? location.hash : "";
  try {
    const saved = JSON.parse(localStorage.getItem(AFTER_SIGN_IN) || "null");
    localStorage.removeItem(AFTER_SIGN_IN);
    if (!hash && saved && Date.now() - saved.at < 30 * 60 * 1000) hash = saved.hash;
  } catch { /* storage blocked or corrupt */ }
  return hash;
}

// The server said the session is over (expired, or ended elsewhere): what waited for its undo
// time is dropped, and the comment being looked at is remembered for after the sign-in.
export function signedOut(message) {
  if (!auth.signedIn) return;
  auth.signedIn = false;
  auth.csrf = "";
  cancelPending();
  rememberWanted();
  showSignIn(message);
}

// Signed out on purpose (here, or everywhere): back to the sign-in form, saying why.
export function ended(message) {
  auth.signedIn = false;
  auth.csrf = "";
  showSignIn(message);
}

export async function signOut() {
  await flushAll();
  try { await call("POST", "admin/session/signout"); } catch { /* the cookie may be gone already */ }
  ended(t.signedOut);
}

export async function start() {
  let session;
  try {
    session = await call("GET", "admin/session", undefined, { signIn: true });
  } catch (e) {
    rememberWanted();
    return showSignIn(e.status === 401 ? "" : failureText(e));
  }
  auth.csrf = session.csrf;
  auth.signedIn = true;
  buildConsole(session);
  const hash = wantedHash();
  const match = /^#(comment|reply)=([^&]+)/.exec(hash);
  if (match) await openOne(decodeURIComponent(match[2]), match[1] === "reply");
  else {
    await showList("pending");
    // Keyboard and screen-reader users start at the list, ready for j.
    ui.heading.focus();
  }
}
