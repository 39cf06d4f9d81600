//! The data shards and their manifest, as the page reads them: the manifest (JSON text), a
//! shard's bytes after gunzip, a gzip stream, and the IDX files make-shards reads.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nin_data::shards::{Manifest, decode, verify, ShardInfo};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    match selector % 4 {
        0 => {
            if let Ok(text) = std::str::from_utf8(rest) {
                if let Ok(m) = Manifest::parse(text) {
                    let _ = m.needed(nin_data::shards::Set::Train, 5_000);
                    let _ = m.download_bytes(60_000, 10_000);
                }
            }
        }
        1 => {
            let expected = rest.first().copied().unwrap_or(0) as usize;
            let _ = decode(rest, "fuzz", expected);
        }
        2 => {
            let info = ShardInfo { file: "f".into(), images: 1, bytes: rest.len() as u64, sha256: "0".repeat(64) };
            let _ = verify(rest, &info);
            let _ = nin_data::gunzip(rest, "fuzz");
        }
        _ => {
            let mid = rest.len() / 2;
            let _ = nin_data::FashionMnist::from_idx(&rest[..mid], "images", &rest[mid..], "labels");
        }
    }
});
