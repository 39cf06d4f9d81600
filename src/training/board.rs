//! The run board's records, and reading them back from storage: whatever localStorage holds
//! (an older version's records, a damaged or hostile value) becomes a checked list of runs the
//! board can draw, never a panic and never a NaN in a chart.

use serde::{Deserialize, Serialize};

use super::{History, TrainSettings};

/// One run on the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub id: u64,
    pub name: String,
    /// Variant key (`book`, `mlp1`, ...).
    pub variant: String,
    pub settings: TrainSettings,
    pub history: History,
    pub test_accuracy: Option<f64>,
    pub params: u64,
    pub flops_per_image: u64,
    pub images_per_s: f64,
    pub stopped: bool,
}

/// Longest name kept; more points than a curve can have.
const MAX_NAME: usize = 60;
const MAX_POINTS: usize = 100_000;

fn unit(x: f64) -> bool {
    x.is_finite() && (0.0..=1.0).contains(&x)
}

impl RunRecord {
    /// Whether every number the board draws or prints is sane (finite, in range).
    fn is_sane(&self) -> bool {
        let s = &self.settings;
        let points_ok = self.history.train.len() + self.history.val.len() <= MAX_POINTS
            && self.history.train.iter().all(|p| p.epoch.is_finite() && p.epoch >= 0.0 && p.loss.is_finite() && unit(p.accuracy))
            && self.history.val.iter().all(|p| p.epoch.is_finite() && p.epoch >= 0.0 && p.metrics.loss.is_finite() && unit(p.metrics.accuracy));
        points_ok
            && self.test_accuracy.is_none_or(unit)
            && self.images_per_s.is_finite()
            && self.images_per_s >= 0.0
            && s.learning_rate.is_finite()
            && s.batch_size > 0
            && s.image_size > 0
            && s.epochs > 0
    }
}

/// The saved board from `json`: its sane runs, the newest `max` of them, names cut to 60
/// characters. `None` when the text is not a list of runs at all (the caller sets it aside).
pub fn parse(json: &str, max: usize) -> Option<Vec<RunRecord>> {
    let runs: Vec<serde_json::Value> = serde_json::from_str(json).ok()?;
    let mut out: Vec<RunRecord> = runs
        .into_iter()
        .filter_map(|v| serde_json::from_value::<RunRecord>(v).ok())
        .filter(RunRecord::is_sane)
        .map(|mut r| {
            r.name = r.name.chars().filter(|c| !c.is_control()).take(MAX_NAME).collect();
            r
        })
        .collect();
    let extra = out.len().saturating_sub(max);
    out.drain(..extra);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::{Preset, TrainPoint};

    fn run(id: u64) -> RunRecord {
        RunRecord {
            id,
            name: format!("#{id} book"),
            variant: "book".into(),
            settings: Preset::ShortCpu.settings(),
            history: History { train: vec![TrainPoint { epoch: 0.5, step: 1, loss: 2.3, accuracy: 0.1 }], val: vec![] },
            test_accuracy: Some(0.3),
            params: 1_992_166,
            flops_per_image: 1,
            images_per_s: 30.0,
            stopped: false,
        }
    }

    #[test]
    fn a_saved_board_reads_back() {
        let runs = vec![run(1), run(2)];
        assert_eq!(parse(&serde_json::to_string(&runs).unwrap(), 24), Some(runs));
    }

    #[test]
    fn older_damaged_and_hostile_values_never_break_the_board() {
        // Not a list: set aside.
        for bad in ["", "{", "null", "{\"runs\": []}", "42"] {
            assert_eq!(parse(bad, 24), None, "{bad:?}");
        }
        // A record of another shape (an older version's) is dropped, the others stay.
        let json = format!("[{{\"id\": 1, \"name\": \"old\"}}, {}]", serde_json::to_string(&run(2)).unwrap());
        assert_eq!(parse(&json, 24).unwrap().len(), 1);
        // Numbers a chart cannot draw: out-of-range values drop their record; a number beyond
        // f64 (JSON has no NaN or infinity) makes the whole text unreadable.
        let mut wild = run(3);
        wild.test_accuracy = Some(7.0);
        let mut zero = run(5);
        zero.settings.batch_size = 0;
        let kept = parse(&serde_json::to_string(&vec![wild, zero, run(6)]).unwrap(), 24).unwrap();
        assert_eq!(kept.iter().map(|r| r.id).collect::<Vec<_>>(), vec![6]);
        let json = serde_json::to_string(&vec![run(6)]).unwrap().replace("\"loss\":2.3", "\"loss\":1e999");
        assert_eq!(parse(&json, 24), None);
        // Markup and control characters in a name are text; a long name is cut.
        let mut named = run(7);
        named.name = format!("<img src=x onerror=alert(1)>\u{7}{}", "x".repeat(200));
        let kept = parse(&serde_json::to_string(&vec![named]).unwrap(), 24).unwrap();
        assert_eq!(kept[0].name.chars().count(), 60);
        assert!(!kept[0].name.contains('\u{7}'));
        // Only the newest `max` runs stay.
        let many: Vec<RunRecord> = (1..=30).map(run).collect();
        let kept = parse(&serde_json::to_string(&many).unwrap(), 24).unwrap();
        assert_eq!((kept.len(), kept[0].id), (24, 7));
    }
}
