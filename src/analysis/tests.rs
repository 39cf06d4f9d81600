use super::*;

fn shapes(plan: &ShapePlan) -> Vec<Vec<u64>> {
    plan.rows.iter().map(|r| r.output.clone()).collect()
}

#[test]
fn book_shapes_at_224_match_the_chapter() {
    let plan = plan(&NinConfig::book(), InputShape::book()).unwrap();
    let expected: Vec<Vec<u64>> = vec![
        vec![1, 96, 54, 54],
        vec![1, 96, 26, 26],
        vec![1, 256, 26, 26],
        vec![1, 256, 12, 12],
        vec![1, 384, 12, 12],
        vec![1, 384, 5, 5],
        vec![1, 384, 5, 5],
        vec![1, 10, 5, 5],
        vec![1, 10, 1, 1],
        vec![1, 10],
    ];
    assert_eq!(shapes(&plan), expected);
    let names: Vec<_> = plan.rows.iter().map(|r| r.kind.book_name()).collect();
    assert_eq!(
        names,
        ["Sequential", "MaxPool2d", "Sequential", "MaxPool2d", "Sequential", "MaxPool2d", "Dropout", "Sequential", "AdaptiveAvgPool2d", "Flatten"]
    );
}

#[test]
fn parameter_total_is_the_layer_arithmetic() {
    // conv params = c_out * c_in * k * k + c_out (bias)
    let conv = |c_in: u64, c_out: u64, k: u64| c_out * c_in * k * k + c_out;
    let block = |c_in, c_out, k| conv(c_in, c_out, k) + 2 * conv(c_out, c_out, 1);
    let expected = block(1, 96, 11) + block(96, 256, 5) + block(256, 384, 3) + block(384, 10, 3);
    let plan = plan(&NinConfig::book(), InputShape::book()).unwrap();
    assert_eq!(plan.total_params(), expected);
    assert_eq!(expected, 1_992_166);
}

#[test]
fn flops_of_first_block_follow_the_convention() {
    let plan = plan(&NinConfig::book(), InputShape::book()).unwrap();
    let hw = 54 * 54;
    // 11x11 conv from 1 channel, then two 1x1 convs from 96 channels; each output element
    // also gets a bias add and a ReLU.
    let expected = 96 * hw * (2 * 121 + 2) + 2 * 96 * hw * (2 * 96 + 2);
    assert_eq!(plan.rows[0].flops, expected);
    // max pool 3x3: 8 comparisons per output
    assert_eq!(plan.rows[1].flops, 96 * 26 * 26 * 8);
}

#[test]
fn minimum_side_is_67() {
    assert_eq!(min_input_side(&NinConfig::book()), Some(67));
    assert!(plan(&NinConfig::book(), InputShape::new(1, 1, 67, 67)).is_ok());
    let err = plan(&NinConfig::book(), InputShape::new(1, 1, 66, 66)).unwrap_err();
    match err {
        AnalysisError::InputTooSmall { min_side, layer, .. } => {
            assert_eq!(min_side, Some(67));
            assert_eq!(layer, 6, "the third max pool is the first layer to run out of map");
        }
        other => panic!("expected InputTooSmall, got {other:?}"),
    }
    // one short side is enough to fail
    assert!(matches!(plan(&NinConfig::book(), InputShape::new(1, 1, 224, 66)), Err(AnalysisError::InputTooSmall { .. })));
}

#[test]
fn zero_sizes_and_wrong_channels_are_typed_errors() {
    let book = NinConfig::book();
    assert_eq!(plan(&book, InputShape::new(0, 1, 224, 224)), Err(AnalysisError::ZeroDimension(Dimension::Batch)));
    assert_eq!(plan(&book, InputShape::new(1, 0, 224, 224)), Err(AnalysisError::ZeroDimension(Dimension::Channels)));
    assert_eq!(plan(&book, InputShape::new(1, 1, 0, 224)), Err(AnalysisError::ZeroDimension(Dimension::Height)));
    assert_eq!(plan(&book, InputShape::new(1, 3, 224, 224)), Err(AnalysisError::ChannelMismatch { expected: 1, got: 3 }));
}

#[test]
fn absurd_sizes_are_refused_by_the_memory_check() {
    let book = NinConfig::book();
    let huge = plan(&book, InputShape::new(4096, 1, 4096, 4096)).unwrap();
    let err = huge.check_fits(128 * 1024 * 1024).unwrap_err();
    assert!(matches!(err, AnalysisError::TooLarge { .. }), "{err:?}");
    // batch 128 at 224: the first block's 96x54x54 activation is 137 MiB, over WebGPU's
    // default 128 MiB binding limit.
    let p = plan(&book, InputShape::new(128, 1, 224, 224)).unwrap();
    assert_eq!(p.largest_tensor(), (1, 128 * 96 * 54 * 54 * 4));
    assert!(p.check_fits(128 << 20).is_err());
    assert!(p.check_fits(1 << 30).is_ok());
    // usize::MAX never panics
    assert!(plan(&book, InputShape::new(usize::MAX, 1, usize::MAX, usize::MAX)).is_err());
}

#[test]
fn non_square_inputs_are_planned_per_side() {
    let p = plan(&NinConfig::book(), InputShape::new(2, 1, 96, 160)).unwrap();
    assert_eq!(p.rows[0].output, vec![2, 96, 22, 38]);
    assert_eq!(p.rows.last().unwrap().output, vec![2, 10]);
}

#[test]
fn bad_configs_are_rejected() {
    let mut c = NinConfig::book();
    c.num_classes = 7;
    assert!(matches!(validate_config(&c), Err(AnalysisError::InvalidConfig(_))));
    let mut c = NinConfig::book();
    c.stages[1] = StageConfig::MaxPool { kernel: 3, stride: 0 };
    assert!(validate_config(&c).is_err());
    let mut c = NinConfig::book();
    c.stages[6] = StageConfig::Dropout { prob: 1.0 };
    assert!(validate_config(&c).is_err());
}

#[test]
fn vgg11_fully_connected_layers_match_the_arithmetic() {
    use crate::model::config::VGG11;
    let p = plan(&NinConfig::vgg(&VGG11, 10), InputShape::book()).unwrap();
    // five blocks of 3x3 convs with 2x2 pools: 224 -> 7; 512 x 7 x 7 = 25,088 features
    let fc: Vec<u64> = p.rows.iter().filter(|r| matches!(r.kind, LayerKind::Linear { .. })).map(|r| r.params).collect();
    assert_eq!(fc, vec![25_088 * 4096 + 4096, 4096 * 4096 + 4096, 4096 * 10 + 10]);
    // the first FC matrix alone is ~411 MB in FP32 ("about 400 MB" in the chapter)
    assert_eq!((25_088u64 * 4096 + 4096) * 4, 411_058_176);
    let conv = |c_in: u64, c_out: u64| c_out * c_in * 9 + c_out;
    let convs = conv(1, 64) + conv(64, 128) + conv(128, 256) + conv(256, 256) + conv(256, 512) + 3 * conv(512, 512);
    assert_eq!(p.total_params(), convs + fc.iter().sum::<u64>());
    assert_eq!(p.rows.last().unwrap().output, vec![1, 10]);
}

#[test]
fn fully_connected_head_is_tied_to_its_input_size() {
    let c = NinConfig::book().with_head(HeadConfig::FullyConnected { input_height: 224, input_width: 224, hidden: vec![] });
    let p = plan(&c, InputShape::book()).unwrap();
    // last block's 10x5x5 flattened into 250 features -> 10 classes
    assert_eq!(p.rows.last().unwrap().kind, LayerKind::Linear { in_features: 250, out_features: 10 });
    assert_eq!(p.rows.last().unwrap().params, 250 * 10 + 10);
    assert!(matches!(plan(&c, InputShape::new(1, 1, 96, 96)), Err(AnalysisError::HeadTiedToInput { .. })));
}
