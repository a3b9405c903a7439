//! The message catalogue of the Elterngeld rules: every explanation and reason text, German
//! and English, with `{name}` placeholders for the arguments the rules record.

use elternkit_model::Template;

pub const PAP_VERSION: Template = Template {
    de: "Steuern nach dem Programmablaufplan des Vorjahres der Geburt ({pap_file})",
    en: "Taxes use the BMF PAP of the year before the birth ({pap_file})",
};

pub const BEMESSUNGSZEITRAUM: Template = Template {
    de: "{parent}: Bemessungszeitraum {first} bis {last} ({basis})",
    en: "{parent}: Bemessungszeitraum {first} to {last} ({basis})",
};
pub const BMZ_TWELVE_MONTHS: Template = Template {
    de: "12 Kalendermonate vor dem Geburtsmonat",
    en: "12 calendar months before the month of birth",
};
pub const BMZ_CALENDAR_YEAR: Template = Template {
    de: "Kalenderjahr vor der Geburt (Gewinneinkünfte)",
    en: "calendar year before the birth (self-employment)",
};
pub const BMZ_CALENDAR_YEAR_SHIFTED: Template = Template {
    de: "Kalenderjahr vor den ausgeklammerten Monaten des Veranlagungszeitraums vor der Geburt (Gewinneinkünfte, auf Antrag)",
    en: "calendar year before the excluded months of the assessment year before the birth (self-employment, on application)",
};
pub const BMZ_TWELVE_MONTHS_SMALL_PROFIT: Template = Template {
    de: "12 Kalendermonate vor dem Geburtsmonat, nur Einkommen aus nichtselbstständiger Arbeit (geringer Gewinn, auf Antrag)",
    en: "12 calendar months before the month of birth, employment income only (small profit, on application)",
};

pub const BMZ_SKIPPED_MONTH: Template = Template {
    de: "{parent}: {month} bleibt im Bemessungszeitraum unberücksichtigt ({ground}); an seine Stelle tritt {replacement}",
    en: "{parent}: {month} is skipped from the Bemessungszeitraum ({ground}); {replacement} takes its place",
};
pub const BMZ_EVENT_NOT_COUNTED: Template = Template {
    de: "{parent}: {kind} vom {from} bis {to} lässt keinen Monat aus: {why}",
    en: "{parent}: {kind} from {from} to {to} skips no month: {why}",
};
pub const BMZ_ASSESSMENT_YEAR_MOVED: Template = Template {
    de: "{parent}: im Veranlagungsjahr {year} lagen auszuklammernde Monate ({months}; {grounds}); auf Antrag zählt das Veranlagungsjahr {earlier}",
    en: "{parent}: the assessment year {year} contains months to be skipped ({months}; {grounds}); on application the assessment year {earlier} counts",
};
pub const BMZ_GROUND_LISTED: Template = Template {
    de: "in excluded_months angegeben",
    en: "listed in excluded_months",
};
pub const BMZ_KIND_OLDER_CHILD: Template = Template {
    de: "Elterngeld für ein älteres Kind",
    en: "Elterngeld for an older child",
};
pub const BMZ_KIND_MUTTERSCHUTZ: Template = Template {
    de: "Mutterschutz oder Mutterschaftsgeld",
    en: "Mutterschutz or maternity benefit",
};
pub const BMZ_KIND_ILLNESS: Template = Template {
    de: "schwangerschaftsbedingte Krankheit mit geringerem Einkommen",
    en: "pregnancy-related illness with lower income",
};
pub const BMZ_KIND_SERVICE: Template = Template {
    de: "Wehr- oder Zivildienst mit geringerem Einkommen",
    en: "military or civilian service with lower income",
};
pub const BMZ_KIND_COVID: Template = Template {
    de: "geringeres Einkommen wegen der COVID-19-Pandemie, auf Antrag",
    en: "lower income due to the COVID-19 pandemic, on application",
};
pub const BMZ_NOT_COUNTED_WAIVED: Template = Template {
    de: "auf das Ausklammern dieser Monate ist verzichtet",
    en: "the skipping of these months is waived",
};
pub const BMZ_NOT_COUNTED_INCOME: Template = Template {
    de: "das Einkommen war dadurch nicht geringer",
    en: "it did not reduce the income",
};
pub const BMZ_NOT_COUNTED_NO_APPLICATION: Template = Template {
    de: "ohne Antrag bleiben COVID-19-Monate nicht unberücksichtigt",
    en: "without an application COVID-19 months are not skipped",
};
pub const BMZ_NOT_COUNTED_COVID_WINDOW: Template = Template {
    de: "außerhalb des Zeitraums vom 1. März 2020 bis 23. September 2022",
    en: "outside the period from 1 March 2020 to 23 September 2022",
};
pub const BMZ_NOT_COUNTED_OLDER_CHILD: Template = Template {
    de: "kein älteres Kind unter siblings war in seinen Lebensmonaten 1 bis 14",
    en: "no older child in siblings was in its Lebensmonate 1 to 14",
};
pub const BMZ_NOT_COUNTED_AFTER_BIRTH: Template = Template {
    de: "es liegt nicht vor dem Geburtsmonat",
    en: "it does not lie before the month of birth",
};
pub const SMALL_PROFIT_APPLIED: Template = Template {
    de: "{parent}: Gewinn durchschnittlich {last_year} € im Monat im letzten Veranlagungsjahr vor der Geburt und {to_date} € in den {months} Monaten des Geburtsjahres vor der Geburt, beide unter {limit} €: auf Antrag zählt allein das Einkommen aus nichtselbstständiger Arbeit der 12 Kalendermonate vor dem Geburtsmonat",
    en: "{parent}: profit averaged {last_year} € a month in the last assessment year before the birth and {to_date} € in the {months} months of the birth year before the birth, both under {limit} €: on application only the employment income of the 12 calendar months before the month of birth counts",
};
pub const SMALL_PROFIT_NOT_APPLIED: Template = Template {
    de: "{parent}: Gewinn durchschnittlich {last_year} € im Monat im letzten Veranlagungsjahr vor der Geburt und {to_date} € in den {months} Monaten des Geburtsjahres vor der Geburt, nicht beide unter {limit} €: der Antrag greift nicht, es zählt das Veranlagungsjahr",
    en: "{parent}: profit averaged {last_year} € a month in the last assessment year before the birth and {to_date} € in the {months} months of the birth year before the birth, not both under {limit} €: the application does not apply, the assessment year counts",
};

pub const NETTO: Template = Template {
    de: "{parent}: Elterngeld-Netto {when}: {gross} € brutto − {taxes} € Steuern − {social_contributions} € Sozialabgaben = {net} €",
    en: "{parent}: Elterngeld net income {when}: {gross} € gross − {taxes} € taxes − {social_contributions} € social contributions = {net} €",
};
pub const NETTO_BEFORE: Template = Template {
    de: "vor der Geburt (Monatsdurchschnitt im Bemessungszeitraum)",
    en: "before birth (monthly average over the Bemessungszeitraum)",
};
pub const NETTO_AFTER_BASIS: Template = Template {
    de: "nach der Geburt in Basis-Monaten mit Einkommen",
    en: "after birth in Basis months with income",
};
pub const NETTO_AFTER_PLUS: Template = Template {
    de: "nach der Geburt in Plus-/Bonus-Monaten mit Einkommen",
    en: "after birth in Plus/bonus months with income",
};

pub const INCOME_PER_LEBENSMONAT: Template = Template {
    de: "{parent}: Einkommen {when}, jeder Lebensmonat einzeln mit der Minijob-Grenze und dem Übergangsbereich seines ersten Tages geprüft: Minijob ohne Abzüge in Lebensmonat {minijob}; Übergangsbereich (reduzierte Beitragsbemessungsgrundlage) in Lebensmonat {midijob}; darüber in Lebensmonat {full}; Durchschnitt über {count} Lebensmonate",
    en: "{parent}: income {when}, each Lebensmonat tested on its own with the Minijob limit and Übergangsbereich of its first day: Minijob without deductions in Lebensmonat {minijob}; Übergangsbereich (reduced contribution base) in Lebensmonat {midijob}; above it in Lebensmonat {full}; averaged over {count} Lebensmonate",
};
pub const NO_LEBENSMONAT: Template = Template {
    de: "keinem",
    en: "none",
};

pub const ERSATZRATE: Template = Template {
    de: "{parent}: Ersatzrate {rate} bei {net} € Netto vor der Geburt",
    en: "{parent}: replacement rate {rate} for a net income of {net} € before birth",
};

pub const WITHOUT_INCOME: Template = Template {
    de: "{parent}: Basiselterngeld ohne Einkommen {basis} € (mindestens {min} €, höchstens {max} €), ElterngeldPlus {plus} €",
    en: "{parent}: Basiselterngeld without income {basis} € ({min} € to {max} €), ElterngeldPlus {plus} €",
};

pub const MATERNITY_CREDIT: Template = Template {
    de: "{parent}: Lebensmonat {lebensmonat}: Mutterschaftsleistungen für {covered} von {days} Tagen, {benefit} €; angerechnet nur auf den Anteil dieser Tage am Elterngeld von {amount} € ({covered}/{days} = {share} €): {offset} € angerechnet, {paid} € ausgezahlt",
    en: "{parent}: Lebensmonat {lebensmonat}: maternity benefits for {covered} of {days} days, {benefit} €; credited only against those days' share of the Elterngeld of {amount} € ({covered}/{days} = {share} €): {offset} € credited, {paid} € paid",
};

pub const MATERNITY_CREDIT_WHOLE: Template = Template {
    de: "{parent}: Lebensmonat {lebensmonat}: Mutterschaftsleistungen für alle {covered} von {days} Tagen, {benefit} €, angerechnet auf das Elterngeld von {amount} €: {offset} € angerechnet, {paid} € ausgezahlt",
    en: "{parent}: Lebensmonat {lebensmonat}: maternity benefits for all {covered} of {days} days, {benefit} €, credited against the Elterngeld of {amount} €: {offset} € credited, {paid} € paid",
};

pub const TOTAL: Template = Template {
    de: "{parent}: Elterngeld insgesamt {total} € in {months} Lebensmonaten",
    en: "{parent}: Elterngeld in total {total} € over {months} Lebensmonate",
};

/// Issue 22: a plan that breaks § 4 BEEG is never shown as money.
pub const PLAN_NOT_PAYABLE: Template = Template {
    de: "{parent}: Der Monatsplan verstößt gegen {citations} (siehe plan_problems); solange er nicht berichtigt ist, wird kein Betrag ausgezahlt",
    en: "{parent}: the month plan breaks {citations} (see plan_problems); until it is corrected no amount is payable",
};

pub const ASSUMED_INCOME_AFTER_BIRTH_KIND: Template = Template {
    de: "Einkommen nach der Geburt als {kind} angenommen (überwiegende Art vor der Geburt)",
    en: "Income after birth assumed to be {kind} (the main kind before birth)",
};

/// The kinds of income in prose (`{kind}` above), not their case-format names.
pub const KIND_EMPLOYED: Template = Template {
    de: "Einkommen aus nichtselbständiger Arbeit",
    en: "income from employment",
};
pub const KIND_SELF_EMPLOYED: Template = Template {
    de: "Gewinn aus selbständiger Tätigkeit",
    en: "profit from self-employment",
};
pub const KIND_MINIJOB: Template = Template {
    de: "Einkommen aus einem Minijob",
    en: "income from a Minijob",
};

pub const ASSUMED_NO_SMALL_PROFIT_APPLICATION: Template = Template {
    de: "Gewinn im Veranlagungsjahr {year} durchschnittlich {average} € im Monat, unter {limit} €: auf Antrag zählt allein das Einkommen aus nichtselbstständiger Arbeit der 12 Kalendermonate vor der Geburt, wenn der Gewinn auch im Geburtsjahr bis zum Vormonat der Geburt unter {limit} € im Monat lag. Der Fall gibt diese Monate nicht an; gerechnet ist ohne diesen Antrag",
    en: "Profit in the assessment year {year} averaged {average} € a month, under {limit} €: on application only the employment income of the 12 calendar months before the birth counts, if the profit also stayed under {limit} € a month in the birth year up to the month before the birth. The case does not give those months; computed without this application",
};

pub const ASSUMED_NO_BMZ_EVENTS: Template = Template {
    de: "Keine Angaben zu Mutterschutz, Elterngeld für ein älteres Kind, schwangerschaftsbedingter Krankheit, Wehr- oder Zivildienst oder COVID-19 vor der Geburt (bmz_events): der Bemessungszeitraum ist ohne ausgeklammerte Monate gerechnet",
    en: "Nothing given about Mutterschutz, Elterngeld for an older child, pregnancy-related illness, military or civilian service or COVID-19 before the birth (bmz_events): the Bemessungszeitraum is computed without skipped months",
};
pub const ASSUMED_NO_COVID_APPLICATION: Template = Template {
    de: "Kein Antrag auf Ausklammern der COVID-19-Monate angegeben (bmz_covid_application): diese Monate zählen mit",
    en: "No application to skip the COVID-19 months given (bmz_covid_application): those months count",
};

/// § 8 Abs. 2 S. 1 SGB IV: several Minijobs of one month added up.
pub const MINIJOBS_ADDED_UP: Template = Template {
    de: "{parent}: mehrere Minijobs im Monat {months} zusammengerechnet: zusammen über der Minijob-Grenze des Monats, daher ist keiner geringfügig; alle als Beschäftigung gerechnet (Übergangsbereich oder darüber, mit Lohnsteuer)",
    en: "{parent}: several Minijobs in month {months} added up: together above the month's Minijob limit, so none of them is geringfügig; all computed as employment (Übergangsbereich or above, with wage tax)",
};

pub const ASSUMED_MINIJOB_ABOVE_LIMIT: Template = Template {
    de: "Minijob-Lohn über der Minijob-Grenze des Monats: als Beschäftigung gerechnet (Übergangsbereich oder darüber, mit Lohnsteuer); ein gelegentliches, nicht vorhersehbares Überschreiten (§ 8 Abs. 1b SGB IV) ist nicht angenommen",
    en: "Minijob wage above the month's Minijob limit: computed as employment (Übergangsbereich or above, with wage tax); an occasional, unforeseeable excess (§ 8 Abs. 1b SGB IV) is not assumed",
};

pub const INCOME_AFTER_BIRTH_NOT_COUNTED: Template = Template {
    de: "Kein Einkommen vor der Geburt: Einkommen nach der Geburt wird nicht angerechnet, es gilt der Mindestbetrag",
    en: "No income before birth: income after birth is not counted, the minimum amount applies",
};

pub const WORKING_HOURS_EXCEEDED: Template = Template {
    de: "Mehr als {max_hours} Wochenstunden in Lebensmonat {lebensmonate}: kein Elterngeld in diesen Monaten",
    en: "More than {max_hours} hours a week in Lebensmonat {lebensmonate}: no Elterngeld in those months",
};

pub const RETROACTIVE_LIMIT: Template = Template {
    de: "Antrag im Lebensmonat {application}: rückwirkend nur die letzten {retro} Lebensmonate; Lebensmonat {lebensmonate} entfällt",
    en: "Application in Lebensmonat {application}: only the {retro} Lebensmonate before it are paid retroactively; Lebensmonat {lebensmonate} is lost",
};

pub const NO_RESIDENCE: Template = Template {
    de: "Kein Wohnsitz oder gewöhnlicher Aufenthalt in Deutschland",
    en: "No domicile or habitual residence in Germany",
};
pub const NOT_IN_HOUSEHOLD: Template = Template {
    de: "Lebt nicht mit dem Kind in einem Haushalt",
    en: "Does not live in one household with the child",
};
pub const NO_PERSONAL_CARE: Template = Template {
    de: "Betreut und erzieht das Kind nicht selbst",
    en: "Does not care for and bring up the child personally",
};

pub const TITLE_ASSUMED_EMPLOYED: Template = Template {
    de: "Aufenthaltstitel {title}: berechtigt, da erwerbstätig bzw. in Elternzeit angenommen",
    en: "Residence title {title}: entitled, assuming employment or Elternzeit",
};
pub const TITLE_REQUIRES_EMPLOYMENT: Template = Template {
    de: "Aufenthaltstitel {title} berechtigt nur bei Erwerbstätigkeit (auch Minijob), Arbeitslosengeld oder Elternzeit",
    en: "Residence title {title} entitles only with employment (a Minijob included), unemployment benefit or Elternzeit",
};
pub const TITLE_REQUIRES_EMPLOYMENT_OR_STAY: Template = Template {
    de: "Aufenthaltstitel {title} berechtigt nur bei Erwerbstätigkeit (auch Minijob), Arbeitslosengeld oder Elternzeit oder nach 15 Monaten erlaubten, gestatteten oder geduldeten Aufenthalts",
    en: "Residence title {title} entitles only with employment (a Minijob included), unemployment benefit or Elternzeit, or after 15 months of permitted, allowed or tolerated stay",
};
pub const ASSUMED_NOT_EMPLOYED: Template = Template {
    de: "Aktuelle Situation (current_status) nicht angegeben und keine Erwerbstätigkeit erkennbar: weder Erwerbstätigkeit noch Elternzeit noch Leistungen nach dem SGB III angenommen",
    en: "Current situation (current_status) not given and no employment in the case: assumed neither employed nor on Elternzeit nor drawing SGB III benefits",
};
pub const ASSUMED_SHORT_STAY: Template = Template {
    de: "Beginn des Aufenthalts (in_germany_since) nicht angegeben: ein Aufenthalt von weniger als {months} Monaten angenommen; nach {months} Monaten erlaubten, gestatteten oder geduldeten Aufenthalts besteht der Anspruch auch ohne Erwerbstätigkeit",
    en: "Start of the stay (in_germany_since) not given: a stay of less than {months} months assumed; after {months} months of permitted, allowed or tolerated stay the parent is entitled without employment",
};
pub const TITLE_NOT_ENTITLING: Template = Template {
    de: "Aufenthaltstitel {title} berechtigt nicht zum Elterngeld",
    en: "Residence title {title} does not entitle to Elterngeld",
};
pub const TITLE_UNKNOWN: Template = Template {
    de: "Aufenthaltstitel „{title}“ ist keiner der Titel des § 1 Abs. 7 BEEG; bitte mit der Elterngeldstelle klären",
    en: "Residence title \"{title}\" is none of the titles of § 1 Abs. 7 BEEG; please check with the Elterngeldstelle",
};
pub const TITLE_MISSING: Template = Template {
    de: "Kein Aufenthaltstitel angegeben; ohne einen der Titel des § 1 Abs. 7 BEEG besteht kein Anspruch",
    en: "No residence title given; without one of the titles of § 1 Abs. 7 BEEG there is no entitlement",
};

pub const INCOME_CEILING_EXCEEDED: Template = Template {
    de: "Zu versteuerndes Einkommen {income} € über der Grenze von {ceiling} €",
    en: "Taxable income {income} € above the limit of {ceiling} €",
};
pub const ASSUMED_BELOW_CEILING: Template = Template {
    de: "Zu versteuerndes Einkommen nicht angegeben: unter {ceiling} € angenommen",
    en: "Taxable income not given: assumed below {ceiling} €",
};
