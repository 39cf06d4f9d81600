// Benchmark, not a test (issue 15): CPU training speed in the page with 1, 2 and 4 workers
// (4 with navigator.hardwareConcurrency faked to 4), Adam at batch 32 / 96 px, beside the
// reference harnesses run in the same invocation: TensorFlow.js 4.22's tuned wasm backend on 2
// threads (../shared/bench/tfjs) and PyTorch on the CPU (../shared/bench/torch_step.py, where
// $BENCH_PYTHON has torch). With BENCH_BEFORE=<another built site> (today's main) its
// speed with one worker and with two (one only, if it has no worker field) is measured in the same run. Also the CPU preset from Start to the test
// report with the default worker count against 1 worker (time, validation curve, test accuracy),
// and on BENCH_BEFORE's site (today's main, which has no worker field) in the same run.
// BENCH_SPEED=0 skips the speed part, BENCH_PRESET=0 the preset part.
// Writes JSON to $BENCH_OUT (default ../../bench-results/parallel.json) and prints it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SITE_DIR, withCpuPage, fillTraining, STRICT_SIMD } from './harness.mjs';

const run = promisify(execFile);
const OUT = resolve(process.env.BENCH_OUT ?? '../../bench-results/parallel.json');
const BEFORE = process.env.BENCH_BEFORE ? resolve(process.env.BENCH_BEFORE) : null;
const STEPS = Number(process.env.BENCH_STEPS ?? 24);
const SHARED = resolve(process.env.BENCH_SHARED ?? '../../../shared/bench');
const PRESET = process.env.BENCH_PRESET !== '0';
const SPEED = process.env.BENCH_SPEED !== '0';

async function startAndWait(page) {
  const before = Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
  const t0 = performance.now();
  await page.getByTestId('train-start').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]').dataset.finished) > n, before, { timeout: 3_600_000 });
  const phase = await page.getByTestId('train-cell').getAttribute('data-phase');
  if (phase !== 'done') throw new Error(`run ended ${phase}: ${await page.getByTestId('train-status').textContent()}`);
  return performance.now() - t0;
}

/** Adam, batch 32 at 96 px, STEPS steps: the run's images/s (one validation batch included). */
async function speed(page, workers) {
  if (workers) await page.getByTestId('train-workers').selectOption(String(workers));
  await page.getByTestId('train-preset').selectOption('book');
  await page.getByTestId('train-optimizer').selectOption('adam');
  await fillTraining(page, { lr: '0.001', batch: '32', size: '96', epochs: '1', train: String(32 * STEPS), val: '32', test: '32', seed: '1' });
  await startAndWait(page);
  const text = page.getByTestId('train-progress-text');
  return { workers: Number((await text.getAttribute('data-workers')) ?? 1), images_per_s: Number(await text.getAttribute('data-images-per-s')) };
}

/** The CPU preset from Start to the test report: wall time, validation accuracies, test accuracy. */
async function preset(page, workers) {
  if (workers) await page.getByTestId('train-workers').selectOption(String(workers));
  await page.getByTestId('train-preset').selectOption('cpu');
  const ms = await startAndWait(page);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const rows = (await readFile(await dl.path(), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
  const accuracy = Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
  return { workers, start_to_report_ms: Math.round(ms), val_accuracy: rows.filter((c) => c[0] === 'validation').map((c) => Number(c[4])), test_accuracy: accuracy };
}

async function tfjs() {
  const args = ['bench.mjs', '--backend', 'wasm', '--coi', '--fake-cores', '4', '--threads', '2', '--dgrad', 'composed', '--size', '96', '--batch', '32', '--steps', String(STEPS)];
  try {
    const { stdout } = await run('node', args, { cwd: `${SHARED}/tfjs`, timeout: 1_800_000, maxBuffer: 1 << 24 });
    const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
    return { command: `node ${args.join(' ')}`, ...JSON.parse(line) };
  } catch (e) {
    return { error: String(e).slice(0, 500) };
  }
}

async function torch() {
  const python = process.env.BENCH_PYTHON;
  if (!python) return { skipped: 'BENCH_PYTHON (a python with torch) not set' };
  try {
    const { stdout } = await run(python, ['torch_step.py', '96', '32', String(STEPS)], { cwd: SHARED, timeout: 1_800_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1));
  } catch (e) {
    return { error: String(e).slice(0, 500) };
  }
}

const result = { date: new Date().toISOString(), steps: STEPS, page: {} };
if (SPEED) {
  result.page.workers_1 = await withCpuPage(SITE_DIR, 0, (p) => speed(p, 1));
  result.page.workers_2 = await withCpuPage(SITE_DIR, 0, (p) => speed(p, 2));
  // The same site's first module (strict SIMD: what a browser without relaxed SIMD runs).
  result.page.workers_1_strict_simd = await withCpuPage(SITE_DIR, 0, (p) => speed(p, 1), { init: STRICT_SIMD });
  result.page.workers_2_strict_simd = await withCpuPage(SITE_DIR, 0, (p) => speed(p, 2), { init: STRICT_SIMD });
  result.page.module = await withCpuPage(SITE_DIR, 0, (p) => p.evaluate(() => (window.__ninModule.relaxed ? 'relaxed SIMD' : 'strict SIMD')));
  result.page.workers_4_faked = await withCpuPage(SITE_DIR, 4, (p) => speed(p, 0));
  if (BEFORE) {
    // One worker and two on BENCH_BEFORE's site; a site from before the worker field has one.
    const onBefore = (workers) => withCpuPage(BEFORE, 0, async (p) => ((await p.getByTestId('train-workers').count()) ? speed(p, workers) : workers === 1 ? speed(p, 0) : null));
    result.page.before_1 = await onBefore(1);
    result.page.before_2 = await onBefore(2);
  }
  result.tfjs_wasm_tuned_2_threads = await tfjs();
  result.pytorch_cpu = await torch();
}
if (PRESET) {
  result.cpu_preset = await withCpuPage(SITE_DIR, 0, async (p) => ({ default: await preset(p, 2), one: await preset(p, 1) }));
  if (BEFORE) result.cpu_preset.before_main = await withCpuPage(BEFORE, 0, (p) => preset(p, 0));
}
const r = (a, b) => (a && b ? Number((a / b).toFixed(3)) : null);
const base = (result.page.before_1 ?? result.page.workers_1)?.images_per_s;
const tf = result.tfjs_wasm_tuned_2_threads?.imgs_per_s;
result.ratios = {
  workers_2_over_single: r(result.page.workers_2?.images_per_s, base),
  one_worker_over_before: r(result.page.workers_1?.images_per_s, result.page.before_1?.images_per_s),
  workers_2_over_before_2: r(result.page.workers_2?.images_per_s, result.page.before_2?.images_per_s),
  relaxed_over_strict_1_worker: r(result.page.workers_1?.images_per_s, result.page.workers_1_strict_simd?.images_per_s),
  relaxed_over_strict_2_workers: r(result.page.workers_2?.images_per_s, result.page.workers_2_strict_simd?.images_per_s),
  workers_4_faked_over_single: r(result.page.workers_4_faked?.images_per_s, base),
  workers_2_over_tfjs_tuned_2_threads: r(result.page.workers_2?.images_per_s, tf),
  single_over_tfjs_tuned_2_threads: r(base, tf),
  pytorch_over_workers_2: r(result.pytorch_cpu?.imgs_per_s, result.page.workers_2?.images_per_s),
  cpu_preset_time_default_over_one: result.cpu_preset ? r(result.cpu_preset.default.start_to_report_ms, result.cpu_preset.one.start_to_report_ms) : null,
  cpu_preset_time_default_over_main: result.cpu_preset?.before_main ? r(result.cpu_preset.default.start_to_report_ms, result.cpu_preset.before_main.start_to_report_ms) : null,
  cpu_preset_time_one_over_main: result.cpu_preset?.before_main ? r(result.cpu_preset.one.start_to_report_ms, result.cpu_preset.before_main.start_to_report_ms) : null,
};
await mkdir(dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result, null, 2));
