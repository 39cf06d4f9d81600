//! The model cell's share link: the program in the address's fragment (`#code=`), as raw DEFLATE
//! (RFC 1951, what the browser's `CompressionStream('deflate-raw')` writes) in base64url. The
//! link is untrusted input: every step is checked and a bad link is one typed [`CodeLinkError`].
//!
//! Format 1 (2026-12-04): `#code=<base64url, no padding>`. A later format takes another key, so
//! an old link keeps meaning what it meant. The fragment never reaches the server, and leaves
//! the query (`?ex=`, the exercise links of [`super::share`]) to its own length limit.

/// The fragment's key, with its `=`.
pub const FRAGMENT_KEY: &str = "code=";
/// The longest program a link carries, in bytes of UTF-8 (the inflated size is capped here too,
/// so a small link that inflates to megabytes is refused before it is allocated).
pub const MAX_CODE_BYTES: usize = 64 * 1024;
/// The longest encoded value read: 64 KiB of text that does not compress, in base64url, and some.
pub const MAX_LINK_CHARS: usize = 96 * 1024;

/// Why a link's code cannot be read (or a program cannot be put in a link).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeLinkError {
    /// `#code=` with nothing after it.
    Empty,
    /// The encoded value is longer than [`MAX_LINK_CHARS`].
    TooLong,
    /// A character that base64url does not use, at this character (from 0).
    NotBase64 { at: usize },
    /// The data stops inside the compressed stream, or is not one (cut off or changed).
    Damaged,
    /// The program is (or inflates to) more than [`MAX_CODE_BYTES`].
    TooLarge,
    /// The inflated bytes are not UTF-8 text.
    NotText,
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 section 5). Written out: 20 lines instead of a crate.
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
        }
    }
    out
}

/// The bytes of base64url text; `=` padding at the end is accepted, nothing else outside the
/// alphabet is (a `+` or `/` of plain base64 included: the link never has them).
pub fn from_base64url(text: &str) -> Result<Vec<u8>, CodeLinkError> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for (at, c) in text.chars().enumerate() {
        let value = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '-' => 62,
            '_' => 63,
            _ => return Err(CodeLinkError::NotBase64 { at }),
        };
        acc = (acc << 6 | value) & 0xFF_FFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // One character over a whole group carries 6 bits: less than a byte, so a cut link.
    if text.len() % 4 == 1 {
        return Err(CodeLinkError::Damaged);
    }
    Ok(out)
}

/// The fragment (without `#`) for a program already deflated (raw DEFLATE) by the browser.
pub fn fragment(deflated: &[u8]) -> String {
    format!("{FRAGMENT_KEY}{}", base64url(deflated))
}

/// Whether a program can go in a link (the same cap that reading one applies).
pub fn check_size(code: &str) -> Result<(), CodeLinkError> {
    if code.len() > MAX_CODE_BYTES { Err(CodeLinkError::TooLarge) } else { Ok(()) }
}

/// The program a fragment carries (`location.hash`, with or without `#`): `None` when the
/// fragment is no code link (a section's id, or nothing).
pub fn from_fragment(hash: &str) -> Option<Result<String, CodeLinkError>> {
    let value = hash.strip_prefix('#').unwrap_or(hash).strip_prefix(FRAGMENT_KEY)?;
    Some(decode(value))
}

/// The program of an encoded value: base64url, then inflated to at most [`MAX_CODE_BYTES`],
/// then UTF-8.
pub fn decode(value: &str) -> Result<String, CodeLinkError> {
    if value.is_empty() {
        return Err(CodeLinkError::Empty);
    }
    if value.len() > MAX_LINK_CHARS {
        return Err(CodeLinkError::TooLong);
    }
    let deflated = from_base64url(value)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_CODE_BYTES).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => CodeLinkError::TooLarge,
        _ => CodeLinkError::Damaged,
    })?;
    String::from_utf8(bytes).map_err(|_| CodeLinkError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the browser's CompressionStream('deflate-raw') does, natively.
    fn deflate(text: &str) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9)
    }

    fn link(text: &str) -> String {
        format!("#{}", fragment(&deflate(text)))
    }

    #[test]
    fn base64url_matches_the_rfc_vectors() {
        for (plain, encoded) in [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64url(plain.as_bytes()), encoded);
            assert_eq!(from_base64url(encoded).unwrap(), plain.as_bytes());
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(from_base64url(&base64url(&all)).unwrap(), all);
        assert!(base64url(&all).chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(from_base64url("Zm9vYg==").unwrap(), b"foob");
    }

    #[test]
    fn the_books_code_and_an_edit_round_trip_in_a_short_link() {
        let edited = nin_code::BOOK_CODE.replace("nn.Dropout(0.5)", "nn.Dropout(0.3)  # less dropout, and «ünïcode» 日本語");
        for code in [nin_code::BOOK_CODE, edited.as_str(), "", "x"] {
            assert_eq!(from_fragment(&link(code)), Some(Ok(code.to_string())), "{code}");
        }
        assert!(link(nin_code::BOOK_CODE).len() < 600, "the book's code fits a chat message: {}", link(nin_code::BOOK_CODE).len());
        // Not a code link: a section's id, nothing, another key.
        assert_eq!(from_fragment("#nin-model"), None);
        assert_eq!(from_fragment(""), None);
        assert_eq!(from_fragment("#codex=AAAA"), None);
    }

    #[test]
    fn hostile_links_are_refused_with_a_reason() {
        use CodeLinkError::*;
        let good = fragment(&deflate(nin_code::BOOK_CODE));
        let value = good.strip_prefix(FRAGMENT_KEY).unwrap();
        assert_eq!(from_fragment("#code="), Some(Err(Empty)));
        // Bad base64: plain base64's '+', markup, a percent escape, spaces.
        assert_eq!(decode("ab+c"), Err(NotBase64 { at: 2 }));
        assert_eq!(decode("<script>"), Err(NotBase64 { at: 0 }));
        assert_eq!(decode("%3Cx"), Err(NotBase64 { at: 0 }));
        assert_eq!(decode(&format!("{} ", &value[..8])), Err(NotBase64 { at: 8 }));
        // Truncated: at every length short of the whole, refused, never a wrong program.
        for cut in 1..value.len() {
            let result = decode(&value[..cut]);
            assert!(matches!(result, Err(Damaged)), "cut at {cut}: {result:?}");
        }
        // A changed byte: refused or another text, never a panic.
        let mut bytes = from_base64url(value).unwrap();
        bytes[5] ^= 0xFF;
        let _ = decode(&base64url(&bytes));
        // Not compressed data at all.
        assert_eq!(decode(&base64url(&[0xFF; 40])), Err(Damaged));
        // Compressed, but not text.
        assert_eq!(decode(&base64url(&miniz_oxide::deflate::compress_to_vec(&[0xC3, 0x28], 9))), Err(NotText));
        // Too long to read at all.
        assert_eq!(decode(&"A".repeat(MAX_LINK_CHARS + 1)), Err(TooLong));
    }

    /// A link of a few hundred bytes that inflates to megabytes stops at the cap.
    #[test]
    fn a_compression_bomb_is_refused_at_the_cap() {
        let bomb = " ".repeat(8 << 20);
        let deflated = deflate(&bomb);
        assert!(deflated.len() < 16 * 1024, "{}", deflated.len());
        assert_eq!(decode(&base64url(&deflated)), Err(CodeLinkError::TooLarge));
        // Exactly the cap is accepted; one byte more is not, on either side of the link.
        let full = "#".repeat(MAX_CODE_BYTES);
        assert_eq!(decode(&base64url(&deflate(&full))).map(|c| c.len()), Ok(MAX_CODE_BYTES));
        assert_eq!(check_size(&full), Ok(()));
        let over = "#".repeat(MAX_CODE_BYTES + 1);
        assert_eq!(decode(&base64url(&deflate(&over))), Err(CodeLinkError::TooLarge));
        assert_eq!(check_size(&over), Err(CodeLinkError::TooLarge));
    }
}
