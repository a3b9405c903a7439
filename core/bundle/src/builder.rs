//! What the three application builders share: the derivation context (case, rules result,
//! consents, documents) and the application under construction.
//!
//! Paths: parents' personal data are addressed by id (`application.parents[p1].steuer_id`),
//! so a path stays valid however the app orders the list and before the entry exists;
//! children by position (`application.children[0].given_names`). The `sources` map uses the
//! same paths.

use jiff::civil::Date;
use serde::Serialize;

use super::deadlines::Deadline;
use super::messages as m;
use super::routing::{Land, Place, Routing, Service};
use super::validate;
use super::{
    Application, ConsentNeed, ConsentStatus, Dependency, DependencyKind, DeriveContext,
    DocumentNeed, DocumentStatus, Field, FieldStatus, Finding, FindingCode, Router, Severity,
    Status,
};
use elternkit_model::application::{
    ApplicationData, ChildData, Consent, ConsentKind, DocumentKind, PersonData, Source,
};
use elternkit_model::{Case, CaseResult, Lang, Localized, Parent, Template, Value};
use elternkit_rules::residence::has_free_movement;

/// Everything a builder reads.
#[derive(Debug)]
pub(super) struct Cx<'a> {
    pub case: &'a Case,
    pub result: &'a CaseResult,
    pub app: ApplicationData,
    pub today: Date,
    /// The family's Land (residence), for the Elterngeld and Kindergeld reminders.
    pub land: Option<Land>,
    /// The birth place's Land, where the Standesamt is: its holidays count for the birth
    /// notification.
    pub birth_land: Option<Land>,
    /// The Land of `household.postal_code`, which the rules compute with.
    pub household_land: Option<Land>,
    /// The child is born (birth date on or before the evaluation date).
    pub born: bool,
}

impl<'a> Cx<'a> {
    pub fn new(
        case: &'a Case,
        result: &'a CaseResult,
        ctx: &DeriveContext,
        router: &impl Router,
    ) -> Self {
        // No application section yet is a state of the case, not an error: every field is
        // then missing, and `case_findings` says so.
        let app = case.application.clone().unwrap_or_default();
        let residence = residence_place(case, &app);
        let land = ctx
            .land
            .or_else(|| router.land(&residence))
            .or(residence.land);
        let birth_land = birth_place(&app).and_then(|p| router.land(&p));
        let household_land = router.land(&Place {
            postal_code: case.household.postal_code.clone(),
            ..Place::default()
        });
        Cx {
            case,
            result,
            today: case.evaluation_date,
            land,
            birth_land,
            household_land,
            born: case.child.birth_date <= case.evaluation_date,
            app,
        }
    }

    /// The place a service is routed by: the birth place for the Standesamt (§ 18 Abs. 1
    /// PStG), the residence for the others. `None` while the birth place is unknown.
    pub fn place_for(&self, service: Service) -> Option<Place> {
        match service {
            Service::Standesamt => birth_place(&self.app),
            Service::Familienkasse | Service::Elterngeldstelle => {
                Some(residence_place(self.case, &self.app))
            }
        }
    }

    pub fn person(&self, id: &str) -> Option<&PersonData> {
        self.app.parents.iter().find(|p| p.id == id)
    }

    pub fn parent(&self, id: &str) -> Option<&'a Parent> {
        self.case.parents.iter().find(|p| p.id == id)
    }

    /// The newborns' data, `child.count` entries (empty ones where not given).
    pub fn children(&self) -> Vec<ChildData> {
        let mut list = self.app.children.clone();
        list.resize(self.case.child.count as usize, ChildData::default());
        list
    }

    /// The parent who gave birth, if the data say so.
    pub fn birth_parent(&self) -> Option<&str> {
        self.app
            .parents
            .iter()
            .find(|p| p.gave_birth)
            .map(|p| p.id.as_str())
    }

    /// `id` is not the parent who gave birth, is not married to her and has no acknowledgement
    /// of paternity on record: not the child's parent in law (§ 1592 Nr. 1, 2 BGB).
    pub fn paternity_not_established(&self, id: &str) -> bool {
        let couple = &self.app.couple;
        self.birth_parent().is_some_and(|m| m != id)
            && couple.married != Some(true)
            && couple.paternity_acknowledgement.is_none()
    }

    /// A consent of `kind` (by `by`, if given) as it stands on the evaluation date.
    pub fn consent(
        &self,
        kind: ConsentKind,
        by: Option<&str>,
    ) -> (ConsentStatus, Option<&Consent>) {
        let mut revoked = None;
        for c in &self.app.consents {
            if c.kind != kind || by.is_some_and(|b| b != c.given_by) {
                continue;
            }
            // A consent given after the evaluation date does not exist yet "today".
            if c.given_at.to_zoned(jiff::tz::TimeZone::UTC).date() > self.today {
                continue;
            }
            match c.revoked_at {
                Some(at) if at.to_zoned(jiff::tz::TimeZone::UTC).date() <= self.today => {
                    revoked = Some(c);
                }
                _ => return (ConsentStatus::Given, Some(c)),
            }
        }
        match revoked {
            Some(c) => (ConsentStatus::Revoked, Some(c)),
            None => (ConsentStatus::Missing, None),
        }
    }

    pub fn active_consent(&self, kind: ConsentKind, by: Option<&str>) -> Option<&Consent> {
        match self.consent(kind, by) {
            (ConsentStatus::Given, c) => c,
            _ => None,
        }
    }

    /// Case-level findings: rules that could not run, an absent application section, a
    /// residence for routing in another Land than the household the rules compute with.
    pub fn case_findings(&self) -> Vec<Finding> {
        let mut out: Vec<Finding> = self
            .result
            .errors
            .iter()
            // The rules state input errors in English only; the frame is in both languages.
            .map(|e| {
                Finding::new(
                    e.path.clone(),
                    FindingCode::Passed(e.code.clone()),
                    Severity::Warning,
                    &Localized::new(
                        &m::COULD_NOT_COMPUTE,
                        [("message", Value::text(&e.message))],
                    ),
                )
            })
            .collect();
        if self.case.application.is_none() {
            out.push(Finding::new(
                "application",
                FindingCode::NoApplicationData,
                Severity::Info,
                &text(&m::NO_APPLICATION_DATA),
            ));
        }
        if let (Some(place), Some(residence), Some(household)) =
            (&self.app.place, self.land, self.household_land)
            && residence != household
        {
            out.push(Finding::new(
                "application.place.postal_code",
                FindingCode::PlaceLandDiffers,
                Severity::Warning,
                &Localized::new(
                    &m::PLACE_LAND_DIFFERS,
                    [
                        ("place", Value::text(&place.postal_code)),
                        ("place_land", Value::text(residence.name())),
                        ("household", Value::text(&self.case.household.postal_code)),
                        ("household_land", Value::text(household.name())),
                    ],
                ),
            ));
        }
        out
    }

    /// Whether a parent is a citizen of a country outside the EU/EEA/CH.
    pub fn non_eu(&self, id: &str) -> bool {
        self.parent(id)
            .is_some_and(|p| !has_free_movement(&p.citizenship))
    }
}

/// The first child's birth place with its own answers (§ 18 Abs. 1 PStG): never the
/// residence's. `None` while its postcode is unknown.
fn birth_place(app: &ApplicationData) -> Option<Place> {
    let bp = app.children.first()?.birth_place.as_ref()?;
    Some(Place {
        postal_code: bp.postal_code.clone()?,
        locality: Some(bp.locality.clone()),
        land: bp.land,
        kreis: bp.kreis.clone(),
        area: bp.area.clone(),
    })
}

fn residence_place(case: &Case, app: &ApplicationData) -> Place {
    app.place.clone().unwrap_or_else(|| Place {
        postal_code: case.household.postal_code.clone(),
        ..Place::default()
    })
}

/// A message without arguments.
pub(super) fn text(template: &'static Template) -> Localized {
    Localized::new(template, [])
}

/// A text in German and English, for the records that carry both.
pub(super) fn rendered(text: &Localized) -> (String, String) {
    (
        text.get(Lang::De).into_owned(),
        text.get(Lang::En).into_owned(),
    )
}

/// The label of child `n`'s field (counted from 1).
pub(super) fn child_label(template: &'static Template, n: usize) -> Localized {
    Localized::new(template, [("n", Value::Int(n as i64))])
}

/// Path of a parent's personal field.
pub(super) fn ppath(id: &str, field: &str) -> String {
    format!("application.parents[{id}].{field}")
}

/// Path of a child's field.
pub(super) fn cpath(i: usize, field: &str) -> String {
    format!("application.children[{i}].{field}")
}

/// How a field is needed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Need {
    pub required: bool,
    /// Comes later from another office or the birth: absent is not an error.
    pub awaited: bool,
    /// An agency can fetch it under this consent.
    pub fetch: Option<ConsentKind>,
}

pub(super) const REQUIRED: Need = Need {
    required: true,
    awaited: false,
    fetch: None,
};
pub(super) const OPTIONAL: Need = Need {
    required: false,
    awaited: false,
    fetch: None,
};

impl Need {
    pub fn awaited_if(mut self, cond: bool) -> Self {
        self.awaited = cond;
        self
    }
    pub fn fetch(mut self, kind: ConsentKind) -> Self {
        self.fetch = Some(kind);
        self
    }
}

/// A value as the checklist shows it: enums by their JSON name.
pub(super) fn show<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The application under construction.
#[derive(Debug)]
pub(super) struct Draft<'c, 'a> {
    pub cx: &'c Cx<'a>,
    pub app: Application,
}

impl<'c, 'a> Draft<'c, 'a> {
    pub fn new(
        cx: &'c Cx<'a>,
        id: impl Into<String>,
        service: Service,
        applicants: Vec<String>,
    ) -> Self {
        Draft {
            cx,
            app: Application {
                id: id.into(),
                service,
                applicants,
                routing: None,
                fields: Vec::new(),
                problems: Vec::new(),
                documents: Vec::new(),
                consents: Vec::new(),
                depends_on: Vec::new(),
                deadlines: Vec::new(),
                benefit: None,
                status: Status::Incomplete,
                ready: false,
            },
        }
    }

    pub fn finding(
        &mut self,
        path: impl Into<String>,
        code: FindingCode,
        severity: Severity,
        message: &Localized,
    ) {
        let f = Finding::new(path, code, severity, message);
        if !self.app.problems.contains(&f) {
            self.app.problems.push(f);
        }
    }

    /// Records a field; finds it missing, to be fetched or awaited as the data say.
    pub fn field(&mut self, path: String, label: Localized, value: Option<String>, need: Need) {
        if self.app.fields.iter().any(|f| f.path == path) {
            return;
        }
        let value = value.filter(|v| !v.trim().is_empty());
        let explicit = self.cx.app.sources.get(&path).cloned();
        let mut status = if value.is_some() {
            FieldStatus::Provided
        } else if need.required {
            FieldStatus::Missing
        } else {
            FieldStatus::Empty
        };
        let mut source = value
            .as_ref()
            .map(|_| explicit.clone().unwrap_or(Source::Entered));
        // Nothing flows without a consent: a fetched value needs a consent in force.
        if let Some(Source::Fetched { consent }) = &explicit {
            let known = self
                .cx
                .app
                .consents
                .iter()
                .find(|c| &c.id == consent)
                .and_then(|c| self.cx.active_consent(c.kind, Some(&c.given_by)))
                .is_some_and(|c| &c.id == consent);
            if !known {
                self.finding(
                    path.clone(),
                    FindingCode::FetchWithoutConsent,
                    Severity::Error,
                    &Localized::new(
                        &m::FETCH_WITHOUT_CONSENT,
                        [
                            ("label", Value::Localized(Box::new(label.clone()))),
                            ("consent", Value::text(consent)),
                        ],
                    ),
                );
            } else if value.is_none() {
                status = FieldStatus::ToBeFetched;
                source = explicit.clone();
            }
        }
        if status == FieldStatus::Missing {
            if let Some(c) = need.fetch.and_then(|k| self.cx.active_consent(k, None)) {
                status = FieldStatus::ToBeFetched;
                source = Some(Source::Fetched {
                    consent: c.id.clone(),
                });
            } else if need.awaited {
                status = FieldStatus::Awaited;
            }
        }
        if status == FieldStatus::Missing {
            self.finding(
                path.clone(),
                FindingCode::Missing,
                Severity::Error,
                &Localized::new(
                    &m::MISSING,
                    [("label", Value::Localized(Box::new(label.clone())))],
                ),
            );
        }
        let (label_de, label_en) = rendered(&label);
        self.app.fields.push(Field {
            path,
            label_de,
            label_en,
            required: need.required,
            value,
            status,
            source,
        });
    }

    /// Marks the field at `path` invalid, with an error finding.
    pub fn invalid(&mut self, path: &str, code: FindingCode, message: &Localized) {
        if let Some(f) = self.app.fields.iter_mut().find(|f| f.path == path) {
            f.status = FieldStatus::Invalid;
        }
        self.finding(path, code, Severity::Error, message);
    }

    /// A Steuer-ID field, checked (§ 139b AO; check digit and structure).
    pub fn steuer_id(
        &mut self,
        path: String,
        label: Localized,
        value: Option<&String>,
        need: Need,
    ) {
        self.field(path.clone(), label.clone(), value.cloned(), need);
        if let Some(v) = value
            && let Err(defect) = validate::steuer_id(v)
        {
            self.invalid(
                &path,
                defect.code(),
                &Localized::new(
                    &m::STEUER_ID_INVALID,
                    [("label", Value::Localized(Box::new(label)))],
                ),
            );
        }
    }

    /// A Nachweis; its status from the uploads and the consents.
    pub fn document(
        &mut self,
        kind: DocumentKind,
        parent: Option<&str>,
        reason: &'static Template,
        citation: &str,
        replaceable_by: Option<(ConsentKind, Option<&str>)>,
    ) {
        if self
            .app
            .documents
            .iter()
            .any(|d| d.kind == kind && d.parent.as_deref() == parent)
        {
            return;
        }
        let uploaded = self
            .cx
            .app
            .documents
            .iter()
            .find(|d| d.kind == kind && (parent.is_none() || d.parent.as_deref() == parent));
        let fetched = replaceable_by.and_then(|(k, by)| self.cx.active_consent(k, by));
        let (status, document, consent) = match (uploaded, fetched) {
            (Some(d), _) => (DocumentStatus::Uploaded, Some(d.id.clone()), None),
            (None, Some(c)) => (DocumentStatus::ReplacedByFetch, None, Some(c.id.clone())),
            (None, None) => (DocumentStatus::Missing, None, None),
        };
        self.app.documents.push(DocumentNeed {
            kind,
            parent: parent.map(String::from),
            reason_de: reason.de.to_string(),
            reason_en: reason.en.to_string(),
            citation: citation.to_string(),
            replaceable_by: replaceable_by.map(|(k, _)| k),
            status,
            document,
            consent,
        });
    }

    /// A consent the application depends on.
    pub fn consent(
        &mut self,
        kind: ConsentKind,
        by: &str,
        required: bool,
        purpose: &'static Template,
        citation: &str,
    ) {
        if self
            .app
            .consents
            .iter()
            .any(|c| c.kind == kind && c.given_by == by)
        {
            return;
        }
        let (status, found) = self.cx.consent(kind, Some(by));
        self.app.consents.push(ConsentNeed {
            kind,
            given_by: by.to_string(),
            required,
            revocable: kind.revocable(),
            purpose_de: purpose.de.to_string(),
            purpose_en: purpose.en.to_string(),
            citation: citation.to_string(),
            status,
            consent: found.map(|c| c.id.clone()),
        });
    }

    pub fn depends(
        &mut self,
        kind: DependencyKind,
        after: Option<&str>,
        satisfied: bool,
        message: &'static Template,
    ) {
        self.app.depends_on.push(Dependency {
            kind,
            after: after.map(String::from),
            satisfied,
            message_de: message.de.to_string(),
            message_en: message.en.to_string(),
        });
    }

    pub fn deadline(&mut self, d: Deadline) {
        self.app.deadlines.push(d);
    }

    /// The standard declarations every applicant signs (FORMS.md § 2.9).
    pub fn declarations(&mut self, by: &str, kindergeld: bool) {
        self.consent(
            ConsentKind::PrivacyNotice,
            by,
            true,
            &m::PURPOSE_PRIVACY_NOTICE,
            "Art. 13 DSGVO",
        );
        if kindergeld || self.app.service != Service::Standesamt {
            self.consent(
                ConsentKind::TruthfulnessAndChangeDuty,
                by,
                true,
                &m::PURPOSE_TRUTHFULNESS,
                if kindergeld {
                    "§ 68 Abs. 1 EStG; § 60 SGB I"
                } else {
                    "§ 60 SGB I"
                },
            );
        }
    }

    pub fn finish(self) -> Application {
        self.app
    }
}

/// Where the place of `service` is answered: the birth place for the Standesamt (§ 18 Abs. 1
/// PStG), the residence (`application.place`) otherwise.
pub fn place_path(service: Service) -> &'static str {
    match service {
        Service::Standesamt => "application.children[0].birth_place",
        Service::Familienkasse | Service::Elterngeldstelle => "application.place",
    }
}

/// Where the answer to a routing question of `service` is filed.
pub fn answer_path(service: Service, field: &str) -> String {
    format!("{}.{field}", place_path(service))
}

/// The finding for a service whose place is not yet known.
pub(super) fn unroutable(service: Service) -> Finding {
    let message = match service {
        Service::Standesamt => &m::OFFICE_PENDING_STANDESAMT,
        _ => &m::OFFICE_PENDING_RESIDENCE,
    };
    Finding::new(
        "application.children[0].birth_place.postal_code",
        FindingCode::OfficePending,
        Severity::Info,
        &text(message),
    )
}

/// A consent replaces a document only where the routed office takes part in that data
/// exchange (a property of the destination in the directory; ELFE: Bremen). Where the office
/// is known and does not, or is still asked for, the document stays required. Without
/// routing data (`NoRouter`) nothing is known of the office and the consents stand as given.
fn documents_by_office(app: &mut Application) {
    let exchanges: &[ConsentKind] = match &app.routing {
        None => return,
        Some(Routing::Resolved { office, .. }) => &office.data_exchanges,
        Some(Routing::Ask { .. }) => &[],
    };
    for d in &mut app.documents {
        if d.replaceable_by.is_some_and(|k| !exchanges.contains(&k)) {
            d.replaceable_by = None;
            if d.status == DocumentStatus::ReplacedByFetch {
                d.status = DocumentStatus::Missing;
                d.consent = None;
            }
        }
    }
}

/// Status and readiness from the findings, documents, consents and dependencies.
pub(super) fn settle(app: &mut Application) {
    documents_by_office(app);
    let family_todo = app.problems.iter().any(|p| p.severity == Severity::Error)
        || app
            .documents
            .iter()
            .any(|d| d.status == DocumentStatus::Missing)
        || app
            .consents
            .iter()
            .any(|c| c.required && c.status != ConsentStatus::Given);
    let waiting = app.depends_on.iter().any(|d| !d.satisfied);
    app.ready = !family_todo && !waiting;
    app.status = if app.ready {
        Status::Ready
    } else if family_todo {
        Status::Incomplete
    } else {
        Status::Waiting
    };
}

/// Personal fields of a parent an application asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum P {
    FamilyName,
    GivenNames,
    BirthName,
    Sex,
    BirthDate,
    BirthPlace,
    Address,
    SteuerId,
    MaritalStatus,
    HealthInsurance,
    ResidenceTitle,
}

impl Draft<'_, '_> {
    /// The personal fields `wants` of parent `id`, all required unless noted.
    pub fn person(&mut self, id: &str, wants: &[P]) {
        // A parent without personal data yet: every field of theirs is missing.
        let d = self.cx.person(id).cloned().unwrap_or_default();
        let lbl = |label: &'static Template| {
            Localized::new(
                &m::LABEL_OF_PARENT,
                [("label", Value::Phrase(label)), ("parent", Value::text(id))],
            )
        };
        for w in wants {
            match w {
                P::FamilyName => {
                    let label = lbl(&m::LABEL_FAMILY_NAME);
                    self.field(
                        ppath(id, "family_name"),
                        label,
                        d.family_name.clone(),
                        REQUIRED,
                    );
                }
                P::GivenNames => {
                    let label = lbl(&m::LABEL_GIVEN_NAMES);
                    let v = (!d.given_names.is_empty()).then(|| d.given_names.join(" "));
                    self.field(ppath(id, "given_names"), label, v, REQUIRED);
                }
                P::BirthName => {
                    // Only asked when it differs from the family name.
                    let label = lbl(&m::LABEL_BIRTH_NAME);
                    self.field(
                        ppath(id, "birth_name"),
                        label,
                        d.birth_name.clone(),
                        OPTIONAL,
                    );
                }
                P::Sex => {
                    let label = lbl(&m::LABEL_SEX);
                    self.field(ppath(id, "sex"), label, d.sex.map(|s| show(&s)), REQUIRED);
                }
                P::BirthDate => {
                    let label = lbl(&m::LABEL_BIRTH_DATE);
                    self.field(
                        ppath(id, "birth_date"),
                        label,
                        d.birth_date.map(|x| x.to_string()),
                        REQUIRED,
                    );
                }
                P::BirthPlace => {
                    let label = lbl(&m::LABEL_BIRTH_PLACE);
                    self.field(
                        ppath(id, "birth_place"),
                        label,
                        d.birth_place.clone(),
                        REQUIRED,
                    );
                }
                P::Address => {
                    let label = lbl(&m::LABEL_ADDRESS);
                    let v = d.address.as_ref().map(|a| {
                        format!(
                            "{} {}, {} {}",
                            a.street, a.house_number, a.postal_code, a.locality
                        )
                    });
                    self.field(ppath(id, "address"), label, v, REQUIRED);
                    // Routing goes by `application.place` where given, else by the
                    // household's postcode; say which one the address differs from.
                    let routing = residence_place(self.cx.case, &self.cx.app);
                    let routing_field = if self.cx.app.place.is_some() {
                        "application.place.postal_code"
                    } else {
                        "household.postal_code"
                    };
                    if let Some(a) = &d.address
                        && a.postal_code != routing.postal_code
                        && self.cx.parent(id).is_some_and(|p| p.lives_with_child)
                    {
                        self.finding(
                            ppath(id, "address.postal_code"),
                            FindingCode::PostalCodeDiffers,
                            Severity::Warning,
                            &Localized::new(
                                &m::POSTAL_CODE_DIFFERS,
                                [
                                    ("address", Value::text(&a.postal_code)),
                                    ("field", Value::text(routing_field)),
                                    ("routing", Value::text(&routing.postal_code)),
                                ],
                            ),
                        );
                    }
                }
                P::SteuerId => {
                    let label = lbl(&m::LABEL_STEUER_ID);
                    self.steuer_id(
                        ppath(id, "steuer_id"),
                        label,
                        d.steuer_id.as_ref(),
                        REQUIRED,
                    );
                }
                P::MaritalStatus => {
                    let label = lbl(&m::LABEL_MARITAL_STATUS);
                    self.field(
                        ppath(id, "marital_status"),
                        label,
                        d.marital_status.map(|m| show(&m)),
                        REQUIRED,
                    );
                }
                P::HealthInsurance => {
                    let label = lbl(&m::LABEL_HEALTH_INSURANCE);
                    let hi = d.health_insurance.as_ref();
                    self.field(
                        ppath(id, "health_insurance.kind"),
                        label,
                        hi.map(|h| show(&h.kind)),
                        REQUIRED,
                    );
                    if let Some(h) = hi
                        && h.kind != elternkit_model::application::InsuranceKind::None
                    {
                        let label = lbl(&m::LABEL_HEALTH_INSURER);
                        self.field(
                            ppath(id, "health_insurance.insurer"),
                            label,
                            h.insurer.clone(),
                            REQUIRED,
                        );
                    }
                }
                P::ResidenceTitle => {
                    if !self.cx.non_eu(id) {
                        continue;
                    }
                    let rt = d.residence_title.as_ref();
                    let label = lbl(&m::LABEL_TITLE_VALID_UNTIL);
                    self.field(
                        ppath(id, "residence_title.valid_until"),
                        label,
                        rt.and_then(|r| r.valid_until).map(|x| x.to_string()),
                        REQUIRED,
                    );
                    let label = lbl(&m::LABEL_EMPLOYMENT_ALLOWED);
                    self.field(
                        ppath(id, "residence_title.employment_allowed"),
                        label,
                        rt.and_then(|r| r.employment_allowed).map(|b| b.to_string()),
                        REQUIRED,
                    );
                    if let Some(until) = rt.and_then(|r| r.valid_until)
                        && until < self.cx.today
                    {
                        self.invalid(
                            &ppath(id, "residence_title.valid_until"),
                            FindingCode::ResidenceTitleExpired,
                            &Localized::new(
                                &m::RESIDENCE_TITLE_EXPIRED,
                                [("parent", Value::text(id)), ("until", Value::Date(until))],
                            ),
                        );
                    }
                }
            }
        }
    }

    /// The account, checked with `iban_validate`.
    pub fn bank(&mut self) {
        let bank = self.cx.app.bank.clone();
        let path = "application.bank.iban".to_string();
        self.field(
            path.clone(),
            text(&m::LABEL_IBAN),
            bank.as_ref().map(|b| b.iban.clone()),
            REQUIRED,
        );
        if let Some(b) = &bank {
            match validate::iban(&b.iban) {
                Err(_) => self.invalid(&path, FindingCode::IbanInvalid, &text(&m::IBAN_INVALID)),
                Ok(iban) => {
                    use iban::IbanLike;
                    if iban.country_code() != "DE" && b.bic.is_none() {
                        self.field(
                            "application.bank.bic".into(),
                            text(&m::LABEL_BIC),
                            None,
                            REQUIRED,
                        );
                    }
                }
            }
        }
    }
}

/// A reason of the rules with its legal basis.
pub(super) fn with_citation(message: Localized, citation: &str) -> Localized {
    Localized::new(
        &m::WITH_CITATION,
        [
            ("text", Value::Localized(Box::new(message))),
            ("citation", Value::text(citation)),
        ],
    )
}
