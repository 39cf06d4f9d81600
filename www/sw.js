// The service worker: the page works after the first visit without a network.
// scripts/post_build.mjs fills in the version and the precache list from the built site.
//
// - The app shell (page, its module, styles, icons, the CPU worker, the data manifest) is
//   precached per version, and every request for it is answered from that version's cache:
//   one version of the page, its module and its workers at a time, never a mix. The precache
//   asks the network itself (`cache: 'reload'`): a copy of index.html (or any shell file) in
//   the browser's HTTP cache from the previous deployment can never become the new version.
// - The GPU module and the data shards are cached when first used (only browsers with WebGPU
//   fetch the GPU module; only the shards a run needs are fetched). Shard names carry their
//   hash, so a cached shard is never stale; the page can clear them (cache "nin-data").
// - A new deployment installs as a new version and waits; the page offers "reload", which
//   asks it to take over (message "skip-waiting"), and reloads once it has.
// - Other tabs still run the previous version after the takeover, and ask for its files (the
//   content-hashed CPU worker, its module) later, e.g. when a run starts its workers. So
//   activation keeps the previous version's cache while any window is open, and a shell
//   request the current version does not hold is answered from any older nin-shell-* cache
//   before the network. Versions older than the previous one are deleted, and the previous
//   one too once no window is open when a version activates.
// - Storing can fail (QuotaExceededError): the response is still returned (the page gets its
//   bytes, it is only not kept), and the tab is told ({type: 'storage-error', url, name}),
//   so a full disk is never reported as a network failure.
// - A damaged shard in the data cache (a truncated write) would be served on every visit: a
//   cached shard whose byte count differs from the Content-Length it was stored with is
//   dropped and fetched again; the page also checks each shard's SHA-256 and, when that
//   fails, deletes the entry from "nin-data" and fetches it once more (src/ui/fetch.rs).
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
// The page's two modules (strict SIMD, relaxed SIMD: scripts/relaxed_module.mjs), each its glue
// and .gz: the shell holds the one this browser runs, as the page picks it (the same probe).
const PAGE_MODULES = __PAGE_MODULES__;
const relaxedSimd = () => {
  try {
    return PAGE_MODULES.relaxed.length > 0 && WebAssembly.validate(new Uint8Array(PAGE_MODULES.probe));
  } catch (e) {
    return false;
  }
};
const SHELL = `nin-shell-${VERSION}`;
const DATA = 'nin-data';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll([...PRECACHE, ...(relaxedSimd() ? PAGE_MODULES.relaxed : PAGE_MODULES.strict)].map((url) => new Request(url, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    // caches.keys() lists caches in creation order: the last old shell is the previous version.
    const old = (await caches.keys()).filter((name) => name.startsWith('nin-shell-') && name !== SHELL);
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const keep = windows.length > 0 ? old.slice(-1) : [];
    for (const name of old) if (!keep.includes(name)) await caches.delete(name);
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
    event.respondWith(cacheFirst(DATA, request, event.clientId));
  } else if (request.mode === 'navigate') {
    // The page of this version (its query, e.g. a share link, is the page's business).
    event.respondWith(caches.open(SHELL).then((c) => c.match('./')).then((hit) => hit ?? fetch(request)));
  } else {
    event.respondWith(cacheFirst(SHELL, request, event.clientId));
  }
});

/** A cached response whose body is not as long as the Content-Length it was stored with. */
async function damaged(response) {
  const length = Number(response.headers.get('Content-Length'));
  if (!length || response.headers.get('Content-Encoding')) return false;
  return (await response.clone().arrayBuffer()).byteLength !== length;
}

/** From `cacheName` if there (for the shell, else from an older version's cache still kept for
 * the tabs that run it), else from the network (and kept when it succeeded). */
async function cacheFirst(cacheName, request, clientId) {
  const cache = await caches.open(cacheName);
  let hit = await cache.match(request, { ignoreSearch: false });
  if (hit && cacheName === DATA && (await damaged(hit))) {
    await cache.delete(request);
    hit = undefined;
  }
  if (hit) return hit;
  if (cacheName !== DATA) {
    for (const name of (await caches.keys()).reverse()) {
      if (!name.startsWith('nin-shell-') || name === cacheName) continue;
      const old = await (await caches.open(name)).match(request);
      if (old) return old;
    }
  }
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    try {
      await cache.put(request, response.clone());
    } catch (e) {
      // Not kept (a full disk: QuotaExceededError); the bytes still go to the page.
      const client = clientId ? await self.clients.get(clientId) : undefined;
      client?.postMessage({ type: 'storage-error', url: request.url, name: e?.name ?? 'Error', message: String(e?.message ?? e) });
    }
  }
  return response;
}
