// The chapter before the wasm (issue 29): the static chapter (src/prerender.rs, put into the
// page by scripts/post_build.mjs) reads with JavaScript off and with the wasm blocked, in the
// student's language; on a throttled link its text paints before the page's module has
// arrived; the app then takes over the same content and keeps the paragraph the student was
// reading where it was on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, backendKind, NO_SW } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

const TITLE = { en: 'Network in Network (NiN)', ja: 'ネットワーク・イン・ネットワーク（NiN）' };

/** The visible h1, the first paragraph of the introduction and the section count. */
async function reading(page) {
  return page.evaluate(() => {
    const visible = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const h1 = document.querySelector('h1');
    const first = document.querySelector('[data-p="introduction:before:0"]');
    return {
      h1: visible(h1) ? h1.textContent.trim() : null,
      first: visible(first) ? first.textContent.trim() : null,
      sections: document.querySelectorAll('[data-testid="chapter-section"]').length,
      exercises: document.querySelectorAll('article.exercise').length,
      lang: document.documentElement.lang,
    };
  });
}

test('with JavaScript off the whole chapter reads', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, ...NO_SW });
    const page = await context.newPage();
    await page.goto(site.url);
    const r = await reading(page);
    assert.equal(r.h1, TITLE.en);
    assert.ok(r.first?.startsWith('LeNet, AlexNet and VGG'), r.first);
    assert.equal(r.sections, 6);
    assert.equal(r.exercises, 6);
    assert.ok(await page.locator('[data-testid="cell-loading"]').first().isVisible());
  } finally {
    await browser.close();
  }
});

test('with the wasm blocked the chapter reads in the stored language, with a loading line', async () => {
  const browser = await launch({ webgpu: false });
  try {
    for (const lang of ['en', 'ja']) {
      const context = await browser.newContext(NO_SW);
      await context.addInitScript((l) => localStorage.setItem('nin.lang', JSON.stringify(l)), lang);
      const page = await context.newPage();
      let blocked = 0;
      await page.route('**/*.wasm*', (route) => {
        blocked += 1;
        return route.abort();
      });
      await page.goto(site.url);
      await page.waitForTimeout(500);
      const r = await reading(page);
      assert.ok(blocked >= 1, 'the page asked for its module');
      assert.equal(r.lang, lang);
      assert.equal(r.h1, TITLE[lang]);
      assert.ok(r.first && r.first.length > 100, `first paragraph: ${r.first}`);
      if (lang === 'ja') assert.match(r.first, /[\u3040-\u30ff\u4e00-\u9fff]/, 'Japanese text');
      else assert.doesNotMatch(r.first, /[\u3040-\u30ff]/);
      assert.ok(await page.getByTestId('boot').isVisible(), 'the loading line shows');
      assert.equal(await page.getByTestId('backend-kind').count(), 0, 'no app without its module');
      await context.close();
    }
    // No stored choice: the browser's language decides.
    const context = await browser.newContext({ locale: 'ja-JP', ...NO_SW });
    const page = await context.newPage();
    await page.route('**/*.wasm*', (route) => route.abort());
    await page.goto(site.url);
    const ja = await reading(page);
    assert.equal(ja.lang, 'ja');
    assert.equal(ja.h1, TITLE.ja);
    await context.close();
  } finally {
    await browser.close();
  }
});

test('on a 1.6 Mbps link the text paints before the module has arrived (time measured)', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext(NO_SW);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 });
    await page.goto(site.url, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.querySelector('[data-p="introduction:before:0"]')?.getClientRects().length > 0, null, { timeout: 60_000 });
    const seen = await page.evaluate(() => performance.now());
    const bytes = await page.waitForFunction(() => /MB/.test(document.getElementById('boot-bytes')?.textContent ?? ''), null, { timeout: 60_000 }).then(() => page.locator('#boot-bytes').textContent());
    await backendKind(page);
    const timing = await page.evaluate(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
      const wasm = performance.getEntriesByType('resource').find((e) => /nin-companion-.*_bg\.wasm/.test(e.name));
      return { fcp, wasmEnd: wasm?.responseEnd ?? null };
    });
    assert.ok(timing.fcp !== null && timing.wasmEnd !== null, JSON.stringify(timing));
    assert.ok(timing.fcp < timing.wasmEnd, `text painted at ${timing.fcp} ms, after the module arrived at ${timing.wasmEnd} ms`);
    assert.match(bytes, /^\d+\.\d( \/ \d+\.\d)? MB$/, `the loading line counts bytes: ${bytes}`);
    console.log(`# 1.6 Mbps, 150 ms: first paragraph visible at ${seen.toFixed(0)} ms (first contentful paint ${timing.fcp.toFixed(0)} ms), page module received at ${timing.wasmEnd.toFixed(0)} ms`);
  } finally {
    await browser.close();
  }
});

test('the app takes over in place: the paragraph being read stays where it was', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext(NO_SW);
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    let release;
    const held = new Promise((ok) => (release = ok));
    await page.route('**/nin-companion-*_bg.wasm.gz', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(site.url);
    const key = 'nin-model:before:1';
    await page.evaluate((k) => {
      const p = document.querySelector(`[data-p="${k}"]`);
      window.scrollTo(0, p.getBoundingClientRect().top + window.scrollY - 120);
    }, key);
    const top = () => page.evaluate((k) => document.querySelector(`[data-p="${k}"]`).getBoundingClientRect().top, key);
    const before = await top();
    assert.ok(Math.abs(before - 120) < 2, `scrolled: ${before}`);
    release();
    await page.waitForFunction(() => !document.getElementById('prerender') && document.getElementById('app'), null, { timeout: 60_000 });
    const after = await top();
    assert.ok(Math.abs(after - before) < 2, `the paragraph moved from ${before} to ${after} px`);
    const ids = await page.evaluate(() => {
      const all = [...document.querySelectorAll('[id]')].map((e) => e.id);
      return all.filter((id, i) => all.indexOf(id) !== i);
    });
    assert.deepEqual(ids, [], 'no duplicate ids after the takeover');
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(await page.locator('[data-testid="chapter-section"]').count(), 6);
    await backendKind(page);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('the app renders the same chapter text as the static page', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const context = await browser.newContext(NO_SW);
    const page = await context.newPage();
    await page.route('**/*.wasm*', (route) => route.abort());
    await page.goto(site.url);
    const staticTexts = await page.$$eval('[data-p]', (els) => els.map((e) => [e.dataset.p, e.textContent.trim()]));
    await context.close();
    const { page: app, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(app);
    const appTexts = await app.$$eval('[data-p]', (els) => els.map((e) => [e.dataset.p, e.textContent.trim()]));
    assert.deepEqual(appTexts, staticTexts);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('links to a section or an exercise, and share links of an exercise, land on it once the app has mounted', async () => {
  const browser = await launch({ webgpu: false });
  try {
    for (const suffix of ['#ex3', '#training', '?v=1&ex=ex5']) {
      const { page, problems } = await openPage(browser, site.origin, site.url + suffix);
      await backendKind(page);
      await page.waitForFunction(() => document.getElementById('app'));
      await page.waitForTimeout(300);
      const id = suffix.startsWith('#') ? suffix.slice(1) : 'ex5';
      const top = await page.evaluate((i) => document.getElementById(i).getBoundingClientRect().top, id);
      const height = await page.evaluate(() => innerHeight);
      assert.ok(top >= -2 && top < height / 2, `${suffix}: #${id} at ${top} px of ${height}`);
      assert.deepEqual(problems, []);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

test('at the top of the page nothing moves when the app takes over (1280 and 390 px)', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const tops = (p) => p.evaluate(() => ['nav.toc', '#introduction-title', '[data-p="introduction:before:0"]'].map((s) => document.querySelector(s).getBoundingClientRect().top));
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      const context = await browser.newContext({ viewport, ...NO_SW });
      const before = await context.newPage();
      await before.route('**/*.wasm*', (route) => route.abort());
      await before.goto(site.url);
      const staticTops = await tops(before);
      await context.close();
      const { page, problems } = await openPage(browser, site.origin, site.url, viewport);
      await backendKind(page);
      const appTops = await tops(page);
      for (let i = 0; i < staticTops.length; i++) assert.ok(Math.abs(staticTops[i] - appTops[i]) <= 3, `${viewport.width} px: ${staticTops} static vs ${appTops} in the app`);
      assert.deepEqual(problems, []);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
