// The content security policy in force: the page (its module, workers, service worker, data)
// runs under it — every other browser test does too — and markup that a bug might one day
// render from untrusted text cannot run script: an injected inline script and an inline event
// handler are blocked, with a CSP violation event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, backendKind, runShapeCell, startAndWait, fillTraining, TINY_CPU } from './harness.mjs';

let site;
before(async () => {
  site = await startServer();
});
after(() => site.server.close());

test('a strict content security policy is in force, and injected script is blocked', async () => {
  const browser = await launch({ webgpu: false });
  try {
    const { page, problems } = await openPage(browser, site.origin, site.url);
    const policy = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(policy, /unsafe-inline'[^;]*script|script-src[^;]*unsafe-inline|https?:/);
    assert.match(policy, /object-src 'none'/);
    // The page works under it: WebAssembly, the CPU worker, the data, a run.
    assert.equal(await backendKind(page), 'Cpu');
    assert.equal(await runShapeCell(page, [1, 1, 67, 67]), 'done');
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, TINY_CPU);
    assert.equal(await startAndWait(page), 'done');
    // Injected markup cannot run script.
    const blocked = await page.evaluate(() => new Promise((resolve) => {
      const seen = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        seen.push(e.violatedDirective);
        if (seen.length === 2) resolve({ seen, ran: window.__injected ?? null });
      });
      const s = document.createElement('script');
      s.textContent = 'window.__injected = "inline script";';
      document.body.append(s);
      const d = document.createElement('div');
      d.innerHTML = `<img src="data:," onerror="window.__injected = 'event handler'">`;
      document.body.append(d);
      setTimeout(() => resolve({ seen, ran: window.__injected ?? null }), 3000);
    }));
    assert.equal(blocked.ran, null, 'no injected script ran');
    assert.equal(blocked.seen.length, 2, JSON.stringify(blocked));
    assert.ok(blocked.seen.every((d) => d.startsWith('script-src')), JSON.stringify(blocked));
    // The browser reports each refusal on the console: those two and nothing else.
    assert.deepEqual(problems.filter((p) => !/Content Security Policy/.test(p)), []);
    assert.ok(problems.length <= 2, problems.join('\n'));
  } finally {
    await browser.close();
  }
});
