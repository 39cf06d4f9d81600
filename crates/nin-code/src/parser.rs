//! A recursive-descent parser for the Python subset the code cell runs: `def`, `class`,
//! assignments, calls, attributes, numbers and tuples. Anything else is a typed error.

use std::rc::Rc;

use crate::MAX_NESTING;
use crate::ast::{Arg, BinaryOp, ClassDef, Expr, ExprKind, FunctionDef, Param, Stmt, StmtKind};
use crate::error::{CodeError, ErrorKind, Expected, Found, IndentProblem, Limit, Span};
use crate::lexer::{Tok, Token, tokenize};

/// Python's keywords: never names, so `x = for` is a syntax error, not an unknown name.
const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
    "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// Parses a whole program into its statements.
pub fn parse(source: &str) -> Result<Vec<Stmt>, CodeError> {
    let tokens = tokenize(source)?;
    let mut parser = Parser { tokens, pos: 0, depth: 0, in_function: false };
    let mut body = Vec::new();
    while parser.peek().tok != Tok::End {
        body.push(parser.statement()?);
    }
    Ok(body)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    in_function: bool,
}

fn found(tok: &Tok) -> Found {
    match tok {
        Tok::Name(n) if KEYWORDS.contains(&n.as_str()) => Found::Keyword(n.clone()),
        Tok::Name(n) => Found::Name(n.clone()),
        Tok::Int(i) => Found::Number(i.to_string()),
        Tok::Float(x) => Found::Number(x.to_string()),
        Tok::Symbol(s) => Found::Symbol(s),
        Tok::NewLine => Found::NewLine,
        Tok::Indent => Found::Indent,
        Tok::Dedent => Found::Dedent,
        Tok::End => Found::End,
    }
}

impl Parser {
    fn peek(&self) -> &Token {
        // The lexer always ends with `End`, so the last token is a safe fallback.
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        &self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)].tok
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        self.pos += 1;
        token
    }

    fn is_symbol(&self, symbol: &str) -> bool {
        matches!(&self.peek().tok, Tok::Symbol(s) if *s == symbol)
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(&self.peek().tok, Tok::Name(n) if n == keyword)
    }

    fn eat_symbol(&mut self, symbol: &str) -> Option<Span> {
        if self.is_symbol(symbol) { Some(self.advance().span) } else { None }
    }

    fn unexpected(&self, expected: Expected) -> CodeError {
        let token = self.peek();
        CodeError::new(ErrorKind::Syntax { expected, found: found(&token.tok) }, token.span)
    }

    fn expect_symbol(&mut self, symbol: &'static str) -> Result<Span, CodeError> {
        self.eat_symbol(symbol).ok_or_else(|| self.unexpected(Expected::Symbol(symbol)))
    }

    fn expect_name(&mut self, expected: Expected) -> Result<(String, Span), CodeError> {
        match &self.peek().tok {
            Tok::Name(n) if !KEYWORDS.contains(&n.as_str()) => {
                let token = self.advance();
                Ok((n_of(&token.tok), token.span))
            }
            _ => Err(self.unexpected(expected)),
        }
    }

    fn expect_newline(&mut self) -> Result<(), CodeError> {
        if self.peek().tok == Tok::NewLine {
            self.advance();
            Ok(())
        } else {
            Err(self.unexpected(Expected::NewLine))
        }
    }

    /// Counts one level of nesting (brackets, blocks, unary minus) so deep input cannot
    /// overflow the stack.
    fn enter(&mut self) -> Result<(), CodeError> {
        self.depth += 1;
        if self.depth > MAX_NESTING { Err(CodeError::new(ErrorKind::TooBig(Limit::Nesting), self.peek().span)) } else { Ok(()) }
    }

    fn statement(&mut self) -> Result<Stmt, CodeError> {
        let token = self.peek().clone();
        match &token.tok {
            Tok::Indent => Err(CodeError::new(ErrorKind::BadIndentation(IndentProblem::Unexpected), token.span)),
            Tok::Name(n) if n == "def" => self.def().map(|d| Stmt { span: token.span.to(d.span), kind: StmtKind::Def(Rc::new(d)) }),
            Tok::Name(n) if n == "class" => self.class().map(|c| Stmt { span: token.span.to(c.span), kind: StmtKind::Class(Rc::new(c)) }),
            _ => {
                let stmt = self.simple_statement()?;
                self.expect_newline()?;
                Ok(stmt)
            }
        }
    }

    fn simple_statement(&mut self) -> Result<Stmt, CodeError> {
        let token = self.peek().clone();
        let Tok::Name(word) = &token.tok else { return self.assignment_or_expression() };
        match word.as_str() {
            "pass" => {
                self.advance();
                Ok(Stmt { kind: StmtKind::Pass, span: token.span })
            }
            "return" if !self.in_function => Err(CodeError::new(ErrorKind::ReturnOutsideFunction, token.span)),
            "return" => {
                self.advance();
                if self.peek().tok == Tok::NewLine {
                    return Ok(Stmt { kind: StmtKind::Return(None), span: token.span });
                }
                let value = self.expr_list()?;
                Ok(Stmt { span: token.span.to(value.span), kind: StmtKind::Return(Some(value)) })
            }
            "import" | "from" => self.import(),
            "True" | "False" | "None" => self.assignment_or_expression(),
            w if KEYWORDS.contains(&w) => Err(CodeError::new(ErrorKind::UnsupportedSyntax(w.to_string()), token.span)),
            _ => self.assignment_or_expression(),
        }
    }

    fn assignment_or_expression(&mut self) -> Result<Stmt, CodeError> {
        let target = self.expr_list()?;
        if self.eat_symbol("=").is_none() {
            return Ok(Stmt { span: target.span, kind: StmtKind::Expr(target) });
        }
        if !matches!(target.kind, ExprKind::Name(_) | ExprKind::Attribute { .. }) {
            return Err(CodeError::new(ErrorKind::InvalidAssignmentTarget, target.span));
        }
        let value = self.expr_list()?;
        Ok(Stmt { span: target.span.to(value.span), kind: StmtKind::Assign { target, value } })
    }

    /// `import a.b as c, d` or `from a.b import c as d, e`: checked for shape, then ignored.
    fn import(&mut self) -> Result<Stmt, CodeError> {
        let first = self.advance();
        let dotted = |p: &mut Self| -> Result<Span, CodeError> {
            let (_, mut span) = p.expect_name(Expected::Name)?;
            while p.eat_symbol(".").is_some() {
                span = span.to(p.expect_name(Expected::Name)?.1);
            }
            Ok(span)
        };
        let mut end = dotted(self)?;
        if first.tok == Tok::Name("from".into()) {
            if !self.is_keyword("import") {
                return Err(self.unexpected(Expected::Symbol("import")));
            }
            end = self.advance().span;
            if let Some(star) = self.eat_symbol("*") {
                return Ok(Stmt { kind: StmtKind::Import, span: first.span.to(star) });
            }
        }
        loop {
            if first.tok == Tok::Name("from".into()) {
                end = self.expect_name(Expected::Name)?.1;
            }
            if self.is_keyword("as") {
                self.advance();
                end = self.expect_name(Expected::Name)?.1;
            }
            if self.eat_symbol(",").is_none() {
                break;
            }
            if first.tok == Tok::Name("import".into()) {
                end = dotted(self)?;
            }
        }
        Ok(Stmt { kind: StmtKind::Import, span: first.span.to(end) })
    }

    /// After a `:`: either an indented block, or one simple statement on the same line.
    fn block(&mut self) -> Result<Vec<Stmt>, CodeError> {
        self.enter()?;
        if self.peek().tok != Tok::NewLine {
            let stmt = self.simple_statement()?;
            self.expect_newline()?;
            self.depth -= 1;
            return Ok(vec![stmt]);
        }
        self.advance();
        if self.peek().tok != Tok::Indent {
            return Err(CodeError::new(ErrorKind::BadIndentation(IndentProblem::ExpectedBlock), self.peek().span));
        }
        self.advance();
        let mut body = Vec::new();
        while !matches!(self.peek().tok, Tok::Dedent | Tok::End) {
            body.push(self.statement()?);
        }
        self.advance();
        self.depth -= 1;
        Ok(body)
    }

    fn def(&mut self) -> Result<FunctionDef, CodeError> {
        self.advance();
        let (name, span) = self.expect_name(Expected::Name)?;
        self.expect_symbol("(")?;
        let mut params: Vec<Param> = Vec::new();
        while self.eat_symbol(")").is_none() {
            let (param, param_span) = self.expect_name(Expected::Parameter)?;
            if params.iter().any(|p| p.name == param) {
                return Err(CodeError::new(ErrorKind::DuplicateArgument(param), param_span));
            }
            let default = if self.eat_symbol("=").is_some() { Some(self.expr()?) } else { None };
            if default.is_none() && params.last().is_some_and(|p| p.default.is_some()) {
                return Err(CodeError::new(ErrorKind::DefaultBeforeRequired(param), param_span));
            }
            params.push(Param { name: param, default, span: param_span });
            if !self.is_symbol(")") {
                self.expect_symbol(",")?;
            }
        }
        if self.eat_symbol("->").is_some() {
            self.expr()?;
        }
        self.expect_symbol(":")?;
        let outer = std::mem::replace(&mut self.in_function, true);
        let body = self.block()?;
        self.in_function = outer;
        Ok(FunctionDef { name, span, params, body })
    }

    fn class(&mut self) -> Result<ClassDef, CodeError> {
        self.advance();
        let (name, span) = self.expect_name(Expected::Name)?;
        let mut bases = Vec::new();
        if self.eat_symbol("(").is_some() {
            while self.eat_symbol(")").is_none() {
                bases.push(self.expr()?);
                if !self.is_symbol(")") {
                    self.expect_symbol(",")?;
                }
            }
        }
        self.expect_symbol(":")?;
        let outer = std::mem::replace(&mut self.in_function, false);
        let body = self.block()?;
        self.in_function = outer;
        Ok(ClassDef { name, span, bases, body })
    }

    /// An expression, or a tuple without brackets (`return a, b`).
    fn expr_list(&mut self) -> Result<Expr, CodeError> {
        let first = self.expr()?;
        if !self.is_symbol(",") {
            return Ok(first);
        }
        let mut span = first.span;
        let mut items = vec![first];
        while self.eat_symbol(",").is_some() {
            if matches!(self.peek().tok, Tok::NewLine | Tok::End) || self.is_symbol("=") {
                break;
            }
            let item = self.expr()?;
            span = span.to(item.span);
            items.push(item);
        }
        Ok(Expr { kind: ExprKind::Tuple(items), span })
    }

    fn expr(&mut self) -> Result<Expr, CodeError> {
        self.enter()?;
        let mut left = self.term()?;
        loop {
            let op = if self.is_symbol("+") {
                BinaryOp::Add
            } else if self.is_symbol("-") {
                BinaryOp::Sub
            } else {
                break;
            };
            self.advance();
            let right = self.term()?;
            left = Expr { span: left.span.to(right.span), kind: ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) } };
        }
        self.depth -= 1;
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, CodeError> {
        let mut left = self.factor()?;
        loop {
            let op = match &self.peek().tok {
                Tok::Symbol("*") => BinaryOp::Mul,
                Tok::Symbol("/") => BinaryOp::Div,
                Tok::Symbol("//") => BinaryOp::FloorDiv,
                _ => break,
            };
            self.advance();
            let right = self.factor()?;
            left = Expr { span: left.span.to(right.span), kind: ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) } };
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, CodeError> {
        if self.is_symbol("-") || self.is_symbol("+") {
            let sign = self.advance();
            self.enter()?;
            let inner = self.factor()?;
            self.depth -= 1;
            let span = sign.span.to(inner.span);
            return Ok(if sign.tok == Tok::Symbol("-") { Expr { kind: ExprKind::Neg(Box::new(inner)), span } } else { Expr { span, ..inner } });
        }
        let mut expr = self.primary()?;
        loop {
            if self.eat_symbol(".").is_some() {
                let (name, name_span) = self.expect_name(Expected::Name)?;
                expr = Expr { span: expr.span.to(name_span), kind: ExprKind::Attribute { object: Box::new(expr), name, name_span } };
            } else if self.eat_symbol("(").is_some() {
                let (args, close) = self.arguments()?;
                expr = Expr { span: expr.span.to(close), kind: ExprKind::Call { callee: Box::new(expr), args } };
            } else {
                return Ok(expr);
            }
        }
    }

    /// Call arguments after the `(`, up to and including the `)`.
    fn arguments(&mut self) -> Result<(Vec<Arg>, Span), CodeError> {
        let mut args: Vec<Arg> = Vec::new();
        loop {
            if let Some(close) = self.eat_symbol(")") {
                return Ok((args, close));
            }
            if self.is_symbol("*") {
                return Err(CodeError::new(ErrorKind::UnsupportedSyntax("*".into()), self.peek().span));
            }
            let keyword = matches!((&self.peek().tok, self.peek_at(1)), (Tok::Name(_), Tok::Symbol("=")));
            let arg = if keyword {
                let (name, span) = self.expect_name(Expected::Name)?;
                self.advance();
                Arg { name: Some((name, span)), value: self.expr()? }
            } else {
                Arg { name: None, value: self.expr()? }
            };
            if arg.name.is_none() && args.last().is_some_and(|a| a.name.is_some()) {
                return Err(CodeError::new(ErrorKind::PositionalAfterKeyword, arg.span()));
            }
            args.push(arg);
            if !self.is_symbol(")") {
                self.expect_symbol(",")?;
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, CodeError> {
        let token = self.peek().clone();
        let kind = match &token.tok {
            Tok::Int(i) => ExprKind::Int(*i),
            Tok::Float(x) => ExprKind::Float(*x),
            Tok::Name(n) if n == "True" || n == "False" => ExprKind::Bool(n == "True"),
            Tok::Name(n) if n == "None" => ExprKind::None,
            Tok::Name(n) if !KEYWORDS.contains(&n.as_str()) => ExprKind::Name(n.clone()),
            Tok::Symbol("(") => return self.parenthesized(),
            Tok::Symbol("[") => return Err(CodeError::new(ErrorKind::UnsupportedSyntax("[".into()), token.span)),
            _ => return Err(self.unexpected(Expected::Expression)),
        };
        self.advance();
        Ok(Expr { kind, span: token.span })
    }

    /// `(x)`, `()`, `(x,)`, `(1, 1)`.
    fn parenthesized(&mut self) -> Result<Expr, CodeError> {
        let open = self.advance().span;
        if let Some(close) = self.eat_symbol(")") {
            return Ok(Expr { kind: ExprKind::Tuple(Vec::new()), span: open.to(close) });
        }
        let first = self.expr()?;
        if let Some(close) = self.eat_symbol(")") {
            return Ok(Expr { span: open.to(close), ..first });
        }
        let mut items = vec![first];
        loop {
            self.expect_symbol(",")?;
            if let Some(close) = self.eat_symbol(")") {
                return Ok(Expr { kind: ExprKind::Tuple(items), span: open.to(close) });
            }
            items.push(self.expr()?);
            if let Some(close) = self.eat_symbol(")") {
                return Ok(Expr { kind: ExprKind::Tuple(items), span: open.to(close) });
            }
        }
    }
}

fn n_of(tok: &Tok) -> String {
    match tok {
        Tok::Name(n) => n.clone(),
        _ => String::new(),
    }
}
