// Shared helpers for the browser tests: a static server for the built site under a sub-path
// (as GitHub Pages serves it), Debian's Chromium through playwright-core, and guards that fail
// a test on any page error, console error or request leaving the site's origin.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

export const SITE_DIR = resolve(process.env.SITE_DIR ?? '../../dist');
export const BASE_PATH = process.env.BASE_PATH ?? '/nin/';
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.gz': 'application/gzip',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves SITE_DIR at BASE_PATH on 127.0.0.1; everything outside BASE_PATH is a 404.
 * `headScript`: a script put first in every HTML page's head, served from the site's own origin
 * as `__head.js` (the WebDriver tests use it to record page errors, which classic WebDriver
 * does not report).
 */
export async function startServer({ headScript, dir = SITE_DIR, isolate = false } = {}) {
  // Cross-origin isolation (COOP + COEP) lets the memory soak call
  // performance.measureUserAgentSpecificMemory(); every resource is same-origin, so the page runs.
  const extra = isolate ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(BASE_PATH)) {
      res.writeHead(404).end('outside the site');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(BASE_PATH.length)) || 'index.html';
    if (headScript && rel === '__head.js') {
      res.writeHead(200, { 'content-type': TYPES['.js'], ...extra }).end(headScript);
      return;
    }
    const path = normalize(join(dir, rel));
    if (!path.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const s = await stat(path);
      const file = s.isDirectory() ? join(path, 'index.html') : path;
      let body = await readFile(file);
      if (headScript && extname(file) === '.html') body = body.toString().replace('<head>', `<head><script src="${BASE_PATH}__head.js"></script>`);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...extra });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { server, origin, url: origin + BASE_PATH };
}

export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-unsafe-swiftshader'];

/**
 * The student's remembered choice of WebGPU (ui/backend_panel.rs): on a software adapter such as
 * SwiftShader the page starts on the faster CPU unless the student chose WebGPU before.
 */
export const PREFER_WEBGPU = "localStorage.setItem('nin.backend.v1', JSON.stringify('webgpu'));";

/**
 * Launches headless Chromium; `webgpu` adds the SwiftShader WebGPU flags and, unless
 * `preferWebgpu` is false, every page of the browser starts as if the student had chosen
 * WebGPU before (SwiftShader is the only adapter here, and the GPU tests test WebGPU).
 */
export async function launch({ webgpu, preferWebgpu = webgpu }) {
  const browser = await launchChromium({ webgpu });
  if (!preferWebgpu) return browser;
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(PREFER_WEBGPU);
    return context;
  };
  browser.newPage = async (options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.on('close', () => context.close().catch(() => {}));
    return page;
  };
  return browser;
}

async function launchChromium({ webgpu }) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(webgpu ? WEBGPU_FLAGS : []),
    ],
  });
}

/**
 * Options for test contexts: no service worker, because requests a service worker answers
 * bypass Playwright's routes, which the fault-injection tests rely on (offline.test.mjs tests
 * the service worker itself).
 */
export const NO_SW = { serviceWorkers: 'block' };

/** An init script that makes the page load its first module (strict SIMD) where the browser
 * has relaxed SIMD, as a browser without it does (scripts/post_build.mjs, "6."). */
export const STRICT_SIMD = "localStorage.setItem('nin.simd', JSON.stringify('strict'));";

/**
 * Opens a page that records page errors, console errors and foreign requests. `options`: more
 * of the page's context options (a phone: deviceScaleFactor, isMobile, hasTouch).
 */
export async function openPage(browser, origin, url, viewport = { width: 1280, height: 900 }, options = {}) {
  const page = await browser.newPage({ viewport, ...NO_SW, ...options });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) problems.push(`request left the site: ${u}`);
  });
  await page.goto(url);
  return { page, problems };
}

/**
 * Waits until the backend decision is final (the GPU engine is up, or the page knows why not)
 * and returns its kind ("WebGpu" or "Cpu").
 */
export async function backendKind(page) {
  const badge = page.getByTestId('backend-kind');
  await page.waitForFunction(() => {
    const b = document.querySelector('[data-testid="backend-kind"]');
    // (A site from before the GPU engine has no data-settled: its decision is final at once.)
    return b && b.dataset.kind !== 'None' && b.dataset.settled !== 'false';
  }, null, { timeout: 120_000 });
  const kind = await badge.getAttribute('data-kind');
  return kind.replace(/^Some\((.*)\)$/, '$1');
}

/** Fills the shape cell, presses Run and waits for "done" or "error". */
export async function runShapeCell(page, [b, c, h, w], timeout = 120_000) {
  await page.getByTestId('shape-batch').fill(String(b));
  await page.getByTestId('shape-channels').fill(String(c));
  await page.getByTestId('shape-height').fill(String(h));
  await page.getByTestId('shape-width').fill(String(w));
  const before = Number(await page.getByTestId('cell-status').getAttribute('data-finished'));
  await page.getByTestId('shape-run').click();
  await page.waitForFunction((n) => {
    const el = document.querySelector('[data-testid="cell-status"]');
    return Number(el?.dataset.finished) > n && ['done', 'error'].includes(el.dataset.status);
  }, before, { timeout });
  return page.getByTestId('cell-status').getAttribute('data-status');
}

export async function shapeRows(page) {
  return page.getByTestId('shape-out').allTextContents();
}

/** The book's summary for a 1x1x224x224 input. */
export const BOOK_SHAPES_224 = [
  '(1, 96, 54, 54)',
  '(1, 96, 26, 26)',
  '(1, 256, 26, 26)',
  '(1, 256, 12, 12)',
  '(1, 384, 12, 12)',
  '(1, 384, 5, 5)',
  '(1, 384, 5, 5)',
  '(1, 10, 5, 5)',
  '(1, 10, 1, 1)',
  '(1, 10)',
];

/**
 * The two worker scripts (content-hashed by scripts/post_build.mjs, as globs): the CPU worker
 * runs the page's module, the GPU worker the GPU module.
 */
export const CPU_WORKER = 'worker-*.js';
export const GPU_WORKER = 'nin-gpu-loader-*.js';

/**
 * Runs `js` in every worker started from `script` (a GPU worker by default) before the
 * worker's own code: the test hooks of the GPU tests. `target` is a page or a browser context
 * (a context's route also covers the workers its pages start while loading).
 */
export async function workerPrelude(target, js, script = GPU_WORKER) {
  await target.route(`**/${script}`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${js}\n${await response.text()}` });
  });
}

/**
 * Hides the adapter feature `name` from WebGPU, as a browser without it would: `features`
 * no longer lists it and `requestDevice` drops it. Returns the script for the page
 * (`addInitScript`) and the worker (`workerPrelude`).
 */
export function hideAdapterFeature(name) {
  return `(() => {
    if (typeof GPUAdapter === 'undefined') return;
    const features = Object.getOwnPropertyDescriptor(GPUAdapter.prototype, 'features').get;
    Object.defineProperty(GPUAdapter.prototype, 'features', { configurable: true, get() {
      return new Set([...features.call(this)].filter((f) => f !== ${JSON.stringify(name)}));
    } });
    const requestDevice = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = function (desc = {}) {
      const required = (desc.requiredFeatures ?? []).filter((f) => f !== ${JSON.stringify(name)});
      return requestDevice.call(this, { ...desc, requiredFeatures: required });
    };
  })();`;
}

/**
 * A worker prelude that keeps the worker's GPU device and calls `act(device)` when the worker
 * asks to map a buffer for the `nth` time (each chunk of training steps and each scoring batch
 * reads its results back through one or two maps): a fault in the middle of a run.
 */
export function onNthMap(nth, act) {
  return `(() => {
    let device = null, maps = 0;
    const requestDevice = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (...args) { device = await requestDevice.apply(this, args); return device; };
    const mapAsync = GPUBuffer.prototype.mapAsync;
    GPUBuffer.prototype.mapAsync = function (...args) {
      if (++maps === ${nth} && device) (${act})(device);
      return mapAsync.apply(this, args);
    };
  })();`;
}

/** Presses Start and waits for the run to end; returns the cell's phase. */
export async function startAndWait(page, timeout = 600_000) {
  const before = Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
  await page.getByTestId('train-start').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, before, { timeout });
  return page.getByTestId('train-cell').getAttribute('data-phase');
}

/** Fills the training cell's fields (`train-<id>` test ids). */
export async function fillTraining(page, values) {
  for (const [id, v] of Object.entries(values)) await page.getByTestId(`train-${id}`).fill(v);
}

/** Tiny runs: on the CPU backend, and smaller still on SwiftShader (software WebGPU). */
export const TINY_CPU = { size: '67', batch: '16', train: '160', val: '100', test: '300', epochs: '1', lr: '0.001', seed: '1' };
export const TINY_GPU = { size: '67', batch: '8', train: '32', val: '16', test: '48', epochs: '1', lr: '0.001', seed: '1' };

/**
 * Records the page's main-thread tasks through Chromium's tracing (CDP) until `stop()` is
 * called, which returns `{ tasks, marks }`: every task of the page's main thread as
 * `{ ts, wall, cpu }` (µs on the trace clock; `cpu` is the main thread's own CPU time in the
 * task), and the page's `performance.mark` names with their trace times.
 *
 * Why CPU time rather than the Long Tasks API's wall time: on a 2-core machine V8 tiers the
 * worker's hot wasm functions up on three background threads while the worker computes on a
 * core, and a main-thread frame that needed 6 ms of CPU took 212 ms of wall time waiting for
 * a core (measured, 2026-12-01). Wall time measures the machine's load; CPU time measures
 * what the page's code makes its thread do, which is what "no long task" is about.
 */
export async function traceMainThread(page) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const e of value) {
      if (e.name === 'thread_name' || (e.name === 'RunTask' && e.ph === 'X') || e.cat === 'blink.user_timing') events.push(e);
    }
  });
  await cdp.send('Tracing.start', { categories: 'disabled-by-default-devtools.timeline,blink.user_timing', transferMode: 'ReportEvents' });
  return async function stop() {
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
    const marks = events.filter((e) => e.cat === 'blink.user_timing');
    // The page's renderer is the process its marks come from.
    const pid = marks.at(-1)?.pid;
    const main = events.find((e) => e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain');
    assert.ok(main, `the page's main thread is in the trace (${marks.length} marks)`);
    const tasks = events.filter((e) => e.name === 'RunTask' && e.pid === pid && e.tid === main.tid).map((e) => ({ ts: e.ts, wall: e.dur, cpu: e.tdur ?? e.dur }));
    return { tasks, marks: marks.map((e) => ({ name: e.name, ts: e.ts })) };
  };
}

/**
 * For the benchmarks: `act(page)` on the site in `dir` in headless Chromium without WebGPU (no
 * service worker), checked to be on the CPU backend; `cores` fakes navigator.hardwareConcurrency;
 * `init`: one more init script (e.g. STRICT_SIMD).
 */
export async function withCpuPage(dir, cores, act, { init } = {}) {
  const site = await startServer({ dir });
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    if (cores) await context.addInitScript(`Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => ${cores} });`);
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    await page.goto(site.url);
    if ((await backendKind(page)) !== 'Cpu') throw new Error('not on the CPU backend');
    return await act(page);
  } finally {
    await browser.close();
    site.server.close();
  }
}
