//! The build step that turns the four Fashion-MNIST IDX files into the shards and manifest the
//! site serves: `make-shards <dir with the IDX .gz files> <output dir>`. Run by
//! `scripts/setup.sh`; deterministic, so the same data gives the same files and names.

use std::path::Path;
use std::process::ExitCode;

use nin_data::shards::{self, MANIFEST, SHARD_IMAGES};
use nin_data::{FashionMnist, TEST_IMAGES, TEST_LABELS, TRAIN_IMAGES, TRAIN_LABELS};

fn read_set(dir: &Path, images: &str, labels: &str) -> Result<FashionMnist, String> {
    let read = |name: &str| std::fs::read(dir.join(name)).map_err(|e| format!("{}: {e}", dir.join(name).display()));
    FashionMnist::from_gz(&read(images)?, images, &read(labels)?, labels).map_err(|e| e.to_string())
}

fn run(src: &Path, dst: &Path) -> Result<String, String> {
    let train = read_set(src, TRAIN_IMAGES, TRAIN_LABELS)?;
    let test = read_set(src, TEST_IMAGES, TEST_LABELS)?;
    let (manifest, files) = shards::build(&train, &test, SHARD_IMAGES);
    std::fs::create_dir_all(dst).map_err(|e| format!("{}: {e}", dst.display()))?;
    let mut total = 0;
    for (name, bytes) in &files {
        total += bytes.len();
        std::fs::write(dst.join(name), bytes).map_err(|e| format!("{name}: {e}"))?;
    }
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(dst.join(MANIFEST), json).map_err(|e| format!("{MANIFEST}: {e}"))?;
    Ok(format!("{} shards ({} training, {} test images), {total} bytes, in {}", files.len(), train.len(), test.len(), dst.display()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [src, dst] = args.as_slice() else {
        eprintln!("usage: make-shards <dir with the four Fashion-MNIST IDX .gz files> <output dir>");
        return ExitCode::from(2);
    };
    match run(Path::new(src), Path::new(dst)) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make-shards: {e}");
            ExitCode::FAILURE
        }
    }
}
