//! Field validators: the Steuer-ID (§ 139b AO) and the IBAN.
//!
//! Both return a reason code, never an error: a wrong number is a problem of the data the
//! parent typed, reported with its field path by the caller.

use iban::Iban;

use crate::FindingCode;

/// Why a Steuer-ID was rejected. The code goes into the problem (`steuer_id_<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SteuerIdDefect {
    /// Not exactly 11 digits (blanks are allowed and ignored).
    Format,
    /// The first digit is 0.
    LeadingZero,
    /// In digits 1–10 no digit repeats, several digits repeat, or one appears four times
    /// or more.
    Repetition,
    /// One digit appears three times, all three next to each other.
    TripleInARow,
    /// The check digit (ISO 7064 MOD 11,10) does not match.
    CheckDigit,
}

impl SteuerIdDefect {
    /// Stable code for problems.
    pub fn code(self) -> FindingCode {
        match self {
            SteuerIdDefect::Format => FindingCode::SteuerIdFormat,
            SteuerIdDefect::LeadingZero => FindingCode::SteuerIdLeadingZero,
            SteuerIdDefect::Repetition => FindingCode::SteuerIdRepetition,
            SteuerIdDefect::TripleInARow => FindingCode::SteuerIdTriple,
            SteuerIdDefect::CheckDigit => FindingCode::SteuerIdCheckDigit,
        }
    }
}

/// The Steuer-ID with blanks removed, if it has the right shape and check digit.
///
/// Rules implemented, as the ELSTER/BayLfSt document "Prüfung der Steuer- und
/// Steueridentifikationsnummer" (ch. 2.2, 2.3) describes them:
/// * 11 digits, the first not 0;
/// * in digits 1–10 exactly one digit appears twice or three times (three times allowed for
///   numbers issued since 2016), every other digit at most once;
/// * a digit that appears three times may not stand in three directly consecutive places;
/// * digit 11 is the ISO 7064 MOD 11,10 check digit of digits 1–10.
pub fn steuer_id(input: &str) -> Result<String, SteuerIdDefect> {
    let digits: String = input.chars().filter(|c| *c != ' ').collect();
    if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SteuerIdDefect::Format);
    }
    let d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    if d[0] == 0 {
        return Err(SteuerIdDefect::LeadingZero);
    }
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[usize::from(x)] += 1;
    }
    let repeated: Vec<u8> = counts.iter().copied().filter(|c| *c > 1).collect();
    if repeated.len() != 1 || repeated[0] > 3 {
        return Err(SteuerIdDefect::Repetition);
    }
    if d[..10].windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return Err(SteuerIdDefect::TripleInARow);
    }
    if mod_11_10_check_digit(&d[..10]) != d[10] {
        return Err(SteuerIdDefect::CheckDigit);
    }
    Ok(digits)
}

/// ISO 7064 MOD 11,10 (hybrid system, the Steuer-ID's check digit): start with 10, for each
/// digit add it mod 10 (0 counts as 10), double mod 11; the check digit makes the final
/// product 1 (11 − product, with 10 written as 0).
pub fn mod_11_10_check_digit(digits: &[u8]) -> u8 {
    let mut product: u8 = 10;
    for &digit in digits {
        let mut sum = (digit + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    let check = 11 - product;
    if check == 10 { 0 } else { check }
}

/// Why an IBAN was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IbanDefect {
    /// Not an IBAN: characters, length for the country, or check digits (mod 97).
    Invalid,
}

/// A validated IBAN in electronic format (no blanks), via the `iban_validate` crate: ISO 13616
/// mod-97 check digits and the per-country BBAN structure of the SWIFT IBAN registry
/// (Germany: `DE` + 2 check digits + 8-digit Bankleitzahl + 10-digit account number).
pub fn iban(input: &str) -> Result<Iban, IbanDefect> {
    // The crate accepts the electronic form and the print form (groups of four).
    input
        .trim()
        .to_ascii_uppercase()
        .parse::<Iban>()
        .map_err(|_| IbanDefect::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use iban::IbanLike;

    // Published examples. Sources:
    // * python-stdnum `stdnum/de/idnr.py` and `tests/test_de_idnr.doctest` (36574261809 valid,
    //   36574261890 wrong check digit, 36554266806 two digits repeated, 11234567890 one
    //   digit twice, 01234567896 leading zero, 11112345678 four times, 11223456785 two
    //   digits twice, 12345678903 no digit twice);
    // * kryptografie.de "Steuer-Identifikationsnummer Prüfziffer": 12345678995 valid;
    // * ELSTER/BayLfSt "Prüfung der Steuer- und Steueridentifikationsnummer" ch. 2.2: a digit
    //   three times may not stand in three consecutive places. python-stdnum accepts
    //   11123456786 (it checks only the counts); ELSTER's rule rejects it, and so do we.

    #[test]
    fn published_valid_steuer_ids() {
        for id in [
            "36574261809",
            "36 574 261 809",
            "12345678995",
            "11234567890",
        ] {
            assert!(steuer_id(id).is_ok(), "{id}");
        }
        assert_eq!(steuer_id("36 574 261 809").unwrap(), "36574261809");
    }

    #[test]
    fn published_invalid_steuer_ids() {
        let cases = [
            ("36574261890", SteuerIdDefect::CheckDigit),
            ("36554266806", SteuerIdDefect::Repetition),
            ("01234567896", SteuerIdDefect::LeadingZero),
            ("11112345678", SteuerIdDefect::Repetition),
            ("11223456785", SteuerIdDefect::Repetition),
            ("12345678903", SteuerIdDefect::Repetition),
            ("116574261809", SteuerIdDefect::Format),
            ("A6574261809", SteuerIdDefect::Format),
            ("11123456786", SteuerIdDefect::TripleInARow),
        ];
        for (id, defect) in cases {
            assert_eq!(steuer_id(id), Err(defect), "{id}");
        }
    }

    #[test]
    fn three_times_not_adjacent_is_valid() {
        // One digit three times, only two of them adjacent (allowed since 2016): 1 at
        // places 1, 2 and 5. Check digit computed with the MOD 11,10 chain.
        let body = [1, 1, 2, 3, 1, 4, 5, 6, 7, 8];
        let check = mod_11_10_check_digit(&body);
        let id: String = body
            .iter()
            .chain(std::iter::once(&check))
            .map(|d| char::from(b'0' + d))
            .collect();
        assert_eq!(steuer_id(&id), Ok(id.clone()));
    }

    #[test]
    fn every_single_digit_typo_is_caught() {
        // What the check digit is for: change any one digit of a valid ID and it fails.
        let valid = b"36574261809";
        for pos in 0..11 {
            for d in b'0'..=b'9' {
                if d == valid[pos] {
                    continue;
                }
                let mut typo = *valid;
                typo[pos] = d;
                let typo = std::str::from_utf8(&typo).unwrap();
                assert!(steuer_id(typo).is_err(), "{typo}");
            }
        }
    }

    // IBAN examples: the SWIFT IBAN Registry's German example DE89370400440532013000 (also in
    // Wikipedia "IBAN"), the ECBS/Bundesbank example DE44 5001 0517 5407 3249 31 in print
    // form; invalid: a changed check digit, a changed account digit, the wrong length.
    #[test]
    fn published_ibans() {
        assert!(iban("DE89370400440532013000").is_ok());
        assert!(iban("DE44 5001 0517 5407 3249 31").is_ok());
        assert!(iban("de89370400440532013000").is_ok());
        assert_eq!(
            iban("DE44 5001 0517 5407 3249 31")
                .unwrap()
                .electronic_str(),
            "DE44500105175407324931"
        );
        assert!(iban("DE88370400440532013000").is_err());
        assert!(iban("DE89370400440532013001").is_err());
        assert!(iban("DE8937040044053201300").is_err());
        assert!(iban("").is_err());
    }
}
