// Open sessions: where the console is signed in, and signing out everywhere.
import { h } from "../Widget/dom.js";
import { fill, t, when } from "./i18n.js";
import { call, failureText } from "./server.js";
import { say } from "./frame.js";
import { ended } from "./session.js";

export function sessionsSection() {
  const list = h("ul", { class: "sessions", "aria-labelledby": "sessions-h" });
  const answer = h("p", { class: "answer", role: "status" });
  const everywhere = h("button", { type: "button", class: "danger", id: "signout-everywhere", onclick: async () => {
    everywhere.disabled = true;
    try {
      await call("POST", "admin/sessions/signout");
      // This session ended too: back to the sign-in form, saying why.
      ended(t.signedOutEverywhere);
    } catch (e) {
      everywhere.disabled = false;
      answer.textContent = failureText(e);
      say(answer.textContent);
    }
  } }, t.signOutEverywhere);
  (async () => {
    try {
      const data = await call("GET", "admin/sessions");
      list.replaceChildren(...data.sessions.map((s) => h("li", { class: s.current ? "current" : "" }, [
        h("span", { class: "agent" }, s.userAgent || t.unknownBrowser),
        ...(s.current ? [" ", h("strong", {}, t.thisSession)] : []),
        h("br"),
        fill(t.sessionTimes, { created: when(s.createdAt), used: when(s.lastUsedAt) }),
      ])));
    } catch (e) {
      answer.textContent = failureText(e);
    }
  })();
  return h("section", { "aria-labelledby": "sessions-h" }, [
    h("h3", { id: "sessions-h" }, t.sessionsHeading), h("p", {}, t.sessionsIntro), list, h("p", {}, everywhere), answer,
  ]);
}
