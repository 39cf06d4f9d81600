//! Malformed programs: each gives its exact error kind at its exact line and column.

use crate::error::{Expected, Found, IndentProblem, Limit, Number, Range, ShapeProblem, ValueType};
use crate::*;

/// A one-class program whose `self.net` is `nn.Sequential(<layers>)`; the layers start on
/// line 3, column 34, and the input is (1, 1, 28, 28).
fn model(layers: &str) -> String {
    format!("class M:\n    def __init__(self):\n        self.net = nn.Sequential({layers})\nM().layer_summary((1, 1, 28, 28))\n")
}

fn error(source: &str) -> (ErrorKind, usize, usize, Option<String>) {
    match analyze(source) {
        Ok(_) => panic!("expected an error for:\n{source}"),
        Err(e) => (e.kind, e.line, e.col, e.layer),
    }
}

fn check(source: &str, kind: ErrorKind, line: usize, col: usize) {
    let (got, got_line, got_col, _) = error(source);
    assert_eq!((got, got_line, got_col), (kind, line, col), "for:\n{source}");
}

fn wrong_type(argument: &str, expected: ValueType, found: ValueType) -> ErrorKind {
    ErrorKind::WrongArgumentType { argument: argument.into(), expected, found }
}

fn out_of_range(argument: &str, value: Number, range: Range) -> ErrorKind {
    ErrorKind::OutOfRange { argument: argument.into(), value, range }
}

#[test]
fn layer_arguments() {
    check(&model("nn.Conv3d(1, 2, 3)"), ErrorKind::UnknownLayer("Conv3d".into()), 3, 37);
    check(&model("nn.LazyConv2d(8, 3.0)"), wrong_type("kernel_size", ValueType::IntOrPair, ValueType::Float), 3, 51);
    check(&model("nn.LazyConv2d(0, 3)"), out_of_range("out_channels", Number::Int(0), Range::Positive), 3, 48);
    check(&model("nn.LazyConv2d(8, 3, 1, 1, 1)"), ErrorKind::TooManyArguments { max: 4, given: 5 }, 3, 60);
    check(&model("nn.LazyConv2d(8, kernel=3)"), ErrorKind::UnknownArgument("kernel".into()), 3, 51);
    check(&model("nn.LazyConv2d(8, 3, kernel_size=3)"), ErrorKind::DuplicateArgument("kernel_size".into()), 3, 54);
    check(&model("nn.LazyConv2d(8)"), ErrorKind::MissingArgument("kernel_size".into()), 3, 34);
    check(&model("nn.Dropout(1.5)"), out_of_range("p", Number::Float(1.5), Range::Probability), 3, 45);
    check(&model("nn.MaxPool2d(3, stride=-1)"), out_of_range("stride", Number::Int(-1), Range::Positive), 3, 50);
    check(&model("nn.MaxPool2d(3, padding=2)"), out_of_range("padding", Number::Int(2), Range::HalfKernel), 3, 50);
    check(&model("nn.ReLU(), 5"), wrong_type("2", ValueType::Layer, ValueType::Int), 3, 45);
    check(&model("nn.LazyConv2d(100000, 3)"), ErrorKind::TooBig(Limit::Dimension), 3, 48);
    check(&model("nn.AdaptiveAvgPool2d((1, 1, 1))"), wrong_type("output_size", ValueType::IntOrPair, ValueType::Tuple), 3, 55);
}

#[test]
fn the_error_names_the_layer() {
    let (_, _, _, layer) = error(&model("nn.LazyConv2d(8, kernel=3)"));
    assert_eq!(layer.as_deref(), Some("LazyConv2d"));
    let (kind, line, col, layer) = error(&BOOK_CODE.replace("nin_block(96, kernel_size=11", "nin_block(96, kernel=11"));
    assert_eq!((kind, line, col, layer.as_deref()), (ErrorKind::UnknownArgument("kernel".into()), 12, 27, Some("nin_block")));
}

#[test]
fn shapes_that_do_not_fit() {
    check(&model("nn.Flatten(), nn.LazyConv2d(8, 3)"), ErrorKind::DoesNotFit(ShapeProblem::NeedsImage { input: vec![1, 784] }), 3, 48);
    check(&model("nn.LazyLinear(10)"), ErrorKind::DoesNotFit(ShapeProblem::NeedsFlat { input: vec![1, 1, 28, 28] }), 3, 34);
    check(&model("nn.Flatten(), nn.Linear(100, 10)"), ErrorKind::DoesNotFit(ShapeProblem::InputMismatch { declared: 100, actual: 784 }), 3, 48);
    check(&model("nn.Conv2d(3, 8, 3)"), ErrorKind::DoesNotFit(ShapeProblem::InputMismatch { declared: 3, actual: 1 }), 3, 34);
    check(&model("nn.LazyConv2d(8, 29)"), ErrorKind::DoesNotFit(ShapeProblem::KernelTooLarge { kernel: 29, input: 28 }), 3, 34);
}

#[test]
fn program_structure() {
    let recursive = "def f(x):\n    return f(x)\n\nclass M:\n    def __init__(self):\n        self.net = f(1)\n";
    check(recursive, ErrorKind::Recursion, 2, 12);
    check("class M:\n    def __init__(self):\n        self.x = 1\nM().layer_summary((1, 1, 28, 28))\n", ErrorKind::NoNetAssignment("M".into()), 1, 7);
    check("x = 1\n", ErrorKind::NoClass, 1, 1);
    check(&model("nin_blok(1)"), ErrorKind::UnknownName("nin_blok".into()), 3, 34);
    check("x = 1\nx()\n", ErrorKind::NotCallable(ValueType::Int), 2, 1);
    check("x = 1 // 0\n", ErrorKind::BadOperation, 1, 5);
    let shape = model("nn.ReLU()").replace("(1, 1, 28, 28)", "(1, 28, 28)");
    check(&shape, wrong_type("X_shape", ValueType::Shape4, ValueType::Tuple), 4, 19);
    check("class M:\n    def __init__(self):\n        self.net = nn.ReLU()\n        self.foo()\n", ErrorKind::UnknownName("self.foo".into()), 4, 9);
}

#[test]
fn syntax_and_indentation() {
    check("class M:\n    def __init__(self)\n", ErrorKind::Syntax { expected: Expected::Symbol(":"), found: Found::NewLine }, 2, 23);
    check("x = 1\n    y = 2\n", ErrorKind::BadIndentation(IndentProblem::Unexpected), 2, 5);
    check("def f():\n        x = 1\n    y = 2\n", ErrorKind::BadIndentation(IndentProblem::Inconsistent), 3, 5);
    check("def f():\nx = 1\n", ErrorKind::BadIndentation(IndentProblem::ExpectedBlock), 2, 1);
    check("x = nn.Sequential(\n", ErrorKind::UnclosedBracket('('), 1, 18);
    check("x = 'abc'\n", ErrorKind::StringLiteral, 1, 5);
    check("x = {}\n", ErrorKind::UnexpectedCharacter('{'), 1, 5);
    check("for i in x:\n    pass\n", ErrorKind::UnsupportedSyntax("for".into()), 1, 1);
    check("def f(a=1, b):\n    pass\n", ErrorKind::DefaultBeforeRequired("b".into()), 1, 12);
    check("f(a=1, 2)\n", ErrorKind::PositionalAfterKeyword, 1, 8);
    check("f() = 1\n", ErrorKind::InvalidAssignmentTarget, 1, 1);
    check("return 1\n", ErrorKind::ReturnOutsideFunction, 1, 1);
    check("x = 99999999999999999999\n", ErrorKind::TooBig(Limit::Number), 1, 5);
    check("x = (1 +)\n", ErrorKind::Syntax { expected: Expected::Expression, found: Found::Symbol(")") }, 1, 9);
    check("x = = 1\n", ErrorKind::Syntax { expected: Expected::Expression, found: Found::Symbol("=") }, 1, 5);
    check("def (x):\n    pass\n", ErrorKind::Syntax { expected: Expected::Name, found: Found::Symbol("(") }, 1, 5);
    check("x = nn.\n", ErrorKind::Syntax { expected: Expected::Name, found: Found::NewLine }, 1, 8);
    check("x = class\n", ErrorKind::Syntax { expected: Expected::Expression, found: Found::Keyword("class".into()) }, 1, 5);
}

#[test]
fn safety_limits() {
    let deep = format!("x = {}1{}\n", "(".repeat(40), ")".repeat(40));
    let (kind, line, _, _) = error(&deep);
    assert_eq!((kind, line), (ErrorKind::TooBig(Limit::Nesting), 1));
    // Each function calls the one before twice: 2^30 calls without a step budget.
    let mut exponential = String::from("def f0():\n    return 1\n");
    for i in 1..30 {
        exponential.push_str(&format!("def f{i}():\n    f{0}()\n    return f{0}()\n", i - 1));
    }
    exponential.push_str("f29()\n");
    assert_eq!(error(&exponential).0, ErrorKind::TooBig(Limit::Work));
    let many = vec!["nn.ReLU()"; 513].join(", ");
    check(&model(&many), ErrorKind::TooBig(Limit::Layers), 3, 20);
    let huge = model("nn.LazyConv2d(65536, 3)").replace("(1, 1, 28, 28)", "(1, 65536, 28, 28)");
    check(&huge, ErrorKind::TooBig(Limit::Parameters), 3, 34);
}
