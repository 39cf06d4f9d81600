//! The training form as data: its typed fields, reading their texts against each field's rule,
//! and every refusal at once, each beside the field it concerns (issue 29).

use super::settings::{MemoryEstimate, SettingsError, TrainSettings, validate_all};
use crate::analysis::AnalysisError;
use crate::fields::{self, FieldError, Rule};
use crate::model::NinConfig;

/// A typed field of the training form, so that each refusal is shown next to its field (the
/// page's input is `train-<id>`, its message `train-error-<id>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormField {
    LearningRate,
    Batch,
    ImageSize,
    Epochs,
    TrainImages,
    ValImages,
    TestImages,
    Seed,
}

impl FormField {
    /// In the form's order.
    pub const ALL: [FormField; 8] = [
        FormField::LearningRate,
        FormField::Batch,
        FormField::ImageSize,
        FormField::Epochs,
        FormField::TrainImages,
        FormField::ValImages,
        FormField::TestImages,
        FormField::Seed,
    ];

    /// The name the page and its tests know the field by.
    pub fn id(self) -> &'static str {
        match self {
            FormField::LearningRate => "lr",
            FormField::Batch => "batch",
            FormField::ImageSize => "size",
            FormField::Epochs => "epochs",
            FormField::TrainImages => "train",
            FormField::ValImages => "val",
            FormField::TestImages => "test",
            FormField::Seed => "seed",
        }
    }

    /// What the field accepts.
    pub fn rule(self) -> Rule {
        match self {
            FormField::LearningRate => fields::LEARNING_RATE,
            FormField::Batch => fields::TRAIN_BATCH,
            FormField::ImageSize => fields::IMAGE_SIZE,
            FormField::Epochs => fields::EPOCHS,
            FormField::TrainImages => fields::TRAIN_IMAGES,
            FormField::ValImages => fields::VAL_IMAGES,
            FormField::TestImages => fields::TEST_IMAGES,
            FormField::Seed => fields::SEED,
        }
    }
}

impl SettingsError {
    /// The fields this refusal depends on; the first is where the form shows it (the batch for
    /// a buffer or memory refusal, which offers the largest batch that fits).
    pub fn fields(&self) -> &'static [FormField] {
        use FormField as F;
        match self {
            // Activations grow with the batch and the image; a too-small image is the image's.
            SettingsError::Shape(AnalysisError::TooLarge { .. }) => &[F::Batch, F::ImageSize],
            SettingsError::Shape(_) | SettingsError::WeightsTooLarge { .. } => &[F::ImageSize],
            SettingsError::ZeroBatch => &[F::Batch],
            SettingsError::ZeroEpochs | SettingsError::BadEvalCount => &[F::Epochs],
            SettingsError::ZeroValidation => &[F::ValImages],
            SettingsError::ZeroTest | SettingsError::NotEnoughTestImages { .. } => &[F::TestImages],
            SettingsError::BadLearningRate(_) => &[F::LearningRate],
            SettingsError::NoFullBatch { .. } => &[F::Batch, F::TrainImages],
            SettingsError::NotEnoughImages { .. } => &[F::TrainImages, F::ValImages],
            SettingsError::BatchTooLarge { .. } | SettingsError::OutOfMemory { .. } => &[F::Batch, F::ImageSize],
        }
    }
}

/// Why the form cannot run, for one field: its text broke the field's rule, or a check across
/// fields refused the values.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    Rule(FieldError),
    Settings(SettingsError),
}

/// The settings the form's texts describe (`text` gives each field's text), on top of `base`
/// (the preset: optimizer and validation cadence), with every field whose text broke its rule.
/// A refused field keeps `base`'s value, so the other fields can still be checked.
pub fn read_form(text: impl Fn(FormField) -> String, base: &TrainSettings) -> (TrainSettings, Vec<(FormField, FieldError)>) {
    let mut refused = Vec::new();
    let mut whole = |field: FormField, fallback: usize| {
        fields::whole_usize(&text(field), field.rule()).unwrap_or_else(|e| {
            refused.push((field, e));
            fallback
        })
    };
    let batch_size = whole(FormField::Batch, base.batch_size);
    let image_size = whole(FormField::ImageSize, base.image_size);
    let epochs = whole(FormField::Epochs, base.epochs);
    let train_images = whole(FormField::TrainImages, base.train_images);
    let val_images = whole(FormField::ValImages, base.val_images);
    let test_images = whole(FormField::TestImages, base.test_images);
    let mut other = |field: FormField, read: Result<f64, FieldError>| read.map_err(|e| refused.push((field, e))).ok();
    let learning_rate = other(FormField::LearningRate, fields::decimal(&text(FormField::LearningRate), fields::LEARNING_RATE)).unwrap_or(base.learning_rate);
    let seed = fields::whole(&text(FormField::Seed), fields::SEED).unwrap_or_else(|e| {
        refused.push((FormField::Seed, e));
        base.seed
    });
    refused.sort_by_key(|(f, _)| FormField::ALL.iter().position(|a| a == f));
    let settings = TrainSettings { learning_rate, batch_size, image_size, epochs, train_images, val_images, test_images, seed, ..base.clone() };
    (settings, refused)
}

/// The whole form checked at once: every field that broke its rule, and every check across
/// fields ([`validate_all`]) whose fields all passed theirs (a memory refusal computed from a
/// batch the student did not type would mislead). Each error comes with the field that shows it.
pub fn check_form(
    config: &NinConfig,
    text: impl Fn(FormField) -> String,
    base: &TrainSettings,
    train_available: usize,
    test_available: usize,
    buffer_limit: u64,
    memory_budget: u64,
) -> Result<(TrainSettings, MemoryEstimate), Vec<(FormField, FormError)>> {
    let (settings, refused) = read_form(text, base);
    let checked = validate_all(config, &settings, train_available, test_available, buffer_limit, memory_budget);
    let mut errors: Vec<(FormField, FormError)> = refused.iter().map(|(f, e)| (*f, FormError::Rule(e.clone()))).collect();
    match checked {
        Ok(estimate) if errors.is_empty() => return Ok((settings, estimate)),
        Ok(_) => {}
        Err(all) => errors.extend(
            all.into_iter().filter(|e| e.fields().iter().all(|f| !refused.iter().any(|(r, _)| r == f))).map(|e| (e.fields()[0], FormError::Settings(e))),
        ),
    }
    Err(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::settings::{Preset, validate};

    const GIB: u64 = 1 << 30;

    /// The short CPU preset's texts, with `changes` typed over them.
    fn form(changes: &[(FormField, &str)]) -> impl Fn(FormField) -> String {
        let s = Preset::ShortCpu.settings();
        let mut texts: Vec<(FormField, String)> = vec![
            (FormField::LearningRate, s.learning_rate.to_string()),
            (FormField::Batch, s.batch_size.to_string()),
            (FormField::ImageSize, s.image_size.to_string()),
            (FormField::Epochs, s.epochs.to_string()),
            (FormField::TrainImages, s.train_images.to_string()),
            (FormField::ValImages, s.val_images.to_string()),
            (FormField::TestImages, s.test_images.to_string()),
            (FormField::Seed, s.seed.to_string()),
        ];
        for (field, text) in changes {
            texts.iter_mut().filter(|(f, _)| f == field).for_each(|(_, t)| *t = text.to_string());
        }
        move |field| texts.iter().find(|(f, _)| *f == field).map(|(_, t)| t.clone()).unwrap_or_default()
    }

    fn check(changes: &[(FormField, &str)], memory_budget: u64) -> Result<(TrainSettings, MemoryEstimate), Vec<(FormField, FormError)>> {
        check_form(&NinConfig::book(), form(changes), &Preset::ShortCpu.settings(), 60_000, 10_000, GIB, memory_budget)
    }

    /// Issue 29: the form showed only its first error; every field's is collected now.
    #[test]
    fn a_form_with_three_bad_fields_yields_three_errors() {
        let (settings, _) = check(&[], 4 * GIB).expect("the preset's own texts pass");
        assert_eq!(settings, Preset::ShortCpu.settings());
        let errors = check(&[(FormField::LearningRate, "abc"), (FormField::Epochs, "0"), (FormField::Seed, "")], 4 * GIB).unwrap_err();
        assert_eq!(
            errors,
            vec![
                (FormField::LearningRate, FormError::Rule(FieldError::Broken("abc".into()))),
                (FormField::Epochs, FormError::Rule(FieldError::Broken("0".into()))),
                (FormField::Seed, FormError::Rule(FieldError::Empty)),
            ]
        );
        // The fields' own order, whatever order they were read in.
        let (_, refused) = read_form(form(&[(FormField::Seed, "x"), (FormField::Batch, "-1")]), &Preset::ShortCpu.settings());
        assert_eq!(refused.iter().map(|(f, _)| *f).collect::<Vec<_>>(), [FormField::Batch, FormField::Seed]);
    }

    #[test]
    fn checks_across_fields_are_collected_beside_the_fields_they_concern() {
        // Too many images, and a batch over the memory budget, at once.
        let errors = check(&[(FormField::TrainImages, "59800"), (FormField::Batch, "512")], GIB).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(matches!(errors[0], (FormField::TrainImages, FormError::Settings(SettingsError::NotEnoughImages { wanted: 60_100, .. }))));
        let (FormField::Batch, FormError::Settings(SettingsError::OutOfMemory { largest_fits, .. })) = errors[1] else { panic!("{errors:?}") };
        assert!(largest_fits > 0 && largest_fits < 512);
        assert_eq!(SettingsError::NotEnoughImages { wanted: 1, available: 0 }.fields(), [FormField::TrainImages, FormField::ValImages]);
        // A check that depends on a field that broke its rule is not made from the preset's value.
        let errors = check(&[(FormField::ImageSize, "abc"), (FormField::Batch, "512")], GIB).unwrap_err();
        assert_eq!(errors, vec![(FormField::ImageSize, FormError::Rule(FieldError::Broken("abc".into())))]);
        // validate keeps answering with the first refusal.
        let s = TrainSettings { train_images: 59_800, batch_size: 512, ..Preset::ShortCpu.settings() };
        assert!(matches!(validate(&NinConfig::book(), &s, 60_000, 10_000, GIB, GIB), Err(SettingsError::NotEnoughImages { .. })));
        assert_eq!(validate_all(&NinConfig::book(), &s, 60_000, 10_000, GIB, GIB).unwrap_err().len(), 2);
    }
}
