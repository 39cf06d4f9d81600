// WebDriver sessions for the engines that Playwright does not drive here (Firefox ESR through
// geckodriver, WebKitGTK through WebKitWebDriver): used by engines.test.mjs and the GPU benchmark.
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { Builder } from 'selenium-webdriver';

export const GECKODRIVER = process.env.GECKODRIVER ?? `${process.env.HOME}/.cargo/bin/geckodriver`;
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';

/** Headless Firefox ESR with WebGPU on. */
export const FIREFOX_CAPABILITIES = {
  browserName: 'firefox',
  'moz:firefoxOptions': {
    binary: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    args: ['-headless'],
    prefs: {
      // WebGPU is off by default on Linux; Mesa's software Vulkan (lavapipe) gives an adapter.
      'dom.webgpu.enabled': true,
      'dom.webgpu.workers.enabled': true,
      'gfx.webgpu.ignore-blocklist': true,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'app.update.enabled': false,
    },
  },
};

/** A geckodriver session with FIREFOX_CAPABILITIES. */
export const firefoxSession = () => session(GECKODRIVER, (port) => ['--port', String(port), '--host', '127.0.0.1'], FIREFOX_CAPABILITIES);

export async function freePort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Starts a WebDriver server and a session on it; returns the driver and a stop function. */
export async function session(driverPath, args, capabilities) {
  await access(driverPath);
  const port = await freePort();
  // Its own process group, so that stopping it also ends the browser it started (a crashed
  // WebKit session once left MiniBrowser holding this pipe, and the test file never ended).
  const proc = spawn(driverPath, [...args(port)], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let log = '';
  proc.stderr.on('data', (d) => (log += d));
  const server = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(`${server}/status`);
      if (r.ok) break;
    } catch {}
    if (i > 100) throw new Error(`${driverPath} did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const driver = await new Builder().usingServer(server).withCapabilities(capabilities).build();
  const stop = async () => {
    await Promise.race([driver.quit().catch(() => {}), new Promise((r) => setTimeout(r, 15_000))]);
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {}
    proc.stderr.destroy();
  };
  return { driver, stop };
}

