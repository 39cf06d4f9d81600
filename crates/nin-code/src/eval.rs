//! Runs a parsed program the way Python would, as far as building a network goes: functions,
//! the model class and its `__init__`, `nn.X(...)` layers, and the `layer_summary` call.

use std::collections::HashMap;
use std::rc::Rc;

use crate::ast::{Arg, ClassDef, Expr, ExprKind, FunctionDef, Stmt, StmtKind};
use crate::error::{CodeError, ErrorKind, Limit, Number, Range, Span, ValueType};
use crate::layers::{self, Net, Node, NodeKind, SUPPORTED_LAYERS};
use crate::{DEFAULT_INPUT, MAX_CALL_DEPTH, MAX_DIMENSION, MAX_EVAL_DEPTH, MAX_STEPS};

/// A Python value, as far as the subset has them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    Tuple(Vec<Value>),
    Layer(Node),
    Function(Rc<Function>),
    Class(Rc<Class>),
    /// An instance of a class: an index into the evaluator's instances.
    Instance(usize),
    /// `nn`, `torch`, `d2l`.
    Module(&'static str),
    /// `nn.Conv2d` before it is called (one of [`SUPPORTED_LAYERS`]).
    LayerConstructor(&'static str),
    /// `d2l.init_cnn`, `d2l.Classifier`: accepted where passed along, never looked into.
    Opaque,
    /// `super`, and what calling it gives.
    Super,
    SuperObject,
    /// Methods that do nothing here: `super().__init__`, `save_hyperparameters`, `apply`.
    NoOp,
    /// `model.layer_summary` of the instance with this index.
    LayerSummary(usize),
}

impl Value {
    pub(crate) fn type_of(&self) -> ValueType {
        match self {
            Value::Int(_) => ValueType::Int,
            Value::Float(_) => ValueType::Float,
            Value::Bool(_) => ValueType::Bool,
            Value::None => ValueType::None,
            Value::Tuple(_) => ValueType::Tuple,
            Value::Layer(_) => ValueType::Layer,
            Value::Function(_) | Value::LayerConstructor(_) | Value::NoOp | Value::LayerSummary(_) | Value::Super => ValueType::Function,
            Value::Class(_) => ValueType::Class,
            Value::Instance(_) => ValueType::Model,
            Value::Module(_) => ValueType::Module,
            Value::Opaque | Value::SuperObject => ValueType::Other,
        }
    }
}

/// A `def` with its defaults, evaluated where it was defined (as Python does).
#[derive(Debug, PartialEq)]
pub(crate) struct Function {
    def: Rc<FunctionDef>,
    defaults: Vec<Option<Value>>,
}

#[derive(Debug, PartialEq)]
pub(crate) struct Class {
    def: Rc<ClassDef>,
    methods: HashMap<String, Rc<Function>>,
}

/// An evaluated call argument.
pub(crate) struct ArgValue {
    pub name: Option<(String, Span)>,
    pub value: Value,
    pub span: Span,
}

struct Instance {
    class: Rc<Class>,
    attrs: HashMap<String, Value>,
}

/// Evaluates a program into the network its model class builds.
pub fn evaluate(program: &[Stmt]) -> Result<Net, CodeError> {
    let mut evaluator = Evaluator::default();
    evaluator.block(program)?;
    let (instance, input, summary_call) = match evaluator.summary.take() {
        Some((instance, input, span)) => (instance, input, Some(span)),
        None => {
            // No summary call: build the last class defined, with its defaults, for the
            // default input (so deleting the last line still shows a table).
            let Some(class) = evaluator.last_class.clone() else {
                return Err(CodeError::new(ErrorKind::NoClass, Span { line: 1, col: 1, end_line: 1, end_col: 1 }));
            };
            let span = class.def.span;
            (evaluator.instantiate(class, Vec::new(), span)?, DEFAULT_INPUT, None)
        }
    };
    let model = &evaluator.instances[instance];
    let class = &model.class.def;
    let Some(Value::Layer(net)) = model.attrs.get("net") else {
        return Err(CodeError::new(ErrorKind::NoNetAssignment(class.name.clone()), class.span));
    };
    let layers = match &net.kind {
        NodeKind::Sequential(children) => children.clone(),
        NodeKind::Layer(_) => vec![net.clone()],
    };
    Ok(Net { input, layers, model: class.name.clone(), summary_call })
}

enum Flow {
    Next,
    Return(Value),
}

#[derive(Default)]
struct Evaluator {
    globals: HashMap<String, Value>,
    /// One scope per active function call; the last is the innermost.
    frames: Vec<HashMap<String, Value>>,
    instances: Vec<Instance>,
    summary: Option<(usize, [usize; 4], Span)>,
    last_class: Option<Rc<Class>>,
    depth: usize,
    steps: usize,
}

impl Evaluator {
    /// Counts one step of work, so no program (however its functions call each other) runs long.
    fn tick(&mut self, span: Span) -> Result<(), CodeError> {
        self.steps += 1;
        if self.steps > MAX_STEPS { Err(CodeError::new(ErrorKind::TooBig(Limit::Work), span)) } else { Ok(()) }
    }

    fn block(&mut self, body: &[Stmt]) -> Result<Flow, CodeError> {
        for stmt in body {
            self.tick(stmt.span)?;
            match &stmt.kind {
                StmtKind::Def(def) => {
                    let function = self.function(def)?;
                    self.assign_name(&def.name, Value::Function(function));
                }
                StmtKind::Class(def) => {
                    let mut methods = HashMap::new();
                    for item in &def.body {
                        if let StmtKind::Def(method) = &item.kind {
                            methods.insert(method.name.clone(), self.function(method)?);
                        }
                    }
                    let class = Rc::new(Class { def: def.clone(), methods });
                    self.last_class = Some(class.clone());
                    self.assign_name(&def.name, Value::Class(class));
                }
                StmtKind::Return(value) => return Ok(Flow::Return(value.as_ref().map_or(Ok(Value::None), |v| self.expr(v))?)),
                StmtKind::Assign { target, value } => {
                    let value = self.expr(value)?;
                    self.assign(target, value)?;
                }
                StmtKind::Expr(expr) => {
                    self.expr(expr)?;
                }
                StmtKind::Pass | StmtKind::Import => {}
            }
        }
        Ok(Flow::Next)
    }

    fn function(&mut self, def: &Rc<FunctionDef>) -> Result<Rc<Function>, CodeError> {
        let defaults = def.params.iter().map(|p| p.default.as_ref().map(|d| self.expr(d)).transpose()).collect::<Result<_, _>>()?;
        Ok(Rc::new(Function { def: def.clone(), defaults }))
    }

    fn assign_name(&mut self, name: &str, value: Value) {
        let scope = self.frames.last_mut().unwrap_or(&mut self.globals);
        scope.insert(name.to_string(), value);
    }

    fn assign(&mut self, target: &Expr, value: Value) -> Result<(), CodeError> {
        match &target.kind {
            ExprKind::Name(name) => self.assign_name(name, value),
            ExprKind::Attribute { object, name, .. } => match self.expr(object)? {
                Value::Instance(index) => {
                    self.instances[index].attrs.insert(name.clone(), value);
                }
                _ => return Err(CodeError::new(ErrorKind::InvalidAssignmentTarget, target.span)),
            },
            _ => return Err(CodeError::new(ErrorKind::InvalidAssignmentTarget, target.span)),
        }
        Ok(())
    }

    fn lookup(&self, name: &str, span: Span) -> Result<Value, CodeError> {
        if let Some(value) = self.frames.last().and_then(|f| f.get(name)).or_else(|| self.globals.get(name)) {
            return Ok(value.clone());
        }
        match name {
            "nn" | "torch" | "d2l" => Ok(Value::Module(match name {
                "nn" => "nn",
                "torch" => "torch",
                _ => "d2l",
            })),
            "super" => Ok(Value::Super),
            _ => Err(CodeError::new(ErrorKind::UnknownName(name.to_string()), span)),
        }
    }

    fn expr(&mut self, expr: &Expr) -> Result<Value, CodeError> {
        self.tick(expr.span)?;
        self.depth += 1;
        if self.depth > MAX_EVAL_DEPTH {
            return Err(CodeError::new(ErrorKind::TooBig(Limit::Nesting), expr.span));
        }
        let value = self.expr_inner(expr);
        self.depth -= 1;
        value
    }

    fn expr_inner(&mut self, expr: &Expr) -> Result<Value, CodeError> {
        Ok(match &expr.kind {
            ExprKind::Name(name) => self.lookup(name, expr.span)?,
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::Float(x) => Value::Float(*x),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::None => Value::None,
            ExprKind::Tuple(items) => Value::Tuple(items.iter().map(|e| self.expr(e)).collect::<Result<_, _>>()?),
            ExprKind::Attribute { object, name, name_span } => {
                let value = self.expr(object)?;
                self.attribute(value, object, name, *name_span)?
            }
            ExprKind::Call { callee, args } => {
                let function = self.expr(callee)?;
                let args = self.arguments(args)?;
                self.call(function, callee, args, expr.span)?
            }
            ExprKind::Neg(inner) => match self.expr(inner)? {
                Value::Int(i) => Value::Int(i.checked_neg().ok_or_else(|| CodeError::new(ErrorKind::TooBig(Limit::Number), expr.span))?),
                Value::Bool(b) => Value::Int(-i64::from(b)),
                Value::Float(x) => Value::Float(-x),
                _ => return Err(CodeError::new(ErrorKind::BadOperation, expr.span)),
            },
            ExprKind::Binary { op, left, right } => {
                let (left, right) = (self.expr(left)?, self.expr(right)?);
                crate::arith::binary(*op, left, right).map_err(|kind| CodeError::new(kind, expr.span))?
            }
        })
    }

    fn arguments(&mut self, args: &[Arg]) -> Result<Vec<ArgValue>, CodeError> {
        args.iter().map(|arg| Ok(ArgValue { name: arg.name.clone(), value: self.expr(&arg.value)?, span: arg.span() })).collect()
    }

    fn attribute(&mut self, value: Value, object: &Expr, name: &str, span: Span) -> Result<Value, CodeError> {
        let unknown = || {
            let full = object.dotted().map_or_else(|| name.to_string(), |o| format!("{o}.{name}"));
            Err(CodeError::new(ErrorKind::UnknownName(full), object.span.to(span)))
        };
        match value {
            Value::Module("nn") => match SUPPORTED_LAYERS.iter().find(|l| **l == name) {
                Some(layer) => Ok(Value::LayerConstructor(layer)),
                None => Err(CodeError::new(ErrorKind::UnknownLayer(name.to_string()), span)),
            },
            Value::Module("torch") if name == "nn" => Ok(Value::Module("nn")),
            Value::Module("d2l") => Ok(Value::Opaque),
            Value::SuperObject if name == "__init__" => Ok(Value::NoOp),
            Value::Layer(_) if name == "apply" => Ok(Value::NoOp),
            Value::Instance(index) => match self.instances[index].attrs.get(name) {
                Some(value) => Ok(value.clone()),
                None if name == "layer_summary" => Ok(Value::LayerSummary(index)),
                None if name == "save_hyperparameters" || name == "apply" => Ok(Value::NoOp),
                None => unknown(),
            },
            _ => unknown(),
        }
    }

    fn call(&mut self, function: Value, callee: &Expr, args: Vec<ArgValue>, span: Span) -> Result<Value, CodeError> {
        match function {
            Value::LayerConstructor(layer) => Ok(Value::Layer(self.layer(layer, args, span)?)),
            Value::Function(function) => self.call_function(&function, args, span),
            Value::Class(class) => Ok(Value::Instance(self.instantiate(class, args, span)?)),
            Value::Super => Ok(Value::SuperObject),
            Value::NoOp => Ok(Value::None),
            Value::LayerSummary(instance) => {
                let shape = layers::bind("layer_summary", &["X_shape"], &[None], 1, args, span)?;
                self.summary = Some((instance, input_shape(&shape[0])?, span));
                Ok(Value::None)
            }
            other => Err(CodeError::new(ErrorKind::NotCallable(other.type_of()), callee.span)),
        }
    }

    fn layer(&mut self, layer: &str, args: Vec<ArgValue>, span: Span) -> Result<Node, CodeError> {
        // Building a Sequential copies its children: count that as work too.
        let copied: usize = args.iter().map(|a| if let Value::Layer(node) = &a.value { node.leaf_count() } else { 0 }).sum();
        self.steps = self.steps.saturating_add(copied);
        self.tick(span)?;
        layers::build(layer, args, span)
    }

    fn call_function(&mut self, function: &Function, args: Vec<ArgValue>, span: Span) -> Result<Value, CodeError> {
        let def = &function.def;
        if self.frames.len() >= MAX_CALL_DEPTH {
            return Err(CodeError::new(ErrorKind::Recursion, span).with_layer(def.name.clone()));
        }
        let names: Vec<&str> = def.params.iter().map(|p| p.name.as_str()).collect();
        let values = layers::bind(&def.name, &names, &function.defaults, names.len(), args, span)?;
        self.frames.push(names.iter().map(|n| n.to_string()).zip(values.into_iter().map(|(v, _)| v)).collect());
        let flow = self.block(&def.body);
        self.frames.pop();
        Ok(match flow? {
            Flow::Return(value) => value,
            Flow::Next => Value::None,
        })
    }

    /// Creates an instance and runs its `__init__`; returns the instance's index.
    fn instantiate(&mut self, class: Rc<Class>, mut args: Vec<ArgValue>, span: Span) -> Result<usize, CodeError> {
        let index = self.instances.len();
        self.instances.push(Instance { class: class.clone(), attrs: HashMap::new() });
        match class.methods.get("__init__") {
            Some(init) => {
                args.insert(0, ArgValue { name: None, value: Value::Instance(index), span });
                self.call_function(init, args, span)?;
            }
            None if !args.is_empty() => {
                return Err(CodeError::new(ErrorKind::TooManyArguments { max: 0, given: args.len() }, args[0].span).with_layer(class.def.name.clone()));
            }
            None => {}
        }
        Ok(index)
    }
}

/// The `(N, C, H, W)` tuple given to `layer_summary`.
fn input_shape((value, span): &(Value, Span)) -> Result<[usize; 4], CodeError> {
    let wrong = || CodeError::new(ErrorKind::WrongArgumentType { argument: "X_shape".into(), expected: ValueType::Shape4, found: value.type_of() }, *span);
    let Value::Tuple(items) = value else { return Err(wrong()) };
    if items.len() != 4 {
        return Err(wrong());
    }
    let mut shape = [0; 4];
    for (dim, item) in shape.iter_mut().zip(items) {
        let Value::Int(i) = *item else { return Err(wrong()) };
        if i < 1 {
            return Err(CodeError::new(ErrorKind::OutOfRange { argument: "X_shape".into(), value: Number::Int(i), range: Range::Positive }, *span));
        }
        *dim = usize::try_from(i).ok().filter(|&d| d <= MAX_DIMENSION).ok_or_else(|| CodeError::new(ErrorKind::TooBig(Limit::Dimension), *span))?;
    }
    Ok(shape)
}
