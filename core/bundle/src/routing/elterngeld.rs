//! Elterngeld: which office is competent in each Land (§ 12 BEEG), from the committed model
//! `core/data/elterngeld.toml` plus one office per Kreis where a Land organises it by Kreis.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use serde::Deserialize;

use elternkit_model::application::ConsentKind;
use elternkit_model::{Localized, Template, Value};

use super::tables::{Kreis, Tables, fold, match_rank, tables};
use super::{
    Land, Place, Question, QuestionField, QuestionOption, RoutingError, RoutingStep, messages,
    postcode as postcode_value, step,
};

/// `core/data/elterngeld.toml` as JSON (`build.rs`: no TOML parser in the library).
const MODEL_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/elterngeld.json"));
const MODEL_FILE: &str = "core/data/elterngeld.toml";

/// How a Land organises Elterngeld, as far as routing needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Organisation {
    /// One office for the Land (BW, BY, SL).
    Central,
    /// One Land agency with regional offices by Kreis (SH, MV); the regional assignment
    /// is not in our sources, so the agency itself is the destination.
    LandAgency,
    /// By city (HB), decided from the postcode where its localities allow.
    City,
    /// By city district (BE, HH): always asked.
    Bezirk,
    /// By Kreis or kreisfreie Stadt, with the exceptions in the model.
    Kreis,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    land: Vec<LandEntry>,
    office: Vec<OfficeEntry>,
    #[serde(default)]
    note: Vec<NoteEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LandEntry {
    land: Land,
    mode: Organisation,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficeEntry {
    id: String,
    land: Land,
    name: String,
    name_real: bool,
    source: String,
    #[serde(default)]
    kreise: Vec<String>,
    area: Option<String>,
    area_de: Option<String>,
    area_en: Option<String>,
    #[serde(default)]
    localities: Vec<String>,
    /// The consented data exchanges the office takes part in (with the source saying so).
    #[serde(default)]
    data_exchanges: Vec<ConsentKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteEntry {
    land: Land,
    kreis: Option<String>,
    de: String,
    en: String,
    source: String,
}

/// One Elterngeld office the router can send to; the directory must have its destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElterngeldOffice {
    /// FSP/1 `destinationId`.
    pub destination_id: String,
    pub land: Land,
    pub name: String,
    /// `true` when ROUTING.md names this office; `false` for a name built from the district.
    pub name_real: bool,
    /// The ARS prefixes it serves (the Land, or its Kreise).
    pub regions: Vec<String>,
    /// The `area` answer that selects it, with its labels, where one is needed.
    pub area: Option<(String, String, String)>,
    /// Postcode localities that select it without asking (Bremen, Bremerhaven).
    pub localities: Vec<String>,
    /// The consented data exchanges it takes part in (ELFE); empty: documents stay required.
    pub data_exchanges: Vec<ConsentKind>,
    pub source: String,
}

#[derive(Debug)]
struct Model {
    lands: Vec<(Land, Organisation, String)>,
    offices: Vec<ElterngeldOffice>,
    notes: Vec<NoteEntry>,
}

static MODEL: LazyLock<Result<Model, String>> = LazyLock::new(load);

fn model() -> Result<&'static Model, RoutingError> {
    MODEL.as_ref().map_err(|e| RoutingError::Data(e.clone()))
}

fn load() -> Result<Model, String> {
    let file: ModelFile =
        serde_json::from_str(MODEL_JSON).map_err(|e| format!("{MODEL_FILE}: {e}"))?;
    let tables = tables().map_err(|e| e.to_string())?;
    let mut lands = Vec::new();
    for land in Land::all() {
        let entry = file
            .land
            .iter()
            .find(|e| e.land == *land)
            .ok_or_else(|| format!("{MODEL_FILE}: no [[land]] for {}", land.code()))?;
        lands.push((*land, entry.mode, entry.source.clone()));
    }
    let mut offices = Vec::new();
    for o in &file.office {
        for key in &o.kreise {
            match tables.kreis(key) {
                Some(k) if k.land == o.land => {}
                _ => {
                    return Err(format!(
                        "{MODEL_FILE}: office {} lists Kreis {key}, not a Kreis of its Land",
                        o.id
                    ));
                }
            }
        }
        let area = match (&o.area, &o.area_de, &o.area_en) {
            (Some(a), Some(de), Some(en)) => Some((a.clone(), de.clone(), en.clone())),
            (None, None, None) => None,
            _ => {
                return Err(format!(
                    "{MODEL_FILE}: office {} needs area, area_de and area_en together",
                    o.id
                ));
            }
        };
        let regions = if o.kreise.is_empty() {
            vec![o.land.code().to_owned()]
        } else {
            o.kreise.clone()
        };
        offices.push(ElterngeldOffice {
            destination_id: o.id.clone(),
            land: o.land,
            name: o.name.clone(),
            name_real: o.name_real,
            regions,
            area,
            localities: o.localities.clone(),
            data_exchanges: o.data_exchanges.clone(),
            source: o.source.clone(),
        });
    }
    // One generated office per Kreis the model does not list, in Kreis-organised Länder.
    let listed: BTreeSet<&str> = file
        .office
        .iter()
        .flat_map(|o| o.kreise.iter().map(String::as_str))
        .collect();
    for (land, mode, source) in &lands {
        if *mode != Organisation::Kreis {
            continue;
        }
        for k in tables.kreise_of(*land).filter(|k| !listed.contains(k.key)) {
            offices.push(ElterngeldOffice {
                destination_id: kreis_office_id(k),
                land: *land,
                name: format!("Elterngeldstelle {}", k.label()),
                name_real: false,
                regions: vec![k.key.to_owned()],
                area: None,
                localities: Vec::new(),
                data_exchanges: Vec::new(),
                source: format!("{source}; Kreis from core/data/kreise.tsv"),
            });
        }
    }
    let mut ids = BTreeSet::new();
    for o in &offices {
        if !ids.insert(o.destination_id.as_str()) {
            return Err(format!(
                "{MODEL_FILE}: destination id {} twice",
                o.destination_id
            ));
        }
    }
    for n in &file.note {
        if let Some(key) = &n.kreis
            && tables.kreis(key).is_none_or(|k| k.land != n.land)
        {
            return Err(format!(
                "{MODEL_FILE}: note names Kreis {key}, not a Kreis of its Land"
            ));
        }
    }
    Ok(Model {
        lands,
        offices,
        notes: file.note,
    })
}

fn kreis_office_id(k: &Kreis) -> String {
    format!("eg-kreis-{}", k.key)
}

/// Every Elterngeld office the router can resolve to (the dev directory has one destination
/// for each).
pub fn elterngeld_offices() -> Result<&'static [ElterngeldOffice], RoutingError> {
    Ok(&model()?.offices)
}

/// How `land` organises Elterngeld.
pub fn organisation(land: Land) -> Result<Organisation, RoutingError> {
    let m = model()?;
    m.lands
        .iter()
        .find(|(l, _, _)| *l == land)
        .map(|(_, mode, _)| *mode)
        .ok_or_else(|| RoutingError::Data(format!("no organisation for Land {}", land.code())))
}

/// The outcome of the Elterngeld part once the Land is known.
pub(super) enum Outcome {
    Office(&'static ElterngeldOffice),
    Ask(Question),
}

/// A message naming the Land.
fn naming_land(template: &'static Template, land: Land) -> Localized {
    Localized::new(template, [("land", Value::text(land.name()))])
}

pub(super) fn route(
    land: Land,
    place: &Place,
    postcode: u32,
    why: &mut Vec<RoutingStep>,
) -> Result<Outcome, RoutingError> {
    let m = model()?;
    let t = tables()?;
    let (_, mode, source) =
        m.lands.iter().find(|(l, _, _)| *l == land).ok_or_else(|| {
            RoutingError::Data(format!("no organisation for Land {}", land.code()))
        })?;
    let of_land = || m.offices.iter().filter(move |o| o.land == land);
    match mode {
        Organisation::Central | Organisation::LandAgency => {
            let office = single(of_land(), land)?;
            if *mode == Organisation::Central {
                why.push(step(
                    &Localized::new(
                        &messages::ELTERNGELD_CENTRAL,
                        [("office", Value::text(&office.name))],
                    ),
                    source.as_str(),
                ));
            } else {
                why.push(step(
                    &naming_land(&messages::ELTERNGELD_LAND_AGENCY, land),
                    source.as_str(),
                ));
            }
            Ok(Outcome::Office(office))
        }
        Organisation::City => {
            let offices: Vec<_> = of_land().collect();
            if let Some(area) = &place.area {
                let (office, answered) = by_area(&offices, area)?;
                why.push(answered);
                return Ok(Outcome::Office(office));
            }
            // The postcode decides when all its localities in this Land point to one office.
            let mut hits: Vec<&ElterngeldOffice> = Vec::new();
            let mut undecided = false;
            for row in t.rows(postcode).iter().filter(|r| r.land == land) {
                match offices
                    .iter()
                    .find(|o| o.localities.iter().any(|l| l == row.locality))
                {
                    Some(o) if !hits.contains(o) => hits.push(o),
                    Some(_) => {}
                    None => undecided = true,
                }
            }
            if let ([office], false) = (hits.as_slice(), undecided) {
                why.push(step(
                    &Localized::new(
                        &messages::ELTERNGELD_CITY_OF_POSTCODE,
                        [
                            ("postcode", postcode_value(postcode)),
                            ("localities", Value::text(&office.localities.join(", "))),
                            ("office", Value::text(&office.name)),
                        ],
                    ),
                    format!("{source}; core/data/postcodes.tsv"),
                ));
                return Ok(Outcome::Office(office));
            }
            why.push(step(
                &Localized::new(
                    &messages::POSTCODE_NOT_ENOUGH_FOR_CITY,
                    [("postcode", postcode_value(postcode))],
                ),
                "core/data/postcodes.tsv",
            ));
            Ok(Outcome::Ask(area_question(
                &offices,
                place.locality.as_deref(),
                &messages::QUESTION_CITY,
            )))
        }
        Organisation::Bezirk => {
            let offices: Vec<_> = of_land().collect();
            if let Some(area) = &place.area {
                let (office, answered) = by_area(&offices, area)?;
                why.push(answered);
                return Ok(Outcome::Office(office));
            }
            why.push(step(
                &naming_land(&messages::ELTERNGELD_BEZIRK, land),
                source.as_str(),
            ));
            Ok(Outcome::Ask(area_question(
                &offices,
                place.locality.as_deref(),
                &messages::QUESTION_BEZIRK,
            )))
        }
        Organisation::Kreis => {
            let kreis = match &place.kreis {
                Some(key) => {
                    let kreis = checked_kreis(t, land, key)?;
                    why.push(step(
                        &Localized::new(
                            &messages::KREIS_ANSWERED,
                            [
                                ("kreis", Value::text(&kreis.label())),
                                ("key", Value::text(kreis.key)),
                            ],
                        ),
                        "core/data/kreise.tsv",
                    ));
                    kreis
                }
                // A postcode wholly inside one kreisfreie Stadt needs no question.
                None => match t.city_of_postcode(postcode, land) {
                    Some(city) => {
                        why.push(step(
                            &Localized::new(
                                &messages::ELTERNGELD_CITY_FROM_POSTCODE,
                                [
                                    ("postcode", postcode_value(postcode)),
                                    ("kreis", Value::text(city.short_name())),
                                ],
                            ),
                            "core/data/postcodes.tsv; core/data/kreise.tsv",
                        ));
                        city
                    }
                    None => {
                        why.push(step(
                            &naming_land(&messages::ELTERNGELD_KREIS, land),
                            source.as_str(),
                        ));
                        return Ok(Outcome::Ask(kreis_question(t, land, place, postcode)));
                    }
                },
            };
            for note in m
                .notes
                .iter()
                .filter(|n| n.land == land && n.kreis.as_deref().is_none_or(|k| k == kreis.key))
            {
                // Notes are data of the model file, in both languages there.
                why.push(step(
                    &Localized::fixed(note.de.clone(), note.en.clone()),
                    note.source.as_str(),
                ));
            }
            let candidates: Vec<_> = of_land()
                .filter(|o| o.regions.iter().any(|r| r == kreis.key))
                .collect();
            let office = match candidates.as_slice() {
                [] => {
                    return Err(RoutingError::Data(format!(
                        "no Elterngeld office for Kreis {}",
                        kreis.key
                    )));
                }
                [one] => *one,
                several => match &place.area {
                    Some(area) => {
                        let (office, answered) = by_area(several, area)?;
                        why.push(answered);
                        office
                    }
                    // The postcode decides where all its localities name one office's
                    // Gemeinde (Region Hannover, Hansestadt Stade); otherwise ask.
                    None if let Some(office) = by_postcode(t, several, land, postcode) => {
                        why.push(step(
                            &Localized::new(
                                &messages::ELTERNGELD_GEMEINDE_OF_POSTCODE,
                                [
                                    ("postcode", postcode_value(postcode)),
                                    ("localities", Value::text(&office.localities.join(", "))),
                                    ("office", Value::text(&office.name)),
                                ],
                            ),
                            format!("{}; core/data/postcodes.tsv", office.source),
                        ));
                        office
                    }
                    None => {
                        why.push(step(
                            &Localized::new(
                                &messages::SEVERAL_OFFICES_IN_KREIS,
                                [("kreis", Value::text(&kreis.label()))],
                            ),
                            several[0].source.as_str(),
                        ));
                        return Ok(Outcome::Ask(area_question(
                            several,
                            place.locality.as_deref(),
                            &messages::QUESTION_WHERE_EXACTLY,
                        )));
                    }
                },
            };
            if office.regions.len() > 1 {
                why.push(step(
                    &Localized::new(
                        &messages::OFFICE_OF_SEVERAL_KREISE,
                        [("office", Value::text(&office.name))],
                    ),
                    office.source.as_str(),
                ));
            }
            Ok(Outcome::Office(office))
        }
    }
}

/// The one office whose localities hold every locality of the postcode in `land`, if any.
fn by_postcode<'a>(
    t: &Tables,
    offices: &[&'a ElterngeldOffice],
    land: Land,
    postcode: u32,
) -> Option<&'a ElterngeldOffice> {
    let mut hit: Option<&'a ElterngeldOffice> = None;
    let mut rows = t
        .rows(postcode)
        .iter()
        .filter(|r| r.land == land)
        .peekable();
    rows.peek()?;
    for row in rows {
        let office = offices
            .iter()
            .find(|o| o.localities.iter().any(|l| l == row.locality))?;
        match hit {
            Some(h) if h.destination_id != office.destination_id => return None,
            _ => hit = Some(office),
        }
    }
    hit
}

fn single<'a>(
    mut offices: impl Iterator<Item = &'a ElterngeldOffice>,
    land: Land,
) -> Result<&'a ElterngeldOffice, RoutingError> {
    match (offices.next(), offices.next()) {
        (Some(o), None) => Ok(o),
        _ => Err(RoutingError::Data(format!(
            "Land {} must have exactly one Elterngeld office in {MODEL_FILE}",
            land.code()
        ))),
    }
}

/// The office of the answered area, and the step that says so.
fn by_area<'a>(
    offices: &[&'a ElterngeldOffice],
    area: &str,
) -> Result<(&'a ElterngeldOffice, RoutingStep), RoutingError> {
    for office in offices {
        if let Some((value, de, en)) = &office.area
            && value == area
        {
            let answered = Localized::new(
                &messages::AREA_ANSWERED,
                [
                    // The area's labels are data of the model file, in both languages there.
                    (
                        "area",
                        Value::Localized(Box::new(Localized::fixed(de.clone(), en.clone()))),
                    ),
                    ("office", Value::text(&office.name)),
                ],
            );
            return Ok((office, step(&answered, office.source.as_str())));
        }
    }
    Err(RoutingError::AnswerDoesNotFit {
        field: QuestionField::Area,
        value: area.to_owned(),
        reason: Localized::new(
            &messages::EXPECTED_ONE_OF,
            [(
                "areas",
                Value::text(
                    &offices
                        .iter()
                        .filter_map(|o| o.area.as_ref().map(|(a, _, _)| a.as_str()))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            )],
        ),
    })
}

fn area_question(
    offices: &[&ElterngeldOffice],
    typed: Option<&str>,
    text: &'static Template,
) -> Question {
    let mut options: Vec<(u8, usize, QuestionOption)> = offices
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let (value, label, _) = o.area.as_ref()?;
            let rank = typed.map_or(2, |t| match_rank(label, t).min(match_rank(value, t)));
            Some((
                rank,
                i,
                QuestionOption {
                    value: value.clone(),
                    label: label.clone(),
                },
            ))
        })
        .collect();
    // Stable: the model's order within the same rank.
    options.sort_by_key(|(rank, i, _)| (*rank, *i));
    Question::new(
        QuestionField::Area,
        &Localized::new(text, []),
        options.into_iter().map(|(_, _, o)| o).collect(),
    )
}

/// The Kreise of `land`, those matching the typed locality first, then those matching one of
/// the postcode's localities, then the rest by name.
pub(super) fn kreis_question(t: &Tables, land: Land, place: &Place, postcode: u32) -> Question {
    let localities: Vec<&str> = t
        .rows(postcode)
        .iter()
        .filter(|r| r.land == land)
        .map(|r| r.locality)
        .collect();
    let mut kreise: Vec<(u8, String, &Kreis)> = t
        .kreise_of(land)
        .map(|k| {
            // 0, 1: the typed locality names the Kreis; 2: one of the postcode's localities
            // does; 3: neither (a typed name that matches nothing ranks nothing).
            let typed = place
                .locality
                .as_deref()
                .map(|typed| match_rank(k.short_name(), typed))
                .filter(|rank| *rank < 2)
                .unwrap_or(3);
            let from_postcode = if localities
                .iter()
                .any(|l| match_rank(k.short_name(), l) == 0)
            {
                2
            } else {
                3
            };
            (typed.min(from_postcode), fold(k.short_name()), k)
        })
        .collect();
    kreise.sort_by(|a, b| (a.0, &a.1, a.2.key).cmp(&(b.0, &b.1, b.2.key)));
    Question::new(
        QuestionField::Kreis,
        &naming_land(&messages::QUESTION_KREIS, land),
        kreise
            .into_iter()
            .map(|(_, _, k)| QuestionOption {
                value: k.key.to_owned(),
                label: k.label(),
            })
            .collect(),
    )
}

/// The answered Kreis, if it is a current Kreis of `land`.
pub(super) fn checked_kreis<'t>(
    t: &'t Tables,
    land: Land,
    key: &str,
) -> Result<&'t Kreis, RoutingError> {
    match t.kreis(key) {
        Some(k) if k.land == land => Ok(k),
        Some(k) => Err(RoutingError::AnswerDoesNotFit {
            field: QuestionField::Kreis,
            value: key.to_owned(),
            reason: Localized::new(
                &messages::KREIS_IN_OTHER_LAND,
                [
                    ("kreis", Value::text(&k.label())),
                    ("kreis_land", Value::text(k.land.name())),
                    ("land", Value::text(land.name())),
                ],
            ),
        }),
        None => Err(RoutingError::AnswerDoesNotFit {
            field: QuestionField::Kreis,
            value: key.to_owned(),
            reason: Localized::new(&messages::NOT_A_KREIS_KEY, []),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_loads_with_one_office_per_kreis_outside_the_exceptions() {
        let offices = elterngeld_offices().expect("model loads");
        // 227 before: +21 Gemeinden of the Region Hannover, +2 offices of Stade, -2 generated
        // Kreis offices they replace; +4 Hessen Versorgungsämter with a confirmed Kreis.
        assert_eq!(offices.len(), 252);
        let hessen: Vec<&str> = offices
            .iter()
            .filter(|o| o.land == Land::Hessen)
            .map(|o| o.destination_id.as_str())
            .collect();
        assert_eq!(
            hessen,
            [
                "eg-he-havs-frankfurt",
                "eg-he-havs-giessen",
                "eg-he-havs-kassel",
                "eg-he-havs-wiesbaden",
                "eg-he-havs"
            ]
        );
        let generated = offices
            .iter()
            .filter(|o| o.destination_id.starts_with("eg-kreis-"))
            .count();
        // 201 Kreise in the Kreis Länder, minus Dortmund, Bochum, Hagen, Hildesheim, the
        // Region Hannover and Stade.
        assert_eq!(generated, 195);
        assert!(
            offices
                .iter()
                .filter(|o| o.destination_id.starts_with("eg-kreis-"))
                .all(|o| !o.name_real)
        );
        for land in Land::all() {
            assert!(
                offices.iter().any(|o| o.land == *land),
                "{land} has an office"
            );
        }
        assert_eq!(
            organisation(Land::Bayern).expect("model"),
            Organisation::Central
        );
        assert_eq!(
            organisation(Land::Hamburg).expect("model"),
            Organisation::Bezirk
        );
    }
}
