// The benchmark's wasm exports (bench/wasm-gemm/run.sh). C = A * B, row-major A (m x k), C (m x n); B row-major (k x n) or, with b_t != 0,
// column-major (B[p][j] at b[j*k + p]). Single thread. `iters` back-to-back calls.
use std::alloc::{alloc_zeroed, Layout};

#[no_mangle]
pub extern "C" fn alloc_f32(n: usize) -> *mut f32 {
    unsafe { alloc_zeroed(Layout::from_size_align(n.max(1) * 4, 64).unwrap()) as *mut f32 }
}

#[inline(always)]
fn b_strides(k: usize, n: usize, b_t: i32) -> (isize, isize) {
    // (row stride, col stride)
    if b_t != 0 {
        (1, k as isize)
    } else {
        (n as isize, 1)
    }
}

#[no_mangle]
pub unsafe extern "C" fn run_gemm(m: usize, n: usize, k: usize, a: *const f32, b: *const f32, c: *mut f32, b_t: i32, iters: u32) {
    let (rsb, csb) = b_strides(k, n, b_t);
    for _ in 0..iters {
        // Same argument pattern as burn-flex's gemm_call: alpha = 0, beta = 1, read_dst = false.
        gemm::gemm(m, n, k, c, 1, n as isize, false, a, 1, k as isize, b, csb, rsb, 0.0f32, 1.0f32, false, false, false, gemm::Parallelism::None);
    }
}

#[no_mangle]
pub unsafe extern "C" fn run_mm(m: usize, n: usize, k: usize, a: *const f32, b: *const f32, c: *mut f32, b_t: i32, iters: u32) {
    let (rsb, csb) = b_strides(k, n, b_t);
    for _ in 0..iters {
        matrixmultiply::sgemm(m, k, n, 1.0, a, k as isize, 1, b, rsb, csb, 0.0, c, n as isize, 1);
    }
}

#[no_mangle]
pub extern "C" fn relaxed_built() -> i32 {
    cfg!(target_feature = "relaxed-simd") as i32
}

#[no_mangle]
pub extern "C" fn tile_mr() -> i32 {
    if cfg!(feature = "macro_x3x4") {
        12
    } else {
        8
    }
}
#[no_mangle]
pub extern "C" fn tile_nr() -> i32 {
    4
}

/// Calibration: 12 independent f32x4 multiply-add chains acc += a*b (14 live vectors) (relaxed_madd under +relaxed-simd,
/// mul then add otherwise); returns a sum so nothing is optimised away. 96 flop per iteration.
#[no_mangle]
pub extern "C" fn peak(iters: u32, x: f32) -> f32 {
    use core::arch::wasm32::*;
    #[inline(always)]
    fn madd(a: v128, b: v128, c: v128) -> v128 {
        #[cfg(target_feature = "relaxed-simd")]
        {
            f32x4_relaxed_madd(a, b, c)
        }
        #[cfg(not(target_feature = "relaxed-simd"))]
        {
            f32x4_add(f32x4_mul(a, b), c)
        }
    }
    let b = f32x4_splat(0.999_999);
    let mut acc = [f32x4_splat(x); 12];
    let a = [f32x4_splat(1e-7 * x); 1];
    for _ in 0..iters {
        for i in 0..12 {
            acc[i] = madd(a[0], b, acc[i]);
        }
    }
    let mut s = f32x4_splat(0.0);
    for i in 0..12 {
        s = f32x4_add(s, acc[i]);
    }
    f32x4_extract_lane::<0>(s)
}

/// The app's 8x4 kernel alone (patches/gemm-f32/src/wasm_kernel.rs): `iters` calls on packed
/// panels of depth k, called through an opaque function pointer as gemm calls it; returns dst[0]
/// so nothing is optimised away.
#[no_mangle]
pub unsafe extern "C" fn run_kernel(k: usize, a: *const f32, b: *const f32, c: *mut f32, iters: u32) -> f32 {
    type Kernel = unsafe fn(usize, usize, usize, *mut f32, *const f32, *const f32, isize, isize, isize, isize, isize, f32, f32, u8, bool, bool, bool, *const f32);
    let f: Kernel = core::hint::black_box(gemm_f32::wasm_kernel::x2x4);
    let (mr, nr) = core::hint::black_box((8usize, 4usize));
    for _ in 0..iters {
        f(mr, nr, k, c, a, b, mr as isize, 1, mr as isize, nr as isize, 1, 0.0, 1.0, 0, false, false, false, core::ptr::null());
    }
    *c
}
