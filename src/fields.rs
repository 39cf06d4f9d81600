//! The rule each typed field follows, and parsing text against it: a value that breaks the rule
//! gets a sentence that states the rule (in both languages, see `i18n::field_error`), e.g.
//! "Height must be a whole number of at least 67, not "-1"" rather than a generic complaint.

use serde::{Deserialize, Serialize};

/// What a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Rule {
    /// A whole number in `min..=max`.
    Whole { min: u64, max: u64 },
    /// A decimal number strictly between `above` and `below`.
    Decimal { above: f64, below: f64 },
}

/// Why a typed value was refused (the message states the field's [`Rule`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldError {
    Empty,
    /// What was typed (the first 40 characters).
    Broken(String),
}

/// The smallest square side NiN accepts (see `analysis::min_input_side`): sides are refused
/// below it by their field's rule; the analysis explains where smaller maps run out.
pub const MIN_SIDE: u64 = 67;

/// The shape cell's batch, channels, and sides.
pub const BATCH: Rule = Rule::Whole { min: 1, max: 1_000_000 };
pub const CHANNELS: Rule = Rule::Whole { min: 1, max: 4_096 };
pub const SIDE: Rule = Rule::Whole { min: MIN_SIDE, max: 65_536 };
/// The training cell's fields.
pub const LEARNING_RATE: Rule = Rule::Decimal { above: 0.0, below: 10.0 };
pub const TRAIN_BATCH: Rule = Rule::Whole { min: 1, max: 65_536 };
pub const IMAGE_SIZE: Rule = Rule::Whole { min: MIN_SIDE, max: 4_096 };
pub const EPOCHS: Rule = Rule::Whole { min: 1, max: 1_000 };
pub const TRAIN_IMAGES: Rule = Rule::Whole { min: 1, max: 60_000 };
pub const VAL_IMAGES: Rule = Rule::Whole { min: 1, max: 60_000 };
pub const TEST_IMAGES: Rule = Rule::Whole { min: 1, max: 10_000 };
pub const SEED: Rule = Rule::Whole { min: 0, max: u64::MAX };

/// `text` as a whole number under `rule` (a [`Rule::Whole`]).
pub fn whole(text: &str, rule: Rule) -> Result<u64, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::Empty);
    }
    let broken = || FieldError::Broken(text.chars().take(40).collect());
    let (min, max) = match rule {
        Rule::Whole { min, max } => (min, max),
        Rule::Decimal { .. } => return Err(broken()),
    };
    let value: u64 = text.parse().map_err(|_| broken())?;
    if value < min || value > max { Err(broken()) } else { Ok(value) }
}

/// `text` as a whole number that fits a `usize` (32 bits in the browser) under `rule`.
pub fn whole_usize(text: &str, rule: Rule) -> Result<usize, FieldError> {
    let value = whole(text, rule)?;
    usize::try_from(value).map_err(|_| FieldError::Broken(text.trim().chars().take(40).collect()))
}

/// `text` as a decimal number under `rule` (a [`Rule::Decimal`]).
pub fn decimal(text: &str, rule: Rule) -> Result<f64, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::Empty);
    }
    let broken = || FieldError::Broken(text.chars().take(40).collect());
    let Rule::Decimal { above, below } = rule else { return Err(broken()) };
    let value: f64 = text.parse().map_err(|_| broken())?;
    if value.is_finite() && value > above && value < below { Ok(value) } else { Err(broken()) }
}

/// Every field's value, or every field's refusal with its field: a form shows all its errors
/// at once, each at its field, not only the first (issue 29).
pub fn collect<F, T, const N: usize>(read: [(F, Result<T, FieldError>); N]) -> Result<[T; N], Vec<(F, FieldError)>> {
    let mut values = Vec::with_capacity(N);
    let mut refused = Vec::new();
    for (field, result) in read {
        match result {
            Ok(value) => values.push(value),
            Err(e) => refused.push((field, e)),
        }
    }
    match <[T; N]>::try_from(values) {
        Ok(all) if refused.is_empty() => Ok(all),
        _ => Err(refused),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refused_field_is_collected() {
        let fields = ["batch", "channels", "height", "width"];
        let read = |texts: [&str; 4]| collect(std::array::from_fn(|i| (fields[i], whole(texts[i], rule_of(fields[i])))));
        assert_eq!(read(["2", "1", "224", "96"]), Ok([2, 1, 224, 96]));
        assert_eq!(
            read(["0", "1", "", "abc"]),
            Err(vec![("batch", FieldError::Broken("0".into())), ("height", FieldError::Empty), ("width", FieldError::Broken("abc".into()))])
        );
    }

    fn rule_of(field: &str) -> Rule {
        match field {
            "batch" => BATCH,
            "channels" => CHANNELS,
            _ => SIDE,
        }
    }

    #[test]
    fn whole_numbers_follow_their_rule() {
        assert_eq!(whole(" 67 ", SIDE), Ok(67));
        assert_eq!(whole("", SIDE), Err(FieldError::Empty));
        for bad in ["-1", "0", "66", "abc", "1.5", "1e3", "65537"] {
            assert_eq!(whole(bad, SIDE), Err(FieldError::Broken(bad.into())), "{bad}");
        }
        assert_eq!(whole("0", SEED), Ok(0));
        assert_eq!(whole("18446744073709551615", SEED), Ok(u64::MAX));
        assert!(whole("18446744073709551616", SEED).is_err());
        assert_eq!(whole(&"9".repeat(100), BATCH), Err(FieldError::Broken("9".repeat(40))));
    }

    #[test]
    fn decimals_follow_their_rule() {
        assert_eq!(decimal("0.001", LEARNING_RATE), Ok(0.001));
        assert_eq!(decimal("1e-3", LEARNING_RATE), Ok(0.001));
        for bad in ["abc", "0", "-0.1", "10", "NaN", "inf"] {
            assert!(decimal(bad, LEARNING_RATE).is_err(), "{bad}");
        }
    }
}
