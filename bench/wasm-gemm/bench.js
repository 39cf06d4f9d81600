// Shared benchmark harness: runs in Node and in the browser page.
// modules: [{name, bytes}], returns rows. log(str) prints progress.
async function runBench(modules, opts, log) {
  const SHAPES = opts.shapes || [
    { id: 'A', m: 2048, k: 96, n: 96, bt: 0 },
    { id: 'B', m: 2048, k: 2400, n: 256, bt: 0 },
    { id: 'Bt', m: 2048, k: 2400, n: 256, bt: 1 },
    { id: 'C', m: 512, k: 2304, n: 384, bt: 0 },
    { id: 'D', m: 96, k: 2048, n: 256, bt: 0 },
    { id: 'S', m: 512, k: 512, n: 512, bt: 0 },
    { id: 'R', m: 37, k: 51, n: 23, bt: 0 }, // odd sizes: every edge tile
  ];
  const REPS = opts.reps || 9, MIN_MS = opts.minMs || 40;
  const inst = [];
  for (const md of modules) {
    const { instance } = await WebAssembly.instantiate(md.bytes, {});
    const e = instance.exports;
    const maxA = Math.max(...SHAPES.map(s => s.m * s.k)), maxB = Math.max(...SHAPES.map(s => s.k * s.n)), maxC = Math.max(...SHAPES.map(s => s.m * s.n));
    const pa = e.alloc_f32(maxA), pb = e.alloc_f32(maxB), pc = e.alloc_f32(maxC);
    const info = `relaxed=${e.relaxed_built()} tile=${e.tile_mr()}x${e.tile_nr()}`;
    log(`${md.name}: ${info}`);
    for (const lib of md.libs.filter(l => l !== 'kernel')) inst.push({ name: `${lib}/${md.name}`, e, pa, pb, pc, lib,
      fn: lib === 'gemm' ? e.run_gemm : lib === 'mm' ? e.run_mm
        // calibration: same flop count as the shape, as 12 independent f32x4 multiply-add chains
        : (m, n, k, pa, pb, pc, bt, iters) => e.peak(iters * Math.round(2 * m * n * k / 96), 1) });
  }
  let seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x40000000 - 1; };
  const rows = [];
  for (const s of SHAPES) {
    const { m, k, n, bt } = s;
    const A = new Float32Array(m * k).map(rnd), B = new Float32Array(k * n).map(rnd); // B row-major k x n
    const Bl = bt ? new Float32Array(k * n) : B;
    if (bt) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) Bl[j * k + p] = B[p * n + j];
    // reference sample: 2048 random entries + last row + last column + first row
    const pts = [];
    for (let t = 0; t < 2048; t++) pts.push([Math.floor((rnd() + 1) / 2 * m) % m, Math.floor((rnd() + 1) / 2 * n) % n]);
    for (let j = 0; j < n; j++) { pts.push([m - 1, j]); pts.push([0, j]); }
    for (let i = 0; i < m; i++) pts.push([i, n - 1]);
    const ref = pts.map(([i, j]) => { let acc = 0; for (let p = 0; p < k; p++) acc += A[i * k + p] * B[p * n + j]; return acc; });
    const refMax = Math.max(...ref.map(Math.abs));
    const flop = 2 * m * n * k;
    const st = inst.map(v => {
      const mem = () => v.e.memory.buffer;
      new Float32Array(mem(), v.pa, m * k).set(A);
      new Float32Array(mem(), v.pb, k * n).set(Bl);
      new Float32Array(mem(), v.pc, m * n).fill(NaN);
      v.fn(m, n, k, v.pa, v.pb, v.pc, bt, 1);
      const C = new Float32Array(mem(), v.pc, m * n);
      // FNV-1a over C's bits: variants that sum in the same order give the same hash.
      let hash = 0x811c9dc5;
      for (const w of new Uint32Array(mem(), v.pc, m * n)) hash = Math.imul(hash ^ w, 0x01000193) >>> 0;
      let err = 0;
      if (v.lib !== 'peak') pts.forEach(([i, j], t) => { const d = Math.abs(C[i * n + j] - ref[t]); err = Math.max(err, Number.isNaN(d) ? Infinity : d); });
      // warm-up / calibrate
      let t0 = performance.now(), w = 0;
      while (performance.now() - t0 < 150 || w < 2) { v.fn(m, n, k, v.pa, v.pb, v.pc, bt, 1); w++; }
      const per = (performance.now() - t0) / w;
      return { v, hash, err: err / refMax, iters: Math.max(1, Math.ceil(MIN_MS / per)), gf: [] };
    });
    for (let r = 0; r < REPS; r++) {
      for (const x of (r % 2 ? st.slice().reverse() : st)) {
        const t0 = performance.now();
        x.v.fn(m, n, k, x.v.pa, x.v.pb, x.v.pc, bt, x.iters);
        const dt = (performance.now() - t0) / x.iters;
        x.gf.push(flop / dt / 1e6);
      }
    }
    for (const x of st) {
      const g = x.gf.slice().sort((a, b) => a - b);
      const row = { shape: s.id, m, k, n, bt, variant: x.v.name, median: g[g.length >> 1], max: g[g.length - 1], min: g[0], relerr: x.err, c_hash: x.hash.toString(16), iters: x.iters, reps: REPS };
      rows.push(row);
      log(`${s.id} m=${m} k=${k} n=${n} bt=${bt} ${x.v.name.padEnd(22)} median ${row.median.toFixed(2)} GF/s (min ${row.min.toFixed(2)} max ${row.max.toFixed(2)}) relerr ${row.relerr.toExponential(2)} iters ${x.iters}`);
    }
  }
  // The hand-written kernel against gemm's own 8x4 kernel (same tile, same order of sums; in the
  // strict module only: in the relaxed one gemm's kernel fuses the multiply-add, the hand one not).
  for (const r of rows.filter(r => r.variant.startsWith('gemm/hand-strict'))) {
    const twin = rows.find(o => o.shape === r.shape && o.variant === r.variant.replace('hand-', 'x2x4-'));
    if (twin) log(`${r.shape} ${r.variant} bit-identical to ${twin.variant}: ${r.c_hash === twin.c_hash}`);
  }
  // The app's 8x4 kernel alone on packed panels (depth 256), as gemm calls it.
  for (const md of modules.filter(md => md.libs.includes('kernel'))) {
    const { instance } = await WebAssembly.instantiate(md.bytes, {});
    const e = instance.exports, K = 256, ITERS = 20000;
    const pa = e.alloc_f32(K * 8), pb = e.alloc_f32(K * 4), pc = e.alloc_f32(32);
    new Float32Array(e.memory.buffer, pa, K * 8).fill(0.001);
    new Float32Array(e.memory.buffer, pb, K * 4).fill(0.001);
    e.run_kernel(K, pa, pb, pc, ITERS);
    const gf = [];
    for (let r = 0; r < REPS; r++) {
      const t0 = performance.now();
      e.run_kernel(K, pa, pb, pc, ITERS);
      gf.push(2 * 8 * 4 * K * ITERS / (performance.now() - t0) / 1e6);
    }
    const got = new Float32Array(e.memory.buffer, pc, 1)[0], want = K * 1e-6;
    gf.sort((a, b) => a - b);
    const row = { shape: 'kernel', m: 8, k: K, n: 4, bt: 0, variant: `kernel/${md.name}`, median: gf[gf.length >> 1], max: gf[gf.length - 1], min: gf[0], relerr: Math.abs(got - want) / want, iters: ITERS, reps: REPS };
    rows.push(row);
    log(`kernel 8x4 k=${K} alone ${row.variant.padEnd(22)} median ${row.median.toFixed(2)} GF/s (min ${row.min.toFixed(2)} max ${row.max.toFixed(2)}) relerr ${row.relerr.toExponential(2)}`);
  }
  return rows;
}
if (typeof module !== 'undefined') module.exports = { runBench };
