//! Layout of the VGG-next-to-NiN figure (fig_nin), computed from live configs so a change to a
//! config changes the drawing. Pure: positions and structured labels; the UI draws the SVG and
//! translates the labels.

pub mod curves;
pub mod heat;
pub mod readout;

use crate::model::{HeadConfig, NinConfig, StageConfig};

/// What one box of the figure shows.
#[derive(Debug, Clone, PartialEq)]
pub enum FigureItem {
    /// A block of convolutions: `(kernel, channels)` per convolution, each followed by ReLU.
    /// `nin` is true for a NiN block (one k x k conv, then "MLP" convs), false for a VGG block.
    Block {
        convs: Vec<(usize, usize)>,
        nin: bool,
    },
    MaxPool {
        kernel: usize,
        stride: usize,
    },
    Dropout {
        prob: f64,
    },
    GlobalAvgPool,
    Flatten,
    FullyConnected {
        width: usize,
    },
}

/// A positioned box.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureBox {
    pub item: FigureItem,
    pub y: f32,
    pub height: f32,
    /// How many text lines the box holds (its height follows from them).
    pub lines: usize,
}

/// One column of the figure.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureColumn {
    pub boxes: Vec<FigureBox>,
    /// Total height including the gaps.
    pub height: f32,
}

pub const LINE_HEIGHT: f32 = 16.0;
pub const PADDING: f32 = 8.0;
pub const GAP: f32 = 18.0;

/// The items of a config, one per body stage, then the head's steps.
pub fn items(config: &NinConfig) -> Vec<FigureItem> {
    let mut out: Vec<FigureItem> = config
        .stages
        .iter()
        .map(|stage| match stage {
            StageConfig::Block(b) => FigureItem::Block {
                convs: b.channels.iter().enumerate().map(|(i, &c)| (if i == 0 { b.kernel } else { b.mlp_kernel }, c)).collect(),
                nin: b.mlp_kernel == 1 || b.kernel != b.mlp_kernel,
            },
            StageConfig::MaxPool { kernel, stride } => FigureItem::MaxPool { kernel: *kernel, stride: *stride },
            StageConfig::Dropout { prob } => FigureItem::Dropout { prob: *prob },
        })
        .collect();
    match &config.head {
        HeadConfig::GlobalAvgPool => out.push(FigureItem::GlobalAvgPool),
        HeadConfig::FullyConnected { hidden, .. } => {
            out.push(FigureItem::Flatten);
            for &width in hidden.iter().chain(std::iter::once(&config.num_classes)) {
                out.push(FigureItem::FullyConnected { width });
            }
        }
    }
    out
}

fn lines(item: &FigureItem) -> usize {
    match item {
        // a title line, then one line per convolution
        FigureItem::Block { convs, .. } => 1 + convs.len(),
        _ => 1,
    }
}

/// Stacks the items top to bottom.
pub fn layout(config: &NinConfig) -> FigureColumn {
    let mut y = 0.0;
    let mut boxes = Vec::new();
    for item in items(config) {
        let lines = lines(&item);
        let height = lines as f32 * LINE_HEIGHT + 2.0 * PADDING;
        boxes.push(FigureBox { item, y, height, lines });
        y += height + GAP;
    }
    FigureColumn { boxes, height: (y - GAP).max(0.0) }
}

/// One feature map in the "maps shrink" figure: the input, then every 4-D layer output.
#[derive(Debug, Clone, PartialEq)]
pub struct MapTile {
    /// 0 for the input, else the 1-based summary row.
    pub row: usize,
    pub channels: u64,
    pub height: u64,
    pub width: u64,
    /// Drawn size in px, proportional to the map's height and width.
    pub draw_height: f32,
    pub draw_width: f32,
}

/// Tiles for the feature maps of a plan, scaled so the largest side is `max_px` (never below
/// 2 px, so a 1x1 map stays visible).
pub fn map_tiles(plan: &crate::analysis::ShapePlan, max_px: f32) -> Vec<MapTile> {
    let input = plan.input;
    let mut maps = vec![(0, input.channels as u64, input.height as u64, input.width as u64)];
    maps.extend(plan.rows.iter().enumerate().filter_map(|(i, r)| match r.output[..] {
        [_, c, h, w] => Some((i + 1, c, h, w)),
        _ => None,
    }));
    let largest = maps.iter().map(|&(_, _, h, w)| h.max(w)).max().unwrap_or(1).max(1) as f32;
    maps.into_iter()
        .map(|(row, channels, height, width)| MapTile {
            row,
            channels,
            height,
            width,
            draw_height: (height as f32 / largest * max_px).max(2.0),
            draw_width: (width as f32 / largest * max_px).max(2.0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{InputShape, plan};
    use crate::model::{NinBlockConfig, VGG11, VGG16};

    #[test]
    fn map_tiles_follow_the_plan() {
        let p = plan(&NinConfig::book(), InputShape::book()).unwrap();
        let tiles = map_tiles(&p, 112.0);
        // input + 9 four-dimensional rows (flatten is 2-D)
        assert_eq!(tiles.len(), 10);
        assert_eq!((tiles[0].height, tiles[0].draw_height), (224, 112.0));
        assert_eq!((tiles[1].channels, tiles[1].height), (96, 54));
        assert_eq!(tiles[1].draw_height, 54.0 / 224.0 * 112.0);
        assert_eq!(tiles.last().unwrap().draw_height, 2.0);
    }

    #[test]
    fn book_nin_has_one_box_per_stage_plus_gap() {
        let col = layout(&NinConfig::book());
        assert_eq!(col.boxes.len(), NinConfig::book().stages.len() + 1);
        assert_eq!(col.boxes.iter().filter(|b| matches!(b.item, FigureItem::Block { nin: true, .. })).count(), 4);
        assert_eq!(col.boxes.last().unwrap().item, FigureItem::GlobalAvgPool);
        assert_eq!(col.boxes[0].item, FigureItem::Block { convs: vec![(11, 96), (1, 96), (1, 96)], nin: true });
        // boxes do not overlap and keep their order
        for pair in col.boxes.windows(2) {
            assert!(pair[0].y + pair[0].height + GAP <= pair[1].y + 0.001);
        }
    }

    #[test]
    fn vgg_columns_follow_their_stage_layout() {
        let col = layout(&NinConfig::vgg(&VGG11, 10));
        // 5 blocks + 5 pools + flatten + 3 FC layers
        assert_eq!(col.boxes.len(), 14);
        assert_eq!(col.boxes[4].item, FigureItem::Block { convs: vec![(3, 256), (3, 256)], nin: false });
        let fc: Vec<_> = col
            .boxes
            .iter()
            .filter_map(|b| match b.item {
                FigureItem::FullyConnected { width } => Some(width),
                _ => None,
            })
            .collect();
        assert_eq!(fc, vec![4096, 4096, 10]);
        let taller = layout(&NinConfig::vgg(&VGG16, 10));
        assert!(taller.height > col.height, "VGG-16 has more convolutions per block");
    }

    #[test]
    fn a_changed_config_changes_the_figure() {
        let mut config = NinConfig::book();
        config.stages[0] = StageConfig::Block(NinBlockConfig::new(vec![96, 96, 96, 96], 11, 4, 0));
        let col = layout(&config);
        assert_eq!(col.boxes[0].lines, 5);
        assert!(col.height > layout(&NinConfig::book()).height);
    }
}
