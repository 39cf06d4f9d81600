// Usage: node chromium_run.cjs out.json <file.wasm:libs> ... (REPS, default 9). Runs bench.js's
// runBench in headless Chromium (/usr/bin/chromium through playwright-core) on wasm/<file>.
const fs = require('fs');
const path = require('path');
const { chromium } = require(path.join(__dirname, '../../tests/browser/node_modules/playwright-core'));
(async () => {
  const [out, ...list] = process.argv.slice(2);
  const mods = list.map((f) => {
    const [file, libs] = f.split(':');
    return { name: file.replace('.wasm', ''), b64: fs.readFileSync(path.join(__dirname, 'wasm', file)).toString('base64'), libs: libs.split(',') };
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage();
  page.on('console', (m) => console.log(m.text()));
  page.on('pageerror', (e) => { console.error('page error', e); process.exitCode = 1; });
  await page.setContent('<html><body>wasm-gemm</body></html>');
  await page.addScriptTag({ content: fs.readFileSync(path.join(__dirname, 'bench.js'), 'utf8') });
  const rows = await page.evaluate(async ({ mods, reps }) => {
    const modules = mods.map((m) => ({ name: m.name, libs: m.libs, bytes: Uint8Array.from(atob(m.b64), (c) => c.charCodeAt(0)) }));
    return await runBench(modules, { reps }, (s) => console.log(s));
  }, { mods, reps: Number(process.env.REPS || 9) });
  const bad = rows.filter((r) => !(r.relerr < 1e-4));
  fs.writeFileSync(out, JSON.stringify({ chromium: browser.version(), date: new Date().toISOString(), rows }, null, 1));
  await browser.close();
  if (bad.length) throw new Error(`wrong results: ${JSON.stringify(bad)}`);
})().catch((e) => { console.error(e); process.exit(1); });
