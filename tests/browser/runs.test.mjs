// Exercise variants trained by the one training cell, and the run comparison board: runs land
// on the board with their variant, curves overlay, rename and delete work, and the board
// survives a reload. A fully connected variant refuses a size it was not built for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, backendKind } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

const TINY = { size: '67', batch: '16', train: '64', val: '32', test: '32', epochs: '1', seed: '1' };

async function tinyRun(page) {
  await page.getByTestId('train-preset').selectOption('cpu');
  for (const [id, v] of Object.entries(TINY)) await page.getByTestId(`train-${id}`).fill(v);
  const before = Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
  await page.getByTestId('train-start').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]').dataset.finished) > n, before, { timeout: 300_000 });
  assert.equal(await page.getByTestId('train-cell').getAttribute('data-phase'), 'done', await page.getByTestId('train-status').textContent());
}

const count = async (page) => Number(await page.getByTestId('runs-cell').getAttribute('data-count'));

test('variants train in the training cell; the run board compares, renames, deletes, persists', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    await page.evaluate(() => localStorage.removeItem('nin-runs-v1'));
    await page.reload();
    await backendKind(page);
    assert.equal(await count(page), 0);
    await page.getByTestId('runs-empty').waitFor();

    // Exercise 1's one-1x1 variant goes to the training cell (its cell opens once its
    // prediction is skipped, issue 27).
    await page.getByTestId('ex1-predict-skip').click();
    await page.locator('[data-testid="ex1-table"] [data-testid="train-variant"][data-key="mlp1"]').click();
    assert.equal(await page.getByTestId('train-model').getAttribute('data-variant'), 'mlp1');
    await tinyRun(page);
    assert.equal(await count(page), 1);
    // Then the book's model, for comparison.
    await page.getByTestId('train-model-reset').click();
    assert.equal(await page.getByTestId('train-model').getAttribute('data-variant'), 'book');
    await tinyRun(page);
    assert.equal(await count(page), 2);

    const rows = await page.getByTestId('run-row').evaluateAll((rs) => rs.map((r) => ({ variant: r.dataset.variant, best: Number(r.dataset.best), test: Number(r.dataset.test) })));
    assert.deepEqual(rows.map((r) => r.variant), ['mlp1', 'book']);
    for (const r of rows) {
      assert.ok(r.best >= 0 && r.best <= 1 && r.test >= 0 && r.test <= 1, JSON.stringify(r));
    }
    assert.equal(await page.getByTestId('runs-line').count(), 2);
    // The summary is written from these runs.
    const summary = await page.getByTestId('runs-summary').locator('li').allTextContents();
    assert.match(summary[0], /^Highest validation accuracy: #\d+ (mlp1|book) \(\d+\.\d %\)\.$/);
    assert.equal(summary.length, 3);
    // The table shows each variant's own parameter count.
    const params = await page.locator('[data-testid="run-row"] td:nth-child(4)').allTextContents();
    assert.deepEqual(params, ['1,769,112', '1,992,166']);

    // Rename the first, delete the second; both survive a reload.
    await page.getByTestId('run-name').first().fill('one 1x1 conv');
    await page.getByTestId('run-name').first().press('Enter');
    await page.getByTestId('run-name').first().blur();
    await page.getByTestId('run-delete').nth(1).click();
    assert.equal(await count(page), 1);
    await page.reload();
    await backendKind(page);
    assert.equal(await count(page), 1);
    assert.equal(await page.getByTestId('run-name').first().inputValue(), 'one 1x1 conv');

    // A fully connected head is tied to 224 px: at 67 px the training cell refuses it.
    await page.getByTestId('ex3-predict-skip').click();
    await page.locator('[data-testid="ex3-table"] [data-testid="train-variant"][data-key="fc_last_block"]').click();
    await page.getByTestId('train-size').fill('67');
    await page.getByTestId('train-error-size').waitFor();
    assert.match(await page.getByTestId('train-error-size').textContent(), /224/);
    assert.ok(await page.getByTestId('train-start').isDisabled());

    // A corrupt saved board is ignored, not fatal.
    await page.evaluate(() => localStorage.setItem('nin-runs-v1', '{"not": "a list"'));
    await page.reload();
    await backendKind(page);
    assert.equal(await count(page), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a hostile run board in localStorage is bounded: the page stays responsive and says what it left out', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    // A list of 400,000 entries that are not runs (about 0.8 MB), written before the page loads.
    await context.addInitScript(() => {
      if (!sessionStorage.getItem('hostile-written')) {
        localStorage.setItem('nin-runs-v1', `[${'0,'.repeat(399999)}0]`);
        sessionStorage.setItem('hostile-written', '1');
      }
    });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(site.url);
    await backendKind(page);
    await page.getByTestId('runs-dropped').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('runs-dropped').textContent(), 'Reading the saved run board left out 400,000 saved entries that were not runs the board can draw.');
    assert.equal(await count(page), 0);
    // The board was saved back as read: the note shows once.
    assert.equal(await page.evaluate(() => localStorage.getItem('nin-runs-v1')), '[]');
    await page.getByTestId('lang-toggle').click();
    assert.match(await page.getByTestId('runs-dropped').textContent(), /ボードに描けない保存データ 400,000 件/);
    await page.reload();
    await backendKind(page);
    assert.equal(await page.getByTestId('runs-dropped').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
