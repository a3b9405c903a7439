//! Where a family lives and where a child was born, as the applications and the routing
//! need it: the Land, the three services of the bundle, and what the app knows of a place.
//! Contract types only; resolving a place to an office is the bundle's routing.

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
/// routing question (`elternkit_bundle::routing::Question`); the app fills them in and routes again.
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

impl Land {
    /// All 16 Länder in key order.
    pub const ALL: [Land; 16] = [
        Land::SchleswigHolstein,
        Land::Hamburg,
        Land::Niedersachsen,
        Land::Bremen,
        Land::NordrheinWestfalen,
        Land::Hessen,
        Land::RheinlandPfalz,
        Land::BadenWuerttemberg,
        Land::Bayern,
        Land::Saarland,
        Land::Berlin,
        Land::Brandenburg,
        Land::MecklenburgVorpommern,
        Land::Sachsen,
        Land::SachsenAnhalt,
        Land::Thueringen,
    ];

    pub fn all() -> &'static [Land] {
        &Self::ALL
    }

    /// The two-digit key (AGS/ARS prefix), as in the serde form.
    pub fn code(self) -> &'static str {
        self.info().0
    }

    /// The usual two-letter abbreviation (`SH`, `HH`, …).
    pub fn abbreviation(self) -> &'static str {
        self.info().1
    }

    /// The German name.
    pub fn name(self) -> &'static str {
        self.info().2
    }

    pub fn from_code(code: &str) -> Option<Land> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn from_abbreviation(abbreviation: &str) -> Option<Land> {
        Self::ALL
            .into_iter()
            .find(|l| l.abbreviation().eq_ignore_ascii_case(abbreviation))
    }

    fn info(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Land::SchleswigHolstein => ("01", "SH", "Schleswig-Holstein"),
            Land::Hamburg => ("02", "HH", "Hamburg"),
            Land::Niedersachsen => ("03", "NI", "Niedersachsen"),
            Land::Bremen => ("04", "HB", "Bremen"),
            Land::NordrheinWestfalen => ("05", "NW", "Nordrhein-Westfalen"),
            Land::Hessen => ("06", "HE", "Hessen"),
            Land::RheinlandPfalz => ("07", "RP", "Rheinland-Pfalz"),
            Land::BadenWuerttemberg => ("08", "BW", "Baden-Württemberg"),
            Land::Bayern => ("09", "BY", "Bayern"),
            Land::Saarland => ("10", "SL", "Saarland"),
            Land::Berlin => ("11", "BE", "Berlin"),
            Land::Brandenburg => ("12", "BB", "Brandenburg"),
            Land::MecklenburgVorpommern => ("13", "MV", "Mecklenburg-Vorpommern"),
            Land::Sachsen => ("14", "SN", "Sachsen"),
            Land::SachsenAnhalt => ("15", "ST", "Sachsen-Anhalt"),
            Land::Thueringen => ("16", "TH", "Thüringen"),
        }
    }
}

impl std::fmt::Display for Land {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
