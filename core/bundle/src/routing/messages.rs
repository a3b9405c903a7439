//! The message catalogue of routing: the steps of the explanation, the questions and the
//! errors as the family sees them, German and English, with `{name}` placeholders.

use elternkit_model::Template;

catalogue! {
    // Familienkasse.
    FAMILIENKASSE_BA:
        "Kindergeld zahlt die Familienkasse der Bundesagentur für Arbeit; sie verteilt Online-Anträge intern auf ihre regionalen Familienkassen. Wer im öffentlichen Dienst arbeitet, kann stattdessen an die Familienkasse des Arbeitgebers verwiesen sein (§ 72 EStG).",
        "Kindergeld is paid by the Familienkasse of the Bundesagentur für Arbeit, which distributes online applications to its regional offices itself. Public-service employees may instead belong to their employer's Familienkasse (§ 72 EStG).";
    FAMILIENKASSE_REGIONAL:
        "Für eine Anschrift in {land} ist die {regional} zuständig; {paper}.",
        "For an address in {land} the {regional} is competent; {paper}.";
    FAMILIENKASSE_REGIONAL_KREIS:
        "In {land} entscheidet der Bezirk der Agentur für Arbeit; für {kreis} ist die {regional} zuständig ({basis}); {paper}.",
        "In {land} the Agentur district decides; for {kreis} the {regional} is competent ({basis}); {paper}.";
    FAMILIENKASSE_REGIONAL_CANDIDATES:
        "In {land} entscheidet der Bezirk der Agentur für Arbeit zwischen {candidates}; für {place} ist nicht bestätigt, welche zuständig ist. Ein Antrag auf Papier geht an die zuständige (Postanschrift in Klammern, wo bekannt; sonst nennt sie arbeitsagentur.de).",
        "In {land} the Agentur district decides between {candidates}; for {place} it is not confirmed which one is competent. A paper application goes to the competent one (postal address in brackets where known; otherwise arbeitsagentur.de gives it).";
    FAMILIENKASSE_PAPER_TO:
        "ein Antrag auf Papier geht an die {regional}, {address}",
        "a paper application goes to the {regional}, {address}";
    FAMILIENKASSE_PAPER_NO_ADDRESS:
        "ein Antrag auf Papier geht dorthin, ihre Anschrift nennt arbeitsagentur.de",
        "a paper application goes there, its address is on arbeitsagentur.de";
    FAMILIENKASSE_BASIS_NAMED:
        "so nennt es eine Seite für einen Ort im Kreis",
        "a page for a place in the Kreis says so";
    FAMILIENKASSE_BASIS_SITE:
        "sie hat dort einen Standort; daraus geschlossen, nicht bestätigt",
        "it has a site there; inferred, not confirmed";
    FAMILIENKASSE_YOUR_ADDRESS:
        "Ihre Anschrift ohne Kreis",
        "your address without a Kreis";
    OFFICE_NAME_PLACEHOLDER:
        "Der Name der Stelle ist ein Platzhalter (aus dem Namen des Bezirks gebildet); die Zuständigkeitsebene stammt aus ROUTING.md.",
        "The office name is a placeholder (built from the district's name); the level of competence is from ROUTING.md.";

    // The Land.
    POSTCODE_UNKNOWN_LAND_ANSWERED:
        "Die Postleitzahl {postcode} fehlt in unserer Tabelle; Land wie angegeben: {land}.",
        "Postcode {postcode} is not in our table; Land as answered: {land}.";
    POSTCODE_LAND_ANSWERED:
        "Postleitzahl {postcode}, Land wie angegeben: {land}.",
        "Postcode {postcode}, Land as answered: {land}.";
    POSTCODE_IN_LAND:
        "Die Postleitzahl {postcode} liegt in {land}.",
        "Postcode {postcode} lies in {land}.";
    POSTCODE_IN_SEVERAL_LANDS:
        "Die Postleitzahl {postcode} gibt es in mehreren Ländern: {lands}.",
        "Postcode {postcode} exists in several Länder: {lands}.";
    QUESTION_LAND:
        "In welchem Bundesland liegt die Adresse?",
        "Which Land (federal state) is the address in?";
    QUESTION_LAND_OF_SEVERAL:
        "Die Postleitzahl liegt in mehreren Bundesländern. In welchem liegt die Adresse?",
        "The postcode spans several Länder. Which one is the address in?";
    QUESTION_BIRTH_LAND:
        "In welchem Bundesland liegt der Geburtsort des Kindes?",
        "Which Land (federal state) was the child born in?";
    QUESTION_BIRTH_LAND_OF_SEVERAL:
        "Die Postleitzahl des Geburtsorts liegt in mehreren Bundesländern. In welchem wurde das Kind geboren?",
        "The postcode of the place of birth spans several Länder. Which one was the child born in?";
    POSTCODE_UNKNOWN_ZONE_IN_LAND:
        "Die Postleitzahl {postcode} fehlt in unserer Tabelle; alle Postleitzahlen, die mit {prefix} beginnen, liegen in {land}, also auch diese.",
        "Postcode {postcode} is not in our table; every postcode beginning with {prefix} lies in {land}, so this one does too.";
    POSTCODE_UNKNOWN_AREA_IN:
        "Die Postleitzahl {postcode} fehlt in unserer Tabelle; Postleitzahlen, die mit {prefix} beginnen, liegen in: {lands}.",
        "Postcode {postcode} is not in our table; postcodes beginning with {prefix} lie in: {lands}.";

    // The Standesamt.
    STANDESAMT_OF_BIRTH_PLACE:
        "Zuständig für die Geburtsanzeige ist das Standesamt des Geburtsorts, nicht des Wohnorts (§§ 18–20 PStG).",
        "The birth is registered at the Standesamt of the place of birth, not of the residence (§§ 18–20 PStG).";
    STANDESAMT_PLACEHOLDER:
        "Eine Tabelle Gemeinde → Standesamt gibt es noch nicht: das Ziel ist ein Platzhalter für das Land, und mehrere Gemeinden können sich ein Standesamt teilen.",
        "There is no Gemeinde → Standesamt table yet: the destination is a placeholder for the Land, and several Gemeinden may share one Standesamt.";
    STANDESAMT_PER_BEZIRK:
        "{land} hat ein Standesamt je Bezirk; der Bezirk steht nicht in der Postleitzahl.",
        "{land} has a Standesamt per district; a postcode does not tell the district.";
    QUESTION_BIRTH_BEZIRK:
        "In welchem Bezirk wurde das Kind geboren?",
        "In which district was the child born?";
    BIRTH_PLACE_OF_POSTCODE:
        "Geburtsort: {locality} (Postleitzahl {postcode}).",
        "Place of birth: {locality} (postcode {postcode}).";
    BIRTH_PLACE_AS_GIVEN:
        "Geburtsort wie angegeben: {answer}; die Postleitzahl fehlt in unserer Tabelle.",
        "Place of birth as given: {answer}; the postcode is not in our table.";
    POSTCODE_UNKNOWN_ENTER_GEMEINDE:
        "Die Postleitzahl {postcode} fehlt in unserer Tabelle; bitte die Gemeinde des Geburtsorts eingeben.",
        "Postcode {postcode} is not in our table; please enter the Gemeinde of the place of birth.";
    CHOOSE_GEMEINDE:
        "Bitte die Gemeinde des Geburtsorts wählen (Postleitzahl {postcode}).",
        "Please choose the Gemeinde of the place of birth (postcode {postcode}).";
    STANDESAMT_BREMEN_DISTRICT:
        "Die Stadt Bremen hat zwei Standesamtsbezirke; die Postleitzahl {postcode} liegt im Bezirk {district} (Bremen-Nord: Burglesum, Vegesack, Blumenthal).",
        "The city of Bremen has two Standesamt districts; postcode {postcode} lies in {district} (Bremen-Nord: Burglesum, Vegesack, Blumenthal).";
    QUESTION_BIRTH_GEMEINDE:
        "In welcher Gemeinde wurde das Kind geboren?",
        "In which municipality (Gemeinde) was the child born?";

    // The Elterngeldstelle (§ 12 BEEG).
    ELTERNGELD_CENTRAL:
        "{office} bearbeitet Elterngeld zentral für das ganze Land.",
        "{office} handles Elterngeld centrally for the whole Land.";
    ELTERNGELD_LAND_AGENCY:
        "In {land} bearbeitet eine Landesbehörde mit Außenstellen das Elterngeld. Welche Außenstelle für welchen Kreis zuständig ist, ist nicht geprüft; der Antrag geht an die Landesbehörde.",
        "In {land} one Land agency with regional offices handles Elterngeld. Which regional office serves which Kreis is not verified; the application goes to the agency itself.";
    ELTERNGELD_CITY_OF_POSTCODE:
        "Die Postleitzahl {postcode} gehört zu {localities}; zuständig ist {office}.",
        "Postcode {postcode} belongs to {localities}; {office} is competent.";
    ELTERNGELD_GEMEINDE_OF_POSTCODE:
        "Die Postleitzahl {postcode} gehört zur Gemeinde {localities}, die hier selbst Elterngeldstelle ist; zuständig ist {office}.",
        "Postcode {postcode} belongs to the Gemeinde {localities}, which runs its own Elterngeld office here; {office} is competent.";
    POSTCODE_NOT_ENOUGH_FOR_CITY:
        "Die Postleitzahl {postcode} reicht nicht, um die Stadt zu bestimmen.",
        "Postcode {postcode} is not enough to tell the city.";
    QUESTION_CITY:
        "In welcher Stadt wohnen Sie?",
        "Which city do you live in?";
    ELTERNGELD_BEZIRK:
        "In {land} sind die Bezirksämter zuständig; der Bezirk steht nicht in der Postleitzahl.",
        "In {land} the district offices (Bezirksämter) are competent; a postcode does not tell the district.";
    QUESTION_BEZIRK:
        "In welchem Bezirk wohnen Sie?",
        "Which district (Bezirk) do you live in?";
    ELTERNGELD_KREIS:
        "In {land} sind die Landkreise und kreisfreien Städte zuständig; die Postleitzahl sagt nicht sicher, welcher Kreis.",
        "In {land} the Landkreise and kreisfreie Städte are competent; a postcode does not tell the Kreis for sure.";
    ELTERNGELD_CITY_FROM_POSTCODE:
        "Die Postleitzahl {postcode} liegt ganz in der kreisfreien Stadt {kreis}.",
        "Postcode {postcode} lies wholly in the kreisfreie Stadt {kreis}.";
    QUESTION_KREIS:
        "In welchem Landkreis oder in welcher kreisfreien Stadt in {land} wohnen Sie?",
        "Which Landkreis or kreisfreie Stadt in {land} do you live in?";
    KREIS_ANSWERED:
        "Angegebener Kreis: {kreis} ({key}).",
        "Kreis as answered: {kreis} ({key}).";
    SEVERAL_OFFICES_IN_KREIS:
        "Im Kreis {kreis} gibt es mehr als eine Elterngeldstelle.",
        "Kreis {kreis} has more than one Elterngeld office.";
    QUESTION_WHERE_EXACTLY:
        "Wo genau wohnen Sie?",
        "Where exactly do you live?";
    OFFICE_OF_SEVERAL_KREISE:
        "{office} ist für mehrere Kreise zuständig.",
        "{office} serves several Kreise.";
    AREA_ANSWERED:
        "Angegeben: {area}; zuständig ist {office}.",
        "As answered: {area}; {office} is competent.";

    // Errors, as the family sees them; the English equals the error's `Display`.
    MALFORMED_POSTCODE:
        "Die Postleitzahl {postcode} ist keine deutsche Postleitzahl; bitte genau fünf Ziffern eingeben",
        "postcode {postcode} is not a German postcode; enter exactly five digits";
    ANSWER_DOES_NOT_FIT:
        "Die Antwort {value} für `{field}` passt nicht: {reason}; bitte eine der angebotenen Möglichkeiten wählen",
        "the answer {value} for `{field}` does not fit: {reason}; choose one of the offered options";
    UNKNOWN_POSTCODE:
        "Die Postleitzahl {postcode} gibt es nicht: keine deutsche Postleitzahl beginnt mit {prefix}",
        "postcode {postcode} does not exist: no German postcode begins with {prefix}";
    MISSING_DESTINATION:
        "Das Verzeichnis hat kein Ziel {destination_id} für {service}; bitte das Verzeichnis aktualisieren",
        "the directory has no destination {destination_id} for {service}; update the directory";
    NO_VALID_RECIPIENT:
        "Das Ziel {destination_id} hat keinen am {date} gültigen age-Empfänger; bitte das Verzeichnis aktualisieren",
        "destination {destination_id} has no age recipient valid on {date}; update the directory";
    BROKEN_DATA:
        "Die eingebauten Zuständigkeitsdaten sind fehlerhaft ({detail}); das ist ein Fehler dieser Version",
        "the embedded routing data is broken ({detail}); this is a defect of the build";

    // Why an answer does not fit.
    POSTCODE_LIES_IN:
        "die Postleitzahl {postcode} liegt in {lands}",
        "postcode {postcode} lies in {lands}";
    POSTCODE_AREA_IN:
        "Postleitzahlen, die mit {prefix} beginnen, liegen in {lands}",
        "postcodes beginning with {prefix} lie in {lands}";
    POSTCODE_WHOLLY_IN_CITY:
        "die Postleitzahl {postcode} liegt ganz in {city}",
        "postcode {postcode} lies wholly in {city}";
    CITY_HAS_NO_SUCH_POSTCODE:
        "{kreis} hat keine Postleitzahl, die mit {prefix} beginnt",
        "{kreis} has no postcode beginning with {prefix}";
    NOT_A_BEZIRK:
        "kein Bezirk von {land}",
        "not a Bezirk of {land}";
    POSTCODE_NAMES:
        "die Postleitzahl {postcode} nennt {localities} in {land}",
        "postcode {postcode} names {localities} in {land}";
    EXPECTED_ONE_OF:
        "erwartet wird eine von: {areas}",
        "expected one of {areas}";
    KREIS_IN_OTHER_LAND:
        "{kreis} liegt in {kreis_land}, nicht in {land}",
        "{kreis} lies in {kreis_land}, not in {land}";
    NOT_A_KREIS_KEY:
        "kein aktueller Kreisschlüssel (fünf Ziffern aus der angebotenen Liste)",
        "not a current Kreis key (five digits from the list offered)";
}
