// Messages for the browser: the field app and the report form read their
// texts from the node's catalogs (GET /locales/{lang}/{file}, generated from
// ledger-core/locales/{lang}/{file}.ftl). Those files hold only text and
// `{ $name }` placeholders, so substitution is all the formatting needed.
// No dependencies; nothing leaves the node's origin.

/** The languages Madini speaks, as [code, name in itself]. */
export const LANGS = [
  ["en", "English"],
  ["fr", "Français"],
  ["sw", "Kiswahili"],
];

const STORE = "madini.lang";
const CODES = new Set(LANGS.map(([c]) => c));
let messages = Object.create(null);
let current = "en";

/**
 * A language tag or code Madini speaks ("fr-CD" -> "fr", "swc" -> "sw"),
 * or null.
 */
export function supported(tag) {
  if (typeof tag !== "string") return null;
  const primary = tag.trim().toLowerCase().split(/[-_.@]/)[0];
  if (primary === "swc" || primary === "swh" || primary === "swa") return "sw";
  if (primary === "fra" || primary === "fre") return "fr";
  if (primary === "eng") return "en";
  return CODES.has(primary) ? primary : null;
}

function stored() {
  try {
    return globalThis.localStorage?.getItem(STORE) ?? null;
  } catch {
    return null; // storage disabled: no remembered choice
  }
}

/**
 * The language to speak: a `?lang=` in the page's URL, then the choice
 * stored by `choose`, then the browser's languages in order, else "en".
 */
export function chosen() {
  const fromUrl = supported(new URLSearchParams(globalThis.location?.search ?? "").get("lang"));
  if (fromUrl) return fromUrl;
  const kept = supported(stored());
  if (kept) return kept;
  for (const l of globalThis.navigator?.languages ?? []) {
    const s = supported(l);
    if (s) return s;
  }
  return "en";
}

/** Remembers `lang` as the person's choice (localStorage "madini.lang"). */
export function choose(lang) {
  const l = supported(lang);
  if (!l) throw new Error(`not a language Madini speaks: ${lang}`);
  try {
    globalThis.localStorage?.setItem(STORE, l);
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
  return l;
}

/**
 * Loads the catalog files (e.g. ["app"]) of `lang` from the node, replacing
 * the messages in use, and sets the document's language. Rejects, keeping
 * the messages in use, if a file cannot be fetched.
 */
export async function load(lang, files) {
  const l = supported(lang) ?? "en";
  const next = Object.create(null);
  for (const file of files) {
    const url = new URL(`../../locales/${l}/${file}`, import.meta.url);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`catalog ${l}/${file}: HTTP ${res.status}`);
    Object.assign(next, await res.json());
  }
  messages = next;
  current = l;
  if (globalThis.document?.documentElement) document.documentElement.lang = l;
  return l;
}

/** The language of the loaded messages. */
export function lang() {
  return current;
}

const PLACEHOLDER = /\{\s*\$([A-Za-z][A-Za-z0-9_-]*)\s*\}/g;

/**
 * Message `id` with its `{ $name }` placeholders replaced from `args`; an
 * unknown id shows the id, a missing argument shows its placeholder.
 */
export function t(id, args = {}) {
  const pattern = messages[id];
  if (typeof pattern !== "string") return id;
  return pattern.replace(PLACEHOLDER, (whole, name) =>
    Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : whole,
  );
}
