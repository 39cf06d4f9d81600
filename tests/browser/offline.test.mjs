// Light, instant, offline, in headless Chromium: the CPU worker runs the page's own module (no
// second .wasm request); a run downloads only the shards it needs; after the first visit the
// page reloads, runs the shape summary and trains from the stored shards with the network off,
// and says which presets need data it does not have; a new deployment under the test server is
// detected and offered, and "Reload" brings the new version. The service worker's failure
// cases (issue 25): an update behind an HTTP cache that still holds the old index.html, a tab
// left on the old version starting CPU workers after another tab took the update, a full
// storage quota, and a damaged stored shard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { cp, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import {
  SITE_DIR, BASE_PATH, startServer, launch, backendKind, runShapeCell, shapeRows, BOOK_SHAPES_224, startAndWait, fillTraining, TINY_CPU,
} from './harness.mjs';

let site, copy;
before(async () => {
  // A copy of the site, so the update test can change it under the server.
  copy = await mkdtemp(join(tmpdir(), 'nin-site-'));
  await cp(SITE_DIR, copy, { recursive: true });
  site = await startServer({ dir: copy });
});
after(async () => {
  site.server.close();
  await rm(copy, { recursive: true, force: true });
});

/** A page that records problems and the path of every request the page and its workers make
 * (the service worker's own precache requests are not the page's). */
async function open(context) {
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // Chromium logs a failed fetch while offline as an error: that is the test's own doing.
    if (m.type() === 'error' && !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  context.on('request', (r) => {
    if (!r.serviceWorker()) requests.push(new URL(r.url()).pathname);
  });
  await page.goto(site.url);
  return { page, problems, requests };
}

const controlled = (page) => page.waitForFunction(() => !!navigator.serviceWorker?.controller, null, { timeout: 60_000 });
const manifest = async () => JSON.parse(await readFile(join(copy, 'data/fashion-mnist/manifest.json'), 'utf8'));

test('one module, only the shards a run needs, then offline: reload, shape summary, a run from stored shards', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext();
    const { page, problems, requests } = await open(context);
    assert.equal(await backendKind(page), 'Cpu');
    await controlled(page);
    // The first visit fetched one .wasm (gzipped), and no GPU module: this browser has no adapter.
    assert.equal(requests.filter((p) => p.endsWith('.wasm.gz') || p.endsWith('.wasm')).length, 1, requests.join('\n'));
    assert.deepEqual(requests.filter((p) => p.includes('nin-gpu')), []);
    // Of the page's two modules, Chromium runs the relaxed-SIMD one, and the service worker
    // keeps that one (its glue and .gz) and not the other.
    assert.ok(requests.some((p) => /\/nin-companion-relaxed-[0-9a-f]{16}_bg\.wasm\.gz$/.test(p)), requests.join('\n'));
    const shell = await page.evaluate(async () => {
      const name = (await caches.keys()).find((n) => n.startsWith('nin-shell-'));
      return (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname.split('/').at(-1)).filter((n) => n.startsWith('nin-companion'));
    });
    assert.deepEqual(shell.map((n) => n.replace(/[0-9a-f]{16}/, 'H')).sort(), ['nin-companion-relaxed-H.js', 'nin-companion-relaxed-H_bg.wasm.gz']);

    // What the presets would download, before any run: the CPU preset's 4,140 training-file
    // images are two shards and its 1,000 test images one (3.3 MB); the short GPU preset's
    // 7,000 and 2,000 are three and one (4.4 MB); the book's preset takes them all.
    const m = await manifest();
    const bytes = (train, test) => m.train.slice(0, train).concat(m.test.slice(0, test)).reduce((a, s) => a + s.bytes, 0);
    const download = async (preset) => {
      await page.getByTestId('train-preset').selectOption(preset);
      await page.getByTestId('train-download').waitFor();
      return Number(await page.getByTestId('train-download').getAttribute('data-bytes'));
    };
    assert.equal(await download('cpu'), bytes(2, 1));
    assert.equal(await download('short'), bytes(3, 1));
    assert.equal(await download('book'), bytes(m.train.length, m.test.length));
    assert.ok(bytes(3, 1) <= 5e6, `the short GPU preset downloads ${bytes(3, 1)} bytes`);

    // A tiny run: 260 training-file images and 300 test images are one shard of each.
    requests.length = 0;
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(Number(await page.getByTestId('train-download').getAttribute('data-bytes')), m.train[0].bytes + m.test[0].bytes);
    assert.equal(await startAndWait(page), 'done', await page.getByTestId('train-status').textContent());
    const shards = requests.filter((p) => p.endsWith('.nins.gz')).map((p) => p.split('/').pop());
    assert.deepEqual([...new Set(shards)].sort(), [m.test[0].file, m.train[0].file].sort());
    // The CPU worker ran the page's module: no second .wasm request.
    assert.deepEqual(requests.filter((p) => /\.wasm(\.gz)?$/.test(p)), []);
    assert.ok(requests.some((p) => /\/worker-[0-9a-f]{16}\.js$/.test(p)), 'the CPU worker script');
    assert.equal(await page.getByTestId('train-download').textContent(), 'already downloaded');

    // The storage panel: both shards stored; no preset has all its data (the CPU preset needs
    // a second training shard), so each says how much it still needs.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="storage-usage"]')?.dataset.shards) === 2, null, { timeout: 30_000 });
    const states = await page.getByTestId('offline-preset').evaluateAll((els) => els.map((e) => [e.dataset.preset, e.dataset.state]));
    assert.deepEqual(states, [['book', 'missing'], ['short', 'missing'], ['cpu', 'missing']]);

    // Offline: the page reloads from the service worker and works.
    await context.setOffline(true);
    await page.reload();
    assert.equal(await backendKind(page), 'Cpu');
    assert.equal(await runShapeCell(page, [1, 1, 224, 224]), 'done');
    assert.deepEqual(await shapeRows(page), BOOK_SHAPES_224);
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(await startAndWait(page), 'done', await page.getByTestId('train-status').textContent());
    assert.ok(Number(await page.getByTestId('test-accuracy').getAttribute('data-value')) >= 0);
    // A run that needs a shard this device does not have says so.
    await fillTraining(page, { train: '3000' });
    assert.equal(await startAndWait(page), 'failed');
    assert.match(await page.getByTestId('train-status').textContent(), /This device is offline, and .*train-01-[0-9a-f]{12}\.nins\.gz is not stored on it/);
    await context.setOffline(false);

    // Clearing the stored data empties the data cache.
    await page.getByTestId('storage-clear').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="storage-usage"]')?.dataset.shards) === 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a new deployment is detected and offered, and Reload brings it', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext();
    const { page, problems } = await open(context);
    await backendKind(page);
    await controlled(page);
    const version = () => page.evaluate(() => new Promise((resolve) => {
      navigator.serviceWorker.addEventListener('message', (e) => resolve(e.data.version), { once: true });
      navigator.serviceWorker.controller.postMessage('version');
    }));
    const first = await version();
    assert.match(first, /^[0-9a-f]{16}$/);
    assert.equal(await page.getByTestId('update-ready').count(), 0);

    // Deploy: a changed page (a marker in its title) and so a new service-worker version.
    const html = join(copy, 'index.html');
    await writeFile(html, (await readFile(html, 'utf8')).replace('<title>', '<title>v2 · '));
    const sw = join(copy, 'sw.js');
    await writeFile(sw, (await readFile(sw, 'utf8')).replace(`const VERSION = '${first}'`, `const VERSION = '${first.slice(0, 15)}x'`));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.getByTestId('update-ready').waitFor({ timeout: 60_000 });
    // Until the student asks, the old version keeps serving this page.
    assert.doesNotMatch(await page.title(), /^v2/);
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await backendKind(page);
    assert.match(await page.title(), /^v2 · /);
    assert.equal(await version(), `${first.slice(0, 15)}x`);
    assert.equal(await page.getByTestId('update-ready').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

// --- The service worker's failure cases (issue 25). Each gets its own copy of the site, served
// as GitHub Pages serves it: with `Cache-Control: max-age=600` and a Content-Length.

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json', '.gz': 'application/gzip', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json' };

async function pagesLike() {
  const dir = await mkdtemp(join(tmpdir(), 'nin-site-sw-'));
  await cp(SITE_DIR, dir, { recursive: true });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(BASE_PATH)) return res.writeHead(404).end();
    const path = normalize(join(dir, decodeURIComponent(url.pathname.slice(BASE_PATH.length)) || 'index.html'));
    if (!path.startsWith(dir)) return res.writeHead(403).end();
    try {
      const file = (await stat(path)).isDirectory() ? join(path, 'index.html') : path;
      const body = await readFile(file);
      // The service worker script itself is always checked (browsers ignore max-age above a day
      // for it, and updateViaCache defaults to 'imports'); everything else may sit in the HTTP cache.
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'max-age=600' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}${BASE_PATH}`;
  return { dir, url, close: async () => { server.close(); await rm(dir, { recursive: true, force: true }); } };
}

/** A page on `url` that records page errors and console errors. */
async function openAt(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  await page.goto(url);
  await backendKind(page);
  await controlled(page);
  return { page, problems };
}

const swVersion = (page) => page.evaluate(() => new Promise((resolve) => {
  navigator.serviceWorker.addEventListener('message', (e) => resolve(e.data.version), { once: true });
  navigator.serviceWorker.controller.postMessage('version');
}));

/** Deploys a new version into `dir`: a marker in the page's title, a new service-worker version
 * and, with `worker`, a new CPU worker script (the old one is gone from the server, as after a
 * real deployment). */
async function deploy(dir, version, { worker = false } = {}) {
  const html = join(dir, 'index.html');
  let text = (await readFile(html, 'utf8')).replace('<title>', '<title>v2 · ');
  const sw = join(dir, 'sw.js');
  let swText = (await readFile(sw, 'utf8')).replace(`const VERSION = '${version}'`, `const VERSION = '${version.slice(0, 15)}x'`);
  if (worker) {
    const old = (await readdir(dir)).find((f) => /^worker-[0-9a-f]{16}\.js$/.test(f));
    const next = `worker-${'f'.repeat(16)}.js`;
    await writeFile(join(dir, next), `// v2\n${await readFile(join(dir, old), 'utf8')}`);
    await rm(join(dir, old));
    text = text.replace(old, next);
    swText = swText.replace(`"./${old}"`, `"./${next}"`);
  }
  await writeFile(html, text);
  await writeFile(sw, swText);
}

test('an update is precached from the network, not from an HTTP cache holding the old page', async () => {
  const site = await pagesLike();
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext();
    const { page, problems } = await openAt(context, site.url);
    const first = await swVersion(page);
    await deploy(site.dir, first);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await page.getByTestId('update-ready').waitFor({ timeout: 60_000 });
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    await backendKind(page);
    assert.equal(await swVersion(page), `${first.slice(0, 15)}x`);
    // The new version's page, not the old one the HTTP cache still held for 600 s.
    assert.match(await page.title(), /^v2 · /);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await site.close();
  }
});

test('a tab left on the old version still starts its CPU workers after another tab took the update', async () => {
  const site = await pagesLike();
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext();
    const a = await openAt(context, site.url);
    const b = await openAt(context, site.url);
    const first = await swVersion(a.page);
    await deploy(site.dir, first, { worker: true });
    await a.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    await a.page.getByTestId('update-ready').waitFor({ timeout: 60_000 });
    await Promise.all([a.page.waitForEvent('load'), a.page.getByTestId('update-reload').click()]);
    await backendKind(a.page);
    assert.match(await a.page.title(), /^v2 · /);
    // Tab B still runs the old page, whose CPU worker script is gone from the server.
    assert.doesNotMatch(await b.page.title(), /^v2/);
    await b.page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(b.page, TINY_CPU);
    assert.equal(await startAndWait(b.page), 'done', await b.page.getByTestId('train-status').textContent());
    assert.deepEqual(a.problems, []);
    assert.deepEqual(b.problems, []);
  } finally {
    await browser.close();
    await site.close();
  }
});

test('a full storage quota is reported as storage, not as a network failure, and the run goes on', async () => {
  const site = await pagesLike();
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext();
    const { page, problems } = await openAt(context, site.url);
    // The app shell is stored; now leave no room for the data shards.
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(site.url).origin, quotaSize: usage + 10_000 });
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(await startAndWait(page), 'done', await page.getByTestId('train-status').textContent());
    const notice = page.getByTestId('offline-storage-full');
    await notice.waitFor({ timeout: 30_000 });
    assert.equal(await notice.getAttribute('data-error'), 'QuotaExceededError');
    assert.match(await notice.textContent(), /storage for this site is full/);
    // Nothing was stored.
    assert.equal(await page.evaluate(async () => (await (await caches.open('nin-data')).keys()).length), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await site.close();
  }
});

test('a damaged stored shard is dropped and fetched again, not served on every visit', async () => {
  const site = await pagesLike();
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext();
    const { page, problems } = await openAt(context, site.url);
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(await startAndWait(page), 'done', await page.getByTestId('train-status').textContent());
    const m = JSON.parse(await readFile(join(site.dir, 'data/fashion-mnist/manifest.json'), 'utf8'));
    // Damage both stored shards: the training shard's bytes changed (same length), the test
    // shard cut short (under the Content-Length it was stored with).
    await page.evaluate(async ([train, test]) => {
      const cache = await caches.open('nin-data');
      const keys = await cache.keys();
      const url = (f) => keys.find((r) => r.url.endsWith(f)).url;
      await cache.put(url(train.file), new Response(new Uint8Array(train.bytes).fill(7), { headers: { 'content-type': 'application/gzip' } }));
      await cache.put(url(test.file), new Response(new Uint8Array(1000), { headers: { 'content-type': 'application/gzip', 'content-length': String(test.bytes) } }));
    }, [m.train[0], m.test[0]]);
    for (let visit = 0; visit < 2; visit += 1) {
      await page.reload();
      await backendKind(page);
      await page.getByTestId('train-preset').selectOption('cpu');
      await fillTraining(page, TINY_CPU);
      assert.equal(await startAndWait(page), 'done', `visit ${visit}: ${await page.getByTestId('train-status').textContent()}`);
    }
    // The cache holds good copies again.
    const sizes = await page.evaluate(async (files) => {
      const cache = await caches.open('nin-data');
      const out = {};
      for (const r of await cache.keys()) {
        const f = new URL(r.url).pathname.split('/').pop();
        if (files.includes(f)) out[f] = (await (await cache.match(r)).arrayBuffer()).byteLength;
      }
      return out;
    }, [m.train[0].file, m.test[0].file]);
    assert.deepEqual(sizes, { [m.train[0].file]: m.train[0].bytes, [m.test[0].file]: m.test[0].bytes });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await site.close();
  }
});
