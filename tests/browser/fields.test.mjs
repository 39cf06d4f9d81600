// Hostile input in the page's own fields and storage, in headless Chromium: every field's error
// states the rule it follows (in both languages), and localStorage that is disabled, full, or
// holding values from an older version leaves the page working, with a notice of what it could
// not keep.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, backendKind, runShapeCell, shapeRows, BOOK_SHAPES_224, NO_SW } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

async function open(browser, init) {
  const context = await browser.newContext(NO_SW);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  await page.goto(site.url);
  return { page, problems };
}

test('every training and exercise field says what it accepts, in both languages', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await open(browser);
    await backendKind(page);
    await page.getByTestId('train-preset').selectOption('cpu');
    const rules = {
      lr: ['Learning rate', 'a number above 0 and below 10 \\(such as 0\\.001\\)'],
      batch: ['Batch size', 'a whole number from 1 to 65,536'],
      size: ['Image size', 'a whole number from 67 to 4,096'],
      epochs: ['Epochs', 'a whole number from 1 to 1,000'],
      train: ['Training images', 'a whole number from 1 to 60,000'],
      val: ['Validation images', 'a whole number from 1 to 60,000'],
      test: ['Test images', 'a whole number from 1 to 10,000'],
      seed: ['Seed', 'a whole number from 0 to 18,446,744,073,709,551,615'],
    };
    for (const [id, [label, rule]] of Object.entries(rules)) {
      const field = page.getByTestId(`train-${id}`);
      const good = await field.inputValue();
      // Each field's message sits under it, and the field points at it (issue 29).
      const error = page.getByTestId(`train-error-${id}`);
      for (const bad of ['abc', '-1']) {
        await field.fill(bad);
        const message = await error.textContent();
        assert.match(message, new RegExp(`^${label}[^.]* must be ${rule}, not "${bad}"\\.$`), `${id}: ${message}`);
        assert.equal(await field.getAttribute('aria-invalid'), 'true', id);
        assert.equal(await field.getAttribute('aria-describedby'), `train-error-${id}`, id);
        assert.equal(await error.getAttribute('id'), `train-error-${id}`, id);
        assert.ok(await page.getByTestId('train-start').isDisabled());
      }
      await field.fill('');
      assert.match(await error.textContent(), new RegExp(`is empty: enter ${rule}\\.`));
      await field.fill(good);
      assert.equal(await error.count(), 0, id);
      assert.equal(await field.getAttribute('aria-invalid'), null, id);
    }
    // Three bad fields at once: three messages, each at its own field.
    await page.getByTestId('train-lr').fill('abc');
    await page.getByTestId('train-epochs').fill('0');
    await page.getByTestId('train-seed').fill('');
    for (const id of ['lr', 'epochs', 'seed']) await page.getByTestId(`train-error-${id}`).waitFor();
    assert.equal(await page.locator('[data-testid^="train-error-"]').count(), 3);
    assert.equal(await page.getByTestId('train-check-refused').getAttribute('data-refusals'), '3');
    await page.getByTestId('train-preset').selectOption('cpu');
    assert.equal(await page.locator('[data-testid^="train-error-"]').count(), 0);
    // A check across fields sits at the field it concerns, and describes both fields.
    await page.getByTestId('train-train').fill('59800');
    assert.match(await page.getByTestId('train-error-train').textContent(), /60,?100/);
    assert.equal(await page.getByTestId('train-val').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByTestId('train-val').getAttribute('aria-describedby'), 'train-error-train');
    await page.getByTestId('train-preset').selectOption('cpu');
    // Exercise 4's side and batch (its cell opens once its prediction is skipped, issue 27).
    await page.getByTestId('ex4-predict-skip').click();
    await page.getByTestId('ex4-side').fill('-1');
    assert.match(await page.getByTestId('ex4-error').textContent(), /must be a whole number from 67 to 4,096, not "-1"\./);
    await page.getByTestId('ex4-side').fill('224');
    await page.getByTestId('ex4-batch').fill('0');
    assert.match(await page.getByTestId('ex4-error').textContent(), /must be a whole number from 1 to 1,000,000, not "0"\./);
    // Japanese states the same rules.
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('train-lr').fill('abc');
    assert.match(await page.getByTestId('train-error-lr').textContent(), /0 より大きく 10 より小さい数（例: 0\.001）にしてください（入力値: "abc"）。/);
    assert.match(await page.getByTestId('ex4-error').textContent(), /1 から 1,000,000 までの整数にしてください/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('localStorage disabled: the page works and says it cannot remember', async () => {
  const browser = await launch({ webgpu: false });
  try {
    // As some private windows do: reaching localStorage throws.
    const { page, problems } = await open(browser, `Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });`);
    assert.equal(await backendKind(page), 'Cpu');
    assert.match(await page.getByTestId('storage-notice').textContent(), /does not let the page use its storage/);
    assert.equal(await runShapeCell(page, [1, 1, 224, 224]), 'done');
    assert.deepEqual(await shapeRows(page), BOOK_SHAPES_224);
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    assert.match(await page.getByTestId('storage-notice').textContent(), /保存領域を使えません/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('localStorage full: what could not be saved is named, and the page goes on', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await open(browser, `Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };`);
    await backendKind(page);
    assert.equal(await page.getByTestId('storage-notice').count(), 0, 'reading works; nothing written yet');
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('storage-notice').waitFor();
    assert.match(await page.getByTestId('storage-notice').textContent(), /保存領域がいっぱいのため、言語の選択を保存できませんでした/);
    await page.getByTestId('lang-toggle').click();
    assert.equal(await runShapeCell(page, [1, 1, 67, 67]), 'done');
    assert.match(await page.getByTestId('storage-notice').textContent(), /storage for this site is full, so the shape cell's last result could not be saved/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('values from an older version are set aside, and the page starts clean', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await open(browser, `(() => {
      if (sessionStorage.getItem('seeded')) return;
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('nin-runs-v1', '{"runs": "from an older version"}');
      localStorage.setItem('nin-speed-v1', '[["Cpu", {"flops_per_s": "fast"}]]');
      localStorage.setItem('nin.cell.shape-summary.v1', '{"inputs": 4}');
      localStorage.setItem('nin.lang', '"klingon"');
    })();`);
    assert.equal(await backendKind(page), 'Cpu');
    assert.match(await page.getByTestId('storage-notice').textContent(), /could not be read \(from an older version of this page, or damaged\) and was set aside/);
    // The board is empty, the estimate says it has no speed yet, the shape cell starts fresh.
    assert.equal(await page.getByTestId('run-row').count(), 0);
    await page.getByTestId('train-estimate-unknown').waitFor();
    assert.equal(await page.getByTestId('shape-height').inputValue(), '224');
    // Set aside means removed: a reload starts without a notice about them.
    assert.equal(await page.evaluate(() => localStorage.getItem('nin-runs-v1')), null);
    await page.reload();
    await backendKind(page);
    assert.equal(await page.getByTestId('storage-notice').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
