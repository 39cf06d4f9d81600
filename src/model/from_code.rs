//! Which edited nets the training cell can train: those of the NiN family [`NinConfig`]
//! describes (blocks of convolutions each followed by a ReLU, max pooling, dropout, then global
//! average pooling or flatten + linear layers). The code cell trains such a net as the config
//! this returns; any other net still gets its summary, and the reason it cannot be trained.

use nin_code::{Layer, Net, Node, NodeKind};

use super::config::{HeadConfig, NinBlockConfig, NinConfig, StageConfig};

/// Why an edited net is not one the training cell can train (the index is the top-level entry
/// of `self.net`, from 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotTrainable {
    /// A Sequential that is not conv + ReLU pairs with 1-strided, "same"-padded inner convs of
    /// one odd kernel (what a NiN or VGG block is).
    Block(usize),
    /// A layer the training model has no place for at this position (e.g. average pooling in
    /// the body, a ReLU outside a block).
    Layer(usize, &'static str),
    /// A convolution or linear layer without its bias, or max pooling with padding.
    Option(usize, &'static str),
    /// The end of the net is neither global average pooling + Flatten nor Flatten + Linear
    /// layers (with ReLU and Dropout(0.5) between them).
    Head,
    /// Global average pooling after a last block whose channels are not the classes.
    Classes,
}

/// A convolution's (out channels, kernel, stride, padding, bias).
type ConvArgs = (usize, [usize; 2], [usize; 2], [usize; 2], bool);

fn conv(layer: &Layer) -> Option<ConvArgs> {
    match *layer {
        Layer::Conv2d { out_channels, kernel_size, stride, padding, bias, .. } => Some((out_channels, kernel_size, stride, padding, bias)),
        _ => None,
    }
}

fn square(v: [usize; 2]) -> Option<usize> {
    (v[0] == v[1]).then_some(v[0])
}

/// A Sequential as a NiN block: conv, ReLU, then (conv, ReLU)* with one odd inner kernel,
/// stride 1 and padding kernel / 2 (the block's `mlp_kernel`).
fn block(children: &[Node], at: usize) -> Result<NinBlockConfig, NotTrainable> {
    let leaves: Vec<&Layer> = children
        .iter()
        .map(|n| match &n.kind {
            NodeKind::Layer(l) => Ok(l),
            NodeKind::Sequential(_) => Err(NotTrainable::Block(at)),
        })
        .collect::<Result<_, _>>()?;
    if leaves.is_empty() || !leaves.len().is_multiple_of(2) {
        return Err(NotTrainable::Block(at));
    }
    let mut channels = Vec::with_capacity(leaves.len() / 2);
    let (mut first, mut inner) = (None, None);
    for (i, pair) in leaves.chunks(2).enumerate() {
        let (Some((out, k, s, p, bias)), Layer::ReLU) = (conv(pair[0]), pair[1]) else { return Err(NotTrainable::Block(at)) };
        if !bias {
            return Err(NotTrainable::Option(at, "bias=False"));
        }
        let (Some(k), Some(s), Some(p)) = (square(k), square(s), square(p)) else { return Err(NotTrainable::Block(at)) };
        if i == 0 {
            first = Some((k, s, p));
        } else if s != 1 || k % 2 == 0 || p != k / 2 || inner.is_some_and(|m| m != k) {
            return Err(NotTrainable::Block(at));
        } else {
            inner = Some(k);
        }
        channels.push(out);
    }
    let (k, s, p) = first.ok_or(NotTrainable::Block(at))?;
    Ok(NinBlockConfig::new(channels, k, s, p).with_mlp_kernel(inner.unwrap_or(1)))
}

/// The head after the body: `[AdaptiveAvgPool2d(1), Flatten]`, or `[Flatten, Linear,
/// (ReLU, Dropout(0.5), Linear)*]`.
fn head(rest: &[&Layer], input: [usize; 4]) -> Result<(HeadConfig, usize), NotTrainable> {
    match rest {
        [Layer::AdaptiveAvgPool2d { output_size: [1, 1] }, Layer::Flatten] => Ok((HeadConfig::GlobalAvgPool, 0)),
        [Layer::Flatten, linears @ ..] if !linears.is_empty() => {
            let mut widths = Vec::new();
            let mut i = 0;
            while i < linears.len() {
                let Layer::Linear { out_features, bias: true, .. } = *linears[i] else { return Err(NotTrainable::Head) };
                widths.push(out_features);
                i += 1;
                if i < linears.len() {
                    match (linears.get(i), linears.get(i + 1)) {
                        (Some(Layer::ReLU), Some(Layer::Dropout { p })) if (*p - 0.5).abs() < 1e-12 => i += 2,
                        _ => return Err(NotTrainable::Head),
                    }
                }
            }
            let classes = widths.pop().ok_or(NotTrainable::Head)?;
            Ok((HeadConfig::FullyConnected { input_height: input[2], input_width: input[3], hidden: widths }, classes))
        }
        _ => Err(NotTrainable::Head),
    }
}

/// The config of `net` when it is of the NiN family, with its input channels and classes.
pub fn nin_config(net: &Net) -> Result<NinConfig, NotTrainable> {
    let mut stages = Vec::new();
    let mut last_channels = None;
    let mut rest: Vec<&Layer> = Vec::new();
    for (at, node) in net.layers.iter().enumerate() {
        if !rest.is_empty() {
            match &node.kind {
                NodeKind::Layer(l) => {
                    rest.push(l);
                    continue;
                }
                NodeKind::Sequential(_) => return Err(NotTrainable::Head),
            }
        }
        match &node.kind {
            NodeKind::Sequential(children) => {
                let b = block(children, at)?;
                last_channels = b.channels.last().copied();
                stages.push(StageConfig::Block(b));
            }
            NodeKind::Layer(Layer::MaxPool2d { kernel_size, stride, padding }) => {
                let (Some(kernel), Some(stride)) = (square(*kernel_size), square(*stride)) else { return Err(NotTrainable::Layer(at, "MaxPool2d")) };
                if *padding != [0, 0] {
                    return Err(NotTrainable::Option(at, "padding"));
                }
                stages.push(StageConfig::MaxPool { kernel, stride });
            }
            // The training model's dropout is a probability below 1 (PyTorch's p = 1 zeroes all).
            NodeKind::Layer(Layer::Dropout { p }) if *p >= 1.0 => return Err(NotTrainable::Option(at, "Dropout(p=1)")),
            NodeKind::Layer(Layer::Dropout { p }) => stages.push(StageConfig::Dropout { prob: *p }),
            NodeKind::Layer(l @ (Layer::AdaptiveAvgPool2d { .. } | Layer::Flatten)) => rest.push(l),
            NodeKind::Layer(l) => return Err(NotTrainable::Layer(at, l.name())),
        }
    }
    let (head, fc_classes) = head(&rest, net.input)?;
    let classes = match head {
        HeadConfig::GlobalAvgPool => last_channels.ok_or(NotTrainable::Classes)?,
        _ => fc_classes,
    };
    let config = NinConfig::new(stages, head).with_input_channels(net.input[1]).with_num_classes(classes);
    // Every other check of validate_config holds by construction above: what is left is the
    // global-average-pooling head's one channel per class.
    crate::analysis::validate_config(&config).map_err(|_| NotTrainable::Classes)?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::{Exercise, variants};

    fn config_of(code: &str) -> Result<NinConfig, NotTrainable> {
        let (net, _) = nin_code::analyze(code).unwrap_or_else(|e| panic!("{e}"));
        nin_config(&net)
    }

    #[test]
    fn the_books_code_is_the_books_config() {
        assert_eq!(config_of(nin_code::BOOK_CODE), Ok(NinConfig::book()));
    }

    #[test]
    fn each_exercise_edit_gives_the_model_the_exercise_builds() {
        let one = nin_code::BOOK_CODE.replace(
            "        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),\n        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())",
            "        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())",
        );
        let three = nin_code::BOOK_CODE.replace(
            "nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())",
            "nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),\n        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())",
        );
        let wide = nin_code::BOOK_CODE.replace("kernel_size=1)", "kernel_size=3, padding=1)");
        for (code, channels, mlp) in [(&one, 2, 1), (&three, 4, 1), (&wide, 3, 3)] {
            let c = config_of(code).unwrap();
            for stage in &c.stages {
                if let StageConfig::Block(b) = stage {
                    assert_eq!((b.channels.len(), b.mlp_kernel), (channels, mlp));
                }
            }
            // The exercise cells build these same configs.
            let all: Vec<NinConfig> = [Exercise::MlpDepth, Exercise::MlpKernel].into_iter().flat_map(variants).map(|v| v.config).collect();
            assert!(all.contains(&c), "{channels} convs, inner {mlp}: not an exercise variant");
        }
    }

    #[test]
    fn a_linear_head_and_other_nets_are_placed_or_refused_with_a_reason() {
        let fc = nin_code::BOOK_CODE.replace("nn.AdaptiveAvgPool2d((1, 1)),\n            nn.Flatten())", "nn.Flatten(), nn.LazyLinear(num_classes))");
        let c = config_of(&fc).unwrap();
        assert_eq!(c.head, HeadConfig::FullyConnected { input_height: 224, input_width: 224, hidden: vec![] });
        let avg = nin_code::BOOK_CODE.replace("nn.MaxPool2d(3, stride=2),\n            nn.Dropout", "nn.AvgPool2d(3, stride=2),\n            nn.Dropout");
        assert_eq!(config_of(&avg), Err(NotTrainable::Layer(5, "AvgPool2d")));
        let no_relu = nin_code::BOOK_CODE
            .replace("nn.LazyConv2d(out_channels, kernel_size, strides, padding), nn.ReLU(),", "nn.LazyConv2d(out_channels, kernel_size, strides, padding),");
        assert_eq!(config_of(&no_relu), Err(NotTrainable::Block(0)));
        let all_dropped = nin_code::BOOK_CODE.replace("nn.Dropout(0.5)", "nn.Dropout(1.0)");
        assert_eq!(config_of(&all_dropped), Err(NotTrainable::Option(6, "Dropout(p=1)")));
        let five = nin_code::BOOK_CODE.replace("NiN().layer_summary", "NiN(num_classes=5).layer_summary");
        assert_eq!(config_of(&five).unwrap().num_classes, 5);
    }
}
