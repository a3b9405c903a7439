//! Plain records the apps receive, mirrored from the core's results (which render texts
//! lazily and use decimal and calendar types UniFFI does not carry). Amounts are decimal
//! strings in euros with two places (`"1375.23"`, exactly as `elternkit.result/1` writes
//! them), dates ISO `YYYY-MM-DD`, months `YYYY-MM`; texts are in the `App`'s locale.

use elternkit_bundle as bundle;
use elternkit_model::{self as model, Cents, Lang};
use elternkit_store as store;

/// The language of every text the `App` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Language {
    De,
    En,
}

impl From<Language> for Lang {
    fn from(l: Language) -> Lang {
        match l {
            Language::De => Lang::De,
            Language::En => Lang::En,
        }
    }
}

pub(crate) fn money(d: rust_decimal::Decimal) -> String {
    Cents(d).to_string()
}

pub(crate) fn pick(lang: Lang, de: &str, en: &str) -> String {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
    .to_owned()
}

/// The wire name of a core enum (`snake_case` in the contracts).
fn wire<T: serde::Serialize>(value: &T) -> String {
    // Every enum passed here is a unit enum with `rename_all`, which serialises to a string.
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// One problem of a case: the field path, a stable code and what to do.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CaseProblem {
    /// `parents[0].tax.class`; empty for the whole text.
    pub path: String,
    pub code: String,
    /// What is wrong and what to do, in the locale. Never quotes a value of the case.
    pub text: String,
}

impl CaseProblem {
    pub(crate) fn from_core(p: &model::InputError, lang: Lang) -> Self {
        Self {
            path: p.path.clone(),
            code: p.code.clone(),
            text: p.message_in(lang).to_owned(),
        }
    }
}

/// A reason of a decision with its legal basis.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Reason {
    pub code: String,
    pub citation: String,
    pub text: String,
}

impl Reason {
    fn from_core(r: &model::Reason, lang: Lang) -> Self {
        Self {
            code: r.code.to_string(),
            citation: r.citation.to_string(),
            text: r.message.get(lang).into_owned(),
        }
    }
}

/// Figures of the whole case; `problems` lists what could not be computed (the other
/// benefit is still there).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CalculationResult {
    pub id: Option<String>,
    pub elterngeld: Option<ElterngeldResult>,
    pub kindergeld: Option<KindergeldResult>,
    pub problems: Vec<CaseProblem>,
}

impl CalculationResult {
    pub(crate) fn from_core(r: &model::CaseResult, lang: Lang) -> Self {
        Self {
            id: r.id.clone(),
            elterngeld: r
                .elterngeld
                .as_ref()
                .map(|e| ElterngeldResult::from_core(e, lang)),
            kindergeld: r
                .kindergeld
                .as_ref()
                .map(|k| KindergeldResult::from_core(k, lang)),
            problems: r
                .errors
                .iter()
                .map(|p| CaseProblem::from_core(p, lang))
                .collect(),
        }
    }
}

/// Elterngeld (BEEG) of every parent, and the problems of the joint month plan (§ 4 BEEG).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ElterngeldResult {
    pub parents: Vec<ElterngeldParent>,
    pub plan_problems: Vec<PlanProblem>,
}

impl ElterngeldResult {
    fn from_core(e: &model::ElterngeldResult, lang: Lang) -> Self {
        Self {
            parents: e
                .parents
                .iter()
                .map(|p| ElterngeldParent::from_core(p, lang))
                .collect(),
            plan_problems: e
                .plan_problems
                .iter()
                .map(|p| PlanProblem::from_core(p, lang))
                .collect(),
        }
    }
}

/// Monthly income as the Elterngeldstelle computes it (euros, decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IncomeFigures {
    pub gross: String,
    pub taxes: String,
    pub social_contributions: String,
    pub net: String,
}

impl From<&model::IncomeFigures> for IncomeFigures {
    fn from(i: &model::IncomeFigures) -> Self {
        Self {
            gross: money(i.gross),
            taxes: money(i.taxes),
            social_contributions: money(i.social_contributions),
            net: money(i.net),
        }
    }
}

/// Elterngeld of one parent.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ElterngeldParent {
    pub id: String,
    pub eligible: bool,
    pub reasons: Vec<Reason>,
    /// Income in the Bemessungszeitraum (the assessment period before the birth).
    pub income_before_birth: IncomeFigures,
    /// Ersatzrate (replacement rate), three decimals (`"0.650"`).
    pub replacement_rate: String,
    /// Basiselterngeld per Lebensmonat without income after the birth.
    pub basis_without_income: String,
    /// ElterngeldPlus per Lebensmonat without income after the birth.
    pub plus_without_income: String,
    pub months: Vec<ElterngeldMonth>,
    pub total: String,
}

impl ElterngeldParent {
    fn from_core(p: &model::ElterngeldParent, lang: Lang) -> Self {
        Self {
            id: p.id.clone(),
            eligible: p.eligible,
            reasons: p
                .reasons
                .iter()
                .map(|r| Reason::from_core(r, lang))
                .collect(),
            income_before_birth: (&p.income_before_birth).into(),
            replacement_rate: format!("{:.3}", p.replacement_rate),
            basis_without_income: money(p.basis_without_income),
            plus_without_income: money(p.plus_without_income),
            months: p
                .months
                .iter()
                .map(|m| ElterngeldMonth {
                    lebensmonat: m.lebensmonat,
                    kind: wire(&m.kind),
                    amount: money(m.amount),
                    offset_maternity: money(m.offset_maternity),
                    income_after_birth_net: money(m.income_after_birth_net),
                })
                .collect(),
            total: money(p.total),
        }
    }
}

/// What is paid for one Lebensmonat (month of the child's life, § 4 Abs. 1 BEEG).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ElterngeldMonth {
    pub lebensmonat: u32,
    /// `basis`, `plus`, `bonus` or `none`.
    pub kind: String,
    pub amount: String,
    /// Mutterschaftsleistungen credited against this month (§ 3 Abs. 1 BEEG).
    pub offset_maternity: String,
    pub income_after_birth_net: String,
}

/// A violation of § 4 BEEG in the joint plan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PlanProblem {
    pub code: String,
    pub citation: String,
    pub lebensmonate: Vec<u32>,
    pub text: String,
}

impl PlanProblem {
    pub(crate) fn from_core(p: &model::PlanProblem, lang: Lang) -> Self {
        Self {
            code: p.code.clone(),
            citation: p.citation.clone(),
            lebensmonate: p.lebensmonate.clone(),
            text: pick(lang, &p.message_de, &p.message_en),
        }
    }
}

/// Kindergeld (§§ 62 ff. EStG) of every child.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct KindergeldResult {
    pub children: Vec<KindergeldChild>,
    pub hints: Vec<Reason>,
}

impl KindergeldResult {
    fn from_core(k: &model::KindergeldResult, lang: Lang) -> Self {
        let month = |m: &Option<model::YearMonth>| m.map(|m| m.to_string());
        Self {
            children: k
                .children
                .iter()
                .map(|c| KindergeldChild {
                    birth_date: c.birth_date.to_string(),
                    eligible: c.eligible,
                    monthly_amount: money(c.monthly_amount),
                    paid_from: month(&c.paid_from),
                    paid_until: month(&c.paid_until),
                    payable_from: month(&c.payable_from),
                    months_lost: c.months_lost,
                    reasons: c
                        .reasons
                        .iter()
                        .map(|r| Reason::from_core(r, lang))
                        .collect(),
                })
                .collect(),
            hints: k.hints.iter().map(|r| Reason::from_core(r, lang)).collect(),
        }
    }
}

/// Kindergeld for one child.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct KindergeldChild {
    pub birth_date: String,
    pub eligible: bool,
    pub monthly_amount: String,
    /// First and last month of entitlement, `YYYY-MM`.
    pub paid_from: Option<String>,
    pub paid_until: Option<String>,
    /// First month still paid when applying now (§ 66 Abs. 3 EStG: six months back).
    pub payable_from: Option<String>,
    pub months_lost: u32,
    pub reasons: Vec<Reason>,
}

/// The step-by-step trace of a calculation, per benefit.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Explanation {
    pub elterngeld: Vec<ExplanationStep>,
    pub kindergeld: Vec<ExplanationStep>,
}

impl Explanation {
    pub(crate) fn from_core(r: &model::CaseResult, lang: Lang) -> Self {
        let steps = |s: &[model::Step]| -> Vec<ExplanationStep> {
            s.iter()
                .map(|s| ExplanationStep::from_core(s, lang))
                .collect()
        };
        Self {
            elterngeld: r
                .elterngeld
                .as_ref()
                .map(|e| steps(&e.explanation))
                .unwrap_or_default(),
            kindergeld: r
                .kindergeld
                .as_ref()
                .map(|k| steps(&k.explanation))
                .unwrap_or_default(),
        }
    }
}

/// One step: the rule, its legal basis, the named inputs, the output and the sentence.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExplanationStep {
    pub rule: String,
    pub citation: String,
    pub inputs: Vec<NamedValue>,
    pub output: String,
    pub text: String,
}

/// An input of a step, shown as text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NamedValue {
    pub name: String,
    pub value: String,
}

fn shown(v: &model::Value, lang: Lang) -> String {
    let mut s = String::new();
    // Writing into a String cannot fail.
    let _ = v.write(lang, &mut s);
    s
}

impl ExplanationStep {
    fn from_core(s: &model::Step, lang: Lang) -> Self {
        Self {
            rule: s.rule.to_string(),
            citation: s.citation.to_string(),
            inputs: s
                .inputs()
                .map(|(name, v)| NamedValue {
                    name: name.to_owned(),
                    value: shown(v, lang),
                })
                .collect(),
            output: shown(&s.output, lang),
            text: s.text.get(lang).into_owned(),
        }
    }
}

// ---- bundle ----

/// The three applications of a case (Standesamt, Elterngeldstelle, Familienkasse), in the
/// order they can be sent.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ApplicationBundle {
    pub id: Option<String>,
    /// The day the bundle was evaluated on (the `PlatformClock`'s today).
    pub evaluation_date: Option<String>,
    /// The two-digit Land key whose holidays the deadlines avoid.
    pub land: Option<String>,
    pub applications: Vec<Application>,
    /// Application ids in an order that respects their dependencies.
    pub order: Vec<String>,
    pub problems: Vec<Finding>,
}

impl ApplicationBundle {
    pub(crate) fn from_core(b: &bundle::Bundle, lang: Lang) -> Self {
        Self {
            id: b.id.clone(),
            evaluation_date: b.evaluation_date.map(|d| d.to_string()),
            land: b.land.as_ref().map(wire),
            applications: b
                .applications
                .iter()
                .map(|a| Application::from_core(a, lang))
                .collect(),
            order: b.order.clone(),
            problems: b
                .problems
                .iter()
                .map(|f| Finding::from_core(f, lang))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Service {
    Standesamt,
    Familienkasse,
    Elterngeldstelle,
}

impl From<model::place::Service> for Service {
    fn from(s: model::place::Service) -> Self {
        use model::place::Service as S;
        match s {
            S::Standesamt => Self::Standesamt,
            S::Familienkasse => Self::Familienkasse,
            S::Elterngeldstelle => Self::Elterngeldstelle,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ApplicationStatus {
    /// Everything present: it can be sent.
    Ready,
    /// Waiting for another office or the birth; nothing to do now.
    Waiting,
    /// The family still has something to enter, upload or consent to.
    Incomplete,
}

/// The application to one agency.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Application {
    pub id: String,
    pub service: Service,
    pub applicants: Vec<String>,
    /// The competent office, when routing found one.
    pub office: Option<Office>,
    /// Routing needs an answer first (which Kreis, which area): the question in the locale.
    pub routing_question: Option<String>,
    pub fields: Vec<Field>,
    pub problems: Vec<Finding>,
    pub documents: Vec<DocumentNeed>,
    pub consents: Vec<ConsentNeed>,
    pub deadlines: Vec<Deadline>,
    pub status: ApplicationStatus,
    pub ready: bool,
}

impl Application {
    fn from_core(a: &bundle::Application, lang: Lang) -> Self {
        let (office, routing_question) = match &a.routing {
            Some(bundle::routing::Routing::Resolved { office, .. }) => (
                Some(Office {
                    destination_id: office.destination_id.clone(),
                    name: office.name.clone(),
                    address: office.address.clone(),
                    verified: office.verified,
                }),
                None,
            ),
            Some(bundle::routing::Routing::Ask { question, .. }) => {
                (None, Some(pick(lang, &question.text_de, &question.text_en)))
            }
            None => (None, None),
        };
        Self {
            id: a.id.clone(),
            service: a.service.into(),
            applicants: a.applicants.clone(),
            office,
            routing_question,
            fields: a
                .fields
                .iter()
                .map(|f| Field {
                    path: f.path.clone(),
                    label: pick(lang, &f.label_de, &f.label_en),
                    required: f.required,
                    value: f.value.clone(),
                    status: f.status.into(),
                })
                .collect(),
            problems: a
                .problems
                .iter()
                .map(|f| Finding::from_core(f, lang))
                .collect(),
            documents: a
                .documents
                .iter()
                .map(|d| DocumentNeed {
                    kind: wire(&d.kind),
                    parent: d.parent.clone(),
                    reason: pick(lang, &d.reason_de, &d.reason_en),
                    citation: d.citation.clone(),
                    status: wire(&d.status),
                })
                .collect(),
            consents: a
                .consents
                .iter()
                .map(|c| ConsentNeed {
                    kind: wire(&c.kind),
                    given_by: c.given_by.clone(),
                    required: c.required,
                    purpose: pick(lang, &c.purpose_de, &c.purpose_en),
                    citation: c.citation.clone(),
                    status: wire(&c.status),
                })
                .collect(),
            deadlines: a
                .deadlines
                .iter()
                .map(|d| Deadline {
                    kind: d.kind.clone(),
                    parent: d.parent.clone(),
                    last_day: d.last_day.to_string(),
                    send_by: d.send_by.to_string(),
                    remind_on: d.remind_on.to_string(),
                    open: d.open,
                    citation: d.citation.clone(),
                    text: pick(lang, &d.message_de, &d.message_en),
                })
                .collect(),
            status: match a.status {
                bundle::Status::Ready => ApplicationStatus::Ready,
                bundle::Status::Waiting => ApplicationStatus::Waiting,
                bundle::Status::Incomplete => ApplicationStatus::Incomplete,
            },
            ready: a.ready,
        }
    }
}

/// The competent office from the signed FSP/1 directory.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Office {
    pub destination_id: String,
    pub name: String,
    pub address: Option<String>,
    /// `false` for development placeholders.
    pub verified: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum FieldStatus {
    Provided,
    ToBeFetched,
    Awaited,
    Missing,
    Invalid,
    Empty,
}

impl From<bundle::FieldStatus> for FieldStatus {
    fn from(s: bundle::FieldStatus) -> Self {
        use bundle::FieldStatus as S;
        match s {
            S::Provided => Self::Provided,
            S::ToBeFetched => Self::ToBeFetched,
            S::Awaited => Self::Awaited,
            S::Missing => Self::Missing,
            S::Invalid => Self::Invalid,
            S::Empty => Self::Empty,
        }
    }
}

/// A datum the agency needs.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Field {
    pub path: String,
    pub label: String,
    pub required: bool,
    pub value: Option<String>,
    pub status: FieldStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Severity {
    /// Blocks sending.
    Error,
    Warning,
    Info,
}

/// A finding of the bundle: where, what, how bad.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Finding {
    pub path: String,
    pub code: String,
    pub severity: Severity,
    pub text: String,
}

impl Finding {
    fn from_core(f: &bundle::Finding, lang: Lang) -> Self {
        Self {
            path: f.path.clone(),
            code: f.code.as_str().to_owned(),
            severity: match f.severity {
                bundle::Severity::Error => Severity::Error,
                bundle::Severity::Warning => Severity::Warning,
                bundle::Severity::Info => Severity::Info,
            },
            text: pick(lang, &f.message_de, &f.message_en),
        }
    }
}

/// A Nachweis (supporting document) the agency needs.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DocumentNeed {
    pub kind: String,
    pub parent: Option<String>,
    pub reason: String,
    pub citation: String,
    /// `uploaded`, `replaced_by_fetch` or `missing`.
    pub status: String,
}

/// A consent the application needs.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentNeed {
    pub kind: String,
    pub given_by: String,
    pub required: bool,
    pub purpose: String,
    pub citation: String,
    /// `given`, `revoked` or `missing`.
    pub status: String,
}

/// A deadline of an application (dates ISO).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Deadline {
    pub kind: String,
    pub parent: Option<String>,
    pub last_day: String,
    pub send_by: String,
    pub remind_on: String,
    pub open: bool,
    pub citation: String,
    pub text: String,
}

// ---- drafts ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DraftStatus {
    Draft,
    Ready,
    Submitted,
    Archived,
}

impl From<store::DraftStatus> for DraftStatus {
    fn from(s: store::DraftStatus) -> Self {
        match s {
            store::DraftStatus::Draft => Self::Draft,
            store::DraftStatus::Ready => Self::Ready,
            store::DraftStatus::Submitted => Self::Submitted,
            store::DraftStatus::Archived => Self::Archived,
        }
    }
}

impl From<DraftStatus> for store::DraftStatus {
    fn from(s: DraftStatus) -> Self {
        match s {
            DraftStatus::Draft => Self::Draft,
            DraftStatus::Ready => Self::Ready,
            DraftStatus::Submitted => Self::Submitted,
            DraftStatus::Archived => Self::Archived,
        }
    }
}

/// What a draft list shows; stored encrypted apart from the case.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct DraftSummary {
    pub title: String,
    pub benefit_kinds: Vec<String>,
    pub child_names: Vec<String>,
}

impl std::fmt::Debug for DraftSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names stay out of logs.
        f.write_str("DraftSummary { .. }")
    }
}

impl From<store::DraftSummary> for DraftSummary {
    fn from(s: store::DraftSummary) -> Self {
        Self {
            title: s.title,
            benefit_kinds: s.benefit_kinds,
            child_names: s.child_names,
        }
    }
}

impl From<DraftSummary> for store::DraftSummary {
    fn from(s: DraftSummary) -> Self {
        Self {
            title: s.title,
            benefit_kinds: s.benefit_kinds,
            child_names: s.child_names,
        }
    }
}

/// What the app saves: status, list summary and the case (`elternkit.case/1` JSON, which
/// may be incomplete while the parent is still typing).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct DraftInput {
    pub status: DraftStatus,
    pub summary: DraftSummary,
    pub case_json: String,
}

impl std::fmt::Debug for DraftInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DraftInput")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A document (a Nachweis's file) stored encrypted with a draft. Its `id` is what the case's
/// `application.documents[].id` names, so `submit` sends the file with the application
/// that lists it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StoredDocument {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
}

impl StoredDocument {
    pub(crate) fn from_core(info: &store::DocumentInfo) -> Self {
        Self {
            id: info
                .id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            file_name: info.file_name.clone(),
            media_type: info.media_type.clone(),
            size: info.size,
        }
    }
}

/// The clear columns of a saved draft.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DraftMeta {
    pub id: String,
    /// Pass it back to `save_draft`: a save on an older version is a `Conflict`.
    pub version: u64,
    pub status: DraftStatus,
    /// Days since 1970-01-01 (UTC) of its creation; minute of the last save.
    pub created_day: i64,
    pub updated_minute: i64,
}

impl From<&store::DraftMeta> for DraftMeta {
    fn from(m: &store::DraftMeta) -> Self {
        Self {
            id: m.id.to_string(),
            version: m.version,
            status: m.status.into(),
            created_day: m.created_day,
            updated_minute: m.updated_minute,
        }
    }
}

/// A loaded draft.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct Draft {
    pub meta: DraftMeta,
    pub summary: DraftSummary,
    pub case_json: String,
}

impl std::fmt::Debug for Draft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Draft")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

/// One line of the draft list. A row that cannot be read is listed with its id and why,
/// and does not hide the others.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DraftListEntry {
    pub id: String,
    pub meta: Option<DraftMeta>,
    pub summary: Option<DraftSummary>,
    /// Why this row cannot be read (no personal data); `None` when it could.
    pub unreadable: Option<String>,
}

/// A draft received from the other parent's device.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportedDraft {
    pub meta: DraftMeta,
    /// The sender's device recipient (`age1…`), authenticated: show it for comparison.
    pub sender: String,
    /// The same handoff was imported before; `meta` is that draft.
    pub already_imported: bool,
}

/// Where the `App` keeps its data and which office directory it trusts.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AppConfig {
    /// The SQLite file of drafts, outbox and receipts (in the app's private files).
    pub database_path: String,
    pub language: Language,
    pub directory: DirectoryConfig,
}

/// The FSP/1 office directory the `App` routes with.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DirectoryConfig {
    /// The development directory shipped in the library (placeholder offices).
    Development,
    /// A signed directory, verified against the production roots built into the library.
    Signed {
        document_json: String,
        signature: String,
    },
    /// A development directory signed by one of the published development roots (e.g. one
    /// whose offices point at a loopback relay, as `cargo xtask directory-dev` and the agency
    /// sandbox make). Development builds and tests only: anybody can sign with these roots.
    DevelopmentSigned {
        document_json: String,
        signature: String,
    },
}
