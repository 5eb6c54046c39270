// The field app's service worker: the app shell is cached at install so the
// app opens with no network; each shell file is then served from the cache
// and revalidated in the background (the node answers 304 while it has the
// same file). API calls always go to the network: the app keeps its own
// data in IndexedDB, and a stale answer must never look current.

const CACHE = 'madini-app-v1';
const SHELL = [
  '/app/', '/app/app.js', '/app/db.js', '/app/net.js', '/app/checks.js', '/app/authz.js', '/app/app.css',
  '/app/manifest.webmanifest', '/app/icon.svg',
  '/assets/js/canon.js', '/assets/js/sign.js', '/assets/js/i18n.js', '/assets/js/qr.js',
  '/locales/en/app', '/locales/fr/app', '/locales/sw/app',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const path = url.pathname === '/app/index.html' ? '/app/' : url.pathname;
  if (!SHELL.includes(path)) return;
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const cached = await cache.match(path);
    const fresh = fetch(event.request).then((res) => {
      if (res.ok) cache.put(path, res.clone());
      return res;
    }).catch(() => null);
    if (cached) {
      event.waitUntil(fresh);
      return cached;
    }
    return (await fresh) ?? new Response('offline', { status: 503 });
  }));
});
