//! The code cell's error sentences in English (crates/nin-code's typed errors).

use nin_code::{ErrorKind, Expected, Found, IndentProblem, Limit, Range, ShapeProblem, ValueType};

fn found(f: &Found) -> String {
    match f {
        Found::Name(n) => format!("the name `{n}`"),
        Found::Keyword(k) => format!("the keyword `{k}`"),
        Found::Number(n) => format!("the number {n}"),
        Found::Symbol(s) => format!("`{s}`"),
        Found::NewLine => "the end of the line".into(),
        Found::Indent => "an indented line".into(),
        Found::Dedent => "a less indented line".into(),
        Found::End => "the end of the code".into(),
    }
}

fn expected(e: &Expected) -> String {
    match e {
        Expected::Symbol(s) => format!("`{s}`"),
        Expected::Name => "a name".into(),
        Expected::Expression => "a value".into(),
        Expected::Statement => "a statement".into(),
        Expected::NewLine => "the end of the line".into(),
        Expected::Parameter => "a parameter name".into(),
    }
}

fn value_type(t: ValueType) -> &'static str {
    match t {
        ValueType::Int => "a whole number",
        ValueType::Float => "a decimal number",
        ValueType::Number => "a number",
        ValueType::Bool => "True or False",
        ValueType::None => "None",
        ValueType::Tuple => "a tuple",
        ValueType::IntOrPair => "a whole number or a pair of them",
        ValueType::Shape4 => "a shape (batch, channels, height, width)",
        ValueType::Layer => "a layer",
        ValueType::Function => "a function",
        ValueType::Class => "a class",
        ValueType::Model => "a model",
        ValueType::Module => "a module (nn or d2l)",
        ValueType::Other => "another kind of value",
    }
}

fn range(r: Range) -> &'static str {
    match r {
        Range::Positive => "at least 1",
        Range::NonNegative => "at least 0",
        Range::Probability => "between 0 and 1",
        Range::HalfKernel => "at most half the kernel size",
    }
}

fn limit(l: Limit) -> &'static str {
    match l {
        Limit::Number => "a number too large",
        Limit::Dimension => "a size above 65,536",
        Limit::Layers => "more than 512 layers",
        Limit::Parameters => "too many parameters or values",
        Limit::Nesting => "brackets or Sequentials nested too deeply",
        Limit::Work => "too much work to evaluate",
    }
}

/// The sentence for one error kind (the cell adds the place and the layer).
pub fn kind(kind: &ErrorKind) -> String {
    use ErrorKind::*;
    match kind {
        UnexpectedCharacter(c) => format!("the character `{c}` is not part of the Python this cell reads"),
        StringLiteral => "strings are not needed here and not supported".into(),
        UnclosedBracket(c) => format!("this `{c}` is never closed"),
        Syntax { expected: e, found: f } => format!("expected {}, found {}", expected(e), found(f)),
        UnsupportedSyntax(k) => format!("`{k}` is not supported in this cell (it reads def, class, return, assignments and calls)"),
        BadIndentation(IndentProblem::Unexpected) => "this line is indented but starts no block".into(),
        BadIndentation(IndentProblem::Inconsistent) => "this line's indentation matches no enclosing block".into(),
        BadIndentation(IndentProblem::ExpectedBlock) => "an indented block must follow the `:`".into(),
        DefaultBeforeRequired(p) => format!("parameter `{p}` has no default but follows one that has"),
        PositionalAfterKeyword => "a positional argument follows a keyword argument".into(),
        InvalidAssignmentTarget => "you can assign only to a name or to `self.<name>`".into(),
        ReturnOutsideFunction => "`return` outside a function".into(),
        UnknownName(n) => format!("unknown name `{n}`"),
        UnknownLayer(n) => format!("unknown layer `nn.{n}`"),
        NotCallable(t) => format!("{} cannot be called", value_type(*t)),
        TooManyArguments { max, given } => format!("takes at most {max} positional arguments, {given} were given"),
        UnknownArgument(a) => format!("unknown argument `{a}`"),
        DuplicateArgument(a) => format!("argument `{a}` is given twice"),
        MissingArgument(a) => format!("argument `{a}` is missing"),
        WrongArgumentType { argument, expected: e, found: f } => format!("`{argument}` must be {}, not {}", value_type(*e), value_type(*f)),
        OutOfRange { argument, value, range: r } => format!("`{argument}` = {value} must be {}", range(*r)),
        BadOperation => "this arithmetic cannot be done".into(),
        DoesNotFit(ShapeProblem::KernelTooLarge { kernel, input }) => {
            format!("the input does not fit: a kernel of {kernel} is larger than the padded input of {input}")
        }
        DoesNotFit(ShapeProblem::NeedsImage { input }) => format!("needs images (batch, channels, height, width) but gets {}", nin_code::format_shape(input)),
        DoesNotFit(ShapeProblem::NeedsFlat { input }) => format!("needs a flat input but gets {}: put nn.Flatten() before it", nin_code::format_shape(input)),
        DoesNotFit(ShapeProblem::InputMismatch { declared, actual }) => format!("declares {declared} inputs but its input has {actual}"),
        Recursion => "functions call each other too deeply".into(),
        TooBig(l) => format!("too big for this page: {}", limit(*l)),
        NoNetAssignment(c) => format!("class `{c}` never sets `self.net` to a layer"),
        NoClass => "no model class is defined (class NiN(d2l.Classifier): ...)".into(),
    }
}

/// "line 3, column 9: Conv2d: <what>".
pub fn error(e: &nin_code::CodeError) -> String {
    let layer = e.layer.as_ref().map(|l| format!("{l}: ")).unwrap_or_default();
    format!("line {}, column {}: {layer}{}", e.line, e.col, kind(&e.kind))
}

/// Why the training cell cannot train an edited net.
pub fn not_trainable(why: &crate::model::from_code::NotTrainable) -> String {
    use crate::model::from_code::NotTrainable::*;
    let entry = |i: &usize| format!("entry {} of self.net", i + 1);
    match why {
        Block(i) => format!("The training cell trains NiN-shaped nets: {} is not a block of convolutions each followed by a ReLU (inner ones with stride 1 and the same odd kernel, padded to keep the size).", entry(i)),
        Layer(i, name) => format!("The training cell trains NiN-shaped nets: it has no place for {name} at {}.", entry(i)),
        Option(i, what) => format!("The training cell trains NiN-shaped nets: {what} at {} is not supported there.", entry(i)),
        Head => "The training cell trains NiN-shaped nets: the net must end with global average pooling and Flatten, or with Flatten and Linear layers (ReLU and Dropout(0.5) between them).".into(),
        Classes => "The training cell trains NiN-shaped nets: with global average pooling, the last block needs one channel per class.".into(),
    }
}

/// Why a share link's code cannot be read.
pub fn link_error(e: &crate::exercises::code_link::CodeLinkError) -> String {
    use crate::exercises::code_link::CodeLinkError::*;
    match e {
        Empty => "The link carries no code after #code=.".into(),
        TooLong => "The link is too long to be a program of this cell.".into(),
        NotBase64 { at } => format!("Character {} of the link's code is not one a share link uses: the link was changed or cut.", at + 1),
        Damaged => "The link's code is incomplete or damaged: the link was probably cut when it was copied.".into(),
        TooLarge => "The program is larger than 64 KB, more than a share link carries.".into(),
        NotText => "The link's code is not text.".into(),
    }
}

/// "#3 your code (One 1×1 conv per block)", or "(4 blocks, 12 convolutions)".
pub fn run_name(number: usize, same_as: Option<&str>, blocks: usize, convs: usize) -> String {
    let what = same_as.map(str::to_string).unwrap_or_else(|| {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        format!("{blocks} block{}, {convs} convolution{}", s(blocks), s(convs))
    });
    format!("#{number} your code ({what})")
}

/// The code cell's fixed strings.
pub static CODE: super::super::code::CodeUi = super::super::code::CodeUi {
    title: "The book's code (PyTorch): edit it and run it",
    note: "This is the chapter's PyTorch code. Change it and press Run: the page reads it (def, class, return, assignments, calls), builds the network with Burn and prints the book's layer summary with the real output shapes. What you type is kept on this device.",
    editor_label: "PyTorch code of the model",
    run: "Run",
    running: "Running…",
    reset: "Back to the book's code",
    train: "Train this model",
    col_layer: "Layer",
    col_shape: "Output shape",
    col_line: "Line",
    params: "Parameters",
    supported: "Supported layers:",
    default_input: "The code has no layer_summary call, so the book's input (1, 1, 224, 224) was used.",
    sent_to_training: "The training cell below now trains this model.",
    kept: "Saved on this device.",
    open_in_editor: "Open in the code editor",
    on_gpu: "computed on WebGPU",
    on_cpu: "computed on the CPU",
    checking: "shapes from the arithmetic; a real forward pass is checking them…",
    checked: "every shape confirmed by a real forward pass",
    tabs_label: "The model's code",
    tab_pytorch: "PyTorch (the book)",
    tab_rust: "Burn (Rust)",
    rust_note: "The same net in Burn, the Rust library this page runs on: generated from the PyTorch code each time it parses, so the two always match. Read only.",
    rust_stale: "The PyTorch code does not parse now, so this is the Burn code of the last version that did:",
    rust_none: "The PyTorch code does not parse, so there is no Burn code to show yet:",
    share: "Share",
    share_label: "Link to this code",
    share_copied: "Link copied. The code itself is in the link (compressed): nothing is uploaded.",
    share_select: "Select the link and copy it. The code itself is in the link (compressed): nothing is uploaded.",
    share_unsupported: "This browser cannot compress the link (it lacks CompressionStream with deflate-raw).",
    share_failed: "The link could not be made:",
    link_loaded: "Loaded the code from the link.",
    link_unreadable: "The link's code could not be read, so the editor keeps your code:",
    kept_after_link: "Loaded the code from the link. Your previous code is kept:",
    kept_after_exercise: "Opened the exercise's code. Your previous code is kept:",
    kept_after_book: "Back to the book's code. Your code is kept:",
    kept_after_restore: "Your code is back. The code it replaced is kept:",
    restore: "Restore it",
    forget: "Discard it",
};
