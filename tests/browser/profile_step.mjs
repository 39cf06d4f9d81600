// Profiler, not a test (issue 15, point 4): where a CPU training step spends its time in the
// page. Trains Adam at batch 32 / 96 px on one CPU worker and samples the worker's thread with
// V8's CPU profiler (Chromium tracing, `disabled-by-default-v8.cpu_profiler`) over steady
// steps (from step FROM to step TO), then prints self time per function and per kernel family.
//
// The site's module has no function names (wasm-opt drops them); with NAMED_WASM=<the
// wasm-bindgen output of the same build> the profile runs on a copy of the site with that module
// swapped in (its SRI updated, the CSP meta dropped: this copy is for profiling only). Chromium
// runs the relaxed-SIMD module (NAMED_WASM=$CARGO_TARGET_DIR/relaxed-simd/bindgen/
// nin-companion-relaxed_bg.wasm); PROFILE_MODULE=strict profiles the first one instead
// (NAMED_WASM=$CARGO_TARGET_DIR/wasm-bindgen/release/nin-companion_bg.wasm).
//   SITE_DIR=… BASE_PATH=/nin/ NAMED_WASM=… xvfb-run -a node profile_step.mjs [out.json]
import { cp, readFile, readdir, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SITE_DIR, withCpuPage, fillTraining, STRICT_SIMD } from './harness.mjs';

const FROM = Number(process.env.PROFILE_FROM ?? 4);
const TO = Number(process.env.PROFILE_TO ?? 14);
const STRICT = process.env.PROFILE_MODULE === 'strict';
const MODULE = STRICT ? /^nin-companion-[0-9a-f]+_bg\.wasm$/ : /^nin-companion-relaxed-[0-9a-f]+_bg\.wasm$/;

/** A copy of the site whose page module is `named` (same build, names kept). */
async function namedSite(named) {
  const dir = await mkdtemp(join(tmpdir(), 'nin-profile-'));
  await cp(SITE_DIR, dir, { recursive: true });
  const wasm = (await readdir(dir)).find((f) => MODULE.test(f));
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
  ['gemm microkernels', /gemm_f32::(microkernel|wasm_kernel)|gemm_common::(gemm|gemv|gevv|horizontal|microkernel)/],
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

/** Trains on one worker and traces its steps FROM..TO: the trace's events, the steps, the time. */
async function traceSteps(page) {
  await page.getByTestId('train-workers').selectOption('1');
  await page.getByTestId('train-preset').selectOption('book');
  await page.getByTestId('train-optimizer').selectOption('adam');
  await fillTraining(page, { lr: '0.001', batch: '32', size: '96', epochs: '1', train: String(32 * (TO + 2)), val: '32', test: '32', seed: '1' });
  const step = () => page.getByTestId('train-progress').evaluate((p) => Number(p.value)).catch(() => 0);
  const reach = (n) => page.waitForFunction((k) => Number(document.querySelector('[data-testid="train-progress"]')?.value ?? 0) >= k, n, { timeout: 600_000, polling: 100 });
  await page.getByTestId('train-start').click();
  await reach(FROM);
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value.filter((e) => e.name === 'ProfileChunk')));
  await cdp.send('Tracing.start', { categories: 'disabled-by-default-v8.cpu_profiler', transferMode: 'ReportEvents' });
  const t0 = performance.now();
  const s0 = await step();
  await reach(TO);
  const steps = (await step()) - s0;
  const wall = performance.now() - t0;
  const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.end');
  await complete;
  return { events, steps, wall };
}

/** Self time per function of the busiest sampled thread (the training worker). */
function busiestThread(events) {
  // Samples per (pid, tid, profile id): nodes arrive in chunks; a sample's self time is the
  // time delta to the next sample.
  const profiles = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}:${e.id}`;
    const p = profiles.get(key) ?? { nodes: new Map(), samples: [], deltas: [] };
    const data = e.args?.data ?? {};
    for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n.callFrame?.functionName || '(anonymous)');
    p.samples.push(...(data.cpuProfile?.samples ?? []));
    p.deltas.push(...(data.timeDeltas ?? []));
    profiles.set(key, p);
  }
  let best = null;
  for (const p of profiles.values()) {
    const self = new Map();
    let total = 0;
    p.samples.forEach((id, i) => {
      const dt = p.deltas[i + 1] ?? 0;
      const name = p.nodes.get(id) ?? '?';
      self.set(name, (self.get(name) ?? 0) + dt);
      total += dt;
    });
    const busy = total - (self.get('(idle)') ?? 0) - (self.get('(program)') ?? 0);
    if (!best || busy > best.busy) best = { self, total, busy };
  }
  if (!best) throw new Error('no CPU profile in the trace');
  return best;
}

const named = process.env.NAMED_WASM;
const dir = named ? await namedSite(named) : SITE_DIR;
let traced;
try {
  traced = await withCpuPage(dir, 0, traceSteps, STRICT ? { init: STRICT_SIMD } : {});
} finally {
  if (named) await rm(dir, { recursive: true, force: true });
}
const { self, total } = busiestThread(traced.events);
const ms = (us) => Math.round(us / 100) / 10;
const share = (us) => Number((us / total).toFixed(4));
const families = new Map();
for (const [name, us] of self) {
  const f = name === '(idle)' || name === '(program)' || name === '(garbage collector)' ? name : family(name);
  families.set(f, (families.get(f) ?? 0) + us);
}
const result = {
  date: new Date().toISOString(),
  setting: 'Adam, batch 32, 96 px, 1 CPU worker',
  steps: traced.steps,
  wall_ms: Math.round(traced.wall),
  ms_per_step: Math.round(traced.wall / Math.max(1, traced.steps)),
  named_module: Boolean(named),
  thread_sampled_ms: ms(total),
  families: [...families].sort((a, b) => b[1] - a[1]).map(([f, us]) => ({ family: f, ms: ms(us), share: share(us) })),
  functions: [...self].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([name, us]) => ({ name: name.slice(0, 160), ms: ms(us), share: share(us) })),
};
const out = process.argv[2];
if (out) await writeFile(out, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
