//! Number and shape formatting shared by the UI and the native CLI.

/// `1992166` -> `1,992,166`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A FLOP count with an SI prefix: `1.51 GFLOPs`.
pub fn flops(n: u64) -> String {
    let (value, unit) = scaled(n as f64, &["", "k", "M", "G", "T", "P"]);
    format!("{value} {unit}FLOPs")
}

/// Bytes in binary units with three significant digits: `137 MiB`, `1.50 MiB`, `34.8 TiB`
/// (whole bytes under 1 KiB). One rule for every byte count the page shows.
pub fn bytes(n: u64) -> String {
    let mut value = n as f64;
    let mut unit = 0;
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{n} B") } else { format!("{} {}", significant3(value), units[unit]) }
}

/// A size the analysis gives in MiB, written as [`bytes`] writes sizes.
pub fn mebibytes(mib: f64) -> String {
    let n = if mib.is_finite() { (mib.max(0.0) * 1_048_576.0).round().min(u64::MAX as f64) as u64 } else { u64::MAX };
    bytes(n)
}

/// `value` (at least 1) with three significant digits: `137`, `36.5`, `1.50`; values of
/// 1,000 and more keep their whole digits.
fn significant3(value: f64) -> String {
    // Decided on the rounded value, so 99.96 reads "100", not "100.0".
    if value >= 99.95 {
        format!("{value:.0}")
    } else if value >= 9.995 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

fn scaled(mut value: f64, prefixes: &[&'static str]) -> (String, &'static str) {
    let mut i = 0;
    while value >= 1000.0 && i + 1 < prefixes.len() {
        value /= 1000.0;
        i += 1;
    }
    let text = if i == 0 { format!("{value:.0}") } else { format!("{value:.2}") };
    (text, prefixes[i])
}

/// `[1, 96, 54, 54]` -> `(1, 96, 54, 54)`, as the book prints shapes.
pub fn shape(dims: &[u64]) -> String {
    let inner: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
    format!("({})", inner.join(", "))
}

/// Milliseconds, with more digits for short times.
pub fn millis(ms: f64) -> String {
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 10_000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// A length of time in the units people say it in; each language words it (`i18n`):
/// "45 s", "2 min 10 s", "1 h 5 min". Never a clock, which reads as a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    /// Under a minute: whole seconds.
    Seconds(u64),
    /// Under an hour: minutes and seconds (seconds 0 are not said).
    Minutes { min: u64, s: u64 },
    /// An hour or more: hours and minutes, rounded to the minute (minutes 0 are not said).
    Hours { h: u64, min: u64 },
}

/// `secs` as a [`Duration`], rounded to the second (to the minute past an hour); a negative
/// or non-finite time is 0 s.
pub fn duration(secs: f64) -> Duration {
    let s = if secs.is_finite() { secs.max(0.0).round().min(u64::MAX as f64) as u64 } else { 0 };
    if s < 60 {
        Duration::Seconds(s)
    } else if s < 3600 {
        Duration::Minutes { min: s / 60, s: s % 60 }
    } else {
        let minutes = (s + 30) / 60;
        Duration::Hours { h: minutes / 60, min: minutes % 60 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_992_166), "1,992,166");
        assert_eq!(flops(512), "512 FLOPs");
        assert_eq!(flops(1_510_000_000), "1.51 GFLOPs");
        assert_eq!(bytes(12), "12 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(shape(&[1, 10]), "(1, 10)");
        assert_eq!(millis(3.14659), "3.15 ms");
        assert_eq!(millis(25_000.0), "25.0 s");
    }

    fn mib(mib: f64) -> u64 {
        (mib * 1_048_576.0).round() as u64
    }

    #[test]
    fn bytes_have_three_significant_digits() {
        // The book's first activation at batch 128, 224 px: 143,327,232 bytes.
        assert_eq!(bytes(143_327_232), "137 MiB");
        assert_eq!(bytes(mib(1.5)), "1.50 MiB");
        assert_eq!(bytes(mib(36_474_755.9)), "34.8 TiB");
        assert_eq!(bytes(mib(7.0)), "7.00 MiB");
        assert_eq!(bytes(mib(15.66)), "15.7 MiB");
        assert_eq!(bytes(mib(99.97)), "100 MiB");
        assert_eq!(bytes(3 << 30), "3.00 GiB");
        assert_eq!(bytes(1024), "1.00 KiB");
        assert_eq!(bytes(u64::MAX), "16.0 EiB");
        assert_eq!(mebibytes(136.7), "137 MiB");
        assert_eq!(mebibytes(36_474_755.9), "34.8 TiB");
    }

    #[test]
    fn durations_are_said_not_clocked() {
        assert_eq!(duration(45.0), Duration::Seconds(45));
        assert_eq!(duration(59.6), Duration::Minutes { min: 1, s: 0 });
        assert_eq!(duration(130.0), Duration::Minutes { min: 2, s: 10 });
        assert_eq!(duration(266.0), Duration::Minutes { min: 4, s: 26 });
        assert_eq!(duration(3_900.0), Duration::Hours { h: 1, min: 5 });
        // 1:08:54 of training (the shipped model's card) rounds to 1 h 9 min.
        assert_eq!(duration(4_134.0), Duration::Hours { h: 1, min: 9 });
        assert_eq!(duration(7_170.0), Duration::Hours { h: 2, min: 0 });
        assert_eq!(duration(-3.0), Duration::Seconds(0));
        assert_eq!(duration(f64::NAN), Duration::Seconds(0));
    }
}
