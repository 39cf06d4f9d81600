//! The book's code and the chapter's exercises, against the book's table and hand-computed counts.

use crate::*;

fn table(source: &str) -> (Vec<(&'static str, String)>, u64) {
    let (_, summary) = analyze(source).unwrap_or_else(|e| panic!("{e}"));
    (summary.rows.iter().map(|r| (r.name, format_shape(&r.output))).collect(), summary.total_params)
}

fn edit(from: &str, to: &str) -> String {
    assert!(BOOK_CODE.contains(from), "the edit's text is in the book code: {from}");
    BOOK_CODE.replacen(from, to, 1)
}

/// NiN's parameters for `extra` convs (each `extra_kernel` x `extra_kernel`) after each block's
/// first conv: the book's blocks (96, 11), (256, 5), (384, 3), (classes, 3), one input channel.
fn nin_params(extra: u64, extra_kernel: u64, classes: u64) -> u64 {
    let mut channels_in = 1;
    let mut total = 0;
    for (out, k) in [(96, 11), (256, 5), (384, 3), (classes, 3)] {
        total += out * channels_in * k * k + out;
        total += extra * (out * out * extra_kernel * extra_kernel + out);
        channels_in = out;
    }
    total
}

const BOOK_TABLE: [(&str, &str); 10] = [
    ("Sequential", "(1, 96, 54, 54)"),
    ("MaxPool2d", "(1, 96, 26, 26)"),
    ("Sequential", "(1, 256, 26, 26)"),
    ("MaxPool2d", "(1, 256, 12, 12)"),
    ("Sequential", "(1, 384, 12, 12)"),
    ("MaxPool2d", "(1, 384, 5, 5)"),
    ("Dropout", "(1, 384, 5, 5)"),
    ("Sequential", "(1, 10, 5, 5)"),
    ("AdaptiveAvgPool2d", "(1, 10, 1, 1)"),
    ("Flatten", "(1, 10)"),
];

fn book_table() -> Vec<(&'static str, String)> {
    BOOK_TABLE.iter().map(|(n, s)| (*n, s.to_string())).collect()
}

#[test]
fn book_code_gives_the_books_table() {
    let (rows, total) = table(BOOK_CODE);
    assert_eq!(rows, book_table());
    assert_eq!(total, 1_992_166);
    assert_eq!(nin_params(2, 1, 10), 1_992_166);
}

#[test]
fn book_code_rows_leaves_and_spans() {
    let (net, summary) = analyze(BOOK_CODE).unwrap();
    assert_eq!(net.input, [1, 1, 224, 224]);
    assert_eq!(net.model, "NiN");
    assert_eq!(net.summary_call.map(|s| s.line), Some(24));
    let row_params: Vec<u64> = summary.rows.iter().map(|r| r.params).collect();
    assert_eq!(row_params, [30_336, 0, 746_240, 0, 1_180_800, 0, 0, 34_790, 0, 0]);
    // The first row points at `nin_block(96, ...)` on line 12, the pools at their own calls.
    assert_eq!((summary.rows[0].span.line, summary.rows[0].span.col), (12, 13));
    assert_eq!((summary.rows[1].span.line, summary.rows[1].span.col), (13, 13));
    assert_eq!(summary.leaves.len(), 30);
    let first = &summary.leaves[0];
    assert_eq!(first.layer, Layer::Conv2d { in_channels: Some(1), out_channels: 96, kernel_size: [11, 11], stride: [4, 4], padding: [0, 0], bias: true });
    assert_eq!((first.input.clone(), first.output.clone(), first.params), (vec![1, 1, 224, 224], vec![1, 96, 54, 54], 11_712));
    // Leaves inside nin_block point at the calls in its body (line 3, column 9).
    assert_eq!((first.span.line, first.span.col), (3, 9));
    let convs = summary.leaves.iter().filter(|l| matches!(l.layer, Layer::Conv2d { .. })).count();
    assert_eq!(convs, 12);
}

#[test]
fn one_1x1_conv_per_block() {
    let source = edit("        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),\n", "");
    let (rows, total) = table(&source);
    assert_eq!(rows, book_table());
    // Blocks [c, c]: the k x k conv and one 1x1 conv each.
    assert_eq!(total, nin_params(1, 1, 10));
    assert_eq!(total, 1_769_112);
}

#[test]
fn three_1x1_convs_per_block() {
    let source = edit(
        "nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())",
        "nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),\n        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())",
    );
    let (rows, total) = table(&source);
    assert_eq!(rows, book_table());
    // The book's count plus one more 1x1 conv per block: 9,312 + 65,792 + 147,840 + 110.
    assert_eq!(total, nin_params(3, 1, 10));
    assert_eq!(total, 1_992_166 + 223_054);
}

#[test]
fn three_by_three_instead_of_1x1() {
    let source = BOOK_CODE.replace("kernel_size=1)", "kernel_size=3, padding=1)");
    let (rows, total) = table(&source);
    assert_eq!(rows, book_table());
    // Per block 2 * (c*c*9 + c): 166,080 + 1,180,160 + 2,654,976 + 1,820 on top of the first convs.
    assert_eq!(total, nin_params(2, 3, 10));
    assert_eq!(total, 5_549_094);
}

#[test]
fn fully_connected_head_instead_of_global_average_pooling() {
    let source = edit("nn.AdaptiveAvgPool2d((1, 1)),\n            nn.Flatten())", "nn.Flatten(), nn.LazyLinear(num_classes))");
    let (rows, total) = table(&source);
    assert_eq!(rows[7..], [("Sequential", "(1, 10, 5, 5)".to_string()), ("Flatten", "(1, 250)".into()), ("Linear", "(1, 10)".into())]);
    // The book's count plus Linear(250 -> 10): 250 * 10 + 10 = 2,510.
    assert_eq!(total, 1_992_166 + 2_510);
}

#[test]
fn five_classes() {
    let (rows, total) = table(&edit("NiN().layer_summary", "NiN(num_classes=5).layer_summary"));
    assert_eq!(rows[9], ("Flatten", "(1, 5)".to_string()));
    // Last block: 5*384*9 + 5 = 17,285 and two 1x1 convs of 5*5 + 5 = 30.
    assert_eq!(total, nin_params(2, 1, 5));
    assert_eq!(total, 1_974_721);
}

#[test]
fn small_input_96_px() {
    let (rows, _) = table(&edit("(1, 1, 224, 224)", "(1, 1, 96, 96)"));
    assert_eq!(rows[7], ("Sequential", "(1, 10, 1, 1)".to_string()));
    assert_eq!(rows[9], ("Flatten", "(1, 10)".to_string()));
}

#[test]
fn too_small_input_names_the_layer_that_does_not_fit() {
    let error = analyze(&edit("(1, 1, 224, 224)", "(1, 1, 64, 64)")).unwrap_err();
    assert_eq!(error.kind, ErrorKind::DoesNotFit(ShapeProblem::KernelTooLarge { kernel: 3, input: 2 }));
    assert_eq!((error.line, error.col, error.layer.as_deref()), (17, 13, Some("MaxPool2d")));
    // NiN needs at least 67 px.
    assert!(analyze(&edit("(1, 1, 224, 224)", "(1, 1, 67, 67)")).is_ok());
    assert!(analyze(&edit("(1, 1, 224, 224)", "(1, 1, 66, 66)")).is_err());
}

#[test]
fn model_in_a_variable_and_keyword_shape() {
    let source = edit("NiN().layer_summary((1, 1, 224, 224))", "model = NiN(lr=0.05)\nmodel.layer_summary(X_shape=(2, 3, 224, 224))");
    let (net, summary) = analyze(&source).unwrap();
    assert_eq!(net.input, [2, 3, 224, 224]);
    // Three input channels: the first conv has 96 * 3 * 121 + 96 weights.
    assert_eq!(summary.total_params, 1_992_166 + 96 * 2 * 121);
}

#[test]
fn without_a_summary_call_the_default_input_is_used() {
    let source = edit("NiN().layer_summary((1, 1, 224, 224))\n", "");
    let (net, summary) = analyze(&source).unwrap();
    assert_eq!((net.input, net.summary_call), (DEFAULT_INPUT, None));
    assert_eq!(summary.total_params, 1_992_166);
}

#[test]
fn renamed_class_explicit_conv2d_imports_and_arithmetic() {
    let source = "from torch import nn\nimport torch\nfrom d2l import torch as d2l\n\nclass Small(nn.Module):\n    def __init__(self, c=8):\n        super().__init__()\n        half = c // 2\n        self.net = nn.Sequential(nn.Conv2d(1, c, (3, 3), padding=1), nn.ReLU(inplace=True),\n            nn.AvgPool2d(2), nn.Conv2d(c, half, 1, bias=False), nn.Flatten(), nn.Linear(half * 14 * 14, 10))\n\nSmall().layer_summary((1, 1, 28, 28))\n";
    let (net, summary) = analyze(source).unwrap();
    assert_eq!(net.model, "Small");
    let shapes: Vec<String> = summary.rows.iter().map(|r| format_shape(&r.output)).collect();
    assert_eq!(shapes, ["(1, 8, 28, 28)", "(1, 8, 28, 28)", "(1, 8, 14, 14)", "(1, 4, 14, 14)", "(1, 784)", "(1, 10)"]);
    assert_eq!(summary.total_params, (8 * 9 + 8) + 8 * 4 + (784 * 10 + 10));
}

#[test]
fn parsing_and_evaluating_the_book_code_is_fast() {
    let start = std::time::Instant::now();
    for _ in 0..100 {
        analyze(BOOK_CODE).unwrap();
    }
    let each = start.elapsed() / 100;
    eprintln!("parse + evaluate + summary of the book's code: {each:?}");
    // Well under 1 ms each in release; a loose bound so debug builds pass too.
    assert!(each.as_millis() < 20);
}
