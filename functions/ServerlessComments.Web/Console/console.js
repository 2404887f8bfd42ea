// The owner's console, served at /api/console: this module and the ones it imports, bundled by
// esbuild at build time, wrapped by the server with every language's strings (ConsoleAssets).
// Safe by construction, as the widget: every text a reader wrote (comment, name, email, website,
// page) enters the page as a text node or an attribute set one by one, a link only when it is
// http or https, and no string is ever parsed as HTML. No inline script or style: the page's
// Content-Security-Policy forbids both.
import { auth } from "./server.js";
import { start } from "./session.js";
import { followCounts } from "./layout.js";
import { openOne } from "./list.js";
import { flushAll } from "./decisions.js";
import { listenToKeys } from "./keyboard.js";

followCounts();
listenToKeys();

// A link to a comment followed while the console is open in this tab: no reload, the hash changes.
addEventListener("hashchange", async () => {
  const match = /^#(comment|reply)=([^&]+)/.exec(location.hash);
  if (!auth.signedIn || !match) return;
  await flushAll();
  await openOne(decodeURIComponent(match[2]), match[1] === "reply");
});

start();
