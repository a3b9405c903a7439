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
use super::routing::{Land, Place, Service};
use super::validate;
use super::{
    Application, ConsentNeed, ConsentStatus, Dependency, DependencyKind, DeriveContext,
    DocumentNeed, DocumentStatus, Field, FieldStatus, Finding, Router, Severity, Status,
};
use elternkit_model::application::{
    ApplicationData, ChildData, Consent, ConsentKind, DocumentKind, PersonData, Source,
};
use elternkit_model::{Case, CaseResult, Parent};
use elternkit_rules::residence::has_free_movement;

/// Everything a builder reads.
#[derive(Debug)]
pub(super) struct Cx<'a> {
    pub case: &'a Case,
    pub result: &'a CaseResult,
    pub app: ApplicationData,
    pub today: Date,
    pub land: Option<Land>,
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
        let app = case.application.clone().unwrap_or_default();
        let residence = residence_place(case, &app);
        let land = ctx
            .land
            .or_else(|| router.land(&residence))
            .or(residence.land);
        Cx {
            case,
            result,
            today: case.evaluation_date,
            land,
            born: case.child.birth_date <= case.evaluation_date,
            app,
        }
    }

    /// The place a service is routed by: the birth place for the Standesamt (§ 18 Abs. 1
    /// PStG), the residence for the others. `None` while the birth place is unknown.
    pub fn place_for(&self, service: Service) -> Option<Place> {
        match service {
            Service::Standesamt => {
                let bp = self.app.children.first()?.birth_place.as_ref()?;
                Some(Place {
                    postal_code: bp.postal_code.clone()?,
                    locality: Some(bp.locality.clone()),
                    ..Place::default()
                })
            }
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

    /// Case-level findings: rules that could not run, an absent application section.
    pub fn case_findings(&self) -> Vec<Finding> {
        let mut out: Vec<Finding> = self
            .result
            .errors
            .iter()
            .map(|e| Finding {
                path: e.path.clone(),
                code: e.code.clone(),
                severity: Severity::Warning,
                message_de: format!("Berechnung nicht möglich: {}", e.message),
                message_en: format!("Could not compute: {}", e.message),
            })
            .collect();
        if self.case.application.is_none() {
            out.push(Finding {
                path: "application".into(),
                code: "no_application_data".into(),
                severity: Severity::Info,
                message_de: "Noch keine Antragsdaten (Namen, Anschriften, Steuer-IDs, Konto, Einwilligungen) erfasst.".into(),
                message_en: "No application data yet (names, addresses, tax IDs, account, consents).".into(),
            });
        }
        out
    }

    /// Whether a parent is a citizen of a country outside the EU/EEA/CH.
    pub fn non_eu(&self, id: &str) -> bool {
        self.parent(id)
            .is_some_and(|p| !has_free_movement(&p.citizenship))
    }
}

fn residence_place(case: &Case, app: &ApplicationData) -> Place {
    app.place.clone().unwrap_or_else(|| Place {
        postal_code: case.household.postal_code.clone(),
        ..Place::default()
    })
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
        code: &str,
        severity: Severity,
        de: impl Into<String>,
        en: impl Into<String>,
    ) {
        let f = Finding {
            path: path.into(),
            code: code.to_string(),
            severity,
            message_de: de.into(),
            message_en: en.into(),
        };
        if !self.app.problems.contains(&f) {
            self.app.problems.push(f);
        }
    }

    /// Records a field; finds it missing, to be fetched or awaited as the data say.
    pub fn field(&mut self, path: String, de: &str, en: &str, value: Option<String>, need: Need) {
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
                    "fetch_without_consent",
                    Severity::Error,
                    format!("{de}: Abruf ohne gültige Einwilligung ({consent})"),
                    format!("{en}: fetched without a consent in force ({consent})"),
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
                "missing",
                Severity::Error,
                format!("Angabe fehlt: {de}"),
                format!("Missing: {en}"),
            );
        }
        self.app.fields.push(Field {
            path,
            label_de: de.to_string(),
            label_en: en.to_string(),
            required: need.required,
            value,
            status,
            source,
        });
    }

    /// Marks the field at `path` invalid, with an error finding.
    pub fn invalid(&mut self, path: &str, code: &str, de: String, en: String) {
        if let Some(f) = self.app.fields.iter_mut().find(|f| f.path == path) {
            f.status = FieldStatus::Invalid;
        }
        self.finding(path, code, Severity::Error, de, en);
    }

    /// A Steuer-ID field, checked (§ 139b AO; check digit and structure).
    pub fn steuer_id(
        &mut self,
        path: String,
        de: &str,
        en: &str,
        value: Option<&String>,
        need: Need,
    ) {
        self.field(path.clone(), de, en, value.cloned(), need);
        if let Some(v) = value
            && let Err(defect) = validate::steuer_id(v)
        {
            self.invalid(
                &path,
                defect.code(),
                format!("{de}: keine gültige Steuer-ID (11 Ziffern, Prüfziffer nach § 139b AO) – bitte mit dem Schreiben des Bundeszentralamts für Steuern vergleichen"),
                format!("{en}: not a valid tax ID (11 digits with check digit, § 139b AO) – compare with the letter from the Federal Central Tax Office"),
            );
        }
    }

    /// A Nachweis; its status from the uploads and the consents.
    pub fn document(
        &mut self,
        kind: DocumentKind,
        parent: Option<&str>,
        reason: (&str, &str),
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
            reason_de: reason.0.to_string(),
            reason_en: reason.1.to_string(),
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
        purpose: (&str, &str),
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
            purpose_de: purpose.0.to_string(),
            purpose_en: purpose.1.to_string(),
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
        msg: (String, String),
    ) {
        self.app.depends_on.push(Dependency {
            kind,
            after: after.map(String::from),
            satisfied,
            message_de: msg.0,
            message_en: msg.1,
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
            (
                "Datenschutzhinweise zur Kenntnis genommen",
                "Privacy notice acknowledged",
            ),
            "Art. 13 DSGVO",
        );
        if kindergeld || self.app.service != Service::Standesamt {
            self.consent(
                ConsentKind::TruthfulnessAndChangeDuty,
                by,
                true,
                (
                    "Angaben vollständig und richtig; Änderungen werden mitgeteilt",
                    "Data complete and true; changes will be reported",
                ),
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

/// The finding for a service whose place is not yet known.
pub(super) fn unroutable(service: Service) -> Finding {
    let (de, en) = match service {
        Service::Standesamt => (
            "Zuständig ist das Standesamt des Geburtsorts; es steht fest, sobald der Geburtsort (mit Postleitzahl) eingetragen ist.",
            "The Standesamt of the birth place is competent; it is known once the birth place (with postcode) is entered.",
        ),
        _ => (
            "Die zuständige Stelle ergibt sich aus der Wohnanschrift.",
            "The competent office follows from the home address.",
        ),
    };
    Finding {
        path: "application.children[0].birth_place.postal_code".into(),
        code: "office_pending".into(),
        severity: Severity::Info,
        message_de: de.into(),
        message_en: en.into(),
    }
}

/// Status and readiness from the findings, documents, consents and dependencies.
pub(super) fn settle(app: &mut Application) {
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
        let d = self.cx.person(id).cloned().unwrap_or_default();
        let lbl = |de: &str, en: &str| (format!("{de} ({id})"), format!("{en} ({id})"));
        for w in wants {
            match w {
                P::FamilyName => {
                    let (de, en) = lbl("Familienname", "Family name");
                    self.field(
                        ppath(id, "family_name"),
                        &de,
                        &en,
                        d.family_name.clone(),
                        REQUIRED,
                    );
                }
                P::GivenNames => {
                    let (de, en) = lbl("Vorname(n)", "Given names");
                    let v = (!d.given_names.is_empty()).then(|| d.given_names.join(" "));
                    self.field(ppath(id, "given_names"), &de, &en, v, REQUIRED);
                }
                P::BirthName => {
                    // Only asked when it differs from the family name.
                    let (de, en) = lbl("Geburtsname", "Birth name");
                    self.field(
                        ppath(id, "birth_name"),
                        &de,
                        &en,
                        d.birth_name.clone(),
                        OPTIONAL,
                    );
                }
                P::Sex => {
                    let (de, en) = lbl("Geschlecht", "Sex");
                    self.field(
                        ppath(id, "sex"),
                        &de,
                        &en,
                        d.sex.map(|s| show(&s)),
                        REQUIRED,
                    );
                }
                P::BirthDate => {
                    let (de, en) = lbl("Geburtsdatum", "Date of birth");
                    self.field(
                        ppath(id, "birth_date"),
                        &de,
                        &en,
                        d.birth_date.map(|x| x.to_string()),
                        REQUIRED,
                    );
                }
                P::BirthPlace => {
                    let (de, en) = lbl("Geburtsort", "Place of birth");
                    self.field(
                        ppath(id, "birth_place"),
                        &de,
                        &en,
                        d.birth_place.clone(),
                        REQUIRED,
                    );
                }
                P::Address => {
                    let (de, en) = lbl("Wohnanschrift", "Home address");
                    let v = d.address.as_ref().map(|a| {
                        format!(
                            "{} {}, {} {}",
                            a.street, a.house_number, a.postal_code, a.locality
                        )
                    });
                    self.field(ppath(id, "address"), &de, &en, v, REQUIRED);
                    if let Some(a) = &d.address
                        && a.postal_code != self.cx.case.household.postal_code
                        && self.cx.parent(id).is_some_and(|p| p.lives_with_child)
                    {
                        self.finding(
                            ppath(id, "address.postal_code"),
                            "postal_code_differs",
                            Severity::Warning,
                            "Die Postleitzahl der Anschrift weicht von household.postal_code ab; die Berechnung und die Zuständigkeit nutzen household.postal_code.",
                            "The address's postcode differs from household.postal_code, which the rules and the routing use.",
                        );
                    }
                }
                P::SteuerId => {
                    let (de, en) = lbl("Steuer-ID", "Tax ID");
                    self.steuer_id(
                        ppath(id, "steuer_id"),
                        &de,
                        &en,
                        d.steuer_id.as_ref(),
                        REQUIRED,
                    );
                }
                P::MaritalStatus => {
                    let (de, en) = lbl("Familienstand", "Marital status");
                    self.field(
                        ppath(id, "marital_status"),
                        &de,
                        &en,
                        d.marital_status.map(|m| show(&m)),
                        REQUIRED,
                    );
                }
                P::HealthInsurance => {
                    let (de, en) = lbl("Krankenversicherung", "Health insurance");
                    let hi = d.health_insurance.as_ref();
                    self.field(
                        ppath(id, "health_insurance.kind"),
                        &de,
                        &en,
                        hi.map(|h| show(&h.kind)),
                        REQUIRED,
                    );
                    if let Some(h) = hi
                        && h.kind != elternkit_model::application::InsuranceKind::None
                    {
                        let (de, en) = lbl("Krankenkasse / Versicherer", "Health insurer");
                        self.field(
                            ppath(id, "health_insurance.insurer"),
                            &de,
                            &en,
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
                    let (de, en) =
                        lbl("Aufenthaltstitel gültig bis", "Residence title valid until");
                    self.field(
                        ppath(id, "residence_title.valid_until"),
                        &de,
                        &en,
                        rt.and_then(|r| r.valid_until).map(|x| x.to_string()),
                        REQUIRED,
                    );
                    let (de, en) = lbl("Erwerbstätigkeit erlaubt", "Employment allowed");
                    self.field(
                        ppath(id, "residence_title.employment_allowed"),
                        &de,
                        &en,
                        rt.and_then(|r| r.employment_allowed).map(|b| b.to_string()),
                        REQUIRED,
                    );
                    if let Some(until) = rt.and_then(|r| r.valid_until)
                        && until < self.cx.today
                    {
                        self.invalid(
                            &ppath(id, "residence_title.valid_until"),
                            "residence_title_expired",
                            format!("Der Aufenthaltstitel von {id} ist abgelaufen ({until}); bitte den aktuellen Titel angeben."),
                            format!("The residence title of {id} has expired ({until}); give the current title."),
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
            "IBAN",
            "IBAN",
            bank.as_ref().map(|b| b.iban.clone()),
            REQUIRED,
        );
        if let Some(b) = &bank {
            match validate::iban(&b.iban) {
                Err(_) => self.invalid(
                    &path,
                    "iban_invalid",
                    "Die IBAN ist ungültig (Länge oder Prüfziffer); bitte von der Bankkarte oder dem Kontoauszug abschreiben.".into(),
                    "The IBAN is invalid (length or check digits); copy it from the bank card or a statement.".into(),
                ),
                Ok(iban) => {
                    use iban::IbanLike;
                    if iban.country_code() != "DE" && b.bic.is_none() {
                        self.field("application.bank.bic".into(), "BIC", "BIC", None, REQUIRED);
                    }
                }
            }
        }
    }
}
