// Benchmark, not a test (issue 30 item 2): Burn's autotune + fusion in the GPU worker, on
// SwiftShader WebGPU (headless Chromium), two built sites side by side: SITE_A (e.g. the shipped
// build, no autotune/fusion) and SITE_B (e.g. built with `gpu-tuned`), interleaved (round r runs
// A then B when r is even, B then A when odd), a fresh browser per run (so no tuning state
// carries over). Per run: Start to the first training point (wall), the first chunk's active
// time (the page's own step clock: step * batch / images/s), the steady images/s over the later
// chunks, the run's outcome (a failed run is a finding: its status text is kept verbatim) and
// every page/console error.
//
// Configurations (BENCH_CONFIGS, comma-separated, default "b32_96,b32_224"):
//   b32_96:  Adam, batch 32, 96 px, one epoch of 32 * BENCH_STEPS_96 images (default 12 steps:
//            chunks of 4 steps on WebGPU, one validation of 32 images at the end).
//   b32_224: Adam, batch 32, 224 px, train 32 images for BENCH_STEPS_224 epochs (default 3), so
//            every chunk is one step (and a validation of BENCH_VAL_224 images follows each).
//   tiny:    the GPU tests' tiny run (batch 8, 67 px, 4 steps): a smoke test.
// BENCH_ENGINE=firefox runs Firefox ESR (geckodriver, WebGPU on Mesa lavapipe, prefs as in
// engines.test.mjs) instead of Chromium/SwiftShader; the page is told the student chose WebGPU.
// BENCH_ONLY=A|B runs one site only (diagnostics). BENCH_ROUNDS (default 2). BENCH_HIDE_TS=1 hides `timestamp-query` from the page and its GPU
// workers (as a browser without it). BENCH_TIMEOUT_MIN per run (default 40).
// Also records the GPU module's raw and gzip sizes of both sites.
// Writes JSON to $BENCH_OUT (default ../../bench-results/gpu_tuning.json) and prints it.
import { readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve, join } from 'node:path';
import { startServer, PREFER_WEBGPU, launch, backendKind, fillTraining, workerPrelude, hideAdapterFeature, NO_SW } from './harness.mjs';
import { firefoxSession } from './webdriver.mjs';

const OUT = resolve(process.env.BENCH_OUT ?? '../../bench-results/gpu_tuning.json');
const SITES = { A: resolve(process.env.SITE_A ?? '../../dist'), B: resolve(process.env.SITE_B ?? '../../dist') };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONFIG_NAMES = (process.env.BENCH_CONFIGS ?? 'b32_96,b32_224').split(',').filter(Boolean);
const HIDE_TS = process.env.BENCH_HIDE_TS === '1';
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MIN ?? 40) * 60_000;
const STEPS_96 = Number(process.env.BENCH_STEPS_96 ?? 12);
const STEPS_224 = Number(process.env.BENCH_STEPS_224 ?? 3);
const VAL_224 = process.env.BENCH_VAL_224 ?? '32';
const ENGINE = process.env.BENCH_ENGINE ?? 'chromium';
const ONLY = process.env.BENCH_ONLY ?? null; // 'A' or 'B': one site only (diagnostics)

const CONFIGS = {
  b32_96: { batch: 32, fields: { lr: '0.001', batch: '32', size: '96', epochs: '1', train: String(32 * STEPS_96), val: '32', test: '32', seed: '1' } },
  b32_224: { batch: 32, fields: { lr: '0.001', batch: '32', size: '224', epochs: String(STEPS_224), train: '32', val: VAL_224, test: '32', seed: '1' } },
  tiny: { batch: 8, fields: { lr: '0.001', batch: '8', size: '67', epochs: '1', train: '32', val: '16', test: '16', seed: '1' } },
};

/**
 * In the page and every GPU worker: WGSL compilation errors (which cubecl-wgpu only logs on
 * wasm, where the app has no logger) and uncaptured GPU errors go to console.error with the
 * time since the script started, so a failed run says which kernel did not compile and why.
 */
const SHADER_ERRORS = `(() => {
  if (typeof GPUDevice === 'undefined') return;
  const t0 = performance.now();
  const where = typeof document === 'undefined' ? 'worker' : 'page';
  const create = GPUDevice.prototype.createShaderModule;
  GPUDevice.prototype.createShaderModule = function (desc) {
    const module = create.call(this, desc);
    module.getCompilationInfo?.().then((info) => {
      const errors = info.messages.filter((m) => m.type === 'error');
      if (errors.length) console.error('[bench shader ' + where + ' +' + ((performance.now() - t0) / 1000).toFixed(1) + ' s] ' + (desc.label ?? '?') + ': ' + errors.map((m) => m.lineNum + ':' + m.linePos + ' ' + m.message).join(' | ').slice(0, 1500));
    }, () => {});
    return module;
  };
})();`;

/** Records every change of the run's progress (step, images/s, phase) with the page's clock. */
const RECORDER = `(() => {
  window.__bench = [];
  let last = '';
  const read = () => {
    const cell = document.querySelector('[data-testid="train-cell"]');
    if (!cell) return;
    const bar = document.querySelector('[data-testid="train-progress"]');
    const text = document.querySelector('[data-testid="train-progress-text"]');
    const board = document.querySelector('[data-testid="train-board"]');
    const s = { step: bar ? Number(bar.getAttribute('value')) : null, ips: text ? Number(text.dataset.imagesPerS) : null,
      phase: cell.dataset.phase, points: board ? Number(board.dataset.trainPoints) : null };
    const key = JSON.stringify(s);
    if (key !== last) { last = key; window.__bench.push({ t: performance.now(), ...s }); }
  };
  new MutationObserver(read).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;

async function gpuModuleSizes(dir) {
  const files = await readdir(dir);
  const wasm = files.find((f) => /^nin-gpu-[0-9a-f]+_bg\.wasm$/.test(f));
  if (!wasm) return { error: 'no nin-gpu-*_bg.wasm' };
  const gz = files.includes(`${wasm}.gz`) ? `${wasm}.gz` : null;
  return { file: wasm, raw_bytes: (await stat(join(dir, wasm))).size, gzip_bytes: gz ? (await stat(join(dir, gz))).size : null };
}

/** Per-chunk samples from the recorder's log: first point, first step, steady speed. */
function analyse(log, t0, t_end, batch) {
  // One sample per chunk: the first time each step count is shown.
  const chunks = [];
  for (const s of log) {
    if (s.t < t0 || !s.step || !s.ips) continue;
    if (chunks.length && chunks.at(-1).step === s.step) continue;
    chunks.push({ step: s.step, wall_s: (s.t - t0) / 1000, active_s: (s.step * batch) / s.ips, ips_cumulative: s.ips });
  }
  const first = chunks[0];
  const last = chunks.at(-1);
  const r3 = (x) => (x == null || !Number.isFinite(x) ? null : Number(x.toFixed(3)));
  let steady_ips = null;
  let steady_step_s = null;
  let first_step_est_s = null;
  if (first && last && last.step > first.step) {
    steady_ips = ((last.step - first.step) * batch) / (last.active_s - first.active_s);
    steady_step_s = (last.active_s - first.active_s) / (last.step - first.step);
    first_step_est_s = first.active_s - (first.step - 1) * steady_step_s;
  }
  return {
    run_wall_s: r3((t_end - t0) / 1000),
    start_to_first_point_s: r3(first?.wall_s),
    first_chunk_steps: first?.step ?? null,
    first_chunk_active_s: r3(first?.active_s),
    first_step_est_s: r3(first_step_est_s),
    steady_step_s: r3(steady_step_s),
    steady_images_per_s: r3(steady_ips),
    page_images_per_s_cumulative: r3(last?.ips_cumulative),
    chunks: chunks.map((c) => ({ step: c.step, wall_s: r3(c.wall_s), active_s: r3(c.active_s) })),
  };
}

/** One run of `config` on the site in `dir`, in a fresh browser. */
async function runOnce(dir, configName) {
  const config = CONFIGS[configName];
  const site = await startServer({ dir });
  const browser = await launch({ webgpu: true });
  const problems = [];
  const consoleTail = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...NO_SW });
    if (HIDE_TS) {
      const hide = hideAdapterFeature('timestamp-query');
      await context.addInitScript(hide);
      await workerPrelude(context, `${hide}\n${SHADER_ERRORS}`);
    }
    await context.addInitScript(RECORDER);
    await context.addInitScript(SHADER_ERRORS);
    if (!HIDE_TS) await workerPrelude(context, SHADER_ERRORS);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      const line = `${m.type()}: ${m.text()}`.slice(0, 2000);
      if (m.type() === 'error') problems.push(`console ${line}`);
      if (['error', 'warning'].includes(m.type())) consoleTail.push(line);
    });
    page.on('worker', (w) => {
      // (Playwright reports a dedicated worker's console on its Worker where it can.)
      w.on?.('console', (m) => {
        const line = `worker ${m.type()}: ${m.text()}`.slice(0, 2000);
        if (m.type() === 'error') problems.push(`console ${line}`);
        if (['error', 'warning'].includes(m.type())) consoleTail.push(line);
      });
    });
    const t_load0 = performance.now();
    await page.goto(site.url);
    const kind = await backendKind(page);
    const load_ms = Math.round(performance.now() - t_load0);
    const timestamp_query = await page.evaluate(async () => {
      const a = await navigator.gpu?.requestAdapter();
      return a ? a.features.has('timestamp-query') : null;
    });
    if (kind !== 'WebGpu') return { backend: kind, error: 'not on WebGPU', problems };
    await page.getByTestId('train-preset').selectOption('book');
    await page.getByTestId('train-optimizer').selectOption('adam');
    await fillTraining(page, config.fields);
    const before = Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
    const t0 = await page.evaluate(() => performance.now());
    await page.getByTestId('train-start').click();
    let timed_out = false;
    try {
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]')?.dataset.finished) > n, before, { timeout: TIMEOUT_MS, polling: 1000 });
    } catch (e) {
      timed_out = true;
    }
    const t_end = await page.evaluate(() => performance.now());
    const log = await page.evaluate(() => window.__bench);
    const phase = await page.getByTestId('train-cell').getAttribute('data-phase');
    const status = (await page.getByTestId('train-status').textContent())?.trim();
    const overlay = await page.evaluate(() => document.getElementById('panic-overlay')?.textContent ?? null);
    if (overlay) problems.push(`panic overlay: ${overlay}`);
    return {
      backend: kind,
      timestamp_query,
      page_load_to_backend_ms: load_ms,
      phase,
      status: phase === 'done' ? undefined : status,
      timed_out,
      ...analyse(log, t0, t_end, config.batch),
      problems,
      console_warnings_errors: consoleTail.slice(-20),
    };
  } catch (e) {
    return { error: String(e).slice(0, 2000), problems, console_warnings_errors: consoleTail.slice(-20) };
  } finally {
    await browser.close();
    site.server.close();
  }
}

/** Records errors, unhandled rejections and console.error/warn calls (classic WebDriver reports none). */
const RECORD_ERRORS = `(() => {
  const problems = (window.__ninProblems = []);
  const warnings = (window.__ninWarnings = []);
  addEventListener('error', (e) => problems.push('page error: ' + (e.message || e.type)));
  addEventListener('unhandledrejection', (e) => problems.push('unhandled rejection: ' + String(e.reason)));
  const error = console.error.bind(console);
  console.error = (...args) => { problems.push('console error: ' + args.map(String).join(' ')); error(...args); };
  const warn = console.warn.bind(console);
  console.warn = (...args) => { warnings.push(args.map(String).join(' ').slice(0, 2000)); warn(...args); };
})();`;

/** runOnce in Firefox (WebDriver): the same run, the same recorder. */
async function runOnceFirefox(dir, configName) {
  const config = CONFIGS[configName];
  const site = await startServer({ dir, headScript: `${RECORD_ERRORS}\n${PREFER_WEBGPU}\n${RECORDER}` });
  const { driver, stop } = await firefoxSession();
  const js = (body, ...args) => driver.executeScript(body, ...args);
  const tid = (id) => `document.querySelector('[data-testid="${id}"]')`;
  const until = (cond, timeout, what) => driver.wait(async () => Boolean(await js(`return (${cond})`)), timeout, `timed out waiting for ${what}`);
  const problems = async () => {
    const list = (await js('return window.__ninProblems')) ?? ['the error recorder did not run'];
    const overlay = await js('return document.getElementById("panic-overlay")?.textContent ?? null');
    return overlay ? [...list, `panic overlay: ${overlay}`] : list;
  };
  try {
    await driver.manage().window().setRect({ width: 1280, height: 900 }).catch(() => {});
    const t_load0 = performance.now();
    await driver.get(site.url);
    await until(`${tid('backend-kind')}?.dataset.kind && ${tid('backend-kind')}.dataset.kind !== 'None' && ${tid('backend-kind')}.dataset.settled !== 'false'`, 300_000, 'the backend choice');
    const kind = (await js(`return ${tid('backend-kind')}.dataset.kind`)).replace(/^Some\((.*)\)$/, '$1');
    const load_ms = Math.round(performance.now() - t_load0);
    const adapter = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
      navigator.gpu.requestAdapter().then((a) => done(a ? { timestamp_query: a.features.has('timestamp-query'), info: a.info ? [a.info.vendor, a.info.architecture, a.info.device, a.info.description].join(' | ') : null } : null), (e) => done(String(e)));`);
    if (kind !== 'WebGpu') return { backend: kind, error: 'not on WebGPU', adapter, problems: await problems() };
    const select = (id, v) => js(`const el = ${tid(id)}; el.value = arguments[0]; el.dispatchEvent(new Event('change', { bubbles: true }));`, v);
    const type = (id, v) => js(`const el = ${tid(id)}; el.value = arguments[0]; el.dispatchEvent(new Event('input', { bubbles: true })); el.dispatchEvent(new Event('change', { bubbles: true }));`, v);
    await select('train-preset', 'book');
    await select('train-optimizer', 'adam');
    for (const [id, v] of Object.entries(config.fields)) await type(`train-${id}`, v);
    const before = Number(await js(`return ${tid('train-cell')}.dataset.finished`));
    const t0 = await js(`${tid('train-start')}.click(); return performance.now()`);
    let timed_out = false;
    try {
      await driver.wait(async () => Number(await js(`return ${tid('train-cell')}?.dataset.finished`)) > before, TIMEOUT_MS);
    } catch {
      timed_out = true;
    }
    const t_end = await js('return performance.now()');
    const log = await js('return window.__bench');
    const phase = await js(`return ${tid('train-cell')}.dataset.phase`);
    const status = (await js(`return ${tid('train-status')}?.textContent ?? ''`)).trim();
    return {
      backend: kind,
      adapter,
      timestamp_query: adapter?.timestamp_query ?? null,
      page_load_to_backend_ms: load_ms,
      phase,
      status: phase === 'done' ? undefined : status,
      timed_out,
      ...analyse(log, t0, t_end, config.batch),
      problems: await problems(),
      console_warnings_errors: ((await js('return window.__ninWarnings')) ?? []).slice(-20),
    };
  } catch (e) {
    let p = [];
    try {
      p = await problems();
    } catch {}
    return { error: String(e).slice(0, 2000), problems: p };
  } finally {
    await stop();
    site.server.close();
  }
}

const result = {
  date: new Date().toISOString(),
  sites: { A: SITES.A, B: SITES.B },
  engine: ENGINE,
  hide_timestamp_query: HIDE_TS,
  configs: Object.fromEntries(CONFIG_NAMES.map((n) => [n, CONFIGS[n].fields])),
  sizes: { A: await gpuModuleSizes(SITES.A), B: await gpuModuleSizes(SITES.B) },
  runs: {},
};
const save = async () => {
  await mkdir(dirname(OUT), { recursive: true });
  await writeFile(OUT, JSON.stringify(result, null, 2));
};
for (const name of CONFIG_NAMES) {
  result.runs[name] = { A: [], B: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const which of (round % 2 === 0 ? ['A', 'B'] : ['B', 'A']).filter((w) => !ONLY || w === ONLY)) {
      const r = await (ENGINE === 'firefox' ? runOnceFirefox : runOnce)(SITES[which], name);
      result.runs[name][which].push({ round, ...r });
      console.error(`${name} round ${round} ${which}: ${JSON.stringify({ phase: r.phase, error: r.error, first: r.start_to_first_point_s, first_step: r.first_step_est_s, steady: r.steady_images_per_s, problems: r.problems?.length })}`);
      await save();
    }
  }
}
const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
result.summary = {};
for (const name of CONFIG_NAMES) {
  const s = {};
  for (const f of ['steady_images_per_s', 'start_to_first_point_s', 'first_step_est_s', 'first_chunk_active_s']) {
    const a = median(result.runs[name].A.map((r) => r[f]));
    const b = median(result.runs[name].B.map((r) => r[f]));
    s[f] = { A: a, B: b, B_over_A: a && b ? Number((b / a).toFixed(3)) : null };
  }
  // Per-round ratios (each round's A and B ran back to back).
  s.steady_B_over_A_per_round = result.runs[name].A.map((a, i) => {
    const b = result.runs[name].B[i];
    return a?.steady_images_per_s && b?.steady_images_per_s ? Number((b.steady_images_per_s / a.steady_images_per_s).toFixed(3)) : null;
  });
  result.summary[name] = s;
}
await save();
console.log(JSON.stringify(result, null, 2));
