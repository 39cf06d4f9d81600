// The Japanese page speaks Japanese (issue 26): after running the cells that fill tables and
// messages, no visible text outside code holds an English sentence. Proper names (Burn,
// WebGPU, Fashion-MNIST, NiN, ...), units, numbers and file names may stay as they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, backendKind, runShapeCell } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

/** Words that are names, units or code, not English prose. */
const NAMES = new Set(`NiN Network in Network VGG AlexNet LeNet Burn WebGPU WebAssembly wasm CPU GPU SIMD SwiftShader lavapipe
Fashion MNIST PyTorch TF.js TensorFlow Adam SGD ReLU Dropout MaxPool AvgPool Conv Conv2d Linear Flatten GAP FC MLP FLOPs FLOP
MiB GiB KiB MB kB px ms JSON CSV MIT Rust Leptos trunk GitHub Pages Chrome Chromium Firefox Safari WebKit Dive into Deep Learning
d2l nn Sequential LazyConv2d LazyLinear AdaptiveAvgPool2d MaxPool2d init_cnn Lin Chen Yan Xavier Kaiming timestamp-query
T-shirt top Trouser Pullover Dress Coat Sandal Shirt Sneaker Bag Ankle boot
global average pooling`.split(/\s+/)); // the chapter glosses its terms in English: 大域平均プーリング（global average pooling）

/** Runs of three or more English words that are not names: an English sentence on the page. */
function englishRuns(text) {
  const runs = [];
  for (const m of text.matchAll(/[A-Za-z][A-Za-z'’-]*(?:[ ,]+[A-Za-z][A-Za-z'’-]*){2,}/g)) {
    const words = m[0].split(/[ ,]+/).filter((w) => !NAMES.has(w) && !/^[A-Z0-9-]+$/.test(w));
    if (words.length >= 3) runs.push(m[0]);
  }
  return runs;
}

test('the Japanese page: no English sentence outside code (both backends\' texts, tables, forms)', async () => {
  assert.deepEqual(englishRuns('the run diverged; try a smaller learning rate'), ['the run diverged', 'try a smaller learning rate'], 'the check finds English');
  assert.deepEqual(englishRuns('NiN の Fashion-MNIST と WebGPU'), [], 'names pass');
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    await backendKind(page);
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    assert.equal(await runShapeCell(page, [1, 1, 224, 224]), 'done');
    const texts = await page.evaluate(() => {
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('pre, code, script, style, noscript, .katex, [translate="no"]')) continue;
        const t = n.textContent.trim();
        if (t) out.push(t);
      }
      return out;
    });
    const leaks = texts.flatMap((t) => englishRuns(t).map((run) => `${run}   (in: ${t.slice(0, 80)})`));
    assert.deepEqual(leaks, [], `English on the Japanese page:\n${leaks.join('\n')}`);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
