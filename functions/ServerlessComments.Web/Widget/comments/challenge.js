// The proof of work (docs/challenge.md): a signed challenge is fetched once the reader reaches the
// form and solved in a Web Worker while they write, so nothing is clicked or read. A solution
// serves one comment; one about to expire is replaced before it is sent.
import { api } from "../api.js";

// Self-contained: its source (minified) is also the worker's script, so it names nothing outside.
// Hashes go 32 at a time: each digest is a round trip to the browser's crypto, and 32 in flight
// cost little more than one.
async function solve(c) {
  const want = c.challenge.match(/../g).map((x) => parseInt(x, 16)), text = new TextEncoder();
  for (let n = 0; n <= c.maxnumber; n += 32) {
    const hashes = await Promise.all(Array.from({ length: 32 }, (_, i) => crypto.subtle.digest("SHA-256", text.encode(c.salt + (n + i)))));
    for (let i = 0; i < 32; i++) {
      const d = new Uint8Array(hashes[i]);
      let j = 0;
      while (j < 32 && d[j] === want[j]) j++;
      if (j === 32) return n + i;
    }
  }
  return -1;
}

// A worker from a Blob URL: the page's CSP must allow blob: workers (worker-src blob:). Where it
// does not, the same loop runs here: each hash is awaited, so the page stays responsive.
function run(c) {
  return new Promise((done) => {
    const here = () => done(solve(c));
    try {
      const url = URL.createObjectURL(new Blob(["onmessage=async e=>postMessage(await(" + solve + ")(e.data))"], { type: "text/javascript" }));
      const worker = new Worker(url);
      worker.onmessage = (e) => { worker.terminate(); URL.revokeObjectURL(url); done(e.data); };
      worker.onerror = (e) => { e.preventDefault(); worker.terminate(); here(); };
      worker.postMessage(c);
    } catch {
      here();
    }
  });
}

// Starts solving when the form is first focused; returns take(), the proof for one comment
// (null when the owner turned the challenge off), after which the next is solved anew.
export function challenger(form) {
  let pending = null;
  const start = () => {
    if (pending && pending.expires > Date.now() + 30e3) return pending.proof;
    const p = (pending = { expires: Infinity });
    p.proof = fetch(new URL("challenge", api), { cache: "no-store" }).then((r) =>
      r.status === 204 ? null : r.ok ? r.json().then((c) => {
        p.expires = 1000 * /expires=(\d+)/.exec(c.salt)[1];
        return run(c).then((number) => btoa(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature })));
      }) : Promise.reject(r.status));
    p.proof.catch(() => { if (pending === p) pending = null; });
    return p.proof;
  };
  form.addEventListener("focusin", start);
  return () => { const proof = start(); pending = null; return proof; };
}

// The comment's JSON with its proof (Base64 needs no escaping).
export const withProof = (body, proof) => (proof ? body.slice(0, -1) + ',"proof":"' + proof + '"}' : body);
