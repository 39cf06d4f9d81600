use super::*;
use crate::analysis::{InputShape, plan};

#[test]
fn book_model_has_four_blocks_of_three_convs() {
    let _rng = crate::burn_rng_lock();
    let model = NinConfig::book().init(&Device::flex()).unwrap();
    assert_eq!(model.block_conv_counts(), vec![3, 3, 3, 3]);
}

#[test]
fn parameter_count_from_tensors_equals_the_analysis() {
    let _rng = crate::burn_rng_lock();
    for config in [
        NinConfig::book(),
        NinConfig::book_with_classes(5),
        NinConfig::book().with_head(HeadConfig::FullyConnected { input_height: 96, input_width: 96, hidden: vec![] }),
        NinConfig::vgg(&VGG11, 10),
    ] {
        let model = config.init(&Device::flex()).unwrap();
        let side = match config.head {
            HeadConfig::FullyConnected { input_height, .. } => input_height,
            HeadConfig::GlobalAvgPool => 224,
        };
        let expected = plan(&config, InputShape::new(1, 1, side, side)).unwrap().total_params();
        assert_eq!(model.num_params() as u64, expected);
    }
}

#[test]
fn first_conv_is_xavier_uniform() {
    let _rng = crate::burn_rng_lock();
    let model = NinConfig::book().init(&Device::flex()).unwrap();
    let weight = first_conv_weight(&model).unwrap().val();
    let values = weight.into_data().try_to_vec::<f32>().unwrap();
    // fan_in = 1 * 11 * 11, fan_out = 96 * 11 * 11; bound = sqrt(6 / (fan_in + fan_out))
    let bound = (6.0f32 / (121.0 + 96.0 * 121.0)).sqrt();
    assert!(values.iter().all(|v| v.abs() <= bound * 1.0001), "weights outside the Xavier bound");
    let var = values.iter().map(|v| v * v).sum::<f32>() / values.len() as f32;
    let expected_var = bound * bound / 3.0; // variance of U(-b, b)
    assert!((var / expected_var - 1.0).abs() < 0.1, "variance {var} vs {expected_var}");
}

#[test]
fn block_maps_have_the_planned_shapes_and_the_same_logits() {
    let _rng = crate::burn_rng_lock();
    let model = NinConfig::book().init(&Device::flex()).unwrap().valid();
    let x = Tensor::<4>::random([1, 1, 96, 96], burn::tensor::Distribution::Uniform(0.0, 1.0), &Device::flex());
    let (logits, maps) = model.forward_block_maps(x.clone());
    let shapes: Vec<Vec<usize>> = maps.iter().map(|m| m.dims().to_vec()).collect();
    assert_eq!(shapes, vec![vec![1, 96, 22, 22], vec![1, 256, 10, 10], vec![1, 384, 4, 4], vec![1, 10, 1, 1]]);
    let a: Vec<f32> = logits.into_data().try_to_vec().unwrap();
    let b: Vec<f32> = model.forward(x).into_data().try_to_vec().unwrap();
    assert_eq!(a, b);
}

/// Regression (issue 20): Burn's LinearConfig applies its initializer to the bias too, so
/// the fully connected heads' biases were Xavier (exercise 3's 250 -> 10 layer: +-0.152)
/// instead of PyTorch's default U(+-1/sqrt(fan_in)) = +-0.063, as the doc comment and
/// d2l's init_cnn have it.
#[test]
fn fully_connected_biases_are_torch_default_not_xavier() {
    let _rng = crate::burn_rng_lock();
    let config = NinConfig::book().with_head(HeadConfig::FullyConnected { input_height: 224, input_width: 224, hidden: vec![] });
    let model = config.init(&Device::flex()).unwrap();
    let Head::FullyConnected(head) = &model.head else { panic!("an FC head") };
    let layer = head.layers.last().unwrap();
    assert_eq!(layer.weight.dims(), [250, 10]);
    let bias = layer.bias.as_ref().unwrap().val().into_data().try_to_vec::<f32>().unwrap();
    let bound = 1.0 / 250f32.sqrt();
    assert!(bias.iter().all(|b| b.abs() <= bound * 1.0001), "{bias:?} outside +-{bound}");
    assert!(bias.iter().any(|b| b.abs() > bound * 0.3), "{bias:?} is not spread over +-{bound}");
}

/// The 1x1 convolutions run as matrix products (Burn's CPU backend computes a 1x1 conv's
/// weight gradient one input channel at a time); the output and all three gradients must
/// be Burn's conv2d's.
#[test]
fn pointwise_equals_burns_conv2d_forward_and_backward() {
    let _rng = crate::burn_rng_lock();
    let device = Device::flex().autodiff();
    let layer = conv(6, 5, 1, 1, 0, &device);
    assert!(is_pointwise(&layer));
    assert!(!is_pointwise(&conv(6, 5, 3, 1, 1, &device)) && !is_pointwise(&conv(6, 5, 1, 2, 0, &device)) && !is_pointwise(&conv(6, 5, 1, 1, 1, &device)));
    let x = Tensor::<4>::random([3, 6, 4, 7], burn::tensor::Distribution::Normal(0.0, 1.0), &device).require_grad();
    let target = Tensor::<4>::random([3, 5, 4, 7], burn::tensor::Distribution::Normal(0.0, 1.0), &device);
    let run = |y: Tensor<4>| {
        let values: Vec<f32> = y.clone().into_data().try_to_vec().unwrap();
        let grads = (y * target.clone()).sum().backward();
        let read = |t: Option<Tensor<4>>| t.unwrap().into_data().try_to_vec::<f32>().unwrap();
        let x_grad = read(x.grad(&grads));
        let w_grad = read(layer.weight.val().grad(&grads));
        let b_grad: Vec<f32> = layer.bias.as_ref().unwrap().val().grad(&grads).unwrap().into_data().try_to_vec().unwrap();
        (values, x_grad, w_grad, b_grad)
    };
    let ours = run(pointwise(&layer, x.clone()));
    let burns = run(layer.forward(x.clone()));
    let close = |a: &[f32], b: &[f32], what: &str| {
        assert_eq!(a.len(), b.len(), "{what}");
        let worst = a.iter().zip(b).map(|(p, q)| (p - q).abs() / (1.0 + q.abs())).fold(0.0f32, f32::max);
        assert!(worst < 1e-5, "{what}: differs by {worst}");
    };
    close(&ours.0, &burns.0, "output");
    close(&ours.1, &burns.1, "input gradient");
    close(&ours.2, &burns.2, "weight gradient");
    close(&ours.3, &burns.3, "bias gradient");
    assert_eq!(ours.2.len(), 5 * 6);
}

#[test]
fn invalid_config_is_an_error_not_a_panic() {
    let _rng = crate::burn_rng_lock();
    let mut config = NinConfig::book();
    config.stages[0] = StageConfig::Block(NinBlockConfig::new(vec![96, 0, 96], 11, 4, 0));
    assert!(config.init(&Device::flex()).is_err());
}
