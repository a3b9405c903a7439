//! The message catalogue of the Kindergeld rules: every explanation and reason text, German
//! and English, with `{name}` placeholders for the arguments the rules record.

use elternkit_model::Template;

// § 32 Abs. 3–4 EStG: whether a child counts.

pub const CHILD_UNDER_18: Template = Template {
    de: "Kind {child} (geb. {birth_date}), Monat {month}: unter {age_limit} Jahren, wird immer berücksichtigt, längstens bis {until} (Monat, in dem es zuletzt noch unter {age_limit} ist).",
    en: "Child {child} (born {birth_date}), month {month}: under {age_limit}, always counted, at most until {until} (the last month in which it is still under {age_limit} on at least one day).",
};
pub const CHILD_COUNTS_UNTIL: Template = Template {
    de: "Kind {child} (geb. {birth_date}), Monat {month}: im Alter von {age} Jahren berücksichtigt: {grounds}; bis {until}.",
    en: "Child {child} (born {birth_date}), month {month}: counts at age {age}: {grounds}; until {until}.",
};
pub const CHILD_COUNTS_NO_LIMIT: Template = Template {
    de: "Kind {child} (geb. {birth_date}), Monat {month}: im Alter von {age} Jahren berücksichtigt: {grounds}; ohne Altersgrenze.",
    en: "Child {child} (born {birth_date}), month {month}: counts at age {age}: {grounds}; without an age limit.",
};
pub const CHILD_DOES_NOT_COUNT: Template = Template {
    de: "Kind {child} (geb. {birth_date}), Monat {month}: im Alter von {age} Jahren nicht berücksichtigt.",
    en: "Child {child} (born {birth_date}), month {month}: does not count at age {age}.",
};

pub const GROUND_UNEMPLOYED: Template = Template {
    de: "arbeitsuchend gemeldet (unter 21)",
    en: "registered as job-seeker (under 21)",
};
pub const GROUND_EDUCATION: Template = Template {
    de: "in Ausbildung (Nr. 2 a)",
    en: "in education (Nr. 2 a)",
};
pub const GROUND_TRANSITION: Template = Template {
    de: "Übergangszeit von höchstens 4 Monaten (Nr. 2 b)",
    en: "transition period of at most 4 months (Nr. 2 b)",
};
pub const GROUND_NO_TRAINING_PLACE: Template = Template {
    de: "ohne Ausbildungsplatz (Nr. 2 c)",
    en: "no training place (Nr. 2 c)",
};
pub const GROUND_VOLUNTEER: Template = Template {
    de: "Freiwilligendienst (Nr. 2 d)",
    en: "voluntary service (Nr. 2 d)",
};
pub const GROUND_DISABILITY: Template = Template {
    de: "Behinderung vor 25 eingetreten (Nr. 3, ohne Altersgrenze)",
    en: "disability arisen before 25 (Nr. 3, no age limit)",
};

pub const DISABILITY_BEYOND_18: Template = Template {
    de: "Wegen der Behinderung kann das Kindergeld über den 18. Geburtstag hinaus ohne Altersgrenze weiterlaufen, wenn die Behinderung vor dem 25. Geburtstag eingetreten ist und das Kind sich nicht selbst unterhalten kann.",
    en: "Because of the disability, Kindergeld can continue past the 18th birthday without an age limit if the disability arose before the 25th birthday and the child cannot support itself.",
};
pub const ASSUMED_MARGINAL_EMPLOYMENT: Template = Template {
    de: "Angenommen: die Tätigkeit von {hours} Wochenstunden ist eine geringfügige Beschäftigung (Minijob); ein anderes Beschäftigungsverhältnis schließt die Berücksichtigung als arbeitsuchendes Kind aus.",
    en: "Assumed: the work of {hours} hours a week is marginal employment (Minijob); any other employment rules out counting the child as a job-seeker.",
};
pub const UNEMPLOYED_OVER_21: Template = Template {
    de: "Als arbeitsuchendes Kind wird ein Kind nur bis zum Monat berücksichtigt, in dem es noch unter {age_limit} ist ({until}).",
    en: "A child registered as a job-seeker counts only up to the last month in which it is still under {age_limit} ({until}).",
};
pub const OVER_AGE_LIMIT_25: Template = Template {
    de: "Ausbildung, Übergangszeit, fehlender Ausbildungsplatz oder Freiwilligendienst zählen nur bis zum Monat, in dem das Kind noch unter {age_limit} ist ({until}); das Kind ist {age}.",
    en: "Education, a transition period, a missing training place or voluntary service count only up to the last month in which the child is still under {age_limit} ({until}); the child is {age}.",
};
pub const ASSUMED_FIRST_EDUCATION_NOT_COMPLETED: Template = Template {
    de: "Angenommen: das Kind hat noch keine erste Berufsausbildung und kein Erststudium abgeschlossen, daher schadet die Erwerbstätigkeit nicht.",
    en: "Assumed: the child has not completed a first vocational training or first degree yet, so its work does not matter.",
};
pub const EMPLOYMENT_AFTER_FIRST_EDUCATION: Template = Template {
    de: "Nach einer abgeschlossenen ersten Berufsausbildung bzw. einem Erststudium wird das Kind nur berücksichtigt, wenn es keiner Erwerbstätigkeit nachgeht; unschädlich sind höchstens {limit} Stunden regelmäßige Wochenarbeitszeit, hier {hours}.",
    en: "After a completed first vocational training or first degree the child counts only if not gainfully employed; a regular working time of at most {limit} hours a week is harmless, here {hours}.",
};
pub const ASSUMED_DISABILITY_BEFORE_25: Template = Template {
    de: "Angenommen: die Behinderung ist vor dem {age_limit}. Geburtstag eingetreten und das Kind kann sich deshalb nicht selbst unterhalten.",
    en: "Assumed: the disability arose before the {age_limit}th birthday and keeps the child from supporting itself.",
};
pub const DISABILITY_AFTER_25: Template = Template {
    de: "Ein behindertes Kind wird ohne Altersgrenze nur berücksichtigt, wenn die Behinderung vor dem {age_limit}. Geburtstag eingetreten ist.",
    en: "A disabled child counts without an age limit only if the disability arose before the {age_limit}th birthday.",
};
pub const OVER_18_WITHOUT_GROUND: Template = Template {
    de: "Das Kind ist {age} Jahre alt; ab 18 wird es nur berücksichtigt, wenn es arbeitsuchend gemeldet ist (unter 21), in Ausbildung, in einer Übergangszeit von höchstens {transition} Monaten, ohne Ausbildungsplatz oder im Freiwilligendienst ist (unter 25) oder wegen einer vor 25 eingetretenen Behinderung sich nicht selbst unterhalten kann.",
    en: "The child is {age}; from 18 on a child counts only if registered as a job-seeker (under 21), in education, in a transition period of at most {transition} months, without a training place or in voluntary service (under 25), or unable to support itself because of a disability that arose before 25.",
};

// § 62 EStG: the claimant.

pub const CLAIMANT_NOT_RESIDENT: Template = Template {
    de: "Die antragstellende Person hat keinen Wohnsitz oder gewöhnlichen Aufenthalt in Deutschland. Anspruch besteht dann nur bei unbeschränkter Steuerpflicht (§ 62 Abs. 1 S. 1 Nr. 2 EStG) oder nach dem BKGG; das prüft die Familienkasse.",
    en: "The claimant has no domicile or habitual residence in Germany. A claim then exists only with unlimited income-tax liability (§ 62 Abs. 1 S. 1 Nr. 2 EStG) or under the BKGG; the Familienkasse checks this.",
};
pub const CLAIMANT_NO_TAX_ID: Template = Template {
    de: "Die antragstellende Person muss durch ihre steuerliche Identifikationsnummer (§ 139b AO) identifiziert werden.",
    en: "The claimant must be identified by their tax identification number (§ 139b AO).",
};
pub const RESIDENCE_TITLE_MISSING: Template = Template {
    de: "Staatsangehörige außerhalb von EU, EWR und Schweiz erhalten Kindergeld nur mit einem der in § 62 Abs. 2 EStG genannten Aufenthaltstitel; es ist keiner angegeben.",
    en: "Citizens of countries outside the EU, EEA and Switzerland receive Kindergeld only with one of the residence titles named in § 62 Abs. 2 EStG; none was given.",
};
pub const RESIDENCE_TITLE_UNKNOWN: Template = Template {
    de: "Der Aufenthaltstitel „{title}“ ist nicht in der Tabelle des § 62 Abs. 2 EStG; ohne Prüfung wird kein Anspruch angenommen. Bitte bei der Familienkasse klären.",
    en: "The residence title \"{title}\" is not in the table of § 62 Abs. 2 EStG; no claim is assumed without a check. Please clarify with the Familienkasse.",
};
pub const RESIDENCE_TITLE_NOT_ELIGIBLE: Template = Template {
    de: "Der Aufenthaltstitel {title} begründet keinen Anspruch auf Kindergeld.",
    en: "The residence title {title} gives no claim to Kindergeld.",
};
pub const ASSUMED_EMPLOYMENT_OR_PARENTAL_LEAVE: Template = Template {
    de: "Der Aufenthaltstitel {title} begründet einen Anspruch nur bei berechtigter Erwerbstätigkeit, Elternzeit (§ 15 BEEG) oder laufenden Leistungen nach dem SGB III. Angenommen: die angegebene Erwerbstätigkeit besteht fort oder ruht während der Elternzeit.",
    en: "The residence title {title} gives a claim only with lawful employment, parental leave (§ 15 BEEG) or ongoing SGB III benefits. Assumed: the employment given continues or rests during parental leave.",
};
pub const RESIDENCE_TITLE_REQUIRES_EMPLOYMENT: Template = Template {
    de: "Der Aufenthaltstitel {title} begründet einen Anspruch nur bei berechtigter Erwerbstätigkeit (auch einem Minijob), Elternzeit (§ 15 BEEG) oder laufenden Leistungen nach dem SGB III; keines davon ist angegeben.",
    en: "The residence title {title} gives a claim only with lawful employment (a Minijob included), parental leave (§ 15 BEEG) or ongoing SGB III benefits; none of these is given.",
};
pub const RESIDENCE_TITLE_REQUIRES_EMPLOYMENT_OR_STAY: Template = Template {
    de: "Der Aufenthaltstitel {title} begründet einen Anspruch nur bei berechtigter Erwerbstätigkeit (auch einem Minijob), Elternzeit (§ 15 BEEG) oder laufenden Leistungen nach dem SGB III (§ 62 Abs. 2 Nr. 3 EStG) oder nach 15 Monaten erlaubten, gestatteten oder geduldeten Aufenthalts (§ 62 Abs. 2 Nr. 4 EStG); keines davon ist angegeben.",
    en: "The residence title {title} gives a claim only with lawful employment (a Minijob included), parental leave (§ 15 BEEG) or ongoing SGB III benefits (§ 62 Abs. 2 Nr. 3 EStG), or after 15 months of permitted, allowed or tolerated stay (§ 62 Abs. 2 Nr. 4 EStG); none of these is given.",
};
pub const ASSUMED_NOT_EMPLOYED: Template = Template {
    de: "Die aktuelle Situation (current_status) ist nicht angegeben und der Fall zeigt keine Erwerbstätigkeit: angenommen, dass weder eine Erwerbstätigkeit noch Elternzeit noch laufende Leistungen nach dem SGB III bestehen.",
    en: "The current situation (current_status) is not given and the case shows no employment: assumed that there is neither employment nor parental leave nor ongoing SGB III benefits.",
};
pub const ASSUMED_SHORT_STAY: Template = Template {
    de: "Der Beginn des Aufenthalts (in_germany_since) ist nicht angegeben: ein Aufenthalt von weniger als {months} Monaten angenommen. Nach {months} Monaten erlaubten, gestatteten oder geduldeten Aufenthalts besteht der Anspruch auch ohne Erwerbstätigkeit.",
    en: "The start of the stay (in_germany_since) is not given: a stay of less than {months} months assumed. After {months} months of permitted, allowed or tolerated stay the claim exists without employment.",
};
pub const CLAIMANT_ELIGIBLE: Template = Template {
    de: "{claimant} ist anspruchsberechtigt (Wohnsitz in Deutschland, Steuer-ID, Staatsangehörigkeit bzw. Aufenthaltstitel).",
    en: "{claimant} is entitled to claim (residence in Germany, tax ID, citizenship or residence title).",
};
pub const CLAIMANT_NOT_ELIGIBLE: Template = Template {
    de: "{claimant} ist nicht anspruchsberechtigt.",
    en: "{claimant} is not entitled to claim.",
};

// The application and § 64 EStG.

pub const ASSUMED_CLAIMANT_FIRST_PARENT: Template = Template {
    de: "Angenommen: {claimant} stellt den Antrag (erster Elternteil).",
    en: "Assumed: {claimant} files the application (the first parent).",
};
pub const ASSUMED_APPLICATION_ON_EVALUATION_DATE: Template = Template {
    de: "Angenommen: der Antrag geht am {date} bei der Familienkasse ein.",
    en: "Assumed: the application reaches the Familienkasse on {date}.",
};
pub const ASSUMED_TAX_IDS_PRESENT: Template = Template {
    de: "Angenommen: die steuerlichen Identifikationsnummern der antragstellenden Person und des Kindes liegen vor.",
    en: "Assumed: the tax identification numbers of the claimant and of the child are available.",
};
pub const BERECHTIGTENBESTIMMUNG: Template = Template {
    de: "Beide Eltern leben mit dem Kind in einem Haushalt: Kindergeld erhält nur eine Person. Die Eltern bestimmen untereinander, wer es bezieht (Berechtigtenbestimmung); ohne Einigung entscheidet auf Antrag das Familiengericht.",
    en: "Both parents live with the child in one household: only one person receives Kindergeld. The parents decide between themselves who receives it (Berechtigtenbestimmung); without agreement the family court decides on application.",
};
pub const PRIORITY_HOUSEHOLD_PARENT: Template = Template {
    de: "{claimant} lebt nicht mit dem Kind zusammen: vorrangig berechtigt ist {priority}, in dessen Haushalt das Kind lebt; {claimant} hat keinen eigenen Anspruch.",
    en: "{claimant} does not live with the child: {priority}, in whose household the child lives, has priority; {claimant} has no entitlement of their own.",
};
pub const PRIORITY_MAINTENANCE: Template = Template {
    de: "Das Kind lebt im Haushalt keines Elternteils: Kindergeld erhält, wer dem Kind (den höheren) Unterhalt zahlt.",
    en: "The child lives in neither parent's household: Kindergeld goes to whoever pays the child (the higher) maintenance.",
};
pub const OTHER_PARENT_MAY_CLAIM: Template = Template {
    de: "{parent} erfüllt die Voraussetzungen des § 62 EStG und kann den Antrag stellen.",
    en: "{parent} meets the conditions of § 62 EStG and can file the application.",
};
pub const EU_FIRST_THREE_MONTHS: Template = Template {
    de: "EU-/EWR-Staatsangehörige, die nach Deutschland ziehen, erhalten in den ersten drei Monaten nur Kindergeld, wenn sie inländische Einkünfte haben.",
    en: "EU/EEA citizens moving to Germany receive Kindergeld in the first three months only if they have domestic income.",
};

// Per child: tax ID, amount, period, retroactive limit.

pub const CHILD_NO_TAX_ID: Template = Template {
    de: "Das Kind wird nur berücksichtigt, wenn es durch seine steuerliche Identifikationsnummer identifiziert ist; sie wird nach der Anmeldung der Geburt automatisch vergeben.",
    en: "The child counts only once it is identified by its tax identification number, which is issued automatically after the birth is registered.",
};
pub const BIRTH_EXPECTED: Template = Template {
    de: "Die Geburt ({birth}) steht noch bevor: berechnet für den Geburtsmonat {month}.",
    en: "The birth ({birth}) is still to come: computed for the month of birth {month}.",
};
pub const AMOUNT: Template = Template {
    de: "Kindergeld für Kind {child} im Monat {month}: {amount} EUR.",
    en: "Kindergeld for child {child} in {month}: EUR {amount}.",
};
pub const AMOUNT_BY_ORDER: Template = Template {
    de: "Kindergeld für Kind {child} im Monat {month}: {amount} EUR, der Betrag für das {order}. Kind (Reihenfolge der Geburt unter allen berücksichtigten Kindern, Zählkinder eingeschlossen).",
    en: "Kindergeld for child {child} in {month}: EUR {amount}, the amount for child number {order} (order of birth among all children counted, Zählkinder included).",
};
pub const KINDERBONUS: Template = Template {
    de: "Kinderbonus für Kind {child}: einmalig {amount} EUR für {year}, weil für das Kind in {year} Anspruch auf Kindergeld besteht.",
    en: "Kinderbonus for child {child}: a one-off EUR {amount} for {year}, since the child is entitled to Kindergeld in {year}.",
};
pub const PERIOD_UNTIL: Template = Template {
    de: "Kind {child}: Anspruch für jeden Monat, in dem die Voraussetzungen an mindestens einem Tag vorliegen: ab {from}, nach heutigem Stand bis {until}.",
    en: "Child {child}: entitled for every month with the conditions met on at least one day: from {from}, as known today until {until}.",
};
pub const PERIOD_NO_LIMIT: Template = Template {
    de: "Kind {child}: Anspruch für jeden Monat, in dem die Voraussetzungen an mindestens einem Tag vorliegen: ab {from}, nach heutigem Stand ohne Altersgrenze.",
    en: "Child {child}: entitled for every month with the conditions met on at least one day: from {from}, as known today without an age limit.",
};
pub const RETROACTIVE: Template = Template {
    de: "Kind {child}: ein Antrag vom {application_date} erreicht rückwirkend die Monate ab {retroactive_from} ({retroactive_months} Monate vor dem Antragsmonat); ausgezahlt ab {payable_from}, verlorene Monate: {lost}.",
    en: "Child {child}: an application of {application_date} reaches back to {retroactive_from} ({retroactive_months} months before the month of application); paid from {payable_from}, months lost: {lost}.",
};
pub const ASSUMED_SIBLING_ALREADY_CLAIMED: Template = Template {
    de: "Angenommen: für dieses ältere Kind wird Kindergeld bereits bezogen; die Rückwirkungsgrenze wird nur für das neugeborene Kind geprüft.",
    en: "Assumed: Kindergeld for this older child is already being received; the retroactive limit is checked for the newborn only.",
};
