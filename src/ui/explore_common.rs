//! What both explorables share: a Fashion-MNIST test picture to look at, and drawing pixels
//! onto a canvas (each figure keeps its own RGBA buffers; the canvas only shows them).

use wasm_bindgen::{Clamped, JsCast};

use super::fetch;
use crate::data::DataError;
use crate::data::sketch::Prepared;
use crate::figure::heat::Atlas;

/// Test picture `index` (wrapped to the shard's size), or a random one, with its label; one
/// shard of the test file (2,500 images) is fetched if none is cached yet.
pub async fn test_picture(index: Option<usize>) -> Result<(Prepared, u8), DataError> {
    let sets = match fetch::cached().filter(|s| !s.test.is_empty()) {
        Some(s) => s,
        None => fetch::datasets(0, 1, |_, _| ()).await?,
    };
    let n = sets.test.len().max(1);
    let i = index.unwrap_or_else(|| (js_sys::Math::random() * n as f64) as usize) % n;
    Ok((Prepared { pixels: sets.test.image(i).to_vec(), inverted: false }, sets.test.labels[i]))
}

/// Shows `rgba` (`width x height`) on `canvas`, resizing the canvas to it.
pub fn put_rgba(canvas: &web_sys::HtmlCanvasElement, width: usize, height: usize, rgba: &[u8]) {
    if canvas.width() != width as u32 || canvas.height() != height as u32 {
        canvas.set_width(width as u32);
        canvas.set_height(height as u32);
    }
    let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
    let ctx: web_sys::CanvasRenderingContext2d = ctx.unchecked_into();
    if let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width as u32, height as u32) {
        let _ = ctx.put_image_data(&image, 0.0, 0.0);
    }
}

/// The pointer's position in canvas pixels (the canvas is scaled by CSS).
pub fn canvas_point(canvas: &web_sys::HtmlCanvasElement, ev: &web_sys::PointerEvent) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    let sx = canvas.width() as f64 / rect.width().max(1.0);
    let sy = canvas.height() as f64 / rect.height().max(1.0);
    ((ev.client_x() as f64 - rect.left()) * sx, (ev.client_y() as f64 - rect.top()) * sy)
}

/// A vector as the JSON the `data-values` attributes carry (tests and assistive tools).
pub fn json(values: &[f32]) -> String {
    serde_json::to_string(values).unwrap_or_default()
}

/// Marks pixel (y, x) of every map of `atlas` in its picture `rgba`: a bright ring around it
/// where the maps are big enough to hold one, else the pixel itself.
pub fn mark(rgba: &mut [u8], atlas: &Atlas, y: usize, x: usize) {
    let (width, _) = atlas.size();
    let ring = atlas.height >= 8 && atlas.width >= 8;
    let offsets: &[(isize, isize)] = if ring { &[(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)] } else { &[(0, 0)] };
    for map in 0..atlas.count {
        for &(dy, dx) in offsets {
            let (Some(py), Some(px)) = (y.checked_add_signed(dy), x.checked_add_signed(dx)) else { continue };
            if py < atlas.height && px < atlas.width {
                let (cx, cy) = atlas.place(map, py, px);
                rgba[(cy * width + cx) * 4..][..3].copy_from_slice(&[255, 96, 0]);
            }
        }
    }
}
