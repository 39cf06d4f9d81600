//! Shareable URLs: the open exercise, its inputs, the variant sent to the training cell and
//! the training seed, as a query string. The URL is untrusted input: every part is checked on
//! its own; unknown or malformed parts are dropped and reported, never interpreted further.

use super::{Exercise, variants};
use crate::training::OptimizerKind;

/// Largest accepted input side and batch (the analysis refuses what does not fit anyway).
pub const MAX_SIDE: usize = 4096;
pub const MAX_BATCH: usize = 4096;
/// Longest accepted value, in bytes; longest query looked at.
const MAX_VALUE: usize = 24;
const MAX_QUERY: usize = 512;

/// The share link's format (`v=`): version 1 is the first. A later version may add keys; a
/// link without `v` (made before 2026-12-04) is version 1, and every key stays optional, so
/// old links keep working and a new key is simply absent from them.
pub const SHARE_FORMAT: u32 = 1;

/// What a shared URL restores.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareState {
    pub exercise: Option<Exercise>,
    pub side: Option<usize>,
    pub batch: Option<usize>,
    pub optimizer: Option<OptimizerKind>,
    /// A variant key of `exercise`, to train in the training cell.
    pub variant: Option<&'static str>,
    pub seed: Option<u64>,
}

/// A part of the URL that was ignored, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    /// The key as written (shortened, only safe characters kept).
    pub key: String,
    pub reason: IgnoredReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoredReason {
    UnknownKey,
    Malformed,
    OutOfRange,
    Repeated,
    TooLong,
}

fn safe(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')).take(MAX_VALUE).collect()
}

/// The query string (without `?`) for `state`; parts that are `None` are left out.
pub fn encode(state: &ShareState) -> String {
    let mut parts = vec![format!("v={SHARE_FORMAT}")];
    if let Some(e) = state.exercise {
        parts.push(format!("ex={}", e.id()));
    }
    if let Some(v) = state.side {
        parts.push(format!("side={v}"));
    }
    if let Some(v) = state.batch {
        parts.push(format!("batch={v}"));
    }
    if let Some(o) = state.optimizer {
        parts.push(format!("opt={}", o.id()));
    }
    if let Some(v) = state.variant {
        parts.push(format!("variant={v}"));
    }
    if let Some(v) = state.seed {
        parts.push(format!("seed={v}"));
    }
    parts.join("&")
}

/// Reads a query string (with or without the leading `?`). Never panics; returns what was
/// valid and a note for every part that was not.
pub fn decode(query: &str) -> (ShareState, Vec<Ignored>) {
    let mut state = ShareState::default();
    let mut ignored = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    if query.len() > MAX_QUERY {
        return (state, vec![Ignored { key: "?".into(), reason: IgnoredReason::TooLong }]);
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut variant_text: Option<String> = None;
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let note = |reason| Ignored { key: safe(key), reason };
        if seen.contains(&key) {
            ignored.push(note(IgnoredReason::Repeated));
            continue;
        }
        seen.push(key);
        if value.len() > MAX_VALUE {
            ignored.push(note(IgnoredReason::TooLong));
            continue;
        }
        // Every valid value is plain ASCII letters, digits and '_': anything else (percent
        // escapes, markup, spaces) is malformed.
        if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            ignored.push(note(if matches!(key, "ex" | "side" | "batch" | "opt" | "variant" | "seed") {
                IgnoredReason::Malformed
            } else {
                IgnoredReason::UnknownKey
            }));
            continue;
        }
        let number = |max: u64| -> Result<u64, IgnoredReason> {
            let n: u64 =
                value.parse().map_err(|_| if value.chars().all(|c| c.is_ascii_digit()) { IgnoredReason::OutOfRange } else { IgnoredReason::Malformed })?;
            if n == 0 || n > max { Err(IgnoredReason::OutOfRange) } else { Ok(n) }
        };
        let result: Result<(), IgnoredReason> = match key {
            "v" => value.parse::<u32>().map(|_| ()).map_err(|_| IgnoredReason::Malformed),
            "ex" => Exercise::ALL.into_iter().find(|e| e.id() == value).map(|e| state.exercise = Some(e)).ok_or(IgnoredReason::Malformed),
            "side" => number(MAX_SIDE as u64).map(|n| state.side = Some(n as usize)),
            "batch" => number(MAX_BATCH as u64).map(|n| state.batch = Some(n as usize)),
            "opt" => OptimizerKind::from_id(value).map(|o| state.optimizer = Some(o)).ok_or(IgnoredReason::Malformed),
            // Every u64 is a seed, 0 included (the training cell's SEED rule).
            "seed" => value
                .parse::<u64>()
                .map(|n| state.seed = Some(n))
                .map_err(|_| if value.chars().all(|c| c.is_ascii_digit()) { IgnoredReason::OutOfRange } else { IgnoredReason::Malformed }),
            "variant" => {
                variant_text = Some(value.to_string());
                Ok(())
            }
            _ => Err(IgnoredReason::UnknownKey),
        };
        if let Err(reason) = result {
            ignored.push(note(reason));
        }
    }
    // A variant only means something within its exercise.
    if let Some(text) = variant_text {
        let key = state.exercise.and_then(|e| variants(e).into_iter().find(|v| v.key == text).map(|v| v.key));
        match key {
            Some(k) => state.variant = Some(k),
            None => ignored.push(Ignored { key: "variant".into(), reason: IgnoredReason::Malformed }),
        }
    }
    (state, ignored)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 26: links carry their format, and a link made before it (no `v`) restores the same.
    #[test]
    fn links_carry_a_version_and_old_links_still_work() {
        let state = ShareState { exercise: Some(Exercise::MlpDepth), side: Some(224), seed: Some(0), ..Default::default() };
        let link = encode(&state);
        assert!(link.starts_with("v=1&"), "{link}");
        let old = link.trim_start_matches("v=1&");
        assert_eq!(decode(old), (state.clone(), vec![]));
        assert_eq!(decode(&link), (state, vec![]));
        assert_eq!(decode("v=x&ex=ex1").1[0].reason, IgnoredReason::Malformed);
    }

    #[test]
    fn round_trips() {
        let state = ShareState {
            exercise: Some(Exercise::Head),
            side: Some(224),
            batch: Some(16),
            optimizer: Some(OptimizerKind::Momentum),
            variant: Some("fc_last_block"),
            seed: Some(7),
        };
        let q = encode(&state);
        assert_eq!(q, "v=1&ex=ex3&side=224&batch=16&opt=momentum&variant=fc_last_block&seed=7");
        assert_eq!(decode(&q), (state.clone(), vec![]));
        assert_eq!(decode(&format!("?{q}")).0, state);
        assert_eq!(decode(""), (ShareState::default(), vec![]));
        for e in Exercise::ALL {
            let s = ShareState { exercise: Some(e), ..Default::default() };
            assert_eq!(decode(&encode(&s)).0, s);
        }
    }

    #[test]
    fn every_valid_seed_round_trips() {
        let big = u32::MAX as u64 + 1;
        for seed in [0, 1, u32::MAX as u64, big, u64::MAX] {
            let state = ShareState { seed: Some(seed), ..Default::default() };
            assert_eq!(decode(&encode(&state)), (state, vec![]), "seed {seed}");
        }
        // One past u64::MAX and a negative seed are named, not kept.
        assert_eq!(decode("seed=18446744073709551616").1[0].reason, IgnoredReason::OutOfRange);
        assert_eq!(decode("seed=-1").1[0].reason, IgnoredReason::Malformed);
    }

    #[test]
    fn malformed_parts_are_dropped_with_a_reason_and_the_rest_kept() {
        use IgnoredReason::*;
        let (s, ignored) = decode("ex=ex1&side=99999999999999999999999&batch=-3&opt=rmsprop&foo=1&seed=18446744073709551616&variant=vgg11");
        assert_eq!(s.exercise, Some(Exercise::MlpDepth));
        assert_eq!((s.side, s.batch, s.optimizer, s.seed, s.variant), (None, None, None, None, None));
        let reasons: Vec<(&str, IgnoredReason)> = ignored.iter().map(|i| (i.key.as_str(), i.reason)).collect();
        assert_eq!(
            reasons,
            [("side", OutOfRange), ("batch", Malformed), ("opt", Malformed), ("foo", UnknownKey), ("seed", OutOfRange), ("variant", Malformed)]
        );
        // Script text, escapes, truncation, repeats, huge input: no panic, nothing kept.
        let (s, ignored) = decode("ex=%3Cscript%3E&side=<img onerror=x>&batch=1e3&ex=ex2&side");
        assert_eq!(s, ShareState::default());
        assert_eq!(ignored.iter().map(|i| i.reason).collect::<Vec<_>>(), [Malformed, Malformed, Malformed, Repeated, Repeated]);
        assert!(ignored.iter().all(|i| i.key.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))));
        assert_eq!(decode(&"a=1&".repeat(200)).1, vec![Ignored { key: "?".into(), reason: TooLong }]);
        assert_eq!(decode("side=123456789012345678901234567890").1[0].reason, TooLong);
        assert_eq!(decode("side=4096").0.side, Some(4096));
        assert_eq!(decode("side=4097").1[0].reason, OutOfRange);
        assert_eq!(decode("&&=&ex=ex6&variant=nin16").0.variant, Some("nin16"));
    }
}
