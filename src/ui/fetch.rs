//! Downloads the Fashion-MNIST files served with the site, reporting bytes as they arrive so
//! the page can show a progress bar, and keeps the parsed sets for the session.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response};

use crate::data::{self, DataError, FashionMnist, TEST_IMAGES, TEST_LABELS, TRAIN_IMAGES, TRAIN_LABELS};

// The browser's own gzip (DecompressionStream), fed 1 MiB at a time with a macrotask between
// pieces, so no single task is long (flate2 in wasm blocked the page for ~0.5 s on the 26 MB
// training images; one whole-buffer chunk still took ~0.3 s in one task).
#[wasm_bindgen(inline_js = r#"
export async function gunzip(bytes) {
  const PIECE = 1 << 20;
  let at = 0;
  const source = new ReadableStream({
    async pull(controller) {
      if (at >= bytes.length) { controller.close(); return; }
      await new Promise((resolve) => setTimeout(resolve, 0));
      controller.enqueue(bytes.subarray(at, at + PIECE));
      at += PIECE;
    },
  }, { highWaterMark: 0 });
  const stream = source.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = gunzip)]
    async fn gunzip_js(bytes: Uint8Array) -> Result<JsValue, JsValue>;
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

/// Parses a pair of downloaded gzipped IDX files (images, labels).
async fn parse(images_gz: &[u8], images_name: &str, labels_gz: &[u8], labels_name: &str) -> Result<FashionMnist, DataError> {
    let images = gunzip(images_gz, images_name).await?;
    let labels = gunzip(labels_gz, labels_name).await?;
    FashionMnist::from_idx(&images, images_name, &labels, labels_name)
}

/// Where the site serves the files, relative to the page (so it works under a sub-path).
pub const DATA_DIR: &str = "data/fashion-mnist";

/// The four files in download order, with their sizes in bytes (for the bar when the server
/// sends no Content-Length).
pub const FILES: [(&str, u64); 4] =
    [(TRAIN_IMAGES, 26_421_856), (TRAIN_LABELS, 29_491), (TEST_IMAGES, 4_422_079), (TEST_LABELS, 5_125)];

fn network(url: &str, e: JsValue) -> DataError {
    DataError::Network { url: url.to_string(), reason: e.as_string().unwrap_or_else(|| format!("{e:?}")) }
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

/// The training and test sets, parsed.
pub struct Datasets {
    pub train: FashionMnist,
    pub test: FashionMnist,
}

thread_local! {
    static CACHE: RefCell<Option<Rc<Datasets>>> = const { RefCell::new(None) };
}

/// The datasets, downloaded and parsed once per page load. `progress(done, total)` in bytes.
pub async fn datasets(progress: impl Fn(u64, u64) + Clone) -> Result<Rc<Datasets>, DataError> {
    if let Some(d) = CACHE.with(|c| c.borrow().clone()) {
        return Ok(d);
    }
    let total: u64 = FILES.iter().map(|f| f.1).sum();
    let mut done = 0;
    let mut bytes = Vec::new();
    for (name, size) in FILES {
        let url = format!("{DATA_DIR}/{name}");
        let p = progress.clone();
        let base = done;
        bytes.push(fetch_bytes(&url, move |n| p(base + n.min(size), total)).await?);
        done += size;
    }
    let train = parse(&bytes[0], TRAIN_IMAGES, &bytes[1], TRAIN_LABELS).await?;
    let test = parse(&bytes[2], TEST_IMAGES, &bytes[3], TEST_LABELS).await?;
    let sets = Rc::new(Datasets { train, test });
    CACHE.with(|c| *c.borrow_mut() = Some(sets.clone()));
    Ok(sets)
}

/// The datasets if a run has already downloaded them.
pub fn cached() -> Option<Rc<Datasets>> {
    CACHE.with(|c| c.borrow().clone())
}
