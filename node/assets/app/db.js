// The app's IndexedDB: profiles (one actor's key on this phone, the
// CryptoKey stored as a non-extractable structured clone), the outbox of
// signed events waiting for the node, and small cached values (the pinned
// log, each profile's last device view).

const NAME = 'madini-app';
const VERSION = 1;
let opened = null;

/** The database, opened once. */
export function db() {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(NAME, VERSION);
    req.onupgradeneeded = () => {
      const d = req.result;
      d.createObjectStore('profiles', { keyPath: 'id' });
      const out = d.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      out.createIndex('hash', 'hash', { unique: true });
      d.createObjectStore('kv', { keyPath: 'k' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return opened;
}

function done(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs `fn(stores...)` in one transaction and resolves when it commits. */
export async function tx(names, mode, fn) {
  // Strict durability: a commit is on disk before it is reported, so a
  // phone that dies right after cannot lose what the app said was kept.
  const t = (await db()).transaction(names, mode, { durability: 'strict' });
  const committed = new Promise((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error ?? new Error('transaction aborted'));
  });
  const result = await fn(...names.map((n) => t.objectStore(n)));
  await committed;
  return result;
}

export const get = (store, key) => tx([store], 'readonly', (s) => done(s.get(key)));
export const all = (store) => tx([store], 'readonly', (s) => done(s.getAll()));
export const put = (store, value) => tx([store], 'readwrite', (s) => done(s.put(value)));
export const del = (store, key) => tx([store], 'readwrite', (s) => done(s.delete(key)));

/** A cached value. */
export async function kv(k) {
  return (await get('kv', k))?.v;
}

/** Stores a cached value. */
export function setKv(k, v) {
  return put('kv', { k, v });
}
