//! Output shapes and parameter counts of a [`Net`], layer by layer: the table d2l's
//! `layer_summary` prints, and the resolved layers the app builds a Burn model from.

use crate::error::{CodeError, ErrorKind, Limit, ShapeProblem, Span};
use crate::layers::{Layer, Net, Node, NodeKind};
use crate::{MAX_ELEMENTS, MAX_PARAMETERS};

/// One row of the summary table: a top-level node of `self.net`.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// As PyTorch prints it: `Sequential`, `MaxPool2d`, `Conv2d`, ...
    pub name: &'static str,
    pub output: Vec<usize>,
    /// Parameters inside this node.
    pub params: u64,
    /// Where the node stands in `self.net = nn.Sequential(...)`.
    pub span: Span,
}

/// A layer with its input size resolved (`in_channels`/`in_features` are always `Some`).
#[derive(Debug, Clone, PartialEq)]
pub struct LeafLayer {
    pub layer: Layer,
    pub input: Vec<usize>,
    pub output: Vec<usize>,
    pub params: u64,
    /// The `nn.X(...)` call that built it.
    pub span: Span,
    /// The index of the summary row (top-level node) it belongs to.
    pub row: usize,
}

/// The whole summary: the book's table, the flattened layers, and the parameter total.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub input: [usize; 4],
    pub rows: Vec<SummaryRow>,
    pub leaves: Vec<LeafLayer>,
    pub total_params: u64,
}

/// Runs the input shape through the net.
///
/// # Shapes
/// Conv and pool: `floor((H + 2p - k) / s) + 1` per side (PyTorch, `ceil_mode=False`);
/// adaptive average pooling: the given output size; Flatten: `[N, C, H, W]` to `[N, C*H*W]`;
/// Linear: `[N, in]` to `[N, out]`. Errors point at the top-level node (`layer` names the leaf).
pub fn summary(net: &Net) -> Result<Summary, CodeError> {
    let mut shape = net.input.to_vec();
    let mut rows = Vec::with_capacity(net.layers.len());
    let mut leaves = Vec::new();
    for (row, node) in net.layers.iter().enumerate() {
        let first = leaves.len();
        shape = walk(node, shape, row, node.site, &mut leaves)?;
        let params = leaves[first..].iter().try_fold(0u64, |sum, leaf: &LeafLayer| sum.checked_add(leaf.params));
        rows.push(SummaryRow { name: node.name(), output: shape.clone(), params: params.unwrap_or(u64::MAX), span: node.site });
    }
    let total = leaves.iter().try_fold(0u64, |sum, leaf| sum.checked_add(leaf.params)).filter(|&t| t <= MAX_PARAMETERS);
    let Some(total_params) = total else {
        let at = net.layers.last().map_or_else(Span::default, |n| n.site);
        return Err(CodeError::new(ErrorKind::TooBig(Limit::Parameters), at));
    };
    Ok(Summary { input: net.input, rows, leaves, total_params })
}

fn walk(node: &Node, input: Vec<usize>, row: usize, site: Span, leaves: &mut Vec<LeafLayer>) -> Result<Vec<usize>, CodeError> {
    match &node.kind {
        NodeKind::Sequential(children) => children.iter().try_fold(input, |shape, child| walk(child, shape, row, site, leaves)),
        NodeKind::Layer(layer) => {
            let (resolved, output, params) = apply(layer, &input).map_err(|kind| CodeError::new(kind, site).with_layer(layer.name()))?;
            let elements = output.iter().try_fold(1usize, |n, &d| n.checked_mul(d)).filter(|&n| n <= MAX_ELEMENTS);
            if elements.is_none() {
                return Err(CodeError::new(ErrorKind::TooBig(Limit::Parameters), site).with_layer(layer.name()));
            }
            leaves.push(LeafLayer { layer: resolved, input, output: output.clone(), params, span: node.span, row });
            Ok(output)
        }
    }
}

/// `floor((size + 2 * padding - kernel) / stride) + 1`, or why the kernel does not fit.
fn sliding(size: usize, kernel: usize, stride: usize, padding: usize) -> Result<usize, ErrorKind> {
    let padded = padding.checked_mul(2).and_then(|p| p.checked_add(size)).ok_or(ErrorKind::TooBig(Limit::Dimension))?;
    if kernel > padded {
        return Err(ErrorKind::DoesNotFit(ShapeProblem::KernelTooLarge { kernel, input: padded }));
    }
    Ok((padded - kernel) / stride.max(1) + 1)
}

fn image(input: &[usize]) -> Result<[usize; 4], ErrorKind> {
    <[usize; 4]>::try_from(input).map_err(|_| ErrorKind::DoesNotFit(ShapeProblem::NeedsImage { input: input.to_vec() }))
}

fn too_big() -> ErrorKind {
    ErrorKind::TooBig(Limit::Parameters)
}

/// One layer: its resolved form, output shape and parameter count.
fn apply(layer: &Layer, input: &[usize]) -> Result<(Layer, Vec<usize>, u64), ErrorKind> {
    Ok(match *layer {
        Layer::Conv2d { in_channels, out_channels, kernel_size: k, stride: s, padding: p, bias } => {
            let [n, c, h, w] = image(input)?;
            if let Some(declared) = in_channels.filter(|&d| d != c) {
                return Err(ErrorKind::DoesNotFit(ShapeProblem::InputMismatch { declared, actual: c }));
            }
            let output = vec![n, out_channels, sliding(h, k[0], s[0], p[0])?, sliding(w, k[1], s[1], p[1])?];
            // out * in * kh * kw weights, plus one bias per output channel.
            let weights = [c, k[0], k[1]].iter().try_fold(out_channels as u64, |n, &d| n.checked_mul(d as u64)).ok_or_else(too_big)?;
            let params = weights.checked_add(if bias { out_channels as u64 } else { 0 }).ok_or_else(too_big)?;
            (Layer::Conv2d { in_channels: Some(c), out_channels, kernel_size: k, stride: s, padding: p, bias }, output, params)
        }
        Layer::MaxPool2d { kernel_size: k, stride: s, padding: p } | Layer::AvgPool2d { kernel_size: k, stride: s, padding: p } => {
            let [n, c, h, w] = image(input)?;
            (layer.clone(), vec![n, c, sliding(h, k[0], s[0], p[0])?, sliding(w, k[1], s[1], p[1])?], 0)
        }
        Layer::AdaptiveAvgPool2d { output_size } => {
            let [n, c, _, _] = image(input)?;
            (layer.clone(), vec![n, c, output_size[0], output_size[1]], 0)
        }
        Layer::Flatten => {
            let features = input.iter().skip(1).try_fold(1usize, |n, &d| n.checked_mul(d)).ok_or_else(too_big)?;
            (Layer::Flatten, vec![input.first().copied().unwrap_or(1), features], 0)
        }
        Layer::Linear { in_features, out_features, bias } => {
            let &[n, features] = input else { return Err(ErrorKind::DoesNotFit(ShapeProblem::NeedsFlat { input: input.to_vec() })) };
            if let Some(declared) = in_features.filter(|&d| d != features) {
                return Err(ErrorKind::DoesNotFit(ShapeProblem::InputMismatch { declared, actual: features }));
            }
            let weights = (out_features as u64).checked_mul(features as u64).ok_or_else(too_big)?;
            let params = weights.checked_add(if bias { out_features as u64 } else { 0 }).ok_or_else(too_big)?;
            (Layer::Linear { in_features: Some(features), out_features, bias }, vec![n, out_features], params)
        }
        Layer::ReLU | Layer::Dropout { .. } => (layer.clone(), input.to_vec(), 0),
    })
}

/// A shape as the book prints it: `(1, 96, 54, 54)`.
pub fn format_shape(shape: &[usize]) -> String {
    let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    if parts.len() == 1 { format!("({},)", parts[0]) } else { format!("({})", parts.join(", ")) }
}
