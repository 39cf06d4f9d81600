//! Numbers written for people in both languages: ratios ("0.89×", "0.89 倍"), parameter counts
//! ("1.77 M", "177 万") and the "N parameters, r× the base" clause the exercises' findings and
//! their answers share. No language table here, so every sentence module can use it.

use super::Lang;
use crate::format;

/// A ratio with three significant digits: `0.89`, `2.79`, `25.0`, `134`.
pub fn ratio(r: f64) -> String {
    if !r.is_finite() {
        "–".into()
    } else if r >= 99.95 {
        format::grouped(r.round() as u64)
    } else if r >= 9.995 {
        format!("{r:.1}")
    } else {
        format!("{r:.2}")
    }
}

/// A typed guess as the student would write it: [`ratio`] without trailing zeros (`2`, `2.5`).
pub fn guess_number(g: f64) -> String {
    let text = ratio(g);
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text }
}

/// "2.79×" / "2.79 倍".
pub fn times(lang: Lang, r: f64) -> String {
    match lang {
        Lang::En => format!("{}×", ratio(r)),
        Lang::Ja => format!("{} 倍", ratio(r)),
    }
}

/// A parameter count as people say it: "1.77 M", "34,790"; in Japanese "177 万", "1.29 億".
pub fn count(lang: Lang, n: u64) -> String {
    let three = |v: f64| {
        if v >= 99.95 {
            format!("{v:.0}")
        } else if v >= 9.995 {
            format!("{v:.1}")
        } else {
            format!("{v:.2}")
        }
    };
    match lang {
        Lang::En if n >= 1_000_000 => format!("{} M", three(n as f64 / 1e6)),
        Lang::Ja if n >= 100_000_000 => format!("{} 億", three(n as f64 / 1e8)),
        Lang::Ja if n >= 10_000 => format!("{} 万", three(n as f64 / 1e4)),
        _ => format::grouped(n),
    }
}

/// How a variant's parameters compare with a base's, as a clause: "1.77 M parameters, 0.89×
/// Book's NiN (223,054 fewer)". The difference is exact, so a ratio that rounds to 1.00 still
/// says what changed.
pub fn params_clause(lang: Lang, params: u64, base: &str, base_params: u64) -> String {
    let r = params as f64 / base_params.max(1) as f64;
    let diff = format::grouped(params.abs_diff(base_params));
    match (lang, params.cmp(&base_params)) {
        (Lang::En, std::cmp::Ordering::Equal) => format!("{} parameters, as many as {base}", count(lang, params)),
        (Lang::En, o) => {
            let dir = if o.is_gt() { "more" } else { "fewer" };
            format!("{} parameters, {} {base} ({diff} {dir})", count(lang, params), times(lang, r))
        }
        (Lang::Ja, o) => {
            // "2,510 個" but "177 万個": no space inside a number written with 万 or 億.
            let n = count(lang, params);
            let n = if n.ends_with(['万', '億']) { format!("{n}個") } else { format!("{n} 個") };
            let base = ja_spaced(base);
            match o {
                std::cmp::Ordering::Equal => format!("パラメータ {n}で{base}と同じ"),
                _ => format!("パラメータ {n}で{base}の {}（{diff} 個{}）", times(lang, r), if o.is_gt() { "多い" } else { "少ない" }),
            }
        }
    }
}

/// A label between Japanese words: a space on each side that is a Latin letter or digit
/// ("本の NiN の", "で VGG-11 の"), as the page writes Japanese.
fn ja_spaced(label: &str) -> String {
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let lead = if latin(label.chars().next()) { " " } else { "" };
    let trail = if latin(label.chars().last()) { " " } else { "" };
    format!("{lead}{label}{trail}")
}
