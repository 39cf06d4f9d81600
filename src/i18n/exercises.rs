//! Strings of the exercise cells (the tables; their values are in `en.rs` and `ja.rs`) and the
//! sentences written from results (thin wrappers of [`super::Messages`]).

use super::Lang;

#[derive(Debug)]
pub struct ExUi {
    pub exercise: &'static str,
    pub compare_title: &'static str,
    pub resources_title: &'static str,
    pub side: &'static str,
    pub batch: &'static str,
    pub optimizer: &'static str,
    pub model: &'static str,
    pub params: &'static str,
    pub flops_per_image: &'static str,
    pub body_output: &'static str,
    pub train_memory: &'static str,
    pub infer_memory: &'static str,
    pub layer: &'static str,
    pub output: &'static str,
    /// One column: a parameter's gradient takes exactly its weight's bytes.
    pub weights_grads: &'static str,
    pub opt_state: &'static str,
    pub activations: &'static str,
    pub forward_flops: &'static str,
    pub total: &'static str,
    pub formulas: &'static str,
    pub formula_params: &'static str,
    pub formula_flops: &'static str,
    pub formula_train: &'static str,
    pub formula_infer: &'static str,
    pub training_flops: &'static str,
    pub training_memory: &'static str,
    /// The two training totals (see `analysis::memory`).
    pub training_minimal: &'static str,
    pub training_burn: &'static str,
    pub kept_minimal: &'static str,
    pub kept_burn: &'static str,
    pub conventions: &'static str,
    pub measure_step: &'static str,
    pub measuring: &'static str,
    pub measure_gpu: &'static str,
    pub input_batch: &'static str,
    pub inference_memory: &'static str,
    pub fits: &'static str,
    pub not_fits_buffer: &'static str,
    pub not_fits_memory: &'static str,
    pub module_check: &'static str,
    pub what_it_shows: &'static str,
    pub train_note: &'static str,
    pub family_definition: &'static str,
    pub gradual_definition: &'static str,
    pub head_note: &'static str,
    pub widths_title: &'static str,
    pub channels: &'static str,
    pub train_variant: &'static str,
    pub training_model: &'static str,
    pub reset_model: &'static str,
    pub share: &'static str,
    pub share_hint: &'static str,
    pub share_notice: &'static str,
}

#[derive(Debug)]
pub struct RunsUi {
    pub title: &'static str,
    pub intro: &'static str,
    pub empty: &'static str,
    pub chart_label: &'static str,
    pub chart_caption: &'static str,
    pub name: &'static str,
    pub settings: &'static str,
    pub val_acc: &'static str,
    pub test_acc: &'static str,
    pub speed: &'static str,
    pub delete: &'static str,
    pub stopped: &'static str,
}

/// Why a part of a shared link was ignored.
pub fn ignored_reason(lang: Lang, reason: crate::exercises::share::IgnoredReason) -> &'static str {
    lang.msg().ignored_reason(reason)
}

/// The measured growth of the CPU worker's memory over one training step, beside the figure.
pub fn measured_step(lang: Lang, grown: u64, figure: u64, batch: usize, side: usize) -> String {
    lang.msg().measured_step(grown, figure, batch, side)
}

/// The label of a variant key.
pub fn variant_label(lang: Lang, key: &str) -> &'static str {
    lang.msg().variant_label(key)
}

/// What reading the stored run board left out, as one sentence (`None`: nothing).
pub fn runs_dropped(lang: Lang, d: &crate::training::board::Dropped) -> Option<String> {
    lang.msg().runs_dropped(d)
}

/// The run board's summary, written from the runs' measurements: the best validation
/// accuracy, the best test accuracy and the fastest run. `runs` are (name, best val, test,
/// images/s).
pub fn runs_summary(lang: Lang, runs: &[(String, f64, Option<f64>, f64)]) -> Vec<String> {
    let m = lang.msg();
    let mut out = Vec::new();
    let best_val = runs.iter().filter(|r| r.1.is_finite()).max_by(|a, b| a.1.total_cmp(&b.1));
    let best_test = runs.iter().filter_map(|r| r.2.map(|t| (r, t))).max_by(|a, b| a.1.total_cmp(&b.1));
    let fastest = runs.iter().filter(|r| r.3 > 0.0).max_by(|a, b| a.3.total_cmp(&b.3));
    let slowest = runs.iter().filter(|r| r.3 > 0.0).min_by(|a, b| a.3.total_cmp(&b.3));
    if let Some(r) = best_val {
        out.push(m.best_val_sentence(&r.0, r.1));
    }
    if let Some((r, t)) = best_test {
        out.push(m.best_test_sentence(&r.0, t));
    }
    if let (Some(f), Some(s)) = (fastest, slowest)
        && runs.len() > 1
        && f.3 > 0.0
        && s.3 > 0.0
    {
        out.push(m.fastest_sentence(&f.0, f.3, f.3 / s.3, &s.0));
    }
    out
}

/// One sentence from measured numbers: how a variant compares with `base`, as ratios that say
/// what they are of ("0.89× Book's NiN (223,054 fewer)"), never percentages of percentages.
pub fn compare_sentence(lang: Lang, label: &str, base: &str, params: u64, base_params: u64, flops_ratio: f64, memory_ratio: f64) -> String {
    lang.msg().compare_sentence(label, base, params, base_params, flops_ratio, memory_ratio)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::en::EX as EN;
    use crate::i18n::en::RUNS as RUNS_EN;
    use crate::i18n::ja::EX as JA;
    use crate::i18n::ja::RUNS as RUNS_JA;

    #[test]
    fn tables_complete_labels_and_sentences_in_both_languages() {
        crate::i18n::assert_translated(&EN, &JA);
        for key in ["book", "mlp1", "mlp3", "kernel3", "fc_last_block", "fc_no_last_block", "gradual"] {
            assert_ne!(variant_label(Lang::En, key), variant_label(Lang::Ja, key));
            assert_ne!(variant_label(Lang::En, key), "Variant", "{key}");
        }
        crate::i18n::assert_translated(&RUNS_EN, &RUNS_JA);
        // Exercise 4's note prints its bytes as the calculator does (MiB), not as "MB".
        use crate::analysis::{InputShape, memory};
        let ours = memory::training(&crate::model::NinConfig::book(), InputShape::new(128, 1, 224, 224), 0, memory::Convention::Minimal).unwrap();
        for text in [EN.conventions, JA.conventions] {
            assert!(!text.contains(" MB"), "{text}");
            assert!(text.contains(&crate::format::bytes(ours.saved_for_backward())), "{text}");
            assert!(text.contains(&crate::format::bytes(982_774_788)), "PyTorch's measured bytes: {text}");
        }
        use crate::training::board::Dropped;
        assert_eq!(runs_dropped(Lang::En, &Dropped::default()), None);
        let d = Dropped { older: 6, broken: 500_000, points: 35_000, too_large: None };
        assert_eq!(
            runs_dropped(Lang::En, &d).unwrap(),
            "Reading the saved run board left out 6 older runs beyond the board's limit; 500,000 saved entries that were not runs the board can draw; 35,000 curve points (a run keeps at most 10,000 per curve, evenly spaced)."
        );
        assert!(runs_dropped(Lang::Ja, &d).unwrap().contains("500,000 件"));
        let big = Dropped { too_large: Some(7 << 20), ..Dropped::default() };
        assert!(runs_dropped(Lang::En, &big).unwrap().contains("7.00 MiB, more than the 5.00 MiB"));
        assert!(runs_dropped(Lang::Ja, &big).unwrap().contains("7.00 MiB"));
        let runs = vec![("a".to_string(), 0.4, Some(0.38), 10.0), ("b".to_string(), 0.6, None, 20.0)];
        let summary = runs_summary(Lang::En, &runs);
        assert_eq!(
            summary,
            ["Highest validation accuracy: b (60.0 %).", "Highest test accuracy: a (38.0 %).", "Fastest: b at 20.0 images/s, 2.0× the slowest (a)."]
        );
        assert_eq!(runs_summary(Lang::Ja, &runs).len(), 3);
        assert!(runs_summary(Lang::En, &[]).is_empty());
        // Regression (issue 27): the findings read "+6365.6 %"; now ratios with what they are of.
        let s = compare_sentence(Lang::En, "A", "B", 1_769_112, 1_992_166, 0.5, 1.0);
        assert_eq!(s, "A: 1.77 M parameters, 0.89× B (223,054 fewer); FLOPs per image 0.50×, training memory 1.00×.");
        let s = compare_sentence(Lang::Ja, "A", "B", 128_806_154, 1_992_166, 64.66, 1.0);
        assert_eq!(s, "A：パラメータ 1.29 億個で B の 64.7 倍（126,813,988 個多い）。画像 1 枚あたりの FLOPs は 64.7 倍、訓練時メモリは 1.00 倍。");
        assert!(!s.contains('%'));
    }
}
