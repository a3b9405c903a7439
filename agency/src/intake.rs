//! The agency's open-and-verify step (`docs/PROTOCOL.md` § 3 "Opening", § 4), as a library
//! an agency can embed in its own system: [`open_and_verify`] takes what the relay delivered
//! and either returns the checked application or the one [`Rejection`] to post as a
//! `rejected` event.
//!
//! In order: the envelope ([`Opener::open`]: manifest, device signature, ciphertext hashes,
//! recipient, age header, ids and plaintext hashes repeated inside); the service (the
//! destination takes the payload's schema); the JSON Schema of `data`; and the figures — the
//! rules are run again on the case the parent's figures were computed from and the result
//! must equal what the parent was shown.

use serde_json::{Value, json};
use uuid::Uuid;

use elternkit_directory::Destination;
use elternkit_submit::payload::{self, ApplicationPayload};
use elternkit_submit::{Opened, Opener};

/// The ciphertexts and manifest of one submission as the relay delivered them.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    /// The exact manifest bytes.
    pub manifest: Vec<u8>,
    pub signature: Vec<u8>,
    pub payload: Vec<u8>,
    /// `(attachmentId, ciphertext)`.
    pub attachments: Vec<(Uuid, Vec<u8>)>,
}

/// A submission that passed every check.
#[derive(Debug)]
pub struct Checked {
    pub opened: Opened,
    /// `data`, typed.
    pub application: ApplicationPayload,
    /// The schema URN of `data`.
    pub schema: String,
}

/// Why a submission is refused: the FSP/1 problem name (`urn:fsp:problem:<name>`) and a
/// text for the agency's log. It never carries a plaintext value of the application.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}: {detail}")]
pub struct Rejection {
    pub problem: &'static str,
    pub detail: String,
}

impl Rejection {
    fn new(problem: &'static str, detail: impl Into<String>) -> Self {
        Self {
            problem,
            detail: detail.into(),
        }
    }

    /// The entry of a `rejected` event's `problems[]` (RFC 9457 fields).
    pub fn problem_json(&self) -> Value {
        json!({
            "type": format!("urn:fsp:problem:{}", self.problem),
            "detail": self.detail,
        })
    }
}

/// Opens and checks one delivery for `destination` with `opener` (the agency's identities).
pub fn open_and_verify(
    opener: &Opener,
    destination: &Destination,
    delivery: &Delivery,
) -> Result<Checked, Rejection> {
    let attachments: Vec<(Uuid, &[u8])> = delivery
        .attachments
        .iter()
        .map(|(id, bytes)| (*id, bytes.as_slice()))
        .collect();
    let opened = opener
        .open(
            &delivery.manifest,
            &delivery.signature,
            &delivery.payload,
            &attachments,
        )
        .map_err(|e| Rejection::new(e.problem(), e.to_string()))?;

    let schema = opened.payload.service.schema.clone();
    let served = destination
        .services
        .iter()
        .any(|s| s.schemas.contains(&schema));
    if !served {
        return Err(Rejection::new(
            "service-not-supported",
            format!("{} does not take {schema}", destination.destination_id),
        ));
    }
    check_schema(&schema, &opened.payload.data)?;
    let application: ApplicationPayload = serde_json::from_value(opened.payload.data.clone())
        .map_err(|e| Rejection::new("schema-invalid", format!("data: {e}")))?;
    if application.schema != schema {
        return Err(Rejection::new(
            "schema-invalid",
            "data.schema differs from service.schema",
        ));
    }
    recompute(&application)?;
    Ok(Checked {
        opened,
        application,
        schema,
    })
}

/// `data` against the JSON Schema of its URN.
fn check_schema(schema: &str, data: &Value) -> Result<(), Rejection> {
    let Some((_, text)) = payload::SCHEMAS.iter().find(|(urn, _)| *urn == schema) else {
        return Err(Rejection::new(
            "service-not-supported",
            format!("no JSON Schema for {schema}"),
        ));
    };
    let invalid = |d: String| Rejection::new("schema-invalid", d);
    // The schemas are compiled into the crate and checked by its tests; a failure here is
    // still an answer, not a panic.
    let schema_json: Value = serde_json::from_str(text)
        .map_err(|e| invalid(format!("the schema of {schema} is not JSON: {e}")))?;
    let validator = jsonschema::validator_for(&schema_json)
        .map_err(|e| invalid(format!("the schema of {schema} does not compile: {e}")))?;
    let errors: Vec<String> = validator
        .iter_errors(data)
        .take(5)
        // The instance path names where; the value itself stays out of the log.
        .map(|e| format!("{} ({})", e.instance_path(), e.kind().keyword()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(invalid(format!(
            "data does not fit {schema}: {}",
            errors.join("; ")
        )))
    }
}

/// Runs the rules again on the case the parent's figures came from and compares the
/// benefit's section with what the parent was shown (`recomputation-differs`).
fn recompute(application: &ApplicationPayload) -> Result<(), Rejection> {
    let Some(shown) = &application.shown else {
        // The Geburtsanzeige shows no figures; its schema has no `shown`.
        return Ok(());
    };
    let result = elternkit_rules::calculate(&shown.input);
    if !result.errors.is_empty() {
        return Err(Rejection::new(
            "recomputation-differs",
            format!(
                "the rules refuse the case the figures came from ({} input errors)",
                result.errors.len()
            ),
        ));
    }
    let (name, shown_section, again) = match application.schema.as_str() {
        payload::ELTERNGELD => {
            let mut eg = result.elterngeld.clone();
            if let Some(eg) = &mut eg {
                eg.parents
                    .retain(|p| application.applicants.contains(&p.id));
            }
            ("elterngeld", to_value(&shown.elterngeld), to_value(&eg))
        }
        payload::KINDERGELD => (
            "kindergeld",
            to_value(&shown.kindergeld),
            to_value(&result.kindergeld),
        ),
        other => {
            return Err(Rejection::new(
                "schema-invalid",
                format!("{other} carries figures it should not"),
            ));
        }
    };
    match first_difference(&shown_section, &again, name.to_owned()) {
        None => Ok(()),
        Some(path) => Err(Rejection::new(
            "recomputation-differs",
            format!("the figures shown differ from the rules' at {path}"),
        )),
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The path of the first place where `a` and `b` differ.
fn first_difference(a: &Value, b: &Value, path: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let (l, r) = (x.get(k), y.get(k));
                match (l, r) {
                    (Some(l), Some(r)) => first_difference(l, r, format!("{path}.{k}")),
                    _ => Some(format!("{path}.{k}")),
                }
            })
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path} (length)"));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (l, r))| first_difference(l, r, format!("{path}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_difference_is_named_by_its_path() {
        let a = json!({"parents": [{"total": "1.00", "id": "p1"}], "x": 1});
        let mut b = a.clone();
        assert_eq!(first_difference(&a, &b, "eg".into()), None);
        b["parents"][0]["total"] = json!("2.00");
        assert_eq!(
            first_difference(&a, &b, "eg".into()).as_deref(),
            Some("eg.parents[0].total")
        );
        b = a.clone();
        b["parents"].as_array_mut().expect("array").push(json!({}));
        assert_eq!(
            first_difference(&a, &b, "eg".into()).as_deref(),
            Some("eg.parents (length)")
        );
        b = a.clone();
        b["y"] = json!(null);
        assert_eq!(
            first_difference(&a, &b, "eg".into()).as_deref(),
            Some("eg.y")
        );
    }
}
