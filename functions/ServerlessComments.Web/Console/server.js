// The server: every request of the console goes through call(), which carries the session's
// CSRF token on changes and turns a problem details answer into a Failure with its words.
import { fill, t } from "./i18n.js";
import { signedOut } from "./session.js";

export const API = "/api/";
// The session as this page knows it: signed in or not, and the token every change must carry.
export const auth = { csrf: "", signedIn: false };

export class Failure extends Error {
  constructor(status, problem) {
    super(problemText(problem) || String(status));
    this.status = status;
    this.problem = problem || {};
  }
}

export function problemText(problem) {
  if (!problem) return "";
  const fields = Object.values(problem.errors || {}).flat();
  return fields.length ? fields.join(" ") : problem.detail || problem.title || "";
}

export async function call(method, path, body, options) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && auth.csrf) headers["X-CSRF-Token"] = auth.csrf;
  let answer;
  try {
    answer = await fetch(API + path, {
      method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body), keepalive: !!(options && options.keepalive),
    });
  } catch {
    throw new Failure(0, { title: t.unreachable });
  }
  const data = answer.status === 204 ? null : await answer.json().catch(() => null);
  if (answer.ok) return data;
  if (answer.status === 401 && !(options && options.signIn)) signedOut(t.expired);
  throw new Failure(answer.status, data);
}

export const failureText = (e) =>
  e.status === 0 ? t.unreachable
    : e.status === 429 ? fill(t.tooMany, { s: e.problem.retryAfter || 60 })
      : e.status === 403 ? t.forbidden
        : fill(t.actionFailed, { detail: e.message });
