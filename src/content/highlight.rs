//! A small Rust syntax highlighter for the code cells. Hand-written on purpose: the crates that
//! do this (syntect, tree-sitter) would add megabytes of grammar and regex to the wasm bundle
//! for two short listings.

/// The class of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Plain,
    Keyword,
    Type,
    Str,
    Comment,
    Number,
    Macro,
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "const", "crate", "else", "enum", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "use", "where", "while", "true", "false",
];

/// Splits Rust source into classified runs; concatenating the runs gives the input back.
pub fn highlight(source: &str) -> Vec<(Token, &str)> {
    let bytes = source.as_bytes();
    let mut out: Vec<(Token, &str)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let token = if source[i..].starts_with("//") {
            i = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
            Token::Comment
        } else if c == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
            Token::Str
        } else if c.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.') {
                if bytes[i] == b'.' && !bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit()) {
                    break;
                }
                i += 1;
            }
            Token::Number
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let word = &source[start..i];
            if bytes.get(i) == Some(&b'!') {
                i += 1;
                Token::Macro
            } else if KEYWORDS.contains(&word) {
                Token::Keyword
            } else if word.starts_with(|ch: char| ch.is_ascii_uppercase()) {
                Token::Type
            } else {
                Token::Plain
            }
        } else {
            // one character (UTF-8 aware)
            i += source[i..].chars().next().map_or(1, char::len_utf8);
            Token::Plain
        };
        // Runs are contiguous, so a plain run just extends the previous plain one.
        match out.last_mut() {
            Some((Token::Plain, prev)) if token == Token::Plain => {
                let from = prev.as_ptr() as usize - source.as_ptr() as usize;
                *prev = &source[from..i];
            }
            _ => out.push((token, &source[start..i])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_and_round_trips() {
        let src = "pub fn forward(&self, x: Tensor<4>) -> Tensor<4> { // [b, c]\n    let s = \"a\\\"b\"; vec![1.5, 2] }";
        let tokens = highlight(src);
        assert_eq!(tokens.iter().map(|(_, s)| *s).collect::<String>(), src);
        assert!(tokens.contains(&(Token::Keyword, "pub")));
        assert!(tokens.contains(&(Token::Keyword, "fn")));
        assert!(tokens.contains(&(Token::Type, "Tensor")));
        assert!(tokens.contains(&(Token::Comment, "// [b, c]")));
        assert!(tokens.contains(&(Token::Str, "\"a\\\"b\"")));
        assert!(tokens.contains(&(Token::Macro, "vec!")));
        assert!(tokens.contains(&(Token::Number, "1.5")));
        assert!(tokens.contains(&(Token::Number, "4")));
    }

    #[test]
    fn handles_unicode_and_unterminated_strings() {
        let src = "// 3×3 → ok\nlet s = \"open";
        assert_eq!(highlight(src).iter().map(|(_, s)| *s).collect::<String>(), src);
    }
}
