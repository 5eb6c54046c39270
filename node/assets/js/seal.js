// Sealing a whistle-blower's text to case handlers' keys in the browser
// (spec/events.md section 6, "Sealed text"): X25519 from Web Crypto on the
// X25519 form of each handler's registered Ed25519 key, HKDF-SHA-256 and
// AES-256-GCM. The one-time X25519 key and the content key never leave the
// page. Pinned by spec/vectors/seal/ (node/tests/browser/vectors.test.mjs).

import { b64 } from './sign.js';

const SCHEME = 'x25519-hkdf-sha256-aes256gcm';
const enc = new TextEncoder();
const AAD = enc.encode('madini/seal/v1');
const WRAP_INFO = enc.encode('madini/seal/v1 wrap');
const P = 2n ** 255n - 19n;

const le = (bytes) => bytes.reduceRight((n, b) => (n << 8n) | BigInt(b), 0n);
function toLe(n) {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) { out[i] = Number(n & 0xffn); n >>= 8n; }
  return out;
}
function pow(b, e) {
  let r = 1n;
  b %= P;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
  }
  return r;
}

/**
 * The X25519 form of an Ed25519 public key (32 bytes): the Montgomery
 * u-coordinate u = (1 + y) / (1 - y) mod p (RFC 7748 section 4.1).
 */
export function montgomery(edPublic) {
  const y = le(edPublic) & ((1n << 255n) - 1n);
  const u = ((1n + y) * pow((1n - y + P) % P, P - 2n)) % P;
  return toLe(u);
}

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

/** Whether this browser has X25519 in Web Crypto. */
export async function supported() {
  try {
    await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
    return true;
  } catch {
    return false;
  }
}

/** PKCS#8 for a raw X25519 private key (RFC 8410), for the vectors only. */
function pkcs8(secret) {
  return concat(Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]), secret);
}

async function gcm(key, iv, data, additionalData) {
  const k = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
  const params = additionalData ? { name: 'AES-GCM', iv, additionalData } : { name: 'AES-GCM', iv };
  return new Uint8Array(await crypto.subtle.encrypt(params, k, data));
}

/**
 * Seals `text` to `recipients` ([{key: key id, publicRaw: 32 bytes}]) and
 * returns the `sealed` member. `fixed` ({ephemeral, contentKey, nonce})
 * replaces the random draws, for the vectors only.
 */
export async function seal(text, recipients, fixed = null) {
  const plain = enc.encode(text);
  if (plain.length < 1 || plain.length > 4000) throw new Error('the text must be 1 to 4000 bytes');
  if (recipients.length < 1 || recipients.length > 32) throw new Error('1 to 32 recipients');
  let privateKey;
  let epk;
  if (fixed) {
    privateKey = await crypto.subtle.importKey('pkcs8', pkcs8(fixed.ephemeral), { name: 'X25519' }, false, ['deriveBits']);
    // E = X25519(e, 9), the base point's u-coordinate.
    const base = new Uint8Array(32);
    base[0] = 9;
    const b = await crypto.subtle.importKey('raw', base, { name: 'X25519' }, true, []);
    epk = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: b }, privateKey, 256));
  } else {
    const pair = await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
    privateKey = pair.privateKey;
    epk = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  }
  const contentKey = fixed?.contentKey ?? crypto.getRandomValues(new Uint8Array(32));
  const nonce = fixed?.nonce ?? crypto.getRandomValues(new Uint8Array(12));
  const to = [];
  for (const r of recipients) {
    const u = montgomery(r.publicRaw);
    const pub = await crypto.subtle.importKey('raw', u, { name: 'X25519' }, true, []);
    const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: pub }, privateKey, 256));
    if (shared.every((x) => x === 0)) throw new Error(`key ${r.key} cannot receive a sealed text`);
    const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveBits']);
    const w = new Uint8Array(await crypto.subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: concat(epk, u), info: WRAP_INFO }, ikm, 256));
    to.push({ key: r.key, wrapped: b64(await gcm(w, new Uint8Array(12), contentKey)) });
  }
  const ciphertext = await gcm(contentKey, nonce, plain, AAD);
  return { scheme: SCHEME, epk: b64(epk), to, nonce: b64(nonce), ciphertext: b64(ciphertext) };
}
