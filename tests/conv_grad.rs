//! Regression tests for the patched burn-flex (patches/burn-flex, issue 31): conv2d's weight
//! gradient, now im2col matrix products, against a direct f64 sum for the NiN's k > 1 shapes.

use std::time::Instant;

use burn::prelude::*;
use burn::tensor::DType;
use burn::tensor::module::{conv2d, conv2d_weight_backward};
use burn::tensor::ops::ConvOptions;

/// A k > 1 convolution: channels, kernel, stride, per-side padding, dilation, groups, input.
struct ConvCase {
    name: &'static str,
    batch: usize,
    c_in: usize,
    c_out: usize,
    kernel: [usize; 2],
    stride: [usize; 2],
    padding: [(usize, usize); 2],
    dilation: [usize; 2],
    groups: usize,
    side: [usize; 2],
}

impl ConvCase {
    fn options(&self) -> ConvOptions<2> {
        ConvOptions::new_with_padding(self.stride, self.padding, self.dilation, self.groups)
    }

    fn out_side(&self, d: usize) -> usize {
        let (begin, end) = self.padding[d];
        (self.side[d] + begin + end - self.dilation[d] * (self.kernel[d] - 1) - 1) / self.stride[d] + 1
    }

    fn x_shape(&self) -> [usize; 4] {
        [self.batch, self.c_in, self.side[0], self.side[1]]
    }

    fn w_shape(&self) -> [usize; 4] {
        [self.c_out, self.c_in / self.groups, self.kernel[0], self.kernel[1]]
    }

    fn y_shape(&self) -> [usize; 4] {
        [self.batch, self.c_out, self.out_side(0), self.out_side(1)]
    }
}

/// The NiN's k > 1 convolutions at batch 2 and small sides, and the cases the NiN lacks.
fn cases() -> Vec<ConvCase> {
    let nin = |name, c_in, c_out, k, s, p, side| ConvCase {
        name,
        batch: 2,
        c_in,
        c_out,
        kernel: [k, k],
        stride: [s, s],
        padding: [(p, p); 2],
        dilation: [1, 1],
        groups: 1,
        side: [side, side],
    };
    vec![
        // 41 px: (41 - 11) / 4 leaves two input rows and columns unread.
        nin("11x11/4, 1 -> 96", 1, 96, 11, 4, 0, 41),
        nin("5x5 pad 2, 96 -> 256", 96, 256, 5, 1, 2, 6),
        nin("3x3 pad 1, 256 -> 384", 256, 384, 3, 1, 1, 4),
        nin("3x3 pad 1, 384 -> 10", 384, 10, 3, 1, 1, 3),
        // Over the patch's im2col budget per image (96 * 25 rows x 44 * 44 columns): one image per
        // gemm, the second accumulated into the first's result.
        ConvCase { name: "5x5 pad 2 at 44 px, two chunks", ..nin("", 96, 4, 5, 1, 2, 44) },
        ConvCase {
            name: "asymmetric: 3x2 kernel, stride 2x3, padding (1,2)x(0,1), dilation 2x1, 2 groups",
            batch: 3,
            c_in: 4,
            c_out: 6,
            kernel: [3, 2],
            stride: [2, 3],
            padding: [(1, 2), (0, 1)],
            dilation: [2, 1],
            groups: 2,
            side: [9, 11],
        },
    ]
}

/// Reproducible values in -1..1 (a 64-bit LCG), independent of Burn's RNG.
fn values(len: usize, seed: u64) -> Vec<f32> {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

fn tensor(shape: [usize; 4], seed: u64, device: &Device) -> Tensor<4> {
    Tensor::from_data(TensorData::new(values(shape.iter().product(), seed), shape), device)
}

fn read<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_into_vec::<f32>().unwrap()
}

/// Output, input gradient, weight gradient and bias gradient of `sum(conv2d(x, w, b) * dy)`,
/// summed directly in f64: dW[o, c, i, j] = sum over b, y, x of dY[b, o, y, x] *
/// x[b, g * c_in/groups + c, y * s + i * d - p, x * s + j * d - p] (zero outside x).
fn direct(case: &ConvCase, x: &[f32], w: &[f32], bias: &[f32], dy: &[f32]) -> [Vec<f64>; 4] {
    let [batch, c_in, h, wd] = case.x_shape();
    let [c_out, cpg, kh, kw] = case.w_shape();
    let [_, _, oh, ow] = case.y_shape();
    let opg = c_out / case.groups;
    let (mut y, mut dx, mut dw) = (vec![0.0; batch * c_out * oh * ow], vec![0.0; x.len()], vec![0.0; w.len()]);
    let mut db = vec![0.0; c_out];
    for b in 0..batch {
        for o in 0..c_out {
            for (oy, ox) in (0..oh).flat_map(|oy| (0..ow).map(move |ox| (oy, ox))) {
                let yi = ((b * c_out + o) * oh + oy) * ow + ox;
                let g = dy[yi] as f64;
                let mut acc = bias[o] as f64;
                db[o] += g;
                for c in 0..cpg {
                    let ci = (o / opg) * cpg + c;
                    for (i, j) in (0..kh).flat_map(|i| (0..kw).map(move |j| (i, j))) {
                        let iy = (oy * case.stride[0] + i * case.dilation[0]) as isize - case.padding[0].0 as isize;
                        let ix = (ox * case.stride[1] + j * case.dilation[1]) as isize - case.padding[1].0 as isize;
                        if iy < 0 || ix < 0 || iy >= h as isize || ix >= wd as isize {
                            continue;
                        }
                        let xi = ((b * c_in + ci) * h + iy as usize) * wd + ix as usize;
                        let wi = ((o * cpg + c) * kh + i) * kw + j;
                        acc += x[xi] as f64 * w[wi] as f64;
                        dx[xi] += g * w[wi] as f64;
                        dw[wi] += g * x[xi] as f64;
                    }
                }
                y[yi] = acc;
            }
        }
    }
    [y, dx, dw, db]
}

/// Largest difference relative to the reference's largest magnitude.
fn relative_error(ours: &[f32], reference: &[f64]) -> f64 {
    assert_eq!(ours.len(), reference.len());
    let scale = reference.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(f64::MIN_POSITIVE);
    ours.iter().zip(reference).map(|(a, b)| (*a as f64 - b).abs()).fold(0.0, f64::max) / scale
}

/// Autodiff's conv2d gradients on Burn's CPU backend (weight: the patched path; input and bias:
/// Burn's own) equal the direct sums within 1e-5 of each result's largest magnitude.
#[test]
fn conv2d_gradients_equal_direct_sums_for_nin_shapes() {
    let device = Device::flex().autodiff();
    for (n, case) in cases().iter().enumerate() {
        let seed = 10 * n as u64;
        let x = tensor(case.x_shape(), seed, &device).require_grad();
        let w = tensor(case.w_shape(), seed + 1, &device).require_grad();
        let bias = Tensor::<1>::from_data(TensorData::new(values(case.c_out, seed + 2), [case.c_out]), &device).require_grad();
        let dy = tensor(case.y_shape(), seed + 3, &device);
        let y = conv2d(x.clone(), w.clone(), Some(bias.clone()), case.options());
        let expected = direct(case, &read(x.clone()), &read(w.clone()), &read(bias.clone()), &read(dy.clone()));
        let grads = (y.clone() * dy).sum().backward();
        let got = [read(y), read(x.grad(&grads).unwrap()), read(w.grad(&grads).unwrap()), read(bias.grad(&grads).unwrap())];
        for ((what, got), expected) in ["output", "input gradient", "weight gradient", "bias gradient"].iter().zip(&got).zip(&expected) {
            let error = relative_error(got, expected);
            assert!(error < 1e-5, "{}: {what} differs by {error:e} of its largest value", case.name);
        }
    }
}

/// The patched weight gradient keeps the input's dtype: f64 (its own gemm), bf16 (through f32).
#[test]
fn conv2d_weight_backward_in_f64_and_bf16() {
    let device = Device::flex();
    let case = &cases()[5];
    let x = tensor(case.x_shape(), 1, &device);
    let w = tensor(case.w_shape(), 2, &device);
    let dy = tensor(case.y_shape(), 3, &device);
    let expected = direct(case, &read(x.clone()), &read(w.clone()), &vec![0.0; case.c_out], &read(dy.clone()))[2].clone();
    for (dtype, tolerance) in [(DType::F64, 1e-12), (DType::BF16, 2e-2)] {
        let grad = conv2d_weight_backward(x.clone().cast(dtype), w.clone().cast(dtype), dy.clone().cast(dtype), case.options());
        assert_eq!(grad.dtype(), dtype);
        let got: Vec<f64> = grad.into_data().try_into_vec_as::<f64>().unwrap();
        let scale = expected.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let error = got.iter().zip(&expected).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max) / scale;
        assert!(error < tolerance, "{dtype:?}: differs by {error:e}");
    }
}

/// Timing (not a test; `cargo test --profile train --test conv_grad -- --ignored --nocapture`,
/// `RAYON_NUM_THREADS=1` for one thread): the weight gradient of each NiN k > 1 conv at batch 32,
/// 96 and 224 px, patched (`conv2d_weight_backward`) and as burn-backend's default computes it
/// (conv2d with batch and channels swapped).
#[test]
#[ignore]
fn time_weight_gradient_of_nin_convs() {
    let device = Device::flex();
    // (name, c_in, c_out, kernel, stride, padding, input side at 96 px, at 224 px)
    let convs = [
        ("11x11/4, 1 -> 96", 1, 96, 11, 4, 0, 96, 224),
        ("5x5 pad 2, 96 -> 256", 96, 256, 5, 1, 2, 10, 26),
        ("3x3 pad 1, 256 -> 384", 256, 384, 3, 1, 1, 4, 12),
        ("3x3 pad 1, 384 -> 10", 384, 10, 3, 1, 1, 1, 5),
    ];
    for (name, c_in, c_out, k, s, p, side96, side224) in convs {
        for side in [side96, side224] {
            let case = ConvCase {
                name,
                batch: 32,
                c_in,
                c_out,
                kernel: [k, k],
                stride: [s, s],
                padding: [(p, p); 2],
                dilation: [1, 1],
                groups: 1,
                side: [side, side],
            };
            let x = tensor(case.x_shape(), 1, &device);
            let w = tensor(case.w_shape(), 2, &device);
            let dy = tensor(case.y_shape(), 3, &device);
            let patched = || read(conv2d_weight_backward(x.clone(), w.clone(), dy.clone(), case.options()));
            let default = || {
                let swapped = ConvOptions::new([1, 1], [p, p], [s, s], 1);
                let grad = conv2d(x.clone().swap_dims(0, 1), dy.clone().swap_dims(0, 1), None, swapped).swap_dims(0, 1);
                read(grad.slice([0..c_out, 0..c_in, 0..k, 0..k]))
            };
            let time = |f: &dyn Fn() -> Vec<f32>| {
                f();
                let mut ms: Vec<f64> = (0..5)
                    .map(|_| {
                        let t = Instant::now();
                        f();
                        t.elapsed().as_secs_f64() * 1e3
                    })
                    .collect();
                ms.sort_by(f64::total_cmp);
                (ms[0], ms[2])
            };
            let (a, b) = (patched(), default());
            let scale = b.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            let differ = a.iter().zip(&b).map(|(p, q)| (p - q).abs()).fold(0.0, f32::max) / scale;
            let ((new_min, new_med), (old_min, old_med)) = (time(&patched), time(&default));
            println!(
                "{name:>22} at {side:3} px in: default {old_min:8.2} ms (median {old_med:8.2}), patched {new_min:7.2} ms (median {new_med:7.2}), {:5.1}x; differ {differ:.1e}",
                old_min / new_min
            );
        }
    }
}
