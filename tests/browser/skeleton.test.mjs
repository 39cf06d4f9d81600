// The walking skeleton in a real browser: backend choice with and without WebGPU, the
// shape-summary cell against the book's table, input errors, and a clean page throughout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { startServer, launch, openPage, backendKind, runShapeCell, shapeRows, BOOK_SHAPES_224 } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

const SHOTS = process.env.SCREENSHOT_DIR;

test('without WebGPU flags: CPU fallback with its reason, and the book table', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'Cpu');
    const reason = await page.getByTestId('backend-reason').textContent();
    assert.match(reason, /CPU backend/);
    assert.match(reason, /no GPU adapter|requestAdapter\(\) returned null/);
    assert.equal(await page.getByTestId('use-webgpu').isDisabled(), true, 'WebGPU cannot be chosen');

    assert.equal(await runShapeCell(page, [1, 1, 224, 224]), 'done');
    assert.deepEqual(await shapeRows(page), BOOK_SHAPES_224);
    assert.equal(await page.getByTestId('total-params').textContent(), '1,992,166');
    assert.equal(await page.getByTestId('module-params').textContent(), '1,992,166');
    assert.match(await page.getByTestId('forward-time').textContent(), /Forward pass on the CPU: [\d.]+ (ms|s)/);
    // The feature-map strip: the input and every 4-D output, shrinking to 1x1.
    const tiles = await page.getByTestId('map-tile').allTextContents();
    assert.equal(tiles.length, 10);
    assert.match(tiles[0], /224×224.*1 channel$/);
    assert.match(tiles[1], /54×54.*96 channels/);
    assert.match(tiles[9], /1×1.*10 channels/);
    if (SHOTS) {
      await mkdir(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/cpu-desktop.png`, fullPage: true });
    }
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a bad input shows its error, and the next good input works', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url, { width: 390, height: 844 });
    await backendKind(page);
    assert.equal(await runShapeCell(page, [1, 1, 66, 66]), 'error');
    assert.match(await page.getByTestId('cell-error').textContent(), /too small.*67x67/);
    assert.equal(await runShapeCell(page, [0, 1, 224, 224]), 'error');
    assert.match(await page.getByTestId('shape-error-batch').textContent(), /Batch must be a whole number from 1 to 1,000,000, not "0"/);
    assert.equal(await page.getByTestId('shape-batch').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByTestId('shape-batch').getAttribute('aria-describedby'), 'shape-error-batch');
    assert.equal(await runShapeCell(page, [1, 3, 224, 224]), 'error');
    assert.match(await page.getByTestId('cell-error').textContent(), /3 channel\(s\) but the model expects 1/);
    assert.equal(await runShapeCell(page, [100000, 1, 4000, 4000]), 'error');
    assert.match(await page.getByTestId('cell-error').textContent(), /\d MiB|\d GiB|\d TiB/);
    assert.equal(await runShapeCell(page, [1, 1, '', 224]), 'error');
    assert.match(await page.getByTestId('shape-error-height').textContent(), /Height is empty: enter a whole number from 67 to 65,536\./);
    // Every bad field at once, each message under its own field (issue 29).
    assert.equal(await runShapeCell(page, ['0', 'abc', '', 224]), 'error');
    for (const id of ['batch', 'channels', 'height']) await page.getByTestId(`shape-error-${id}`).waitFor();
    assert.equal(await page.getByTestId('shape-error-width').count(), 0);
    assert.equal(await page.getByTestId('shape-width').getAttribute('aria-invalid'), null);
    assert.equal(await page.getByTestId('shape-fields-refused').getAttribute('data-refusals'), '3');
    // Every field's message states its rule (not "at least 0" for a field that refuses 0).
    for (const [shape, pattern] of [
      [['-1', 1, 224, 224], /Batch must be a whole number from 1 to 1,000,000, not "-1"\./],
      [[1, 'abc', 224, 224], /Channels must be a whole number from 1 to 4,096, not "abc"\./],
      [[1, 1, '-1', 224], /Height must be a whole number from 67 to 65,536, not "-1"\./],
      [[1, 1, 224, '2.5'], /Width must be a whole number from 67 to 65,536, not "2\.5"\./],
    ]) {
      assert.equal(await runShapeCell(page, shape), 'error');
      assert.match(await page.locator('[data-testid^="shape-error-"]').textContent(), pattern);
    }

    assert.equal(await runShapeCell(page, [2, 1, 67, 67]), 'done');
    const rows = await shapeRows(page);
    assert.equal(rows.length, 10);
    assert.equal(rows[7], '(2, 10, 1, 1)');
    assert.equal(rows[9], '(2, 10)');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/cpu-phone.png`, fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('with SwiftShader WebGPU: the page runs on WebGPU and gives the book table', async () => {
  const browser = await launch({ webgpu: true });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'WebGpu');
    const reason = await page.getByTestId('backend-reason').textContent();
    assert.match(reason, /wgpu backend on .*swiftshader/i);
    assert.match(reason, /Largest buffer: [\d.]+ (MiB|GiB)/);

    // The first WebGPU run compiles every kernel on a software adapter: allow minutes.
    assert.equal(await runShapeCell(page, [1, 1, 224, 224], 600_000), 'done');
    assert.deepEqual(await shapeRows(page), BOOK_SHAPES_224);
    assert.equal(await page.getByTestId('module-params').textContent(), '1,992,166');
    assert.match(await page.getByTestId('forward-time').textContent(), /Forward pass on WebGPU/);

    // Switching to the CPU and back keeps working.
    await page.getByTestId('use-cpu').click();
    assert.equal(await backendKind(page), 'Cpu');
    assert.match(await page.getByTestId('backend-reason').textContent(), /you chose the CPU backend/);
    await page.getByTestId('use-webgpu').click();
    assert.equal(await backendKind(page), 'WebGpu');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/webgpu-desktop.png`, fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
