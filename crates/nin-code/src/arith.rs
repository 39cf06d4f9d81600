//! Python arithmetic on the subset's numbers (`out_channels // 2`, `2 * c`), checked so that
//! no input can overflow.

use crate::ast::BinaryOp;
use crate::error::{ErrorKind, Limit};
use crate::eval::Value;

/// `left op right` with Python's rules: ints stay ints except for `/`; `//` floors.
pub(crate) fn binary(op: BinaryOp, left: Value, right: Value) -> Result<Value, ErrorKind> {
    let as_int = |v: &Value| match *v {
        Value::Int(i) => Some(i),
        Value::Bool(b) => Some(i64::from(b)),
        _ => None,
    };
    let as_float = |v: &Value| match *v {
        Value::Float(x) => Some(x),
        _ => as_int(v).map(|i| i as f64),
    };
    if let (Some(a), Some(b)) = (as_int(&left), as_int(&right)) {
        let result = match op {
            BinaryOp::Add => a.checked_add(b),
            BinaryOp::Sub => a.checked_sub(b),
            BinaryOp::Mul => a.checked_mul(b),
            BinaryOp::FloorDiv if b == 0 => return Err(ErrorKind::BadOperation),
            BinaryOp::FloorDiv => a.checked_div(b).map(|q| if a % b != 0 && ((a < 0) != (b < 0)) { q - 1 } else { q }),
            BinaryOp::Div if b == 0 => return Err(ErrorKind::BadOperation),
            BinaryOp::Div => return Ok(Value::Float(a as f64 / b as f64)),
        };
        return result.map(Value::Int).ok_or(ErrorKind::TooBig(Limit::Number));
    }
    let (Some(a), Some(b)) = (as_float(&left), as_float(&right)) else { return Err(ErrorKind::BadOperation) };
    if b == 0.0 && matches!(op, BinaryOp::Div | BinaryOp::FloorDiv) {
        return Err(ErrorKind::BadOperation);
    }
    Ok(Value::Float(match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div => a / b,
        BinaryOp::FloorDiv => (a / b).floor(),
    }))
}
