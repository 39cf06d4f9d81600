//! The code cell's texts (issue 28): the table each language fills, and the sentences for the
//! program's errors and for nets the training cell cannot train.

use super::Lang;
use super::{en, ja};
use crate::model::from_code::NotTrainable;

/// Fixed strings of the code cell.
#[derive(Debug)]
pub struct CodeUi {
    pub title: &'static str,
    pub note: &'static str,
    pub editor_label: &'static str,
    pub run: &'static str,
    pub running: &'static str,
    pub reset: &'static str,
    pub train: &'static str,
    pub col_layer: &'static str,
    pub col_shape: &'static str,
    pub col_line: &'static str,
    pub params: &'static str,
    pub supported: &'static str,
    pub default_input: &'static str,
    pub sent_to_training: &'static str,
    pub kept: &'static str,
    pub open_in_editor: &'static str,
    pub on_gpu: &'static str,
    pub on_cpu: &'static str,
}

impl Lang {
    pub fn code_cell(self) -> &'static CodeUi {
        match self {
            Lang::En => &en::CODE,
            Lang::Ja => &ja::CODE,
        }
    }
}

/// "line 3, column 9: <layer>: <what>" for one program error.
pub fn code_error(lang: Lang, e: &nin_code::CodeError) -> String {
    match lang {
        Lang::En => en::code::error(e),
        Lang::Ja => ja::code::error(e),
    }
}

/// Why an edited net cannot be trained by the training cell.
pub fn not_trainable(lang: Lang, why: &NotTrainable) -> String {
    match lang {
        Lang::En => en::code::not_trainable(why),
        Lang::Ja => ja::code::not_trainable(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_fill_the_table_and_place_errors() {
        super::super::assert_translated(&en::CODE, &ja::CODE);
        let e = nin_code::analyze("def f(:\n").unwrap_err();
        assert!(code_error(Lang::En, &e).starts_with("line 1, column 6"), "{}", code_error(Lang::En, &e));
        assert!(code_error(Lang::Ja, &e).starts_with("1 行 6 列"), "{}", code_error(Lang::Ja, &e));
        let unknown = nin_code::analyze(
            &nin_code::BOOK_CODE.replace("nn.MaxPool2d(3, stride=2),\n            nin_block(256", "nn.MaxPol2d(3, stride=2),\n            nin_block(256"),
        )
        .unwrap_err();
        for lang in [Lang::En, Lang::Ja] {
            let text = code_error(lang, &unknown);
            assert!(text.contains("nn.MaxPol2d") && text.contains("13"), "{text}");
        }
    }
}
