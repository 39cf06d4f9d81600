// Scratch (not committed): the training cell at phone width after a tiny CPU run.
import { startServer, launch, openPage, backendKind } from './harness.mjs';
const site = await startServer();
const browser = await launch({ webgpu: false });
try {
  const { page, problems } = await openPage(browser, site.origin, site.url, { width: 390, height: 844 });
  await backendKind(page);
  await page.getByTestId('train-preset').selectOption('cpu');
  const vals = { size: '67', batch: '16', train: '160', val: '100', test: '300', epochs: '1' };
  for (const [k, v] of Object.entries(vals)) await page.getByTestId(`train-${k}`).fill(v);
  await page.getByTestId('train-start').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-cell"]').dataset.finished) > 0, null, { timeout: 300000 });
  const plateau = page.getByTestId('train-plateau');
  await plateau.scrollIntoViewIfNeeded();
  await plateau.screenshot({ path: '/tmp/meas/phone_plateau.png' });
  const overflow = await page.evaluate(() => [...document.querySelectorAll('.plateau-figures dd, .plateau-figures dt')].filter((e) => e.getBoundingClientRect().right > window.innerWidth).map((e) => e.textContent));
  console.log('overflowing', JSON.stringify(overflow));
  await page.getByTestId('train-check').scrollIntoViewIfNeeded();
  await page.getByTestId('train-check').screenshot({ path: '/tmp/meas/phone_check.png' });
  console.log(await page.getByTestId('train-check').textContent());
  await page.getByTestId('lang-toggle').click().catch(() => {});
  console.log(await page.getByTestId('train-check').textContent());
  console.log('problems', problems);
} finally {
  await browser.close();
  site.server.close();
}
