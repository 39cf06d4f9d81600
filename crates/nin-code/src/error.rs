//! The one error type of the code cell: a typed kind plus the source span it points at, so the
//! app can highlight the place and write the sentence in English or Japanese.

use std::fmt;

/// A place in the source: 1-based line and column of the first character, and of the character
/// just past the last one (`end_col` is exclusive). Columns count Unicode scalar values (chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
}

impl Span {
    /// A span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span { end_line: other.end_line, end_col: other.end_col, ..self }
    }
}

/// Why the code cell's program cannot be turned into a network, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeError {
    pub kind: ErrorKind,
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
    /// The layer (PyTorch's printed name, e.g. `Conv2d`) or function the error is about, if any.
    pub layer: Option<String>,
}

impl CodeError {
    pub fn new(kind: ErrorKind, span: Span) -> Self {
        CodeError { kind, line: span.line, col: span.col, end_line: span.end_line, end_col: span.end_col, layer: None }
    }

    pub fn with_layer(mut self, layer: impl Into<String>) -> Self {
        self.layer = Some(layer.into());
        self
    }

    pub fn span(&self) -> Span {
        Span { line: self.line, col: self.col, end_line: self.end_line, end_col: self.end_col }
    }
}

/// A token as an error reports it ("found ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Name(String),
    Keyword(String),
    Number(String),
    Symbol(&'static str),
    NewLine,
    Indent,
    Dedent,
    End,
}

/// What the parser wanted instead ("expected ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    Symbol(&'static str),
    Name,
    Expression,
    Statement,
    NewLine,
    Parameter,
}

/// The problem with the program's indentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndentProblem {
    /// A line is indented more than the block it is in, without a `:` before it.
    Unexpected,
    /// A line goes back to an indentation no enclosing block has.
    Inconsistent,
    /// A line ending in `:` is not followed by an indented block.
    ExpectedBlock,
}

/// The kind of a value, for "expected an int, found a float".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    Int,
    Float,
    Number,
    Bool,
    None,
    Tuple,
    /// An int or a tuple of two ints (kernel size, stride, padding, output size).
    IntOrPair,
    /// A tuple of four ints: (batch, channels, height, width).
    Shape4,
    Layer,
    Function,
    Class,
    Model,
    Module,
    Other,
}

/// A number as the student wrote it (for "out of range" messages).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

/// The values an argument may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// 1, 2, 3, ... (channels, kernel sizes, strides, sizes).
    Positive,
    /// 0, 1, 2, ... (padding).
    NonNegative,
    /// 0 to 1 inclusive (dropout probability).
    Probability,
    /// At most half the kernel size (pooling padding, as PyTorch requires).
    HalfKernel,
}

/// Which safety limit a program ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// An integer literal beyond 64 bits.
    Number,
    /// A size, channel count or shape dimension above [`crate::MAX_DIMENSION`].
    Dimension,
    /// More than [`crate::MAX_LAYERS`] layers in one network.
    Layers,
    /// More than [`crate::MAX_PARAMETERS`] parameters, or an activation too large to count.
    Parameters,
    /// Brackets or Sequentials nested deeper than [`crate::MAX_NESTING`].
    Nesting,
    /// More evaluation steps than [`crate::MAX_STEPS`].
    Work,
}

/// Why a layer's input does not fit it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeProblem {
    /// The kernel is larger than the (padded) input: `input` is the padded size.
    KernelTooLarge { kernel: usize, input: usize },
    /// A layer that needs a 4-D image tensor got a flattened one (a conv or pool after Flatten).
    NeedsImage { input: Vec<usize> },
    /// A Linear layer got a 4-D tensor (it needs a Flatten before it).
    NeedsFlat { input: Vec<usize> },
    /// `Conv2d(in_channels, ...)` or `Linear(in_features, ...)` does not match its input.
    InputMismatch { declared: usize, actual: usize },
}

/// Every way a program can fail. No message text lives here: [`fmt::Display`] gives English.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    /// A character the subset does not use (`{`, `@`, `;`, ...).
    UnexpectedCharacter(char),
    /// String literals are not supported.
    StringLiteral,
    /// A bracket opened here is never closed.
    UnclosedBracket(char),
    Syntax {
        expected: Expected,
        found: Found,
    },
    /// A Python statement the subset does not run (`for`, `if`, `while`, `lambda`, ...).
    UnsupportedSyntax(String),
    BadIndentation(IndentProblem),
    /// `def f(a=1, b)`: a parameter without a default after one with.
    DefaultBeforeRequired(String),
    /// `f(a=1, 2)`.
    PositionalAfterKeyword,
    /// The left of `=` is not a name or an attribute.
    InvalidAssignmentTarget,
    /// `return` outside a function.
    ReturnOutsideFunction,
    UnknownName(String),
    UnknownLayer(String),
    /// Calling something that is not a function, class or layer.
    NotCallable(ValueType),
    TooManyArguments {
        max: usize,
        given: usize,
    },
    UnknownArgument(String),
    DuplicateArgument(String),
    MissingArgument(String),
    WrongArgumentType {
        argument: String,
        expected: ValueType,
        found: ValueType,
    },
    OutOfRange {
        argument: String,
        value: Number,
        range: Range,
    },
    /// Arithmetic the subset cannot do (`1 / 0`, adding a layer to an int).
    BadOperation,
    DoesNotFit(ShapeProblem),
    /// Functions calling each other deeper than [`crate::MAX_CALL_DEPTH`].
    Recursion,
    TooBig(Limit),
    /// The model class never assigns `self.net`, or assigns something that is not a layer.
    NoNetAssignment(String),
    NoClass,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Name(n) => write!(f, "the name `{n}`"),
            Found::Keyword(k) => write!(f, "the keyword `{k}`"),
            Found::Number(n) => write!(f, "the number {n}"),
            Found::Symbol(s) => write!(f, "`{s}`"),
            Found::NewLine => write!(f, "the end of the line"),
            Found::Indent => write!(f, "an indented line"),
            Found::Dedent => write!(f, "a less indented line"),
            Found::End => write!(f, "the end of the code"),
        }
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Symbol(s) => write!(f, "`{s}`"),
            Expected::Name => write!(f, "a name"),
            Expected::Expression => write!(f, "a value or expression"),
            Expected::Statement => write!(f, "a statement"),
            Expected::NewLine => write!(f, "the end of the line"),
            Expected::Parameter => write!(f, "a parameter name"),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        match self {
            UnexpectedCharacter(c) => write!(f, "the character `{c}` is not used in this code cell"),
            StringLiteral => write!(f, "strings are not supported in this code cell"),
            UnclosedBracket(c) => write!(f, "this `{c}` is never closed"),
            Syntax { expected, found } => write!(f, "expected {expected}, found {found}"),
            UnsupportedSyntax(k) => write!(f, "`{k}` is not supported in this code cell"),
            BadIndentation(IndentProblem::Unexpected) => write!(f, "unexpected indentation"),
            BadIndentation(IndentProblem::Inconsistent) => write!(f, "this line's indentation matches no enclosing block"),
            BadIndentation(IndentProblem::ExpectedBlock) => write!(f, "expected an indented block after `:`"),
            DefaultBeforeRequired(p) => write!(f, "parameter `{p}` has no default but follows one that has"),
            PositionalAfterKeyword => write!(f, "a positional argument follows a keyword argument"),
            InvalidAssignmentTarget => write!(f, "can only assign to a name or to `self.<name>`"),
            ReturnOutsideFunction => write!(f, "`return` outside a function"),
            UnknownName(n) => write!(f, "unknown name `{n}`"),
            UnknownLayer(n) => write!(f, "unknown layer `nn.{n}`; supported: {}", crate::SUPPORTED_LAYERS.join(", ")),
            NotCallable(t) => write!(f, "a {t:?} value cannot be called"),
            TooManyArguments { max, given } => write!(f, "takes at most {max} positional arguments but {given} were given"),
            UnknownArgument(a) => write!(f, "unknown argument `{a}`"),
            DuplicateArgument(a) => write!(f, "argument `{a}` is given twice"),
            MissingArgument(a) => write!(f, "missing argument `{a}`"),
            WrongArgumentType { argument, expected, found } => write!(f, "argument `{argument}` must be {expected:?}, not {found:?}"),
            OutOfRange { argument, value, range } => write!(f, "argument `{argument}` = {value} is out of range ({range:?})"),
            BadOperation => write!(f, "this arithmetic cannot be done"),
            DoesNotFit(ShapeProblem::KernelTooLarge { kernel, input }) => {
                write!(f, "the input does not fit: kernel {kernel} is larger than the padded input {input}")
            }
            DoesNotFit(ShapeProblem::NeedsImage { input }) => write!(f, "needs a 4-D image tensor but gets {}", crate::format_shape(input)),
            DoesNotFit(ShapeProblem::NeedsFlat { input }) => {
                write!(f, "needs a flattened input but gets {}; add nn.Flatten() first", crate::format_shape(input))
            }
            DoesNotFit(ShapeProblem::InputMismatch { declared, actual }) => write!(f, "declares {declared} inputs but gets {actual}"),
            Recursion => write!(f, "functions call each other more than {} deep", crate::MAX_CALL_DEPTH),
            TooBig(limit) => write!(f, "too big for this page ({limit:?})"),
            NoNetAssignment(c) => write!(f, "class `{c}` never assigns a layer to `self.net`"),
            NoClass => write!(f, "no model class is defined"),
        }
    }
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.line, self.col)?;
        if let Some(layer) = &self.layer {
            write!(f, "{layer}: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for CodeError {}
