// A comment's face, from the opaque avatar id in the view (a keyed hash, never the address).
// An identicon is drawn here, by the same rule as the API's /avatars/{id}.svg (a 5×5 grid mirrored
// left to right, the hue from the id), so a page view asks nothing of anyone for faces. Pictures
// (Gravatar, the owner's) come from the API's own origin, so no third party sees the reader.
// Decorative: the name beside it says who wrote the comment.
import { h } from "../dom.js";
import { api } from "../api.js";

const NS = "http://www.w3.org/2000/svg";
const svg = (tag, attrs, children) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...(children || []));
  return el;
};

export function avatar(comment) {
  const id = comment.avatar || "";
  if (!/^([0-9a-f]{16}|owner)$/.test(id)) return null;
  if (id === "owner" || SETTINGS.avatarPictures)
    return h("img", { class: "sc-av", src: new URL("avatars/" + id + ".svg", api).href, alt: "", width: 32, height: 32, loading: "lazy" });
  const bits = BigInt("0x" + id);
  const cells = [];
  for (let row = 0; row < 5; row++)
    for (let col = 0; col < 3; col++)
      if ((bits >> BigInt(row * 3 + col)) & 1n)
        for (const x of new Set([col, 4 - col])) cells.push(svg("rect", { x, y: row, width: 1, height: 1 }));
  return svg("svg", { class: "sc-av", viewBox: "-0.5 -0.5 6 6", width: 32, height: 32, "aria-hidden": "true" }, [
    svg("rect", { x: -0.5, y: -0.5, width: 6, height: 6, fill: "#f0f0f0" }),
    svg("g", { fill: `hsl(${Number((bits >> 16n) % 360n)},55%,48%)` }, cells),
  ]);
}
