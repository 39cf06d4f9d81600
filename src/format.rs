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

/// Bytes in binary units: `137.0 MiB`.
pub fn bytes(n: u64) -> String {
    let mut value = n as f64;
    let mut unit = 0;
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{n} B") } else { format!("{value:.1} {}", units[unit]) }
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

/// Seconds as a clock, `m:ss` or `h:mm:ss`.
pub fn clock(secs: f64) -> String {
    let s = if secs.is_finite() { secs.max(0.0).round() as u64 } else { 0 };
    if s >= 3600 { format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60) } else { format!("{}:{:02}", s / 60, s % 60) }
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
        assert_eq!(bytes(143_327_232), "136.7 MiB");
        assert_eq!(bytes(12), "12 B");
        assert_eq!(shape(&[1, 10]), "(1, 10)");
        assert_eq!(millis(3.14659), "3.15 ms");
        assert_eq!(millis(25_000.0), "25.0 s");
        assert_eq!(clock(59.6), "1:00");
        assert_eq!(clock(266.0), "4:26");
        assert_eq!(clock(3_725.0), "1:02:05");
        assert_eq!(clock(-3.0), "0:00");
    }
}
