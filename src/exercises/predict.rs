//! "Predict, then reveal" (issue 27): each exercise's question, its answer computed from the same
//! pure costs the cells show, how close a student's guess was, and the saved state. No DOM here.

use serde::{Deserialize, Serialize};

use super::{Exercise, costs, resources, variants};
use crate::analysis::LayerKind;
use crate::model::NinConfig;
use crate::training::OptimizerKind;

/// Every question is asked at the book's input size (the cells' default).
pub const SIDE: usize = 224;

/// A typed multiple within this factor of the answer (either way) counts as right.
pub const RIGHT_WITHIN: f64 = 1.1;

/// The longest guess kept (a number or an option id); longer text is cut, never refused.
pub const MAX_GUESS: usize = 32;

/// Where a variant's parameter count lies relative to its baseline's, for the choice questions.
/// One scale for every exercise, so a student learns to read it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    UnderHalf,
    Fewer,
    Same,
    More,
    OverTwice,
}

impl Band {
    pub const ALL: [Band; 5] = [Band::UnderHalf, Band::Fewer, Band::Same, Band::More, Band::OverTwice];

    /// The ratios between neighbouring bands: under 0.5, 0.5 to 0.95, 0.95 to 1.05, 1.05 to 2,
    /// over 2 (a limit belongs to the band nearer 1).
    pub const LIMITS: [f64; 4] = [0.5, 0.95, 1.05, 2.0];

    /// The band of `ratio` (variant / baseline).
    pub fn of(ratio: f64) -> Band {
        let [half, fewer, same, twice] = Self::LIMITS;
        if ratio < half {
            Band::UnderHalf
        } else if ratio < fewer {
            Band::Fewer
        } else if ratio <= same {
            Band::Same
        } else if ratio <= twice {
            Band::More
        } else {
            Band::OverTwice
        }
    }

    /// Stable id (radio values, saved guesses, test ids).
    pub fn id(self) -> &'static str {
        match self {
            Band::UnderHalf => "under-half",
            Band::Fewer => "fewer",
            Band::Same => "same",
            Band::More => "more",
            Band::OverTwice => "over-twice",
        }
    }

    pub fn from_id(id: &str) -> Option<Band> {
        Self::ALL.into_iter().find(|b| b.id() == id)
    }

    fn position(self) -> i32 {
        Self::ALL.iter().position(|&b| b == self).map_or(0, |i| i as i32)
    }
}

/// What an exercise asks before it shows its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// In which [`Band`] the parameters of `variant` fall, relative to `base`'s.
    Band { variant: &'static str, base: &'static str },
    /// The parameters of `variant` as a multiple of `base`'s, typed as a number.
    Ratio { variant: &'static str, base: &'static str },
    /// Which NiN block of the book's model computes the most (forward FLOPs per image).
    BusiestBlock,
}

/// The question of each exercise. Ex. 1, 3 and 5 ask for a band (is the change large?), ex. 2
/// and 6 for a number (how large?), ex. 4 for one of the book's blocks.
pub fn question(exercise: Exercise) -> Question {
    match exercise {
        Exercise::MlpDepth => Question::Band { variant: "mlp1", base: "book" },
        Exercise::MlpKernel => Question::Ratio { variant: "kernel3", base: "book" },
        Exercise::Head => Question::Band { variant: "fc_last_block", base: "book" },
        Exercise::Resources => Question::BusiestBlock,
        Exercise::Reduction => Question::Band { variant: "gradual", base: "book" },
        Exercise::Family => Question::Ratio { variant: "vgg11", base: "nin11" },
    }
}

/// Two variants' parameter counts at [`SIDE`], as the comparison table shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamsCompared {
    pub variant: &'static str,
    pub base: &'static str,
    pub params: u64,
    pub base_params: u64,
}

impl ParamsCompared {
    /// The variant's parameters as a multiple of the base's.
    pub fn ratio(&self) -> f64 {
        self.params as f64 / self.base_params.max(1) as f64
    }
}

/// One NiN block of the book's model at [`SIDE`], batch 1.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockCost {
    pub kind: LayerKind,
    /// 1-based, as the calculator's rows name it.
    pub index: usize,
    /// The block's output, batch 1.
    pub output: Vec<u64>,
    pub params: u64,
    pub flops: u64,
}

/// The computed answer of an exercise's question.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Band {
        band: Band,
        compared: ParamsCompared,
    },
    Ratio(ParamsCompared),
    BusiestBlock {
        blocks: Vec<BlockCost>,
        /// Forward FLOPs of the whole model per image (pools and the rest included).
        total_flops: u64,
    },
}

impl Answer {
    /// The block with the most FLOPs (for [`Answer::BusiestBlock`]).
    pub fn busiest(&self) -> Option<&BlockCost> {
        match self {
            Answer::BusiestBlock { blocks, .. } => blocks.iter().max_by_key(|b| b.flops),
            _ => None,
        }
    }

    /// The block with the most parameters (for [`Answer::BusiestBlock`]).
    pub fn heaviest(&self) -> Option<&BlockCost> {
        match self {
            Answer::BusiestBlock { blocks, .. } => blocks.iter().max_by_key(|b| b.params),
            _ => None,
        }
    }

    /// The parameter comparison of a band or ratio answer.
    pub fn compared(&self) -> Option<&ParamsCompared> {
        match self {
            Answer::Band { compared, .. } | Answer::Ratio(compared) => Some(compared),
            Answer::BusiestBlock { .. } => None,
        }
    }

    /// The answer as a machine-readable value (the feedback's `data-answer`): the band id, the
    /// ratio, or the busiest block's index.
    pub fn value(&self) -> String {
        match self {
            Answer::Band { band, .. } => band.id().to_string(),
            Answer::Ratio(c) => c.ratio().to_string(),
            Answer::BusiestBlock { .. } => self.busiest().map_or(String::new(), |b| b.index.to_string()),
        }
    }
}

fn params_of(exercise: Exercise, key: &str) -> Option<u64> {
    let variant = variants(exercise).into_iter().find(|v| v.key == key)?;
    costs(&variant.config, SIDE, 1, OptimizerKind::Sgd).ok().map(|c| c.params)
}

/// The answer of `exercise`'s question, from the same functions its cell uses. `None` only if a
/// variant could not be measured at [`SIDE`], which the tests rule out for every exercise.
pub fn answer(exercise: Exercise) -> Option<Answer> {
    let compare = |variant, base| Some(ParamsCompared { variant, base, params: params_of(exercise, variant)?, base_params: params_of(exercise, base)? });
    match question(exercise) {
        Question::Band { variant, base } => compare(variant, base).map(|c| Answer::Band { band: Band::of(c.ratio()), compared: c }),
        Question::Ratio { variant, base } => compare(variant, base).map(Answer::Ratio),
        Question::BusiestBlock => {
            let r = resources(&NinConfig::book(), SIDE, 1, OptimizerKind::Sgd).ok()?;
            let blocks: Vec<BlockCost> = r
                .rows
                .iter()
                .filter_map(|row| match row.kind {
                    Some(LayerKind::NinBlock { index, .. }) => {
                        Some(BlockCost { kind: row.kind.clone()?, index, output: row.output.clone(), params: row.params, flops: row.forward_flops })
                    }
                    _ => None,
                })
                .collect();
            (!blocks.is_empty()).then_some(Answer::BusiestBlock { blocks, total_flops: r.total.forward_flops })
        }
    }
}

/// A student's prediction, parsed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Guess {
    Band(Band),
    /// A multiple (> 0).
    Ratio(f64),
    /// A block's 1-based index.
    Block(usize),
}

/// Why a typed guess was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GuessError {
    #[error("nothing chosen or typed")]
    Empty,
    #[error("not a number")]
    NotANumber,
    #[error("not above zero")]
    NotPositive,
    #[error("not one of the options")]
    NotAnOption,
}

/// A typed multiple, read loosely: "2", "2.5", "2,5", "1,000", "×2.5", "2.5x", "2.5 倍",
/// "250 %" (= 2.5), full-width digits from a Japanese keyboard. It must be a finite number above 0.
pub fn parse_ratio(text: &str) -> Result<f64, GuessError> {
    // Full-width forms (U+FF01..U+FF5E) to ASCII, and the ideographic space to a space.
    let ascii: String = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect();
    let mut s = ascii.trim();
    if s.is_empty() {
        return Err(GuessError::Empty);
    }
    let percent = s.ends_with('%');
    s = s.trim_end_matches('%').trim();
    s = s.trim_start_matches(['×', 'x', 'X', '*']).trim_end_matches(['×', 'x', 'X', '倍']).trim();
    let number: String = if is_grouped(s) {
        s.replace(',', "")
    } else if s.matches(',').count() == 1 && !s.contains('.') {
        s.replace(',', ".")
    } else {
        s.to_string()
    };
    let value: f64 = number.parse().map_err(|_| GuessError::NotANumber)?;
    let value = if percent { value / 100.0 } else { value };
    if !value.is_finite() {
        Err(GuessError::NotANumber)
    } else if value <= 0.0 {
        Err(GuessError::NotPositive)
    } else {
        Ok(value)
    }
}

/// "1,000" or "12,345.5": digits grouped by threes with commas.
fn is_grouped(s: &str) -> bool {
    let whole = s.split('.').next().unwrap_or("");
    let groups: Vec<&str> = whole.split(',').collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups.iter().all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3)
}

/// Reads a saved or submitted guess for `question` (an option id, a block index, a number).
pub fn parse_guess(question: Question, text: &str) -> Result<Guess, GuessError> {
    let text = text.trim();
    match question {
        Question::Band { .. } if text.is_empty() => Err(GuessError::Empty),
        Question::Band { .. } => Band::from_id(text).map(Guess::Band).ok_or(GuessError::NotAnOption),
        Question::Ratio { .. } => parse_ratio(text).map(Guess::Ratio),
        Question::BusiestBlock if text.is_empty() => Err(GuessError::Empty),
        Question::BusiestBlock => text.parse().ok().filter(|&i| i >= 1).map(Guess::Block).ok_or(GuessError::NotAnOption),
    }
}

/// How far a guess was from the answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Closeness {
    /// Bands from the answer to the guess: positive when the guess was larger.
    Bands(i32),
    /// The guess divided by the answer.
    Factor(f64),
    /// The guessed block's FLOPs as a multiple of the busiest block's (1 when right).
    BlockShare { guessed: usize, share: f64 },
}

impl Closeness {
    /// For [`Closeness::Factor`]: by how many times the guess missed, either way (>= 1).
    pub fn off_by(self) -> f64 {
        match self {
            Closeness::Factor(f) if f > 0.0 => f.max(1.0 / f),
            _ => 1.0,
        }
    }
}

/// A guess judged against the answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub correct: bool,
    pub closeness: Closeness,
}

/// Judges `guess` against `answer`; `None` when the guess does not answer this kind of question
/// (e.g. a block index that the model does not have).
pub fn judge(answer: &Answer, guess: Guess) -> Option<Verdict> {
    match (answer, guess) {
        (Answer::Band { band, .. }, Guess::Band(g)) => Some(Verdict { correct: g == *band, closeness: Closeness::Bands(g.position() - band.position()) }),
        (Answer::Ratio(c), Guess::Ratio(g)) => {
            let closeness = Closeness::Factor(g / c.ratio());
            Some(Verdict { correct: closeness.off_by() <= RIGHT_WITHIN, closeness })
        }
        (Answer::BusiestBlock { blocks, .. }, Guess::Block(i)) => {
            let busiest = answer.busiest()?;
            let guessed = blocks.iter().find(|b| b.index == i)?;
            Some(Verdict {
                correct: guessed.index == busiest.index,
                closeness: Closeness::BlockShare { guessed: i, share: guessed.flops as f64 / busiest.flops.max(1) as f64 },
            })
        }
        _ => None,
    }
}

/// How the answer came to be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Revealed {
    /// The student gave a prediction and checked it.
    Checked,
    /// The student asked to see the answer without predicting.
    Skipped,
}

/// What the page keeps per exercise in localStorage: the guess as typed or chosen (kept while it
/// is being typed, so nothing is lost on a reload) and whether the answer was shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    #[serde(default)]
    pub guess: String,
    #[serde(default)]
    pub revealed: Option<Revealed>,
}

/// The localStorage key of `exercise`'s prediction.
pub fn storage_key(exercise: Exercise) -> String {
    format!("nin.predict.{}.v1", exercise.id())
}

/// Reads a saved prediction; `None` when it is not one (then it is replaced on the next save).
/// A guess saved as checked that no longer parses (an older page's) is shown as skipped.
pub fn parse_saved(exercise: Exercise, json: &str) -> Option<Saved> {
    let mut saved: Saved = serde_json::from_str(json).ok()?;
    saved.guess = saved.guess.chars().take(MAX_GUESS).collect();
    if saved.revealed == Some(Revealed::Checked) && parse_guess(question(exercise), &saved.guess).is_err() {
        saved.revealed = Some(Revealed::Skipped);
    }
    Some(saved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{VGG11, VGG16, VGG19};

    /// The book's NiN (written out in `exercises::tests`).
    const BOOK: u64 = 1_992_166;

    fn params(config: &NinConfig) -> u64 {
        costs(config, SIDE, 1, OptimizerKind::Sgd).unwrap().params
    }

    fn compared(exercise: Exercise) -> ParamsCompared {
        answer(exercise).and_then(|a| a.compared().cloned()).unwrap()
    }

    #[test]
    fn every_question_has_an_answer_of_its_kind_from_its_own_variants() {
        for exercise in Exercise::ALL {
            let answer = answer(exercise).unwrap_or_else(|| panic!("{exercise:?} has no answer"));
            match (question(exercise), &answer) {
                (Question::Band { variant, base }, Answer::Band { compared: c, .. }) | (Question::Ratio { variant, base }, Answer::Ratio(c)) => {
                    assert_eq!((c.variant, c.base), (variant, base));
                    let keys: Vec<_> = variants(exercise).iter().map(|v| v.key).collect();
                    assert!(keys.contains(&variant) && keys.contains(&base), "{exercise:?}: {keys:?}");
                }
                (Question::BusiestBlock, Answer::BusiestBlock { .. }) => {}
                (q, a) => panic!("{exercise:?}: {q:?} answered by {a:?}"),
            }
        }
    }

    /// Regression guard: an answer is the comparison table's own numbers (the same configs through
    /// the same `costs`), and equals the arithmetic written out in `exercises::tests`; a band is
    /// the band of that ratio. A hard-coded answer would fail here as soon as a config changed.
    #[test]
    fn answers_are_the_tables_numbers_and_the_written_out_arithmetic() {
        let by_key = |exercise, key| params(&variants(exercise).into_iter().find(|v| v.key == key).unwrap().config);
        for exercise in Exercise::ALL.into_iter().filter(|&e| e != Exercise::Resources) {
            let c = compared(exercise);
            assert_eq!(c.params, by_key(exercise, c.variant), "{exercise:?}");
            assert_eq!(c.base_params, by_key(exercise, c.base), "{exercise:?}");
            if let Some(Answer::Band { band, .. }) = answer(exercise) {
                assert_eq!(band, Band::of(c.params as f64 / c.base_params as f64));
            }
        }
        // 1. One 1x1 conv per block: 223,054 fewer, 0.888x: fewer, but more than half.
        assert_eq!(compared(Exercise::MlpDepth).params, BOOK - 223_054);
        assert_eq!(answer(Exercise::MlpDepth).unwrap().value(), "fewer");
        // 2. 3x3 inside the blocks: 3,556,928 more, 2.785x.
        let c2 = compared(Exercise::MlpKernel);
        assert_eq!((c2.params, c2.base_params), (BOOK + 3_556_928, BOOK));
        assert!((c2.ratio() - 2.785).abs() < 0.001, "{}", c2.ratio());
        // 3. A linear layer on the 10x5x5 map: 2,510 more, about the same.
        assert_eq!(compared(Exercise::Head).params, BOOK + 2_510);
        assert_eq!(answer(Exercise::Head).unwrap().value(), "same");
        // 5. Gradual 384 -> 128 -> 32 -> 10: 1.21x, more.
        assert_eq!(compared(Exercise::Reduction).params, BOOK - 34_790 + 446_954);
        assert_eq!(answer(Exercise::Reduction).unwrap().value(), "more");
        // 6. VGG-11 against its NiN member.
        let c6 = compared(Exercise::Family);
        assert_eq!((c6.params, c6.base_params), (params(&NinConfig::vgg(&VGG11, 10)), 5_158_822));
        assert!(c6.ratio() > 20.0 && c6.ratio() < 30.0, "{}", c6.ratio());
        // The other members are as far apart (the exercise's table shows them too).
        for layout in [&VGG16, &VGG19] {
            assert!(params(&NinConfig::vgg(layout, 10)) > 5 * params(&super::super::nin_from_vgg(layout)));
        }
    }

    #[test]
    fn the_busiest_block_is_the_calculators_row_with_the_most_flops() {
        let answer = answer(Exercise::Resources).unwrap();
        let Answer::BusiestBlock { blocks, total_flops } = &answer else { panic!("{answer:?}") };
        let r = resources(&NinConfig::book(), SIDE, 1, OptimizerKind::Sgd).unwrap();
        assert_eq!(*total_flops, r.total.forward_flops);
        let rows: Vec<_> = r.rows.iter().filter(|row| matches!(row.kind, Some(LayerKind::NinBlock { .. }))).collect();
        assert_eq!(blocks.len(), rows.len());
        let most = rows.iter().map(|row| row.forward_flops).max().unwrap();
        assert_eq!(answer.busiest().unwrap().flops, most);
        // Block 2 (a 5x5 conv on 26x26 maps) computes the most, block 3 (3x3, 384 wide, on
        // 12x12) holds the most weights: FLOPs follow the map's area, parameters do not.
        assert_eq!(answer.busiest().unwrap().index, 2);
        assert_eq!(answer.busiest().unwrap().output, vec![1, 256, 26, 26]);
        assert_eq!(answer.heaviest().unwrap().index, 3);
        assert_eq!(answer.heaviest().unwrap().params, 3 * 3 * 256 * 384 + 384 + 2 * (384 * 384 + 384));
        assert_eq!(answer.value(), "2");
        assert!(answer.busiest().unwrap().flops * 2 > *total_flops, "more than half of the model's FLOPs");
    }

    #[test]
    fn bands_cover_every_ratio_and_a_limit_belongs_to_the_band_nearer_one() {
        let cases = [(0.1, Band::UnderHalf), (0.5, Band::Fewer), (0.888, Band::Fewer), (0.95, Band::Same), (1.0, Band::Same), (1.05, Band::Same)];
        for (ratio, band) in cases.into_iter().chain([(1.06, Band::More), (2.0, Band::More), (2.01, Band::OverTwice), (64.0, Band::OverTwice)]) {
            assert_eq!(Band::of(ratio), band, "{ratio}");
        }
        for band in Band::ALL {
            assert_eq!(Band::from_id(band.id()), Some(band));
        }
    }

    #[test]
    fn typed_ratios_are_read_loosely_and_non_numbers_refused() {
        for (text, value) in [
            ("2", 2.0),
            (" 2.5 ", 2.5),
            ("2,5", 2.5),
            ("1,000", 1000.0),
            ("12,345.5", 12345.5),
            ("×2.5", 2.5),
            ("2.5x", 2.5),
            ("2.5 ×", 2.5),
            ("2.5倍", 2.5),
            ("250 %", 2.5),
            ("２．５", 2.5),
            ("0.9", 0.9),
        ] {
            assert_eq!(parse_ratio(text), Ok(value), "{text:?}");
        }
        assert_eq!(parse_ratio("  "), Err(GuessError::Empty));
        assert_eq!(parse_ratio("two"), Err(GuessError::NotANumber));
        assert_eq!(parse_ratio("1,2,3"), Err(GuessError::NotANumber));
        assert_eq!(parse_ratio("inf"), Err(GuessError::NotANumber));
        assert_eq!(parse_ratio("NaN"), Err(GuessError::NotANumber));
        assert_eq!(parse_ratio("0"), Err(GuessError::NotPositive));
        assert_eq!(parse_ratio("-2"), Err(GuessError::NotPositive));
        let band = question(Exercise::MlpDepth);
        assert_eq!(parse_guess(band, "fewer"), Ok(Guess::Band(Band::Fewer)));
        assert_eq!(parse_guess(band, ""), Err(GuessError::Empty));
        assert_eq!(parse_guess(band, "lots"), Err(GuessError::NotAnOption));
        assert_eq!(parse_guess(Question::BusiestBlock, "3"), Ok(Guess::Block(3)));
        assert_eq!(parse_guess(Question::BusiestBlock, "0"), Err(GuessError::NotAnOption));
    }

    #[test]
    fn a_verdict_says_how_far_the_guess_was() {
        // Ratio: 2 for 2.785 misses by a factor of 1.39; 2.7 is within 1.1, right.
        let a2 = answer(Exercise::MlpKernel).unwrap();
        let v = judge(&a2, Guess::Ratio(2.0)).unwrap();
        assert!(!v.correct);
        assert!((v.closeness.off_by() - 2.785 / 2.0).abs() < 0.001, "{v:?}");
        assert!(judge(&a2, Guess::Ratio(2.7)).unwrap().correct);
        assert!(judge(&a2, Guess::Ratio(3.0)).unwrap().correct);
        // Too large by the same factor is as far as too small.
        let c = a2.compared().unwrap().ratio();
        let (low, high) = (judge(&a2, Guess::Ratio(c / 2.0)).unwrap(), judge(&a2, Guess::Ratio(c * 2.0)).unwrap());
        assert!((low.closeness.off_by() - 2.0).abs() < 1e-9 && (high.closeness.off_by() - 2.0).abs() < 1e-9);
        // Bands: "about the same" is one band above "fewer".
        let a1 = answer(Exercise::MlpDepth).unwrap();
        assert_eq!(judge(&a1, Guess::Band(Band::Same)), Some(Verdict { correct: false, closeness: Closeness::Bands(1) }));
        assert_eq!(judge(&a1, Guess::Band(Band::UnderHalf)), Some(Verdict { correct: false, closeness: Closeness::Bands(-1) }));
        assert_eq!(judge(&a1, Guess::Band(Band::Fewer)), Some(Verdict { correct: true, closeness: Closeness::Bands(0) }));
        // Blocks: block 3 computes a third of block 2's FLOPs.
        let a4 = answer(Exercise::Resources).unwrap();
        let v = judge(&a4, Guess::Block(3)).unwrap();
        let Closeness::BlockShare { guessed: 3, share } = v.closeness else { panic!("{v:?}") };
        assert!(!v.correct && share > 0.3 && share < 0.4, "{share}");
        assert!(judge(&a4, Guess::Block(2)).unwrap().correct);
        assert_eq!(judge(&a4, Guess::Block(9)), None);
        // A guess of another kind does not answer the question.
        assert_eq!(judge(&a1, Guess::Ratio(1.0)), None);
    }

    #[test]
    fn saved_predictions_round_trip_and_damaged_ones_are_dropped() {
        let saved = Saved { guess: "2,5".into(), revealed: Some(Revealed::Checked) };
        let json = serde_json::to_string(&saved).unwrap();
        assert_eq!(json, r#"{"guess":"2,5","revealed":"checked"}"#);
        assert_eq!(parse_saved(Exercise::MlpKernel, &json), Some(saved));
        // Typed but not yet checked: the text is kept.
        assert_eq!(parse_saved(Exercise::Family, r#"{"guess":"3"}"#), Some(Saved { guess: "3".into(), revealed: None }));
        assert_eq!(parse_saved(Exercise::Head, "not json"), None);
        assert_eq!(parse_saved(Exercise::Head, r#"{"guess":5}"#), None);
        // "Checked" with a guess this question cannot read is shown as skipped.
        let odd = parse_saved(Exercise::MlpDepth, r#"{"guess":"2.5","revealed":"checked"}"#).unwrap();
        assert_eq!(odd.revealed, Some(Revealed::Skipped));
        let long = parse_saved(Exercise::MlpKernel, &format!(r#"{{"guess":"{}"}}"#, "9".repeat(100))).unwrap();
        assert_eq!(long.guess.len(), MAX_GUESS);
        assert_eq!(storage_key(Exercise::Head), "nin.predict.ex3.v1");
    }
}
