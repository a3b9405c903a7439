//! Marker values for the log-safety tests (issue 22): every leaf of a JSON document is
//! replaced in turn by values no error text may repeat. Shared with the planner's test
//! (`core/planner/tests/it/log_safe.rs` includes this file by path).

use serde_json::Value;

/// Every path from the root to a leaf (object keys and array indexes).
pub fn leaves(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| {
            at.push(k.as_str().into());
            leaves(v, at, out);
            at.pop();
        }),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| {
            at.push(i.into());
            leaves(v, at, out);
            at.pop();
        }),
        _ => out.push(at.clone()),
    }
}

/// Sets the leaf at `path` (as [`leaves`] gives it) to `to`.
pub fn set(doc: &mut Value, path: &[Value], to: Value) {
    let mut at = doc;
    for seg in path {
        at = match seg {
            Value::String(k) => &mut at[k.as_str()],
            _ => &mut at[seg.as_u64().unwrap_or_default() as usize],
        };
    }
    *at = to;
}

/// A name, a Steuer-ID-like number as text and as numbers, a large amount within the case
/// format's limit (it reaches the rules) and one beyond it (refused when read), a far date.
pub fn replacements() -> [Value; 7] {
    [
        Value::from("Marta"),
        Value::from("10762903845"),
        Value::from(10_762_903_845u64),
        Value::from("987654321.00"),
        Value::from("9876543210.00"),
        Value::from("9876-05-05"),
        Value::from(-10_762_903_845i64),
    ]
}
