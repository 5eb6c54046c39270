// The app's side of the wire: reads with a checked checkpoint, and the
// outbox push (spec/http.md, "The field app"). Nothing the node says is
// believed without the checks the CLI makes: the log's verifier key is
// pinned at first contact, every checkpoint's signature is checked under
// it, and a checkpoint whose tree is smaller than the last one seen, or not
// consistent with it, is refused.

import { tx, kv, setKv, all } from './db.js';
import { unb64, b64 } from '/assets/js/sign.js';
import { utf8 } from '/assets/js/canon.js';

/** A node answer the app cannot trust (a different log, a shrinking tree). */
export class TrustError extends Error {}

/** A node answer: `ok`, `status`, `body` (parsed JSON or text). */
export async function api(path, init = {}) {
  const res = await fetch(path, { cache: 'no-store', ...init });
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json() : await res.text();
  return { ok: res.ok, status: res.status, body, date: res.headers.get('date') };
}

/**
 * Reads /v1/log and checks its checkpoint against the pinned key and the
 * last checkpoint seen; pins the key at first contact. Returns the log.
 */
export async function trustedLog() {
  const r = await api('/v1/log');
  if (!r.ok) throw new Error(`/v1/log: ${r.status}`);
  const log = r.body;
  const pinned = await kv('log');
  if (pinned && (pinned.vkey !== log.vkey || pinned.origin !== log.origin)) {
    throw new TrustError(`this node speaks for ${log.origin} with another key than the log this phone first trusted (${pinned.origin})`);
  }
  const cp = await openCheckpoint(log.checkpoint, log.vkey, log.origin);
  if (pinned) {
    if (cp.size < pinned.size) {
      throw new TrustError(`the node's checkpoint (${cp.size} entries) is older than one this phone saw (${pinned.size})`);
    }
    if (cp.size > pinned.size && pinned.size > 0) {
      const p = await api(`/v1/proof/consistency?from=${pinned.size}&to=${cp.size}`);
      const ok = p.ok && await consistent(pinned.size, cp.size, unb64(pinned.root), cp.root, p.body.hashes.map(unb64));
      if (!ok) throw new TrustError(`the log of ${cp.size} entries does not extend the one of ${pinned.size} this phone saw`);
    } else if (cp.size === pinned.size && b64(cp.root) !== pinned.root) {
      throw new TrustError(`two different logs of ${cp.size} entries`);
    }
  }
  await setKv('log', { origin: log.origin, vkey: log.vkey, size: cp.size, root: b64(cp.root) });
  return { ...log, size: cp.size, date: r.date };
}

/** Checks a C2SP signed note under a verifier key; returns {size, root}. */
export async function openCheckpoint(note, vkey, origin) {
  try {
    return await readCheckpoint(note, vkey, origin);
  } catch (e) {
    if (e instanceof TrustError) throw e;
    throw new TrustError(`a malformed checkpoint: ${e.message}`);
  }
}

async function readCheckpoint(note, vkey, origin) {
  const [name, idHex, keyB64] = vkey.split('+');
  const key = unb64(keyB64);
  if (key[0] !== 1 || key.length !== 33) throw new TrustError('the log key is not an Ed25519 note key');
  const pub = key.slice(1);
  const split = note.indexOf('\n\n');
  if (split < 0) throw new TrustError('a checkpoint without signatures');
  const text = note.slice(0, split + 1);
  const [o, size, root] = text.split('\n');
  if (o !== origin || o !== name) throw new TrustError(`a checkpoint of ${o}, not ${origin}`);
  const cryptoKey = await crypto.subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify']);
  for (const line of note.slice(split + 2).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const sig = unb64(m[2]);
    if (sig.length !== 68 || hexOf(sig.slice(0, 4)) !== idHex) continue;
    if (await crypto.subtle.verify({ name: 'Ed25519' }, cryptoKey, sig.slice(4), utf8(text))) {
      if (!/^(0|[1-9][0-9]{0,15})$/.test(size)) throw new TrustError('a checkpoint size that is not a number');
      const r = unb64(root);
      if (r.length !== 32) throw new TrustError('a checkpoint root that is not 32 bytes');
      return { size: Number(size), root: r };
    }
  }
  throw new TrustError('the checkpoint is not signed by the log key');
}

const hexOf = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

async function node(left, right) {
  const buf = new Uint8Array(65);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 33);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** RFC 9162 section 2.1.4.2: is the tree of size `n` an extension of the one of size `m`? */
export async function consistent(m, n, oldRoot, newRoot, proof) {
  if (m === n) return proof.length === 0 && same(oldRoot, newRoot);
  if (m === 0 || m > n || proof.length === 0) return false;
  let path = proof;
  if ((m & (m - 1)) === 0) path = [oldRoot, ...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn & 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if ((fn & 1) || fn === sn) {
      fr = await node(c, fr);
      sr = await node(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      }
    } else {
      sr = await node(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && same(fr, oldRoot) && same(sr, newRoot);
}

/** Adds a signed event to the outbox. */
export function queue(profile, signed, summary) {
  return tx(['outbox'], 'readwrite', (s) => new Promise((resolve, reject) => {
    const req = s.add({
      profile, hash: signed.hash, envelope: signed.envelope, type: summary.type, lot: summary.lot ?? null,
      time: summary.time, queued: Date.now(), state: 'queued', problem: null,
    });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  }));
}

/** The outbox, in signing order. */
export async function outbox() {
  return (await all('outbox')).sort((a, b) => a.seq - b.seq);
}

let pushing = null;

/** Events per request, as the CLI's outbox sends them (`cli/src/outbox.rs`). */
export const PUSH_BATCH = 100;

/**
 * Pushes queued events in signing order, in batches; each batch's answers
 * are stored (one IndexedDB transaction) before the next batch is sent.
 * `existing` counts as sent (an earlier push whose answer was lost); a
 * refusal is set aside with the node's problem; a network failure or a 5xx
 * stops the push with the rest queued. Resolves to {sent, refused, left}.
 */
export function push() {
  pushing ??= (async () => {
    const stats = { sent: 0, refused: 0, left: 0 };
    try {
      const queued = (await outbox()).filter((i) => i.state === 'queued');
      for (let at = 0; at < queued.length; at += PUSH_BATCH) {
        const chunk = queued.slice(at, at + PUSH_BATCH);
        let r;
        try {
          r = await api('/v1/events', {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ events: chunk.map((i) => i.envelope) }),
          });
        } catch {
          r = null;
        }
        const results = r?.ok ? r.body?.results : null;
        if (!Array.isArray(results) || results.length !== chunk.length) {
          stats.left = queued.length - at;
          return stats;
        }
        const now = Date.now();
        chunk.forEach((item, k) => {
          const res = results[k];
          if (res.status === 'accepted' || res.status === 'existing') {
            item.state = 'sent';
            item.index = res.index;
            stats.sent += 1;
          } else if (res.status === 'refused') {
            item.state = 'refused';
            item.problem = { rule: res.problem?.rule ?? '', detail: res.problem?.detail ?? '' };
            stats.refused += 1;
          } else {
            return; // failed: the node could not make it durable; stays queued
          }
          item.answered = now;
        });
        await tx(['outbox'], 'readwrite', (s) => Promise.all(chunk.map((item) => new Promise((resolve, reject) => {
          const req = s.put(item);
          req.onsuccess = () => resolve();
          req.onerror = () => reject(req.error);
        }))));
        if (results.some((res) => res.status === 'failed')) {
          stats.left = queued.length - at - chunk.length + results.filter((res) => res.status === 'failed').length;
          return stats;
        }
      }
      return stats;
    } finally {
      pushing = null;
    }
  })();
  return pushing;
}
