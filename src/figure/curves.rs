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
    }
}

/// Several runs' validation accuracy on one plot (the run comparison board): one `points`
/// string per run, all on a shared epoch axis (the longest run) and the fixed 0-1 accuracy
/// axis, so the curves compare directly.
pub fn overlay(histories: &[&History]) -> (Vec<(f64, String)>, Vec<String>) {
    let epochs = histories.iter().flat_map(|h| h.val.iter().map(|p| p.epoch)).fold(0.0_f64, f64::max).ceil().max(1.0);
    let every = (epochs as usize).div_ceil(10).max(1);
    let ticks = (0..=epochs as usize).filter(|e| e % every == 0).map(|e| (x_of(e as f64, epochs), e.to_string())).collect();
    let lines = histories
        .iter()
        .map(|h| points(h.val.iter().filter(|p| p.metrics.accuracy.is_finite()).map(|p| (x_of(p.epoch, epochs), y_of(p.metrics.accuracy, 1.0)))))
        .collect();
    (ticks, lines)
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
    fn overlay_shares_the_epoch_axis_of_the_longest_run() {
        let run = |epochs: &[(f64, f64)]| History {
            train: vec![],
            val: epochs.iter().map(|&(e, a)| ValPoint { epoch: e, step: 0, metrics: metrics(1.0, a) }).collect(),
        };
        let (short, long) = (run(&[(0.5, 0.2), (1.0, 0.4)]), run(&[(1.0, 0.3), (2.0, 0.6), (4.0, 0.7)]));
        let (ticks, lines) = overlay(&[&short, &long]);
        assert_eq!(ticks.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["0", "1", "2", "3", "4"]);
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        // The short run ends a quarter of the way along the shared 4-epoch axis, at 40 %.
        let end = format!("{:.1},{:.1}", LEFT + plot_w / 4.0, HEIGHT - BOTTOM - 0.4 * plot_h);
        assert!(lines[0].ends_with(&end), "{} vs {end}", lines[0]);
        assert_eq!(lines[1].split(' ').count(), 3);
        assert_eq!(overlay(&[]).1.len(), 0);
    }
}
