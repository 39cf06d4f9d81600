// Values under the pointer and the keyboard (issue 29), in headless Chromium on the CPU backend.
// The training curves: hovering a drawn point shows a crosshair and a readout (role=status) whose
// epoch and values equal the curves' own data (each polyline's data-x, data-values and, for the
// training loss, data-accuracies: every point at full precision); focused, the arrow keys, Home
// and End walk the readout through every point. The confusion matrix: hovering or focusing a cell
// reads it as a sentence whose count equals the cell; the arrow keys move the one focusable cell.
// The run board: two runs of other batch sizes and epoch counts share an x axis of images seen
// (steps x batch size), the readout gives every run's value at one x (exact at a run's point,
// read off its line between two points, none outside it), and a tap on a phone shows it too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, backendKind, startAndWait, fillTraining, TINY_CPU } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

/**
 * A polyline's own data (data-x, data-values, data-accuracies as numbers; data-name) and where
 * each of its drawn points is on the screen (CSS px in the viewport) and in the SVG (`ux`).
 */
function line(locator) {
  return locator.evaluate((el) => {
    const ctm = el.getScreenCTM();
    const screen = Array.from({ length: el.points.numberOfItems }, (_, i) => {
      const p = el.points.getItem(i);
      const q = new DOMPoint(p.x, p.y).matrixTransform(ctm);
      return { x: q.x, y: q.y, ux: p.x };
    });
    const nums = (name) => (el.dataset[name] ? el.dataset[name].split(',').map(Number) : []);
    return { screen, x: nums('x'), values: nums('values'), accuracies: nums('accuracies'), name: el.dataset.name, run: el.dataset.run };
  });
}

/** Waits until the readout `id` shows x = `x`, then returns its values (parsed) and text. */
async function readoutAt(page, id, x) {
  await page.waitForFunction(([id, x]) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    return el && el.dataset.x !== '' && Number(el.dataset.x) === x;
  }, [id, x], { timeout: 10_000 });
  return page.getByTestId(id).evaluate((el) => ({ values: JSON.parse(el.dataset.values), text: el.textContent.trim() }));
}

/** Sorted distinct numbers. */
const distinct = (xs) => [...new Set(xs)].sort((a, b) => a - b);

test('the training curves and the confusion matrix read out under the pointer and the keyboard', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    assert.equal(await backendKind(page), 'Cpu');
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(await startAndWait(page), 'done', await page.getByTestId('train-status').textContent());

    const chart = page.getByTestId('train-chart');
    await chart.scrollIntoViewIfNeeded();
    const readout = page.getByTestId('curve-readout');
    assert.equal(await readout.getAttribute('role'), 'status');
    assert.equal(await chart.getAttribute('tabindex'), '0');
    assert.equal(await readout.getAttribute('data-x'), '', 'nothing chosen before the pointer comes');
    const train = await line(page.getByTestId('curve-train-loss'));
    const valLoss = await line(page.getByTestId('curve-val-loss'));
    const valAcc = await line(page.getByTestId('curve-val-acc'));
    assert.ok(train.x.length >= 2 && valLoss.x.length === 5, `${train.x.length} training and ${valLoss.x.length} validation points`);
    assert.equal(train.x.length, train.screen.length);
    assert.equal(train.accuracies.length, train.x.length);
    assert.deepEqual(valAcc.x, valLoss.x);
    // The curves' own values at an epoch: null where a curve has no point there.
    const at = (epoch) => {
      const [t, v] = [train.x.indexOf(epoch), valLoss.x.indexOf(epoch)];
      return {
        epoch,
        train_loss: t >= 0 ? train.values[t] : null,
        train_acc: t >= 0 ? train.accuracies[t] : null,
        val_loss: v >= 0 ? valLoss.values[v] : null,
        val_acc: v >= 0 ? valAcc.values[v] : null,
      };
    };
    const shown = ({ epoch, train_loss, train_acc, val_loss, val_acc }) => ({ epoch, train_loss, train_acc, val_loss, val_acc });

    // Hover the first, a middle and the last training point, then every validation point.
    for (const i of distinct([0, Math.floor(train.x.length / 2), train.x.length - 1])) {
      const p = train.screen[i];
      await page.mouse.move(p.x, p.y);
      const r = await readoutAt(page, 'curve-readout', train.x[i]);
      assert.deepEqual(shown(r.values), at(train.x[i]), `training point ${i}`);
      assert.match(r.text, /^epoch \d+\.\d\d · step \d+ · train loss \d+\.\d{3} · train accuracy \d+\.\d %/);
      // The crosshair stands on the point.
      const x1 = Number(await page.locator('[data-testid="curve-crosshair"] line').getAttribute('x1'));
      assert.ok(Math.abs(x1 - p.ux) <= 0.06, `crosshair at ${x1}, point at ${p.ux}`);
    }
    for (let i = 0; i < valAcc.x.length; i++) {
      const p = valAcc.screen[i];
      await page.mouse.move(p.x, p.y);
      const r = await readoutAt(page, 'curve-readout', valAcc.x[i]);
      assert.deepEqual(shown(r.values), at(valAcc.x[i]), `validation point ${i}`);
      assert.match(r.text, /validation loss \d+\.\d{3} · validation accuracy \d+\.\d %$/);
    }
    // The pointer leaving the chart clears the readout.
    await page.mouse.move(1, 1);
    await page.waitForFunction(() => document.querySelector('[data-testid="curve-readout"]').dataset.x === '');
    assert.equal(await page.getByTestId('curve-crosshair').count(), 0);

    // By keyboard: focus shows the latest point; Home, then the right arrow through every point.
    const stops = distinct([...train.x, ...valLoss.x]);
    await chart.focus();
    assert.deepEqual(shown((await readoutAt(page, 'curve-readout', stops.at(-1))).values), at(stops.at(-1)));
    await page.keyboard.press('Home');
    assert.deepEqual(shown((await readoutAt(page, 'curve-readout', stops[0])).values), at(stops[0]));
    for (const epoch of stops.slice(1)) {
      await page.keyboard.press('ArrowRight');
      assert.deepEqual(shown((await readoutAt(page, 'curve-readout', epoch)).values), at(epoch));
    }
    await page.keyboard.press('ArrowRight');
    await readoutAt(page, 'curve-readout', stops.at(-1));
    await page.keyboard.press('ArrowLeft');
    await readoutAt(page, 'curve-readout', stops.at(-2));
    await page.keyboard.press('End');
    await readoutAt(page, 'curve-readout', stops.at(-1));
    await chart.evaluate((el) => el.blur());
    await page.waitForFunction(() => document.querySelector('[data-testid="curve-readout"]').dataset.x === '');

    // The confusion matrix: a cell under the pointer reads as a sentence with its count.
    const matrix = await page.$$eval('[data-testid="confusion"] tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.textContent))));
    const classes = await page.$$eval('[data-testid="confusion"] tbody th', (ths) => ths.map((t) => t.textContent));
    const confusion = page.getByTestId('confusion-readout');
    assert.equal(await confusion.getAttribute('role'), 'status');
    const cell = (i, j) => page.locator(`[data-testid="confusion"] td[data-true="${i}"][data-pred="${j}"]`);
    const check = async (i, j) => {
      await page.waitForFunction(([i, j]) => {
        const el = document.querySelector('[data-testid="confusion-readout"]');
        return el.dataset.true === String(i) && el.dataset.pred === String(j);
      }, [i, j], { timeout: 10_000 });
      assert.equal(Number(await confusion.getAttribute('data-count')), matrix[i][j], `cell ${i},${j}`);
      assert.equal(Number(await cell(i, j).getAttribute('data-count')), matrix[i][j]);
      const total = matrix[i].reduce((a, b) => a + b, 0);
      const text = (await confusion.textContent()).trim();
      const images = `${matrix[i][j]} ${matrix[i][j] === 1 ? 'image' : 'images'}`;
      const start = `True class ${classes[i]} predicted as ${classes[j]}: ${images} `;
      if (!total) {
        assert.equal(text, `${start}(no test image of class ${classes[i]})`);
        return;
      }
      assert.ok(text.startsWith(start) && text.endsWith(` % of ${classes[i]})`), text);
      // One decimal (Rust rounds a tie to even, JavaScript's toFixed up: compare the number).
      const share = Number(text.slice(start.length + 1).split(' ')[0]);
      assert.ok(Math.abs(share - (matrix[i][j] / total) * 100) <= 0.05 + 1e-9, `${text} (${matrix[i][j]} of ${total})`);
    };
    // The busiest off-diagonal cell (a real confusion), and a diagonal one.
    let [bi, bj] = [0, 1];
    matrix.forEach((row, i) => row.forEach((n, j) => { if (i !== j && n > matrix[bi][bj]) [bi, bj] = [i, j]; }));
    await cell(bi, bj).scrollIntoViewIfNeeded();
    await cell(bi, bj).hover();
    await check(bi, bj);
    await cell(3, 3).hover();
    await check(3, 3);

    // By keyboard: one cell is in the tab order; the arrows, Home and End move it.
    assert.equal(await page.locator('[data-testid="confusion"] td[tabindex="0"]').count(), 1);
    assert.equal(await page.locator('[data-testid="confusion"] td[tabindex="-1"]').count(), 99);
    await cell(0, 0).focus();
    await check(0, 0);
    for (const [key, i, j] of [['ArrowRight', 0, 1], ['ArrowDown', 1, 1], ['End', 1, 9], ['ArrowRight', 1, 9], ['Home', 1, 0], ['ArrowUp', 0, 0], ['ArrowLeft', 0, 0]]) {
      await page.keyboard.press(key);
      await check(i, j);
      assert.deepEqual(await page.evaluate(() => [document.activeElement.dataset.true, document.activeElement.dataset.pred]), [String(i), String(j)], key);
      assert.equal(await cell(i, j).getAttribute('tabindex'), '0');
    }
    assert.equal(await page.locator('[data-testid="confusion"] td[tabindex="0"]').count(), 1);

    // In Japanese the same cell reads in Japanese, with the same count.
    await page.getByTestId('lang-toggle').click();
    await page.locator('[data-testid="confusion"] td[data-true="0"][data-pred="0"]').focus();
    await page.waitForFunction(() => /枚/.test(document.querySelector('[data-testid="confusion-readout"]').textContent));
    assert.equal(Number(await confusion.getAttribute('data-count')), matrix[0][0]);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('the run board compares runs of other batch sizes and lengths on images seen, with every run under the pointer', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    await page.evaluate(() => localStorage.removeItem('nin-runs-v1'));
    await page.reload();
    assert.equal(await backendKind(page), 'Cpu');
    // Run A: 4 steps of 16 images in 1 epoch; run B: 4 steps of 32 in 2 epochs. The CPU preset
    // validates 4 times an epoch, here after every step: A at 16, 32, 48, 64 images, B at 32,
    // 64, 96, 128.
    const base = { size: '67', train: '64', val: '32', test: '32', lr: '0.001', seed: '1' };
    for (const run of [{ batch: '16', epochs: '1' }, { batch: '32', epochs: '2' }]) {
      await page.getByTestId('train-preset').selectOption('cpu');
      await fillTraining(page, { ...base, ...run });
      assert.equal(await startAndWait(page, 300_000), 'done', await page.getByTestId('train-status').textContent());
    }
    assert.equal(await page.getByTestId('runs-cell').getAttribute('data-count'), '2');

    const chart = page.getByTestId('runs-chart');
    await chart.scrollIntoViewIfNeeded();
    const [a, b] = [await line(page.getByTestId('runs-line').nth(0)), await line(page.getByTestId('runs-line').nth(1))];
    assert.deepEqual(a.x, [16, 32, 48, 64], 'run A against images seen');
    assert.deepEqual(b.x, [32, 64, 96, 128], 'run B against images seen');
    // One axis: 64 images are at one x for both runs; the ticks are round numbers of images.
    assert.ok(Math.abs(a.screen[3].ux - b.screen[1].ux) < 0.11, `${a.screen[3].ux} vs ${b.screen[1].ux}`);
    assert.ok(Math.abs(a.screen[1].ux - b.screen[0].ux) < 0.11);
    const ticks = await chart.locator('text.tick[text-anchor="middle"]').allTextContents();
    assert.deepEqual(ticks, ['0', '50', '100', '150']);
    assert.equal(await chart.locator('text.axis-label').textContent(), 'images seen');

    const readout = page.getByTestId('board-readout');
    assert.equal(await readout.getAttribute('role'), 'status');
    const value = (line, x) => {
      const i = line.x.indexOf(x);
      return i >= 0 ? { acc: line.values[i], exact: true } : null;
    };
    const hover = async (p, x) => {
      await page.mouse.move(p.x, p.y);
      const r = await readoutAt(page, 'board-readout', x);
      assert.deepEqual(r.values.map((v) => v.name), [a.name, b.name]);
      assert.deepEqual(r.values.map((v) => String(v.id)), [a.run, b.run]);
      assert.match(r.text, new RegExp(`^${x} images? seen`));
      for (const name of [a.name, b.name]) assert.ok(r.text.includes(name), `${name} in "${r.text}"`);
      return r.values.map((v) => (v.acc === null ? null : { acc: v.acc, exact: v.exact }));
    };
    // Where both runs have a point, both values are theirs.
    assert.deepEqual(await hover(b.screen[1], 64), [value(a, 64), value(b, 64)]);
    assert.deepEqual(await hover(a.screen[1], 32), [value(a, 32), value(b, 32)]);
    // Before run B's first point and after run A's last: no value for that run.
    assert.deepEqual(await hover(a.screen[0], 16), [value(a, 16), null]);
    assert.deepEqual(await hover(b.screen[3], 128), [null, value(b, 128)]);
    // Between two of run B's points: read off its line (half-way from 32 to 64 images).
    const [onA, between] = await hover(a.screen[2], 48);
    assert.deepEqual(onA, value(a, 48));
    assert.equal(between.exact, false);
    const expected = b.values[0] + (b.values[1] - b.values[0]) * 0.5;
    assert.ok(Math.abs(between.acc - expected) < 1e-12, `${between.acc} vs ${expected}`);
    assert.match(await readout.textContent(), /≈\s?\d+\.\d %/);
    assert.equal(await page.locator('[data-testid="board-crosshair"] circle').count(), 2);

    // By keyboard: every x where a run has a point, left to right.
    await chart.focus();
    await page.keyboard.press('Home');
    for (const [i, x] of [16, 32, 48, 64, 96, 128].entries()) {
      if (i > 0) await page.keyboard.press('ArrowRight');
      await readoutAt(page, 'board-readout', x);
    }
    await page.keyboard.press('ArrowLeft');
    await readoutAt(page, 'board-readout', 96);
    await chart.evaluate((el) => el.blur());
    assert.deepEqual(problems, []);

    // On a phone a tap reads the board too, and the readout stays on the screen.
    const saved = await page.evaluate(() => localStorage.getItem('nin-runs-v1'));
    const phone = await openPage(browser, site.origin, 'about:blank', PHONE.viewport, PHONE);
    await phone.page.context().addInitScript((runs) => localStorage.setItem('nin-runs-v1', runs), saved);
    await phone.page.goto(site.url);
    await backendKind(phone.page);
    const small = phone.page.getByTestId('runs-chart');
    await small.scrollIntoViewIfNeeded();
    await small.tap();
    await phone.page.waitForFunction(() => document.querySelector('[data-testid="board-readout"]').dataset.x !== '');
    const x = Number(await phone.page.getByTestId('board-readout').getAttribute('data-x'));
    assert.ok([16, 32, 48, 64, 96, 128].includes(x), `tapped at ${x} images`);
    const fits = await phone.page.getByTestId('board-readout').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { right: r.right, width: document.documentElement.clientWidth, px: parseFloat(getComputedStyle(el).fontSize), page: document.documentElement.scrollWidth };
    });
    assert.ok(fits.right <= fits.width + 0.5 && fits.page <= fits.width, JSON.stringify(fits));
    assert.ok(fits.px >= 11, `readout text ${fits.px} px`);
    assert.deepEqual(phone.problems, []);
  } finally {
    await browser.close();
  }
});
