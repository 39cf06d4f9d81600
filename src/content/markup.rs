//! The tiny inline markup of the chapter text: `code`, **bold** and $math$. Parsed into spans
//! here (pure, tested natively) and rendered by the UI, so no string is ever injected as HTML.

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span<'a> {
    Text(&'a str),
    Code(&'a str),
    Bold(&'a str),
    Math(&'a str),
}

/// Splits a paragraph into styled spans. An unmatched marker is kept as plain text.
pub fn parse(paragraph: &str) -> Vec<Span<'_>> {
    let mut spans = Vec::new();
    let mut rest = paragraph;
    while !rest.is_empty() {
        let next = [("`", 0u8), ("**", 1), ("$", 2)].iter().filter_map(|(m, k)| rest.find(m).map(|i| (i, *m, *k))).min_by_key(|(i, _, _)| *i);
        let Some((start, marker, kind)) = next else {
            spans.push(Span::Text(rest));
            break;
        };
        let after = &rest[start + marker.len()..];
        let Some(end) = after.find(marker) else {
            spans.push(Span::Text(rest));
            break;
        };
        if start > 0 {
            spans.push(Span::Text(&rest[..start]));
        }
        let inner = &after[..end];
        spans.push(match kind {
            0 => Span::Code(inner),
            1 => Span::Bold(inner),
            _ => Span::Math(inner),
        });
        rest = &after[end + marker.len()..];
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_marker() {
        assert_eq!(
            parse("a `b` **c** $d$ e"),
            vec![Span::Text("a "), Span::Code("b"), Span::Text(" "), Span::Bold("c"), Span::Text(" "), Span::Math("d"), Span::Text(" e")]
        );
        assert_eq!(parse("no markup"), vec![Span::Text("no markup")]);
        assert_eq!(parse("open `tick"), vec![Span::Text("open `tick")]);
        assert_eq!(parse("<script>"), vec![Span::Text("<script>")]);
    }
}
