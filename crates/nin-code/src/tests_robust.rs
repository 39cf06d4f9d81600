//! No input makes the parser or evaluator panic: random bytes, and random edits of the book's
//! code (deleting, inserting, swapping and repeating its tokens). Deterministic (xorshift).

use crate::*;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The book's code cut into words, numbers, single symbols and runs of spaces or newlines.
fn pieces(source: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            0
        } else if c == ' ' {
            1
        } else {
            2
        }
    };
    for c in source.chars() {
        match out.last_mut() {
            Some(last) if class(c) < 2 && last.chars().last().map(class) == Some(class(c)) => last.push(c),
            _ => out.push(c.to_string()),
        }
    }
    out
}

/// Runs everything the code cell runs; any panic fails the test.
fn run(source: &str) {
    if let Ok((net, summary)) = analyze(source) {
        assert_eq!(summary.rows.len(), net.layers.len());
    }
}

#[test]
fn random_edits_of_the_book_code_never_panic() {
    let base = pieces(BOOK_CODE);
    let extras = [
        "(",
        ")",
        ",",
        ":",
        "=",
        "-",
        "*",
        "//",
        "/",
        "0",
        "-1",
        "1e309",
        "99999999999999999999",
        "\n",
        "    ",
        "\t",
        "def",
        "class",
        "return",
        "self",
        "nn.ReLU()",
        "nn.Flatten()",
        "NiN()",
        "nin_block(1)",
        "nn.Sequential(",
        "f(",
        "((",
        "True",
        "None",
        "lambda",
        "'",
        "é",
        "\\\n",
    ];
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..16_000 {
        let mut tokens = base.clone();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(tokens.len());
            match rng.below(5) {
                0 => {
                    tokens.remove(i);
                }
                1 => tokens.insert(i, extras[rng.below(extras.len())].to_string()),
                2 => {
                    let j = rng.below(tokens.len());
                    tokens.swap(i, j);
                }
                3 => {
                    let piece = tokens[rng.below(tokens.len())].clone();
                    tokens.insert(i, piece);
                }
                _ => {
                    let piece = base[rng.below(base.len())].clone();
                    tokens[i] = piece;
                }
            }
            if tokens.is_empty() {
                break;
            }
        }
        run(&tokens.concat());
    }
}

#[test]
fn random_bytes_never_panic() {
    let alphabet = b"()[]{},:.=*+-/#\\'\" \t\n\r0123456789eE_abcdefnNsSlr";
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    for _ in 0..4_000 {
        let len = rng.below(120);
        let bytes: Vec<u8> = (0..len).map(|_| if rng.below(4) == 0 { rng.next() as u8 } else { alphabet[rng.below(alphabet.len())] }).collect();
        run(&String::from_utf8_lossy(&bytes));
    }
}
