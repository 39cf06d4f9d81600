// The chapter as a reader's page: every section in both languages, the toggle switches all
// visible text, the figure follows the configs, the code cells hold the current source, "Run
// all cells" runs the cells, outputs survive a reload; no page error, no third-party request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launch, openPage, backendKind, runShapeCell, BOOK_SHAPES_224, shapeRows } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

const SECTION_IDS = ['introduction', 'nin-blocks', 'nin-model', 'training', 'summary', 'exercises'];

/** Visible texts of elements that carry UI or prose, code excluded. */
async function visibleTexts(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('h1, h2, p, li, button, legend, label > span, th, caption, figcaption, text, .badge')) {
      if (el.closest('pre, code')) continue;
      const t = el.textContent.trim();
      out.push({ tag: el.tagName, text: t });
    }
    return out;
  });
}

function region(source, name) {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// region: ${name}`);
  const end = lines.findIndex((l) => l.trim() === `// endregion: ${name}`);
  return lines.slice(start + 1, end).filter((l) => l.trim() !== '');
}

test('both languages: every section, full translation, figure and code cells', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    // Fill the shape table so its headings and rows are scanned too.
    assert.equal(await runShapeCell(page, [1, 1, 224, 224]), 'done');

    const sections = async () => page.$$eval('[data-testid="chapter-section"]', (els) => els.map((e) => e.id));
    assert.deepEqual(await sections(), SECTION_IDS);
    const en = await visibleTexts(page);
    for (const { tag, text } of en) assert.notEqual(text, '', `empty ${tag} in English`);

    // Figure: one box per model stage (VGG-11: 5 blocks + 5 pools + flatten + 3 FC; NiN: 8 stages + GAP).
    assert.equal(await page.getByTestId('fig-vgg-stage').count(), 14);
    assert.equal(await page.getByTestId('fig-nin-stage').count(), 9);

    // Code cells show the current source of src/model (the config types in config.rs, the modules in mod.rs).
    const source = (await Promise.all(['config.rs', 'mod.rs'].map((f) => readFile(new URL(`../../src/model/${f}`, import.meta.url), 'utf8')))).join('\n');
    for (const name of ['nin-block', 'nin-model']) {
      const shown = await page.locator(`[data-testid="code-cell"][data-region="${name}"] pre`).textContent();
      for (const line of region(source, name)) assert.ok(shown.includes(line.trim()), `${name} lacks: ${line.trim()}`);
    }
    // Motivation numbers come from the analysis: VGG-11's first FC layer is 25,088 x 4096 + 4096.
    assert.equal(await page.getByTestId('vgg-first-fc').textContent(), '102,764,544');

    // Switch to Japanese: every section again, and no English text is left over.
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    assert.deepEqual(await sections(), SECTION_IDS);
    const ja = await visibleTexts(page);
    for (const { tag, text } of ja) assert.notEqual(text, '', `empty ${tag} in Japanese`);
    const jaChars = /[\u3040-\u30ff\u4e00-\u9fff]/;
    const english = new Set(en.map((e) => e.text));
    // Names, numbers and symbols may stay the same in both languages.
    const sameInBoth = /^(WebGPU|CPU|NiN|(NiN|VGG)-\d+|#|Sequential|MaxPool2d|Dropout|AdaptiveAvgPool2d|Flatten|Burn|[\d\s.,()×→%:=/-]*)$/;
    const leftovers = ja.filter(({ text }) => english.has(text) && !jaChars.test(text) && !sameInBoth.test(text));
    assert.deepEqual(leftovers, [], 'untranslated text in Japanese mode');
    assert.equal(await page.getByTestId('fig-nin-stage').count(), 9);
    assert.match(await page.locator('#fig_nin figcaption').textContent(), jaChars);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/ja-desktop.png`, fullPage: true });

    // The choice is remembered across a reload.
    await page.reload();
    await backendKind(page);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('Run all cells fills the shape cell, and its output survives a reload', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url, { width: 390, height: 844 });
    await backendKind(page);
    assert.equal(await page.getByTestId('cell-status').getAttribute('data-status'), 'idle');
    await page.getByTestId('run-all').click();
    await page.waitForSelector('[data-testid="cell-status"][data-status="done"]', { timeout: 120_000 });
    assert.deepEqual(await shapeRows(page), BOOK_SHAPES_224);
    // Top to bottom, one after another; what needs a model, a download or minutes is skipped
    // and named, with a link to it.
    const report = page.getByTestId('run-all-report');
    await page.waitForSelector('[data-testid="run-all-report"][data-done="true"]', { timeout: 120_000 });
    assert.equal(await report.getAttribute('data-ran'), 'shape-cell,model-code-cell');
    assert.equal(await report.getAttribute('data-skipped'), 'explore-1x1,explore-gap,training,try-cell');
    assert.deepEqual(await report.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['#explore-1x1', '#explore-gap', '#training', '#try-cell']);
    const ranAt = async (cell) => Number(await page.getByTestId(cell).getByTestId('last-ran').getAttribute('data-time'));
    assert.ok((await ranAt('shape-cell')) <= (await ranAt('model-code-cell')), 'the shape summary ran before the model cell below it');
    assert.equal(await page.getByTestId('model-code-out').count() > 0, true, 'the model cell printed its summary');

    await page.reload();
    await backendKind(page);
    assert.equal(await page.getByTestId('cell-status').getAttribute('data-status'), 'done');
    assert.equal(await page.getByTestId('restored').count(), 1);
    assert.deepEqual(await shapeRows(page), BOOK_SHAPES_224);
    // The page fits a phone: nothing wider than the viewport except scrollable tables/code.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than a phone screen`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
