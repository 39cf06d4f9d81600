// The phone layout (issue 29), in both languages, on a 390 x 844 touch screen (3x pixels):
// the page never scrolls sideways (nothing but a scroll box is wider than the screen, with
// every <details> closed and open); every chart and figure's text renders at 11 px or more
// (its font size in SVG user units times the SVG's screen scale); a table either fits or
// scrolls inside its own box with its first column kept in view (position: sticky, opaque);
// no table header breaks inside a word, and Japanese headers keep their terms whole
// (word-break: keep-all); axe-core finds no violation at 390 px (a11y.test.mjs covers 1280 px),
// and chart text stays at 11 px or more at 1280 px too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { startServer, launch, openPage, backendKind, runShapeCell, startAndWait, fillTraining, TINY_CPU } from './harness.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const MIN_TEXT_PX = 11;

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

/** A phone page that records page errors, console errors and requests leaving the site. */
async function openPhone(browser) {
  const { page, problems } = await openPage(browser, site.origin, site.url, PHONE.viewport, PHONE);
  return { context: page.context(), page, problems };
}

async function axe(page) {
  // The page's CSP refuses added <script> tags; evaluate axe's source instead.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
}

/**
 * Lays out every section: sections off screen skip layout (content-visibility: auto), so their
 * boxes would measure empty. Their containment (layout, paint) stays, as on screen.
 */
const layOutAll = (page) => page.addStyleTag({ content: 'main > section { content-visibility: visible !important; }' });

/** Elements wider than the screen (or starting left of it) that no scroll box holds. */
const tooWide = (page) => page.evaluate(() => {
  const clipsX = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  const held = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (clipsX(a)) return true;
    return false;
  };
  const w = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > innerWidth) out.push(`page: scrollWidth ${document.documentElement.scrollWidth} > ${innerWidth}`);
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.visually-hidden') || held(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > w + 0.5 || r.left < -0.5) {
      const id = el.dataset?.testid ? `[data-testid=${el.dataset.testid}]` : el.className?.baseVal ?? el.className ?? '';
      out.push(`${el.tagName.toLowerCase()}${id ? ` ${typeof id === 'string' ? id : ''}` : ''}: ${r.left.toFixed(0)}..${r.right.toFixed(0)} of ${w}`);
    }
  }
  return out.slice(0, 12);
});

/** Every rendered SVG text's size on screen: font size (user units) x the SVG's screen scale. */
const chartText = (page) => page.evaluate(() => {
  const out = [];
  for (const svg of document.querySelectorAll('main svg')) {
    if (svg.ownerSVGElement) continue;
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;
    const vb = svg.viewBox?.baseVal;
    const scale = vb && vb.width ? Math.min(box.width / vb.width, box.height / vb.height) : 1;
    const name = svg.dataset.testid ?? svg.getAttribute('aria-label') ?? 'svg';
    for (const t of svg.querySelectorAll('text')) {
      if (!t.getClientRects().length || !t.textContent.trim()) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      out.push({ name, text: t.textContent.trim().slice(0, 24), px: Math.round(px * 10) / 10 });
    }
  }
  return out;
});

/**
 * Tables: each fits the screen, or sits in a sideways scroll box; a table that scrolls keeps
 * its first column in view (every row's first cell sticky and opaque, still at the box's left
 * edge once the box is scrolled to its end).
 */
const tableProblems = (page) => page.evaluate(async () => {
  const out = [];
  const transparent = (c) => c === 'transparent' || /rgba\(.*,\s*0\)$/.test(c);
  let scrolling = 0;
  for (const table of document.querySelectorAll('main table')) {
    if (!table.getClientRects().length) continue;
    const name = table.dataset.testid ?? table.className ?? 'table';
    let box = table.parentElement;
    while (box && box !== document.body && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    if (!box || box === document.body) {
      if (table.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5) out.push(`${name}: wider than the screen and in no scroll box`);
      continue;
    }
    if (box.scrollWidth <= box.clientWidth + 1) continue;
    scrolling++;
    const firsts = [...table.rows].map((r) => r.cells[0]).filter((c) => c && c.colSpan === 1 && c.getClientRects().length);
    for (const c of firsts) {
      const s = getComputedStyle(c);
      if (s.position !== 'sticky') { out.push(`${name}: first cell "${c.textContent.trim().slice(0, 20)}" is ${s.position}, not sticky`); break; }
      if (transparent(s.backgroundColor)) { out.push(`${name}: sticky first cell "${c.textContent.trim().slice(0, 20)}" has no background`); break; }
    }
    const before = box.scrollLeft;
    box.scrollLeft = box.scrollWidth;
    await new Promise((r) => requestAnimationFrame(() => r()));
    const left = box.getBoundingClientRect().left + box.clientLeft;
    for (const c of firsts) {
      const l = c.getBoundingClientRect().left;
      if (Math.abs(l - left) > 2) { out.push(`${name}: first cell "${c.textContent.trim().slice(0, 20)}" leaves the box when scrolled (${l.toFixed(0)} vs ${left.toFixed(0)})`); break; }
    }
    box.scrollLeft = before;
  }
  return { problems: out, scrolling };
});

/**
 * Headers: no word breaks across lines (each whitespace-separated word's text lies on one
 * line); in Japanese every header keeps its terms whole (word-break: keep-all).
 */
const headerProblems = (page, lang) => page.evaluate((lang) => {
  const out = [];
  for (const th of document.querySelectorAll('main th')) {
    if (!th.getClientRects().length || th.closest('.visually-hidden')) continue;
    const s = getComputedStyle(th);
    if (lang === 'ja' && s.wordBreak !== 'keep-all' && s.whiteSpace !== 'nowrap') out.push(`"${th.textContent.trim()}": word-break ${s.wordBreak}`);
    if (s.overflowWrap === 'anywhere' || s.overflowWrap === 'break-word' || s.wordBreak === 'break-all') out.push(`"${th.textContent.trim()}": may break inside a word (${s.overflowWrap}, ${s.wordBreak})`);
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const m of n.data.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) out.push(`"${th.textContent.trim()}": "${m[0]}" breaks across ${tops.size} lines`);
      }
    }
  }
  return out;
}, lang);

async function openAllDetails(page) {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
}

test('phone (390 px): no sideways page scroll, chart text 11 px or more, tables scroll in their box with the first column kept, headers whole, axe clean (both languages)', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { context, page, problems } = await openPhone(browser);
    assert.equal(await backendKind(page), 'Cpu');
    assert.equal(await runShapeCell(page, [1, 1, 224, 224]), 'done');
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(await startAndWait(page), 'done');
    // The exercises (issue 27): exercise 2 asks still, the others are open (1 with feedback).
    await page.locator('[data-testid="ex1-option"][value="same"]').check();
    await page.getByTestId('ex1-predict-submit').click();
    for (const id of ['ex3', 'ex4', 'ex5', 'ex6']) await page.getByTestId(`${id}-predict-skip`).click();
    await page.getByTestId('ex6-answer').waitFor();
    await layOutAll(page);
    // Every finding is collected first, so one run reports all of them.
    const found = {};
    const note = (what, list) => { if (list.length) found[what] = list; };
    let smallest = Infinity;
    for (const lang of ['en', 'ja']) {
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = false; }));
      note(`wider than the screen, details closed (${lang})`, await tooWide(page));
      await openAllDetails(page);
      note(`wider than the screen, details open (${lang})`, await tooWide(page));
      const texts = await chartText(page);
      assert.ok(texts.length > 0, `no chart text found (${lang})`);
      smallest = Math.min(smallest, ...texts.map((t) => t.px));
      const small = texts.filter((t) => t.px < MIN_TEXT_PX);
      // One line per chart: how many of its texts are too small, the smallest, an example.
      const byChart = {};
      for (const t of small) byChart[t.name] = byChart[t.name] ? { ...byChart[t.name], n: byChart[t.name].n + 1, px: Math.min(byChart[t.name].px, t.px) } : { n: 1, px: t.px, text: t.text };
      note(`chart text under ${MIN_TEXT_PX} px (${lang})`, Object.entries(byChart).map(([name, v]) => `${name}: ${v.n} texts, smallest ${v.px} px ("${v.text}")`));
      note(`tables (${lang})`, (await tableProblems(page)).problems);
      note(`table headers (${lang})`, await headerProblems(page, lang));
      note(`axe violations at 390 px (${lang})`, await axe(page));
      await page.getByTestId('lang-toggle').click();
      await page.waitForFunction((l) => document.documentElement.lang !== l, lang);
    }
    console.log(`smallest chart text at 390 px: ${smallest} px`);
    // Charts stay readable on a laptop too.
    await page.setViewportSize({ width: 1280, height: 900 });
    const wide = await chartText(page);
    const wideMin = Math.min(...wide.map((t) => t.px));
    console.log(`smallest chart text at 1280 px: ${wideMin} px`);
    if (wideMin < MIN_TEXT_PX) found['chart text at 1280 px'] = [wideMin];
    assert.deepEqual(found, {});
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await browser.close();
  }
});
