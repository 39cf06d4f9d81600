// The model cell (issue 28): the book's PyTorch code, edited and run in the page. The book's
// code prints the book's table and 1,992,166 parameters; an exercise's edit gives the model the
// exercise cell builds; malformed programs say what and where; the code survives a reload and a
// language switch; "Train this model" trains the edited net to a finished run on the board.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, backendKind, fillTraining, TINY_CPU } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

const BOOK_ROWS = [
  ['Sequential', '(1, 96, 54, 54)'],
  ['MaxPool2d', '(1, 96, 26, 26)'],
  ['Sequential', '(1, 256, 26, 26)'],
  ['MaxPool2d', '(1, 256, 12, 12)'],
  ['Sequential', '(1, 384, 12, 12)'],
  ['MaxPool2d', '(1, 384, 5, 5)'],
  ['Dropout', '(1, 384, 5, 5)'],
  ['Sequential', '(1, 10, 5, 5)'],
  ['AdaptiveAvgPool2d', '(1, 10, 1, 1)'],
  ['Flatten', '(1, 10)'],
];

async function runCode(page) {
  const before = Number(await page.getByTestId('model-code-status').getAttribute('data-finished'));
  await page.getByTestId('model-code-run').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="model-code-status"]').dataset.finished) > n, before, { timeout: 120_000 });
  return page.getByTestId('model-code-status').getAttribute('data-status');
}

const rows = (page) => page.$$eval('[data-testid="model-code-out"]', (els) => els.map((e) => [e.dataset.name, e.dataset.shape]));
const params = async (page) => Number(await page.getByTestId('model-code-params').getAttribute('data-value'));

/** Replaces the editor's text (as typing would: the input event fires). */
async function setCode(page, text) {
  await page.getByTestId('model-code').fill(text);
}

test("the book's code prints the book's table; an exercise's edit gives the exercise's model", async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'Cpu');
    const book = await page.getByTestId('model-code').inputValue();
    assert.match(book, /^def nin_block\(out_channels, kernel_size, strides, padding\):/);
    assert.match(book, /class NiN\(d2l\.Classifier\):/);
    assert.match(book, /NiN\(\)\.layer_summary\(\(1, 1, 224, 224\)\)/);
    assert.equal(await runCode(page), 'done');
    assert.deepEqual(await rows(page), BOOK_ROWS);
    assert.equal(await params(page), 1992166);
    assert.equal(await page.getByTestId('model-code-params').textContent(), '1,992,166');

    // Exercise 1: one 1x1 convolution per block, as the exercise cell builds it.
    const one = book.replace('        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),\n        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())', '        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())');
    assert.notEqual(one, book);
    await setCode(page, one);
    assert.equal(await runCode(page), 'done');
    const mlp1 = Number(await page.locator('[data-testid="variant-row"][data-key="mlp1"]').first().getAttribute('data-params'));
    assert.equal(await params(page), mlp1, 'the same parameters as exercise 1 counts');
    // Exercise 2: 3x3 instead of 1x1.
    await setCode(page, book.replaceAll('kernel_size=1)', 'kernel_size=3, padding=1)'));
    assert.equal(await runCode(page), 'done');
    const kernel3 = Number(await page.locator('[data-testid="variant-row"][data-key="kernel3"]').first().getAttribute('data-params'));
    assert.equal(await params(page), kernel3);
    // Another input: the summary call's tuple sets it.
    await setCode(page, book.replace('(1, 1, 224, 224)', '(2, 1, 96, 96)'));
    assert.equal(await runCode(page), 'done');
    assert.deepEqual((await rows(page)).at(-3), ['Sequential', '(2, 10, 1, 1)']);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('malformed programs say what and where, in both languages', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    const book = await page.getByTestId('model-code').inputValue();
    const cases = [
      { code: book.replace('def nin_block(out_channels,', 'def nin_block(out_channels'), line: 1, text: /line 1, column \d+: expected/ },
      { code: book.replace('nn.MaxPool2d(3, stride=2),\n            nin_block(256', 'nn.MaxPol2d(3, stride=2),\n            nin_block(256'), line: 13, text: /unknown layer `nn\.MaxPol2d`/, supported: true },
      { code: book.replace('nn.Dropout(0.5)', 'nn.Dropout(1.5)'), line: 18, text: /`p` = 1\.5 must be between 0 and 1/ },
      { code: book.replace('(1, 1, 224, 224)', '(1, 1, 64, 64)'), line: 17, text: /MaxPool2d: the input does not fit/ },
      { code: book.replace('nn.Flatten())', 'nn.Flatten(), nn.Linear(11, 10))'), line: 21, text: /declares 11 inputs but its input has 10/ },
    ];
    for (const c of cases) {
      await setCode(page, c.code);
      assert.equal(await runCode(page), 'error');
      const error = page.getByTestId('model-code-error');
      assert.equal(Number(await error.getAttribute('data-line')), c.line, await error.textContent());
      assert.match(await error.textContent(), c.text);
      if (c.supported) assert.match(await error.textContent(), /Supported layers:.*nn\.LazyConv2d/);
      assert.equal(await page.getByTestId('model-code').getAttribute('aria-invalid'), 'true');
    }
    await page.getByTestId('lang-toggle').click();
    assert.match(await page.getByTestId('model-code-error').textContent(), /^\d+ 行 \d+ 列: /);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('what was typed survives a reload and a language switch; the book is one click away', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    const book = await page.getByTestId('model-code').inputValue();
    const edited = book.replace('nn.Dropout(0.5)', 'nn.Dropout(0.3)  # less dropout');
    await setCode(page, edited);
    await page.getByTestId('lang-toggle').click();
    assert.equal(await page.getByTestId('model-code').inputValue(), edited);
    await page.reload();
    await backendKind(page);
    assert.equal(await page.getByTestId('model-code').inputValue(), edited);
    await page.getByTestId('model-code-reset').click();
    assert.equal(await page.getByTestId('model-code').inputValue(), book);
    assert.ok(await page.getByTestId('model-code-reset').isDisabled());
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('Train this model trains the edited net to the end, and the board names it', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    const book = await page.getByTestId('model-code').inputValue();
    // A net the training cell cannot train is refused with the reason.
    await setCode(page, book.replace('nn.MaxPool2d(3, stride=2),\n            nn.Dropout', 'nn.AvgPool2d(3, stride=2),\n            nn.Dropout'));
    await page.getByTestId('model-code-train').click();
    assert.match(await page.getByTestId('model-code-not-trainable').textContent(), /AvgPool2d/);
    // One 1x1 convolution per block: trained.
    await setCode(page, book.replace('        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),\n        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())', '        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())'));
    await page.getByTestId('model-code-train').click();
    assert.ok(await page.getByTestId('model-code-sent').isVisible());
    assert.equal(await page.getByTestId('train-model').getAttribute('data-variant'), 'code');
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    await page.waitForFunction(() => !document.querySelector('[data-testid="train-start"]').disabled);
    const before = Number(await page.getByTestId('train-cell').getAttribute('data-finished'));
    await page.getByTestId('train-start').click();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="train-cell"]').dataset.finished) > n, before, { timeout: 600_000 });
    assert.equal(await page.getByTestId('train-cell').getAttribute('data-phase'), 'done', await page.getByTestId('train-status').textContent());
    const row = page.locator('[data-testid="run-row"][data-variant="code"]');
    assert.equal(await row.count(), 1, 'the board has the edited net\'s run');
    assert.ok(Number(await row.getAttribute('data-test')) > 0, 'a test accuracy');
    assert.match(await row.getByTestId('run-name').inputValue(), /code/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test("an exercise's change opens in the editor, and runs to the exercise's own count", async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    for (const key of ['mlp1', 'mlp3', 'kernel3', 'fc_last_block', 'fc_no_last_block']) {
      const open = page.locator(`[data-testid="open-in-editor"][data-key="${key}"]`).first();
      await open.click();
      assert.ok(await page.getByTestId('model-code').evaluate((e) => e === document.activeElement), 'the editor has focus');
      assert.match(await page.getByTestId('model-code').inputValue(), /# /, 'the change is commented');
      assert.equal(await runCode(page), 'done');
      const expected = Number(await page.locator(`[data-testid="variant-row"][data-key="${key}"]`).first().getAttribute('data-params'));
      assert.equal(await params(page), expected, key);
    }
    assert.equal(await page.locator('[data-testid="open-in-editor"]').count(), 5, 'exercises 1-3 offer their changes');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
