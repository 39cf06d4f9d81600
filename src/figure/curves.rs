//! Layout of the training board's plot (the book's "animator"): training loss, validation loss
//! and validation accuracy against epochs. Pure: the UI draws the SVG from these coordinates.

use crate::training::History;

pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 280.0;
pub const LEFT: f64 = 48.0;
pub const RIGHT: f64 = 48.0;
/// Room above the plot for the axis titles ("loss", "accuracy"), clear of the top tick labels.
pub const TOP: f64 = 30.0;
pub const BOTTOM: f64 = 36.0;

/// ln(10): the loss of a model that spreads its guess evenly over ten classes.
pub const CHANCE_LOSS: f64 = std::f64::consts::LN_10;

/// Where everything goes, in SVG user units.
#[derive(Debug, Clone, PartialEq)]
pub struct CurvesLayout {
    /// Top of the loss axis (its bottom is 0).
    pub loss_max: f64,
    /// `(x, label)` for each epoch tick.
    pub x_ticks: Vec<(f64, String)>,
    /// `(y, label)` on the left (loss) axis.
    pub loss_ticks: Vec<(f64, String)>,
    /// `(y, label)` on the right (accuracy) axis.
    pub acc_ticks: Vec<(f64, String)>,
    /// SVG `points` attributes.
    pub train_loss: String,
    pub val_loss: String,
    pub val_acc: String,
    /// Markers at each validation point: `(x, y_loss, y_acc)`.
    pub val_marks: Vec<(f64, f64, f64)>,
    pub chance_loss_y: f64,
    pub chance_acc_y: f64,
    /// The x axis's end, in epochs.
    pub x_max: f64,
    /// What the readout can show: one stop per point, left to right; a training point and a
    /// validation point at the same epoch share one.
    pub stops: Vec<CurveStop>,
}

/// One place of the readout on the training plot, with each curve's value there.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveStop {
    /// SVG x of the point.
    pub x: f64,
    pub epoch: f64,
    pub step: usize,
    /// The chunk of training steps that ends here.
    pub train: Option<TrainAt>,
    /// The validation point here.
    pub val: Option<ValAt>,
}

/// A training point's values and where its loss is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainAt {
    pub loss: f64,
    pub accuracy: f64,
    pub y_loss: f64,
}

/// A validation point's values and where they are drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValAt {
    pub loss: f64,
    pub accuracy: f64,
    pub y_loss: f64,
    pub y_acc: f64,
}

fn x_of(epoch: f64, epochs: f64) -> f64 {
    LEFT + (epoch / epochs).clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT)
}

fn y_of(value: f64, max: f64) -> f64 {
    let plot = HEIGHT - TOP - BOTTOM;
    HEIGHT - BOTTOM - (value / max).clamp(0.0, 1.0) * plot
}

fn points(iter: impl Iterator<Item = (f64, f64)>) -> String {
    iter.map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ")
}

/// Lays out `history` on an axis of `epochs` epochs. The loss axis runs from 0 to at least
/// 2.5 (so the chance line always shows) or the largest loss seen, capped at 10.
///
/// The axis grows to hold every point: a history longer than `epochs` (the shipped model's
/// five epochs, shown while the form says one) is drawn whole, not piled up at its right end.
pub fn layout(history: &History, epochs: usize) -> CurvesLayout {
    let last = history.train.iter().map(|p| p.epoch).chain(history.val.iter().map(|p| p.epoch)).filter(|e| e.is_finite() && *e >= 0.0).fold(0.0_f64, f64::max);
    let epochs = epochs.max(last.ceil().min(1e6) as usize);
    let epochs_f = epochs.max(1) as f64;
    let seen = history.train.iter().map(|p| p.loss).chain(history.val.iter().map(|p| p.metrics.loss)).filter(|l| l.is_finite());
    let loss_max = seen.fold(2.5_f64, f64::max).min(10.0);
    let loss_max = (loss_max * 2.0).ceil() / 2.0;
    let every = epochs.div_ceil(10).max(1);
    let x_ticks = (0..=epochs.max(1)).filter(|e| e % every == 0).map(|e| (x_of(e as f64, epochs_f), e.to_string())).collect();
    let step = if loss_max > 5.0 { 2.0 } else { 0.5 };
    let loss_ticks = (0..).map(|i| i as f64 * step).take_while(|v| *v <= loss_max + 1e-9).map(|v| (y_of(v, loss_max), format!("{v:.1}"))).collect();
    let acc_ticks = (0..=5).map(|i| i as f64 * 0.2).map(|v| (y_of(v, 1.0), format!("{:.0}%", v * 100.0))).collect();
    let train_loss = points(history.train.iter().map(|p| (x_of(p.epoch, epochs_f), y_of(p.loss, loss_max))));
    let val_loss = points(history.val.iter().map(|p| (x_of(p.epoch, epochs_f), y_of(p.metrics.loss, loss_max))));
    let val_acc = points(history.val.iter().map(|p| (x_of(p.epoch, epochs_f), y_of(p.metrics.accuracy, 1.0))));
    let val_marks = history.val.iter().map(|p| (x_of(p.epoch, epochs_f), y_of(p.metrics.loss, loss_max), y_of(p.metrics.accuracy, 1.0))).collect();
    let stops = curve_stops(history, epochs_f, loss_max);
    CurvesLayout {
        loss_max,
        x_ticks,
        loss_ticks,
        acc_ticks,
        train_loss,
        val_loss,
        val_acc,
        val_marks,
        chance_loss_y: y_of(CHANCE_LOSS, loss_max),
        chance_acc_y: y_of(0.1, 1.0),
        x_max: epochs_f,
        stops,
    }
}

/// The readout's stops: every finite point, sorted by epoch; a validation point joins the
/// training point at its epoch (both are measured after the same step).
fn curve_stops(history: &History, epochs: f64, loss_max: f64) -> Vec<CurveStop> {
    let train = history.train.iter().filter(|p| p.epoch.is_finite() && p.loss.is_finite() && p.accuracy.is_finite()).map(|p| {
        let at = TrainAt { loss: p.loss, accuracy: p.accuracy, y_loss: y_of(p.loss, loss_max) };
        (p.epoch, p.step, Some(at), None)
    });
    let val = history.val.iter().filter(|p| p.epoch.is_finite() && p.metrics.loss.is_finite() && p.metrics.accuracy.is_finite()).map(|p| {
        let (loss, accuracy) = (p.metrics.loss, p.metrics.accuracy);
        (p.epoch, p.step, None, Some(ValAt { loss, accuracy, y_loss: y_of(loss, loss_max), y_acc: y_of(accuracy, 1.0) }))
    });
    let mut points: Vec<(f64, usize, Option<TrainAt>, Option<ValAt>)> = train.chain(val).collect();
    // Stable: at one epoch the training point comes first.
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut stops: Vec<CurveStop> = Vec::with_capacity(points.len());
    for (epoch, step, train, val) in points {
        match stops.last_mut() {
            Some(last) if last.epoch == epoch && last.val.is_none() && val.is_some() && train.is_none() => last.val = val,
            _ => stops.push(CurveStop { x: x_of(epoch, epochs), epoch, step, train, val }),
        }
    }
    stops
}

/// The run board's plot: every run's validation accuracy against images seen, on one x axis
/// (0 to a round number past the longest run) and the fixed 0-1 accuracy axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    /// The x axis's end, in images.
    pub x_max: f64,
    /// `(x, label)` for each tick of images seen ("0", "500", "12 k").
    pub ticks: Vec<(f64, String)>,
    /// One SVG `points` attribute per run.
    pub lines: Vec<String>,
    /// Each run's drawn points, `(images seen, accuracy)`, left to right.
    pub points: Vec<Vec<(f64, f64)>>,
    /// The readout's stops: every x where some run has a point, left to right.
    pub stops: Vec<BoardStop>,
}

/// One place of the board's readout: how many images, and each run's accuracy there.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardStop {
    pub x: f64,
    pub images: f64,
    /// In the order of the runs; `None` where the run has no point this far or this early.
    pub runs: Vec<Option<RunAt>>,
}

/// A run's validation accuracy at a stop, read off its drawn line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunAt {
    pub accuracy: f64,
    pub y: f64,
    /// The run has a point exactly here (else the value is between two of its points).
    pub exact: bool,
}

/// At most this many parts on the images axis, so its labels fit on a phone.
const IMAGE_TICKS: usize = 6;

/// Lays out the runs' `(images seen, accuracy)` points (see `RunRecord::val_by_images`).
/// Points that are not finite, or before 0, are left out.
pub fn overlay(runs: &[Vec<(f64, f64)>]) -> Overlay {
    let runs: Vec<Vec<(f64, f64)>> = runs
        .iter()
        .map(|points| {
            let mut points: Vec<(f64, f64)> = points.iter().copied().filter(|(x, a)| x.is_finite() && *x >= 0.0 && a.is_finite()).collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            points
        })
        .collect();
    let longest = runs.iter().flatten().map(|p| p.0).fold(0.0_f64, f64::max);
    let step = nice_step(longest, IMAGE_TICKS);
    let parts = (longest / step).ceil().max(1.0);
    let x_max = parts * step;
    let ticks = (0..=parts as usize).map(|i| i as f64 * step).map(|v| (x_of(v, x_max), images_label(v))).collect();
    let lines = runs.iter().map(|points| self::points(points.iter().map(|&(x, a)| (x_of(x, x_max), y_of(a, 1.0))))).collect();
    let mut xs: Vec<f64> = runs.iter().flatten().map(|p| p.0).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let stops = xs
        .into_iter()
        .map(|images| BoardStop {
            x: x_of(images, x_max),
            images,
            runs: runs
                .iter()
                .map(|points| super::readout::value_at(points, images).map(|(accuracy, exact)| RunAt { accuracy, y: y_of(accuracy, 1.0), exact }))
                .collect(),
        })
        .collect();
    Overlay { x_max, ticks, lines, points: runs, stops }
}

/// A round step (1, 2 or 5 times a power of ten, at least 1) that cuts `0..max` into at most
/// `most` parts.
pub fn nice_step(max: f64, most: usize) -> f64 {
    let most = most.max(1) as f64;
    if !max.is_finite() || max <= most {
        return 1.0;
    }
    let mut power = 10_f64.powi((max / most).log10().floor() as i32);
    loop {
        for m in [1.0, 2.0, 5.0] {
            let step = m * power;
            if (max / step).ceil() <= most {
                return step;
            }
        }
        power *= 10.0;
    }
}

/// An images-axis label: "500", "12 k", "1.5 k", "1.2 M".
pub fn images_label(n: f64) -> String {
    let short = |v: f64| {
        let text = format!("{v:.1}");
        text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
    };
    if n >= 1e6 {
        format!("{} M", short(n / 1e6))
    } else if n >= 1e3 {
        format!("{} k", short(n / 1e3))
    } else {
        short(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::metrics::EvalMetrics;
    use crate::training::{TrainPoint, ValPoint};

    fn metrics(loss: f64, accuracy: f64) -> EvalMetrics {
        EvalMetrics { images: 10, loss, accuracy, dead_logits: 0, logit_spread: 0.0, logit_offset: 0.0 }
    }

    #[test]
    fn points_map_epochs_and_values_onto_the_plot() {
        let h = History {
            train: vec![TrainPoint { epoch: 0.5, step: 5, loss: 2.0, accuracy: 0.2 }, TrainPoint { epoch: 2.0, step: 20, loss: 0.5, accuracy: 0.8 }],
            val: vec![ValPoint { epoch: 2.0, step: 20, metrics: metrics(1.0, 0.5) }],
        };
        let l = layout(&h, 2);
        assert_eq!(l.loss_max, 2.5);
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        // Epoch 0.5 of 2 is a quarter of the way; loss 2.0 of 2.5 is 80 % up.
        let (x0, y0) = (LEFT + plot_w / 4.0, HEIGHT - BOTTOM - 0.8 * plot_h);
        assert!(l.train_loss.starts_with(&format!("{x0:.1},{y0:.1} ")), "{}", l.train_loss);
        assert_eq!(l.val_acc, format!("{:.1},{:.1}", WIDTH - RIGHT, HEIGHT - BOTTOM - 0.5 * plot_h));
        assert_eq!(l.x_ticks.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["0", "1", "2"]);
        assert_eq!(l.loss_ticks.len(), 6); // 0.0 .. 2.5
        assert_eq!(l.acc_ticks.last().unwrap(), &(TOP, "100%".to_string()));
        assert!((l.chance_acc_y - (HEIGHT - BOTTOM - 0.1 * plot_h)).abs() < 1e-9);
    }

    #[test]
    fn axis_grows_with_large_losses_and_thins_ticks_for_long_runs() {
        let h = History { train: vec![TrainPoint { epoch: 1.0, step: 1, loss: 7.2, accuracy: 0.1 }], val: vec![] };
        let l = layout(&h, 30);
        assert_eq!(l.loss_max, 7.5);
        assert_eq!(l.x_ticks.len(), 11); // every 3rd epoch of 30
        assert!(l.val_loss.is_empty());
        let nan = History { train: vec![TrainPoint { epoch: 1.0, step: 1, loss: f64::NAN, accuracy: 0.1 }], val: vec![] };
        assert_eq!(layout(&nan, 1).loss_max, 2.5);
    }

    #[test]
    fn a_history_longer_than_the_forms_epochs_is_drawn_whole() {
        // The shipped model's five epochs, shown while the form says one.
        let h = History {
            train: (1..=10).map(|i| TrainPoint { epoch: i as f64 * 0.5, step: i, loss: 1.0, accuracy: 0.5 }).collect(),
            val: vec![ValPoint { epoch: 5.0, step: 10, metrics: metrics(0.3, 0.9) }],
        };
        let l = layout(&h, 1);
        assert_eq!(l.x_ticks.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["0", "1", "2", "3", "4", "5"]);
        // Half-way through the run is half-way along the axis.
        let plot_w = WIDTH - LEFT - RIGHT;
        assert_eq!(l.x_ticks[5].0, LEFT + plot_w);
        assert_eq!(layout(&h, 8).x_ticks.len(), 9, "a longer form keeps its own axis");
    }

    #[test]
    fn overlay_shares_an_axis_of_images_seen() {
        // Issue 29: a 64-image run next to a 320-image one with another batch: both on one axis.
        let (short, long) = (vec![(16.0, 0.2), (64.0, 0.4)], vec![(32.0, 0.3), (64.0, 0.5), (320.0, 0.7)]);
        let o = overlay(&[short, long]);
        assert_eq!(o.x_max, 400.0);
        assert_eq!(o.ticks.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["0", "100", "200", "300", "400"]);
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        // The short run ends at 64 of 400 images, at 40 %.
        let end = format!("{:.1},{:.1}", LEFT + plot_w * 64.0 / 400.0, HEIGHT - BOTTOM - 0.4 * plot_h);
        assert!(o.lines[0].ends_with(&end), "{} vs {end}", o.lines[0]);
        assert_eq!(o.lines[1].split(' ').count(), 3);
        // Stops: every x where a run has a point, each run's value there or between its points.
        assert_eq!(o.stops.iter().map(|s| s.images).collect::<Vec<_>>(), [16.0, 32.0, 64.0, 320.0]);
        let at = |i: usize| o.stops[i].runs.iter().map(|r| r.map(|r| (r.accuracy, r.exact))).collect::<Vec<_>>();
        assert_eq!(at(0), [Some((0.2, true)), None], "the long run starts later");
        assert_eq!(at(1)[1], Some((0.3, true)));
        let (between, exact) = at(1)[0].unwrap();
        assert!((between - (0.2 + 0.2 * 16.0 / 48.0)).abs() < 1e-12 && !exact);
        assert_eq!(at(2), [Some((0.4, true)), Some((0.5, true))]);
        assert_eq!(at(3), [None, Some((0.7, true))], "the short run has ended");
        assert!((o.stops[3].x - (LEFT + plot_w * 0.8)).abs() < 1e-9);
        assert_eq!(o.stops[2].runs[0].unwrap().y, HEIGHT - BOTTOM - 0.4 * plot_h);
        let empty = overlay(&[]);
        assert_eq!((empty.lines.len(), empty.stops.len(), empty.x_max), (0, 0, 1.0));
        // Points a chart cannot draw are left out.
        assert_eq!(overlay(&[vec![(f64::NAN, 0.5), (-1.0, 0.5), (8.0, f64::INFINITY), (8.0, 0.5)]]).stops.len(), 1);
    }

    #[test]
    fn the_images_axis_has_round_ticks_in_thousands() {
        assert_eq!(nice_step(64.0, 6), 20.0);
        assert_eq!(nice_step(274_880.0, 6), 50_000.0);
        assert_eq!(nice_step(3_840.0, 6), 1_000.0);
        assert_eq!(nice_step(5.0, 6), 1.0);
        assert_eq!(nice_step(0.0, 6), 1.0);
        assert_eq!(nice_step(f64::INFINITY, 6), 1.0);
        for (n, label) in [(0.0, "0"), (500.0, "500"), (1_000.0, "1 k"), (1_500.0, "1.5 k"), (12_000.0, "12 k"), (300_000.0, "300 k"), (1_200_000.0, "1.2 M")] {
            assert_eq!(images_label(n), label);
        }
        // The shipped model's 274,880 images: 0 to 300 k in steps of 50 k.
        let o = overlay(&[vec![(274_880.0, 0.905)]]);
        assert_eq!(o.ticks.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["0", "50 k", "100 k", "150 k", "200 k", "250 k", "300 k"]);
    }

    #[test]
    fn stops_hold_every_point_with_its_values() {
        let h = History {
            train: vec![
                TrainPoint { epoch: 0.25, step: 1, loss: 2.0, accuracy: 0.2 },
                TrainPoint { epoch: 0.5, step: 2, loss: 1.5, accuracy: 0.3 },
                TrainPoint { epoch: 0.75, step: 3, loss: f64::NAN, accuracy: 0.3 },
            ],
            val: vec![ValPoint { epoch: 0.5, step: 2, metrics: metrics(1.25, 0.5) }, ValPoint { epoch: 1.0, step: 4, metrics: metrics(1.0, 0.6) }],
        };
        let l = layout(&h, 1);
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        assert_eq!(l.x_max, 1.0);
        // The training point and the validation point after step 2 share a stop; NaN has none.
        assert_eq!(l.stops.iter().map(|s| (s.epoch, s.step)).collect::<Vec<_>>(), [(0.25, 1), (0.5, 2), (1.0, 4)]);
        let mid = &l.stops[1];
        assert_eq!(mid.x, LEFT + plot_w / 2.0);
        assert_eq!(mid.train, Some(TrainAt { loss: 1.5, accuracy: 0.3, y_loss: HEIGHT - BOTTOM - 0.6 * plot_h }));
        assert_eq!(mid.val, Some(ValAt { loss: 1.25, accuracy: 0.5, y_loss: HEIGHT - BOTTOM - 0.5 * plot_h, y_acc: HEIGHT - BOTTOM - 0.5 * plot_h }));
        assert_eq!((l.stops[0].val, l.stops[2].train), (None, None));
        // The readout's x is the drawn point's x.
        assert!(l.val_acc.ends_with(&format!("{:.1},{:.1}", l.stops[2].x, l.stops[2].val.unwrap().y_acc)));
        // Two training points at one epoch (a saved run without steps) keep a stop each.
        let twice =
            History { train: vec![TrainPoint { epoch: 0.0, ..TrainPoint::default() }, TrainPoint { epoch: 0.0, ..TrainPoint::default() }], val: vec![] };
        assert_eq!(layout(&twice, 1).stops.len(), 2);
    }
}
