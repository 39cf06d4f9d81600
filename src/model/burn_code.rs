//! The Burn code of the net the model cell's PyTorch describes (issue 28, the Rust tab): a module
//! struct with one field per layer, `new` with each layer's sizes, and a `forward` whose comments
//! give each layer's output shape. Generated from the parsed program, so the two never disagree.

use std::fmt::Write;

use nin_code::{Layer, LeafLayer, Net, Span, Summary};

/// What one PyTorch layer becomes: a field (none for ReLU, shared, and Flatten, a tensor method).
struct Field {
    name: String,
    ty: &'static str,
    init: String,
}

/// Burn 0.22 code for `net` (whose `summary` gave each layer's input), quoting `source` where
/// each entry of `self.net` comes from.
pub fn generate(source: &str, net: &Net, summary: &Summary) -> String {
    let model = struct_name(&net.model);
    let fields: Vec<Option<Field>> = {
        let mut counts = [0usize; 6];
        summary.leaves.iter().map(|leaf| field(leaf, &mut counts)).collect()
    };
    let uses_relu = summary.leaves.iter().any(|l| l.layer == Layer::ReLU);
    let input = shape(&summary.input);
    let output = summary.leaves.last().map_or_else(|| input.clone(), |l| shape(&l.output));
    let out_rank = summary.leaves.last().map_or(4, |l| l.output.len());

    let mut code = format!(
        "// {model} as a Burn 0.22 module, generated from the PyTorch code: input {}, {} parameters.\n\
         // PyTorch's lazy layers learn their input sizes on the first call; here `new` states them.\n",
        nin_code::format_shape(&summary.input),
        crate::format::grouped(summary.total_params),
    );
    code += &imports(&fields, uses_relu);
    code += "\n#[derive(Module, Debug)]\n";
    let _ = writeln!(code, "pub struct {model} {{");
    for f in fields.iter().flatten() {
        let _ = writeln!(code, "    {}: {},", f.name, f.ty);
    }
    if uses_relu {
        code += "    relu: Relu,\n";
    }
    code += "}\n\n";
    let _ = writeln!(code, "impl {model} {{");
    code += "    pub fn new(device: &Device) -> Self {\n        Self {\n";
    let mut last_row = None;
    for (leaf, f) in summary.leaves.iter().zip(&fields) {
        let Some(f) = f else { continue };
        if last_row != Some(leaf.row) {
            last_row = Some(leaf.row);
            let _ = writeln!(code, "            // {}", origin(source, net, leaf.row));
        }
        let _ = writeln!(code, "            {}: {},", f.name, f.init);
    }
    if uses_relu {
        code += "            relu: Relu::new(),\n";
    }
    code += "        }\n    }\n\n";
    let _ = write!(
        code,
        "    /// # Shapes\n    /// - input: `{input}`\n    /// - output: `{output}`\n    pub fn forward(&self, x: Tensor<4>) -> Tensor<{out_rank}> {{\n"
    );
    code += &forward_body(source, net, summary, &fields);
    code += "    }\n}\n";
    code
}

/// `[1, 96, 54, 54]`, as the project's `# Shapes` comments write shapes.
fn shape(dims: &[usize]) -> String {
    format!("[{}]", dims.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", "))
}

/// The class's name when it is a Rust type name too, else `Model`.
fn struct_name(name: &str) -> String {
    const RESERVED: &[&str] = &[
        "as",
        "async",
        "await",
        "break",
        "const",
        "continue",
        "crate",
        "dyn",
        "else",
        "enum",
        "extern",
        "false",
        "fn",
        "for",
        "gen",
        "if",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "pub",
        "ref",
        "return",
        "self",
        "Self",
        "static",
        "struct",
        "super",
        "trait",
        "true",
        "type",
        "unsafe",
        "use",
        "where",
        "while",
        "Tensor",
        "Device",
        "Module",
        "Relu",
        "Conv2d",
        "Linear",
        "Dropout",
        "MaxPool2d",
        "AvgPool2d",
        "AdaptiveAvgPool2d",
    ];
    let ident = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ident && !RESERVED.contains(&name) && name.chars().any(|c| c.is_ascii_alphabetic()) { name.to_string() } else { "Model".into() }
}

/// `net[0] = nin_block(96, kernel_size=11, strides=4, padding=0), line 12`: the entry of
/// `self.net` as written (its first line).
fn origin(source: &str, net: &Net, row: usize) -> String {
    let Some(node) = net.layers.get(row) else { return format!("net[{row}]") };
    let text = span_text(source, node.site);
    format!("net[{row}] = {text}, line {}", node.site.line)
}

/// The text of `span` on its first line ("…" where it goes on), without line breaks.
fn span_text(source: &str, span: Span) -> String {
    let Some(line) = source.split('\n').nth(span.line.saturating_sub(1)) else { return String::new() };
    let chars: Vec<char> = line.strip_suffix('\r').unwrap_or(line).chars().collect();
    let start = span.col.saturating_sub(1).min(chars.len());
    let end = if span.end_line == span.line { span.end_col.saturating_sub(1).clamp(start, chars.len()) } else { chars.len() };
    let text: String = chars[start..end].iter().collect();
    let text = text.trim_end().trim_end_matches(',').to_string();
    if span.end_line == span.line { text } else { format!("{text} …") }
}

/// `[h, w]` of a pair that PyTorch allows as one int.
fn pair(v: [usize; 2]) -> String {
    format!("[{}, {}]", v[0], v[1])
}

/// `.with_padding(..)` for a padding other than none (Burn's order: top, left, bottom, right).
fn padding(p: [usize; 2]) -> String {
    if p == [0, 0] { String::new() } else { format!(".with_padding(PaddingConfig2d::Explicit({}, {}, {}, {}))", p[0], p[1], p[0], p[1]) }
}

/// The field for one layer, numbered within its kind (`conv1`, `max_pool2`, ...).
fn field(leaf: &LeafLayer, counts: &mut [usize; 6]) -> Option<Field> {
    let mut next = |kind: usize, prefix: &str| {
        counts[kind] += 1;
        format!("{prefix}{}", counts[kind])
    };
    Some(match leaf.layer {
        Layer::ReLU | Layer::Flatten => return None,
        Layer::Conv2d { in_channels, out_channels, kernel_size, stride, padding: p, bias } => {
            let c_in = in_channels.unwrap_or(leaf.input.get(1).copied().unwrap_or(0));
            let mut init = format!("Conv2dConfig::new([{c_in}, {out_channels}], {})", pair(kernel_size));
            if stride != [1, 1] {
                init += &format!(".with_stride({})", pair(stride));
            }
            init += &padding(p);
            if !bias {
                init += ".with_bias(false)";
            }
            Field { name: next(0, "conv"), ty: "Conv2d", init: init + ".init(device)" }
        }
        Layer::MaxPool2d { kernel_size, stride, padding: p } | Layer::AvgPool2d { kernel_size, stride, padding: p } => {
            let (kind, prefix, ty) = if matches!(leaf.layer, Layer::MaxPool2d { .. }) { (1, "max_pool", "MaxPool2d") } else { (2, "avg_pool", "AvgPool2d") };
            let mut init = format!("{ty}Config::new({})", pair(kernel_size));
            if stride != kernel_size {
                init += &format!(".with_strides({})", pair(stride));
            }
            init += &padding(p);
            Field { name: next(kind, prefix), ty, init: init + ".init()" }
        }
        Layer::Dropout { p } => Field { name: next(3, "dropout"), ty: "Dropout", init: format!("DropoutConfig::new({p:?}).init()") },
        Layer::AdaptiveAvgPool2d { output_size } => {
            Field { name: next(4, "adaptive_avg_pool"), ty: "AdaptiveAvgPool2d", init: format!("AdaptiveAvgPool2dConfig::new({}).init()", pair(output_size)) }
        }
        Layer::Linear { in_features, out_features, bias } => {
            let d_in = in_features.unwrap_or(leaf.input.last().copied().unwrap_or(0));
            let mut init = format!("LinearConfig::new({d_in}, {out_features})");
            if !bias {
                init += ".with_bias(false)";
            }
            Field { name: next(5, "linear"), ty: "Linear", init: init + ".init(device)" }
        }
    })
}

/// The `use` lines for the layers the net has.
fn imports(fields: &[Option<Field>], uses_relu: bool) -> String {
    let has = |ty: &str| fields.iter().flatten().any(|f| f.ty == ty);
    let padded = fields.iter().flatten().any(|f| f.init.contains("PaddingConfig2d"));
    let mut out = String::new();
    if has("Conv2d") {
        out += "use burn::nn::conv::{Conv2d, Conv2dConfig};\n";
    }
    let pools: Vec<&str> = ["AdaptiveAvgPool2d", "AvgPool2d", "MaxPool2d"].into_iter().filter(|t| has(t)).collect();
    if !pools.is_empty() {
        let names: Vec<String> = pools.iter().flat_map(|t| [t.to_string(), format!("{t}Config")]).collect();
        let _ = writeln!(out, "use burn::nn::pool::{{{}}};", names.join(", "));
    }
    let mut nn: Vec<&str> = Vec::new();
    if has("Dropout") {
        nn.extend(["Dropout", "DropoutConfig"]);
    }
    if has("Linear") {
        nn.extend(["Linear", "LinearConfig"]);
    }
    if padded {
        nn.push("PaddingConfig2d");
    }
    if uses_relu {
        nn.push("Relu");
    }
    match nn.as_slice() {
        [] => {}
        [one] => {
            let _ = writeln!(out, "use burn::nn::{one};");
        }
        many => {
            let _ = writeln!(out, "use burn::nn::{{{}}};", many.join(", "));
        }
    }
    out + "use burn::prelude::*;\n"
}

/// The forward's lines: a ReLU right after a layer of the same entry is applied on the same
/// line; each line ends with the output shape; the last is the value returned.
fn forward_body(source: &str, net: &Net, summary: &Summary, fields: &[Option<Field>]) -> String {
    let mut lines: Vec<(Option<usize>, String, String)> = Vec::new(); // (row starting here, expression, shape)
    let mut last_row = None;
    let leaves = &summary.leaves;
    let mut i = 0;
    while i < leaves.len() {
        let leaf = &leaves[i];
        let mut expr = match (&leaf.layer, &fields[i]) {
            (Layer::Flatten, _) => format!("x.flatten(1, {})", leaf.input.len().saturating_sub(1).max(1)),
            (Layer::ReLU, _) => "self.relu.forward(x)".to_string(),
            (_, Some(f)) => format!("self.{}.forward(x)", f.name),
            (_, None) => "x".to_string(),
        };
        let mut out = &leaf.output;
        let fuse = !matches!(leaf.layer, Layer::ReLU | Layer::Flatten);
        if fuse && let Some(next) = leaves.get(i + 1).filter(|n| n.layer == Layer::ReLU && n.row == leaf.row) {
            expr = format!("self.relu.forward({expr})");
            out = &next.output;
            i += 1;
        }
        let starts = (last_row != Some(leaf.row)).then_some(leaf.row);
        last_row = Some(leaf.row);
        lines.push((starts, expr, shape(out)));
        i += 1;
    }
    let mut body = String::new();
    let count = lines.len();
    for (n, (starts, expr, out)) in lines.into_iter().enumerate() {
        if let Some(row) = starts {
            let _ = writeln!(body, "        // {}", origin(source, net, row));
        }
        if n + 1 == count {
            let _ = writeln!(body, "        {expr} // {out}");
        } else if expr.starts_with("x.flatten") {
            // A flatten's rank is named, except in the value returned (the signature names it).
            let _ = writeln!(body, "        let x: Tensor<2> = {expr}; // {out}");
        } else {
            let _ = writeln!(body, "        let x = {expr}; // {out}");
        }
    }
    if count == 0 {
        body += "        x\n";
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn burn_of(code: &str) -> String {
        let (net, summary) = nin_code::analyze(code).unwrap_or_else(|e| panic!("{e}"));
        generate(code, &net, &summary)
    }

    fn lines_with<'a>(code: &'a str, needle: &str) -> Vec<&'a str> {
        code.lines().filter(|l| l.contains(needle)).collect()
    }

    /// The golden file is compiled below: a change to the generator that breaks Burn's API, or
    /// that changes the text, fails here. Regenerate with `UPDATE_GOLDEN=1 cargo test --lib burn_code`.
    #[test]
    fn the_books_code_generates_the_golden_burn_module() {
        let generated = burn_of(nin_code::BOOK_CODE);
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/model/burn_code_book.rs.txt");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        assert_eq!(generated, include_str!("burn_code_book.rs.txt"), "regenerate with UPDATE_GOLDEN=1");
    }

    /// The generated module runs in Burn to the summary's output shape.
    #[test]
    fn the_generated_book_module_runs_to_the_books_shape() {
        mod golden {
            include!("burn_code_book.rs.txt");
        }
        use burn::prelude::*;
        let device = Device::flex();
        let model = golden::NiN::new(&device);
        let y = model.forward(Tensor::<4>::zeros([1, 1, 224, 224], &device));
        assert_eq!(y.dims(), [1, 10]);
        use burn::module::Module;
        assert_eq!(model.num_params(), 1_992_166);
    }

    #[test]
    fn the_books_code_gives_four_blocks_of_1x1_convolutions_and_global_pooling() {
        let code = burn_of(nin_code::BOOK_CODE);
        assert_eq!(lines_with(&code, ": Conv2d,").len(), 12, "four blocks of three convolutions\n{code}");
        assert_eq!(lines_with(&code, "[1, 1]).init(device)").len(), 8, "two 1x1 per block\n{code}");
        assert_eq!(lines_with(&code, ": MaxPool2d,").len(), 3);
        assert!(code.contains("conv1: Conv2dConfig::new([1, 96], [11, 11]).with_stride([4, 4]).init(device),"), "{code}");
        assert!(code.contains("conv4: Conv2dConfig::new([96, 256], [5, 5]).with_padding(PaddingConfig2d::Explicit(2, 2, 2, 2)).init(device),"), "{code}");
        assert!(code.contains("max_pool1: MaxPool2dConfig::new([3, 3]).with_strides([2, 2]).init(),"));
        assert!(code.contains("dropout1: DropoutConfig::new(0.5).init(),"));
        assert!(code.contains("adaptive_avg_pool1: AdaptiveAvgPool2dConfig::new([1, 1]).init(),"));
        assert!(code.contains("let x = self.relu.forward(self.conv1.forward(x)); // [1, 96, 54, 54]"), "{code}");
        assert!(code.contains("        // net[0] = nin_block(96, kernel_size=11, strides=4, padding=0), line 12\n"), "{code}");
        assert!(code.contains("        x.flatten(1, 3) // [1, 10]\n    }\n}\n"), "{code}");
        assert!(code.contains("pub fn forward(&self, x: Tensor<4>) -> Tensor<2> {"));
        assert!(code.starts_with("// NiN as a Burn 0.22 module, generated from the PyTorch code: input (1, 1, 224, 224), 1,992,166 parameters."));
    }

    #[test]
    fn an_edited_program_changes_the_generated_layers() {
        // Exercise 1: one 1x1 convolution per block.
        let one = crate::exercises::code_edits::edited_code(crate::exercises::Exercise::MlpDepth, "mlp1").unwrap();
        let code = burn_of(&one);
        assert_eq!(lines_with(&code, ": Conv2d,").len(), 8, "{code}");
        // Exercise 2: 3x3 inner convolutions, padded.
        let wide = burn_of(&nin_code::BOOK_CODE.replace("kernel_size=1)", "kernel_size=3, padding=1)"));
        assert!(wide.contains("conv2: Conv2dConfig::new([96, 96], [3, 3]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1)).init(device),"), "{wide}");
        // Exercise 3: a dense head, written as a Linear on the flattened map; a new dropout.
        let dense =
            burn_of(&nin_code::BOOK_CODE.replace("nn.AdaptiveAvgPool2d((1, 1)),\n            nn.Flatten())", "nn.Flatten(), nn.LazyLinear(num_classes))"));
        assert!(dense.contains("linear1: LinearConfig::new(250, 10).init(device),"), "{dense}");
        assert!(dense.contains("let x: Tensor<2> = x.flatten(1, 3); // [1, 250]"), "{dense}");
        assert!(dense.contains("        self.linear1.forward(x) // [1, 10]\n"), "{dense}");
        assert!(!dense.contains("AdaptiveAvgPool2d"));
        let other =
            burn_of(&nin_code::BOOK_CODE.replace("nn.Dropout(0.5)", "nn.Dropout(0.3)").replace("class NiN(", "class MyNet(").replace("NiN()", "MyNet()"));
        assert!(other.contains("dropout1: DropoutConfig::new(0.3).init(),") && other.contains("pub struct MyNet {"), "{other}");
    }

    #[test]
    fn other_layers_and_options_are_written_in_burns_terms() {
        let code = "class Net(nn.Module):\n    def __init__(self):\n        self.net = nn.Sequential(\n            nn.Conv2d(1, 4, kernel_size=(3, 5), stride=2, padding=(1, 2), bias=False),\n            nn.Sequential(nn.AvgPool2d(2, padding=1), nn.ReLU()), nn.ReLU(),\n            nn.Flatten(), nn.Linear(4 * 57 * 57, 7, bias=False), nn.ReLU())\n\nNet().layer_summary((2, 1, 224, 224))\n";
        let burn = burn_of(code);
        assert!(burn.contains("conv1: Conv2dConfig::new([1, 4], [3, 5]).with_stride([2, 2]).with_padding(PaddingConfig2d::Explicit(1, 2, 1, 2)).with_bias(false).init(device),"), "{burn}");
        assert!(burn.contains("avg_pool1: AvgPool2dConfig::new([2, 2]).with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1)).init(),"), "{burn}");
        // A ReLU after a pool of the same entry is applied on the pool's line; one that is an
        // entry of its own has its own line (and its own comment).
        assert!(burn.contains("let x = self.relu.forward(self.avg_pool1.forward(x)); // [2, 4, 57, 57]"), "{burn}");
        assert!(burn.contains("        // net[2] = nn.ReLU(), line 5\n        let x = self.relu.forward(x); // [2, 4, 57, 57]\n"), "{burn}");
        assert!(
            burn.contains(
                "        let x = self.linear1.forward(x); // [2, 7]\n        // net[5] = nn.ReLU(), line 6\n        self.relu.forward(x) // [2, 7]\n"
            ),
            "{burn}"
        );
        assert!(burn.contains("use burn::nn::{Linear, LinearConfig, PaddingConfig2d, Relu};"), "{burn}");
        assert!(burn.contains("use burn::nn::pool::{AvgPool2d, AvgPool2dConfig};"), "{burn}");
        assert_eq!(struct_name("VGG"), "VGG");
        assert_eq!(struct_name("impl"), "Model");
        assert_eq!(struct_name("Self"), "Model");
        assert_eq!(struct_name("_"), "Model");
        assert_eq!(struct_name("Réseau"), "Model");
    }
}
