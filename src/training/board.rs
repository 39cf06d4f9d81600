//! The run board's records, and reading them back from storage: whatever localStorage holds
//! (an older version's records, a damaged or hostile value) becomes a checked list of runs the
//! board can draw, never a panic and never a NaN in a chart.

use serde::{Deserialize, Serialize};

use super::{History, TrainSettings};

/// The format of a saved [`RunRecord`]. Version 1 is the first; a later version adds fields,
/// each with a default, so that the runs a student saved before still load.
pub const RUN_FORMAT: u32 = 1;

fn run_format() -> u32 {
    RUN_FORMAT
}

/// One run on the board. The run's identity and curves are required; every field that only
/// describes it defaults when a saved run lacks it (as a field added later would).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// The format it was saved in ([`RUN_FORMAT`]; absent in runs saved before 2026-12-04).
    #[serde(default = "run_format")]
    pub format: u32,
    pub id: u64,
    pub name: String,
    /// Variant key (`book`, `mlp1`, ...).
    pub variant: String,
    pub settings: TrainSettings,
    pub history: History,
    #[serde(default)]
    pub test_accuracy: Option<f64>,
    #[serde(default)]
    pub params: u64,
    #[serde(default)]
    pub flops_per_image: u64,
    #[serde(default)]
    pub images_per_s: f64,
    #[serde(default)]
    pub stopped: bool,
}

/// Images a run had trained on at a point of its curves: its optimizer steps times the batch
/// (every step trains one whole batch, however many workers share it). The run board's x axis,
/// so that runs of different lengths and batch sizes compare. A point saved without its step
/// (`step` defaults to 0) counts from its fractional epoch instead.
pub fn images_seen(step: usize, epoch: f64, settings: &TrainSettings) -> f64 {
    let batch = settings.batch_size as f64;
    if step > 0 {
        step as f64 * batch
    } else if epoch.is_finite() && epoch > 0.0 {
        epoch * (settings.steps_per_epoch() as f64 * batch)
    } else {
        0.0
    }
}

impl RunRecord {
    /// The validation-accuracy curve against images seen: `(images, accuracy)` for each point
    /// with a finite accuracy, in the run's order.
    pub fn val_by_images(&self) -> Vec<(f64, f64)> {
        self.history.val.iter().filter(|p| p.metrics.accuracy.is_finite()).map(|p| (images_seen(p.step, p.epoch, &self.settings), p.metrics.accuracy)).collect()
    }
}

/// Longest name kept.
const MAX_NAME: usize = 60;
/// Most training and most validation points kept per run: a longer history is thinned evenly
/// (its last point kept) so that no stored run can make the chart draw a million points. A
/// run of the book's settings has about 4,300 training points.
pub const MAX_POINTS: usize = 10_000;
/// Longest stored board read, in bytes: longer text is set aside before it is parsed. Browsers
/// give a site about 5 MiB of localStorage, so the page never writes more than this itself.
pub const MAX_TEXT: usize = 5 * 1024 * 1024;

fn unit(x: f64) -> bool {
    x.is_finite() && (0.0..=1.0).contains(&x)
}

impl RunRecord {
    /// Whether every number the board draws or prints is sane (finite, in range).
    fn is_sane(&self) -> bool {
        let s = &self.settings;
        let points_ok = self.history.train.iter().all(|p| p.epoch.is_finite() && p.epoch >= 0.0 && p.loss.is_finite() && unit(p.accuracy))
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

/// Every `k`-th point of `points` and its last one, at most `max` in all; how many were removed.
fn thin<T>(points: &mut Vec<T>, max: usize) -> usize {
    let len = points.len();
    if len <= max || max < 2 {
        return 0;
    }
    // `max - 1` evenly spaced points from the start, then the last point.
    let step = (len - 1).div_ceil(max - 1);
    let last = points.pop();
    let mut i = 0;
    points.retain(|_| {
        let keep = i % step == 0;
        i += 1;
        keep
    });
    points.extend(last);
    len - points.len()
}

/// What reading a stored board left out (each part is named to the student).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    /// The stored text's size in bytes, when it was over [`MAX_TEXT`] (and not read at all).
    pub too_large: Option<usize>,
    /// Older runs beyond the board's limit.
    pub older: usize,
    /// Entries that were not a run, or had numbers a chart cannot draw.
    pub broken: usize,
    /// Points removed from runs with more than [`MAX_POINTS`].
    pub points: usize,
}

impl Dropped {
    pub fn is_empty(&self) -> bool {
        *self == Dropped::default()
    }
}

/// A stored board as read: its runs, and what was left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub runs: Vec<RunRecord>,
    pub dropped: Dropped,
}

/// Reads the top-level list one entry at a time, keeping at most `max` runs (the newest), so
/// that a list of millions of entries costs one entry of memory at a time.
struct Board {
    max: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for Board {
    type Value = Loaded;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Loaded, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Board {
    type Value = Loaded;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of runs")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Loaded, A::Error> {
        let mut runs = std::collections::VecDeque::new();
        let mut dropped = Dropped::default();
        while let Some(value) = seq.next_element::<serde_json::Value>()? {
            let Some(mut run) = serde_json::from_value::<RunRecord>(value).ok().filter(RunRecord::is_sane) else {
                dropped.broken += 1;
                continue;
            };
            run.name = run.name.chars().filter(|c| !c.is_control()).take(MAX_NAME).collect();
            dropped.points += thin(&mut run.history.train, MAX_POINTS) + thin(&mut run.history.val, MAX_POINTS);
            runs.push_back(run);
            if runs.len() > self.max {
                runs.pop_front();
                dropped.older += 1;
            }
        }
        Ok(Loaded { runs: runs.into(), dropped })
    }
}

/// The saved board from `json`: its sane runs, the newest `max` of them, names cut to 60
/// characters, at most [`MAX_POINTS`] points per curve, and what was left out. Text over
/// [`MAX_TEXT`] is not parsed (an empty board that says so). `None` when the text is not a
/// list at all (the caller sets it aside); nesting deeper than serde_json's limit is that too.
pub fn parse(json: &str, max: usize) -> Option<Loaded> {
    if json.len() > MAX_TEXT {
        return Some(Loaded { runs: Vec::new(), dropped: Dropped { too_large: Some(json.len()), ..Dropped::default() } });
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let loaded = serde::de::DeserializeSeed::deserialize(Board { max }, &mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 26: a run saved today loads after fields are added: the board of 2026-12-04 (no
    /// `format`) loads, and so does each run with any one describing field missing.
    #[test]
    fn runs_saved_today_load_after_fields_are_added() {
        let today = r#"[{"id":1764800000000,"name":"NiN (book)","variant":"book","settings":{"optimizer":"Adam","learning_rate":0.001,"batch_size":32,"image_size":96,"epochs":1,"train_images":3840,"val_images":300,"test_images":1000,"evals_per_epoch":4,"seed":1},"history":{"train":[{"epoch":0.25,"step":30,"loss":2.2,"accuracy":0.2}],"val":[{"epoch":0.25,"step":30,"metrics":{"images":300,"loss":2.1,"accuracy":0.3,"dead_logits":0,"logit_spread":0.1,"logit_offset":0.2}}]},"test_accuracy":0.31,"params":1992166,"flops_per_image":184000000,"images_per_s":40.5,"stopped":false}]"#;
        let loaded = parse(today, 24).unwrap();
        assert_eq!(loaded.runs.len(), 1);
        assert_eq!((loaded.runs[0].format, loaded.runs[0].params), (RUN_FORMAT, 1_992_166));
        let run: serde_json::Value = serde_json::from_str::<Vec<serde_json::Value>>(today).unwrap().remove(0);
        for field in ["test_accuracy", "params", "flops_per_image", "images_per_s", "stopped"] {
            let mut older = run.clone();
            older.as_object_mut().unwrap().remove(field);
            let text = serde_json::to_string(&vec![older]).unwrap();
            assert_eq!(parse(&text, 24).unwrap().runs.len(), 1, "a run without {field}");
        }
        crate::training::tests::assert_every_field_may_be_missing(&loaded.runs[0].settings);
        crate::training::tests::assert_every_field_may_be_missing(&loaded.runs[0].history);
    }
    use crate::training::{Preset, TrainPoint};

    fn run(id: u64) -> RunRecord {
        RunRecord {
            format: RUN_FORMAT,
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

    /// Issue 29: the board's x axis is images seen, so runs of any length and batch compare.
    #[test]
    fn images_seen_are_steps_times_the_batch() {
        use crate::training::ValPoint;
        use crate::training::metrics::EvalMetrics;
        // The shipped model's card: its last point at step 4,295 of batch 64 is its 274,880 images.
        let shipped = TrainSettings { batch_size: 64, train_images: 55_000, epochs: 5, ..Preset::ShortCpu.settings() };
        assert_eq!(images_seen(4_295, 5.0, &shipped), 274_880.0);
        // A point saved without its step counts from its epoch: half of 120 steps of 32.
        let cpu = Preset::ShortCpu.settings();
        assert_eq!((cpu.batch_size, cpu.steps_per_epoch()), (32, 120));
        assert_eq!(images_seen(0, 0.5, &cpu), 1_920.0);
        assert_eq!(images_seen(0, 0.0, &cpu), 0.0);
        assert_eq!(images_seen(0, f64::NAN, &cpu), 0.0);
        // Two runs with other batches and epochs put the same amount of training at the same x.
        let point = |step: usize, epoch: f64, accuracy: f64| ValPoint { epoch, step, metrics: EvalMetrics { accuracy, ..EvalMetrics::default() } };
        let mut small = run(1);
        small.settings = TrainSettings { batch_size: 16, epochs: 2, ..cpu.clone() };
        small.history.val = vec![point(60, 0.25, 0.2), point(120, 0.5, 0.3), point(480, 2.0, f64::NAN)];
        let mut large = run(2);
        large.settings = TrainSettings { batch_size: 64, epochs: 1, ..cpu.clone() };
        large.history.val = vec![point(15, 0.25, 0.25), point(30, 0.5, 0.35)];
        assert_eq!(small.val_by_images(), vec![(960.0, 0.2), (1_920.0, 0.3)], "a non-finite point is left out");
        assert_eq!(large.val_by_images(), vec![(960.0, 0.25), (1_920.0, 0.35)]);
    }

    #[test]
    fn a_saved_board_reads_back() {
        let runs = vec![run(1), run(2)];
        assert_eq!(parse(&serde_json::to_string(&runs).unwrap(), 24), Some(Loaded { runs, dropped: Dropped::default() }));
    }

    #[test]
    fn older_damaged_and_hostile_values_never_break_the_board() {
        // Not a list: set aside.
        for bad in ["", "{", "null", "{\"runs\": []}", "42"] {
            assert_eq!(parse(bad, 24), None, "{bad:?}");
        }
        // A record of another shape (an older version's) is dropped, the others stay.
        let json = format!("[{{\"id\": 1, \"name\": \"old\"}}, {}]", serde_json::to_string(&run(2)).unwrap());
        assert_eq!(parse(&json, 24).unwrap().runs.len(), 1);
        // Numbers a chart cannot draw: out-of-range values drop their record; a number beyond
        // f64 (JSON has no NaN or infinity) makes the whole text unreadable.
        let mut wild = run(3);
        wild.test_accuracy = Some(7.0);
        let mut zero = run(5);
        zero.settings.batch_size = 0;
        let kept = parse(&serde_json::to_string(&vec![wild, zero, run(6)]).unwrap(), 24).unwrap().runs;
        assert_eq!(kept.iter().map(|r| r.id).collect::<Vec<_>>(), vec![6]);
        let json = serde_json::to_string(&vec![run(6)]).unwrap().replace("\"loss\":2.3", "\"loss\":1e999");
        assert_eq!(parse(&json, 24), None);
        // Markup and control characters in a name are text; a long name is cut.
        let mut named = run(7);
        named.name = format!("<img src=x onerror=alert(1)>\u{7}{}", "x".repeat(200));
        let kept = parse(&serde_json::to_string(&vec![named]).unwrap(), 24).unwrap().runs;
        assert_eq!(kept[0].name.chars().count(), 60);
        assert!(!kept[0].name.contains('\u{7}'));
        // Only the newest `max` runs stay.
        let many: Vec<RunRecord> = (1..=30).map(run).collect();
        let kept = parse(&serde_json::to_string(&many).unwrap(), 24).unwrap().runs;
        assert_eq!((kept.len(), kept[0].id), (24, 7));
    }

    #[test]
    fn a_hostile_board_is_bounded_and_says_what_it_dropped() {
        // A huge list: read one entry at a time, only the newest runs kept, the rest counted.
        let mut json = String::from("[");
        for _ in 0..500_000 {
            json += "0,";
        }
        json += &serde_json::to_string(&run(1)).unwrap();
        json += "]";
        assert!(json.len() <= MAX_TEXT);
        let loaded = parse(&json, 24).unwrap();
        assert_eq!(loaded.runs.iter().map(|r| r.id).collect::<Vec<_>>(), [1]);
        assert_eq!(loaded.dropped, Dropped { broken: 500_000, ..Dropped::default() });
        let many: Vec<RunRecord> = (1..=30).map(run).collect();
        assert_eq!(parse(&serde_json::to_string(&many).unwrap(), 24).unwrap().dropped, Dropped { older: 6, ..Dropped::default() });
        // A run with too many points: thinned to MAX_POINTS per curve, its last point kept.
        let mut long = run(2);
        long.history.train = (0..45_001).map(|i| TrainPoint { epoch: i as f64 / 1000.0, step: i, loss: 1.0, accuracy: 0.5 }).collect();
        let loaded = parse(&serde_json::to_string(&vec![long]).unwrap(), 24).unwrap();
        let train = &loaded.runs[0].history.train;
        assert!(train.len() <= MAX_POINTS && train.len() > MAX_POINTS / 2, "{}", train.len());
        assert_eq!((train[0].step, train.last().unwrap().step), (0, 45_000));
        assert_eq!(loaded.dropped, Dropped { points: 45_001 - train.len(), ..Dropped::default() });
        // Text over the cap is not parsed at all.
        let huge = format!("[{}]", " ".repeat(MAX_TEXT));
        assert_eq!(parse(&huge, 24), Some(Loaded { runs: vec![], dropped: Dropped { too_large: Some(MAX_TEXT + 2), ..Dropped::default() } }));
        // Deep nesting: refused by the parser's depth limit, not a stack overflow.
        let deep = format!("[{}{}]", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse(&deep, 24), None);
        let deep_object = format!("[{}1{}]", "{\"a\":".repeat(50_000), "}".repeat(50_000));
        assert_eq!(parse(&deep_object, 24), None);
        // Trailing text after the list makes it unreadable, as before.
        assert_eq!(parse("[] x", 24), None);
    }
}
