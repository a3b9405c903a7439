//! Routing: from the family's address (and the birth place) to the competent office of each
//! service. The app never guesses: where the data cannot decide (a postcode in two Länder, a
//! Land that organises Elterngeld by Kreis or Bezirk), the answer is a question with options.
//!
//! Data: `core/data/` (derived by `cargo xtask routing-data`, with attribution and licence),
//! the offices from the signed FSP/1 directory (`../shared/domain/SUBMISSION.md` § 6.1).

use serde::{Deserialize, Serialize};

mod elterngeld;
mod familienkasse;
pub mod messages;
mod tables;

pub use elterngeld::{ElterngeldOffice, Organisation, elterngeld_offices, organisation};
pub use familienkasse::{
    Assignment, Basis, RegionalFamilienkasse, RegionalOutcome, regional_familienkassen,
    regional_familienkassen_of, regional_for,
};
pub use tables::Kreis;

use thiserror::Error;

use elternkit_directory::Directory;
use elternkit_model::application::ConsentKind;
pub use elternkit_model::place::{Land, Place, Service};
use elternkit_model::{Lang, Localized, Value};
use tables::{fold, match_rank, tables};

/// The routing of one service for one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Routing {
    /// The competent office, and why (address → Land → Kreis → office).
    Resolved {
        office: Office,
        why: Vec<RoutingStep>,
    },
    /// The data cannot decide: ask the user, then route again with the answer in [`Place`].
    Ask {
        question: Question,
        why: Vec<RoutingStep>,
    },
}

/// A question the user must answer before routing can finish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Which [`Place`] field the answer fills.
    pub field: QuestionField,
    pub text_de: String,
    pub text_en: String,
    /// Options, best match for the typed locality first. Empty only when the answer is free
    /// text: the birth Gemeinde for a postcode our table does not know.
    pub options: Vec<QuestionOption>,
}

impl Question {
    /// A question whose text is a message of the routing catalogue.
    fn new(field: QuestionField, text: &Localized, options: Vec<QuestionOption>) -> Self {
        Question {
            field,
            text_de: text.get(Lang::De).into_owned(),
            text_en: text.get(Lang::En).into_owned(),
            options,
        }
    }
}

/// The [`Place`] field an answer fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionField {
    Land,
    Kreis,
    Area,
}

impl QuestionField {
    /// The field's name in [`Place`] and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionField::Land => "land",
            QuestionField::Kreis => "kreis",
            QuestionField::Area => "area",
        }
    }
}

impl std::fmt::Display for QuestionField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for QuestionField {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One answer to a [`Question`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionOption {
    /// The value to put into the [`Place`] field.
    pub value: String,
    pub label: String,
}

/// One step of the routing explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingStep {
    pub text_de: String,
    pub text_en: String,
    /// The legal or data source of the step (`§ 12 BEEG`, `ROUTING.md`, a data file).
    pub source: String,
}

/// A competent office with its FSP/1 destination, from the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Office {
    /// FSP/1 `destinationId`.
    pub destination_id: String,
    pub name: String,
    /// Postal address where known; `None` where the directory entry is a placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// FSP/1 relay base URL.
    pub endpoint: String,
    /// The age recipient (`age1…`) valid today, and its `kid`.
    pub age_recipient: String,
    pub age_kid: String,
    /// `false` for development placeholders (the note and the UI say so).
    pub verified: bool,
    /// The consented data exchanges the office takes part in, from the directory: only for
    /// these does a consent replace a document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_exchanges: Vec<ConsentKind>,
}

/// Why routing could not produce an answer or a question.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum RoutingError {
    #[error("postcode {0:?} is not a German postcode; enter exactly five digits")]
    MalformedPostcode(String),
    #[error("postcode {postcode:?} does not exist: no German postcode begins with {prefix}")]
    UnknownPostcode { postcode: String, prefix: String },
    #[error(
        "the answer {value:?} for `{field}` does not fit: {}; choose one of the offered options",
        .reason.en()
    )]
    AnswerDoesNotFit {
        field: QuestionField,
        value: String,
        reason: Localized,
    },
    #[error(
        "the directory has no destination {destination_id:?} for {service:?}; update the directory"
    )]
    MissingDestination {
        destination_id: String,
        service: Service,
    },
    #[error(
        "destination {destination_id:?} has no age recipient valid on {date}; update the directory"
    )]
    NoValidRecipient {
        destination_id: String,
        date: jiff::civil::Date,
    },
    #[error("the embedded routing data is broken ({0}); this is a defect of the build")]
    Data(String),
}

impl crate::Explained for RoutingError {
    /// The text the family sees; its English is the `Display` of the logs.
    fn message(&self) -> Localized {
        let debug = |s: &str| Value::text(&format!("{s:?}"));
        match self {
            RoutingError::MalformedPostcode(p) => {
                Localized::new(&messages::MALFORMED_POSTCODE, [("postcode", debug(p))])
            }
            RoutingError::UnknownPostcode { postcode, prefix } => Localized::new(
                &messages::UNKNOWN_POSTCODE,
                [
                    ("postcode", debug(postcode)),
                    ("prefix", Value::text(prefix)),
                ],
            ),
            RoutingError::AnswerDoesNotFit {
                field,
                value,
                reason,
            } => Localized::new(
                &messages::ANSWER_DOES_NOT_FIT,
                [
                    ("value", debug(value)),
                    ("field", Value::text(field.as_str())),
                    ("reason", Value::Localized(Box::new(reason.clone()))),
                ],
            ),
            RoutingError::MissingDestination {
                destination_id,
                service,
            } => Localized::new(
                &messages::MISSING_DESTINATION,
                [
                    ("destination_id", debug(destination_id)),
                    ("service", Value::text(&format!("{service:?}"))),
                ],
            ),
            RoutingError::NoValidRecipient {
                destination_id,
                date,
            } => Localized::new(
                &messages::NO_VALID_RECIPIENT,
                [
                    ("destination_id", debug(destination_id)),
                    ("date", Value::text(&date.to_string())),
                ],
            ),
            RoutingError::Data(detail) => {
                Localized::new(&messages::BROKEN_DATA, [("detail", Value::text(detail))])
            }
        }
    }
}

/// A postcode as written: five digits.
fn postcode(code: u32) -> Value {
    Value::text(&format!("{code:05}"))
}

/// Land names joined with `, `.
fn land_names(lands: &[Land]) -> Value {
    Value::text(
        &lands
            .iter()
            .map(|l| l.name())
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// The Familienkasse destination: the BA routes internally (ROUTING.md § 2).
pub const FAMILIENKASSE_DESTINATION: &str = "fk-ba";

/// The Standesamt destination of a Land in the development directory: a placeholder until a
/// Gemeinde → Standesamt table exists (ROUTING.md § 3).
pub fn standesamt_destination(land: Land) -> String {
    format!("sta-{}-placeholder", land.code())
}

/// A destination the router may ask the directory for (`cargo xtask directory-dev` makes one
/// entry per spec; a test checks the shipped directory covers them all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestinationSpec {
    pub destination_id: String,
    pub service: Service,
    pub name: String,
    /// `true` when the name is an office ROUTING.md names.
    pub name_real: bool,
    pub regions: Vec<String>,
    /// The consented data exchanges the office takes part in.
    pub data_exchanges: Vec<ConsentKind>,
}

/// Every destination routing can resolve to: the Elterngeld offices, the Familienkasse, and
/// one Standesamt placeholder per Land.
pub fn required_destinations() -> Result<Vec<DestinationSpec>, RoutingError> {
    let mut specs: Vec<DestinationSpec> = elterngeld_offices()?
        .iter()
        .map(|o| DestinationSpec {
            destination_id: o.destination_id.clone(),
            service: Service::Elterngeldstelle,
            name: o.name.clone(),
            name_real: o.name_real,
            regions: o.regions.clone(),
            data_exchanges: o.data_exchanges.clone(),
        })
        .collect();
    specs.push(DestinationSpec {
        destination_id: FAMILIENKASSE_DESTINATION.into(),
        service: Service::Familienkasse,
        name: "Bundesagentur für Arbeit, Familienkasse".into(),
        name_real: true,
        regions: Land::ALL.iter().map(|l| l.code().to_owned()).collect(),
        data_exchanges: Vec::new(),
    });
    for land in Land::ALL {
        specs.push(DestinationSpec {
            destination_id: standesamt_destination(land),
            service: Service::Standesamt,
            name: format!("Standesamt (Platzhalter für {})", land.name()),
            name_real: false,
            regions: vec![land.code().to_owned()],
            data_exchanges: Vec::new(),
        });
    }
    Ok(specs)
}

/// The Länder a postcode lies in per the table (empty if unknown, several at Land borders).
pub fn lands_for_postcode(postal_code: &str) -> Result<Vec<Land>, RoutingError> {
    let code = tables::parse_postcode(postal_code)
        .ok_or_else(|| RoutingError::MalformedPostcode(postal_code.to_owned()))?;
    Ok(tables()?.lands(code))
}

/// The one Land a postcode lies in: by the table, or for a postcode missing from it by its
/// three leading digits where all their postcodes lie in one Land. `None` at Land borders
/// and for a postcode that does not exist.
pub fn land_of_postcode(postal_code: &str) -> Result<Option<Land>, RoutingError> {
    let code = tables::parse_postcode(postal_code)
        .ok_or_else(|| RoutingError::MalformedPostcode(postal_code.to_owned()))?;
    let t = tables()?;
    let lands = t.lands(code);
    Ok(match lands.as_slice() {
        [land] => Some(*land),
        [] => match t.lands_near(code) {
            (prefix, near) if prefix.len() == 3 && near.len() == 1 => near.first().copied(),
            _ => None,
        },
        _ => None,
    })
}

/// The kreisfreie Stadt a postcode lies wholly in, where the table says so (see
/// [`route`]); the app may show it instead of asking for the Kreis.
pub fn city_of_postcode(postal_code: &str, land: Land) -> Result<Option<Kreis>, RoutingError> {
    let code = tables::parse_postcode(postal_code)
        .ok_or_else(|| RoutingError::MalformedPostcode(postal_code.to_owned()))?;
    Ok(tables()?.city_of_postcode(code, land).copied())
}

/// The locality names the table has for a postcode in a Land.
pub fn localities_for_postcode(
    postal_code: &str,
    land: Land,
) -> Result<Vec<&'static str>, RoutingError> {
    let code = tables::parse_postcode(postal_code)
        .ok_or_else(|| RoutingError::MalformedPostcode(postal_code.to_owned()))?;
    Ok(tables()?
        .rows(code)
        .iter()
        .filter(|r| r.land == land)
        .map(|r| r.locality)
        .collect())
}

/// The current Kreise and kreisfreie Städte of a Land, by key.
pub fn kreise_of(land: Land) -> Result<Vec<Kreis>, RoutingError> {
    Ok(tables()?.kreise_of(land).copied().collect())
}

/// Every current Kreis (400 since 2021-07-01).
pub fn all_kreise() -> Result<&'static [Kreis], RoutingError> {
    Ok(&tables()?.kreise)
}

/// All postcodes the table places in more than one Land, with those Länder.
pub fn cross_land_postcodes() -> Result<Vec<(String, Vec<Land>)>, RoutingError> {
    let t = tables()?;
    let mut out: Vec<(String, Vec<Land>)> = Vec::new();
    let mut codes: Vec<u32> = t.postcodes.iter().map(|r| r.code).collect();
    codes.dedup();
    for code in codes {
        let lands = t.lands(code);
        if lands.len() > 1 {
            out.push((format!("{code:05}"), lands));
        }
    }
    Ok(out)
}

/// A step whose text is a message of the routing catalogue.
fn step(text: &Localized, source: impl Into<String>) -> RoutingStep {
    RoutingStep {
        text_de: text.get(Lang::De).into_owned(),
        text_en: text.get(Lang::En).into_owned(),
        source: source.into(),
    }
}

/// A step of a message without arguments.
fn fixed_step(text: &'static elternkit_model::Template, source: impl Into<String>) -> RoutingStep {
    step(&Localized::new(text, []), source)
}

/// Routes one service for one place.
///
/// - A postcode that is not five digits is an error.
/// - A postcode missing from the table (new or rare postcodes, a clinic's own postcode) is not
///   an error: the user is asked for the Land among those whose postcodes begin with the same
///   digits, since the rest of routing needs only the Land. One whose first two digits no
///   German postcode has does not exist: [`RoutingError::UnknownPostcode`].
/// - An answer already in `place` that contradicts the data (a Land the postcode is not in, a
///   Kreis of another Land or of a kreisfreie Stadt the postcode is not in, an unknown area)
///   is [`RoutingError::AnswerDoesNotFit`].
/// - The office's destination fields come from `directory`; a missing destination is an error.
pub fn route(
    service: Service,
    place: &Place,
    directory: &Directory,
) -> Result<Routing, RoutingError> {
    let postcode = place.postal_code.trim();
    let code = tables::parse_postcode(postcode)
        .ok_or_else(|| RoutingError::MalformedPostcode(place.postal_code.clone()))?;
    let mut why = Vec::new();

    if service == Service::Familienkasse {
        why.push(fixed_step(
            &messages::FAMILIENKASSE_BA,
            "ROUTING.md § 2; § 72 EStG",
        ));
        // Which regional Familienkasse the address belongs to, for a paper application;
        // the online application needs neither Land nor Kreis, so neither is asked for.
        let t = tables()?;
        let lands = match place.land {
            Some(land) => vec![land],
            None => t.lands(code),
        };
        if let [land] = lands.as_slice() {
            // The Kreis answer where it fits the postcode (a misfit is the Elterngeld
            // route's error), else a kreisfreie Stadt the postcode lies wholly in.
            let kreis = match &place.kreis {
                Some(key) => t
                    .kreis(key)
                    .filter(|k| k.land == *land && kreis_fits_postcode(t, k, *land, code).is_ok()),
                None => t.city_of_postcode(code, *land),
            };
            why.push(regional_step(*land, kreis)?);
        }
        let office = office(directory, FAMILIENKASSE_DESTINATION, service, None)?;
        return Ok(Routing::Resolved { office, why });
    }

    let land = match resolve_land(service, code, place, &mut why)? {
        Ok(land) => land,
        Err(question) => return Ok(Routing::Ask { question, why }),
    };
    let t = tables()?;
    if let Some(key) = &place.kreis {
        let kreis = elterngeld::checked_kreis(t, land, key)?;
        kreis_fits_postcode(t, kreis, land, code)?;
    }

    match service {
        Service::Elterngeldstelle => match elterngeld::route(land, place, code, &mut why)? {
            elterngeld::Outcome::Office(o) => {
                if !o.name_real {
                    why.push(fixed_step(
                        &messages::OFFICE_NAME_PLACEHOLDER,
                        "core/data/elterngeld.toml",
                    ));
                }
                let office = office(directory, &o.destination_id, service, None)?;
                Ok(Routing::Resolved { office, why })
            }
            elterngeld::Outcome::Ask(question) => Ok(Routing::Ask { question, why }),
        },
        Service::Standesamt => match standesamt(land, place, code, &mut why)? {
            Ok(gemeinde) => {
                let id = standesamt_destination(land);
                let office = office(
                    directory,
                    &id,
                    service,
                    Some(format!("Standesamt {gemeinde}")),
                )?;
                Ok(Routing::Resolved { office, why })
            }
            Err(question) => Ok(Routing::Ask { question, why }),
        },
        Service::Familienkasse => unreachable_familienkasse(),
    }
}

/// The step naming the regional Familienkasse for a paper application, with its postal
/// address where known, or the candidates where the data cannot tell.
fn regional_step(land: Land, kreis: Option<&Kreis>) -> Result<RoutingStep, RoutingError> {
    const BASE: &str = "§ 67 S. 1 EStG (written application to the competent Familienkasse); core/data/familienkasse.toml";
    let paper = |r: &RegionalFamilienkasse| {
        let text = match &r.postal_address {
            Some(address) => Localized::new(
                &messages::FAMILIENKASSE_PAPER_TO,
                [
                    ("regional", Value::text(&r.name)),
                    ("address", Value::text(address)),
                ],
            ),
            None => Localized::new(&messages::FAMILIENKASSE_PAPER_NO_ADDRESS, []),
        };
        Value::Localized(Box::new(text))
    };
    let sources = |r: &RegionalFamilienkasse| {
        let mut s = format!("{BASE}; {}", r.source);
        if let Some(a) = &r.address_source {
            s.push_str("; address: ");
            s.push_str(a);
        }
        s
    };
    Ok(match regional_for(land, kreis)? {
        RegionalOutcome::OfLand(r) => step(
            &Localized::new(
                &messages::FAMILIENKASSE_REGIONAL,
                [
                    ("land", Value::text(land.name())),
                    ("regional", Value::text(&r.name)),
                    ("paper", paper(r)),
                ],
            ),
            sources(r),
        ),
        RegionalOutcome::OfKreis {
            regional,
            kreis,
            assignment,
        } => step(
            &Localized::new(
                &messages::FAMILIENKASSE_REGIONAL_KREIS,
                [
                    ("land", Value::text(land.name())),
                    ("kreis", Value::text(&kreis.label())),
                    ("regional", Value::text(&regional.name)),
                    (
                        "basis",
                        Value::Phrase(match assignment.basis {
                            Basis::Named => &messages::FAMILIENKASSE_BASIS_NAMED,
                            Basis::Site => &messages::FAMILIENKASSE_BASIS_SITE,
                        }),
                    ),
                    ("paper", paper(regional)),
                ],
            ),
            format!("{}; {}", sources(regional), assignment.source),
        ),
        RegionalOutcome::Candidates { candidates, kreis } => {
            let named: Vec<String> = candidates
                .iter()
                .map(|r| match &r.postal_address {
                    Some(a) => format!("{} ({a})", r.name),
                    None => r.name.clone(),
                })
                .collect();
            let place = match &kreis {
                Some(k) => Value::text(&k.label()),
                None => Value::Phrase(&messages::FAMILIENKASSE_YOUR_ADDRESS),
            };
            let source = candidates
                .iter()
                .filter_map(|r| r.address_source.as_deref())
                .fold(BASE.to_owned(), |mut s, a| {
                    s.push_str("; address: ");
                    s.push_str(a);
                    s
                });
            step(
                &Localized::new(
                    &messages::FAMILIENKASSE_REGIONAL_CANDIDATES,
                    [
                        ("land", Value::text(land.name())),
                        ("candidates", Value::text(&named.join(" / "))),
                        ("place", place),
                    ],
                ),
                source,
            )
        }
    })
}

/// Familienkasse returns before the Land is needed; kept as an error, not a panic.
fn unreachable_familienkasse() -> Result<Routing, RoutingError> {
    Err(RoutingError::Data(
        "Familienkasse routed past its early return".into(),
    ))
}

/// A Kreis answer checked against the postcode, as far as the tables can tell: a postcode
/// wholly inside one kreisfreie Stadt belongs to no other Kreis, and a kreisfreie Stadt has
/// no postcode outside the leading digits of its own. (Which Landkreis a rural postcode
/// lies in the tables cannot tell; that answer stands as given.)
fn kreis_fits_postcode(
    t: &tables::Tables,
    kreis: &Kreis,
    land: Land,
    code: u32,
) -> Result<(), RoutingError> {
    let does_not_fit = |reason| RoutingError::AnswerDoesNotFit {
        field: QuestionField::Kreis,
        value: kreis.key.to_owned(),
        reason,
    };
    if let Some(city) = t.city_of_postcode(code, land)
        && city.key != kreis.key
    {
        return Err(does_not_fit(Localized::new(
            &messages::POSTCODE_WHOLLY_IN_CITY,
            [
                ("postcode", postcode(code)),
                ("city", Value::text(&city.label())),
            ],
        )));
    }
    if kreis.is_city() && !t.rows(code).is_empty() {
        let prefix = code / 100;
        let own = t.city_postcodes(kreis);
        let named = t
            .rows(code)
            .iter()
            .any(|r| r.land == land && match_rank(kreis.short_name(), r.locality) <= 1);
        if !named && !own.is_empty() && !own.iter().any(|c| c / 100 == prefix) {
            return Err(does_not_fit(Localized::new(
                &messages::CITY_HAS_NO_SUCH_POSTCODE,
                [
                    ("kreis", Value::text(&kreis.label())),
                    ("prefix", Value::text(&format!("{prefix:03}"))),
                ],
            )));
        }
    }
    Ok(())
}

/// `Ok(Ok(land))`, or `Ok(Err(question))` when the user must pick the Land. The question
/// asks for the birth place's Land for the Standesamt, else for the address's.
fn resolve_land(
    service: Service,
    code: u32,
    place: &Place,
    why: &mut Vec<RoutingStep>,
) -> Result<Result<Land, Question>, RoutingError> {
    let t = tables()?;
    let lands = t.lands(code);
    let source = "core/data/postcodes.tsv (countrystatecity-postal-codes, ODbL)";
    let birth = service == Service::Standesamt;
    // Unknown postcode: the Länder its leading digits lie in; none, it does not exist.
    let near = if lands.is_empty() {
        let (prefix, near) = t.lands_near(code);
        if near.is_empty() {
            return Err(RoutingError::UnknownPostcode {
                postcode: place.postal_code.trim().to_owned(),
                prefix,
            });
        }
        Some((prefix, near))
    } else {
        None
    };
    if let Some(land) = place.land {
        if let Some((prefix, near)) = &near {
            if !near.contains(&land) {
                return Err(RoutingError::AnswerDoesNotFit {
                    field: QuestionField::Land,
                    value: land.code().to_owned(),
                    reason: Localized::new(
                        &messages::POSTCODE_AREA_IN,
                        [("prefix", Value::text(prefix)), ("lands", land_names(near))],
                    ),
                });
            }
            why.push(step(
                &Localized::new(
                    &messages::POSTCODE_UNKNOWN_LAND_ANSWERED,
                    [
                        ("postcode", postcode(code)),
                        ("land", Value::text(land.name())),
                    ],
                ),
                source,
            ));
            return Ok(Ok(land));
        }
        if !lands.contains(&land) {
            return Err(RoutingError::AnswerDoesNotFit {
                field: QuestionField::Land,
                value: land.code().to_owned(),
                reason: Localized::new(
                    &messages::POSTCODE_LIES_IN,
                    [("postcode", postcode(code)), ("lands", land_names(&lands))],
                ),
            });
        }
        why.push(step(
            &Localized::new(
                &messages::POSTCODE_LAND_ANSWERED,
                [
                    ("postcode", postcode(code)),
                    ("land", Value::text(land.name())),
                ],
            ),
            source,
        ));
        return Ok(Ok(land));
    }
    match lands.as_slice() {
        [land] => {
            why.push(step(
                &Localized::new(
                    &messages::POSTCODE_IN_LAND,
                    [
                        ("postcode", postcode(code)),
                        ("land", Value::text(land.name())),
                    ],
                ),
                source,
            ));
            Ok(Ok(*land))
        }
        [] => {
            let (prefix, near) = near.unwrap_or_default();
            // Postcodes with the same three leading digits all in one Land: a postcode of
            // that zone lies there too (zones follow the map), so nothing needs asking.
            if let ([land], 3) = (near.as_slice(), prefix.len()) {
                why.push(step(
                    &Localized::new(
                        &messages::POSTCODE_UNKNOWN_ZONE_IN_LAND,
                        [
                            ("postcode", postcode(code)),
                            ("prefix", Value::text(&prefix)),
                            ("land", Value::text(land.name())),
                        ],
                    ),
                    source,
                ));
                return Ok(Ok(*land));
            }
            why.push(step(
                &Localized::new(
                    &messages::POSTCODE_UNKNOWN_AREA_IN,
                    [
                        ("postcode", postcode(code)),
                        ("prefix", Value::text(&prefix)),
                        ("lands", land_names(&near)),
                    ],
                ),
                source,
            ));
            let question = if birth {
                &messages::QUESTION_BIRTH_LAND
            } else {
                &messages::QUESTION_LAND
            };
            Ok(Err(Question::new(
                QuestionField::Land,
                &Localized::new(question, []),
                near.iter()
                    .map(|l| QuestionOption {
                        value: l.code().to_owned(),
                        label: l.name().to_owned(),
                    })
                    .collect(),
            )))
        }
        several => {
            why.push(step(
                &Localized::new(
                    &messages::POSTCODE_IN_SEVERAL_LANDS,
                    [("postcode", postcode(code)), ("lands", land_names(several))],
                ),
                source,
            ));
            let mut options: Vec<(u8, QuestionOption)> = several
                .iter()
                .map(|land| {
                    let localities: Vec<&str> = t
                        .rows(code)
                        .iter()
                        .filter(|r| r.land == *land)
                        .map(|r| r.locality)
                        .collect();
                    let rank = place.locality.as_deref().map_or(2, |typed| {
                        localities
                            .iter()
                            .map(|l| match_rank(l, typed))
                            .min()
                            .unwrap_or(2)
                    });
                    let label = format!("{} ({})", land.name(), localities.join(", "));
                    (
                        rank,
                        QuestionOption {
                            value: land.code().to_owned(),
                            label,
                        },
                    )
                })
                .collect();
            options.sort_by_key(|(rank, _)| *rank);
            let question = if birth {
                &messages::QUESTION_BIRTH_LAND_OF_SEVERAL
            } else {
                &messages::QUESTION_LAND_OF_SEVERAL
            };
            Ok(Err(Question::new(
                QuestionField::Land,
                &Localized::new(question, []),
                options.into_iter().map(|(_, o)| o).collect(),
            )))
        }
    }
}

/// The birth Gemeinde (or Berlin/Hamburg Bezirk), or the question for it.
fn standesamt(
    land: Land,
    place: &Place,
    code: u32,
    why: &mut Vec<RoutingStep>,
) -> Result<Result<String, Question>, RoutingError> {
    why.push(fixed_step(
        &messages::STANDESAMT_OF_BIRTH_PLACE,
        "ROUTING.md § 3; §§ 18–20 PStG",
    ));
    let placeholder = fixed_step(&messages::STANDESAMT_PLACEHOLDER, "ROUTING.md § 3");
    // Berlin and Hamburg are one Gemeinde each, with a Standesamt per Bezirk.
    if matches!(land, Land::Berlin | Land::Hamburg) {
        let bezirke: Vec<(String, String)> = elterngeld_offices()?
            .iter()
            .filter(|o| o.land == land)
            .filter_map(|o| o.area.as_ref().map(|(v, de, _)| (v.clone(), de.clone())))
            .collect();
        if let Some(area) = &place.area {
            let Some((_, label)) = bezirke.iter().find(|(v, _)| v == area) else {
                return Err(RoutingError::AnswerDoesNotFit {
                    field: QuestionField::Area,
                    value: area.clone(),
                    reason: Localized::new(
                        &messages::NOT_A_BEZIRK,
                        [("land", Value::text(land.name()))],
                    ),
                });
            };
            why.push(placeholder);
            return Ok(Ok(format!("{land}, {label}")));
        }
        why.push(step(
            &Localized::new(
                &messages::STANDESAMT_PER_BEZIRK,
                [("land", Value::text(land.name()))],
            ),
            "ROUTING.md § 4 (Bezirke are not in AGS); one Standesamt per Bezirk: general knowledge, not in ROUTING.md",
        ));
        let mut options: Vec<(u8, usize, QuestionOption)> = bezirke
            .into_iter()
            .enumerate()
            .map(|(i, (value, label))| {
                let rank = place
                    .locality
                    .as_deref()
                    .map_or(2, |t| match_rank(&label, t));
                (rank, i, QuestionOption { value, label })
            })
            .collect();
        options.sort_by_key(|(rank, i, _)| (*rank, *i));
        return Ok(Err(Question::new(
            QuestionField::Area,
            &Localized::new(&messages::QUESTION_BIRTH_BEZIRK, []),
            options.into_iter().map(|(_, _, o)| o).collect(),
        )));
    }
    let t = tables()?;
    let localities: Vec<&str> = t
        .rows(code)
        .iter()
        .filter(|r| r.land == land)
        .map(|r| r.locality)
        .collect();
    let answer = place
        .area
        .as_deref()
        .or(place.locality.as_deref())
        .map(str::trim)
        .filter(|a| !a.is_empty());
    if let Some(answer) = answer {
        // Known postcode: the Gemeinde must be one of its localities. Unknown postcode: as given.
        match localities.iter().find(|l| fold(l) == fold(answer)) {
            Some(l) => {
                why.push(step(
                    &Localized::new(
                        &messages::BIRTH_PLACE_OF_POSTCODE,
                        [("locality", Value::text(l)), ("postcode", postcode(code))],
                    ),
                    "core/data/postcodes.tsv",
                ));
                let gemeinde = bremen_district(land, l, code, why).unwrap_or(l);
                why.push(placeholder);
                return Ok(Ok(gemeinde.to_owned()));
            }
            None if localities.is_empty() => {
                why.push(step(
                    &Localized::new(
                        &messages::BIRTH_PLACE_AS_GIVEN,
                        [("answer", Value::text(answer))],
                    ),
                    "core/data/postcodes.tsv",
                ));
                why.push(placeholder);
                return Ok(Ok(answer.to_owned()));
            }
            None if place.area.is_some() => {
                return Err(RoutingError::AnswerDoesNotFit {
                    field: QuestionField::Area,
                    value: answer.to_owned(),
                    reason: Localized::new(
                        &messages::POSTCODE_NAMES,
                        [
                            ("postcode", postcode(code)),
                            ("localities", Value::text(&localities.join(", "))),
                            ("land", Value::text(land.name())),
                        ],
                    ),
                });
            }
            // A typed locality that is not in the table is only a hint: ask.
            None => {}
        }
    }
    if localities.is_empty() {
        why.push(step(
            &Localized::new(
                &messages::POSTCODE_UNKNOWN_ENTER_GEMEINDE,
                [("postcode", postcode(code))],
            ),
            "core/data/postcodes.tsv",
        ));
    } else {
        why.push(step(
            &Localized::new(&messages::CHOOSE_GEMEINDE, [("postcode", postcode(code))]),
            "core/data/postcodes.tsv",
        ));
    }
    let mut options: Vec<(u8, QuestionOption)> = localities
        .iter()
        .map(|l| {
            let rank = place.locality.as_deref().map_or(2, |t| match_rank(l, t));
            (
                rank,
                QuestionOption {
                    value: (*l).to_owned(),
                    label: (*l).to_owned(),
                },
            )
        })
        .collect();
    options.sort_by_key(|(rank, _)| *rank);
    Ok(Err(Question::new(
        QuestionField::Area,
        &Localized::new(&messages::QUESTION_BIRTH_GEMEINDE, []),
        options.into_iter().map(|(_, o)| o).collect(),
    )))
}

/// Postcodes of the Stadtbezirk Bremen-Nord (Ortsteile of Burglesum 28717, 28719; Vegesack
/// 28755, 28757, 28759; Blumenthal 28777, 28779), whose births the Standesamt Bremen-Nord
/// registers; the rest of the city belongs to Bremen-Mitte. The BremAGPStG keeps the
/// Standesamtsbezirke Bremen-Mitte, Bremen-Nord and Bremerhaven as they were on 2009-01-01.
const BREMEN_NORD_POSTCODES: [u32; 7] = [28717, 28719, 28755, 28757, 28759, 28777, 28779];

/// The Standesamtsbezirk within the city of Bremen, which has two Standesämter.
fn bremen_district(
    land: Land,
    gemeinde: &str,
    code: u32,
    why: &mut Vec<RoutingStep>,
) -> Option<&'static str> {
    if land != Land::Bremen || fold(gemeinde) != "bremen" {
        return None;
    }
    let district = if BREMEN_NORD_POSTCODES.contains(&code) {
        "Bremen-Nord"
    } else {
        "Bremen-Mitte"
    };
    why.push(step(
        &Localized::new(
            &messages::STANDESAMT_BREMEN_DISTRICT,
            [
                ("postcode", postcode(code)),
                ("district", Value::text(district)),
            ],
        ),
        "BremAGPStG (Standesamtsbezirke Bremen-Mitte, Bremen-Nord, Bremerhaven); service.bremen.de, Standesamt Bremen-Mitte / Bremen-Nord",
    ));
    Some(district)
}

/// The [`Office`] for a destination, from the directory.
fn office(
    directory: &Directory,
    destination_id: &str,
    service: Service,
    name: Option<String>,
) -> Result<Office, RoutingError> {
    let dest = directory
        .destination(destination_id)
        .filter(|d| d.serves(service))
        .ok_or_else(|| RoutingError::MissingDestination {
            destination_id: destination_id.to_owned(),
            service,
        })?;
    let recipient = dest
        .age_recipient_on(directory.checked_on())
        .ok_or_else(|| RoutingError::NoValidRecipient {
            destination_id: destination_id.to_owned(),
            date: directory.checked_on(),
        })?;
    // A constructed name (Standesamt of a Gemeinde) is never a verified directory entry.
    let verified = !dest.placeholder && !directory.is_development() && name.is_none();
    Ok(Office {
        destination_id: dest.destination_id.clone(),
        name: name.unwrap_or_else(|| dest.name.clone()),
        address: dest.address.clone(),
        endpoint: dest.endpoint.clone(),
        age_recipient: recipient.recipient.clone(),
        age_kid: recipient.kid.clone(),
        verified,
        data_exchanges: dest.data_exchanges.clone(),
    })
}
