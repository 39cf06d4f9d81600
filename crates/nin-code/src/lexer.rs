//! Python's tokenizer, cut down to what the code cell needs: names, numbers, a few operators,
//! and the NEWLINE / INDENT / DEDENT tokens that give blocks their structure.

use crate::error::{CodeError, ErrorKind, IndentProblem, Limit, Span};

/// One token's kind; names include keywords (the parser tells them apart).
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Name(String),
    Int(i64),
    Float(f64),
    /// `( ) [ ] , : . = * + - / // ->`
    Symbol(&'static str),
    NewLine,
    Indent,
    Dedent,
    End,
}

/// A token and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

const SYMBOLS: [&str; 13] = ["->", "//", "(", ")", "[", "]", ",", ":", ".", "=", "*", "+", "-"];

/// Splits `source` into tokens. Inside brackets, line breaks and indentation are ignored
/// (Python's implicit line joining); a backslash at the end of a line joins it to the next.
pub fn tokenize(source: &str) -> Result<Vec<Token>, CodeError> {
    let mut tokens = Vec::new();
    let mut indents = vec![0usize];
    let mut open: Vec<(char, Span)> = Vec::new();
    let mut continued = false;
    let mut last_line = 1;
    for (index, raw) in source.split('\n').enumerate() {
        let line_no = index + 1;
        last_line = line_no;
        let chars: Vec<char> = raw.strip_suffix('\r').unwrap_or(raw).chars().collect();
        let mut i = 0;
        let mut width = 0usize;
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t' || chars[i] == '\x0c') {
            width = if chars[i] == '\t' { (width / 8 + 1) * 8 } else { width + 1 };
            i += 1;
        }
        let blank = i == chars.len() || chars[i] == '#';
        if open.is_empty() && !continued {
            if blank {
                continue;
            }
            let at = Span { line: line_no, col: i + 1, end_line: line_no, end_col: i + 2 };
            let current = indents.last().copied().unwrap_or(0);
            if width > current {
                indents.push(width);
                tokens.push(Token { tok: Tok::Indent, span: at });
            } else {
                while width < indents.last().copied().unwrap_or(0) {
                    indents.pop();
                    tokens.push(Token { tok: Tok::Dedent, span: at });
                }
                if width != indents.last().copied().unwrap_or(0) {
                    return Err(CodeError::new(ErrorKind::BadIndentation(IndentProblem::Inconsistent), at));
                }
            }
        }
        continued = false;
        let had_tokens = tokens.len();
        while i < chars.len() {
            let c = chars[i];
            let start = i;
            let span_to = |end: usize| Span { line: line_no, col: start + 1, end_line: line_no, end_col: end + 1 };
            if c == ' ' || c == '\t' || c == '\x0c' {
                i += 1;
            } else if c == '#' {
                break;
            } else if c == '\\' && i + 1 == chars.len() {
                continued = true;
                i += 1;
            } else if c.is_alphabetic() || c == '_' {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                tokens.push(Token { tok: Tok::Name(chars[start..i].iter().collect()), span: span_to(i) });
            } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
                let (tok, end) = number(&chars, i).map_err(|kind| CodeError::new(kind, span_to(i + 1)))?;
                i = end;
                tokens.push(Token { tok, span: span_to(i) });
            } else if c == '"' || c == '\'' {
                let end = chars[i + 1..].iter().position(|&q| q == c).map_or(chars.len(), |p| i + p + 2);
                return Err(CodeError::new(ErrorKind::StringLiteral, span_to(end)));
            } else if let Some(symbol) = SYMBOLS.iter().find(|s| s.chars().enumerate().all(|(k, sc)| chars.get(i + k) == Some(&sc))) {
                i += symbol.len();
                let span = span_to(i);
                match c {
                    '(' | '[' => open.push((c, span)),
                    ')' | ']' => {
                        open.pop();
                    }
                    _ => {}
                }
                tokens.push(Token { tok: Tok::Symbol(symbol), span });
            } else if c == '/' {
                i += 1;
                tokens.push(Token { tok: Tok::Symbol("/"), span: span_to(i) });
            } else {
                return Err(CodeError::new(ErrorKind::UnexpectedCharacter(c), span_to(i + 1)));
            }
        }
        if open.is_empty() && !continued && (tokens.len() > had_tokens || !blank) {
            let at = Span { line: line_no, col: chars.len() + 1, end_line: line_no, end_col: chars.len() + 1 };
            tokens.push(Token { tok: Tok::NewLine, span: at });
        }
    }
    if let Some((c, span)) = open.first() {
        return Err(CodeError::new(ErrorKind::UnclosedBracket(*c), *span));
    }
    let end = Span { line: last_line + 1, col: 1, end_line: last_line + 1, end_col: 1 };
    if continued && tokens.last().is_some_and(|t| t.tok != Tok::NewLine) {
        tokens.push(Token { tok: Tok::NewLine, span: end });
    }
    for _ in 1..indents.len() {
        tokens.push(Token { tok: Tok::Dedent, span: end });
    }
    tokens.push(Token { tok: Tok::End, span: end });
    Ok(tokens)
}

/// Reads an int (`96`, `1_000`) or a float (`0.5`, `.5`, `1e-3`, `2.`) starting at `start`.
fn number(chars: &[char], start: usize) -> Result<(Tok, usize), ErrorKind> {
    let mut i = start;
    let mut float = false;
    let digits = |i: &mut usize| {
        while *i < chars.len() && (chars[*i].is_ascii_digit() || chars[*i] == '_') {
            *i += 1;
        }
    };
    digits(&mut i);
    if chars.get(i) == Some(&'.') {
        float = true;
        i += 1;
        digits(&mut i);
    }
    if matches!(chars.get(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(chars.get(j), Some('+' | '-')) {
            j += 1;
        }
        if chars.get(j).is_some_and(|d| d.is_ascii_digit()) {
            float = true;
            i = j;
            digits(&mut i);
        }
    }
    let text: String = chars[start..i].iter().filter(|&&c| c != '_').collect();
    let tok = if float {
        Tok::Float(text.parse().map_err(|_| ErrorKind::UnexpectedCharacter(chars[start]))?)
    } else {
        Tok::Int(text.parse().map_err(|_| ErrorKind::TooBig(Limit::Number))?)
    };
    Ok((tok, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<Tok> {
        tokenize(source).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn indent_dedent_and_joining() {
        let toks = kinds("def f(a,\n      b):\n    return a  # c\n\nx = 1e-3\n");
        assert!(toks.contains(&Tok::Indent));
        assert!(toks.contains(&Tok::Dedent));
        assert!(toks.contains(&Tok::Float(1e-3)));
        assert_eq!(toks.iter().filter(|t| **t == Tok::NewLine).count(), 3);
    }

    #[test]
    fn numbers() {
        assert_eq!(kinds("0.5 .5 2. 96 1_000")[..5], [Tok::Float(0.5), Tok::Float(0.5), Tok::Float(2.0), Tok::Int(96), Tok::Int(1000)]);
    }

    #[test]
    fn spans_are_one_based() {
        let tokens = tokenize("x = nn.ReLU()").unwrap();
        assert_eq!(tokens[2].span, Span { line: 1, col: 5, end_line: 1, end_col: 7 });
    }

    #[test]
    fn strings_and_unclosed_brackets_are_errors() {
        assert_eq!(tokenize("x = 'a'").unwrap_err().kind, ErrorKind::StringLiteral);
        assert_eq!(tokenize("f(1,\n").unwrap_err().kind, ErrorKind::UnclosedBracket('('));
    }
}
