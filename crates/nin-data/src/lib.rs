//! Fashion-MNIST: parsing the gzipped IDX files into u8 images and labels, with a typed error
//! for every malformed case, and the compressed shards the site serves instead of the whole
//! files ([`shards`]). Images stay u8 (47 MB for 60k) and become f32 per batch.

pub mod shards;

use std::io::Read;

use flate2::read::GzDecoder;

/// The ten classes, in label order.
pub const CLASS_NAMES_EN: [&str; 10] = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
/// The ten classes in Japanese.
pub const CLASS_NAMES_JA: [&str; 10] =
    ["Tシャツ/トップ", "ズボン", "プルオーバー", "ドレス", "コート", "サンダル", "シャツ", "スニーカー", "バッグ", "アンクルブーツ"];

/// File names of the four IDX files, as served under `data/fashion-mnist/`.
pub const TRAIN_IMAGES: &str = "train-images-idx3-ubyte.gz";
pub const TRAIN_LABELS: &str = "train-labels-idx1-ubyte.gz";
pub const TEST_IMAGES: &str = "t10k-images-idx3-ubyte.gz";
pub const TEST_LABELS: &str = "t10k-labels-idx1-ubyte.gz";

const IMAGES_MAGIC: u32 = 2051;
const LABELS_MAGIC: u32 = 2049;
const SIDE: usize = 28;

/// Why a data file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    #[error("{file}: not a gzip file")]
    NotGzip { file: String },
    #[error("{file}: the gzip data is damaged ({reason})")]
    Gzip { file: String, reason: String },
    #[error("{file}: magic number {got}, expected {expected}")]
    WrongMagic { file: String, expected: u32, got: u32 },
    #[error("{file}: images are {rows}x{cols}, expected 28x28")]
    WrongDimensions { file: String, rows: u32, cols: u32 },
    #[error("{file}: {got} bytes of data, the header promises {expected}")]
    Truncated { file: String, expected: usize, got: usize },
    #[error("{images} images but {labels} labels")]
    CountMismatch { images: usize, labels: usize },
    #[error("{file}: label {label} at index {index} is not a class 0-9")]
    BadLabel { file: String, index: usize, label: u8 },
    #[error("{url}: HTTP {status}")]
    Http { url: String, status: u16 },
    #[error("{url}: download failed ({reason})")]
    Network { url: String, reason: String },
    /// The device is offline and the file is not stored by the page's service worker.
    #[error("{url}: offline, and not stored on this device")]
    Offline { url: String },
    /// A shard's bytes do not match the manifest (a damaged or stale download).
    #[error("{file}: checksum {got}, the manifest says {expected}")]
    Checksum { file: String, expected: String, got: String },
    /// A shard holds another number of images than the manifest says.
    #[error("{file}: {got} images, the manifest says {expected}")]
    ShardCount { file: String, expected: usize, got: usize },
    /// The manifest cannot be read or breaks a rule.
    #[error("the data manifest is not valid: {0}")]
    Manifest(String),
    /// The served data has fewer images than a run needs.
    #[error("the run needs {wanted} images of the {set} set, the site serves {available}")]
    NotEnoughData { set: String, wanted: usize, available: usize },
}

/// Images (row-major, 28x28 u8 each) with their labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FashionMnist {
    pub images: Vec<u8>,
    pub labels: Vec<u8>,
}

impl FashionMnist {
    pub const PIXELS: usize = SIDE * SIDE;

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The pixels of image `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        &self.images[i * Self::PIXELS..(i + 1) * Self::PIXELS]
    }

    /// The first `n` images (all of them if there are fewer).
    pub fn prefix(&self, n: usize) -> Self {
        let n = n.min(self.len());
        Self { images: self.images[..n * Self::PIXELS].to_vec(), labels: self.labels[..n].to_vec() }
    }

    /// Appends `other`'s images after this set's.
    pub fn extend(&mut self, other: &FashionMnist) {
        self.images.extend_from_slice(&other.images);
        self.labels.extend_from_slice(&other.labels);
    }

    /// Parses a pair of gzipped IDX files (images, labels).
    pub fn from_gz(images_gz: &[u8], images_name: &str, labels_gz: &[u8], labels_name: &str) -> Result<Self, DataError> {
        let images = gunzip(images_gz, images_name)?;
        let labels = gunzip(labels_gz, labels_name)?;
        Self::from_idx(&images, images_name, &labels, labels_name)
    }

    /// Parses a pair of uncompressed IDX files.
    pub fn from_idx(images: &[u8], images_name: &str, labels: &[u8], labels_name: &str) -> Result<Self, DataError> {
        let (n_images, pixels) = parse_images(images, images_name)?;
        let (n_labels, label_bytes) = parse_labels(labels, labels_name)?;
        if n_images != n_labels {
            return Err(DataError::CountMismatch { images: n_images, labels: n_labels });
        }
        if let Some((index, &label)) = label_bytes.iter().enumerate().find(|(_, l)| **l > 9) {
            return Err(DataError::BadLabel { file: labels_name.into(), index, label });
        }
        Ok(Self { images: pixels.to_vec(), labels: label_bytes.to_vec() })
    }
}

/// Checks the gzip magic bytes (the page gunzips with the browser's DecompressionStream and
/// checks the same way first).
pub fn check_gzip(bytes: &[u8], file: &str) -> Result<(), DataError> {
    if bytes.len() < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b {
        return Err(DataError::NotGzip { file: file.into() });
    }
    Ok(())
}

/// Gunzips a whole file natively (the page uses the browser's DecompressionStream).
pub fn gunzip(bytes: &[u8], file: &str) -> Result<Vec<u8>, DataError> {
    check_gzip(bytes, file)?;
    let mut out = Vec::new();
    GzDecoder::new(bytes).read_to_end(&mut out).map_err(|e| DataError::Gzip { file: file.into(), reason: e.to_string() })?;
    Ok(out)
}

fn be_u32(bytes: &[u8], at: usize, file: &str, header: usize) -> Result<u32, DataError> {
    bytes.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])).ok_or(DataError::Truncated {
        file: file.into(),
        expected: header,
        got: bytes.len(),
    })
}

fn parse_images<'a>(bytes: &'a [u8], file: &str) -> Result<(usize, &'a [u8]), DataError> {
    let magic = be_u32(bytes, 0, file, 16)?;
    if magic != IMAGES_MAGIC {
        return Err(DataError::WrongMagic { file: file.into(), expected: IMAGES_MAGIC, got: magic });
    }
    let count = be_u32(bytes, 4, file, 16)? as usize;
    let rows = be_u32(bytes, 8, file, 16)?;
    let cols = be_u32(bytes, 12, file, 16)?;
    if rows as usize != SIDE || cols as usize != SIDE {
        return Err(DataError::WrongDimensions { file: file.into(), rows, cols });
    }
    let expected = count.saturating_mul(SIDE * SIDE);
    let data = &bytes[16..];
    if data.len() < expected {
        return Err(DataError::Truncated { file: file.into(), expected, got: data.len() });
    }
    Ok((count, &data[..expected]))
}

fn parse_labels<'a>(bytes: &'a [u8], file: &str) -> Result<(usize, &'a [u8]), DataError> {
    let magic = be_u32(bytes, 0, file, 8)?;
    if magic != LABELS_MAGIC {
        return Err(DataError::WrongMagic { file: file.into(), expected: LABELS_MAGIC, got: magic });
    }
    let count = be_u32(bytes, 4, file, 8)? as usize;
    let data = &bytes[8..];
    if data.len() < count {
        return Err(DataError::Truncated { file: file.into(), expected: count, got: data.len() });
    }
    Ok((count, &data[..count]))
}

#[cfg(test)]
pub(crate) mod fixtures {
    use std::io::Write;

    use flate2::{Compression, write::GzEncoder};

    /// An IDX image file with `n` images whose pixels encode their index.
    pub fn images_idx(n: u32, rows: u32, cols: u32) -> Vec<u8> {
        let mut out = Vec::new();
        for v in [2051, n, rows, cols] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        for i in 0..n {
            out.extend(std::iter::repeat_n(i as u8, (rows * cols) as usize));
        }
        out
    }

    pub fn labels_idx(labels: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&2049u32.to_be_bytes());
        out.extend_from_slice(&(labels.len() as u32).to_be_bytes());
        out.extend_from_slice(labels);
        out
    }

    pub fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    fn parse(images: Vec<u8>, labels: Vec<u8>) -> Result<FashionMnist, DataError> {
        FashionMnist::from_gz(&gz(&images), "img", &gz(&labels), "lbl")
    }

    #[test]
    fn parses_a_valid_pair() {
        let d = parse(images_idx(3, 28, 28), labels_idx(&[9, 0, 4])).unwrap();
        assert_eq!(d.len(), 3);
        assert_eq!(d.labels, vec![9, 0, 4]);
        assert!(d.image(2).iter().all(|&p| p == 2));
    }

    #[test]
    fn every_malformed_case_is_a_typed_error() {
        let ok_labels = labels_idx(&[1, 2]);
        // not gzip
        assert_eq!(FashionMnist::from_gz(&images_idx(2, 28, 28), "img", &gz(&ok_labels), "lbl"), Err(DataError::NotGzip { file: "img".into() }));
        // damaged gzip
        let mut broken = gz(&images_idx(2, 28, 28));
        broken.truncate(broken.len() / 2);
        assert!(matches!(FashionMnist::from_gz(&broken, "img", &gz(&ok_labels), "lbl"), Err(DataError::Gzip { .. })));
        // wrong magic (labels file given as images)
        assert!(matches!(parse(ok_labels.clone(), ok_labels.clone()), Err(DataError::WrongMagic { expected: 2051, got: 2049, .. })));
        // wrong dimensions
        assert!(matches!(parse(images_idx(2, 32, 32), ok_labels.clone()), Err(DataError::WrongDimensions { rows: 32, .. })));
        // truncated pixels and truncated header
        let mut short = images_idx(2, 28, 28);
        short.truncate(16 + 784 + 10);
        assert!(matches!(parse(short, ok_labels.clone()), Err(DataError::Truncated { expected: 1568, got: 794, .. })));
        assert!(matches!(parse(vec![0, 0, 8], ok_labels.clone()), Err(DataError::Truncated { .. })));
        let mut short_labels = labels_idx(&[1, 2]);
        short_labels.pop();
        assert!(matches!(parse(images_idx(2, 28, 28), short_labels), Err(DataError::Truncated { expected: 2, got: 1, .. })));
        // count mismatch
        assert_eq!(parse(images_idx(3, 28, 28), ok_labels), Err(DataError::CountMismatch { images: 3, labels: 2 }));
        // a label outside 0-9
        assert!(matches!(parse(images_idx(2, 28, 28), labels_idx(&[1, 12])), Err(DataError::BadLabel { index: 1, label: 12, .. })));
    }
}
