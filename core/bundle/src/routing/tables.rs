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

    /// The label the user sees in a list: `Flensburg (kreisfreie Stadt)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.short_name(), self.kind)
    }
}

#[derive(Debug)]
pub(super) struct Tables {
    /// Sorted by (code, land, locality), as the file is.
    pub postcodes: Vec<PostcodeRow>,
    /// Sorted by key.
    pub kreise: Vec<Kreis>,
}

static TABLES: LazyLock<Result<Tables, String>> = LazyLock::new(|| {
    Ok(Tables {
        postcodes: parse_postcodes(POSTCODES_TSV)?,
        kreise: parse_kreise(KREISE_TSV)?,
    })
});

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
    fn a_broken_table_is_an_error_not_a_panic() {
        assert!(parse_postcodes("postcode\tland\tlocality\n0106\t14\tDresden\n").is_err());
        assert!(parse_postcodes("wrong header\n").is_err());
        assert!(parse_kreise("key\ttype\tname\n01001\tKreisfreie Stadt\n").is_err());
        assert!(parse_kreise("key\ttype\tname\n99001\tKreis\tNowhere\n").is_err());
    }
}
