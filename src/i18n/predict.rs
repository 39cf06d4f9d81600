//! The exercises' "predict, then reveal" texts (issue 27): the table each language fills is
//! declared here (its values are in `en/predict.rs` and `ja/predict.rs`), and the sentences
//! written from an answer and a guess, in both languages.

use super::Lang;
pub use super::numbers::{count, guess_number, params_clause, ratio, times};
use super::{en, ja};
use crate::exercises::Exercise;
use crate::exercises::predict::{Answer, Band, BlockCost, Closeness, Guess, GuessError, Verdict};
use crate::format;

/// Fixed strings of the prediction step of every exercise.
#[derive(Debug)]
pub struct PredictUi {
    /// Marks the option the student chose, once the answer is shown.
    pub your_guess: &'static str,
    /// Marks the right option, once the answer is shown.
    pub the_answer: &'static str,
    /// Above the question: what to do.
    pub predict_first: &'static str,
    pub check: &'static str,
    pub skip: &'static str,
    /// Hides the answer again (the guess stays).
    pub again: &'static str,
    /// Under the number field.
    pub number_hint: &'static str,
    pub right: &'static str,
    pub not_quite: &'static str,
    pub skipped: &'static str,
    /// The answer was opened by a share link.
    pub shared: &'static str,
    pub choose_first: &'static str,
    pub type_first: &'static str,
    pub not_a_number: &'static str,
    pub not_positive: &'static str,
    /// The five bands of a parameter ratio ([`Band`]), each with its limits.
    pub band_under_half: &'static str,
    pub band_fewer: &'static str,
    pub band_same: &'static str,
    pub band_more: &'static str,
    pub band_over_twice: &'static str,
    /// The question of each exercise, in order.
    pub questions: [&'static str; 6],
    /// What exercises 1, 2, 3, 5 and 6's answer means (exercise 4's is written from its numbers).
    pub meaning_mlp_depth: &'static str,
    pub meaning_mlp_kernel: &'static str,
    pub meaning_head: &'static str,
    pub meaning_reduction: &'static str,
    pub meaning_family: &'static str,
}

impl Lang {
    pub fn predict(self) -> &'static PredictUi {
        match self {
            Lang::En => &en::predict::PREDICT,
            Lang::Ja => &ja::predict::PREDICT,
        }
    }
}

/// The label of a band option.
pub fn band_label(lang: Lang, band: Band) -> &'static str {
    let t = lang.predict();
    match band {
        Band::UnderHalf => t.band_under_half,
        Band::Fewer => t.band_fewer,
        Band::Same => t.band_same,
        Band::More => t.band_more,
        Band::OverTwice => t.band_over_twice,
    }
}

/// The question of `exercise`.
pub fn question(lang: Lang, exercise: Exercise) -> &'static str {
    lang.predict().questions[exercise.number().saturating_sub(1).min(5)]
}

/// Exercise 4's option for a block: its label as the summary writes it and its output.
pub fn block_option(lang: Lang, block: &BlockCost) -> String {
    let out = block.output.iter().skip(1).map(|d| d.to_string()).collect::<Vec<_>>().join("×");
    format!("{} → {out}", lang.msg().layer_label(&block.kind))
}

/// Why a guess was not taken, as a sentence (`typed`: the question asks for a number).
pub fn guess_error(lang: Lang, e: GuessError, typed: bool) -> &'static str {
    let t = lang.predict();
    match e {
        GuessError::Empty if typed => t.type_first,
        GuessError::Empty | GuessError::NotAnOption => t.choose_first,
        GuessError::NotANumber => t.not_a_number,
        GuessError::NotPositive => t.not_positive,
    }
}

/// The answer, stated from its numbers: "One 1×1 conv per block: 1.77 M parameters, 0.89× Book's
/// NiN (223,054 fewer)." or "Block 2 computes the most: 1.01 GFLOPs of the model's 1.53 GFLOPs
/// per image."
pub fn statement(lang: Lang, answer: &Answer) -> String {
    let m = lang.msg();
    match answer {
        Answer::Band { compared: c, .. } | Answer::Ratio(c) => {
            let (label, base) = (m.variant_label(c.variant), m.variant_label(c.base));
            match lang {
                Lang::En => format!("{label}: {}.", params_clause(lang, c.params, base, c.base_params)),
                Lang::Ja => format!("{label}：{}。", params_clause(lang, c.params, base, c.base_params)),
            }
        }
        Answer::BusiestBlock { total_flops, .. } => {
            let Some(b) = answer.busiest() else { return String::new() };
            let (flops, total) = (format::flops(b.flops), format::flops(*total_flops));
            match lang {
                Lang::En => format!("Block {} computes the most: {flops} of the model's {total} per image.", b.index),
                Lang::Ja => format!("最も計算量が多いのはブロック {} で、モデル全体の画像 1 枚あたり {total} のうち {flops} です。", b.index),
            }
        }
    }
}

/// How the guess compares with the answer, as the feedback's first sentence.
pub fn verdict(lang: Lang, answer: &Answer, guess: Guess, verdict: Verdict) -> String {
    let t = lang.predict();
    let lead = if verdict.correct { t.right } else { t.not_quite };
    let detail = match (answer, guess, verdict.closeness) {
        (Answer::Band { band, .. }, Guess::Band(g), Closeness::Bands(n)) => {
            let (g, a) = (band_label(lang, g), band_label(lang, *band));
            match (lang, n) {
                (Lang::En, 0) => format!("“{a}”."),
                (Lang::En, n) => {
                    let (count, dir) = (n.unsigned_abs(), if n > 0 { "above" } else { "below" });
                    format!("you chose “{g}”, {count} band{} {dir} the answer, “{a}”.", if count == 1 { "" } else { "s" })
                }
                (Lang::Ja, 0) => format!("「{a}」です。"),
                (Lang::Ja, n) => {
                    let dir = if n > 0 { "多い" } else { "少ない" };
                    format!("予想「{g}」は、答え「{a}」より {} 段階{dir}側です。", n.unsigned_abs())
                }
            }
        }
        (Answer::Ratio(c), Guess::Ratio(g), closeness) => {
            let (g, a, off) = (guess_number(g), ratio(c.ratio()), ratio(closeness.off_by()));
            let low = matches!(closeness, Closeness::Factor(f) if f < 1.0);
            match (lang, verdict.correct) {
                (Lang::En, true) => format!("your guess {g}× is within a factor of {off} of the answer, {a}×."),
                (Lang::En, false) => format!("your guess {g}×, the answer {a}×: too {} by a factor of {off}.", if low { "low" } else { "high" }),
                (Lang::Ja, true) => format!("予想 {g} 倍は、答え {a} 倍とのずれが {off} 倍以内です。"),
                (Lang::Ja, false) if low => format!("予想 {g} 倍に対して答えは {a} 倍で、予想は答えの {off} 分の 1 でした。"),
                (Lang::Ja, false) => format!("予想 {g} 倍に対して答えは {a} 倍で、予想は答えの {off} 倍でした。"),
            }
        }
        (Answer::BusiestBlock { blocks, .. }, Guess::Block(i), Closeness::BlockShare { share, .. }) => {
            let (Some(busiest), Some(guessed)) = (answer.busiest(), blocks.iter().find(|b| b.index == i)) else { return lead.to_string() };
            let (fg, fb) = (format::flops(guessed.flops), format::flops(busiest.flops));
            match (lang, verdict.correct) {
                (Lang::En, true) => format!("block {}.", busiest.index),
                (Lang::En, false) => format!("you chose block {i}, which computes {fg} per image, {} block {}'s {fb}.", times(lang, share), busiest.index),
                (Lang::Ja, true) => format!("ブロック {} です。", busiest.index),
                (Lang::Ja, false) => {
                    format!("予想したブロック {i} の計算量は画像 1 枚あたり {fg} で、ブロック {} の {fb} の {} です。", busiest.index, times(lang, share))
                }
            }
        }
        _ => return lead.to_string(),
    };
    match lang {
        Lang::En => format!("{lead} {detail}"),
        Lang::Ja => format!("{lead}{detail}"),
    }
}

/// What the answer means (a sentence or two after the statement).
pub fn meaning(lang: Lang, exercise: Exercise, answer: &Answer) -> String {
    let t = lang.predict();
    match exercise {
        Exercise::MlpDepth => t.meaning_mlp_depth.into(),
        Exercise::MlpKernel => t.meaning_mlp_kernel.into(),
        Exercise::Head => t.meaning_head.into(),
        Exercise::Reduction => t.meaning_reduction.into(),
        Exercise::Family => t.meaning_family.into(),
        Exercise::Resources => {
            let (Some(busy), Some(heavy)) = (answer.busiest(), answer.heaviest()) else { return String::new() };
            let side = |b: &BlockCost| b.output.get(2..4).map(|hw| format!("{}×{}", hw[0], hw[1])).unwrap_or_default();
            let kernel = |b: &BlockCost| match b.kind {
                crate::analysis::LayerKind::NinBlock { kernel, .. } => format!("{kernel}×{kernel}"),
                _ => String::new(),
            };
            let share = heavy.params as f64 / busy.params.max(1) as f64;
            match lang {
                Lang::En if busy.index == heavy.index => format!(
                    "Block {} also holds the most weights ({} parameters): it applies a {} convolution to {} maps.",
                    busy.index,
                    format::grouped(busy.params),
                    kernel(busy),
                    side(busy)
                ),
                Lang::En => format!(
                    "The most weights are in block {} ({} parameters, {} block {}'s), but it works on {} maps, while block {} applies its {} convolution to {} maps: a convolution's computation grows with the area of its output, its weights do not.",
                    heavy.index,
                    format::grouped(heavy.params),
                    times(lang, share),
                    busy.index,
                    side(heavy),
                    busy.index,
                    kernel(busy),
                    side(busy)
                ),
                Lang::Ja if busy.index == heavy.index => format!(
                    "ブロック {} は重みも最も多く（パラメータ {} 個）、{} の畳み込みを {} のマップに適用します。",
                    busy.index,
                    format::grouped(busy.params),
                    kernel(busy),
                    side(busy)
                ),
                Lang::Ja => format!(
                    "重みが最も多いのはブロック {}（パラメータ {} 個、ブロック {} の {}）ですが、そのマップは {} です。ブロック {} は {} の畳み込みを {} のマップに適用します。畳み込みの計算量は出力の面積に比例して増えますが、重みの数は増えません。",
                    heavy.index,
                    format::grouped(heavy.params),
                    busy.index,
                    times(lang, share),
                    side(heavy),
                    busy.index,
                    kernel(busy),
                    side(busy)
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::predict::{self, judge};

    #[test]
    fn both_tables_are_complete_and_differ() {
        crate::i18n::assert_translated(&en::predict::PREDICT, &ja::predict::PREDICT);
    }

    #[test]
    fn numbers_are_written_as_ratios_and_counts() {
        assert_eq!(ratio(0.888), "0.89");
        assert_eq!(ratio(2.785), "2.79");
        assert_eq!(ratio(24.968), "25.0");
        assert_eq!(ratio(99.96), "100");
        assert_eq!(ratio(1234.4), "1,234");
        assert_eq!(guess_number(2.0), "2");
        assert_eq!(guess_number(2.5), "2.5");
        assert_eq!(count(Lang::En, 1_769_112), "1.77 M");
        assert_eq!(count(Lang::En, 128_806_154), "129 M");
        assert_eq!(count(Lang::En, 34_790), "34,790");
        assert_eq!(count(Lang::Ja, 1_769_112), "177 万");
        assert_eq!(count(Lang::Ja, 128_806_154), "1.29 億");
        assert_eq!(count(Lang::Ja, 2_510), "2,510");
        assert_eq!(params_clause(Lang::En, 1_994_676, "B", 1_992_166), "1.99 M parameters, 1.00× B (2,510 more)");
        assert_eq!(params_clause(Lang::Ja, 1_769_112, "B", 1_992_166), "パラメータ 177 万個で B の 0.89 倍（223,054 個少ない）");
        assert_eq!(params_clause(Lang::Ja, 1_769_112, "本の模型", 1_992_166), "パラメータ 177 万個で本の模型の 0.89 倍（223,054 個少ない）");
        assert_eq!(params_clause(Lang::En, 5, "B", 5), "5 parameters, as many as B");
    }

    /// Every band label states its limits, as [`Band::LIMITS`] has them.
    #[test]
    fn band_labels_name_their_limits() {
        let [half, fewer, same, twice] = Band::LIMITS.map(|l| l.to_string());
        for lang in Lang::ALL {
            let t = lang.predict();
            assert!(t.band_under_half.contains(&half), "{}", t.band_under_half);
            assert!(t.band_fewer.contains(&half) && t.band_fewer.contains(&fewer), "{}", t.band_fewer);
            assert!(t.band_same.contains(&fewer) && t.band_same.contains(&same), "{}", t.band_same);
            assert!(t.band_more.contains(&same) && t.band_more.contains(&twice), "{}", t.band_more);
            assert!(t.band_over_twice.contains(&twice), "{}", t.band_over_twice);
        }
    }

    #[test]
    fn feedback_states_the_answer_and_how_close_the_guess_was() {
        let a1 = predict::answer(Exercise::MlpDepth).unwrap();
        assert_eq!(statement(Lang::En, &a1), "One 1×1 conv per block: 1.77 M parameters, 0.89× Book's NiN (223,054 fewer).");
        assert_eq!(statement(Lang::Ja, &a1), "ブロックごとに 1×1 畳み込み 1 個：パラメータ 177 万個で本の NiN の 0.89 倍（223,054 個少ない）。");
        let v = judge(&a1, Guess::Band(Band::Same)).unwrap();
        assert_eq!(
            verdict(Lang::En, &a1, Guess::Band(Band::Same), v),
            format!("Not quite: you chose “{}”, 1 band above the answer, “{}”.", Lang::En.predict().band_same, Lang::En.predict().band_fewer)
        );
        assert_eq!(
            verdict(Lang::Ja, &a1, Guess::Band(Band::Same), v),
            "不正解：予想「ほぼ同じ（0.95 倍〜1.05 倍）」は、答え「少ないが半分以上（0.5 倍〜0.95 倍）」より 1 段階多い側です。"
        );
        assert!(verdict(Lang::Ja, &a1, Guess::Band(Band::OverTwice), judge(&a1, Guess::Band(Band::OverTwice)).unwrap()).contains("3 段階多い側"));
        let a2 = predict::answer(Exercise::MlpKernel).unwrap();
        let v = judge(&a2, Guess::Ratio(2.0)).unwrap();
        assert_eq!(verdict(Lang::En, &a2, Guess::Ratio(2.0), v), "Not quite: your guess 2×, the answer 2.79×: too low by a factor of 1.39.");
        assert!(verdict(Lang::Ja, &a2, Guess::Ratio(2.0), v).contains("1.39 分の 1"));
        let v = judge(&a2, Guess::Ratio(2.7)).unwrap();
        assert_eq!(verdict(Lang::En, &a2, Guess::Ratio(2.7), v), "Right: your guess 2.7× is within a factor of 1.03 of the answer, 2.79×.");
        let a4 = predict::answer(Exercise::Resources).unwrap();
        assert_eq!(statement(Lang::En, &a4), "Block 2 computes the most: 1.01 GFLOPs of the model's 1.53 GFLOPs per image.");
        let v = judge(&a4, Guess::Block(3)).unwrap();
        assert_eq!(
            verdict(Lang::En, &a4, Guess::Block(3), v),
            "Not quite: you chose block 3, which computes 340.07 MFLOPs per image, 0.34× block 2's 1.01 GFLOPs."
        );
        let m = meaning(Lang::En, Exercise::Resources, &a4);
        assert!(m.contains("block 3 (1,180,800 parameters, 1.58× block 2's)") && m.contains("5×5 convolution to 26×26 maps"), "{m}");
        assert!(meaning(Lang::Ja, Exercise::Resources, &a4).contains("26×26"));
        let option = block_option(Lang::En, a4.busiest().unwrap());
        assert_eq!(option, "NiN block 2: 5×5 conv, stride 1, pad 2 + 2 × 1×1 conv → 256×26×26");
        // No percentages anywhere in the findings.
        for lang in Lang::ALL {
            for e in Exercise::ALL {
                let a = predict::answer(e).unwrap();
                for text in [statement(lang, &a), meaning(lang, e, &a), question(lang, e).to_string()] {
                    assert!(!text.contains('%') && !text.is_empty(), "{text}");
                }
            }
        }
    }

    /// The meanings' fixed numbers are the model's own.
    #[test]
    fn meanings_quote_the_models_numbers() {
        use crate::exercises::{self, costs};
        use crate::training::OptimizerKind;
        let book = costs(&crate::model::NinConfig::book(), predict::SIDE, 1, OptimizerKind::Sgd).unwrap();
        let values: u64 = book.body_output.iter().product();
        let map = book.body_output[1..].iter().map(|d| d.to_string()).collect::<Vec<_>>().join("×");
        for lang in Lang::ALL {
            let head = lang.predict().meaning_head;
            assert!(head.contains(&format!("{map} = {values}")), "{head}");
            let family = lang.predict().meaning_family;
            let vgg = costs(&crate::model::NinConfig::vgg(&crate::model::VGG11, 10), predict::SIDE, 1, OptimizerKind::Sgd).unwrap();
            let last = vgg.body_output[1..].iter().map(|d| d.to_string()).collect::<Vec<_>>().join("×");
            assert!(family.contains(&last), "{family} / {last}");
        }
        let gradual = exercises::gradual_reduction();
        let Some(crate::model::StageConfig::Block(last)) = gradual.stages.last() else { panic!() };
        for lang in Lang::ALL {
            assert!(lang.predict().meaning_reduction.contains(&format!("9·384·{}", last.channels[0])));
        }
    }
}
