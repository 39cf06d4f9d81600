//! Downloads the Fashion-MNIST shards served with the site (only those a run needs; see
//! `nin_data::shards`), checks each against the manifest, reports bytes as they arrive so the
//! page can show a progress bar, and keeps the parsed images for the session.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response};

use crate::data::shards::{self, Manifest, Set, ShardInfo};
use crate::data::{self, DataError, FashionMnist};

// The browser's own gzip (DecompressionStream), fed 1 MiB at a time with a macrotask between
// pieces, so no single task is long (flate2 in wasm blocked the page for ~0.5 s on the 26 MB
// training images; one whole-buffer chunk still took ~0.3 s in one task).
// (The JS is in a file, not `inline_js`: see the file's header.)
#[wasm_bindgen(module = "/src/js/fetch.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = gunzip)]
    async fn gunzip_js(bytes: Uint8Array) -> Result<JsValue, JsValue>;
    async fn forget_shard(url: &str) -> JsValue;
}

/// Gunzips one downloaded file in the browser.
async fn gunzip(bytes: &[u8], file: &str) -> Result<Vec<u8>, DataError> {
    data::check_gzip(bytes, file)?;
    let out = gunzip_js(Uint8Array::from(bytes)).await.map_err(|e| {
        let reason = Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"));
        DataError::Gzip { file: file.into(), reason }
    })?;
    Ok(out.unchecked_into::<Uint8Array>().to_vec())
}

/// Where the site serves the shards and their manifest, relative to the page (so it works under
/// a sub-path).
pub const DATA_DIR: &str = "data/fashion-mnist";

fn network(url: &str, e: JsValue) -> DataError {
    if !web_sys::window().is_none_or(|w| w.navigator().on_line()) {
        return DataError::Offline { url: url.to_string() };
    }
    DataError::Network { url: url.to_string(), reason: crate::client::js_error_text(&e) }
}

/// Fetches `url`, calling `progress(bytes_so_far)` for each piece that arrives.
pub async fn fetch_bytes(url: &str, progress: impl Fn(u64)) -> Result<Vec<u8>, DataError> {
    let window = web_sys::window().ok_or_else(|| network(url, JsValue::from_str("no window")))?;
    let response: Response = JsFuture::from(window.fetch_with_str(url)).await.map_err(|e| network(url, e))?.unchecked_into();
    if !response.ok() {
        return Err(DataError::Http { url: url.to_string(), status: response.status() });
    }
    let Some(body) = response.body() else { return Ok(Vec::new()) };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|e| network(url, e))?;
        if Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            break;
        }
        let value = Reflect::get(&chunk, &"value".into()).map_err(|e| network(url, e))?;
        out.extend(value.unchecked_into::<Uint8Array>().to_vec());
        progress(out.len() as u64);
    }
    Ok(out)
}

/// The training and test images fetched so far: the first shards of each file, in order (so
/// indices stay valid as more shards arrive).
pub struct Datasets {
    pub train: FashionMnist,
    pub test: FashionMnist,
    train_shards: usize,
    test_shards: usize,
}

thread_local! {
    static MANIFEST: RefCell<Option<Rc<Manifest>>> = const { RefCell::new(None) };
    static CACHE: RefCell<Option<Rc<Datasets>>> = const { RefCell::new(None) };
}

/// The site's data manifest, fetched once per page load.
pub async fn manifest() -> Result<Rc<Manifest>, DataError> {
    if let Some(m) = MANIFEST.with(|m| m.borrow().clone()) {
        return Ok(m);
    }
    let url = format!("{DATA_DIR}/{}", shards::MANIFEST);
    let bytes = fetch_bytes(&url, |_| ()).await?;
    let text = String::from_utf8(bytes).map_err(|_| DataError::Manifest("not UTF-8 text".into()))?;
    let m = Rc::new(Manifest::parse(&text)?);
    MANIFEST.with(|c| *c.borrow_mut() = Some(m.clone()));
    Ok(m)
}

/// Downloads, checks (size, SHA-256) and parses one shard.
async fn shard(info: &ShardInfo, progress: impl Fn(u64)) -> Result<FashionMnist, DataError> {
    let url = format!("{DATA_DIR}/{}", info.file);
    let mut gz = fetch_bytes(&url, &progress).await?;
    if let Err(e) = shards::verify(&gz, info) {
        // A damaged stored copy: drop it from the data cache and fetch it once more.
        if forget_shard(&url).await.as_bool() != Some(true) {
            return Err(e);
        }
        gz = fetch_bytes(&url, &progress).await?;
        shards::verify(&gz, info)?;
    }
    let raw = gunzip(&gz, &info.file).await?;
    shards::decode(&raw, &info.file, info.images)
}

/// At least `train` images of the training file and `test` of the test file: the shards that
/// are not here yet are downloaded (`progress(done, total)` in bytes of this download), the
/// ones a previous run fetched are reused.
pub async fn datasets(train: usize, test: usize, progress: impl Fn(u64, u64) + Clone) -> Result<Rc<Datasets>, DataError> {
    let manifest = manifest().await?;
    let (want_train, want_test) = (manifest.needed(Set::Train, train)?, manifest.needed(Set::Test, test)?);
    let current = CACHE.with(|c| c.borrow().clone());
    let (have_train, have_test) = current.as_ref().map_or((0, 0), |d| (d.train_shards, d.test_shards));
    if let Some(d) = &current
        && want_train.len() <= have_train
        && want_test.len() <= have_test
    {
        return Ok(d.clone());
    }
    let missing: Vec<(Set, &ShardInfo)> =
        want_train.iter().skip(have_train).map(|s| (Set::Train, s)).chain(want_test.iter().skip(have_test).map(|s| (Set::Test, s))).collect();
    let total: u64 = missing.iter().map(|(_, s)| s.bytes).sum();
    let empty = || FashionMnist { images: Vec::new(), labels: Vec::new() };
    let (mut train_set, mut test_set) = match &current {
        Some(d) => (d.train.clone(), d.test.clone()),
        None => (empty(), empty()),
    };
    let mut done = 0;
    for (set, info) in &missing {
        let p = progress.clone();
        let base = done;
        let part = shard(info, move |n| p(base + n.min(info.bytes), total)).await?;
        done += info.bytes;
        match set {
            Set::Train => train_set.extend(&part),
            Set::Test => test_set.extend(&part),
        }
    }
    let sets =
        Rc::new(Datasets { train: train_set, test: test_set, train_shards: have_train.max(want_train.len()), test_shards: have_test.max(want_test.len()) });
    CACHE.with(|c| *c.borrow_mut() = Some(sets.clone()));
    Ok(sets)
}

/// Bytes a run needing `train` and `test` images would download now (none when a previous run
/// fetched them); `None` before the manifest is here.
pub fn download_bytes(train: usize, test: usize) -> Option<u64> {
    let manifest = MANIFEST.with(|m| m.borrow().clone())?;
    let (have_train, have_test) = CACHE.with(|c| c.borrow().as_ref().map_or((0, 0), |d| (d.train_shards, d.test_shards)));
    let sum = |set: Set, n: usize, have: usize| manifest.needed(set, n).map(|s| s.iter().skip(have).map(|s| s.bytes).sum::<u64>());
    Some(sum(Set::Train, train, have_train).ok()? + sum(Set::Test, test, have_test).ok()?)
}

/// The datasets if a run has already downloaded them.
pub fn cached() -> Option<Rc<Datasets>> {
    CACHE.with(|c| c.borrow().clone())
}
