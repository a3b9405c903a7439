//! Enter once, apply three times: the case becomes one application per agency (Standesamt,
//! Familienkasse, Elterngeldstelle), with what is missing, the documents, the consents, the
//! dependencies between them, the deadlines and the competent office (routing).
//!
//! [`derive()`] is a pure function of the case, a [`DeriveContext`] and a [`Router`]: no I/O,
//! no clock. The rules' results (eligibility, claimant, retroactive limits) are reused, not
//! recomputed. See `core/bundle/README.md`.

/// A message catalogue: one [`elternkit_model::Template`] per statement and `ALL`, the list
/// the catalogue test renders, so no entry can be left out of it.
macro_rules! catalogue {
    ($($(#[$doc:meta])* $name:ident: $de:literal, $en:literal;)*) => {
        $($(#[$doc])* pub const $name: Template = Template { de: $de, en: $en };)*
        /// Every message of this catalogue, by name.
        pub const ALL: &[(&str, &Template)] = &[$((stringify!($name), &$name)),*];
    };
}

mod builder;
pub mod deadlines;
mod elterngeldstelle;
mod familienkasse;
pub mod messages;
pub mod routing;
mod standesamt;
pub mod validate;

use std::convert::Infallible;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use elternkit_model::application::{ConsentKind, DocumentKind, Source};
use elternkit_model::{Case, Lang, Localized, Value, parse_case};

pub use deadlines::Deadline;
use routing::{Land, Place, Routing, Service};

/// The schema tag of a bundle.
pub const BUNDLE_SCHEMA: &str = "elternkit.bundle/1";

/// Finds the competent office of a service for a place: [`DirectoryRouter`] with the routing
/// data and a verified directory, or [`NoRouter`].
pub trait Router {
    /// `Display` for logs; the family sees [`Explained::message`].
    type Error: fmt::Display + Explained;

    /// `Ok(None)`: no routing available (this build has no routing data).
    fn route(&self, service: Service, place: &Place) -> Result<Option<Routing>, Self::Error>;

    /// The Land of a place, for holidays. The default takes the user's answer in the place.
    fn land(&self, place: &Place) -> Option<Land> {
        place.land
    }
}

/// An error the family sees: its text in both languages, from a message catalogue.
pub trait Explained {
    fn message(&self) -> Localized;
}

impl Explained for Infallible {
    fn message(&self) -> Localized {
        match *self {}
    }
}

/// No routing data: applications carry no office, and readiness does not wait for one.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRouter;

impl Router for NoRouter {
    type Error = Infallible;

    fn route(&self, _: Service, _: &Place) -> Result<Option<Routing>, Infallible> {
        Ok(None)
    }
}

/// The router of the shipped routing tables and a verified FSP/1 directory.
#[derive(Debug, Clone, Copy)]
pub struct DirectoryRouter<'a>(pub &'a elternkit_directory::Directory);

impl Router for DirectoryRouter<'_> {
    type Error = routing::RoutingError;

    fn route(&self, service: Service, place: &Place) -> Result<Option<Routing>, Self::Error> {
        routing::route(service, place, self.0).map(Some)
    }

    /// The user's answer, else the Land of a postcode that lies in one Land only.
    fn land(&self, place: &Place) -> Option<Land> {
        place
            .land
            .or_else(|| routing::land_of_postcode(&place.postal_code).ok()?)
    }
}

/// Inputs of the derivation besides the case.
#[derive(Debug, Clone, Default)]
pub struct DeriveContext {
    /// Evaluates on this day instead of `case.evaluation_date` (the rules then use it too).
    pub evaluation_date: Option<Date>,
    /// The family's Land, when known from outside (otherwise the router's or the place's).
    pub land: Option<Land>,
}

/// One application per agency, in the order they can be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    pub schema: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `None` only when the case could not be read and no day was given; then the field is
    /// left out (it was once written as the smallest date, `-009999-01-01`, which still reads
    /// back as `None`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "unknown_date::deserialize"
    )]
    pub evaluation_date: Option<Date>,
    /// The Land whose holidays the reminders avoid (`None`: holidays of every Land).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub land: Option<Land>,
    pub applications: Vec<Application>,
    /// Application ids in an order that respects `depends_on`.
    pub order: Vec<String>,
    /// Problems of the case as a whole (unreadable JSON, invalid references).
    pub problems: Vec<Finding>,
}

/// Bundles written before the field became optional carry an unknown evaluation date as the
/// smallest date (`-009999-01-01`); it reads back as `None`.
mod unknown_date {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let date = Option::<Date>::deserialize(d)?;
        Ok(date.filter(|d| *d != Date::MIN))
    }
}

/// How far an application is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Everything present: it can be sent.
    Ready,
    /// Only waiting for another office or the birth; nothing for the family to do now.
    Waiting,
    /// The family still has something to enter, upload or consent to.
    Incomplete,
}

/// The application to one agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    /// `standesamt`, `familienkasse`, `elterngeldstelle` (joint) or `elterngeldstelle:<parent>`.
    pub id: String,
    pub service: Service,
    /// `parents[].id` of those who apply (and sign).
    pub applicants: Vec<String>,
    /// The competent office, filled by the [`Router`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<Routing>,
    /// The data the agency needs, with status and source.
    pub fields: Vec<Field>,
    /// Missing or invalid data and other findings.
    pub problems: Vec<Finding>,
    /// Nachweise: supporting documents.
    pub documents: Vec<DocumentNeed>,
    pub consents: Vec<ConsentNeed>,
    pub depends_on: Vec<Dependency>,
    pub deadlines: Vec<Deadline>,
    /// What the rules computed for this benefit, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benefit: Option<Benefit>,
    pub status: Status,
    pub ready: bool,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks sending.
    Error,
    /// Should be looked at; does not block.
    Warning,
    Info,
}

/// A validation finding: where, what, how bad, in German and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub path: String,
    pub code: FindingCode,
    pub severity: Severity,
    pub message_de: String,
    pub message_en: String,
}

impl Finding {
    /// A finding whose text is a message of a catalogue, rendered in both languages.
    pub fn new(
        path: impl Into<String>,
        code: FindingCode,
        severity: Severity,
        message: &Localized,
    ) -> Self {
        Finding {
            path: path.into(),
            code,
            severity,
            message_de: message.get(Lang::De).into_owned(),
            message_en: message.get(Lang::En).into_owned(),
        }
    }
}

macro_rules! finding_codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// What a finding is about. The bundle's own codes are a closed set; the case's
        /// validation and the rules name theirs, which a finding passes on as they are.
        /// Serialised as the code's name (`missing`, `iban_invalid` …).
        #[derive(Debug, Clone)]
        pub enum FindingCode {
            $($(#[$doc])* $variant,)*
            /// A code of the case's validation or of the rules (`invalid_json`,
            /// `child_no_tax_id` …), kept as they name it.
            Passed(String),
        }

        impl FindingCode {
            /// The bundle's own codes.
            pub const OWN: &[FindingCode] = &[$(FindingCode::$variant),*];

            /// The code's name, as the JSON shows it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(FindingCode::$variant => $name,)*
                    FindingCode::Passed(code) => code,
                }
            }

            /// The code of a name: one of the bundle's own, else passed on.
            pub fn from_name(name: &str) -> FindingCode {
                match name {
                    $($name => FindingCode::$variant,)*
                    other => FindingCode::Passed(other.to_owned()),
                }
            }
        }
    };
}

finding_codes! {
    /// A required field has no value.
    Missing = "missing",
    /// A value marked as fetched has no consent in force.
    FetchWithoutConsent = "fetch_without_consent",
    SteuerIdFormat = "steuer_id_format",
    SteuerIdLeadingZero = "steuer_id_leading_zero",
    SteuerIdRepetition = "steuer_id_repetition",
    SteuerIdTriple = "steuer_id_triple",
    SteuerIdCheckDigit = "steuer_id_check_digit",
    IbanInvalid = "iban_invalid",
    PostalCodeDiffers = "postal_code_differs",
    /// `application.place` and `household.postal_code` lie in different Länder.
    PlaceLandDiffers = "place_land_differs",
    ResidenceTitleExpired = "residence_title_expired",
    NoPaternityAcknowledgement = "no_paternity_acknowledgement",
    /// A claimant who is not the mother, not married to her and has no acknowledged
    /// paternity is not a parent in law (§ 1592 BGB).
    PaternityNotEstablished = "paternity_not_established",
    MotherMarried = "mother_married",
    ForeignDocuments = "foreign_documents",
    NameByLaw = "name_by_law",
    NameChoiceNotAllowed = "name_choice_not_allowed",
    NameChoiceNeedsBoth = "name_choice_needs_both",
    DoppelnameBeforeReform = "doppelname_before_reform",
    NameChoiceMismatch = "name_choice_mismatch",
    NoCertificates = "no_certificates",
    NoPlan = "no_plan",
    LebensmonateLost = "lebensmonate_lost",
    ProvisionalDates = "provisional_dates",
    /// The claimant's public-service employer pays Kindergeld itself (§ 72 Abs. 1 EStG): the
    /// application goes there, not through ElternKit.
    EmployerFamilienkasse = "employer_familienkasse",
    /// The week to report the birth to the Standesamt has passed (§ 18 Abs. 1 PStG).
    BirthNotificationMissed = "birth_notification_missed",
    ResidenceTitleUnknown = "residence_title_unknown",
    TitleNeedsEmployment = "title_needs_employment",
    AnlageEu = "anlage_eu",
    MonthsLost = "months_lost",
    NoApplicationData = "no_application_data",
    SourceForUnknownField = "source_for_unknown_field",
    /// The router could not answer (see the message).
    RoutingFailed = "routing_failed",
    /// The router needs an answer of the user.
    RoutingQuestion = "routing_question",
    /// The place of a service is not known yet.
    OfficePending = "office_pending",
}

/// Codes compare by name: a code passed on from the rules equals the bundle's own of the
/// same name, as they look the same in JSON.
impl PartialEq for FindingCode {
    fn eq(&self, other: &FindingCode) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for FindingCode {}

impl PartialEq<&str> for FindingCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FindingCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Ok(FindingCode::from_name(&name))
    }
}

/// State of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldStatus {
    Provided,
    /// An agency fetches it under a consent.
    ToBeFetched,
    /// Comes from another office or the birth (see `depends_on`).
    Awaited,
    Missing,
    Invalid,
    /// Optional and not given.
    Empty,
}

/// One field of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// Path in the case, e.g. `application.parents[0].steuer_id`.
    pub path: String,
    pub label_de: String,
    pub label_en: String,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub status: FieldStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// State of a required document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Uploaded,
    /// Not needed: the agency fetches the data under the consent in `consent`.
    ReplacedByFetch,
    Missing,
}

/// A Nachweis an application needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentNeed {
    pub kind: DocumentKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub reason_de: String,
    pub reason_en: String,
    pub citation: String,
    /// A consent that makes the upload unnecessary (the agency fetches the data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaceable_by: Option<ConsentKind>,
    pub status: DocumentStatus,
    /// The uploaded document's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The consent's id when replaced by a fetch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
}

/// State of a consent an application depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Given,
    Revoked,
    Missing,
}

/// A consent or declaration an application depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentNeed {
    pub kind: ConsentKind,
    /// `parents[].id` of the person who must give it.
    pub given_by: String,
    /// `false`: optional, it saves documents or typing.
    pub required: bool,
    pub revocable: bool,
    pub purpose_de: String,
    pub purpose_en: String,
    pub citation: String,
    pub status: ConsentStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
}

/// What an application waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DependencyKind {
    /// The child is born.
    Birth,
    /// The Standesamt has registered the birth (the birth certificate data exist).
    BirthRegistration,
    /// The BZSt has issued the child's Steuer-ID (after the registration).
    ChildSteuerId,
}

/// A dependency on the birth or on another application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    pub kind: DependencyKind,
    /// The application whose outcome this waits for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    pub satisfied: bool,
    pub message_de: String,
    pub message_en: String,
}

/// The rules' outcome for the benefit of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Benefit {
    pub eligible: bool,
    /// Elterngeld in total, or Kindergeld per month, in euros (two decimals).
    pub amount: String,
    /// `total` or `monthly`.
    pub amount_kind: String,
    /// `true`: the rules' result once an awaited dependency is there (Kindergeld before the
    /// child's Steuer-ID: § 63 Abs. 1 S. 3 EStG makes it 0 until then).
    #[serde(default)]
    pub provisional: bool,
}

/// Parses, validates and derives. Bad input gives a bundle without applications whose
/// `problems` say what is wrong; never a panic.
pub fn derive_json(json: &str, ctx: &DeriveContext, router: &impl Router) -> Bundle {
    match parse_case(json) {
        Ok(case) => derive(&case, ctx, router),
        Err(problems) => Bundle {
            schema: BUNDLE_SCHEMA.to_string(),
            id: None,
            evaluation_date: ctx.evaluation_date,
            land: ctx.land,
            applications: Vec::new(),
            order: Vec::new(),
            problems: problems
                .into_iter()
                // Older problem records without a German text show the English one.
                .map(|p| Finding {
                    path: p.path,
                    code: FindingCode::Passed(p.code),
                    severity: Severity::Error,
                    message_de: if p.message_de.is_empty() {
                        p.message.clone()
                    } else {
                        p.message_de
                    },
                    message_en: p.message,
                })
                .collect(),
        },
    }
}

/// The three applications of a case.
///
/// # Panics
/// On a case without parents, which [`parse_case`] rejects: every application has an
/// applicant.
pub fn derive(case: &Case, ctx: &DeriveContext, router: &impl Router) -> Bundle {
    let mut case = case.clone();
    if let Some(day) = ctx.evaluation_date {
        case.evaluation_date = day;
    }
    let result = elternkit_rules::calculate(&case);
    let cx = builder::Cx::new(&case, &result, ctx, router);

    let mut applications = vec![standesamt::build(&cx)];
    applications.extend(elterngeldstelle::build(&cx));
    applications.push(familienkasse::build(&cx));

    let mut problems = cx.case_findings();
    for app in &mut applications {
        // An employer's own Familienkasse (§ 72 Abs. 1 EStG) is no destination of ours.
        let elsewhere = app
            .problems
            .iter()
            .any(|p| p.code == FindingCode::EmployerFamilienkasse);
        // The router answers per service and place.
        match cx.place_for(app.service).filter(|_| !elsewhere) {
            Some(place) => match router.route(app.service, &place) {
                Ok(routing) => app.routing = routing,
                Err(e) => app.problems.push(Finding::new(
                    builder::place_path(app.service),
                    FindingCode::RoutingFailed,
                    Severity::Error,
                    &Localized::new(
                        &messages::ROUTING_FAILED,
                        [("error", Value::Localized(Box::new(e.message())))],
                    ),
                )),
            },
            None if elsewhere => {}
            None => app.problems.push(builder::unroutable(app.service)),
        }
        if let Some(Routing::Ask { question, .. }) = &app.routing {
            app.problems.push(Finding {
                path: builder::answer_path(app.service, question.field.as_str()),
                code: FindingCode::RoutingQuestion,
                severity: Severity::Error,
                message_de: question.text_de.clone(),
                message_en: question.text_en.clone(),
            });
        }
        builder::settle(app);
    }
    // A source recorded for a path no application asks for is a typo or stale data: say so
    // rather than let the provenance silently apply to nothing.
    if let Some(app_data) = &case.application {
        for path in app_data.sources.keys() {
            if !applications
                .iter()
                .any(|a| a.fields.iter().any(|f| &f.path == path))
            {
                problems.push(Finding::new(
                    format!("application.sources[{path}]"),
                    FindingCode::SourceForUnknownField,
                    Severity::Warning,
                    &Localized::new(
                        &messages::SOURCE_FOR_UNKNOWN_FIELD,
                        [("path", Value::text(path))],
                    ),
                ));
            }
        }
    }
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    let order = applications.iter().map(|a| a.id.clone()).collect();
    Bundle {
        schema: BUNDLE_SCHEMA.to_string(),
        id: case.id.clone(),
        evaluation_date: Some(case.evaluation_date),
        land: cx.land,
        applications,
        order,
        problems,
    }
}
