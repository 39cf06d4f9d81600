//! Heat maps for the explorables: colour ramps (a sequential one for activations, which are
//! never negative after a ReLU, and a diverging one for weights) and the "atlas" that lays many
//! small maps out in one picture, with the pure hit test a pointer needs.

/// Viridis at five stops: dark for 0, yellow for 1, readable by colour-blind students.
const SEQUENTIAL: [[f32; 3]; 5] = [[68.0, 1.0, 84.0], [59.0, 82.0, 139.0], [33.0, 145.0, 140.0], [94.0, 201.0, 98.0], [253.0, 231.0, 37.0]];
const NEGATIVE: [f32; 3] = [33.0, 102.0, 172.0];
const ZERO: [f32; 3] = [247.0, 247.0, 247.0];
const POSITIVE: [f32; 3] = [178.0, 24.0, 43.0];

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [u8; 3] {
    [0, 1, 2].map(|i| (a[i] + (b[i] - a[i]) * t).round().clamp(0.0, 255.0) as u8)
}

/// `t` in [0, 1] (clamped; NaN counts as 0) on the sequential ramp.
pub fn sequential(t: f32) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let scaled = t * (SEQUENTIAL.len() - 1) as f32;
    let i = (scaled.floor() as usize).min(SEQUENTIAL.len() - 2);
    mix(SEQUENTIAL[i], SEQUENTIAL[i + 1], scaled - i as f32)
}

/// `t` in [-1, 1] (clamped; NaN counts as 0): blue below zero, white at zero, red above.
pub fn diverging(t: f32) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(-1.0, 1.0) };
    if t < 0.0 { mix(ZERO, NEGATIVE, -t) } else { mix(ZERO, POSITIVE, t) }
}

/// The largest absolute value (at least a tiny positive number, so it can divide).
pub fn max_abs(values: &[f32]) -> f32 {
    values.iter().filter(|v| v.is_finite()).fold(1e-6_f32, |m, v| m.max(v.abs()))
}

/// `count` maps of `height x width` in a grid of `cols` columns, one pixel of gap between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Atlas {
    pub count: usize,
    pub height: usize,
    pub width: usize,
    pub cols: usize,
}

impl Atlas {
    /// A grid about as wide as it is tall, at most `max_cols` wide.
    pub fn new(count: usize, height: usize, width: usize, max_cols: usize) -> Self {
        let square = (count as f64).sqrt().ceil() as usize;
        Atlas { count, height: height.max(1), width: width.max(1), cols: square.clamp(1, max_cols.max(1)) }
    }

    pub fn rows(&self) -> usize {
        self.count.div_ceil(self.cols)
    }

    /// The picture's size in pixels.
    pub fn size(&self) -> (usize, usize) {
        (self.cols * (self.width + 1) - 1, self.rows() * (self.height + 1) - 1)
    }

    /// The picture pixel of map `map`'s pixel (y, x).
    pub fn place(&self, map: usize, y: usize, x: usize) -> (usize, usize) {
        ((map % self.cols) * (self.width + 1) + x, (map / self.cols) * (self.height + 1) + y)
    }

    /// Which map and which of its pixels a point of the picture falls on (a point on a gap
    /// counts for the pixel before it); `None` outside every map.
    pub fn hit(&self, px: f64, py: f64) -> Option<(usize, usize, usize)> {
        if !(px >= 0.0 && py >= 0.0) {
            return None;
        }
        let (px, py) = (px as usize, py as usize);
        let (col, x) = (px / (self.width + 1), (px % (self.width + 1)).min(self.width - 1));
        let (row, y) = (py / (self.height + 1), (py % (self.height + 1)).min(self.height - 1));
        let map = row * self.cols + col;
        (col < self.cols && map < self.count).then_some((map, y, x))
    }

    /// Each map's largest value (at least a tiny positive number): its own colour scale, or
    /// the largest of all for every map when `own_scale` is false.
    pub fn tops(&self, values: &[f32], own_scale: bool) -> Vec<f32> {
        let hw = self.height * self.width;
        let top = |v: &[f32]| v.iter().copied().filter(|v| v.is_finite()).fold(1e-6_f32, f32::max);
        let common = top(values);
        (0..self.count).map(|m| if own_scale { values.get(m * hw..(m + 1) * hw).map_or(common, top) } else { common }).collect()
    }

    /// RGBA pixels of the maps (`count * height * width` values, map after map, row-major),
    /// map `m` scaled to `tops[m]`. Gaps are the page's background grey.
    pub fn paint(&self, values: &[f32], tops: &[f32]) -> Vec<u8> {
        let (w, h) = self.size();
        let mut rgba = [224u8, 224, 224, 255].repeat(w * h);
        let hw = self.height * self.width;
        for m in 0..self.count.min(values.len() / hw.max(1)).min(tops.len()) {
            let map = &values[m * hw..][..hw];
            for y in 0..self.height {
                for x in 0..self.width {
                    let (cx, cy) = self.place(m, y, x);
                    let [r, g, b] = sequential(map[y * self.width + x] / tops[m]);
                    rgba[(cy * w + cx) * 4..][..3].copy_from_slice(&[r, g, b]);
                }
            }
        }
        rgba
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramps_have_their_ends_and_middle() {
        assert_eq!(sequential(0.0), [68, 1, 84]);
        assert_eq!(sequential(1.0), [253, 231, 37]);
        assert_eq!(sequential(f32::NAN), sequential(0.0));
        assert_eq!(sequential(7.0), sequential(1.0));
        assert_eq!(diverging(0.0), [247, 247, 247]);
        assert_eq!(diverging(-1.0), [33, 102, 172]);
        assert_eq!(diverging(1.0), [178, 24, 43]);
        assert_eq!(diverging(-0.5)[2], 210, "half way to blue");
    }

    #[test]
    fn the_atlas_places_and_finds_every_pixel() {
        let atlas = Atlas::new(96, 22, 22, 12);
        assert_eq!((atlas.cols, atlas.rows()), (10, 10));
        assert_eq!(atlas.size(), (229, 229));
        for map in [0, 9, 10, 95] {
            for (y, x) in [(0, 0), (21, 21), (3, 17)] {
                let (px, py) = atlas.place(map, y, x);
                assert_eq!(atlas.hit(px as f64 + 0.5, py as f64 + 0.5), Some((map, y, x)));
            }
        }
        // Past the last map of the last row, and outside.
        assert_eq!(atlas.hit(228.0, 228.0), None);
        assert_eq!(atlas.hit(-1.0, 3.0), None);
        assert_eq!(Atlas::new(10, 1, 1, 12).size(), (7, 5));
    }

    #[test]
    fn painting_scales_each_map_to_its_own_top_or_a_common_one() {
        let atlas = Atlas::new(2, 1, 2, 2);
        let values = [0.0, 1.0, 0.0, 4.0];
        let own = atlas.paint(&values, &atlas.tops(&values, true));
        let common = atlas.paint(&values, &atlas.tops(&values, false));
        let at = |rgba: &[u8], map, x| {
            let (px, _) = atlas.place(map, 0, x);
            [rgba[px * 4], rgba[px * 4 + 1], rgba[px * 4 + 2]]
        };
        assert_eq!(at(&own, 0, 1), sequential(1.0));
        assert_eq!(at(&common, 0, 1), sequential(0.25));
        assert_eq!(at(&common, 1, 1), sequential(1.0));
        assert_eq!(&own[2 * 4..2 * 4 + 3], &[224, 224, 224], "the gap");
    }
}
