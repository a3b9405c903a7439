//! The regional Familienkassen of the Bundesagentur für Arbeit: which one a paper application
//! goes to (§ 67 S. 1 EStG), from `core/data/familienkasse.toml`. The online application
//! needs none of this; the BA routes it itself, so the destination stays the BA.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::tables::{Kreis, tables};
use super::{Land, RoutingError};

/// `core/data/familienkasse.toml` as JSON, converted by build.rs.
const MODEL_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/familienkasse.json"));
const MODEL_FILE: &str = "core/data/familienkasse.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    regional: Vec<RegionalEntry>,
    #[serde(default)]
    assignment: Vec<AssignmentEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionalEntry {
    id: String,
    name: String,
    lands: Vec<Land>,
    postal_address: Option<String>,
    address_source: Option<String>,
    source: String,
    #[serde(default)]
    sites: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignmentEntry {
    regional: String,
    basis: Basis,
    kreise: Vec<String>,
    source: String,
}

/// Why a Kreis is taken to belong to a regional Familienkasse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A page for a place in the Kreis names it (or one of its sites) for that place.
    Named,
    /// The Kreis holds one of its own local sites; an inference, and the route says so.
    Site,
}

/// One of the 14 regional Familienkassen of the BA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionalFamilienkasse {
    pub id: String,
    pub name: String,
    pub lands: Vec<Land>,
    /// PLZ and city of its postal address, where a cited page gives one.
    pub postal_address: Option<String>,
    pub address_source: Option<String>,
    pub source: String,
    /// Its local sites (third-party list), explaining the `site` assignments.
    pub sites: Vec<String>,
}

/// The Kreis → regional Familienkasse assignment where a Land has several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Index into the regional list.
    regional: usize,
    pub basis: Basis,
    pub source: String,
}

#[derive(Debug)]
struct Model {
    regionals: Vec<RegionalFamilienkasse>,
    /// By Kreis key.
    assignments: BTreeMap<String, Assignment>,
}

static MODEL: LazyLock<Result<Model, String>> = LazyLock::new(load);

fn model() -> Result<&'static Model, RoutingError> {
    MODEL.as_ref().map_err(|e| RoutingError::Data(e.clone()))
}

fn load() -> Result<Model, String> {
    let file: ModelFile =
        serde_json::from_str(MODEL_JSON).map_err(|e| format!("{MODEL_FILE}: {e}"))?;
    checked(file)
}

/// The model from `familienkasse.toml`, checked against the Kreis table.
fn checked(file: ModelFile) -> Result<Model, String> {
    let t = tables().map_err(|e| e.to_string())?;
    let regionals: Vec<RegionalFamilienkasse> = file
        .regional
        .into_iter()
        .map(|r| RegionalFamilienkasse {
            id: r.id,
            name: r.name,
            lands: r.lands,
            postal_address: r.postal_address,
            address_source: r.address_source,
            source: r.source,
            sites: r.sites,
        })
        .collect();
    for r in &regionals {
        if r.postal_address.is_some() != r.address_source.is_some() {
            return Err(format!(
                "{MODEL_FILE}: {} needs postal_address and address_source together",
                r.id
            ));
        }
    }
    for land in Land::all() {
        if !regionals.iter().any(|r| r.lands.contains(land)) {
            return Err(format!(
                "{MODEL_FILE}: no regional Familienkasse for {}",
                land.code()
            ));
        }
    }
    let mut assignments = BTreeMap::new();
    for a in file.assignment {
        let index = regionals
            .iter()
            .position(|r| r.id == a.regional)
            .ok_or_else(|| format!("{MODEL_FILE}: no [[regional]] {}", a.regional))?;
        for key in &a.kreise {
            let kreis = t
                .kreis(key)
                .ok_or_else(|| format!("{MODEL_FILE}: {key} is not a current Kreis"))?;
            // Only where the Land has several is there anything to assign.
            let shared = regionals
                .iter()
                .filter(|r| r.lands.contains(&kreis.land))
                .count();
            if !regionals[index].lands.contains(&kreis.land) || shared < 2 {
                return Err(format!(
                    "{MODEL_FILE}: Kreis {key} assigned to {}, which is not one of several in its Land",
                    a.regional
                ));
            }
            let assignment = Assignment {
                regional: index,
                basis: a.basis,
                source: a.source.clone(),
            };
            if assignments.insert(key.clone(), assignment).is_some() {
                return Err(format!("{MODEL_FILE}: Kreis {key} assigned twice"));
            }
        }
    }
    Ok(Model {
        regionals,
        assignments,
    })
}

/// Every regional Familienkasse.
pub fn regional_familienkassen() -> Result<&'static [RegionalFamilienkasse], RoutingError> {
    Ok(&model()?.regionals)
}

/// The regional Familienkassen serving a Land: one, or the several among which the Agentur
/// district decides (Baden-Württemberg, Bayern, Nordrhein-Westfalen).
pub fn regional_familienkassen_of(
    land: Land,
) -> Result<Vec<&'static RegionalFamilienkasse>, RoutingError> {
    Ok(model()?
        .regionals
        .iter()
        .filter(|r| r.lands.contains(&land))
        .collect())
}

/// What the data says about the regional Familienkasse of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionalOutcome {
    /// The Land has one.
    OfLand(&'static RegionalFamilienkasse),
    /// The Land has several; this Kreis is assigned to one.
    OfKreis {
        regional: &'static RegionalFamilienkasse,
        kreis: Kreis,
        assignment: &'static Assignment,
    },
    /// The Land has several and the Kreis (if known) is not confirmed: the candidates.
    Candidates {
        candidates: Vec<&'static RegionalFamilienkasse>,
        kreis: Option<Kreis>,
    },
}

/// The regional Familienkasse for an address in `land`, in `kreis` where it is known.
pub fn regional_for(land: Land, kreis: Option<&Kreis>) -> Result<RegionalOutcome, RoutingError> {
    let m = model()?;
    let candidates = regional_familienkassen_of(land)?;
    if let [one] = candidates.as_slice() {
        return Ok(RegionalOutcome::OfLand(one));
    }
    let assigned = kreis.and_then(|k| m.assignments.get(k.key).map(|a| (k, a)));
    Ok(match assigned {
        Some((k, a)) => RegionalOutcome::OfKreis {
            regional: &m.regionals[a.regional],
            kreis: *k,
            assignment: a,
        },
        None => RegionalOutcome::Candidates {
            candidates,
            kreis: kreis.copied(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_loads_and_every_split_land_has_several() {
        let all = regional_familienkassen().expect("model");
        assert_eq!(all.len(), 14, "ROUTING.md § 2 counts 14");
        for land in [
            Land::BadenWuerttemberg,
            Land::Bayern,
            Land::NordrheinWestfalen,
        ] {
            assert!(regional_familienkassen_of(land).expect("model").len() >= 2);
        }
        for land in Land::all() {
            assert!(!regional_familienkassen_of(*land).expect("model").is_empty());
        }
    }

    /// The checks that keep a wrong edit of the data file from loading.
    #[test]
    fn a_broken_assignment_does_not_load() {
        // The source file plus one entry, read as build.rs reads it.
        let with = |assignment: &str| {
            let text = include_str!("../../../data/familienkasse.toml");
            format!("{text}\n{assignment}")
        };
        let error = |text: &str| checked(toml::from_str(text).expect("TOML")).expect_err("refused");
        // Hessen has one regional Familienkasse: nothing to assign.
        let e = error(&with(
            "[[assignment]]\nregional = \"hessen\"\nbasis = \"named\"\nkreise = [\"06411\"]\nsource = \"x\"",
        ));
        assert!(e.contains("not one of several"), "{e}");
        // A Bayern Kreis given to NRW.
        let e = error(&with(
            "[[assignment]]\nregional = \"nrw-west\"\nbasis = \"named\"\nkreise = [\"09663\"]\nsource = \"x\"",
        ));
        assert!(e.contains("not one of several"), "{e}");
        // Köln is already a site of NRW West.
        let e = error(&with(
            "[[assignment]]\nregional = \"nrw-nord\"\nbasis = \"named\"\nkreise = [\"05315\"]\nsource = \"x\"",
        ));
        assert!(e.contains("assigned twice"), "{e}");
        let e = error(&with(
            "[[assignment]]\nregional = \"nrw-sued\"\nbasis = \"named\"\nkreise = [\"05315\"]\nsource = \"x\"",
        ));
        assert!(e.contains("no [[regional]] nrw-sued"), "{e}");
        let e = error(&with(
            "[[assignment]]\nregional = \"nrw-west\"\nbasis = \"named\"\nkreise = [\"05999\"]\nsource = \"x\"",
        ));
        assert!(e.contains("not a current Kreis"), "{e}");
    }
}
