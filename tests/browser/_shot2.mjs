import { startServer, launch, openPage, backendKind, fillTraining } from './harness.mjs';
const site = await startServer();
const browser = await launch({ webgpu: false });
try {
  for (const [name, vp] of [['desk', { width: 1100, height: 1000 }], ['phone', { width: 390, height: 844 }]]) {
    const { page } = await openPage(browser, site.origin, site.url, vp);
    await backendKind(page);
    await page.getByTestId('train-preset').selectOption('cpu');
    await fillTraining(page, { size: '67', batch: '16', train: '480', val: '100', test: '300', epochs: '1', lr: '0.001', seed: '1' });
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="train-board"]')?.dataset.trainPoints) >= 3, null, { timeout: 300000 });
    await page.getByTestId('train-workers').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `/work/logs/shot-${name}-form.png` });
    await page.getByTestId('train-progress-text').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `/work/logs/shot-${name}-board.png` });
    await page.close();
  }
} finally { await browser.close(); site.server.close(); }
