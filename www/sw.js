// The service worker: the page works after the first visit without a network.
// scripts/post_build.mjs fills in the version and the precache list from the built site.
//
// - The app shell (page, its module, styles, icons, the CPU worker, the data manifest) is
//   precached per version, and every request for it is answered from that version's cache:
//   one version of the page, its module and its workers at a time, never a mix.
// - The GPU module and the data shards are cached when first used (only browsers with WebGPU
//   fetch the GPU module; only the shards a run needs are fetched). Shard names carry their
//   hash, so a cached shard is never stale; the page can clear them (cache "nin-data").
// - A new deployment installs as a new version and waits; the page offers "reload", which
//   asks it to take over (message "skip-waiting"), and reloads once it has.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const SHELL = `nin-shell-${VERSION}`;
const DATA = 'nin-data';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('nin-shell-') && name !== SHELL) await caches.delete(name);
    }
    // The first version takes over the page that installed it, so the data that page fetches
    // is cached too (a later version waits for the page to ask).
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  if (event.data === 'version') event.source?.postMessage({ version: VERSION });
});

const scope = new URL(self.registration.scope);

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if (path.endsWith('.nins.gz')) {
    event.respondWith(cacheFirst(DATA, request));
  } else if (request.mode === 'navigate') {
    // The page of this version (its query, e.g. a share link, is the page's business).
    event.respondWith(caches.open(SHELL).then((c) => c.match('./')).then((hit) => hit ?? fetch(request)));
  } else {
    event.respondWith(cacheFirst(SHELL, request));
  }
});

/** From `cacheName` if there, else from the network (and kept when it succeeded). */
async function cacheFirst(cacheName, request) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(request, { ignoreSearch: false });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}
