// Profiler, not a test (issue 15, point 4): where a CPU training step spends its time in the
// page. Trains Adam at batch 32 / 96 px on one CPU worker and samples the worker's thread with
// V8's CPU profiler (Chromium tracing, `disabled-by-default-v8.cpu_profiler`) over steady
// steps (from step FROM to step TO), then prints self time per function and per kernel family.
//
// The site's module has no function names (wasm-opt drops them); with NAMED_WASM=<the
// wasm-bindgen output of the same build, e.g. $CARGO_TARGET_DIR/wasm-bindgen/release/
// nin-companion_bg.wasm> the profile runs on a copy of the site with that module swapped in
// (its SRI updated, the CSP meta dropped: this copy is for profiling only).
//   SITE_DIR=… BASE_PATH=/nin/ NAMED_WASM=… xvfb-run -a node profile_step.mjs [out.json]
import { cp, readFile, readdir, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SITE_DIR, startServer, launch, backendKind, fillTraining } from './harness.mjs';

const FROM = Number(process.env.PROFILE_FROM ?? 4);
const TO = Number(process.env.PROFILE_TO ?? 14);

/** A copy of the site whose page module is `named` (same build, names kept). */
async function namedSite(named) {
  const dir = await mkdtemp(join(tmpdir(), 'nin-profile-'));
  await cp(SITE_DIR, dir, { recursive: true });
  const wasm = (await readdir(dir)).find((f) => /^nin-companion-[0-9a-f]+_bg\.wasm$/.test(f));
  const sri = (b) => `sha384-${createHash('sha384').update(b).digest('base64')}`;
  const oldGz = await readFile(join(dir, `${wasm}.gz`));
  const bytes = await readFile(named);
  const gz = gzipSync(bytes, { level: 1 });
  await writeFile(join(dir, wasm), bytes);
  await writeFile(join(dir, `${wasm}.gz`), gz);
  let html = await readFile(join(dir, 'index.html'), 'utf8');
  if (!html.includes(sri(oldGz))) throw new Error('index.html does not carry the module SRI');
  html = html.split(sri(oldGz)).join(sri(gz)).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  await writeFile(join(dir, 'index.html'), html);
  return dir;
}

/** Kernel families by function name (Rust symbols as wasm-bindgen keeps them). */
const FAMILIES = [
  ['gemm microkernels', /gemm_f32::microkernel|gemm_common::(gemm|gemv|gevv|horizontal|microkernel)/],
  ['gemm packing', /gemm_common::(pack|simd)|pack_/],
  ['conv: im2col and direct paths', /burn_flex::ops::conv::/],
  ['conv_transpose (input gradient)', /burn_flex::ops::conv_transpose/],
  ['pooling', /burn_flex::ops::pool/],
  ['copies and layout (swap_dims, reshape)', /copy_2d_tiled|strided_index|burn_flex::tensor|burn_flex::layout|memcpy|memmove/],
  ['elementwise (macerator, unary, binary)', /macerator|burn_flex::ops::(unary|binary|float|activation|mask|comparison)/],
  ['reductions', /burn_flex::ops::reduce/],
  ['allocator and memset', /dlmalloc|__rust_alloc|__rust_dealloc|alloc::|memset|calloc|realloc/],
  ['autodiff graph', /burn_autodiff/],
];

function family(name) {
  for (const [label, re] of FAMILIES) if (re.test(name)) return label;
  return 'other';
}

const named = process.env.NAMED_WASM;
const dir = named ? await namedSite(named) : SITE_DIR;
const site = await startServer({ dir });
const browser = await launch({ webgpu: false });
const chunks = [];
let result;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(site.url);
  if ((await backendKind(page)) !== 'Cpu') throw new Error('not on the CPU backend');
  await page.getByTestId('train-workers').selectOption('1');
  await page.getByTestId('train-preset').selectOption('book');
  await page.getByTestId('train-optimizer').selectOption('adam');
  await fillTraining(page, { lr: '0.001', batch: '32', size: '96', epochs: '1', train: String(32 * (TO + 2)), val: '32', test: '32', seed: '1' });
  const step = () => page.getByTestId('train-progress').evaluate((p) => Number(p.value)).catch(() => 0);
  await page.getByTestId('train-start').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-progress"]')?.value ?? 0) >= n, FROM, { timeout: 600_000, polling: 100 });
  const cdp = await context.newCDPSession(page);
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const e of value) if (e.name === 'ProfileChunk' || e.name === 'Profile' || e.name === 'thread_name') chunks.push(e);
  });
  await cdp.send('Tracing.start', { categories: 'disabled-by-default-v8.cpu_profiler', transferMode: 'ReportEvents' });
  const t0 = performance.now();
  const s0 = await step();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-progress"]')?.value ?? 0) >= n, TO, { timeout: 600_000, polling: 100 });
  const s1 = await step();
  const wall = performance.now() - t0;
  const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.end');
  await complete;

  // Samples per (pid, tid, profile id): nodes arrive in chunks; a sample's self time is the
  // time delta to the next sample.
  const profiles = new Map();
  for (const e of chunks.filter((c) => c.name === 'ProfileChunk')) {
    const key = `${e.pid}:${e.tid}:${e.id}`;
    const p = profiles.get(key) ?? { nodes: new Map(), samples: [], deltas: [] };
    const data = e.args?.data ?? {};
    for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n.callFrame?.functionName || '(anonymous)');
    p.samples.push(...(data.cpuProfile?.samples ?? []));
    p.deltas.push(...(data.timeDeltas ?? []));
    profiles.set(key, p);
  }
  // The training worker is the thread with the most wasm samples.
  let best = null;
  for (const [key, p] of profiles) {
    const self = new Map();
    let total = 0;
    p.samples.forEach((id, i) => {
      const dt = p.deltas[i + 1] ?? 0;
      const name = p.nodes.get(id) ?? '?';
      self.set(name, (self.get(name) ?? 0) + dt);
      total += dt;
    });
    const busy = total - (self.get('(idle)') ?? 0) - (self.get('(program)') ?? 0);
    if (!best || busy > best.busy) best = { key, self, total, busy };
  }
  if (!best) throw new Error('no CPU profile in the trace');
  const ms = (us) => Math.round(us / 100) / 10;
  const functions = [...best.self].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([name, us]) => ({ name: name.slice(0, 160), ms: ms(us), share: Number((us / best.total).toFixed(4)) }));
  const families = new Map();
  for (const [name, us] of best.self) {
    const f = name === '(idle)' || name === '(program)' || name === '(garbage collector)' ? name : family(name);
    families.set(f, (families.get(f) ?? 0) + us);
  }
  result = {
    date: new Date().toISOString(),
    setting: 'Adam, batch 32, 96 px, 1 CPU worker',
    steps: s1 - s0,
    wall_ms: Math.round(wall),
    ms_per_step: Math.round(wall / Math.max(1, s1 - s0)),
    named_module: Boolean(named),
    thread_sampled_ms: ms(best.total),
    families: [...families].sort((a, b) => b[1] - a[1]).map(([f, us]) => ({ family: f, ms: ms(us), share: Number((us / best.total).toFixed(4)) })),
    functions,
  };
} finally {
  await browser.close();
  site.server.close();
  if (named) await rm(dir, { recursive: true, force: true });
}
const out = process.argv[2];
if (out) await writeFile(out, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
