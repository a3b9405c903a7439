//! The application data (`data` of the encrypted payload) of each FSP/1 schema, built from
//! the bundle's [`Application`] and the rules' [`CaseResult`]. One JSON Schema per schema
//! URN in `core/submit/schemas/` (checked against generated payloads by the tests).
//!
//! The agency must be able to re-compute and compare, so `shown` carries what the parent
//! was shown: the bundle's benefit summary and the rules' `elternkit.result/1` section of
//! the benefit (figures, reasons and the explanation trace), as the rules produced it.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use elternkit_bundle::routing::Service;
use elternkit_bundle::{
    Application, Benefit, ConsentStatus, DocumentStatus, FieldStatus, Severity, Status,
};
use elternkit_model::application::{ConsentKind, DocumentKind, Source};
use elternkit_model::{Case, CaseResult, ElterngeldResult, KindergeldResult};

pub const ELTERNGELD: &str = "urn:elternkit:elterngeld:1";
pub const KINDERGELD: &str = "urn:elternkit:kindergeld:1";
pub const GEBURTSANZEIGE: &str = "urn:elternkit:geburtsanzeige:1";

/// The JSON Schemas, by schema URN.
pub const SCHEMAS: &[(&str, &str)] = &[
    (
        ELTERNGELD,
        include_str!("../schemas/elterngeld-1.schema.json"),
    ),
    (
        KINDERGELD,
        include_str!("../schemas/kindergeld-1.schema.json"),
    ),
    (
        GEBURTSANZEIGE,
        include_str!("../schemas/geburtsanzeige-1.schema.json"),
    ),
];

/// The schema URN of a service's application.
pub fn schema_of(service: Service) -> &'static str {
    match service {
        Service::Standesamt => GEBURTSANZEIGE,
        Service::Familienkasse => KINDERGELD,
        Service::Elterngeldstelle => ELTERNGELD,
    }
}

/// `data` of an FSP/1 payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplicationPayload {
    /// The schema URN (also in the payload's `service.schema`).
    pub schema: String,
    /// The bundle's application id (`elterngeldstelle:<parent>` …).
    pub application: String,
    /// `parents[].id` of those who apply.
    pub applicants: Vec<String>,
    pub fields: Vec<PayloadField>,
    pub consents: Vec<PayloadConsent>,
    pub documents: Vec<PayloadDocumentRef>,
    /// What the parent was shown; absent for the Geburtsanzeige, which has no benefit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown: Option<Shown>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PayloadField {
    /// Path in the case, e.g. `application.parents[0].steuer_id`.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub status: FieldStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PayloadConsent {
    pub kind: ConsentKind,
    pub given_by: String,
    pub status: ConsentStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PayloadDocumentRef {
    pub kind: DocumentKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub status: DocumentStatus,
    /// The case's document id; the envelope's attachment with this `documentId` is the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The consent under which the agency fetches instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
}

/// The figures and the explanation the parent was shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Shown {
    /// `elternkit.result/1`: the contract of the sections below.
    pub result_schema: String,
    pub benefit: Benefit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elterngeld: Option<ElterngeldResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kindergeld: Option<KindergeldResult>,
    /// The `elternkit.case/1` document the figures were computed from, so the agency can
    /// run the same rules on it and compare (**Decision**, `docs/PROTOCOL.md` § 4: the
    /// whole case; cutting it down per schema is open, § 11).
    pub input: Case,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PayloadError {
    #[error("application {application} is not ready to send: {reasons}")]
    NotReady {
        application: String,
        reasons: String,
    },
    #[error("the rules' result has no {benefit} section for application {application}")]
    NoResult {
        application: String,
        benefit: &'static str,
    },
    #[error("the rules' result has input errors; fix the case first")]
    ResultHasErrors,
}

/// The payload data of a ready application. `case` is the case the bundle was derived from
/// and `result` the rules' result of it.
pub fn build(
    app: &Application,
    case: &Case,
    result: &CaseResult,
) -> Result<ApplicationPayload, PayloadError> {
    let not_ready = |reasons: String| PayloadError::NotReady {
        application: app.id.clone(),
        reasons,
    };
    if app.status != Status::Ready || !app.ready {
        let blocking: Vec<&str> = app
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.code.as_str())
            .collect();
        return Err(not_ready(format!(
            "{:?} ({})",
            app.status,
            blocking.join(", ")
        )));
    }
    if !result.errors.is_empty() {
        return Err(PayloadError::ResultHasErrors);
    }
    let mut fields = Vec::with_capacity(app.fields.len());
    for f in &app.fields {
        match f.status {
            FieldStatus::Empty => continue,
            FieldStatus::Missing | FieldStatus::Invalid => {
                return Err(not_ready(format!("field {} is {:?}", f.path, f.status)));
            }
            FieldStatus::Provided | FieldStatus::ToBeFetched | FieldStatus::Awaited => {}
        }
        fields.push(PayloadField {
            path: f.path.clone(),
            value: f.value.clone(),
            status: f.status,
            source: f.source.clone(),
        });
    }
    let consents = app
        .consents
        .iter()
        .map(|c| PayloadConsent {
            kind: c.kind,
            given_by: c.given_by.clone(),
            status: c.status,
            consent_id: c.consent.clone(),
        })
        .collect();
    let documents = app
        .documents
        .iter()
        .map(|d| PayloadDocumentRef {
            kind: d.kind,
            parent: d.parent.clone(),
            status: d.status,
            document_id: d.document.clone(),
            consent_id: d.consent.clone(),
        })
        .collect();
    let shown = shown(app, case, result)?;
    Ok(ApplicationPayload {
        schema: schema_of(app.service).to_owned(),
        application: app.id.clone(),
        applicants: app.applicants.clone(),
        fields,
        consents,
        documents,
        shown,
    })
}

fn shown(
    app: &Application,
    case: &Case,
    result: &CaseResult,
) -> Result<Option<Shown>, PayloadError> {
    let no_result = |benefit| PayloadError::NoResult {
        application: app.id.clone(),
        benefit,
    };
    let benefit = match (&app.benefit, app.service) {
        (_, Service::Standesamt) => return Ok(None),
        (Some(b), _) => b.clone(),
        (None, Service::Elterngeldstelle) => return Err(no_result("elterngeld")),
        (None, Service::Familienkasse) => return Err(no_result("kindergeld")),
    };
    let mut shown = Shown {
        result_schema: result.schema.clone(),
        benefit,
        elterngeld: None,
        kindergeld: None,
        input: case.clone(),
    };
    match app.service {
        Service::Elterngeldstelle => {
            let mut eg = result
                .elterngeld
                .clone()
                .ok_or_else(|| no_result("elterngeld"))?;
            // A parent's own application carries that parent's figures; a joint one both.
            eg.parents.retain(|p| app.applicants.contains(&p.id));
            shown.elterngeld = Some(eg);
        }
        Service::Familienkasse => {
            shown.kindergeld = Some(
                result
                    .kindergeld
                    .clone()
                    .ok_or_else(|| no_result("kindergeld"))?,
            );
        }
        Service::Standesamt => {}
    }
    Ok(Some(shown))
}
