// Takes the README screenshot (not a test): the shape-summary cell after a run on WebGPU.
import { startServer, launch, openPage, backendKind, runShapeCell } from './harness.mjs';
const site = await startServer();
const browser = await launch({ webgpu: true });
try {
  const { page } = await openPage(browser, site.origin, site.url, { width: 1100, height: 1000 });
  await backendKind(page);
  await runShapeCell(page, [1, 1, 224, 224], 600_000);
  await page.getByTestId('shape-cell').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -260));
  await page.screenshot({ path: process.env.SHOT ?? '../../docs/screenshot.png' });
} finally {
  await browser.close();
  site.server.close();
}
