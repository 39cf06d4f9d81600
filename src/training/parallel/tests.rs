use super::*;
use crate::data::FashionMnist;
use crate::model::{NinConfig, StageConfig};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::AdamConfig;
use futures_lite::future::block_on;

#[test]
fn worker_counts_follow_cores_memory_and_batch() {
    assert_eq!(default_workers(2.0), 2);
    assert_eq!(default_workers(16.0), MAX_WORKERS);
    for odd in [0.0, -3.0, f64::NAN, f64::INFINITY] {
        assert_eq!(default_workers(odd), 1, "{odd}");
    }
    let mib = 1 << 20;
    assert_eq!(workers(4, 300 * mib, 8192 * mib, 32), 4);
    assert_eq!(workers(8, 3000 * mib, 8192 * mib, 32), 2, "memory caps the count");
    assert_eq!(workers(8, 9000 * mib, 8192 * mib, 32), 1, "one worker even over the budget (the run's own check refuses)");
    assert_eq!(workers(4, mib, 8192 * mib, 3), 3, "never more workers than images in a batch");
    assert_eq!(workers(0, mib, 8192 * mib, 32), 1);
    assert_eq!(workers(99, mib, 8192 * mib, 64), MAX_WORKERS);
}

#[test]
fn slices_cover_the_batch_evenly() {
    assert_eq!(slices(32, 2).unwrap(), vec![0..16, 16..32]);
    assert_eq!(slices(10, 3).unwrap(), vec![0..4, 4..7, 7..10]);
    assert_eq!(slices(7, 1).unwrap(), vec![0..7]);
    assert_eq!(slices(5, 0).unwrap(), vec![0..5]);
    assert!(matches!(slices(2, 4), Err(TrainError::Replica(_))), "fewer rows than workers is refused, not left to hang");
    assert_eq!(parts(2, 4), vec![0..1, 1..2, 2..2, 2..2]);
    assert_eq!(parts(0, 3), vec![0..0, 0..0, 0..0]);
}

/// Issue 25.1: for every worker count the page can run (1..=8) and every count of images
/// 0..20, there is one part per replica and every image is in exactly one part, the parts
/// in order and as even as possible.
#[test]
fn parts_give_every_replica_a_part_and_every_image_one_replica() {
    for replicas in 1..=MAX_WORKERS {
        for items in 0..=20 {
            let p = parts(items, replicas);
            assert_eq!(p.len(), replicas, "{items} images, {replicas} replicas");
            let mut seen = vec![0; items];
            for r in &p {
                for i in r.clone() {
                    seen[i] += 1;
                }
            }
            assert!(seen.iter().all(|&n| n == 1), "{items} images, {replicas} replicas: {p:?}");
            assert!(p.windows(2).all(|w| w[0].end == w[1].start && w[0].len() >= w[1].len() && w[0].len() - w[1].len() <= 1), "{p:?}");
        }
    }
}

#[test]
fn average_is_weighted_and_refuses_mismatches() {
    let a = SliceGrads { images: 3, params: vec![vec![1.0, 2.0], vec![3.0]], loss_sum: 6.0, correct: 1, weights_sum: 0.5 };
    let b = SliceGrads { images: 1, params: vec![vec![5.0, 6.0], vec![7.0]], loss_sum: 2.0, correct: 0, weights_sum: 0.5 };
    assert_eq!(average(&[a.clone(), b.clone()]).unwrap(), vec![vec![2.0, 3.0], vec![4.0]]);
    assert_eq!(average(&[]), Err(ParallelError::Empty));
    assert_eq!(average(&[a.clone(), SliceGrads { images: 0, ..b.clone() }]), Err(ParallelError::EmptySlice));
    assert_eq!(
        average(&[a.clone(), SliceGrads { params: vec![vec![1.0, 2.0]], ..b.clone() }]),
        Err(ParallelError::ParamCount { slice: 1, expected: 2, got: 1 })
    );
    assert_eq!(average(&[a, SliceGrads { params: vec![vec![1.0], vec![2.0]], ..b }]), Err(ParallelError::ParamLen { slice: 1, param: 0, expected: 2, got: 1 }));
}

/// The book's NiN without its dropout (dropout draws differ between one replica and two).
fn no_dropout() -> NinConfig {
    let mut c = NinConfig::book();
    c.stages.retain(|s| !matches!(s, StageConfig::Dropout { .. }));
    c
}

#[test]
fn averaged_slice_gradients_give_the_single_replica_step() {
    let _rng = crate::burn_rng_lock();
    let device = Device::flex().autodiff();
    device.seed(5);
    let model = no_dropout().init(&device).unwrap();
    let data = FashionMnist { images: (0..7 * 784).map(|i| ((i * 37 + i / 784 * 11) % 256) as u8).collect(), labels: vec![0, 3, 9, 1, 3, 7, 2] };
    let all: Vec<usize> = (0..7).collect();
    let loss = CrossEntropyLossConfig::new().init(&device);
    let (x, y) = super::super::batch(&data, &all, 67, &device);
    let whole = block_on(slice_gradients(&model, &loss, x, y)).unwrap();
    let parts: Vec<SliceGrads> = slices(7, 2)
        .unwrap()
        .into_iter()
        .map(|r| {
            let (x, y) = super::super::batch(&data, &all[r], 67, &device);
            block_on(slice_gradients(&model, &loss, x, y)).unwrap()
        })
        .collect();
    assert_eq!(parts.iter().map(|p| p.images).collect::<Vec<_>>(), vec![4, 3]);
    let avg = average(&parts).unwrap();
    let (mut worst, mut scale) = (0f32, 0f32);
    for (a, w) in avg.iter().flatten().zip(whole.params.iter().flatten()) {
        worst = worst.max((a - w).abs());
        scale = scale.max(w.abs());
    }
    assert!(scale > 0.0, "the gradients are not all zero");
    assert!(worst <= 1e-4 * scale, "largest difference {worst} against largest gradient {scale}");

    // The same Adam step from the averaged gradients and from the whole batch's.
    let inner = device.clone().inner();
    let step = |g: Vec<Vec<f32>>| {
        let mut optim = AdamConfig::new().init();
        let grads = to_gradients(&model, g, &inner).unwrap();
        let stepped = optim.step(1e-3, model.clone(), grads);
        let mut values = Vec::new();
        stepped.visit(&mut Collect(&mut values));
        values
    };
    let (p_avg, p_whole) = (step(avg), step(whole.params.clone()));
    let diff = p_avg.iter().zip(&p_whole).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
    assert!(diff <= 1e-5, "parameters after the step differ by {diff}");
    let before = {
        let mut v = Vec::new();
        model.visit(&mut Collect(&mut v));
        v
    };
    assert!(p_whole.iter().zip(&before).any(|(a, b)| a != b), "the step changed the parameters");
    assert!(to_gradients(&model, vec![vec![0.0; 3]], &inner).is_err());
}

/// A helper trains with dropout on, as the lead does (a helper without it would learn
/// another thing from its half of every batch): the same rows twice give other gradients
/// with the book's dropout and the same ones without it.
#[test]
fn a_helper_draws_dropout_masks() {
    let _rng = crate::burn_rng_lock();
    let settings = TrainSettings { batch_size: 4, image_size: 67, train_images: 4, val_images: 1, ..crate::training::Preset::ShortCpu.settings() };
    let data = FashionMnist { images: (0..5 * 784).map(|i| ((i * 31 + i / 784 * 7) % 256) as u8).collect(), labels: vec![1, 4, 7, 0, 2] };
    let twice = |config: &NinConfig| {
        let replica = Replica::new(config, &settings, &Device::flex(), 1).unwrap();
        let a = block_on(replica.gradients(&data, &[0, 1, 2, 3])).unwrap();
        let b = block_on(replica.gradients(&data, &[0, 1, 2, 3])).unwrap();
        a.params != b.params
    };
    assert!(twice(&NinConfig::book()), "the book's NiN: the second slice drew other dropout masks");
    assert!(!twice(&no_dropout()), "without dropout the same rows give the same gradients");
}

/// A trainer draws its weights when it is built, as a replica does: with the book's
/// dropout, one worker and every replica of a run start from the seed's weights (Burn
/// would otherwise draw them at first use, after other draws).
#[test]
fn a_trainer_and_a_replica_start_from_the_same_weights() {
    let _rng = crate::burn_rng_lock();
    let settings = TrainSettings { batch_size: 4, image_size: 67, train_images: 4, val_images: 1, ..crate::training::Preset::ShortCpu.settings() };
    let data = FashionMnist { images: vec![0; 5 * 784], labels: vec![0; 5] };
    let trainer = crate::training::Trainer::new(&NinConfig::book(), &settings, &data, &Device::flex()).unwrap();
    let replica = Replica::new(&NinConfig::book(), &settings, &Device::flex(), 1).unwrap();
    let other = Replica::new(&NinConfig::book(), &TrainSettings { seed: settings.seed + 1, ..settings.clone() }, &Device::flex(), 1).unwrap();
    let a = values(&trainer.eval_model());
    assert_eq!(a, values(replica.model.as_ref().unwrap()));
    assert_ne!(a, values(other.model.as_ref().unwrap()), "another seed draws other weights");
}

fn values(model: &Nin) -> Vec<f32> {
    let mut v = Vec::new();
    model.visit(&mut Collect(&mut v));
    v
}

/// Three Adam steps of batch 7 split over three replicas (slices of 3, 2, 2) give the
/// single trainer's curve and weights, and the helpers end with the lead's weights.
#[test]
fn a_trainer_with_helpers_learns_like_one_trainer() {
    let _rng = crate::burn_rng_lock();
    let settings = TrainSettings {
        batch_size: 7,
        image_size: 67,
        epochs: 2,
        train_images: 21,
        val_images: 4,
        test_images: 1,
        evals_per_epoch: 1,
        learning_rate: 1e-3,
        seed: 3,
        ..crate::training::Preset::ShortCpu.settings()
    };
    let data =
        FashionMnist { images: (0..25 * 784).map(|i| ((i * 29 + i / 784 * 13) % 256) as u8).collect(), labels: (0..25).map(|i| (i * 7 % 10) as u8).collect() };
    let config = no_dropout();
    let device = Device::flex();
    let mut single = crate::training::Trainer::new(&config, &settings, &data, &device).unwrap();
    let one = block_on(single.train_chunk(&data, 3)).unwrap();
    let helpers = std::rc::Rc::new(super::super::in_process::InProcess::new(&config, &settings, &data, &device, 2).unwrap());
    let mut lead = crate::training::Trainer::new(&config, &settings, &data, &device).unwrap().with_helpers(helpers.clone());
    assert_eq!(lead.replicas(), 3);
    let three = block_on(lead.train_chunk(&data, 3)).unwrap();
    assert_eq!((three.steps, three.images), (one.steps, one.images));
    assert!((three.point.loss - one.point.loss).abs() < 1e-5, "loss {} vs {}", three.point.loss, one.point.loss);
    assert_eq!(three.point.accuracy, one.point.accuracy);
    let (a, b) = (values(&single.eval_model()), values(&lead.eval_model()));
    // The slices' gradients sum in another order than the whole batch's: rounding-level
    // differences, which Adam's normalised step (about lr per weight, whatever the
    // gradient's size) turns into differences of a small fraction of one step where a
    // gradient is near zero. Bound: a tenth of one step (lr / 10), and the mean far below.
    let diff = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
    let mean = a.iter().zip(&b).map(|(x, y)| (x - y).abs() as f64).sum::<f64>() / a.len() as f64;
    eprintln!("3 Adam steps, 1 vs 3 replicas: largest weight difference {diff:e}, mean {mean:e}");
    assert!(diff <= 1e-4, "weights after 3 steps differ by {diff}");
    assert!(mean <= 1e-7, "weights after 3 steps differ by {mean} on average");
    let start = values(&no_dropout().init(&Device::flex()).unwrap());
    assert!(a.iter().zip(&start).any(|(x, y)| x != y), "the steps changed the weights");
    for r in helpers.replicas().borrow().iter() {
        assert_eq!(values(r.model.as_ref().unwrap()), b, "a helper's weights equal the lead's");
    }
    // Scoring shared with the helpers gives the lead's own logits, in order.
    let rows: Vec<usize> = (0..25).rev().collect();
    let (model, eval) = (lead.eval_model(), lead.eval_device());
    let alone = block_on(crate::training::session::score(&model, &data, &rows, &settings, &eval, &|_| async {}, |_| ())).unwrap();
    let shared = block_on(crate::training::session::score_shared(
        &model,
        &data,
        ScoreSet::Train,
        &rows,
        &settings,
        &eval,
        Some(helpers.as_ref()),
        &|_| async {},
        |_| (),
    ))
    .unwrap();
    assert_eq!(shared.len(), 250);
    let gap = alone.iter().zip(&shared).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
    assert!(gap <= 1e-5, "shared logits differ by {gap}");
    // A helper that drifts (here: one extra step of its own) is caught at the next step.
    let ones: Vec<Vec<f32>> = helpers.replicas().borrow()[1].param_sizes().iter().map(|&n| vec![1.0; n]).collect();
    helpers.replicas().borrow_mut()[1].apply(ones).unwrap();
    match block_on(lead.train_chunk(&data, 1)) {
        Err(TrainError::Replica(m)) => assert!(m.contains("worker 3 holds other weights"), "{m}"),
        other => panic!("a drifted helper went unnoticed: {other:?}"),
    }
    // A helper asked for rows outside its data refuses with a typed error.
    let r = &helpers.replicas().borrow()[0];
    assert!(matches!(block_on(r.gradients(&data, &[99])), Err(TrainError::Replica(_))));
    assert!(matches!(block_on(r.gradients(&data, &[])), Err(TrainError::Replica(_))));
    assert_eq!(unflatten(&flatten(&[vec![1.0, 2.0], vec![3.0]]), &[2, 1]).unwrap(), vec![vec![1.0, 2.0], vec![3.0]]);
    assert_eq!(unflatten(&[1.0], &[2]), Err(ParallelError::FlatLen { expected: 2, got: 1 }));
}

struct Collect<'a>(&'a mut Vec<f32>);
impl ModuleVisitor for Collect<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0.extend(param.val().into_data().convert::<f32>().try_to_vec::<f32>().unwrap());
    }
}
