// The page's two modules (issue 31): a browser with relaxed SIMD (Chromium here) loads the
// relaxed-SIMD module and only that one, its CPU workers run it too; the first module (strict
// SIMD, what Safari gets) is still there and trains the same numbers: the losses of a fixed
// batch before and after Adam steps agree within 1e-4.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launch, backendKind, fillTraining, NO_SW, STRICT_SIMD } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

/** A page on the CPU backend; `strict` forces the first module. Records the page's and its
 * workers' requests for the page modules. */
async function cpuPage(browser, strict) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...NO_SW });
  if (strict) await context.addInitScript(STRICT_SIMD);
  const page = await context.newPage();
  const problems = [];
  const modules = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  context.on('request', (r) => {
    const name = new URL(r.url()).pathname.split('/').at(-1);
    if (/^nin-companion-/.test(name)) modules.push(name);
  });
  await page.goto(site.url);
  assert.equal(await backendKind(page), 'Cpu');
  return { page, problems, modules };
}

/** One worker, Adam, a fixed batch of 8 images at 67 px, three steps: the CSV's losses. */
async function fixedBatchLosses(page) {
  await page.getByTestId('train-workers').selectOption('1');
  await page.getByTestId('train-preset').selectOption('book');
  await page.getByTestId('train-optimizer').selectOption('adam');
  await fillTraining(page, { lr: '0.001', batch: '8', size: '67', epochs: '3', train: '8', val: '8', test: '8', seed: '5' });
  const before = Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
  await page.getByTestId('train-start').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]').dataset.finished) > n, before, { timeout: 300_000 });
  assert.equal(await page.getByTestId('train-cell').getAttribute('data-phase'), 'done', await page.getByTestId('train-status').textContent());
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const rows = (await readFile(await dl.path(), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
  return rows.filter((c) => c[0] === 'train').map((c) => Number(c[3]));
}

test('relaxed SIMD where the browser has it, the first module otherwise; both train the same numbers', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const relaxed = await cpuPage(browser, false);
    const chosen = await relaxed.page.evaluate(() => window.__ninModule);
    assert.equal(chosen.relaxed, true, 'Chromium has relaxed SIMD');
    assert.match(chosen.glue, /\/nin-companion-relaxed-[0-9a-f]{16}\.js$/);
    const fast = await fixedBatchLosses(relaxed.page);
    // The page and its worker fetched the relaxed module's glue and .gz, and nothing of the other.
    assert.ok(relaxed.modules.some((n) => /^nin-companion-relaxed-[0-9a-f]{16}_bg\.wasm\.gz$/.test(n)), relaxed.modules.join());
    assert.ok(relaxed.modules.every((n) => n.startsWith('nin-companion-relaxed-')), relaxed.modules.join());
    assert.deepEqual(relaxed.problems, []);

    const strict = await cpuPage(browser, true);
    const first = await strict.page.evaluate(() => window.__ninModule);
    assert.equal(first.relaxed, false);
    assert.match(first.glue, /\/nin-companion-[0-9a-f]{1,16}\.js$/); // trunk writes its hash without leading zeros
    const plain = await fixedBatchLosses(strict.page);
    assert.ok(strict.modules.length > 0 && strict.modules.every((n) => !n.startsWith('nin-companion-relaxed-')), strict.modules.join());
    assert.deepEqual(strict.problems, []);

    // The first loss is the forward pass at the seeded weights; the next ones follow Adam steps.
    assert.equal(fast.length, 3);
    assert.equal(plain.length, 3);
    for (let i = 0; i < 3; i++) {
      assert.ok(Math.abs(fast[i] - plain[i]) <= 1e-4 * Math.max(1, Math.abs(plain[i])), `step ${i + 1}: relaxed ${fast[i]} against strict ${plain[i]}`);
    }
    console.log(`# losses, relaxed: ${fast.join(' ')}; strict: ${plain.join(' ')}`);
  } finally {
    await browser.close();
  }
});
