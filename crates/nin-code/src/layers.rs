//! The network a program describes (layers, Sequentials, the summary input), and how
//! `nn.X(...)` calls become layers: PyTorch's argument names, orders, defaults and checks.

use crate::MAX_DIMENSION;
use crate::error::{CodeError, ErrorKind, Limit, Number, Range, Span, ValueType};
use crate::eval::{ArgValue, Value};

/// One layer with its arguments resolved. `in_channels` / `in_features` are `None` for the lazy
/// forms until [`crate::summary`] infers them from the input.
#[derive(Debug, Clone, PartialEq)]
pub enum Layer {
    Conv2d { in_channels: Option<usize>, out_channels: usize, kernel_size: [usize; 2], stride: [usize; 2], padding: [usize; 2], bias: bool },
    ReLU,
    MaxPool2d { kernel_size: [usize; 2], stride: [usize; 2], padding: [usize; 2] },
    AvgPool2d { kernel_size: [usize; 2], stride: [usize; 2], padding: [usize; 2] },
    Dropout { p: f64 },
    AdaptiveAvgPool2d { output_size: [usize; 2] },
    Flatten,
    Linear { in_features: Option<usize>, out_features: usize, bias: bool },
}

impl Layer {
    /// The name PyTorch prints (a `LazyConv2d` prints as `Conv2d` once it has seen an input).
    pub fn name(&self) -> &'static str {
        match self {
            Layer::Conv2d { .. } => "Conv2d",
            Layer::ReLU => "ReLU",
            Layer::MaxPool2d { .. } => "MaxPool2d",
            Layer::AvgPool2d { .. } => "AvgPool2d",
            Layer::Dropout { .. } => "Dropout",
            Layer::AdaptiveAvgPool2d { .. } => "AdaptiveAvgPool2d",
            Layer::Flatten => "Flatten",
            Layer::Linear { .. } => "Linear",
        }
    }
}

/// A layer or an `nn.Sequential` of nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Layer(Layer),
    Sequential(Vec<Node>),
}

/// A node and where it comes from: `span` is the `nn.X(...)` call that built it, `site` the
/// argument of the enclosing `nn.Sequential(...)` it was passed as (e.g. `nin_block(96, ...)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    pub site: Span,
}

impl Node {
    /// The name PyTorch prints for this node.
    pub fn name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Layer(layer) => layer.name(),
            NodeKind::Sequential(_) => "Sequential",
        }
    }

    /// How many layers (not Sequentials) the node holds.
    pub fn leaf_count(&self) -> usize {
        match &self.kind {
            NodeKind::Layer(_) => 1,
            NodeKind::Sequential(children) => children.iter().map(Node::leaf_count).sum(),
        }
    }

    /// How deeply Sequentials nest inside this node (a layer is 0).
    pub fn nesting(&self) -> usize {
        match &self.kind {
            NodeKind::Layer(_) => 0,
            NodeKind::Sequential(children) => 1 + children.iter().map(Node::nesting).max().unwrap_or(0),
        }
    }
}

/// What a program evaluates to: the model's `self.net` and the input its summary call uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Net {
    /// (batch, channels, height, width), from `layer_summary((N, C, H, W))`, or
    /// [`crate::DEFAULT_INPUT`] when the program has no summary call.
    pub input: [usize; 4],
    /// The top-level nodes: the children of `self.net`'s Sequential (or `self.net` itself).
    pub layers: Vec<Node>,
    /// The model class's name as the student wrote it.
    pub model: String,
    /// The `.layer_summary(...)` call, or `None` when the default input was used.
    pub summary_call: Option<Span>,
}

/// The `nn.` layers the code cell knows.
pub const SUPPORTED_LAYERS: &[&str] =
    &["Conv2d", "LazyConv2d", "ReLU", "MaxPool2d", "AvgPool2d", "Dropout", "AdaptiveAvgPool2d", "Flatten", "Linear", "LazyLinear", "Sequential"];

/// Parameter names of a layer constructor, in PyTorch's positional order, with their defaults.
fn signature(layer: &str) -> &'static [(&'static str, Option<Value>)] {
    const ONE: Option<Value> = Some(Value::Int(1));
    const ZERO: Option<Value> = Some(Value::Int(0));
    const TRUE: Option<Value> = Some(Value::Bool(true));
    const FALSE: Option<Value> = Some(Value::Bool(false));
    match layer {
        "Conv2d" => &[("in_channels", None), ("out_channels", None), ("kernel_size", None), ("stride", ONE), ("padding", ZERO), ("bias", TRUE)],
        "LazyConv2d" => &[("out_channels", None), ("kernel_size", None), ("stride", ONE), ("padding", ZERO), ("bias", TRUE)],
        "ReLU" => &[("inplace", FALSE)],
        "MaxPool2d" | "AvgPool2d" => &[("kernel_size", None), ("stride", Some(Value::None)), ("padding", ZERO)],
        "Dropout" => &[("p", Some(Value::Float(0.5))), ("inplace", FALSE)],
        "AdaptiveAvgPool2d" => &[("output_size", None)],
        "Linear" => &[("in_features", None), ("out_features", None), ("bias", TRUE)],
        "LazyLinear" => &[("out_features", None), ("bias", TRUE)],
        _ => &[],
    }
}

/// How many of a layer's parameters may be given by position (`bias` of a conv comes after
/// `dilation` and `groups`, which the code cell does not support, so it is keyword-only here).
fn positional(layer: &str) -> usize {
    match layer {
        "Conv2d" => 5,
        "LazyConv2d" => 4,
        _ => signature(layer).len(),
    }
}

/// Python's argument binding: positional first, then keywords by name, then defaults.
/// Returns each parameter's value and the span to blame for it.
pub(crate) fn bind(
    callee: &str,
    names: &[&str],
    defaults: &[Option<Value>],
    max_positional: usize,
    args: Vec<ArgValue>,
    call: Span,
) -> Result<Vec<(Value, Span)>, CodeError> {
    let error = |kind, span| CodeError::new(kind, span).with_layer(callee);
    let given = args.iter().filter(|a| a.name.is_none()).count();
    let mut slots: Vec<Option<(Value, Span)>> = vec![None; names.len()];
    for (index, arg) in args.into_iter().enumerate() {
        let slot = match &arg.name {
            None if index < max_positional => index,
            None => return Err(error(ErrorKind::TooManyArguments { max: max_positional, given }, arg.span)),
            Some((name, span)) => match names.iter().position(|n| n == name) {
                Some(slot) => slot,
                None => return Err(error(ErrorKind::UnknownArgument(name.clone()), *span)),
            },
        };
        if slots[slot].is_some() {
            return Err(error(ErrorKind::DuplicateArgument(names[slot].to_string()), arg.span));
        }
        slots[slot] = Some((arg.value, arg.span));
    }
    slots
        .into_iter()
        .enumerate()
        .map(|(i, slot)| match slot {
            Some(given) => Ok(given),
            None => match defaults.get(i).cloned().flatten() {
                Some(default) => Ok((default, call)),
                None => Err(error(ErrorKind::MissingArgument(names[i].to_string()), call)),
            },
        })
        .collect()
}

/// Builds the node for `nn.<layer>(args)`; `layer` is one of [`SUPPORTED_LAYERS`].
pub(crate) fn build(layer: &str, args: Vec<ArgValue>, call: Span) -> Result<Node, CodeError> {
    if layer == "Sequential" {
        return sequential(args, call);
    }
    let (names, defaults): (Vec<&str>, Vec<Option<Value>>) = signature(layer).iter().cloned().unzip();
    let values = bind(layer, &names, &defaults, positional(layer), args, call)?;
    let built = layer_from(layer, &names, &values).map_err(|e| e.with_layer(layer))?;
    Ok(Node { kind: NodeKind::Layer(built), span: call, site: call })
}

/// Checks and converts the bound arguments of `nn.<layer>`.
fn layer_from(layer: &str, names: &[&str], values: &[(Value, Span)]) -> Result<Layer, CodeError> {
    let named = |i: usize| (names[i], &values[i].0, values[i].1);
    Ok(match layer {
        "Conv2d" | "LazyConv2d" => {
            let offset = usize::from(layer == "Conv2d");
            let in_channels = if offset == 1 { Some(int(named(0), Range::Positive)?) } else { None };
            Layer::Conv2d {
                in_channels,
                out_channels: int(named(offset), Range::Positive)?,
                kernel_size: pair(named(offset + 1), Range::Positive)?,
                stride: pair(named(offset + 2), Range::Positive)?,
                padding: pair(named(offset + 3), Range::NonNegative)?,
                bias: boolean(named(offset + 4))?,
            }
        }
        "ReLU" => {
            boolean(named(0))?;
            Layer::ReLU
        }
        "MaxPool2d" | "AvgPool2d" => {
            let kernel_size = pair(named(0), Range::Positive)?;
            let stride = if values[1].0 == Value::None { kernel_size } else { pair(named(1), Range::Positive)? };
            let padding = pair(named(2), Range::NonNegative)?;
            if padding[0] > kernel_size[0] / 2 || padding[1] > kernel_size[1] / 2 {
                let value = Number::Int(padding[0].max(padding[1]) as i64);
                return Err(CodeError::new(ErrorKind::OutOfRange { argument: "padding".into(), value, range: Range::HalfKernel }, values[2].1));
            }
            if layer == "MaxPool2d" { Layer::MaxPool2d { kernel_size, stride, padding } } else { Layer::AvgPool2d { kernel_size, stride, padding } }
        }
        "Dropout" => {
            boolean(named(1))?;
            Layer::Dropout { p: probability(named(0))? }
        }
        "AdaptiveAvgPool2d" => Layer::AdaptiveAvgPool2d { output_size: pair(named(0), Range::Positive)? },
        "Linear" => {
            Layer::Linear { in_features: Some(int(named(0), Range::Positive)?), out_features: int(named(1), Range::Positive)?, bias: boolean(named(2))? }
        }
        "LazyLinear" => Layer::Linear { in_features: None, out_features: int(named(0), Range::Positive)?, bias: boolean(named(1))? },
        _ => Layer::Flatten,
    })
}

fn sequential(args: Vec<ArgValue>, call: Span) -> Result<Node, CodeError> {
    let mut children = Vec::with_capacity(args.len());
    for (index, arg) in args.into_iter().enumerate() {
        if let Some((name, span)) = arg.name {
            return Err(CodeError::new(ErrorKind::UnknownArgument(name), span).with_layer("Sequential"));
        }
        match arg.value {
            Value::Layer(mut node) => {
                node.site = arg.span;
                children.push(node);
            }
            other => {
                let kind = ErrorKind::WrongArgumentType { argument: (index + 1).to_string(), expected: ValueType::Layer, found: other.type_of() };
                return Err(CodeError::new(kind, arg.span).with_layer("Sequential"));
            }
        }
    }
    let node = Node { kind: NodeKind::Sequential(children), span: call, site: call };
    if node.leaf_count() > crate::MAX_LAYERS {
        return Err(CodeError::new(ErrorKind::TooBig(Limit::Layers), call).with_layer("Sequential"));
    }
    if node.nesting() > crate::MAX_NESTING {
        return Err(CodeError::new(ErrorKind::TooBig(Limit::Nesting), call).with_layer("Sequential"));
    }
    Ok(node)
}

type Named<'a> = (&'a str, &'a Value, Span);

fn wrong_type((name, value, span): Named, expected: ValueType) -> CodeError {
    CodeError::new(ErrorKind::WrongArgumentType { argument: name.into(), expected, found: value.type_of() }, span)
}

/// An int argument in `range`, at most [`MAX_DIMENSION`].
fn int((name, value, span): Named, range: Range) -> Result<usize, CodeError> {
    let Value::Int(i) = *value else { return Err(wrong_type((name, value, span), ValueType::Int)) };
    let low = if range == Range::NonNegative { 0 } else { 1 };
    if i < low {
        return Err(CodeError::new(ErrorKind::OutOfRange { argument: name.into(), value: Number::Int(i), range }, span));
    }
    match usize::try_from(i) {
        Ok(n) if n <= MAX_DIMENSION => Ok(n),
        _ => Err(CodeError::new(ErrorKind::TooBig(Limit::Dimension), span)),
    }
}

/// An int or a tuple of two ints (height, width).
fn pair((name, value, span): Named, range: Range) -> Result<[usize; 2], CodeError> {
    match value {
        Value::Int(_) => int((name, value, span), range).map(|n| [n, n]),
        Value::Tuple(items) if items.len() == 2 && items.iter().all(|v| matches!(v, Value::Int(_))) => {
            Ok([int((name, &items[0], span), range)?, int((name, &items[1], span), range)?])
        }
        _ => Err(wrong_type((name, value, span), ValueType::IntOrPair)),
    }
}

fn boolean(named: Named) -> Result<bool, CodeError> {
    match named.1 {
        Value::Bool(b) => Ok(*b),
        _ => Err(wrong_type(named, ValueType::Bool)),
    }
}

/// A dropout probability: an int or float in [0, 1].
fn probability((name, value, span): Named) -> Result<f64, CodeError> {
    let p = match *value {
        Value::Float(x) => x,
        Value::Int(i) => i as f64,
        _ => return Err(wrong_type((name, value, span), ValueType::Number)),
    };
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        let value = if let Value::Int(i) = *value { Number::Int(i) } else { Number::Float(p) };
        Err(CodeError::new(ErrorKind::OutOfRange { argument: name.into(), value, range: Range::Probability }, span))
    }
}
