// Numbers written for people (issue 29), in headless Chromium: while WebGPU compiles the first
// steps' kernels the status says so with the seconds so far, then the usual progress; times
// read "2 min 10 s", never as a clock; memory has three significant digits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, backendKind, startAndWait, fillTraining, TINY_CPU, TINY_GPU } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

/** A clock-looking time (m:ss or h:mm:ss). */
const CLOCK = /\d:\d\d/;
/** A length of time in words, English or Japanese. */
const EN_TIME = /\d+ (s|min|h)( \d+ (s|min))?/;
const JA_TIME = /\d+ (秒|分|時間)( \d+ (秒|分))?/;
/** Memory with three significant digits: 137 MiB, 36.5 MiB, 1.50 GiB. */
const BYTES3 = /≈ (\d{3,4}|\d{2}\.\d|\d\.\d{2}) (KiB|MiB|GiB|TiB)/;

/** Records what the status shows while it says "preparing" (a MutationObserver misses no change). */
async function watchPreparing(page) {
  await page.evaluate(() => {
    window.__preparing = [];
    const status = document.querySelector('[data-testid="train-status"]');
    new MutationObserver(() => {
      const p = status.querySelector('[data-testid="train-preparing"]');
      if (p) {
        window.__preparing.push({
          text: p.textContent,
          secs: Number(p.dataset.secs),
          hidden: p.querySelector('[aria-hidden="true"]')?.textContent ?? null,
          progress: !!document.querySelector('[data-testid="train-progress"]'),
        });
      }
    }).observe(status, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return () => page.evaluate(() => window.__preparing);
}

test('WebGPU (SwiftShader): "Preparing GPU kernels… N s" until the first steps finish, then progress and times in words', async () => {
  const browser = await launch({ webgpu: true });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'WebGpu');
    await page.getByTestId('train-preset').selectOption('short');
    await fillTraining(page, TINY_GPU);
    assert.match(await page.getByTestId('train-check').textContent(), BYTES3);
    const seen = await watchPreparing(page);
    assert.equal(await startAndWait(page), 'done', await page.getByTestId('train-status').textContent());
    const preparing = await seen();
    assert.ok(preparing.length >= 1, 'the status said the GPU kernels were being prepared');
    for (const p of preparing) {
      assert.match(p.text, new RegExp(`^Preparing GPU kernels… ${EN_TIME.source}$`), p.text);
      // Only the words are announced: the ticking seconds are hidden from screen readers.
      assert.match(p.hidden ?? '', EN_TIME, JSON.stringify(p));
      assert.ok(!p.progress, `no progress bar yet: ${JSON.stringify(p)}`);
    }
    const secs = preparing.map((p) => p.secs);
    assert.deepEqual(secs, [...secs].sort((a, b) => a - b), 'the seconds only go up');
    assert.equal(await page.getByTestId('train-preparing').count(), 0, 'gone once the run ended');

    // The progress line's time left and the next run's estimate: words, no clock.
    const progress = await page.getByTestId('train-progress-text').textContent();
    assert.match(progress, new RegExp(`${EN_TIME.source} left`), progress);
    assert.doesNotMatch(progress, CLOCK, progress);
    const estimate = await page.getByTestId('train-estimate').textContent();
    assert.match(estimate, new RegExp(`^≈\\s${EN_TIME.source} \\(`), estimate);
    assert.doesNotMatch(estimate, CLOCK, estimate);

    // The same in Japanese.
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    assert.match(await page.getByTestId('train-progress-text').textContent(), new RegExp(`残り ${JA_TIME.source}`));
    assert.match(await page.getByTestId('train-estimate').textContent(), new RegExp(`^≈\\s${JA_TIME.source}（`));
    assert.match(await page.getByTestId('train-check').textContent(), BYTES3);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('CPU: no kernels to prepare, the status goes straight to training', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'Cpu');
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.match(await page.getByTestId('train-check').textContent(), BYTES3);
    const seen = await watchPreparing(page);
    assert.equal(await startAndWait(page), 'done', await page.getByTestId('train-status').textContent());
    assert.deepEqual(await seen(), []);
    const progress = await page.getByTestId('train-progress-text').textContent();
    assert.match(progress, new RegExp(`${EN_TIME.source} left`), progress);
    assert.doesNotMatch(progress, CLOCK, progress);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
