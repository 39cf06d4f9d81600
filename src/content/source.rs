//! The real source of the model, embedded at build time, so the code cells can never drift from
//! what runs. Regions are marked in the source with `// region: NAME` / `// endregion: NAME`.

/// `src/model/config.rs` and `src/model/mod.rs` as compiled into this binary.
pub const MODEL_SOURCE: &str = concat!(include_str!("../model/config.rs"), "\n", include_str!("../model/mod.rs"));

/// The lines between `// region: name` and `// endregion: name`, without the markers and with
/// their common indentation removed.
pub fn region<'a>(source: &'a str, name: &str) -> Option<String> {
    let start_marker = format!("// region: {name}");
    let end_marker = format!("// endregion: {name}");
    let mut lines = source.lines().skip_while(|l| l.trim() != start_marker).skip(1);
    let mut body: Vec<&'a str> = Vec::new();
    loop {
        let line = lines.next()?;
        if line.trim() == end_marker {
            break;
        }
        body.push(line);
    }
    while body.last().is_some_and(|l| l.trim().is_empty()) {
        body.pop();
    }
    let indent = body.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    Some(body.iter().map(|l| if l.len() >= indent { &l[indent..] } else { l.trim_start() }).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_regions_exist_and_hold_the_code() {
        let block = region(MODEL_SOURCE, "nin-block").unwrap();
        assert!(block.contains("pub struct NinBlock"));
        assert!(block.contains("fn forward"));
        let model = region(MODEL_SOURCE, "nin-model").unwrap();
        assert!(model.starts_with("/// The chapter's model"));
        assert!(model.contains("NinBlockConfig::book(96, 11, 4, 0)"));
        assert!(model.contains("MaxPool { kernel: 3, stride: 2 }"));
        assert!(region(MODEL_SOURCE, "missing").is_none());
    }
}
