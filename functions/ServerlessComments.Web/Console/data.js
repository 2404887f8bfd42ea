// Import and export: a WordPress, Disqus or JSON file uploaded with its progress shown, and the
// comments downloaded back in any of the three. The open sessions are on the same tab.
import { h } from "../Widget/dom.js";
import { fill, t } from "./i18n.js";
import { API, auth, problemText } from "./server.js";
import { field, say } from "./frame.js";
import { ui } from "./state.js";
import { refreshStats, showView } from "./layout.js";
import { signedOut } from "./session.js";
import { sessionsSection } from "./sessions.js";

export function showData() {
  showView("data", "data");
  const file = h("input", { type: "file", name: "file", id: "import-file", accept: ".xml,.json,application/xml,application/json" });
  const format = h("select", { name: "format", id: "import-format" },
    [["wxr", t.formatWxr], ["disqus", t.formatDisqus], ["json", t.formatJson]].map(([value, label]) => h("option", { value }, label)));
  const dry = h("input", { type: "checkbox", name: "dryRun", id: "import-dry" });
  const progress = h("progress", { max: 100, value: 0, hidden: true, "aria-labelledby": "import-h" });
  const answer = h("p", { class: "answer", role: "status" });
  const go = h("button", { type: "submit", class: "primary" }, t.importButton);
  const fileField = field(t.importFile, file);
  file.addEventListener("change", () => {
    // The format is guessed from the name; the owner can still choose.
    const name = (file.files[0] && file.files[0].name.toLowerCase()) || "";
    if (name.endsWith(".json")) format.value = "json";
    else if (name.includes("disqus")) format.value = "disqus";
  });
  const form = h("form", { class: "import", novalidate: true, "aria-labelledby": "import-h" }, [
    h("p", {}, t.importIntro), fileField.row, field(t.importFormat, format).row,
    h("p", { class: "check" }, [dry, h("label", { for: "import-dry" }, t.dryRun)]),
    h("p", {}, go), progress, answer,
  ]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    fileField.error("");
    if (!file.files[0]) {
      fileField.error(t.chooseFile);
      file.focus();
      return;
    }
    go.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    answer.textContent = "";
    upload(file.files[0], format.value, dry.checked, {
      progress: (percent) => {
        progress.value = percent;
        answer.textContent = percent < 100 ? fill(t.importing, { percent }) : t.importWorking;
      },
      done: (text) => {
        go.disabled = false;
        progress.hidden = true;
        answer.textContent = text;
        say(text);
      },
    });
  });
  // Plain links: a download is a GET the session cookie authorises, streamed by the server.
  const downloads = [["json", t.exportJson], ["wxr", t.exportWxr], ["disqus", t.exportDisqus]].map(([value, label]) =>
    h("li", {}, h("a", { href: API + "admin/export?format=" + value, download: "", "data-format": value }, label)));
  ui.dataView.replaceChildren(
    h("h2", { id: "data-h", tabindex: "-1" }, t.dataHeading),
    h("h3", { id: "import-h" }, t.importHeading), form,
    h("h3", {}, t.exportHeading), h("p", {}, t.exportIntro), h("ul", { class: "downloads" }, downloads),
    sessionsSection());
  file.focus();
}

// XMLHttpRequest, not fetch: only it reports the upload's progress.
function upload(file, format, dryRun, on) {
  const xhr = new XMLHttpRequest();
  xhr.open("POST", API + "admin/import?format=" + encodeURIComponent(format) + "&dryRun=" + (dryRun ? "true" : "false"));
  xhr.setRequestHeader("X-CSRF-Token", auth.csrf);
  xhr.setRequestHeader("Content-Type", "application/octet-stream");
  xhr.upload.onprogress = (e) => {
    if (e.lengthComputable) on.progress(Math.round((100 * e.loaded) / e.total));
  };
  xhr.onload = () => {
    let data = null;
    try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
    if (xhr.status === 200 && data) {
      // The count, then why (trash, type note…): a file whose comments were all skipped says so.
      const reasons = Object.entries(data.skipped || {});
      const total = reasons.reduce((a, [, n]) => a + n, 0);
      const skipped = reasons.length ? total + " (" + reasons.map(([k, n]) => k + ": " + n).join(", ") + ")" : "0";
      on.done((data.dryRun ? t.importDryRun : "") + fill(t.importSummary, {
        imported: data.imported, already: data.alreadyThere, orphans: data.orphans, truncated: data.truncated, skipped,
      }));
      refreshStats();
    } else {
      if (xhr.status === 401) signedOut(t.expired);
      on.done(fill(t.importFailed, { detail: problemText(data) || String(xhr.status) }));
    }
  };
  xhr.onerror = () => on.done(t.unreachable);
  xhr.send(file);
}
