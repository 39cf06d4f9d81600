//! Strings of the "try it yourself" cell (the table; its values are in `en.rs` and `ja.rs`).

use crate::data::sketch::SketchError;

use super::Lang;

#[derive(Debug)]
pub struct TryUi {
    pub title: &'static str,
    pub intro: &'static str,
    pub need_model: &'static str,
    pub canvas_label: &'static str,
    pub clear: &'static str,
    pub upload: &'static str,
    pub test_image: &'static str,
    pub classify: &'static str,
    pub working: &'static str,
    pub input_title: &'static str,
    pub inverted: &'static str,
    pub probabilities: &'static str,
    pub maps_title: &'static str,
    pub maps_note: &'static str,
    pub block: &'static str,
    pub channel: &'static str,
    pub model_from: &'static str,
    pub truth: &'static str,
}

pub fn sketch_error(lang: Lang, e: &SketchError) -> String {
    lang.msg().sketch_error(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::en::TRY as EN;
    use crate::i18n::ja::TRY as JA;

    #[test]
    fn both_tables_are_complete_and_differ() {
        crate::i18n::assert_translated(&EN, &JA);
        for e in [SketchError::Blank, SketchError::Empty { width: 0, height: 1 }] {
            assert_ne!(sketch_error(Lang::En, &e), sketch_error(Lang::Ja, &e));
        }
    }
}
