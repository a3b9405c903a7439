//! The optional `application` section of `elternkit.case/1`: what the three applications need
//! beyond the rules' inputs (`../shared/domain/FORMS.md` § 2). The rules never read it, so a
//! case without it computes exactly as before; the bundle (`crate::bundle`) reads both.
//!
//! Persons are referenced by the `id` of `parents[]`; the child facts the rules already hold
//! (birth date, count, expected date) are not repeated. Every field is optional: a missing
//! field is not a parse error but a finding of the bundle, with its path.
//!
//! **Sources.** Values stay plain; where a value was not typed in, `sources` maps its path
//! (`application.parents[0].steuer_id`) to where it came from: a consented fetch
//! (`{"kind":"fetched","consent":"c1"}`) or a document (`{"kind":"document","document":"d1"}`).
//! A path without an entry was entered by the parent. A fetch that is still to happen is a
//! source without a value: the field then counts as "to be fetched", not as missing.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

use crate::place::{Land, Place};

/// Everything the three applications need that the rules do not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationData {
    /// Personal data per parent, by `parents[].id`.
    #[serde(default)]
    pub parents: Vec<PersonData>,
    /// One entry per newborn (`child.count` entries for multiples), in birth order.
    #[serde(default)]
    pub children: Vec<ChildData>,
    #[serde(default)]
    pub couple: Couple,
    /// Name choice for the child (Namensbestimmung, §§ 1617 ff. BGB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_choice: Option<NameChoice>,
    /// Birth certificates ordered with the registration; those for a benefit purpose are free
    /// of charge (FORMS.md § 1c).
    #[serde(default)]
    pub certificates: Vec<CertificateRequest>,
    /// Who applies for Elterngeld and how.
    #[serde(default)]
    pub elterngeld: ElterngeldFiling,
    /// Account for Elterngeld and Kindergeld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<BankAccount>,
    /// The family's residence for routing; answers to routing questions go here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    #[serde(default)]
    pub consents: Vec<Consent>,
    #[serde(default)]
    pub documents: Vec<Document>,
    /// Field path → source, for values not typed in by the parent.
    #[serde(default)]
    pub sources: BTreeMap<String, Source>,
}

/// Geschlecht as the PStG records it (§ 22 Abs. 3 PStG allows "divers" or no entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    Diverse,
    Unspecified,
}

/// A postal address; `ags` (Amtlicher Gemeindeschlüssel, 8 digits) where known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub street: String,
    pub house_number: String,
    pub postal_code: String,
    pub locality: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ags: Option<String>,
}

/// Familienstand: marital status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaritalStatus {
    Ledig,
    Verheiratet,
    /// Eingetragene Lebenspartnerschaft: registered partnership.
    Lebenspartnerschaft,
    Geschieden,
    Verwitwet,
    /// Dauernd getrennt lebend: permanently separated.
    DauerndGetrennt,
}

/// Kind of health insurance (decides who pays Mutterschaftsgeld and who can report it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsuranceKind {
    /// Gesetzlich versichert, Mitglied: statutory, own membership.
    GkvMember,
    /// Familienversichert: statutory family insurance.
    GkvFamily,
    /// Privat versichert.
    Private,
    None,
}

/// Krankenversicherung: kind and insurer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthInsurance {
    pub kind: InsuranceKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurer: Option<String>,
}

/// Arbeitgeber: employer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Employer {
    pub name: String,
    /// Öffentlicher Dienst: the employer is a public-law body (Bund, Land, Gemeinde, …), whose
    /// own Familienkasse may pay the Kindergeld (§ 72 Abs. 1 EStG). `None`: not answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_service: Option<bool>,
    /// For a public-service employer: it sets and pays Kindergeld through its own
    /// Familienkasse (`true`), or has waived that and left it to the Familienkasse of the
    /// Bundesagentur für Arbeit (`false`, § 72 Abs. 1 S. 3 EStG). The payslip or the
    /// personnel office says which. `None`: not answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_familienkasse: Option<bool>,
    /// The name of the employer's Familienkasse, where it has one (e.g. the Land's
    /// Bezügestelle).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub familienkasse: Option<String>,
}

/// Details of an Aufenthaltstitel (residence title); its kind is `parents[].residence_title`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResidenceTitleDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// Erwerbstätigkeit erlaubt: employment allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment_allowed: Option<bool>,
}

/// Personal data of one parent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonData {
    /// `parents[].id`.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(default)]
    pub given_names: Vec<String>,
    /// Geburtsname: birth name, if different from the family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// The parent who gave birth (the mother under § 1591 BGB; Mutterschaftsleistungen).
    #[serde(default)]
    pub gave_birth: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_place: Option<String>,
    /// Every citizenship beyond `parents[].citizenship` (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub further_citizenships: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence_title: Option<ResidenceTitleDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Steuerliche Identifikationsnummer (§ 139b AO), 11 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steuer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marital_status: Option<MaritalStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_insurance: Option<HealthInsurance>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<Employer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// Where the child was born: the Standesamt of the birth place is competent (§ 18 Abs. 1
/// PStG), not the one of the residence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BirthPlace {
    pub locality: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ags: Option<String>,
    /// Answers to the Standesamt's routing questions, filed here and not at
    /// `application.place` (the residence): the birth place's Land when its postcode is
    /// unknown or spans two Länder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub land: Option<Land>,
    /// The birth place's Kreis key (five digits), where a question asks for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kreis: Option<String>,
    /// The birth Gemeinde, or the Bezirk in Berlin and Hamburg; it may differ from the
    /// family's home Bezirk (§ 18 Abs. 1 PStG: the Standesamt of the place of birth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Born in a clinic: the clinic reports the birth and sends the Geburtsbescheinigung
    /// (§ 20 PStG). `false`: home birth, the parents report it (§ 19 PStG).
    #[serde(default = "yes")]
    pub in_clinic: bool,
}

fn yes() -> bool {
    true
}

/// The Standesamt's entry once the birth is registered (Geburtenregister).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BirthRegistration {
    /// Geburtenregisternummer, e.g. `G 1234/2026`.
    pub register_number: String,
    pub standesamt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_on: Option<Date>,
}

/// Personal data of one newborn.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildData {
    #[serde(default)]
    pub given_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Local time of birth (HH:MM); only the Standesamt needs it (§ 21 Abs. 1 Nr. 2 PStG).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_time: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_place: Option<BirthPlace>,
    /// Steuer-ID of the child: issued by the BZSt after the registration, needed for
    /// Kindergeld (§ 63 Abs. 1 S. 3 EStG).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steuer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_registration: Option<BirthRegistration>,
}

/// A declaration made before a public authority (Jugendamt, Standesamt, notary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    pub date: Date,
    pub authority: String,
}

/// Facts about the parents as a couple.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Couple {
    /// Married to each other (or in a Lebenspartnerschaft).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub married: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marriage_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marriage_place: Option<String>,
    /// Ehename: the shared married name, if any (the child gets it, § 1616 BGB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ehename: Option<String>,
    /// Unmarried and living together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cohabiting: Option<bool>,
    /// Vaterschaftsanerkennung (§ 1592 Nr. 2, § 1594 BGB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paternity_acknowledgement: Option<Declaration>,
    /// Sorgeerklärung: joint custody declaration (§ 1626a Abs. 1 Nr. 1 BGB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custody_declaration: Option<Declaration>,
}

/// Which name the child gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The parents' Ehename (automatic, § 1616 BGB).
    Ehename,
    /// The family name of the parent who gave birth.
    NameMother,
    /// The family name of the other parent.
    NameFather,
    /// Doppelname from both names (§ 1617 BGB as amended, declarations from 2025-05-01).
    Doppelname,
}

/// Namensbestimmung: the name choice for the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameChoice {
    pub kind: NameKind,
    /// The resulting Geburtsname.
    pub birth_name: String,
    /// `parents[].id` of those who declare it.
    #[serde(default)]
    pub declared_by: Vec<String>,
}

/// Purpose of a birth certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificatePurpose {
    Elterngeld,
    Kindergeld,
    Mutterschaftsgeld,
    General,
}

/// Urkunden: certificates ordered with the registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateRequest {
    pub purpose: CertificatePurpose,
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

/// How Elterngeld is applied for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilingMode {
    /// One application for both parents (the Bundesantrag's layout; both sign).
    #[default]
    Joint,
    /// One application per claiming parent.
    Separate,
}

/// Who applies for Elterngeld: by default every parent with a month in `plan`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElterngeldFiling {
    #[serde(default)]
    pub mode: FilingMode,
    /// Why a single parent may draw the partner months or the Partnerschaftsbonus alone
    /// (§ 4c Abs. 1 Nr. 1–3 BEEG); asked only when the plan does so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub single_parent_ground: Option<SingleParentGround>,
}

/// The ground of § 4c Abs. 1 BEEG on which one parent draws Elterngeld alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SingleParentGround {
    /// Nr. 1: alleinerziehend — the conditions of the Entlastungsbetrag für Alleinerziehende
    /// (§ 24b Abs. 1, 3 EStG) are met and the other parent lives neither with the parent nor
    /// with the child.
    TaxReliefSingleParent,
    /// Nr. 2: care by the other parent would endanger the child (§ 1666 Abs. 1, 2 BGB).
    ChildWelfare,
    /// Nr. 3: care by the other parent is impossible (severe illness or disability).
    CareImpossible,
}

/// Bankverbindung.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankAccount {
    pub iban: String,
    /// Needed for non-German IBANs only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
    /// Kontoinhaber, when not the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_holder: Option<String>,
}

/// What a consent or declaration allows (FORMS.md § 2.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// The Standesamt passes the birth data to the Elterngeldstelle and the Familienkasse
    /// (§ 25 BEEG; Art. 6 Abs. 1 lit. a DSGVO).
    BirthDataExchange,
    /// The Elterngeldstelle fetches the pay data through the DRV data office (§ 108a SGB IV).
    PayDataViaDrv,
    /// The Krankenkasse reports the Mutterschaftsgeld (§ 203 SGB V).
    MutterschaftsgeldFromGkv,
    /// Declaration: data true and complete, changes reported (§ 60 SGB I).
    TruthfulnessAndChangeDuty,
    /// Acknowledgement of the privacy notice (Art. 13 DSGVO).
    PrivacyNotice,
    /// The other parent agrees: to the Elterngeld plan, or that the claimant receives the
    /// Kindergeld (Berechtigtenbestimmung, § 64 Abs. 2 S. 2 EStG).
    OtherParentAgrees,
    /// Declaration: the ground of § 4c Abs. 1 BEEG on which a single parent draws the
    /// partner months or the Partnerschaftsbonus alone holds.
    SingleParentDeclaration,
}

impl ConsentKind {
    /// Consents under data-protection law can be withdrawn for the future (Art. 7 Abs. 3
    /// DSGVO); declarations of fact cannot.
    pub fn revocable(self) -> bool {
        !matches!(
            self,
            ConsentKind::TruthfulnessAndChangeDuty
                | ConsentKind::PrivacyNotice
                | ConsentKind::SingleParentDeclaration
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentKind::BirthDataExchange => "birth_data_exchange",
            ConsentKind::PayDataViaDrv => "pay_data_via_drv",
            ConsentKind::MutterschaftsgeldFromGkv => "mutterschaftsgeld_from_gkv",
            ConsentKind::TruthfulnessAndChangeDuty => "truthfulness_and_change_duty",
            ConsentKind::PrivacyNotice => "privacy_notice",
            ConsentKind::OtherParentAgrees => "other_parent_agrees",
            ConsentKind::SingleParentDeclaration => "single_parent_declaration",
        }
    }
}

/// One consent or declaration, as given: versioned text, who, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub id: String,
    pub kind: ConsentKind,
    /// Version of the text the person saw, e.g. `2026-01`.
    pub text_version: String,
    /// `parents[].id`.
    pub given_by: String,
    pub given_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Timestamp>,
}

/// Kinds of Nachweise (supporting documents, FORMS.md § 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Geburtsbescheinigung of the clinic or midwife.
    Geburtsbescheinigung,
    /// Personalausweis or Reisepass.
    Ausweis,
    /// Eheurkunde or extract of the Eheregister.
    Eheurkunde,
    /// Geburtsurkunde of the mother (§ 33 PStV).
    GeburtsurkundeMutter,
    /// Geburtsurkunde of the father: the mother's husband or the man who acknowledged
    /// paternity (§ 33 PStV, § 1592 Nr. 1, 2 BGB).
    GeburtsurkundeVater,
    Vaterschaftsanerkennung,
    Sorgeerklaerung,
    /// The mother's last marriage certificate with the note that it ended (divorce or
    /// death), or a certified Eheregister extract saying so (§ 33 PStV).
    AufloesungDerEhe,
    /// Geburtsurkunde "für Elterngeld".
    GeburtsurkundeElterngeld,
    /// Entgeltabrechnungen of the Bemessungszeitraum: payslips.
    Gehaltsnachweise,
    /// Einkommensteuerbescheid or Gewinnermittlung (EÜR) for self-employment.
    Gewinnnachweis,
    /// Bescheinigung der Krankenkasse über Mutterschaftsgeld.
    MutterschaftsgeldBescheinigung,
    /// Bescheinigung des Arbeitgebers über den Zuschuss zum Mutterschaftsgeld.
    ArbeitgeberzuschussBescheinigung,
    /// Bestätigung der Elternzeit / Arbeitszeit by the employer.
    ElternzeitBestaetigung,
    /// Ärztliche Bescheinigung of the expected date (premature birth, § 4 Abs. 5 BEEG).
    AerztlicheBescheinigungFruehgeburt,
    /// Copy of the Aufenthaltstitel (residence title).
    Aufenthaltstitel,
    /// Proof of the § 4c Abs. 1 Nr. 2 or 3 BEEG ground (a medical certificate, a decision or
    /// statement of the Jugendamt or the Familiengericht).
    NachweisAlleinigerBezug,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Geburtsbescheinigung => "geburtsbescheinigung",
            DocumentKind::Ausweis => "ausweis",
            DocumentKind::Eheurkunde => "eheurkunde",
            DocumentKind::GeburtsurkundeMutter => "geburtsurkunde_mutter",
            DocumentKind::GeburtsurkundeVater => "geburtsurkunde_vater",
            DocumentKind::Vaterschaftsanerkennung => "vaterschaftsanerkennung",
            DocumentKind::Sorgeerklaerung => "sorgeerklaerung",
            DocumentKind::AufloesungDerEhe => "aufloesung_der_ehe",
            DocumentKind::GeburtsurkundeElterngeld => "geburtsurkunde_elterngeld",
            DocumentKind::Gehaltsnachweise => "gehaltsnachweise",
            DocumentKind::Gewinnnachweis => "gewinnnachweis",
            DocumentKind::MutterschaftsgeldBescheinigung => "mutterschaftsgeld_bescheinigung",
            DocumentKind::ArbeitgeberzuschussBescheinigung => "arbeitgeberzuschuss_bescheinigung",
            DocumentKind::ElternzeitBestaetigung => "elternzeit_bestaetigung",
            DocumentKind::AerztlicheBescheinigungFruehgeburt => {
                "aerztliche_bescheinigung_fruehgeburt"
            }
            DocumentKind::Aufenthaltstitel => "aufenthaltstitel",
            DocumentKind::NachweisAlleinigerBezug => "nachweis_alleiniger_bezug",
        }
    }
}

/// An uploaded document (the file itself lives in the encrypted store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: String,
    pub kind: DocumentKind,
    /// The parent it belongs to, for personal documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// SHA-256 of the file, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// Where a value came from (provenance, shown to the agency).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Source {
    /// Typed in by the parent (the default for a path without an entry).
    Entered,
    /// Read from the parent's eID (online ID function).
    Eid,
    /// Fetched from an agency under the consent with this id (or still to be fetched when
    /// the value is absent).
    Fetched { consent: String },
    /// Read from the uploaded document with this id.
    Document { document: String },
}
