// The page's second module: the same `nin-companion` binary built with WebAssembly's relaxed
// SIMD (`+relaxed-simd`), so gemm's kernels use a fused multiply-add (patches/gemm-f32) where
// the browser has it (Chrome 114+, Firefox 146+; not Safari). The page picks the module at load
// time with `WebAssembly.validate(RELAXED_PROBE)` (scripts/post_build.mjs), so each browser
// downloads one of the two, and the service worker caches the one that browser uses.
//
//   node scripts/relaxed_module.mjs cargo   only the cargo build (scripts/test.sh starts it
//                                           beside the native tests, as it does trunk's)
// post_build.mjs imports `buildRelaxedModule` for release builds: cargo, wasm-bindgen and
// wasm-opt as trunk runs them for the first module, then content-hashed names in the site.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Its own target directory: the same crates with other flags would otherwise evict trunk's. */
const targetDir = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'relaxed-simd');
const built = join(targetDir, 'wasm32-unknown-unknown', 'release', 'nin-companion.wasm');

/** A module whose one function uses `f32x4.relaxed_madd` (0xfd 0x85 0x02) on three zero
 * vectors: it validates exactly where the engine has relaxed SIMD. */
export const RELAXED_PROBE = (() => {
  const zeros = [0xfd, 0x0c, ...new Array(16).fill(0)];
  const body = [0x00, ...zeros, ...zeros, ...zeros, 0xfd, 0x85, 0x02, 0x0b];
  const code = [0x01, body.length, ...body];
  return [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 10, code.length, ...code];
})();

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`relaxed_module.mjs: ${cmd} ${args.join(' ')} failed (${r.error ?? `exit ${r.status}`})`);
}

export function cargoBuild() {
  run('cargo', ['build', '--locked', '--offline', '--release', '--target', 'wasm32-unknown-unknown', '--bin', 'nin-companion', '--target-dir', targetDir], {
    // Overrides .cargo/config.toml's `+simd128` for this build only.
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS: '-C target-feature=+simd128,+relaxed-simd',
  });
}

const short = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** Builds the module into `staging` as `nin-companion-relaxed-<hash>.js` and `_bg.wasm` (+ `.gz`),
 * with the `wasm-opt` arguments of the first module (`optArgs`, from www/index.html) plus relaxed
 * SIMD. Its wasm-bindgen snippets must equal the first module's (same sources): checked. */
export async function buildRelaxedModule(staging, optArgs) {
  cargoBuild();
  const tmp = join(targetDir, 'bindgen');
  await rm(tmp, { recursive: true, force: true });
  run('wasm-bindgen', ['--target=web', `--out-dir=${tmp}`, '--out-name=nin-companion-relaxed', '--no-typescript', built]);
  const optimised = join(tmp, 'opt.wasm');
  run('wasm-opt', [join(tmp, 'nin-companion-relaxed_bg.wasm'), '-o', optimised, '-O2', ...optArgs, '--enable-relaxed-simd']);
  const wasm = await readFile(optimised);
  const glue = await readFile(join(tmp, 'nin-companion-relaxed.js'));
  const hash = short(Buffer.concat([glue, wasm]));
  const names = { glue: `nin-companion-relaxed-${hash}.js`, wasm: `nin-companion-relaxed-${hash}_bg.wasm` };
  await writeFile(join(staging, names.glue), glue);
  await writeFile(join(staging, names.wasm), wasm);
  const gz = gzipSync(wasm, { level: 9 });
  await writeFile(join(staging, `${names.wasm}.gz`), gz);
  // The glue imports the same JS snippets as the first module's, by the same paths (at any depth:
  // `snippets/<crate>-<hash>/src/js/*.js`).
  const snippets = join(tmp, 'snippets');
  for (const entry of await readdir(snippets, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (!entry.isFile()) continue;
    const file = relative(snippets, join(entry.parentPath ?? entry.path, entry.name));
    const ours = await readFile(join(snippets, file));
    const theirs = await readFile(join(staging, 'snippets', file)).catch(() => null);
    if (theirs === null) {
      await mkdir(dirname(join(staging, 'snippets', file)), { recursive: true });
      await copyFile(join(snippets, file), join(staging, 'snippets', file));
    } else if (!theirs.equals(ours)) {
      throw new Error(`relaxed_module.mjs: snippet ${file} differs from the first module's`);
    }
  }
  return { ...names, gz, size: (await stat(join(staging, names.wasm))).size };
}

if (process.argv[2] === 'cargo') cargoBuild();
