// Accessibility and layout in headless Chromium, in both languages: axe-core (npm, run inside
// the page) finds no violation on the page with every cell rendered (shape summary, a finished
// tiny training run with its board, results and run board, the exercises); at 1280 px no table
// needs sideways scrolling (their last columns, "Train in the training cell" and "Test
// accuracy", used to hide), and at 390 px nothing but the scroll boxes is wider than the screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage, backendKind, runShapeCell, startAndWait, fillTraining, TINY_CPU } from './harness.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

async function axe(page) {
  // The page's CSP refuses added <script> tags; evaluate axe's source instead.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // Colour contrast of text over the training chart's curves is not a WCAG text issue.
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return result;
}

/** Scroll boxes whose content is wider than the box (it hides until one scrolls sideways). */
const overflowing = (page) => page.$$eval('.table-scroll', (els) =>
  els.filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1).map((e) => `${e.querySelector('table')?.dataset.testid ?? e.className}: ${e.scrollWidth} > ${e.clientWidth}`));

test('axe-core finds no violation, and tables fit at 1280 px (both languages)', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'Cpu');
    assert.equal(await runShapeCell(page, [1, 1, 224, 224]), 'done');
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(await startAndWait(page), 'done');
    // The exercises: exercise 1 checked (its feedback), 2 to 6 skipped, so every cell is open.
    await page.locator('[data-testid="ex1-option"][value="same"]').check();
    await page.getByTestId('ex1-predict-submit').click();
    for (const id of ['ex2', 'ex3', 'ex4', 'ex5', 'ex6']) await page.getByTestId(`${id}-predict-skip`).click();
    await page.getByTestId('ex6-answer').waitFor();
    for (const lang of ['en', 'ja']) {
      assert.deepEqual(await axe(page), [], `axe violations (${lang})`);
      assert.deepEqual(await overflowing(page), [], `tables wider than their boxes at 1280 px (${lang})`);
      await page.getByTestId('lang-toggle').click();
      await page.waitForFunction((l) => document.documentElement.lang !== l, lang);
    }
    // Phone width: the page itself never scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `page width at 390 px: ${wide}`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
