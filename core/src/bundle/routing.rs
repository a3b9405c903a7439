//! Routing: from the family's address (and the birth place) to the competent office of each
//! service. The app never guesses: where the data cannot decide (a postcode in two Länder, a
//! Land that organises Elterngeld by Kreis or Bezirk), the answer is a question with options.
//!
//! Data: `core/data/` (derived by `cargo xtask routing-data`, with attribution and licence),
//! the offices from the signed FSP/1 directory (`../shared/domain/SUBMISSION.md` § 6.1).

use serde::{Deserialize, Serialize};

/// A German Land, by its two-digit AGS/ARS prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Land {
    #[serde(rename = "01")]
    SchleswigHolstein,
    #[serde(rename = "02")]
    Hamburg,
    #[serde(rename = "03")]
    Niedersachsen,
    #[serde(rename = "04")]
    Bremen,
    #[serde(rename = "05")]
    NordrheinWestfalen,
    #[serde(rename = "06")]
    Hessen,
    #[serde(rename = "07")]
    RheinlandPfalz,
    #[serde(rename = "08")]
    BadenWuerttemberg,
    #[serde(rename = "09")]
    Bayern,
    #[serde(rename = "10")]
    Saarland,
    #[serde(rename = "11")]
    Berlin,
    #[serde(rename = "12")]
    Brandenburg,
    #[serde(rename = "13")]
    MecklenburgVorpommern,
    #[serde(rename = "14")]
    Sachsen,
    #[serde(rename = "15")]
    SachsenAnhalt,
    #[serde(rename = "16")]
    Thueringen,
}

/// The three services of the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Birth registration and name determination: the Standesamt of the birth place.
    Standesamt,
    /// Kindergeld: the Familienkasse (BA, or a § 72 EStG employer Familienkasse).
    Familienkasse,
    /// Elterngeld: the Elterngeldstelle of the residence (§ 12 BEEG, organised by each Land).
    Elterngeldstelle,
}

/// What the app knows of the place. Every field but the postcode is an answer to an earlier
/// [`Question`]; the app fills them in and routes again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// Five-digit German postcode.
    pub postal_code: String,
    /// Locality as typed by the user; used to pre-sort options, never to decide silently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// The Land, when the postcode spans several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub land: Option<Land>,
    /// Five-digit Kreis key (AGS prefix), when the Land routes by Kreis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kreis: Option<String>,
    /// A finer area the Land routes by (Berlin/Hamburg Bezirk, a Gemeinde with its own office).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
}

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
    /// Which [`Place`] field the answer fills: `land`, `kreis` or `area`.
    pub field: String,
    pub text_de: String,
    pub text_en: String,
    /// Options, best match for the typed locality first.
    pub options: Vec<QuestionOption>,
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
}
