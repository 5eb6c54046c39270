// Keys and signatures in the browser, as spec/encoding.md section 5 and
// spec/tags.md section 2 define them, over Web Crypto's Ed25519. The field
// app and the report form both sign through this module; node/tests/browser
// checks it against spec/vectors/ (Ed25519 is deterministic, so the same key
// and message give the vectors' signatures byte for byte).
//
// Private keys are made non-extractable: Web Crypto then refuses to export
// them, so they never leave the browser's key store (spec/http.md, "The field
// app").

import { canonicalBytes, utf8 } from './canon.js';

const ED25519 = { name: 'Ed25519' };
const EVENT_DOMAIN = 'madini/event/v1';
const CLAIM_DOMAIN = 'madini/tag-claim/v1';
const KEY_ID_DOMAIN = 'madini/key-id/v1';

/** True when this browser's Web Crypto signs with Ed25519 (needs a secure context). */
export async function supported() {
  if (!globalThis.crypto?.subtle) return false;
  try {
    const k = await crypto.subtle.generateKey(ED25519, false, ['sign', 'verify']);
    await crypto.subtle.sign(ED25519, k.privateKey, new Uint8Array(1));
    return true;
  } catch {
    return false;
  }
}

/** A new key pair; the private half is non-extractable. */
export async function generate() {
  return crypto.subtle.generateKey(ED25519, false, ['sign', 'verify']);
}

/**
 * The private key of a 32-byte Ed25519 seed (RFC 8032), non-extractable
 * unless asked. Used by the vector tests; devices make keys with `generate`.
 */
export async function importSeed(seed, extractable = false) {
  // PKCS#8 for Ed25519 (RFC 8410): a fixed 16-byte prefix, then the seed.
  const prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const der = new Uint8Array([...prefix, ...seed]);
  return crypto.subtle.importKey('pkcs8', der, ED25519, extractable, ['sign']);
}

/** The 32 raw bytes of a public CryptoKey. */
export async function publicRaw(publicKey) {
  return new Uint8Array(await crypto.subtle.exportKey('raw', publicKey));
}

/** A public key as events write it: `ed25519:` + standard base64. */
export function publicText(raw) {
  return `ed25519:${b64(raw)}`;
}

/** The raw bytes of an `ed25519:...` public key, or an Error. */
export function parsePublic(text) {
  const m = /^ed25519:([A-Za-z0-9+/]{43}=)$/.exec(text.trim());
  if (!m) throw new Error('not an ed25519: public key');
  return unb64(m[1]);
}

/** A key id: hex of the first 16 bytes of SHA-256("madini/key-id/v1" || 0 || key). */
export async function keyId(raw) {
  const digest = await sha256(concat(utf8(KEY_ID_DOMAIN), [0], raw));
  return hex(digest.slice(0, 16));
}

/** The event hash: hex SHA-256 of the canonical event bytes. */
export async function eventHash(bytes) {
  return hex(await sha256(bytes));
}

/** The message an event's signature covers. */
export function eventMessage(bytes) {
  return concat(utf8(EVENT_DOMAIN), [0], bytes);
}

/**
 * Signs an event object: its canonical bytes, the signature, the envelope
 * POST /v1/events takes ({event, sig}, both standard base64) and the event
 * hash. Throws a CanonError for a value that has no canonical form.
 */
export async function signEvent(privateKey, event) {
  const bytes = canonicalBytes(event);
  const sig = new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, eventMessage(bytes)));
  return { bytes, sig, hash: await eventHash(bytes), envelope: { event: b64(bytes), sig: b64(sig) } };
}

/** Checks a signature over an event's bytes with a raw public key. */
export async function verifyEvent(publicKeyRaw, bytes, sig) {
  const key = await crypto.subtle.importKey('raw', publicKeyRaw, ED25519, false, ['verify']);
  return crypto.subtle.verify(ED25519, key, sig, eventMessage(bytes));
}

/** The minerals' claim codes (spec/tags.md section 1). */
export const MINERAL_CODES = { '2609.00.00': 1, '2615.90.00': 2, '2611.00.00': 3, '7108.12.00': 4 };

/**
 * The claim bytes of spec/tags.md section 2 for
 * {key_id (hex), mineral (HS code), mass_g, grade_bp, day, tag, lot, site}.
 */
export function claimBytes(c) {
  const code = MINERAL_CODES[c.mineral];
  if (!code) throw new Error(`unknown mineral ${c.mineral}`);
  const ids = [c.tag, c.lot, c.site].map(utf8);
  const out = new Uint8Array(33 + ids[0].length + ids[1].length + ids[2].length);
  const view = new DataView(out.buffer);
  out[0] = 1;
  out.set(unhex(c.key_id), 1);
  out[17] = code;
  view.setBigUint64(18, BigInt(c.mass_g));
  view.setUint16(26, c.grade_bp);
  view.setUint16(28, c.day);
  let at = 30;
  for (const id of ids) {
    out[at] = id.length;
    out.set(id, at + 1);
    at += 1 + id.length;
  }
  return out;
}

/** Signs claim bytes; returns the 64-byte signature. */
export async function signClaim(privateKey, bytes) {
  return new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, concat(utf8(CLAIM_DOMAIN), [0], bytes)));
}

/** Checks a tag claim's signature with a raw public key. */
export async function verifyClaim(publicKeyRaw, bytes, sig) {
  const key = await crypto.subtle.importKey('raw', publicKeyRaw, ED25519, false, ['verify']);
  return crypto.subtle.verify(ED25519, key, sig, concat(utf8(CLAIM_DOMAIN), [0], bytes));
}

/** RFC 4648 base32, upper case, no padding (the claim's key-signature). */
export function base32(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** Bytes of RFC 4648 base32 (upper case, no padding); throws on other text. */
export function unbase32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error('not base32');
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

/**
 * The claim of a label payload (spec/tags.md section 3), for a check
 * against a cached key list: {lot, claim, keyId, sig} or an Error naming
 * what is wrong. The full decoding rules (and their error ids) are the
 * tag printer's; this reads what a well-formed payload holds.
 */
export function readPayload(payload) {
  const hash = payload.indexOf('#');
  if (hash < 0) throw new Error('missing-claim');
  const m = /\/lots\/([^/#?]+)$/.exec(payload.slice(0, hash));
  if (!m) throw new Error('not-a-lot-page');
  const f = payload.slice(hash + 1).split('/');
  if (f.length !== 8 || f[0] !== '1') throw new Error('unsupported-version');
  const [, tag, site, code, mass, grade, day, ks] = f;
  const mineral = Object.keys(MINERAL_CODES).find((k) => String(MINERAL_CODES[k]) === code);
  const canon = /^(0|[1-9][0-9]*)$/;
  if (!mineral || ![mass, grade, day].every((x) => canon.test(x)) || ks.length !== 128) throw new Error('truncated-fields');
  const raw = unbase32(ks);
  const claim = { key_id: hex(raw.slice(0, 16)), mineral, mass_g: Number(mass), grade_bp: Number(grade), day: Number(day), tag, lot: m[1], site };
  return { lot: m[1], claim, keyId: claim.key_id, sig: raw.slice(16) };
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

function concat(...parts) {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Standard base64 with padding. */
export function b64(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Bytes of standard base64. */
export function unb64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Lowercase hex. */
export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Bytes of hex. */
export function unhex(text) {
  if (!/^([0-9a-f]{2})*$/.test(text)) throw new Error('not lowercase hex');
  return Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));
}
