//! Every variant's parameters and shapes against arithmetic written out here, and the
//! resource formulas against the real model's tensors.

use burn::module::Module;
use burn::prelude::*;

use super::*;
use crate::training::{Preset, TrainSettings, settings::memory_estimate};

/// A conv layer's parameters: k*k*c_in*c_out weights + c_out biases.
fn conv(k: u64, c_in: u64, c_out: u64) -> u64 {
    k * k * c_in * c_out + c_out
}

/// The book's NiN: 1,992,166 (block by block: 30,336 + 746,240 + 1,180,800 + 34,790).
const BOOK: u64 = 1_992_166;

/// One 1x1 conv of each book block (96, 256, 384, 10 wide): 223,054.
fn one_mlp_conv_per_block() -> u64 {
    [96, 256, 384, 10].iter().map(|&c| conv(1, c, c)).sum()
}

fn params(config: &NinConfig) -> u64 {
    costs(config, 224, 1, OptimizerKind::Sgd).unwrap().params
}

fn body(config: &NinConfig) -> Vec<u64> {
    costs(config, 224, 1, OptimizerKind::Sgd).unwrap().body_output
}

#[test]
fn exercise_1_one_two_three_mlp_convs() {
    assert_eq!(one_mlp_conv_per_block(), 223_054);
    assert_eq!(params(&NinConfig::book()), BOOK);
    assert_eq!(params(&with_mlp_convs(1)), BOOK - 223_054);
    assert_eq!(params(&with_mlp_convs(2)), BOOK);
    assert_eq!(params(&with_mlp_convs(3)), BOOK + 223_054);
    for n in 1..=3 {
        assert_eq!(body(&with_mlp_convs(n)), vec![1, 10, 5, 5]);
    }
    let keys: Vec<_> = variants(Exercise::MlpDepth).iter().map(|v| v.key).collect();
    assert_eq!(keys, ["mlp1", "book", "mlp3"]);
}

#[test]
fn exercise_2_three_by_three_inside_the_blocks() {
    // Each of the two MLP convs per block grows from c*c + c to 9*c*c + c.
    let extra: u64 = [96u64, 256, 384, 10].iter().map(|&c| 2 * (conv(3, c, c) - conv(1, c, c))).sum();
    assert_eq!(extra, 3_556_928);
    assert_eq!(params(&with_mlp_kernel(3)), BOOK + extra);
    // Padding 1 keeps every map the same size, so the shapes equal the book's.
    assert_eq!(body(&with_mlp_kernel(3)), vec![1, 10, 5, 5]);
    let c3 = costs(&with_mlp_kernel(3), 224, 1, OptimizerKind::Sgd).unwrap();
    let c1 = costs(&NinConfig::book(), 224, 1, OptimizerKind::Sgd).unwrap();
    // Measured: 4.49 GFLOPs against 1.53 (the 11x11 and 5x5 first convs do not change).
    assert!(c3.forward_flops * 2 > 5 * c1.forward_flops, "{} vs {}", c3.forward_flops, c1.forward_flops);
}

#[test]
fn exercise_3_fully_connected_heads_and_their_fixed_input() {
    // 10x5x5 = 250 features -> 10: 2,510 weights and biases on top of the book.
    assert_eq!(params(&fc_after_last_block()), BOOK + 250 * 10 + 10);
    // Without the last block (34,790): 384x5x5 = 9,600 features -> 10.
    let last_block = conv(3, 384, 10) + 2 * conv(1, 10, 10);
    assert_eq!(last_block, 34_790);
    assert_eq!(params(&fc_without_last_block()), BOOK - last_block + 9_600 * 10 + 10);
    assert_eq!(body(&fc_without_last_block()), vec![1, 384, 5, 5]);
    // Tied to 224x224: any other size is a typed error, GAP takes it.
    for config in [fc_after_last_block(), fc_without_last_block()] {
        assert!(matches!(costs(&config, 96, 1, OptimizerKind::Sgd), Err(AnalysisError::HeadTiedToInput { built_height: 224, height: 96, .. })));
    }
    assert!(costs(&NinConfig::book(), 96, 1, OptimizerKind::Sgd).is_ok());
}

#[test]
fn exercise_5_gradual_reduction_of_the_last_block() {
    let gradual = conv(3, 384, 128) + conv(1, 128, 32) + conv(1, 32, 10);
    assert_eq!(gradual, 446_954);
    assert_eq!(params(&gradual_reduction()), BOOK - 34_790 + gradual);
    assert_eq!(body(&gradual_reduction()), vec![1, 10, 5, 5]);
}

#[test]
fn exercise_6_nin_family_from_vgg_layouts() {
    // Our definition, written out: per VGG stage (n, c) a 3x3 conv c_in -> c and n 1x1 convs
    // c -> c; then the book's last block from the last width to 10 classes.
    fn family(layout: &[(u64, u64)]) -> u64 {
        let mut c_in = 1;
        let mut total = 0;
        for &(n, c) in layout {
            total += conv(3, c_in, c) + n * conv(1, c, c);
            c_in = c;
        }
        total + conv(3, c_in, 10) + 2 * conv(1, 10, 10)
    }
    let as_u64 = |l: &[(usize, usize)]| l.iter().map(|&(n, c)| (n as u64, c as u64)).collect::<Vec<_>>();
    assert_eq!(family(&as_u64(&VGG11)), 5_158_822);
    for layout in [&VGG11, &VGG16, &VGG19] {
        let config = nin_from_vgg(layout);
        assert_eq!(params(&config), family(&as_u64(layout)));
        // Five 2x2/2 pools: 224 -> 7; the last block has one channel per class.
        assert_eq!(body(&config), vec![1, 10, 7, 7]);
        // Far fewer parameters than the VGG it follows (VGG's FC layers alone are ~120 M).
        assert!(params(&config) * 10 < params(&NinConfig::vgg(layout, 10)));
    }
    assert_eq!(variants(Exercise::Family).len(), 7);
}

#[test]
fn findings_compare_each_vgg_with_its_own_nin_member_and_the_rest_with_the_book() {
    assert_eq!(compared_with(Exercise::Family, "vgg16"), Some("nin16"));
    assert_eq!(compared_with(Exercise::Family, "nin16"), Some("book"));
    assert_eq!(compared_with(Exercise::MlpDepth, "mlp1"), Some("book"));
    assert_eq!(compared_with(Exercise::MlpDepth, "book"), None);
    assert_eq!(compared_with(Exercise::Resources, "book"), None);
    for exercise in Exercise::ALL {
        let keys: Vec<_> = variants(exercise).iter().map(|v| v.key).collect();
        for key in &keys {
            if let Some(base) = compared_with(exercise, key) {
                assert!(keys.contains(&base) && base != *key, "{exercise:?} {key} -> {base}");
            }
        }
    }
}

#[test]
fn exercise_4_totals_follow_the_formulas() {
    let r = resources(&NinConfig::book(), 224, 128, OptimizerKind::Adam).unwrap();
    assert_eq!(r.total.params, BOOK);
    assert_eq!(r.total.param_bytes, BOOK * 4);
    assert_eq!(r.total.grad_bytes, BOOK * 4);
    assert_eq!(r.total.optimizer_bytes, BOOK * 4 * 2);
    let sgd = resources(&NinConfig::book(), 224, 128, OptimizerKind::Sgd).unwrap();
    assert_eq!(sgd.total.optimizer_bytes, 0);
    assert_eq!(r.training_flops(), 3 * r.total.forward_flops);
    // The same numbers the training cell checks before a run.
    let settings = TrainSettings { optimizer: OptimizerKind::Adam, batch_size: 128, image_size: 224, ..Preset::Book.settings() };
    assert_eq!(r.training_bytes(), memory_estimate(&NinConfig::book(), &settings).unwrap().total());
    // The first block keeps one map per convolution at the minimum (each ReLU output) and two
    // in Burn (each convolution's output too), for the whole batch.
    let first = &r.rows[0];
    assert_eq!(first.output, vec![128, 96, 54, 54]);
    assert_eq!(first.kept_minimal, 128 * 96 * 54 * 54 * 4 * 3);
    assert_eq!(first.kept_burn, 128 * 96 * 54 * 54 * 4 * 6);
    assert_eq!(r.input_bytes, 128 * 224 * 224 * 4);
    assert_eq!(r.training_minimal.input, r.input_bytes);
    assert!(r.training_burn.kept > r.training_minimal.kept * 17 / 10);
    // Prediction at batch 1: the weights, the input and two of the first block's maps.
    assert_eq!(r.inference_peak_bytes, BOOK * 4 + 224 * 224 * 4 + 2 * 96 * 54 * 54 * 4);
    assert_eq!(r.inference_peak_row, 1);
}

#[test]
fn exercise_4_matches_the_real_tensors_of_a_small_case() {
    let _rng = crate::burn_rng_lock();
    let device = Device::flex();
    let config = NinConfig::book();
    let r = resources(&config, 67, 2, OptimizerKind::Sgd).unwrap();
    let model = config.init(&device).unwrap();
    assert_eq!(model.num_params() as u64 * 4, r.total.param_bytes);
    let x = Tensor::<4>::zeros([2, 1, 67, 67], &device);
    let (_, maps) = model.forward_block_maps(x);
    let blocks: Vec<&ResourceRow> = r.rows.iter().filter(|row| matches!(row.kind, Some(LayerKind::NinBlock { .. }))).collect();
    assert_eq!(blocks.len(), maps.len());
    for (row, map) in blocks.iter().zip(&maps) {
        let real: Vec<u64> = map.dims().iter().map(|&d| d as u64).collect();
        assert_eq!(row.output, real);
        // Three convs, each output and its ReLU kept by Burn: 6 maps of the block's output.
        assert_eq!(row.kept_burn, real.iter().product::<u64>() * 4 * 6);
    }
}
