// The exercises section: every exercise has its question and a cell; the comparison tables
// hold the variants' measured parameters (equal to the arithmetic in the native tests), the
// fully connected heads refuse other sizes, the findings are written from the numbers as ratios,
// and the resource calculator follows its inputs and agrees with the real module. Each cell
// first asks for a prediction (issue 27): the answer stays hidden until one is checked or
// skipped, the feedback says how close it was with the table's own numbers, and the guess
// survives a reload and the language switch. Both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, backendKind, NO_SW } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

const IDS = ['ex1', 'ex2', 'ex3', 'ex4', 'ex5', 'ex6'];

/** Opens exercise cells as a student who skips the prediction ("Skip, show me"). */
async function skipPredictions(page, ids = IDS) {
  for (const id of ids) {
    await page.getByTestId(`${id}-predict`).waitFor();
    if (await page.getByTestId(`${id}-answer`).isHidden()) await page.getByTestId(`${id}-predict-skip`).click();
    await page.getByTestId(`${id}-answer`).waitFor();
  }
}

/** The rows of a comparison table by key: parameters and FLOPs per image (data attributes). */
const rowsOf = async (page, prefix) =>
  Object.fromEntries(await page.locator(`[data-testid="${prefix}-table"] [data-testid="variant-row"]`).evaluateAll((rows) =>
    rows.map((r) => [r.dataset.key, { params: Number(r.dataset.params), flops: Number(r.dataset.flops) }])));

const params = async (page, prefix) =>
  Object.fromEntries(await page.locator(`[data-testid="${prefix}-table"] [data-testid="variant-row"]`).evaluateAll((rows) =>
    rows.map((r) => [r.dataset.key, r.dataset.error ? 'error' : Number(r.dataset.params)])));

test('exercises: six questions with cells, comparisons, calculator', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    assert.equal(await page.getByTestId('exercise').count(), 6);
    const ids = await page.getByTestId('exercise').evaluateAll((els) => els.map((e) => e.id));
    assert.deepEqual(ids, IDS);
    await skipPredictions(page);

    // Exercise 1: one, two (book), three 1x1 convs per block.
    assert.deepEqual(await params(page, 'ex1'), { mlp1: 1769112, book: 1992166, mlp3: 2215220 });
    // The findings are ratios that say what they are of, with the exact difference, redone here
    // from the table's own numbers (regression: they read "-11.2 %", and "+6365.6 %" in ex. 6).
    const findings = await page.getByTestId('ex1-findings').locator('li').allTextContents();
    const r1 = await rowsOf(page, 'ex1');
    assert.equal(findings.length, 2);
    assert.ok(findings[0].startsWith(`One 1×1 conv per block: 1.77 M parameters, ${(r1.mlp1.params / r1.book.params).toFixed(2)}× Book's NiN (223,054 fewer); FLOPs per image ${(r1.mlp1.flops / r1.book.flops).toFixed(2)}×, training memory `), findings[0]);
    assert.ok(findings[1].startsWith("Three 1×1 convs per block: 2.22 M parameters, 1.11× Book's NiN (223,054 more);"), findings[1]);
    for (const f of findings) assert.ok(!f.includes('%'), f);
    // Exercise 2: 3x3 inside the blocks.
    assert.deepEqual(await params(page, 'ex2'), { book: 1992166, kernel3: 5549094 });
    // Exercise 3: both FC heads at 224; at 96 px they refuse, GAP does not.
    assert.deepEqual(await params(page, 'ex3'), { book: 1992166, fc_last_block: 1994676, fc_no_last_block: 2053386 });
    await page.getByTestId('ex3-side').fill('96');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="ex3-table"] [data-error="true"]').length === 2);
    const p3 = await params(page, 'ex3');
    assert.equal(p3.book, 1992166);
    assert.equal(p3.fc_last_block, 'error');
    assert.match(await page.getByTestId('variant-error').first().textContent(), /224/);
    // Exercise 5 and 6.
    assert.deepEqual(await params(page, 'ex5'), { book: 1992166, gradual: 2404330 });
    assert.equal(await page.getByTestId('ex5-widths').locator('.width-row').count(), 2);
    const p6 = await params(page, 'ex6');
    assert.equal(p6.nin11, 5158822);
    assert.ok(p6.vgg11 > 10 * p6.nin11 && p6.vgg16 > 10 * p6.nin16 && p6.vgg19 > 10 * p6.nin19);
    // Each VGG is compared with its own NiN member, each member with the book's model.
    const f6 = await page.getByTestId('ex6-findings').locator('li').allTextContents();
    assert.equal(f6.length, 6);
    assert.ok(f6[1].startsWith(`VGG-11: 129 M parameters, ${(p6.vgg11 / p6.nin11).toFixed(1)}× NiN-11 (${(p6.vgg11 - p6.nin11).toLocaleString('en-US')} more);`), f6[1]);
    for (const f of f6) assert.ok(!f.includes('%'), f);
    // The family figure: NiN-11 has 5 blocks + 5 pools + dropout + last block + GAP = 13 boxes,
    // VGG-11 its 5 blocks + 5 pools + flatten + 3 FC = 14; NiN-19 has as many as NiN-11.
    assert.equal(await page.getByTestId('fig-left-stage').count(), 14);
    assert.equal(await page.getByTestId('fig-right-stage').count(), 13);
    await page.getByTestId('ex6-member').selectOption('19');
    await page.waitForFunction(() => document.querySelector('[data-testid="fig-pair"]').getAttribute('aria-label') === 'VGG-19 / NiN-19');
    assert.equal(await page.getByTestId('fig-right-stage').count(), 13);
    // A bad field is a clear error, not a crash.
    await page.getByTestId('ex6-batch').fill('x');
    await page.getByTestId('ex6-error').waitFor();
    await page.getByTestId('ex6-batch').fill('32');

    // Exercise 4: totals, the module's own count, per-layer rows, fits or not on this backend.
    const totals = page.getByTestId('ex4-totals');
    assert.equal(await totals.getAttribute('data-params'), '1992166');
    assert.equal(await page.getByTestId('ex4-module-params').textContent(), await page.evaluate(() => (1992166).toLocaleString('en-US')));
    assert.equal(await page.getByTestId('ex4-row').count(), 10); // 4 blocks, 3 pools, dropout, GAP, flatten
    // Batch 256 at 224 with Adam: about 3.9 GB in Burn's convention, over the CPU backend's
    // 2 GiB; batch 16 fits.
    await page.getByTestId('ex4-batch').fill('256');
    await page.waitForFunction(() => document.querySelector('[data-testid="ex4-fits"]')?.dataset.fits === 'no');
    const big = Number(await totals.getAttribute('data-training-bytes'));
    await page.getByTestId('ex4-batch').fill('16');
    await page.waitForFunction(() => document.querySelector('[data-testid="ex4-fits"]')?.dataset.fits === 'yes');
    const small = Number(await totals.getAttribute('data-training-bytes'));
    assert.ok(small < big / 4, `${small} vs ${big}`);
    // SGD keeps no optimizer state: less memory than Adam at the same batch.
    await page.getByTestId('ex4-optimizer').selectOption('sgd');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="ex4-totals"]').dataset.trainingBytes) < n, small);
    const sgd = Number(await totals.getAttribute('data-training-bytes'));
    assert.equal(small - sgd, 1992166 * 4 * 2);
    // Two conventions. What must be kept, at the book's batch 128 and 224 px, is within 10 % of
    // what PyTorch's autograd saves (982,774,788 bytes, measured); what Burn keeps is about
    // twice that; both are shown and explained.
    await page.getByTestId('ex4-batch').fill('128');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="ex4-totals"]').dataset.savedMinimalBytes) > 9e8);
    const saved = Number(await totals.getAttribute('data-saved-minimal-bytes'));
    assert.ok(Math.abs(saved / 982774788 - 1) < 0.1, `saved ${saved}`);
    // Burn keeps about twice what must be kept (two maps per convolution, f32 dropout masks);
    // with the working memory of the backward pass on top, its total is over 1.3 times the other.
    const kept = async (attr) => (await page.getByTestId('ex4-row').evaluateAll((rows, a) => rows.reduce((s, r) => s + Number(r.dataset[a]), 0), attr));
    const [keptMinimal, keptBurn] = [await kept('keptMinimal'), await kept('keptBurn')];
    assert.ok(keptBurn > 1.6 * keptMinimal && keptBurn < 2.4 * keptMinimal, `${keptBurn} vs ${keptMinimal}`);
    const [minimal, burn] = [Number(await totals.getAttribute('data-training-minimal-bytes')), Number(await totals.getAttribute('data-training-bytes'))];
    assert.ok(burn > 1.3 * minimal && burn < 2.4 * minimal, `${burn} vs ${minimal}`);
    assert.match(await page.getByTestId('ex4-conventions').textContent(), /PyTorch keeps exactly this/);
    // The training cell's check uses Burn's figure: its offer for the book's preset on the CPU
    // is the largest batch whose figure fits the CPU budget, which exercise 4 agrees with.
    // (The book's batch 128 fits with SGD, about 1.9 GB; batch 256 does not.)
    await page.getByTestId('train-preset').selectOption('book');
    await page.getByTestId('train-batch').fill('256');
    await page.getByTestId('train-error-batch').waitFor();
    const offer = Number((await page.getByTestId('train-use-batch').textContent()).match(/(\d+)\s*$/)[1]);
    assert.ok(offer > 128 && offer < 256, `offer ${offer}`);
    await page.getByTestId('ex4-batch').fill(String(offer));
    await page.waitForFunction(() => document.querySelector('[data-testid="ex4-fits"]')?.dataset.fits === 'yes');
    await page.getByTestId('ex4-batch').fill(String(offer + 1));
    await page.waitForFunction(() => document.querySelector('[data-testid="ex4-fits"]')?.dataset.fits === 'no');
    // A training step measured in a CPU worker, beside the formula.
    await page.getByTestId('ex4-batch').fill('8');
    await page.getByTestId('ex4-side').fill('96');
    await page.getByTestId('ex4-measure').click();
    await page.getByTestId('ex4-measured').waitFor({ timeout: 120_000 });
    const grown = Number(await page.getByTestId('ex4-measured').getAttribute('data-grown'));
    const figure = Number(await page.getByTestId('ex4-measured').getAttribute('data-figure'));
    assert.ok(grown > 0.3 * figure && grown < 3 * figure, `grown ${grown} vs figure ${figure}`);
    // A step too large for the CPU backend's memory is refused before a worker is asked (it
    // crashed the worker), with the largest batch that fits, as the training form does.
    await page.getByTestId('ex4-batch').fill('300');
    await page.getByTestId('ex4-side').fill('224');
    await page.getByTestId('ex4-measure').click();
    await page.getByTestId('ex4-measure-error').waitFor({ timeout: 10_000 });
    const refusal = await page.getByTestId('ex4-measure-error').textContent();
    assert.match(refusal, /^Training at batch 300 needs about [\d.]+ GiB, more than the 2\.00 GiB this backend may use\. The largest batch that fits is (\d+)\.$/);
    assert.ok(Number(refusal.match(/(\d+)\.$/)[1]) < 300, refusal);
    // Below NiN's minimum side the calculator says so.
    await page.getByTestId('ex4-side').fill('50');
    await page.getByTestId('ex4-error').waitFor();
    assert.match(await page.getByTestId('ex4-error').textContent(), /67/);

    // Japanese: the findings are rewritten in Japanese from the same numbers.
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    const ja = await page.getByTestId('ex1-findings').locator('li').allTextContents();
    assert.match(ja[0], /^ブロックごとに 1×1 畳み込み 1 個：パラメータ 177 万個で本の NiN の 0\.89 倍（223,054 個少ない）。画像 1 枚あたりの FLOPs は [\d.]+ 倍、訓練時メモリは [\d.]+ 倍。$/);
    // The cells keep their state across the switch: exercise 6 still shows the chosen VGG-19,
    // and exercise 4 the typed side.
    assert.equal(await page.getByTestId('ex6-member').inputValue(), '19');
    assert.equal(await page.getByTestId('fig-pair').getAttribute('aria-label'), 'VGG-19 / NiN-19');
    assert.equal(await page.getByTestId('ex4-side').inputValue(), '50');
    // Exercise 4's two conventions, explained in Japanese too.
    await page.getByTestId('ex4-side').fill('224');
    await page.getByTestId('ex4-conventions').waitFor();
    assert.match(await page.getByTestId('ex4-conventions').textContent(), /PyTorch はちょうどこれを保持します/);
    assert.ok((await page.getByTestId('ex4-totals').textContent()).includes('Burn'));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('a shared link restores the exercise, its inputs, the variant and the seed; bad parts are ignored with a notice', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    await skipPredictions(page, ['ex1']);
    await page.getByTestId('ex1-batch').fill('8');
    await page.getByTestId('ex1-optimizer').selectOption('sgd');
    await page.locator('[data-testid="ex1-table"] [data-testid="train-variant"][data-key="mlp3"]').click();
    await page.getByTestId('train-seed').fill('42');
    await page.getByTestId('ex1-share').click();
    const link = await page.getByTestId('ex1-share-url').inputValue();
    assert.ok(link.endsWith('?v=1&ex=ex1&side=224&batch=8&opt=sgd&variant=mlp3&seed=42#ex1'), link);
    assert.equal(await page.evaluate(() => location.href), link);

    const other = await browser.newPage(NO_SW);
    const errors = [];
    other.on('pageerror', (e) => errors.push(e.message));
    await other.goto(link);
    await backendKind(other);
    assert.equal(await other.getByTestId('ex1-batch').inputValue(), '8');
    assert.equal(await other.getByTestId('ex1-optimizer').inputValue(), 'sgd');
    assert.equal(await other.getByTestId('train-model').getAttribute('data-variant'), 'mlp3');
    await other.waitForFunction(() => document.querySelector('[data-testid="train-seed"]').value === '42');
    assert.equal(await other.getByTestId('share-notice').count(), 0);
    // The person sharing has seen the answer: the link opens it, without asking; the other
    // exercises still ask.
    await other.getByTestId('ex1-answer').waitFor();
    assert.equal(await other.getByTestId('ex1-feedback').getAttribute('data-correct'), 'skipped');
    assert.equal(await other.getByTestId('ex1-verdict').textContent(), 'The link opened the answer directly.');
    assert.ok(await other.getByTestId('ex2-answer').isHidden());
    assert.equal(await other.getByTestId('ex2-feedback').count(), 0);

    // Untrusted parts: markup, out-of-range and unknown keys are ignored and named, never rendered.
    const scripts = await other.evaluate(() => document.querySelectorAll('script, img').length);
    await other.goto(`${site.url}?ex=ex3&side=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&batch=99999&foo=1&side=96`);
    await backendKind(other);
    const notice = await other.getByTestId('share-notice').textContent();
    assert.equal(notice.trim(), 'Parts of the link were ignored: side (too long), batch (out of range), foo (unknown setting), side (given twice)');
    await other.goto(`${site.url}?ex=ex2&opt=%22%3E%3Cb%3E`);
    await backendKind(other);
    assert.equal((await other.getByTestId('share-notice').textContent()).trim(), 'Parts of the link were ignored: opt (not a valid value)');
    assert.equal(await other.evaluate(() => document.querySelectorAll('script, img').length), scripts);
    assert.equal(await other.getByTestId('ex3-side').inputValue(), '224');
    assert.deepEqual(errors, []);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('each exercise asks for a prediction first, then shows its cell and says how close the guess was; the guess is kept', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    // Nothing answered yet: every cell asks, its results are hidden, there is no feedback.
    for (const id of IDS) {
      await page.getByTestId(`${id}-predict`).waitFor();
      assert.ok(await page.getByTestId(`${id}-answer`).isHidden(), `${id} answer hidden`);
      assert.ok(await page.getByTestId(`${id}-predict-submit`).isVisible() && await page.getByTestId(`${id}-predict-skip`).isVisible(), id);
      assert.equal(await page.getByTestId(`${id}-feedback`).count(), 0, id);
    }
    assert.equal(await page.locator('[data-testid="ex1-predict"] fieldset legend').count(), 1, 'a choice is a fieldset with a legend');
    assert.equal(await page.getByTestId('ex1-option').count(), 5);
    assert.equal(await page.getByTestId('ex4-option').count(), 4, 'one option per NiN block');

    // Exercise 1 (a band): checking without a choice asks for one; a wrong band says how far.
    await page.getByTestId('ex1-predict-submit').click();
    assert.equal(await page.getByTestId('ex1-predict-error').textContent(), 'Choose one of the options first.');
    assert.ok(await page.getByTestId('ex1-answer').isHidden());
    await page.locator('[data-testid="ex1-option"][value="same"]').check();
    await page.getByTestId('ex1-predict-submit').click();
    const fb1 = page.getByTestId('ex1-feedback');
    await fb1.waitFor();
    assert.equal(await fb1.getAttribute('data-correct'), 'false');
    assert.equal(await fb1.getAttribute('data-answer'), 'fewer');
    assert.equal(await page.getByTestId('ex1-verdict').textContent(),
      'Not quite: you chose “About the same (0.95× to 1.05×)”, 1 band above the answer, “Fewer, but at least half (0.5× to 0.95×)”.');
    // The answer is the table's own numbers.
    await page.getByTestId('ex1-answer').waitFor();
    const r1 = await rowsOf(page, 'ex1');
    assert.equal(Number(await fb1.getAttribute('data-params')), r1.mlp1.params);
    assert.equal(Number(await fb1.getAttribute('data-base-params')), r1.book.params);
    assert.equal(await page.getByTestId('ex1-statement').textContent(),
      `One 1×1 conv per block: 1.77 M parameters, ${(r1.mlp1.params / r1.book.params).toFixed(2)}× Book's NiN (${(r1.book.params - r1.mlp1.params).toLocaleString('en-US')} fewer).`);
    assert.ok((await page.getByTestId('ex1-meaning').textContent()).length > 50);
    assert.equal(await page.locator('.predict-option.is-answer [data-testid="ex1-option"]').getAttribute('value'), 'fewer');
    assert.ok(await page.getByTestId('ex1-feedback').evaluate((e) => e === document.activeElement), 'focus moves to the feedback');
    assert.equal(await page.getByTestId('ex1-predict-submit').count(), 0, 'no second check once the answer is shown');

    // Exercise 2 (a number): a non-number is refused; 2 is too low by 2.79 / 2.
    const input2 = page.getByTestId('ex2-predict-input');
    await input2.fill('abc');
    await input2.press('Enter');
    assert.equal(await page.getByTestId('ex2-predict-error').textContent(), 'That is not a number: type one such as 1.5 or 0.8.');
    assert.equal(await input2.getAttribute('aria-invalid'), 'true');
    await input2.fill('2');
    await input2.press('Enter');
    const fb2 = page.getByTestId('ex2-feedback');
    await fb2.waitFor();
    const r2 = await rowsOf(page, 'ex2');
    const answer2 = r2.kernel3.params / r2.book.params;
    assert.equal(await fb2.getAttribute('data-correct'), 'false');
    assert.ok(Math.abs(Number(await fb2.getAttribute('data-answer')) - answer2) < 1e-9);
    assert.equal(await page.getByTestId('ex2-verdict').textContent(),
      `Not quite: your guess 2×, the answer ${answer2.toFixed(2)}×: too low by a factor of ${(answer2 / 2).toFixed(2)}.`);

    // Exercise 4 (a block): block 2 computes the most, the calculator's own row says so.
    await page.locator('[data-testid="ex4-option"][value="2"]').check();
    await page.getByTestId('ex4-predict-submit').click();
    const fb4 = page.getByTestId('ex4-feedback');
    await fb4.waitFor();
    assert.equal(await fb4.getAttribute('data-correct'), 'true');
    assert.equal(await fb4.getAttribute('data-answer'), '2');
    assert.match(await page.getByTestId('ex4-verdict').textContent(), /^Right: block 2\.$/);
    // The calculator counts FLOPs for its batch: at batch 1 its rows are the answer's, per image.
    await page.getByTestId('ex4-batch').fill('1');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="ex4-totals"]').dataset.trainingFlops) < 1e10);
    const flopsCells = await page.getByTestId('ex4-row').evaluateAll((rows) => rows.map((r) => r.lastElementChild.textContent));
    const block2 = flopsCells[2]; // rows: block 1, pool, block 2, ...
    const total = Number(await page.getByTestId('ex4-totals').getAttribute('data-training-flops')) / 3;
    assert.equal(await page.getByTestId('ex4-statement').textContent(), `Block 2 computes the most: ${block2} of the model's ${(total / 1e9).toFixed(2)} GFLOPs per image.`);
    assert.match(await page.getByTestId('ex4-meaning').textContent(), /block 3 \(1,180,800 parameters/);

    // Exercise 6 (a number): 25 is within a factor of 1.1 of VGG-11 / NiN-11.
    await page.getByTestId('ex6-predict-input').fill('25');
    await page.getByTestId('ex6-predict-submit').click();
    const fb6 = page.getByTestId('ex6-feedback');
    await fb6.waitFor();
    const p6 = await params(page, 'ex6');
    assert.equal(await fb6.getAttribute('data-correct'), 'true');
    assert.equal(Number(await fb6.getAttribute('data-params')), p6.vgg11);
    assert.equal(Number(await fb6.getAttribute('data-base-params')), p6.nin11);

    // Exercise 3: skipped; the statement gives the exact difference a ratio of 1.00 hides.
    await page.getByTestId('ex3-predict-skip').click();
    await page.getByTestId('ex3-feedback').waitFor();
    assert.equal(await page.getByTestId('ex3-feedback').getAttribute('data-correct'), 'skipped');
    assert.equal(await page.getByTestId('ex3-verdict').textContent(), 'You skipped the prediction.');
    assert.equal(await page.getByTestId('ex3-statement').textContent(), "FC head on 10×5×5: 1.99 M parameters, 1.00× Book's NiN (2,510 more).");
    assert.ok(await page.getByTestId('ex3-answer').isVisible());

    // Exercise 5 by keyboard: the radio group is one tab stop; arrows choose, Tab reaches Check.
    await page.getByTestId('ex5-option').first().focus();
    await page.keyboard.press('ArrowDown'); // fewer
    await page.keyboard.press('ArrowDown'); // same
    await page.keyboard.press('ArrowDown'); // more
    assert.equal(await page.locator('[data-testid="ex5-option"]:checked').getAttribute('value'), 'more');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'ex5-predict-submit');
    // Not checked yet: a reload keeps the choice, and the answer stays hidden.
    await page.reload();
    await backendKind(page);
    await page.getByTestId('ex5-predict').waitFor();
    assert.equal(await page.locator('[data-testid="ex5-option"]:checked').getAttribute('value'), 'more');
    assert.ok(await page.getByTestId('ex5-answer').isHidden());
    // What was checked stays checked, with its feedback.
    assert.equal(await page.getByTestId('ex1-feedback').getAttribute('data-correct'), 'false');
    assert.equal(await page.locator('[data-testid="ex1-option"]:checked').getAttribute('value'), 'same');
    assert.equal(await page.getByTestId('ex2-predict-input').inputValue(), '2');
    assert.ok(await page.getByTestId('ex2-answer').isVisible());
    await page.getByTestId('ex5-option').first().focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('ex5-feedback').waitFor();
    assert.equal(await page.getByTestId('ex5-feedback').getAttribute('data-correct'), 'true');
    assert.ok(await page.getByTestId('ex5-feedback').evaluate((e) => e === document.activeElement));
    assert.equal(await page.getByTestId('ex5-verdict').textContent(), 'Right: “More, but at most twice (1.05× to 2×)”.');

    // Japanese: the same feedback, written in Japanese from the same numbers; nothing lost.
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    assert.equal(await page.getByTestId('ex1-verdict').textContent(), '不正解：予想「ほぼ同じ（0.95 倍〜1.05 倍）」は、答え「少ないが半分以上（0.5 倍〜0.95 倍）」より 1 段階多い側です。');
    assert.match(await page.getByTestId('ex2-verdict').textContent(), new RegExp(`予想は答えの ${(answer2 / 2).toFixed(2).replace('.', '\\.')} 分の 1 でした。$`));
    assert.equal(await page.getByTestId('ex2-predict-input').inputValue(), '2');
    assert.equal(await page.locator('[data-testid="ex1-option"]:checked').getAttribute('value'), 'same');
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');

    // "Hide the answer" asks again, keeping the guess.
    await page.getByTestId('ex2-predict-again').click();
    assert.ok(await page.getByTestId('ex2-answer').isHidden());
    assert.equal(await page.getByTestId('ex2-feedback').count(), 0);
    assert.equal(await page.getByTestId('ex2-predict-input').inputValue(), '2');
    assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('nin.predict.ex2.v1'))), { guess: '2', revealed: null });

    // At 390 px the prediction and its feedback fit the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const id of ['ex1-predict', 'ex1-feedback', 'ex4-predict', 'ex2-predict']) {
      const box = await page.getByTestId(id).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390.5, `${id}: ${JSON.stringify(box)}`);
    }
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
