//! The syntax tree of the Python subset: what the parser builds and the evaluator walks.
//! Every node keeps its span so errors can point at it.

use std::rc::Rc;

use crate::error::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    Def(Rc<FunctionDef>),
    Class(Rc<ClassDef>),
    Return(Option<Expr>),
    Assign {
        target: Expr,
        value: Expr,
    },
    Expr(Expr),
    Pass,
    /// `import x` / `from x import y`: a no-op (`nn`, `d2l` and `torch` are always defined).
    Import,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    pub name: String,
    /// The span of the name after `def`.
    pub span: Span,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClassDef {
    pub name: String,
    /// The span of the name after `class`.
    pub span: Span,
    /// Base classes are parsed but not evaluated (`d2l.Classifier`, `nn.Module`, ...).
    pub bases: Vec<Expr>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Name(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    Tuple(Vec<Expr>),
    Attribute { object: Box<Expr>, name: String, name_span: Span },
    Call { callee: Box<Expr>, args: Vec<Arg> },
    Neg(Box<Expr>),
    Binary { op: BinaryOp, left: Box<Expr>, right: Box<Expr> },
}

/// A call argument: positional (`name` is `None`) or keyword.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: Option<(String, Span)>,
    pub value: Expr,
}

impl Arg {
    /// The span of the whole argument (`kernel_size=11`, or just `96`).
    pub fn span(&self) -> Span {
        match &self.name {
            Some((_, span)) => span.to(self.value.span),
            None => self.value.span,
        }
    }
}

impl Expr {
    /// `nn.Conv2d`, `self.net.apply`: the dotted text of a name or attribute chain, if it is one.
    pub fn dotted(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(n) => Some(n.clone()),
            ExprKind::Attribute { object, name, .. } => object.dotted().map(|o| format!("{o}.{name}")),
            _ => None,
        }
    }
}
