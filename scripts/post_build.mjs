// trunk's post_build hook (Trunk.toml): makes the staged site light on the wire and safe to
// cache. It runs in the project root with TRUNK_STAGING_DIR and TRUNK_PUBLIC_URL set.
//
// 1. Every .wasm is also written gzipped (-9) as .wasm.gz, and the page and the GPU worker
//    fetch that through the browser's DecompressionStream (a plain .wasm where the browser has
//    none): the bytes on the wire are compressed whatever the host does with application/wasm.
// 2. The worker scripts and the GPU module, which trunk does not content-hash, get their hash
//    in their names, and the page learns the names from <meta> tags: a cached old worker can
//    never meet a new page.
// 3. sw.js (the service worker, www/sw.js) gets its precache list and a version computed from
//    the staged files: a new deployment is a new version, detected and offered by the page.
// 4. index.html gets its content security policy, with the hashes of its inline scripts.
// 5. index.html gets the chapter as static HTML (www/prerender/{en,ja}.html, rendered by
//    src/prerender.rs from the app's own texts; a native test keeps them current): readable
//    before the wasm has loaded and with JavaScript off; a small inline script shows the
//    Japanese one before the first paint where the student reads Japanese; the loader shows
//    the bytes of the page's module as they arrive.
// 6. Release builds get a second page module with relaxed SIMD (scripts/relaxed_module.mjs);
//    a small inline script in <head> picks one of the two with `WebAssembly.validate` (a student
//    can force the first with localStorage `nin.simd` = "strict"), preloads it, and tells the
//    module script and the CPU workers which (`window.__ninModule`); the service worker
//    precaches the one its browser validates.
import { createHash } from 'node:crypto';
import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { RELAXED_PROBE, buildRelaxedModule } from './relaxed_module.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('post_build.mjs runs as a trunk hook (TRUNK_STAGING_DIR is not set)');
const publicUrl = process.env.TRUNK_PUBLIC_URL ?? '/';

const sha = (algo, bytes, enc = 'hex') => createHash(algo).update(bytes).digest(enc);
const short = (bytes) => sha('sha256', bytes).slice(0, 16);
const sri = (bytes) => `sha384-${sha('sha384', bytes, 'base64')}`;

async function files(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await files(path)));
    else out.push(relative(staging, path));
  }
  return out;
}

/** Fetches `gz` and gunzips it for WebAssembly's streaming compile, checking its SHA-384 (SRI).
 * `fetch(gz, { integrity })` would hold the whole body until it is checked, so in the page (not
 * in a worker) and where WebCrypto is (secure contexts) the bytes stream as they arrive, the
 * static chapter's status line counts them, and the digest is checked at the end of the stream:
 * a mismatch errors the stream, so the compile fails as it would with `integrity`. Elsewhere the
 * browser checks `integrity` itself. */
const LOADER = `const __ninWasm = (gz, integrity, plain) => {
  if (typeof DecompressionStream !== 'function') return plain;
  const shown = typeof document === 'object' && document.getElementById('boot-bytes');
  const counted = !!(shown && globalThis.crypto && crypto.subtle);
  return fetch(gz, counted ? {} : { integrity }).then((r) => {
    if (!r.ok) throw new Error(gz + ': HTTP ' + r.status);
    let body = r.body;
    if (counted) {
      const total = Number(r.headers.get('Content-Length')) || 0;
      const mb = (n) => (n / 1e6).toFixed(1);
      const chunks = [];
      let got = 0;
      body = body.pipeThrough(new TransformStream({
        transform(chunk, c) {
          chunks.push(chunk);
          got += chunk.byteLength;
          shown.textContent = total ? mb(got) + ' / ' + mb(total) + ' MB' : mb(got) + ' MB';
          c.enqueue(chunk);
        },
        async flush(c) {
          const all = new Uint8Array(got);
          let at = 0;
          for (const chunk of chunks) { all.set(chunk, at); at += chunk.byteLength; }
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', all));
          let bin = '';
          for (const b of digest) bin += String.fromCharCode(b);
          if ('sha384-' + btoa(bin) !== integrity) c.error(new Error(gz + ': integrity check failed'));
        },
      }));
    }
    return new Response(body.pipeThrough(new DecompressionStream('gzip')), { headers: { 'Content-Type': 'application/wasm' } });
  });
};`;

/** Before the first paint: the Japanese static chapter where the student chose Japanese (the
 * app's stored choice) or, with no choice stored, where the browser prefers it. */
const PICK_LANGUAGE = `(() => {
  let code = null;
  try { code = JSON.parse(localStorage.getItem('nin.lang')); } catch (e) {}
  if (code !== 'en' && code !== 'ja') code = /^ja\\b/i.test(navigator.language || '') ? 'ja' : 'en';
  const ja = document.getElementById('prerender-ja');
  const page = document.getElementById('prerender');
  if (code === 'ja' && ja && page) { page.replaceChildren(ja.content.cloneNode(true)); document.documentElement.lang = 'ja'; }
})();`;

let html = await readFile(join(staging, 'index.html'), 'utf8');

// 1. The page's module: gzip it, load the .gz, preload the .gz.
const pageWasm = (await readdir(staging)).find((f) => /^nin-companion-[0-9a-f]+_bg\.wasm$/.test(f));
if (!pageWasm) throw new Error('post_build.mjs: the page module (nin-companion-<hash>_bg.wasm) is not staged');
const pageGz = gzipSync(await readFile(join(staging, pageWasm)), { level: 9 });
await writeFile(join(staging, `${pageWasm}.gz`), pageGz);
const pageUrl = `${publicUrl}${pageWasm}`;
const pageGlue = `${publicUrl}${pageWasm.replace(/_bg\.wasm$/, '.js')}`;
// 6. The relaxed-SIMD module, with the first module's wasm-opt arguments (www/index.html).
const optParams = (await readFile(join('www', 'index.html'), 'utf8')).match(/data-bin="nin-companion"[^>]*data-wasm-opt-params="([^"]*)"/);
if (!optParams) throw new Error('post_build.mjs: www/index.html has no wasm-opt arguments for the page module');
const relaxed = process.env.TRUNK_PROFILE === 'release' && process.env.NIN_RELAXED !== '0' ? await buildRelaxedModule(staging, optParams[1].split(/\s+/).filter(Boolean)) : null;
const modules = {
  strict: { glue: pageGlue, gz: `${pageUrl}.gz`, sri: sri(pageGz), plain: pageUrl },
  relaxed: relaxed && { glue: `${publicUrl}${relaxed.glue}`, gz: `${publicUrl}${relaxed.wasm}.gz`, sri: sri(relaxed.gz), plain: `${publicUrl}${relaxed.wasm}` },
};
const trunkLoader = `import init, * as bindings from '${pageGlue}';\nconst wasm = await init({ module_or_path: '${pageUrl}' });`;
if (!html.includes(trunkLoader)) throw new Error(`post_build.mjs: trunk's loader is no longer\n${trunkLoader}`);
html = html.replace(trunkLoader, () => `${LOADER}
const __ninM = window.__ninModule;
const bindings = await import(__ninM.glue);
const init = bindings.default;
const wasm = await init({ module_or_path: __ninWasm(__ninM.gz, __ninM.sri, __ninM.plain) });`);
// trunk's preloads of the first module (its glue, its plain .wasm) go: the <head> script preloads
// the chosen module's glue and .gz instead. No integrity on that preload: the loader's fetch has
// none where it checks the digest itself (above), and a preload is only used by a request that
// matches it.
for (const [url, required] of [[pageGlue, false], [pageUrl, true]]) {
  const link = new RegExp(`<link rel="(?:module)?preload" href="${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>\n?`);
  if (required && !link.test(html)) throw new Error(`post_build.mjs: trunk's preload of ${url} is missing`);
  html = html.replace(link, '');
}
const CHOOSE_MODULE = `(() => {
  const modules = ${JSON.stringify(modules)};
  let strict = false;
  try { strict = JSON.parse(localStorage.getItem('nin.simd')) === 'strict'; } catch (e) {}
  const relaxed = !!modules.relaxed && !strict && typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(${JSON.stringify(RELAXED_PROBE)}));
  const m = relaxed ? modules.relaxed : modules.strict;
  window.__ninModule = { ...m, relaxed };
  const preload = (rel, href, as) => {
    const l = document.createElement('link');
    l.rel = rel; l.href = href; l.crossOrigin = 'anonymous';
    if (as) { l.as = as; l.type = 'application/gzip'; }
    document.head.append(l);
  };
  preload('modulepreload', m.glue);
  if (typeof DecompressionStream === 'function') preload('preload', m.gz, 'fetch');
})();`;

// 2. The GPU module and the two worker scripts, content-hashed.
const gpuWasm = await readFile(join(staging, 'nin-gpu_bg.wasm'));
const gpuGlue = await readFile(join(staging, 'nin-gpu.js'));
const gpuHash = short(Buffer.concat([gpuGlue, gpuWasm]));
const gpuGz = gzipSync(gpuWasm, { level: 9 });
const names = {
  wasm: `nin-gpu-${gpuHash}_bg.wasm`,
  glue: `nin-gpu-${gpuHash}.js`,
  loader: `nin-gpu-loader-${gpuHash}.js`,
};
await rename(join(staging, 'nin-gpu_bg.wasm'), join(staging, names.wasm));
await writeFile(join(staging, `${names.wasm}.gz`), gpuGz);
await rename(join(staging, 'nin-gpu.js'), join(staging, names.glue));
await writeFile(
  join(staging, names.loader),
  `// The GPU worker (trunk's loader shim, renamed by scripts/post_build.mjs): the GPU module's glue, then its gzipped .wasm.\n` +
    `importScripts('./${names.glue}');\n${LOADER}\nwasm_bindgen({ module_or_path: __ninWasm('./${names.wasm}.gz', '${sri(gpuGz)}', './${names.wasm}') });\n`,
);
await rm(join(staging, 'nin-gpu_loader.js'));
const cpuWorker = await readFile(join(staging, 'worker.js'));
const cpuName = `worker-${short(cpuWorker)}.js`;
await rename(join(staging, 'worker.js'), join(staging, cpuName));
const meta = `<meta name="nin-cpu-worker" content="${cpuName}" />\n    <meta name="nin-gpu-worker" content="${names.loader}" />\n    <script>${CHOOSE_MODULE}</script>`;
html = html.replace('<base href=', `${meta}\n    <base href=`);
if (!html.includes('nin-gpu-worker')) throw new Error('post_build.mjs: no <base> to put the worker names before');

// 5. The static chapter, before the app's module script runs.
const prerendered = (lang) => readFile(join('www', 'prerender', `${lang}.html`), 'utf8');
const staticPage = `<div id="prerender">${(await prerendered('en')).trim()}</div>\n    <template id="prerender-ja">${(await prerendered('ja')).trim()}</template>\n    <script>${PICK_LANGUAGE}</script>`;
if (!html.includes('<body>')) throw new Error('post_build.mjs: no <body> to put the static chapter in');
html = html.replace('<body>', () => `<body>\n    ${staticPage}`);

// 4. The content security policy (a <meta>: GitHub Pages sets no headers). Scripts only from
// this site, WebAssembly compiled (wasm-unsafe-eval), trunk's one inline loader by its hash, no
// third-party origin anywhere, workers and the service worker from this site. Leptos sets
// style attributes (bar widths), hence 'unsafe-inline' for styles only.
const inline = [...html.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (inline.length !== 3) throw new Error(`post_build.mjs: expected the module pick, trunk's inline loader and the language pick, found ${inline.length} inline scripts`);
const csp = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${inline.map((s) => `'sha256-${sha('sha256', s, 'base64')}'`).join(' ')}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');
html = html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`);
if (!html.includes('Content-Security-Policy')) throw new Error('post_build.mjs: no <meta charset> to put the policy after');

// 7. Every integrity attribute that names a staged file must be that file's digest. A debug build
// once staged the GPU worker binary's inline snippets (inline0-3.js, numbered per binary) over
// the page's: the digests were right for the page's files, the files were not (the snippets are
// files under src/js/ now, one path and one content for both binaries). Fail the build instead.
const wrong = [];
for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
  const href = tag.match(/\bhref="([^"]*)"/)?.[1];
  const integrity = tag.match(/\bintegrity="(sha384-[^"]*)"/)?.[1];
  if (!href || !integrity || !href.startsWith(publicUrl)) continue;
  const body = await readFile(join(staging, href.slice(publicUrl.length))).catch(() => null);
  if (body && sri(body) !== integrity) wrong.push(href);
}
if (wrong.length) throw new Error(`post_build.mjs: the staged files differ from trunk's integrity attributes: ${wrong.join(', ')}`);

await writeFile(join(staging, 'index.html'), html);

// 3. The service worker: what it precaches (the app shell: everything the page needs to start
// and run on the CPU), what it caches on first use (the GPU module: only where WebGPU runs;
// the data shards: only those a run needs; the shipped model: when a student loads it), and
// the version. Of the two page modules (6) it precaches the one its browser validates: the
// lists `strict` and `relaxed` (glue + .gz) join the shell at install (www/sw.js).
const all = await files(staging);
const moduleFiles = (m) => (m ? [m.glue, m.gz].map((u) => `./${u.slice(publicUrl.length)}`) : []);
const pageModules = { probe: RELAXED_PROBE, strict: moduleFiles(modules.strict), relaxed: moduleFiles(modules.relaxed) };
const precache = all.filter((f) =>
  f !== 'sw.js' &&
  !f.endsWith('.nins.gz') &&
  !f.startsWith('models/') &&
  !f.startsWith('nin-gpu') &&
  !f.startsWith('nin-companion') &&
  !(f.endsWith('.wasm') && all.includes(`${f}.gz`)));
const versionHash = createHash('sha256');
for (const f of all.filter((f) => !f.endsWith('.nins.gz') && f !== 'sw.js').sort()) versionHash.update(f).update(await readFile(join(staging, f)));
const version = versionHash.digest('hex').slice(0, 16);
const sw = await readFile(join(staging, 'sw.js'), 'utf8');
if (!sw.includes('__PRECACHE__') || !sw.includes('__VERSION__') || !sw.includes('__PAGE_MODULES__')) throw new Error('post_build.mjs: sw.js lacks its placeholders');
const urls = precache.map((f) => (f === 'index.html' ? './' : `./${f.split('\\').join('/')}`));
await writeFile(join(staging, 'sw.js'), sw.replace('__VERSION__', version).replace('__PRECACHE__', JSON.stringify(urls, null, 2)).replace('__PAGE_MODULES__', JSON.stringify(pageModules)));

const size = async (f) => (await stat(join(staging, f))).size;
console.log(`post_build: version ${version}; page ${pageWasm} ${await size(pageWasm)} B -> ${pageGz.length} B gzipped; ${relaxed ? `relaxed-SIMD page module ${relaxed.size} B -> ${relaxed.gz.length} B gzipped; ` : ''}GPU module ${gpuWasm.length} B -> ${gpuGz.length} B; ${urls.length} files precached`);
