//! The embedded routing tables (`core/data/postcodes.tsv`, `core/data/kreise.tsv`), parsed once
//! on first use into sorted vectors that borrow from the embedded text.

use std::sync::LazyLock;

use super::{Land, RoutingError};

const POSTCODES_TSV: &str = include_str!("../../../data/postcodes.tsv");
const KREISE_TSV: &str = include_str!("../../../data/kreise.tsv");

/// One row of the postcode table.
#[derive(Debug, Clone, Copy)]
pub(super) struct PostcodeRow {
    pub code: u32,
    pub land: Land,
    pub locality: &'static str,
}

/// A Kreis or kreisfreie Stadt as of today's territorial status (see `kreis_changes.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kreis {
    /// Five-digit key (AGS/ARS prefix); its first two digits are the Land.
    pub key: &'static str,
    /// Destatis type: `Kreisfreie Stadt`, `Landkreis`, `Kreis`, `Stadtkreis`, `Regionalverband`.
    pub kind: &'static str,
    /// Official name as Destatis writes it (`Flensburg, Stadt`, `Wartburgkreis`).
    pub name: &'static str,
    pub land: Land,
}

impl Kreis {
    /// The name without Destatis' suffix after the comma (`Flensburg, Stadt` → `Flensburg`).
    pub fn short_name(&self) -> &'static str {
        self.name.split(',').next().unwrap_or(self.name).trim()
    }

    /// A kreisfreie Stadt (Baden-Württemberg: Stadtkreis).
    pub fn is_city(&self) -> bool {
        matches!(self.kind, "Kreisfreie Stadt" | "Stadtkreis")
    }

    /// The label the user sees in a list: `Flensburg (kreisfreie Stadt)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.short_name(), self.kind)
    }
}

/// A Leitregion with at least this many of a city's postcodes is the city's own, not a
/// namesake's (see [`Tables::city_of_postcode`]).
const CITY_REGION_MIN: usize = 10;

#[derive(Debug)]
pub(super) struct Tables {
    /// Sorted by (code, land, locality), as the file is.
    pub postcodes: Vec<PostcodeRow>,
    /// Sorted by key.
    pub kreise: Vec<Kreis>,
    /// Per kreisfreie Stadt (by key), the postcodes whose locality in its Land is its name
    /// (as whole words: `Landau` for `Landau in der Pfalz`), ascending; built once.
    city_codes: Vec<(&'static str, Vec<u32>)>,
}

static TABLES: LazyLock<Result<Tables, String>> = LazyLock::new(|| {
    let postcodes = parse_postcodes(POSTCODES_TSV)?;
    let kreise = parse_kreise(KREISE_TSV)?;
    let city_codes = city_codes(&postcodes, &kreise);
    Ok(Tables {
        postcodes,
        kreise,
        city_codes,
    })
});

/// The postcodes of each kreisfreie Stadt (see [`Tables::city_postcodes`]), folding every
/// locality once.
fn city_codes(postcodes: &[PostcodeRow], kreise: &[Kreis]) -> Vec<(&'static str, Vec<u32>)> {
    let words = |s: &str| format!(" {s} ");
    let cities: Vec<(&Kreis, String)> = kreise
        .iter()
        .filter(|k| k.is_city())
        .map(|k| (k, words(&fold(k.short_name()))))
        .collect();
    let mut out: Vec<(&'static str, Vec<u32>)> =
        cities.iter().map(|(k, _)| (k.key, Vec::new())).collect();
    for row in postcodes {
        let locality = words(&fold(row.locality));
        for (i, (k, name)) in cities.iter().enumerate() {
            if k.land == row.land
                && (locality.contains(name.as_str()) || name.contains(locality.as_str()))
                && out[i].1.last() != Some(&row.code)
            {
                out[i].1.push(row.code);
            }
        }
    }
    out
}

/// The parsed tables; an error only if the embedded files are broken (a build defect the
/// tests catch), reported instead of panicking inside an app.
pub(super) fn tables() -> Result<&'static Tables, RoutingError> {
    TABLES.as_ref().map_err(|e| RoutingError::Data(e.clone()))
}

fn data_lines(
    text: &'static str,
    header: &str,
) -> Result<impl Iterator<Item = &'static str>, String> {
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    match lines.next() {
        Some(h) if h == header => Ok(lines),
        other => Err(format!("table header is {other:?}, expected {header:?}")),
    }
}

fn parse_postcodes(text: &'static str) -> Result<Vec<PostcodeRow>, String> {
    let mut rows = Vec::with_capacity(13_000);
    for line in data_lines(text, "postcode\tland\tlocality")? {
        let mut cols = line.split('\t');
        let (Some(code), Some(land), Some(locality), None) =
            (cols.next(), cols.next(), cols.next(), cols.next())
        else {
            return Err(format!("postcode row {line:?} does not have 3 columns"));
        };
        let code = parse_postcode(code).ok_or_else(|| format!("bad postcode in {line:?}"))?;
        let land = Land::from_code(land).ok_or_else(|| format!("bad Land in {line:?}"))?;
        rows.push(PostcodeRow {
            code,
            land,
            locality,
        });
    }
    if !rows.is_sorted_by_key(|r| r.code) {
        return Err("postcode table is not sorted".into());
    }
    Ok(rows)
}

fn parse_kreise(text: &'static str) -> Result<Vec<Kreis>, String> {
    let mut kreise = Vec::with_capacity(400);
    for line in data_lines(text, "key\ttype\tname")? {
        let mut cols = line.split('\t');
        let (Some(key), Some(kind), Some(name), None) =
            (cols.next(), cols.next(), cols.next(), cols.next())
        else {
            return Err(format!("Kreis row {line:?} does not have 3 columns"));
        };
        if key.len() != 5 || !key.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("bad Kreis key in {line:?}"));
        }
        let land = Land::from_code(&key[..2]).ok_or_else(|| format!("bad Land in {line:?}"))?;
        kreise.push(Kreis {
            key,
            kind,
            name,
            land,
        });
    }
    if !kreise.is_sorted_by_key(|k| k.key) {
        return Err("Kreis table is not sorted".into());
    }
    Ok(kreise)
}

/// `Some(n)` for exactly five ASCII digits.
pub(super) fn parse_postcode(text: &str) -> Option<u32> {
    if text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

impl Tables {
    /// The rows of one postcode (empty when the table does not know it).
    pub fn rows(&self, code: u32) -> &[PostcodeRow] {
        let start = self.postcodes.partition_point(|r| r.code < code);
        let end = self.postcodes.partition_point(|r| r.code <= code);
        &self.postcodes[start..end]
    }

    /// The Länder of one postcode, each once, in Land order.
    pub fn lands(&self, code: u32) -> Vec<Land> {
        let mut lands: Vec<Land> = self.rows(code).iter().map(|r| r.land).collect();
        lands.sort();
        lands.dedup();
        lands
    }

    /// The rows whose postcode lies in `[from, to)`.
    fn range(&self, from: u32, to: u32) -> &[PostcodeRow] {
        let start = self.postcodes.partition_point(|r| r.code < from);
        let end = self.postcodes.partition_point(|r| r.code < to);
        &self.postcodes[start..end]
    }

    /// For a postcode the table does not hold: the leading digits that still tell something
    /// (three, else two) and the Länder whose postcodes begin with them, each once. Empty
    /// when no German postcode begins with its two digits: the postcode does not exist.
    ///
    /// Postcodes are allocated in Leitzonen and Leitregionen (first one and two digits) that
    /// follow the map, so a new postcode lies where its neighbours lie. The Leitregion 11
    /// holds only the Berlin Großkunden postcodes of the federal institutions (11011 the
    /// Bundestag), which the table does not list.
    pub fn lands_near(&self, code: u32) -> (String, Vec<Land>) {
        let lands_of = |rows: &[PostcodeRow]| {
            let mut lands: Vec<Land> = rows.iter().map(|r| r.land).collect();
            lands.sort();
            lands.dedup();
            lands
        };
        let three = code / 100;
        let near = lands_of(self.range(three * 100, three * 100 + 100));
        if !near.is_empty() {
            return (format!("{three:03}"), near);
        }
        let two = code / 1000;
        let mut near = lands_of(self.range(two * 1000, two * 1000 + 1000));
        if near.is_empty() && two == 11 {
            near.push(Land::Berlin);
        }
        (format!("{two:02}"), near)
    }

    /// The kreisfreie Stadt a postcode lies wholly in: every locality the table gives it in
    /// `land` is that city's name, and its Leitregion (first two digits) is the one most of
    /// the city's postcodes have — a village of the same name elsewhere in the Land (Amberg
    /// in Unterallgäu) is not the city.
    pub fn city_of_postcode(&self, code: u32, land: Land) -> Option<&Kreis> {
        let mut city: Option<&Kreis> = None;
        let mut rows = self.rows(code).iter().filter(|r| r.land == land).peekable();
        rows.peek()?;
        for row in rows {
            let folded = fold(row.locality);
            let k = self
                .kreise_of(land)
                .find(|k| k.is_city() && fold(k.short_name()) == folded)?;
            match city {
                Some(c) if c.key != k.key => return None,
                _ => city = Some(k),
            }
        }
        let city = city?;
        self.city_regions(city)
            .contains(&(code / 1000))
            .then_some(city)
    }

    /// The Leitregionen (first two digits) of a city's postcodes: the one most of them have
    /// (none on a tie, when the table cannot tell the city from a namesake), and any other
    /// with at least [`CITY_REGION_MIN`] of them — a namesake village has one or two, while
    /// München (80…, 81…) and Köln (50…, 51…) span two.
    fn city_regions(&self, city: &Kreis) -> Vec<u32> {
        let mut counts: Vec<(u32, usize)> = Vec::new();
        for code in self.city_postcodes(city).iter().copied() {
            let region = code / 1000;
            match counts.iter_mut().find(|(r, _)| *r == region) {
                Some((_, n)) => *n += 1,
                None => counts.push((region, 1)),
            }
        }
        counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let mut regions: Vec<u32> = match counts.as_slice() {
            [(region, _)] => vec![*region],
            [(region, n), (_, m), ..] if n > m => vec![*region],
            _ => Vec::new(),
        };
        for (region, n) in &counts {
            if *n >= CITY_REGION_MIN && !regions.contains(region) {
                regions.push(*region);
            }
        }
        regions
    }

    /// The postcodes whose locality in the city's Land is the city's name (as a whole word:
    /// `Landau` for `Landau in der Pfalz`).
    pub fn city_postcodes(&self, city: &Kreis) -> &[u32] {
        self.city_codes
            .iter()
            .find(|(key, _)| *key == city.key)
            .map_or(&[], |(_, codes)| codes.as_slice())
    }

    pub fn kreise_of(&self, land: Land) -> impl Iterator<Item = &Kreis> {
        self.kreise.iter().filter(move |k| k.land == land)
    }

    pub fn kreis(&self, key: &str) -> Option<&Kreis> {
        self.kreise
            .binary_search_by_key(&key, |k| k.key)
            .ok()
            .map(|i| &self.kreise[i])
    }
}

/// Folds a place name for comparison: lower case, umlauts spelled out, punctuation to spaces.
pub(super) fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How well a district name matches a typed locality: 0 same name, 1 one contains the other
/// as whole words, 2 no match. Used only to order options, never to decide.
pub(super) fn match_rank(district: &str, typed: &str) -> u8 {
    let (d, t) = (fold(district), fold(typed));
    if t.is_empty() || d.is_empty() {
        return 2;
    }
    if d == t {
        return 0;
    }
    let words = |s: &str| format!(" {s} ");
    if words(&d).contains(&words(&t)) || words(&t).contains(&words(&d)) {
        1
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_exactly_five_ascii_digits() {
        assert_eq!(parse_postcode("01067"), Some(1067));
        for bad in ["1067", "010670", "0106a", "+1067", " 1067", "０１０６７"] {
            assert_eq!(parse_postcode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn folding_and_ranking_only_order_options() {
        assert_eq!(fold("Frankfurt (Oder), Stadt"), "frankfurt oder stadt");
        assert_eq!(fold("Göttingen"), fold("goettingen"));
        assert_eq!(match_rank("Göttingen", "Goettingen"), 0);
        assert_eq!(match_rank("Halle (Saale)", "Halle"), 1);
        assert_eq!(match_rank("Hallein", "Halle"), 2, "whole words only");
        assert_eq!(match_rank("Bremen", ""), 2);
    }

    #[test]
    fn tables_parse_and_lookups_work() {
        let t = tables().expect("embedded tables parse");
        assert_eq!(t.postcodes.len(), 12_815);
        assert_eq!(t.lands(21039), vec![Land::SchleswigHolstein, Land::Hamburg]);
        assert!(t.rows(99_999).is_empty());
        let k = t.kreis("01001").expect("Flensburg");
        assert_eq!(
            (k.short_name(), k.label().as_str()),
            ("Flensburg", "Flensburg (Kreisfreie Stadt)")
        );
        assert!(t.kreis("16056").is_none());
    }

    #[test]
    fn a_postcode_missing_from_the_table_is_placed_by_its_leading_digits() {
        let t = tables().expect("embedded tables parse");
        // 60590 (Frankfurt university clinic) is not in the table; 605xx lies in Hessen.
        assert!(t.rows(60_590).is_empty());
        assert_eq!(t.lands_near(60_590), ("605".into(), vec![Land::Hessen]));
        // No German postcode begins with 00, 05, 43 or 62 (unallocated Leitregionen).
        for code in [123, 5_123, 43_123, 62_123] {
            let (prefix, lands) = t.lands_near(code);
            assert_eq!(prefix.len(), 2);
            assert!(lands.is_empty(), "{code:05}");
        }
        // 11011, the Bundestag: a Berlin Großkunden postcode.
        assert_eq!(t.lands_near(11_011), ("11".into(), vec![Land::Berlin]));
    }

    #[test]
    fn a_postcode_wholly_in_a_kreisfreie_stadt_is_known() {
        let t = tables().expect("embedded tables parse");
        let key = |code, land| t.city_of_postcode(code, land).map(|k| k.key);
        assert_eq!(key(50_667, Land::NordrheinWestfalen), Some("05315"), "Köln");
        assert_eq!(
            key(60_311, Land::Hessen),
            Some("06412"),
            "Frankfurt am Main"
        );
        assert_eq!(key(34_117, Land::Hessen), Some("06611"), "Kassel");
        // Baunatal lies in the Landkreis Kassel, not in the city.
        assert_eq!(key(34_225, Land::Hessen), None);
        // The table has one postcode for the city of Amberg and one for a village of that
        // name in Unterallgäu: it cannot tell them apart, so neither resolves (the app asks).
        assert_eq!(key(86_854, Land::Bayern), None);
        assert_eq!(key(92_224, Land::Bayern), None);
        // Mainz-Kastel and Mainz-Kostheim belong to Wiesbaden but carry Mainz postcodes
        // (55246, 55252): not in Wiesbaden's Leitregion 65, so they are asked, not guessed.
        assert_eq!(key(65_183, Land::Hessen), Some("06414"));
        assert_eq!(key(55_246, Land::Hessen), None);
    }

    #[test]
    fn a_broken_table_is_an_error_not_a_panic() {
        assert!(parse_postcodes("postcode\tland\tlocality\n0106\t14\tDresden\n").is_err());
        assert!(parse_postcodes("wrong header\n").is_err());
        assert!(parse_kreise("key\ttype\tname\n01001\tKreisfreie Stadt\n").is_err());
        assert!(parse_kreise("key\ttype\tname\n99001\tKreis\tNowhere\n").is_err());
    }
}
