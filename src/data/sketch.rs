//! A drawing or an uploaded picture turned into the 28x28 input the model was trained on.
//!
//! Fashion-MNIST images are grey, with the garment light on a black background, centred and
//! filling most of the frame. So: RGBA -> grey; invert when the picture has a light
//! background (a photo of a shirt on a table, a dark pen on white); crop to the square around
//! the object with a small margin; box-filter down to 28x28; stretch to the full 0-255 range.

use super::FashionMnist;

const SIDE: usize = 28;
/// Pixels darker than this share of the brightest one count as background when cropping.
const OBJECT_THRESHOLD: f32 = 0.15;
/// Margin around the object's bounding square, as a share of its side (Fashion-MNIST leaves
/// about one pixel of 28 around most garments).
const MARGIN: f32 = 0.06;

/// Why a picture cannot become an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SketchError {
    #[error("the picture has no pixels ({width} x {height})")]
    Empty { width: usize, height: usize },
    #[error("{got} bytes for a {width} x {height} RGBA picture, expected {expected}")]
    WrongLength { width: usize, height: usize, expected: usize, got: usize },
    #[error("the picture is blank: draw or upload something first")]
    Blank,
}

/// The model's input and how it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// 28x28 grey pixels, row-major, object light on dark.
    pub pixels: Vec<u8>,
    /// Whether the picture was inverted (it had a light background).
    pub inverted: bool,
}

impl Prepared {
    /// As a one-image dataset, so the training code's `batch` builds the tensor.
    pub fn as_dataset(&self) -> FashionMnist {
        FashionMnist { images: self.pixels.clone(), labels: vec![0] }
    }
}

/// RGBA bytes (as a canvas gives them) -> the 28x28 input. Transparent pixels count as black.
pub fn to_input(rgba: &[u8], width: usize, height: usize) -> Result<Prepared, SketchError> {
    if width == 0 || height == 0 {
        return Err(SketchError::Empty { width, height });
    }
    let expected = width.checked_mul(height).and_then(|n| n.checked_mul(4)).unwrap_or(usize::MAX);
    if rgba.len() != expected {
        return Err(SketchError::WrongLength { width, height, expected, got: rgba.len() });
    }
    let mut grey: Vec<f32> = rgba.chunks_exact(4).map(|p| (0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32) * p[3] as f32 / 255.0).collect();

    // A light border means a light background: invert.
    let border: Vec<f32> = (0..width)
        .flat_map(|x| [grey[x], grey[(height - 1) * width + x]])
        .chain((0..height).flat_map(|y| [grey[y * width], grey[y * width + width - 1]]))
        .collect();
    let inverted = border.iter().sum::<f32>() / border.len() as f32 > 127.5;
    if inverted {
        grey.iter_mut().for_each(|g| *g = 255.0 - *g);
    }

    let (min, max) = grey.iter().fold((f32::MAX, f32::MIN), |(lo, hi), &g| (lo.min(g), hi.max(g)));
    if max - min < 8.0 {
        return Err(SketchError::Blank);
    }
    // The object's bounding box, then the square around it with a margin.
    let threshold = min + OBJECT_THRESHOLD * (max - min);
    let (mut x0, mut y0, mut x1, mut y1) = (width, height, 0, 0);
    for y in 0..height {
        for x in 0..width {
            if grey[y * width + x] > threshold {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    let side = ((x1 - x0 + 1).max(y1 - y0 + 1) as f32 * (1.0 + 2.0 * MARGIN)).ceil();
    let (cx, cy) = ((x0 + x1 + 1) as f32 / 2.0, (y0 + y1 + 1) as f32 / 2.0);
    let (left, top) = (cx - side / 2.0, cy - side / 2.0);

    // Box filter: each output pixel averages the source area it covers (outside is background).
    let cell = side / SIDE as f32;
    let sample = |x: f32, y: f32| -> f32 {
        let (xi, yi) = (x.floor() as isize, y.floor() as isize);
        if xi < 0 || yi < 0 || xi >= width as isize || yi >= height as isize { min } else { grey[yi as usize * width + xi as usize] }
    };
    let per_axis = (cell.ceil() as usize).clamp(1, 16);
    let mut out = vec![0f32; SIDE * SIDE];
    for oy in 0..SIDE {
        for ox in 0..SIDE {
            let mut sum = 0.0;
            for sy in 0..per_axis {
                for sx in 0..per_axis {
                    let x = left + (ox as f32 + (sx as f32 + 0.5) / per_axis as f32) * cell;
                    let y = top + (oy as f32 + (sy as f32 + 0.5) / per_axis as f32) * cell;
                    sum += sample(x, y);
                }
            }
            out[oy * SIDE + ox] = sum / (per_axis * per_axis) as f32;
        }
    }
    let (lo, hi) = out.iter().fold((f32::MAX, f32::MIN), |(lo, hi), &g| (lo.min(g), hi.max(g)));
    let span = (hi - lo).max(1.0);
    let pixels = out.iter().map(|&g| ((g - lo) / span * 255.0).round().clamp(0.0, 255.0) as u8).collect();
    Ok(Prepared { pixels, inverted })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w x h` RGBA picture of `bg` with an `fg` rectangle at (x, y) of size (rw, rh).
    fn picture(w: usize, h: usize, bg: u8, fg: u8, (x, y, rw, rh): (usize, usize, usize, usize)) -> Vec<u8> {
        let mut v = Vec::with_capacity(w * h * 4);
        for py in 0..h {
            for px in 0..w {
                let inside = (x..x + rw).contains(&px) && (y..y + rh).contains(&py);
                let g = if inside { fg } else { bg };
                v.extend_from_slice(&[g, g, g, 255]);
            }
        }
        v
    }

    #[test]
    fn malformed_and_blank_pictures_are_errors() {
        assert_eq!(to_input(&[], 0, 5), Err(SketchError::Empty { width: 0, height: 5 }));
        assert!(matches!(to_input(&[0; 15], 2, 2), Err(SketchError::WrongLength { expected: 16, got: 15, .. })));
        assert_eq!(to_input(&picture(40, 40, 0, 0, (0, 0, 0, 0)), 40, 40), Err(SketchError::Blank));
        assert_eq!(to_input(&picture(40, 40, 255, 255, (0, 0, 0, 0)), 40, 40), Err(SketchError::Blank));
    }

    #[test]
    fn an_off_centre_object_is_centred_and_fills_the_frame() {
        // A 20x40 white bar in the top-left corner of a 200x200 black canvas.
        let p = to_input(&picture(200, 200, 0, 255, (10, 10, 20, 40)), 200, 200).unwrap();
        assert!(!p.inverted);
        assert_eq!(p.pixels.len(), 784);
        let at = |x: usize, y: usize| p.pixels[y * 28 + x];
        // Centre bright, corners and left/right edges dark, top and bottom rows near the margin.
        assert_eq!(at(14, 14), 255);
        assert_eq!(at(0, 0), 0);
        assert_eq!(at(27, 27), 0);
        assert_eq!(at(2, 14), 0);
        assert_eq!(at(25, 14), 0);
        assert!(at(14, 2) > 200 && at(14, 25) > 200, "the bar spans the height: {} {}", at(14, 2), at(14, 25));
        // Symmetric left/right: the bright columns are centred.
        let bright: Vec<usize> = (0..28).filter(|&x| at(x, 14) > 127).collect();
        let (a, b) = (bright[0], *bright.last().unwrap());
        assert!((a as isize - (27 - b) as isize).abs() <= 1, "columns {a}..{b}");
        assert!((b - a + 1) >= 12 && (b - a + 1) <= 15, "half the height wide: {}", b - a + 1);
    }

    #[test]
    fn dark_on_light_is_inverted_to_match_light_on_dark() {
        let light = to_input(&picture(90, 60, 240, 20, (30, 10, 30, 40)), 90, 60).unwrap();
        let dark = to_input(&picture(90, 60, 15, 235, (30, 10, 30, 40)), 90, 60).unwrap();
        assert!(light.inverted && !dark.inverted);
        assert_eq!(light.pixels, dark.pixels);
    }

    #[test]
    fn transparent_pixels_are_background() {
        let mut v = picture(50, 50, 0, 255, (20, 5, 10, 40));
        // Make the background transparent white: it must still count as black.
        for p in v.chunks_exact_mut(4) {
            if p[0] == 0 {
                p.copy_from_slice(&[255, 255, 255, 0]);
            }
        }
        let p = to_input(&v, 50, 50).unwrap();
        assert!(!p.inverted);
        assert_eq!(p.pixels[14 * 28 + 14], 255);
    }
}
