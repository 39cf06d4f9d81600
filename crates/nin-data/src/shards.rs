//! The data as the site serves it: Fashion-MNIST cut into gzipped shards of
//! [`SHARD_IMAGES`] images, listed with their sizes and SHA-256 in a manifest. A run fetches
//! only the shards it needs (a short run a few MB instead of 31), and each shard is checked
//! against the manifest before it is used.
//!
//! A shard, before gzip: the magic `NINS`, then the image count, rows and cols (u32, big
//! endian), then one label byte per image, then the images (rows x cols bytes each).

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{DataError, FashionMnist};

/// Images per shard: a short preset's data fits in a handful of ~1 MB downloads.
pub const SHARD_IMAGES: usize = 2_500;
/// `NINS` as a big-endian u32.
pub const SHARD_MAGIC: u32 = u32::from_be_bytes(*b"NINS");
/// The manifest's format version; the page refuses others.
pub const FORMAT: u32 = 1;
/// The manifest's file name, next to the shards.
pub const MANIFEST: &str = "manifest.json";
const HEADER: usize = 16;
const SIDE: u32 = 28;

/// One shard as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// File name next to the manifest (its hash is in it, so a cached copy is never stale).
    pub file: String,
    pub images: usize,
    /// Size of the gzipped file.
    pub bytes: u64,
    /// SHA-256 of the gzipped file, lower-case hex.
    pub sha256: String,
}

/// Which part of Fashion-MNIST a shard belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    Train,
    Test,
}

impl Set {
    pub fn name(self) -> &'static str {
        match self {
            Set::Train => "training",
            Set::Test => "test",
        }
    }
}

/// The list of shards the site serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub shard_images: usize,
    pub train: Vec<ShardInfo>,
    pub test: Vec<ShardInfo>,
}

fn safe_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 80 && !name.starts_with('.') && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

impl Manifest {
    /// Parses and checks a manifest: its format, and for every shard a plain file name (no
    /// path), a count and size above zero, a 64-digit hex checksum.
    pub fn parse(json: &str) -> Result<Self, DataError> {
        let m: Manifest = serde_json::from_str(json).map_err(|e| DataError::Manifest(e.to_string()))?;
        if m.format != FORMAT {
            return Err(DataError::Manifest(format!("format {}, this page reads {FORMAT}", m.format)));
        }
        if m.shard_images == 0 {
            return Err(DataError::Manifest("shards of 0 images".into()));
        }
        for s in m.train.iter().chain(&m.test) {
            if !safe_name(&s.file) {
                return Err(DataError::Manifest(format!("a shard file name that is not a plain name: {:?}", s.file.chars().take(40).collect::<String>())));
            }
            if s.images == 0 || s.images > m.shard_images || s.bytes == 0 {
                return Err(DataError::Manifest(format!("{}: {} images in {} bytes", s.file, s.images, s.bytes)));
            }
            if s.sha256.len() != 64 || !s.sha256.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) {
                return Err(DataError::Manifest(format!("{}: not a SHA-256 checksum", s.file)));
            }
        }
        Ok(m)
    }

    pub fn shards(&self, set: Set) -> &[ShardInfo] {
        match set {
            Set::Train => &self.train,
            Set::Test => &self.test,
        }
    }

    /// Images the site serves of `set`.
    pub fn available(&self, set: Set) -> usize {
        self.shards(set).iter().map(|s| s.images).sum()
    }

    /// The first shards of `set` that hold at least `images` images: what a run needing that
    /// many must fetch.
    pub fn needed(&self, set: Set, images: usize) -> Result<&[ShardInfo], DataError> {
        let mut have = 0;
        for (i, s) in self.shards(set).iter().enumerate() {
            if have >= images {
                return Ok(&self.shards(set)[..i]);
            }
            have += s.images;
        }
        if have >= images { Ok(self.shards(set)) } else { Err(DataError::NotEnoughData { set: set.name().into(), wanted: images, available: have }) }
    }

    /// Bytes to download for `train` training-file and `test` test-file images.
    pub fn download_bytes(&self, train: usize, test: usize) -> Result<u64, DataError> {
        let sum = |s: &[ShardInfo]| s.iter().map(|s| s.bytes).sum::<u64>();
        Ok(sum(self.needed(Set::Train, train)?) + sum(self.needed(Set::Test, test)?))
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a downloaded shard against its manifest entry (its SHA-256 covers the size too: a cut
/// or damaged download is a checksum error).
pub fn verify(bytes: &[u8], info: &ShardInfo) -> Result<(), DataError> {
    let got = sha256_hex(bytes);
    if got != info.sha256 {
        return Err(DataError::Checksum { file: info.file.clone(), expected: info.sha256.clone(), got });
    }
    Ok(())
}

/// A shard's bytes (before gzip) for `data`.
pub fn encode(data: &FashionMnist) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + data.labels.len() + data.images.len());
    for v in [SHARD_MAGIC, data.len() as u32, SIDE, SIDE] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&data.labels);
    out.extend_from_slice(&data.images);
    out
}

/// Parses a shard's bytes (after gunzip), checking it holds `expected` images.
pub fn decode(bytes: &[u8], file: &str, expected: usize) -> Result<FashionMnist, DataError> {
    let word = |i: usize| {
        bytes.get(i * 4..i * 4 + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])).ok_or(DataError::Truncated {
            file: file.into(),
            expected: HEADER,
            got: bytes.len(),
        })
    };
    let magic = word(0)?;
    if magic != SHARD_MAGIC {
        return Err(DataError::WrongMagic { file: file.into(), expected: SHARD_MAGIC, got: magic });
    }
    let count = word(1)? as usize;
    let (rows, cols) = (word(2)?, word(3)?);
    if rows != SIDE || cols != SIDE {
        return Err(DataError::WrongDimensions { file: file.into(), rows, cols });
    }
    if count != expected {
        return Err(DataError::ShardCount { file: file.into(), expected, got: count });
    }
    let want = count.saturating_mul(1 + FashionMnist::PIXELS);
    let body = &bytes[HEADER..];
    if body.len() != want {
        return Err(DataError::Truncated { file: file.into(), expected: want, got: body.len() });
    }
    let (labels, images) = body.split_at(count);
    if let Some((index, &label)) = labels.iter().enumerate().find(|(_, l)| **l > 9) {
        return Err(DataError::BadLabel { file: file.into(), index, label });
    }
    Ok(FashionMnist { images: images.to_vec(), labels: labels.to_vec() })
}

/// Gzips `bytes` at the best compression (deterministic: no time stamp in the header).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("writing to a Vec cannot fail");
    encoder.finish().expect("writing to a Vec cannot fail")
}

/// Cuts `data` into gzipped shards named `<prefix>-<index>-<first 12 hex digits of the hash>.nins.gz`.
pub fn cut(data: &FashionMnist, prefix: &str, shard_images: usize) -> Vec<(ShardInfo, Vec<u8>)> {
    (0..data.len().div_ceil(shard_images.max(1)))
        .map(|i| {
            let start = i * shard_images;
            let end = (start + shard_images).min(data.len());
            let part = FashionMnist {
                images: data.images[start * FashionMnist::PIXELS..end * FashionMnist::PIXELS].to_vec(),
                labels: data.labels[start..end].to_vec(),
            };
            let gz = gzip(&encode(&part));
            let sha256 = sha256_hex(&gz);
            let file = format!("{prefix}-{i:02}-{}.nins.gz", &sha256[..12]);
            (ShardInfo { file, images: end - start, bytes: gz.len() as u64, sha256 }, gz)
        })
        .collect()
}

/// The manifest and files for a training and a test set.
pub fn build(train: &FashionMnist, test: &FashionMnist, shard_images: usize) -> (Manifest, Vec<(String, Vec<u8>)>) {
    let (train, test) = (cut(train, "train", shard_images), cut(test, "test", shard_images));
    let manifest =
        Manifest { format: FORMAT, shard_images, train: train.iter().map(|(i, _)| i.clone()).collect(), test: test.iter().map(|(i, _)| i.clone()).collect() };
    let files = train.into_iter().chain(test).map(|(i, gz)| (i.file, gz)).collect();
    (manifest, files)
}

/// Reads the first shards of `set` holding at least `images` images from a directory the way
/// the page fetches them (manifest, size and checksum, then the shard): for native tests and
/// tools, so they train on exactly the images the page would.
pub fn read_dir(dir: &std::path::Path, set: Set, images: usize) -> Result<FashionMnist, DataError> {
    let io = |file: &str, e: std::io::Error| DataError::Network { url: dir.join(file).display().to_string(), reason: e.to_string() };
    let json = std::fs::read_to_string(dir.join(MANIFEST)).map_err(|e| io(MANIFEST, e))?;
    let manifest = Manifest::parse(&json)?;
    let mut out = FashionMnist { images: Vec::new(), labels: Vec::new() };
    for info in manifest.needed(set, images)? {
        let gz = std::fs::read(dir.join(&info.file)).map_err(|e| io(&info.file, e))?;
        verify(&gz, info)?;
        out.extend(&decode(&crate::gunzip(&gz, &info.file)?, &info.file, info.images)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` images whose pixels encode their index, labels cycling 0-9.
    fn data(n: usize, offset: usize) -> FashionMnist {
        FashionMnist {
            images: (0..n).flat_map(|i| std::iter::repeat_n(((i + offset) % 251) as u8, FashionMnist::PIXELS)).collect(),
            labels: (0..n).map(|i| ((i + offset) % 10) as u8).collect(),
        }
    }

    fn ungz(gz: &[u8]) -> Vec<u8> {
        crate::gunzip(gz, "shard").unwrap()
    }

    #[test]
    fn shards_round_trip_and_the_manifest_lists_them() {
        let (train, test) = (data(25, 0), data(7, 100));
        let (manifest, files) = build(&train, &test, 10);
        assert_eq!(manifest.train.iter().map(|s| s.images).collect::<Vec<_>>(), vec![10, 10, 5]);
        assert_eq!(manifest.test.iter().map(|s| s.images).collect::<Vec<_>>(), vec![7]);
        assert_eq!(files.len(), 4);
        // The manifest survives JSON, and every file matches its entry.
        let back = Manifest::parse(&serde_json::to_string(&manifest).unwrap()).unwrap();
        assert_eq!(back, manifest);
        let mut joined = FashionMnist { images: vec![], labels: vec![] };
        for (info, (name, gz)) in manifest.train.iter().zip(&files) {
            assert_eq!(&info.file, name);
            assert!(name.starts_with("train-") && name.ends_with(".nins.gz"), "{name}");
            verify(gz, info).unwrap();
            joined.extend(&decode(&ungz(gz), name, info.images).unwrap());
        }
        assert_eq!(joined, train);
        let (info, (_, gz)) = (&manifest.test[0], &files[3]);
        assert_eq!(decode(&ungz(gz), &info.file, 7).unwrap(), test);
        // Deterministic: the same data gives the same files (and names).
        assert_eq!(build(&train, &test, 10).0, manifest);
    }

    #[test]
    fn a_run_fetches_only_the_shards_it_needs() {
        let (manifest, _) = build(&data(25, 0), &data(7, 0), 10);
        assert_eq!(manifest.needed(Set::Train, 1).unwrap().len(), 1);
        assert_eq!(manifest.needed(Set::Train, 10).unwrap().len(), 1);
        assert_eq!(manifest.needed(Set::Train, 11).unwrap().len(), 2);
        assert_eq!(manifest.needed(Set::Train, 25).unwrap().len(), 3);
        assert_eq!(manifest.needed(Set::Train, 0).unwrap().len(), 0);
        assert_eq!(manifest.needed(Set::Train, 26), Err(DataError::NotEnoughData { set: "training".into(), wanted: 26, available: 25 }));
        let bytes = manifest.download_bytes(11, 7).unwrap();
        assert_eq!(bytes, manifest.train[0].bytes + manifest.train[1].bytes + manifest.test[0].bytes);
    }

    #[test]
    fn every_damaged_shard_is_a_typed_error() {
        let (manifest, files) = build(&data(12, 0), &data(3, 0), 10);
        let (info, gz) = (&manifest.train[0], &files[0].1);
        // Truncated download, flipped byte.
        assert!(matches!(verify(&gz[..gz.len() - 1], info), Err(DataError::Checksum { .. })));
        let mut flipped = gz.clone();
        flipped[20] ^= 1;
        assert!(matches!(verify(&flipped, info), Err(DataError::Checksum { .. })));
        let raw = ungz(gz);
        // Wrong magic, wrong side, wrong count, cut short, a label outside 0-9.
        let mut bad = raw.clone();
        bad[0] = b'X';
        assert!(matches!(decode(&bad, "s", 10), Err(DataError::WrongMagic { expected: SHARD_MAGIC, .. })));
        let mut bad = raw.clone();
        bad[11] = 32;
        assert!(matches!(decode(&bad, "s", 10), Err(DataError::WrongDimensions { rows: 32, .. })));
        assert_eq!(decode(&raw, "s", 9), Err(DataError::ShardCount { file: "s".into(), expected: 9, got: 10 }));
        assert!(matches!(decode(&raw[..raw.len() - 5], "s", 10), Err(DataError::Truncated { .. })));
        assert!(matches!(decode(&raw[..7], "s", 10), Err(DataError::Truncated { expected: 16, got: 7, .. })));
        let mut bad = raw.clone();
        bad[HEADER + 3] = 12;
        assert!(matches!(decode(&bad, "s", 10), Err(DataError::BadLabel { index: 3, label: 12, .. })));
    }

    #[test]
    fn a_directory_reads_back_like_the_page_fetches_it() {
        let dir = std::env::temp_dir().join(format!("nin-shards-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (train, test) = (data(25, 0), data(7, 3));
        let (manifest, files) = build(&train, &test, 10);
        for (name, gz) in &files {
            std::fs::write(dir.join(name), gz).unwrap();
        }
        std::fs::write(dir.join(MANIFEST), serde_json::to_string(&manifest).unwrap()).unwrap();
        assert_eq!(read_dir(&dir, Set::Train, 12).unwrap(), train.prefix(20));
        assert_eq!(read_dir(&dir, Set::Test, 7).unwrap(), test);
        // A damaged file on disk is caught by its checksum.
        std::fs::write(dir.join(&manifest.train[1].file), b"damaged").unwrap();
        assert!(matches!(read_dir(&dir, Set::Train, 12), Err(DataError::Checksum { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_hostile_manifest_is_refused() {
        let (manifest, _) = build(&data(12, 0), &data(3, 0), 10);
        let json = |m: &Manifest| serde_json::to_string(m).unwrap();
        assert!(matches!(Manifest::parse("{"), Err(DataError::Manifest(_))));
        assert!(matches!(Manifest::parse("[]"), Err(DataError::Manifest(_))));
        let mut m = manifest.clone();
        m.format = 2;
        assert!(matches!(Manifest::parse(&json(&m)), Err(DataError::Manifest(r)) if r.contains("format 2")));
        for name in ["../secret", "a/b.gz", ".hidden", "", "x".repeat(100).as_str(), "na me"] {
            let mut m = manifest.clone();
            m.train[0].file = name.to_string();
            assert!(matches!(Manifest::parse(&json(&m)), Err(DataError::Manifest(_))), "{name:?}");
        }
        let mut m = manifest.clone();
        m.test[0].sha256 = "ABC".into();
        assert!(Manifest::parse(&json(&m)).is_err());
        let mut m = manifest.clone();
        m.train[0].images = 11;
        assert!(Manifest::parse(&json(&m)).is_err());
        let mut m = manifest;
        m.train[1].bytes = 0;
        assert!(Manifest::parse(&json(&m)).is_err());
    }
}
