//! The code cell's texts (issue 28): the table each language fills, and the sentences for the
//! program's errors and for nets the training cell cannot train.

use super::Lang;
use super::{en, ja};
use crate::exercises::code_link::CodeLinkError;
use crate::exercises::{Exercise, variants};
use crate::model::config::{NinConfig, StageConfig};
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
    /// After the parameters while the forward pass checks the arithmetic's table.
    pub checking: &'static str,
    /// Before where and how long, once it has.
    pub checked: &'static str,
    /// The tabs: the PyTorch editor and the generated Burn code.
    pub tabs_label: &'static str,
    pub tab_pytorch: &'static str,
    pub tab_rust: &'static str,
    pub rust_note: &'static str,
    /// Above the last generated code while the PyTorch does not parse (the error follows).
    pub rust_stale: &'static str,
    /// While the PyTorch has never parsed (the error follows).
    pub rust_none: &'static str,
    /// The share link.
    pub share: &'static str,
    pub share_label: &'static str,
    pub share_copied: &'static str,
    pub share_select: &'static str,
    pub share_unsupported: &'static str,
    pub share_failed: &'static str,
    /// Opening a link, and the program a replacement set aside.
    pub link_loaded: &'static str,
    pub link_unreadable: &'static str,
    pub kept_after_link: &'static str,
    pub kept_after_exercise: &'static str,
    pub kept_after_book: &'static str,
    pub kept_after_restore: &'static str,
    pub restore: &'static str,
    pub forget: &'static str,
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

/// Why a share link's code cannot be read (or a program cannot be put in a link).
pub fn link_error(lang: Lang, e: &CodeLinkError) -> String {
    match lang {
        Lang::En => en::code::link_error(e),
        Lang::Ja => ja::code::link_error(e),
    }
}

/// The run board's name for a run of the student's code: "#3 your code (One 1×1 conv per
/// block)" when it builds an exercise's model, else its blocks and convolutions.
pub fn code_run_name(lang: Lang, number: usize, config: &NinConfig) -> String {
    let same = Exercise::ALL.into_iter().flat_map(variants).find(|v| same_net(&v.config, config)).map(|v| lang.msg().variant_label(v.key));
    let blocks: Vec<usize> = config
        .stages
        .iter()
        .filter_map(|s| match s {
            StageConfig::Block(b) => Some(b.channels.len()),
            _ => None,
        })
        .collect();
    match lang {
        Lang::En => en::code::run_name(number, same, blocks.len(), blocks.iter().sum()),
        Lang::Ja => ja::code::run_name(number, same, blocks.len(), blocks.iter().sum()),
    }
}

/// The same layers: a block of one convolution has no inner kernel, whatever its config says.
fn same_net(a: &NinConfig, b: &NinConfig) -> bool {
    let plain = |c: &NinConfig| {
        let mut c = c.clone();
        for stage in &mut c.stages {
            if let StageConfig::Block(block) = stage
                && block.channels.len() == 1
            {
                block.mlp_kernel = 1;
            }
        }
        c
    };
    plain(a) == plain(b)
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

    #[test]
    fn every_link_error_is_a_sentence_in_both_languages() {
        use CodeLinkError::*;
        for e in [Empty, TooLong, NotBase64 { at: 7 }, Damaged, TooLarge, NotText] {
            let (en, ja) = (link_error(Lang::En, &e), link_error(Lang::Ja, &e));
            assert!(en.ends_with('.') && ja.ends_with('。') && en != ja, "{en} / {ja}");
        }
        assert!(link_error(Lang::En, &NotBase64 { at: 7 }).starts_with("Character 8 "));
        assert!(link_error(Lang::En, &TooLarge).contains("64 KB") && link_error(Lang::Ja, &TooLarge).contains("64 KB"));
    }

    /// Issue 28: the run board says a run is the student's code, and which model it builds.
    #[test]
    fn a_run_of_the_students_code_is_named_as_such() {
        use crate::exercises::with_mlp_convs;
        assert_eq!(code_run_name(Lang::En, 3, &with_mlp_convs(1)), "#3 your code (One 1×1 conv per block)");
        assert_eq!(code_run_name(Lang::Ja, 3, &with_mlp_convs(1)), "#3 あなたのコード（ブロックごとに 1×1 畳み込み 1 個）");
        assert_eq!(code_run_name(Lang::En, 1, &NinConfig::book()), "#1 your code (Book's NiN)");
        // VGG-11 as the model cell reads it back: its one-convolution blocks carry inner kernel 1.
        let mut vgg = NinConfig::vgg(&crate::model::VGG11, 10);
        if let Some(StageConfig::Block(b)) = vgg.stages.first_mut() {
            b.mlp_kernel = 1;
        }
        assert_eq!(code_run_name(Lang::En, 2, &vgg), "#2 your code (VGG-11)");
        // Anything else: its blocks and convolutions.
        let mut other = NinConfig::book();
        other.stages.truncate(2);
        other = other.with_num_classes(96);
        assert_eq!(code_run_name(Lang::En, 4, &other), "#4 your code (1 block, 3 convolutions)");
        assert_eq!(code_run_name(Lang::Ja, 4, &other), "#4 あなたのコード（ブロック 1 個、畳み込み 3 層）");
    }
}
