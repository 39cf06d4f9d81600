// PATCHED (nin-companion): the 8x4 f32 microkernel for wasm32 simd128, written by hand (issue 31).
// gemm calls it for every full 8x4 tile of C; edge tiles use the `microkernel!` macro's kernels.
// Same contract as the macro's kernel (gemm-common 0.19 `MicroKernelFn`): for the tile's
// acc = lhs (m x k) * rhs (k x n), m <= 8, n <= 4, dst = beta * acc (alpha_status 0),
// dst + beta * acc (1), or alpha * dst + beta * acc (2).
//
// Why by hand (bench/wasm-gemm, patches/README.md): V8 issues every wasm load of a loop body
// before its arithmetic and does not reorder them, so a step's loaded values and the
// accumulators are all live at once. x64 gives V8 15 vector registers: gemm's 12x4 tile
// (12 accumulators + 3 A + 1 B) spilled an accumulator to the stack on every step, and the
// store-to-load round trip then set the pace (62-68 % of the core's multiply-add rate). Here
// the tile is 8x4: 8 accumulators + 2 A vectors + 4 B broadcasts = 14 registers, nothing
// spills, and the loads use constant offsets from one pointer per operand.

use core::arch::wasm32::*;

type T = f32;

/// Rows of the tile in f32x4 vectors (8 rows) and columns (4).
const MR: usize = 2;
const NR: usize = 4;

/// `a * b + c` as a multiply and an add, in the relaxed-SIMD module too. With 8 accumulators
/// the fused `f32x4.relaxed_madd` leaves the loop bound by its 4-cycle latency (8 in flight at 2
/// a cycle on Zen 5), while the add alone carries the dependency here: in the page a training
/// step's kernel time was 6 % lower this way (3,663 against 3,892 ms over 10 steps).
#[inline(always)]
unsafe fn madd(a: v128, b: v128, c: v128) -> v128 {
    f32x4_add(c, f32x4_mul(a, b))
}

/// The macro kernel's `mul_add` (fused in the relaxed-SIMD module), for the write-back, so that
/// results stay bit-identical to gemm's own 8x4 kernel in both modules.
#[inline(always)]
unsafe fn macro_mul_add(a: v128, b: v128, c: v128) -> v128 {
    #[cfg(target_feature = "relaxed-simd")]
    {
        f32x4_relaxed_madd(a, b, c)
    }
    #[cfg(not(target_feature = "relaxed-simd"))]
    {
        f32x4_add(c, f32x4_mul(a, b))
    }
}

/// `p + i` elements as an unsigned add that cannot wrap, which LLVM folds into the wasm load's
/// offset immediate (a pointer `add` gives an `i32.add` per load).
#[inline(always)]
unsafe fn at(p: *const T, i: usize) -> *const T {
    (p as usize).unchecked_add(i * 4) as *const T
}

/// Four f32 from `p + i`.
#[inline(always)]
unsafe fn ld(p: *const T, i: usize) -> v128 {
    core::ptr::read_unaligned(at(p, i) as *const v128)
}

/// The f32 at `p + i` in all four lanes.
#[inline(always)]
unsafe fn bc(p: *const T, i: usize) -> v128 {
    v128_load32_splat(at(p, i) as *const u32)
}

/// The 8x4 tile. A's 8 rows of one depth step are contiguous (`packed_lhs`, next step at
/// `lhs_cs`). B is either packed (`rhs_cs == 1`, `rhs_rs == 4`: a step's 4 values contiguous) or
/// column-major (`rhs_rs == 1`: each column contiguous in depth, columns `rhs_cs` apart); any
/// other layout goes to the macro's kernel.
#[allow(clippy::too_many_arguments)]
pub unsafe fn x2x4(
    m: usize,
    n: usize,
    k: usize,
    dst: *mut T,
    packed_lhs: *const T,
    packed_rhs: *const T,
    dst_cs: isize,
    dst_rs: isize,
    lhs_cs: isize,
    rhs_rs: isize,
    rhs_cs: isize,
    alpha: T,
    beta: T,
    alpha_status: u8,
    conj_dst: bool,
    conj_lhs: bool,
    conj_rhs: bool,
    next_lhs: *const T,
) {
    let mut c = [f32x4_splat(0.0); MR * NR];
    let mut a = packed_lhs;
    if rhs_cs == 1 && rhs_rs == NR as isize {
        // The loop runs to an end pointer: one register fewer than a counter.
        let mut b = packed_rhs;
        let b_end = packed_rhs.wrapping_add(k * NR);
        while b != b_end {
            let mut av = [f32x4_splat(0.0); MR];
            for i in 0..MR {
                av[i] = ld(a, 4 * i);
            }
            for j in 0..NR {
                let bj = bc(b, j);
                for i in 0..MR {
                    c[j * MR + i] = madd(av[i], bj, c[j * MR + i]);
                }
            }
            a = a.wrapping_offset(lhs_cs);
            b = at(b, NR);
        }
    } else if rhs_rs == 1 {
        let mut b = [packed_rhs; NR];
        for (j, bj) in b.iter_mut().enumerate() {
            *bj = packed_rhs.wrapping_offset(j as isize * rhs_cs);
        }
        for _ in 0..k {
            let mut av = [f32x4_splat(0.0); MR];
            for i in 0..MR {
                av[i] = ld(a, 4 * i);
            }
            for j in 0..NR {
                let bj = bc(b[j], 0);
                for i in 0..MR {
                    c[j * MR + i] = madd(av[i], bj, c[j * MR + i]);
                }
                b[j] = at(b[j], 1);
            }
            a = a.wrapping_offset(lhs_cs);
        }
    } else {
        return crate::microkernel::simd128::f32::x2x4(
            m, n, k, dst, packed_lhs, packed_rhs, dst_cs, dst_rs, lhs_cs, rhs_rs, rhs_cs, alpha,
            beta, alpha_status, conj_dst, conj_lhs, conj_rhs, next_lhs,
        );
    }
    write_back(m, n, dst, dst_cs, dst_rs, alpha, beta, alpha_status, &c);
}

/// dst <- the accumulators (column j of the tile is c[MR * j..MR * (j + 1)]), as the macro's
/// kernel writes them.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
unsafe fn write_back(
    m: usize,
    n: usize,
    dst: *mut T,
    dst_cs: isize,
    dst_rs: isize,
    alpha: T,
    beta: T,
    alpha_status: u8,
    c: &[v128; MR * NR],
) {
    if m == 4 * MR && n == NR && dst_rs == 1 {
        let (va, vb) = (f32x4_splat(alpha), f32x4_splat(beta));
        for j in 0..NR {
            for i in 0..MR {
                let p = dst.offset(i as isize * 4 + j as isize * dst_cs) as *mut v128;
                let acc = c[MR * j + i];
                let v = match alpha_status {
                    2 => f32x4_add(f32x4_mul(va, p.read_unaligned()), f32x4_mul(vb, acc)),
                    1 => macro_mul_add(vb, acc, p.read_unaligned()),
                    _ => f32x4_mul(vb, acc),
                };
                p.write_unaligned(v);
            }
        }
    } else {
        let lanes: [[T; 4 * MR]; NR] = core::mem::transmute(*c);
        for (j, col) in lanes.iter().enumerate().take(n) {
            let dst_j = dst.offset(dst_cs * j as isize);
            for (i, &s) in col.iter().enumerate().take(m) {
                let d = dst_j.offset(dst_rs * i as isize);
                *d = match alpha_status {
                    2 => alpha * *d + beta * s,
                    1 => beta * s + *d,
                    _ => beta * s,
                };
            }
        }
    }
}
