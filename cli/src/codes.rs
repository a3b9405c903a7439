//! The registry of every error code a user of ElternKit can meet: the command line's own
//! (arguments, files, drafts, `lohnsteuer`), the codes of a case's `errors` and of the § 4
//! plan problems that `calc`, `bundle` and `plan` show, the bundle's finding codes, the
//! reasons of the draft store and of the plan request (shown inside a command-line message
//! in the run's language), and the variants of the FFI error enum in `bindings/`. One table
//! in code, from which `docs/ERRORS.md` is generated; the tests below fail when the page, the
//! core's sources or the FFI enum drift from it.
//!
//! A code of the command line carries its message (German and English, with `{name}`
//! placeholders that [`crate::error::CliError`] fills); a code of the core or the FFI
//! carries what it means, since its message is made where it is found.

use elternkit_model::Template;

use crate::exit;

/// Where a code is emitted, and so where a user meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// `elternkit` itself: `elternkit: [PATH: ]MESSAGE [CODE]` on stderr.
    Cli,
    /// `elternkit lohnsteuer`: the `error.code` of a `--jsonl` line, and an argument's error.
    Lohnsteuer,
    /// A case as the model and the rules read it: `errors[].code` of `elternkit.result/1`
    /// and the `FILE:LINE:COL: PATH: MESSAGE [CODE]` lines.
    Case,
    /// A § 4 BEEG problem of the month plan: `elterngeld.plan_problems[].code`.
    Plan,
    /// A finding of the bundle (`core/bundle`): `problems[].code` of `elternkit.bundle/1` and
    /// of each application, the checklist's lines.
    Bundle,
    /// Why the draft store refused an input (`core/store`, `InputError::code`): the
    /// `{reason}` of `draft_input_refused`, and across the FFI `InvalidArgument`'s reason.
    Store,
    /// Why a plan request is invalid (`core/planner`, `RequestProblem::code`): the `{reason}`
    /// of `invalid_plan_request`, and across the FFI `InvalidArgument`'s reason.
    PlanRequest,
    /// A variant of `ElternKitError` across the FFI (Kotlin `ElternKitException.<Name>`,
    /// Swift `ElternKitError.<name>`); the CLI never prints these.
    Ffi,
}

impl Origin {
    const ALL: [Origin; 8] = [
        Origin::Cli,
        Origin::Lohnsteuer,
        Origin::Case,
        Origin::Plan,
        Origin::Bundle,
        Origin::Store,
        Origin::PlanRequest,
        Origin::Ffi,
    ];

    /// The origin's name in `elternkit errors --json`.
    fn name(self) -> &'static str {
        match self {
            Origin::Cli => "cli",
            Origin::Lohnsteuer => "lohnsteuer",
            Origin::Case => "case",
            Origin::Plan => "plan",
            Origin::Bundle => "bundle",
            Origin::Store => "store",
            Origin::PlanRequest => "plan_request",
            Origin::Ffi => "ffi",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Origin::Cli => "The command line (`elternkit`)",
            Origin::Lohnsteuer => {
                "`elternkit lohnsteuer` (exit 1 for a `--jsonl` line, whose `error.code` it is; \
                 2 for a `NAME=VALUE` argument)"
            }
            Origin::Case => "A case (`errors[].code` of `elternkit.result/1`)",
            Origin::Plan => "The month plan (`elterngeld.plan_problems[].code`, § 4 BEEG)",
            Origin::Bundle => {
                "The bundle (`problems[].code` of `elternkit.bundle/1` and of each application; \
                 besides these, a finding passes on a code of the case or the rules as it is). \
                 `bundle` exits 1 for an error among the bundle's own `problems`; an \
                 application's findings mark it not ready and leave the exit status alone"
            }
            Origin::Store => {
                "The draft store's refused inputs (the `{reason}` of `draft_input_refused`; \
                 across the FFI the reason of `InvalidArgument`)"
            }
            Origin::PlanRequest => {
                "The plan request (the `{reason}` of `invalid_plan_request`; across the FFI \
                 the reason of `InvalidArgument` for `request_json`)"
            }
            Origin::Ffi => "The FFI error enum (`bindings/`, `ElternKitError`)",
        }
    }
}

/// One error code.
#[derive(Debug)]
pub struct ErrorCode {
    /// The stable code (snake_case; the FFI's in its Rust variant name).
    pub code: &'static str,
    pub origin: Origin,
    /// The CLI's exit status with this error (`None` across the FFI).
    pub exit: Option<u8>,
    /// The message (CLI and `lohnsteuer`), else what the code means; German and English.
    pub text: Template,
}

macro_rules! codes {
    ($( $name:ident = $code:literal, $origin:ident, $exit:expr, de: $de:literal, en: $en:literal; )*) => {
        $(
            // Only `ALL` reads the entries of the core and the FFI: the CLI never builds them.
            #[allow(dead_code)]
            pub const $name: ErrorCode = ErrorCode {
                code: $code,
                origin: Origin::$origin,
                exit: $exit,
                text: Template { de: $de, en: $en },
            };
        )*
        /// Every code, in the order of `docs/ERRORS.md`.
        pub const ALL: &[&ErrorCode] = &[$(&$name),*];
    };
}

const USAGE: Option<u8> = Some(exit::USAGE);
const CONTENT: Option<u8> = Some(exit::CONTENT);
const CONFLICT: Option<u8> = Some(exit::CONFLICT);
const FFI: Option<u8> = None;
/// A bundle finding: its exit status depends on where it stands (see the heading).
const FINDING: Option<u8> = None;

codes! {
    // --- Usage errors (clap), all exit 2. `{arg}` is an option or argument name, never a
    // value the user typed (a value may be personal).
    UNKNOWN_ARGUMENT = "unknown_argument", Cli, USAGE,
        de: "unbekannte Option {arg}",
        en: "unknown option {arg}";
    UNEXPECTED_ARGUMENT = "unexpected_argument", Cli, USAGE,
        de: "ein Argument zu viel (hier wird keins erwartet)",
        en: "one argument too many (none is expected here)";
    UNKNOWN_COMMAND = "unknown_command", Cli, USAGE,
        de: "unbekannter Befehl {arg}",
        en: "unknown command {arg}";
    MISSING_ARGUMENT = "missing_argument", Cli, USAGE,
        de: "es fehlt {arg}",
        en: "{arg} is missing";
    MISSING_COMMAND = "missing_command", Cli, USAGE,
        de: "es fehlt der Befehl",
        en: "the command is missing";
    INVALID_ARGUMENT_VALUE = "invalid_argument_value", Cli, USAGE,
        de: "ungültiger Wert für {arg}",
        en: "invalid value for {arg}";
    CONFLICTING_ARGUMENTS = "conflicting_arguments", Cli, USAGE,
        de: "{arg} geht nicht zusammen mit {other}",
        en: "{arg} cannot be used with {other}";
    WRONG_NUMBER_OF_VALUES = "wrong_number_of_values", Cli, USAGE,
        de: "falsche Anzahl von Werten für {arg}",
        en: "wrong number of values for {arg}";
    ARGUMENT_NOT_UTF8 = "argument_not_utf8", Cli, USAGE,
        de: "ein Argument ist kein gültiges UTF-8",
        en: "an argument is not valid UTF-8";
    USAGE_ERROR = "usage_error", Cli, USAGE,
        de: "die Argumente passen nicht zum Befehl",
        en: "the arguments do not fit the command";

    // --- Files and streams, exit 2. `{path}` is the path as given (`<stdin>` for `-`).
    FILE_NOT_FOUND = "file_not_found", Cli, USAGE,
        de: "{path}: Datei nicht gefunden; bitte den Pfad prüfen (`-` liest die Standardeingabe)",
        en: "{path}: file not found; check the path (`-` reads standard input)";
    PERMISSION_DENIED = "permission_denied", Cli, USAGE,
        de: "{path}: keine Berechtigung; bitte die Rechte der Datei und ihres Ordners prüfen",
        en: "{path}: permission denied; check the permissions of the file and its folder";
    NOT_UTF8 = "not_utf8", Cli, USAGE,
        de: "{path}: kein UTF-8-Text; bitte die Datei als UTF-8 speichern",
        en: "{path}: not UTF-8 text; save the file as UTF-8";
    IS_A_DIRECTORY = "is_a_directory", Cli, USAGE,
        de: "{path}: ist ein Ordner; bitte eine Datei angeben",
        en: "{path}: is a folder; give a file";
    INPUT_TOO_LARGE = "input_too_large", Cli, USAGE,
        de: "{path}: größer als die Grenze von {limit} MiB; nichts wurde gespeichert",
        en: "{path}: larger than the limit of {limit} MiB; nothing was stored";
    IO_ERROR = "io_error", Cli, USAGE,
        de: "{path}: Ein-/Ausgabefehler ({kind}); bitte Datenträger und Pfad prüfen und erneut versuchen",
        en: "{path}: input/output error ({kind}); check the disk and the path and try again";

    // --- Drafts (`elternkit draft`).
    NOT_A_CASE = "not_a_case", Cli, CONTENT,
        de: "{path}: kein Fall: erwartet ein JSON-Objekt (`elternkit.case/1`); {problem}",
        en: "{path}: not a case: expected a JSON object (`elternkit.case/1`); {problem}";
    NO_DEFAULT_PATH = "no_default_path", Cli, USAGE,
        de: "{option} fehlt, {env} ist nicht gesetzt und es gibt kein Home-Verzeichnis für den Standardpfad; bitte {option} angeben",
        en: "{option} is missing, {env} is unset and there is no home directory for the default path; give {option}";
    NO_DATABASE = "no_database", Cli, USAGE,
        de: "{path}: keine Entwurfsdatenbank; nichts wurde angelegt. Bitte --db oder ELTERNKIT_DB prüfen (`elternkit draft new` legt eine an)",
        en: "{path}: no draft database; nothing was created. Check --db or ELTERNKIT_DB (`elternkit draft new` creates one)";
    NOT_A_DATABASE = "not_a_database", Cli, USAGE,
        de: "{path}: keine Entwurfsdatenbank (keine SQLite-Datei); sie wurde nicht verändert. Bitte --db prüfen",
        en: "{path}: not a draft database (not an SQLite file); it was not changed. Check --db";
    FOREIGN_DATABASE = "foreign_database", Cli, USAGE,
        de: "{path}: die SQLite-Datenbank eines anderen Programms, keine Entwurfsdatenbank; sie wurde nicht verändert. Bitte --db prüfen",
        en: "{path}: another program's SQLite database, not a draft database; it was not changed. Check --db";
    DATABASE_DAMAGED = "database_damaged", Cli, USAGE,
        de: "die Entwurfsdatenbank ist beschädigt; bitte die Datei behalten und aus einer Sicherung wiederherstellen",
        en: "the draft database is damaged; keep the file and restore it from a backup";
    DATABASE_TOO_NEW = "database_too_new", Cli, USAGE,
        de: "die Datenbank hat Schema-Version {found}, dieses Programm kennt bis {supported}; bitte ElternKit aktualisieren",
        en: "the database has schema version {found}, this program knows up to {supported}; update ElternKit";
    KEY_UNAVAILABLE = "key_unavailable", Cli, USAGE,
        de: "der Geräteschlüssel passt nicht zu dieser Datenbank; nichts wurde verändert oder gelöscht. Bitte den Schlüssel angeben, mit dem sie angelegt wurde (--key-file)",
        en: "the device key does not fit this database; nothing was changed or deleted. Give the key it was created with (--key-file)";
    KEY_FILE_UNREADABLE = "key_file_unreadable", Cli, USAGE,
        de: "{path}: Schlüsseldatei nicht lesbar oder schreibbar ({kind}); bitte Pfad und Rechte prüfen",
        en: "{path}: key file cannot be read or written ({kind}); check the path and its permissions";
    KEY_FILE_MALFORMED = "key_file_malformed", Cli, USAGE,
        de: "{path}: keine ElternKit-Schlüsseldatei; bitte die Datei angeben, die mit dieser Datenbank angelegt wurde",
        en: "{path}: not an ElternKit key file; give the file that was created with this database";
    KEY_FILE_INSECURE = "key_file_insecure", Cli, USAGE,
        de: "{path}: andere Benutzer können die Schlüsseldatei lesen (Modus {mode}); nichts wurde gelesen. Bitte mit `chmod 600` schützen und prüfen, wer sie kopiert haben könnte",
        en: "{path}: other users can read the key file (mode {mode}); nothing was read. Restrict it with `chmod 600` and check who may have copied it";
    INVALID_DRAFT_ID = "invalid_draft_id", Cli, USAGE,
        de: "{arg} ist keine Entwurfs-ID; IDs sehen so aus: 0b6f5c9e-3c1d-4a8e-9f7a-2d4c6b8e1f00 (`elternkit draft list`)",
        en: "{arg} is not a draft id; ids look like 0b6f5c9e-3c1d-4a8e-9f7a-2d4c6b8e1f00 (`elternkit draft list`)";
    DRAFT_NOT_FOUND = "draft_not_found", Cli, USAGE,
        de: "kein Entwurf mit der ID {id}; `elternkit draft list` zeigt die vorhandenen",
        en: "no draft with id {id}; `elternkit draft list` shows the ones there are";
    VERSION_NOT_FOUND = "version_not_found", Cli, USAGE,
        de: "Entwurf {id} hat keine Version {version}; `elternkit draft history` zeigt die vorhandenen",
        en: "draft {id} has no version {version}; `elternkit draft history` shows the ones there are";
    DRAFT_CONFLICT = "draft_conflict", Cli, CONFLICT,
        de: "Entwurf {id} wurde anderswo geändert: diese Speicherung beruht auf Version {expected}, gespeichert ist Version {actual}; bitte laden, zusammenführen und auf Version {actual} speichern",
        en: "draft {id} was changed elsewhere: this save was based on version {expected}, the stored draft is at version {actual}; load it, merge, and save on top of version {actual}";
    RECORD_UNREADABLE = "record_unreadable", Cli, USAGE,
        de: "Eintrag {id} lässt sich mit dem Schlüssel dieses Geräts nicht entschlüsseln; er blieb unverändert",
        en: "record {id} cannot be decrypted with this device's key; it was kept unchanged";
    RECORD_TAMPERED = "record_tampered", Cli, USAGE,
        de: "Eintrag {id} wurde außerhalb von ElternKit verändert oder verschoben; er wurde nicht verwendet, nichts wurde geändert. Bitte die Datenbank aus einer Sicherung wiederherstellen",
        en: "record {id} was changed or moved outside ElternKit; it was not used and nothing was changed. Restore the database from a backup";
    NOT_A_HANDOFF = "not_a_handoff", Cli, USAGE,
        de: "{path}: keine Entwurfsübergabe: erwartet den age-verschlüsselten Text von `elternkit draft export` (-----BEGIN AGE ENCRYPTED FILE-----)",
        en: "{path}: not a draft handoff: expected the age-encrypted text that `elternkit draft export` writes (-----BEGIN AGE ENCRYPTED FILE-----)";
    HANDOFF_NOT_FOR_THIS_DEVICE = "handoff_not_for_this_device", Cli, USAGE,
        de: "{path}: die Übergabe ist nicht für dieses Gerät verschlüsselt; bitte den anderen Elternteil, sie für `elternkit draft recipient` dieses Geräts neu zu exportieren",
        en: "{path}: the handoff is not encrypted for this device; ask the other parent to export it again for this device's `elternkit draft recipient`";
    HANDOFF_DAMAGED = "handoff_damaged", Cli, USAGE,
        de: "{path}: die Übergabe ist beschädigt oder wurde verändert (Authentifizierung fehlgeschlagen); nichts wurde importiert",
        en: "{path}: the handoff is damaged or was altered (authentication failed); nothing was imported";
    SENDER_UNVERIFIED = "sender_unverified", Cli, USAGE,
        de: "der Absender der Übergabe ist nicht bestätigt (keine gültige Signatur für dieses Gerät); bitte den anderen Elternteil, sie neu zu exportieren",
        en: "the sender of the handoff could not be verified (no valid signature for this device); ask the other parent to export it again";
    UNEXPECTED_SENDER = "unexpected_sender", Cli, USAGE,
        de: "die Übergabe kommt von {sender}, nicht vom erwarteten Absender; nichts wurde importiert",
        en: "the handoff was sent by {sender}, not by the expected sender; nothing was imported";
    INVALID_RECIPIENT = "invalid_recipient", Cli, USAGE,
        de: "{arg}: kein gültiger Empfänger; erwartet `age1…`, wie `elternkit draft recipient` auf dem anderen Gerät ihn zeigt",
        en: "{arg}: not a valid recipient; expected `age1…` as `elternkit draft recipient` shows it on the other device";
    UNKNOWN_HANDOFF_FORMAT = "unknown_handoff_format", Cli, USAGE,
        de: "{path}: die Übergabe hat ein Format, das diese Version nicht kennt (von einer neueren Version?); nichts wurde importiert. Bitte ElternKit aktualisieren",
        en: "{path}: the handoff has a format this version does not know (from a newer version?); nothing was imported. Update ElternKit";
    DRAFT_INPUT_REFUSED = "draft_input_refused", Cli, USAGE,
        de: "der Entwurfsspeicher lehnt die Eingabe ab: {reason}; nichts wurde verändert",
        en: "the draft store refused the input: {reason}; nothing was changed";
    DATABASE_BUSY = "database_busy", Cli, USAGE,
        de: "{path}: die Entwurfsdatenbank ist gerade von einem anderen Programm gesperrt; nichts wurde verändert. Bitte gleich erneut versuchen",
        en: "{path}: the draft database is locked by another program right now; nothing was changed. Try again in a moment";
    DATABASE_READ_ONLY = "database_read_only", Cli, USAGE,
        de: "{path}: die Entwurfsdatenbank lässt sich nicht beschreiben; bitte die Rechte der Datei und ihres Ordners prüfen",
        en: "{path}: the draft database cannot be written; check the permissions of the file and its folder";
    DISK_FULL = "disk_full", Cli, USAGE,
        de: "{path}: der Datenträger ist voll; nichts wurde verändert. Bitte Platz schaffen und erneut versuchen",
        en: "{path}: the disk is full; nothing was changed. Free some space and try again";
    DATABASE_CANNOT_OPEN = "database_cannot_open", Cli, USAGE,
        de: "{path}: die Entwurfsdatenbank lässt sich nicht öffnen; bitte Pfad und Rechte prüfen",
        en: "{path}: the draft database cannot be opened; check the path and its permissions";
    STORE_FAILED = "store_failed", Cli, USAGE,
        de: "der Entwurfsspeicher ist gescheitert ({detail}); nichts wurde verändert. Bitte erneut versuchen, sonst mit dieser Angabe melden",
        en: "the draft store failed ({detail}); nothing was changed. Try again, else report it with this detail";

    // --- `bundle` and `plan` arguments, exit 2.
    INVALID_DATE = "invalid_date", Cli, USAGE,
        de: "{arg}: erwartet ein Datum JJJJ-MM-TT, z. B. 2026-03-10",
        en: "{arg}: expected a date YYYY-MM-DD, e.g. 2026-03-10";
    INVALID_LAND = "invalid_land", Cli, USAGE,
        de: "{arg}: bitte den zweistelligen Länderschlüssel angeben, 01 (Schleswig-Holstein) bis 16 (Thüringen)",
        en: "{arg}: give the two-digit Land key, 01 (Schleswig-Holstein) to 16 (Thüringen)";
    INVALID_PLAN_EDIT = "invalid_plan_edit", Cli, USAGE,
        de: "{arg}: erwartet ELTERNTEIL:ERSTER[-LETZTER]=basis|plus|bonus|none, z. B. p1:1-6=basis",
        en: "{arg}: expected PARENT:FIRST[-LAST]=basis|plus|bonus|none, e.g. p1:1-6=basis";
    UNKNOWN_PLAN_PARENT = "unknown_plan_parent", Cli, CONTENT,
        de: "{path}: ein Elternteil aus --fix oder dem Planantrag gibt es im Fall nicht; die IDs stehen in parents[].id",
        en: "{path}: a parent named by --fix or the plan request is not in the case; the ids are in parents[].id";
    LEBENSMONAT_OUT_OF_RANGE = "lebensmonat_out_of_range", Cli, CONTENT,
        de: "{path}: Lebensmonat {lebensmonat} liegt außerhalb von 1 bis {last}; bitte --fix oder den Planantrag berichtigen",
        en: "{path}: Lebensmonat {lebensmonat} lies outside 1 to {last}; correct --fix or the plan request";
    PLAN_PARENT_COUNT = "plan_parent_count", Cli, CONTENT,
        de: "{path}: der Planer plant für einen oder zwei Elternteile",
        en: "{path}: the planner plans for one or two parents";
    INVALID_PLAN_REQUEST = "invalid_plan_request", Cli, CONTENT,
        de: "{path}: der Planantrag ist bei `{field}` ungültig ({reason}); siehe docs/PLAN_REQUEST.md",
        en: "{path}: the plan request is invalid at `{field}` ({reason}); see docs/PLAN_REQUEST.md";
    NO_LEGAL_PLAN = "no_legal_plan", Cli, CONTENT,
        de: "{path}: kein Plan erfüllt die Vorgaben und § 4 BEEG; bitte Vorgaben lockern (--fix, `constraints` im Planantrag)",
        en: "{path}: no plan meets the constraints and § 4 BEEG; loosen them (--fix, the request's `constraints`)";
    DIRECTORY_INVALID = "directory_invalid", Cli, USAGE,
        de: "das mitgelieferte Behördenverzeichnis ist nicht gültig (Grund: {detail}); bitte ElternKit aktualisieren",
        en: "the shipped office directory is not valid (reason: {detail}); update ElternKit";
    INTERNAL_ERROR = "internal_error", Cli, USAGE,
        de: "interner Fehler ({reason}); bitte melden",
        en: "internal error ({reason}); please report it";

    // --- `elternkit lohnsteuer`: arguments (exit 2) and `--jsonl` lines (exit 1 at the end).
    UNKNOWN_PAP_VERSION = "unknown_pap_version", Lohnsteuer, USAGE,
        de: "unbekannte PAP-Version; bekannt sind: {known} (`elternkit lohnsteuer --versions`)",
        en: "unknown PAP version; known: {known} (`elternkit lohnsteuer --versions`)";
    NOT_NAME_VALUE = "not_name_value", Lohnsteuer, USAGE,
        de: "eine Eingabe hat nicht die Form NAME=WERT, z. B. RE4=300000",
        en: "an input is not of the form NAME=VALUE, e.g. RE4=300000";
    INVALID_JSON_LINE = "invalid_json", Lohnsteuer, CONTENT,
        de: "kein gültiges JSON ({position}); bitte eine Zeile je JSON-Objekt",
        en: "not valid JSON ({position}); give one JSON object per line";
    NOT_AN_OBJECT = "not_an_object", Lohnsteuer, CONTENT,
        de: "erwartet ein JSON-Objekt mit PAP-Eingaben, z. B. {\"LZZ\": 2, \"RE4\": 300000}",
        en: "expected a JSON object of PAP inputs, e.g. {\"LZZ\": 2, \"RE4\": 300000}";
    INVALID_TYPE_LINE = "invalid_type", Lohnsteuer, CONTENT,
        de: "{name}: erwartet eine Zahl oder einen Dezimaltext",
        en: "{name}: expected a number or a decimal string";
    UNKNOWN_INPUT = "unknown_input", Lohnsteuer, CONTENT,
        de: "keine PAP-Version kennt diese Eingabe; `elternkit lohnsteuer --versions` listet die Namen",
        en: "no PAP version knows this input; `elternkit lohnsteuer --versions` lists the names";
    UNSUPPORTED_INPUT = "unsupported_input", Lohnsteuer, CONTENT,
        de: "{name}: gibt es im PAP {version} nicht; bitte weglassen",
        en: "{name}: not an input of PAP {version}; leave it out";
    INVALID_PAP_VALUE = "invalid_value", Lohnsteuer, CONTENT,
        de: "{name}: keine gültige Zahl für diese Eingabe (ganze Zahl, Dezimalzahl mit Punkt, höchstens 15 Stellen)",
        en: "{name}: not a valid number for this input (a whole number, a decimal with a point, at most 15 digits)";
    OUT_OF_RANGE = "out_of_range", Lohnsteuer, CONTENT,
        de: "{name}: muss {expected} sein",
        en: "{name}: must be {expected}";
    NOT_COMPUTABLE = "not_computable", Lohnsteuer, CONTENT,
        de: "der PAP kann diese Eingaben nicht berechnen ({reason}); bitte die Beträge prüfen",
        en: "the PAP cannot compute these inputs ({reason}); check the amounts";

    // --- A case (core/model, core/rules); exit 1. Messages are made where the error is
    // found and never repeat a value of the input.
    C_INVALID_JSON = "invalid_json", Case, CONTENT,
        de: "der Text ist kein JSON (Position, Kommentar, fehlende Klammer, Byte-Order-Mark)",
        en: "the text is not JSON (position, comment, missing bracket, byte-order mark)";
    C_MISSING_FIELD = "missing_field", Case, CONTENT,
        de: "ein Pflichtfeld fehlt",
        en: "a required field is missing";
    C_UNKNOWN_FIELD = "unknown_field", Case, CONTENT,
        de: "ein unbekanntes Feld, mit „meinten Sie“",
        en: "an unknown field, with “did you mean”";
    C_UNKNOWN_VALUE = "unknown_value", Case, CONTENT,
        de: "ein Wert, den das Feld nicht kennt (mit den möglichen Werten)",
        en: "a value the field does not know (with the possible values)";
    C_INVALID_TYPE = "invalid_type", Case, CONTENT,
        de: "ein Wert der falschen Art (Zahl statt Text, Liste statt Objekt …)",
        en: "a value of the wrong kind (number for text, list for object …)";
    C_INVALID_LENGTH = "invalid_length", Case, CONTENT,
        de: "eine Liste mit falscher Länge",
        en: "a list of the wrong length";
    C_INVALID_VALUE = "invalid_value", Case, CONTENT,
        de: "ein Wert, der sich nicht lesen lässt (Datum, Betrag, Monat)",
        en: "a value that cannot be read (date, amount, month)";
    C_UNSUPPORTED_SCHEMA = "unsupported_schema", Case, CONTENT,
        de: "`schema` ist nicht `elternkit.case/1`",
        en: "`schema` is not `elternkit.case/1`";
    C_OUT_OF_RANGE = "out_of_range", Case, CONTENT,
        de: "ein Wert außerhalb seines zulässigen Bereichs",
        en: "a value outside its allowed range";
    C_NEGATIVE = "negative", Case, CONTENT,
        de: "ein Betrag oder eine Stundenzahl ist negativ",
        en: "an amount or a number of hours is negative";
    C_INVALID_POSTAL_CODE = "invalid_postal_code", Case, CONTENT,
        de: "keine fünfstellige deutsche Postleitzahl",
        en: "not a five-digit German postcode";
    C_INVALID_COUNTRY = "invalid_country", Case, CONTENT,
        de: "kein Ländercode nach ISO 3166-1 alpha-2",
        en: "not an ISO 3166-1 alpha-2 country code";
    C_UNKNOWN_PARENT = "unknown_parent", Case, CONTENT,
        de: "verweist auf einen Elternteil, den der Fall nicht hat",
        en: "refers to a parent the case does not have";
    C_PARENT_COUNT = "parent_count", Case, CONTENT,
        de: "ein Fall hat einen oder zwei Elternteile",
        en: "a case has one or two parents";
    C_CHILDREN_COUNT = "children_count", Case, CONTENT,
        de: "die Zahl der Kinder im Antrag passt nicht zum Fall",
        en: "the number of children in the application does not fit the case";
    C_DUPLICATE_ID = "duplicate_id", Case, CONTENT,
        de: "eine ID kommt doppelt vor",
        en: "an id appears twice";
    C_TOO_LONG = "too_long", Case, CONTENT,
        de: "der Monatsplan ist länger als die Lebensmonate, die es gibt",
        en: "the month plan is longer than the Lebensmonate there are";
    C_TWELVE_MONTHS = "twelve_months", Case, CONTENT,
        de: "die Einkommen vor der Geburt brauchen genau zwölf Monate",
        en: "the incomes before the birth need exactly twelve months";
    C_ENDS_BEFORE_START = "ends_before_start", Case, CONTENT,
        de: "ein Zeitraum endet vor seinem Beginn",
        en: "a period ends before it starts";
    C_IN_FUTURE = "in_future", Case, CONTENT,
        de: "ein Datum liegt nach dem Auswertungstag",
        en: "a date lies after the evaluation date";
    C_SIBLING_YOUNGER = "sibling_younger", Case, CONTENT,
        de: "ein Geschwisterkind ist jünger als das Kind",
        en: "a sibling is younger than the child";
    C_FACTOR_NEEDS_CLASS_IV = "factor_needs_class_iv", Case, CONTENT,
        de: "der Faktor (§ 39f EStG) gilt nur in Steuerklasse IV",
        en: "the factor (§ 39f EStG) applies only in tax class IV";
    C_NOT_WAIVABLE = "not_waivable", Case, CONTENT,
        de: "auf diese Ausklammerung kann nicht verzichtet werden (§ 2b Abs. 1 S. 3 BEEG)",
        en: "this exclusion cannot be waived (§ 2b Abs. 1 S. 3 BEEG)";
    C_NOT_REVOCABLE = "not_revocable", Case, CONTENT,
        de: "diese Einwilligung kann nicht widerrufen werden",
        en: "this consent cannot be revoked";
    C_UNKNOWN_CONSENT = "unknown_consent", Case, CONTENT,
        de: "eine unbekannte Einwilligung",
        en: "an unknown consent";
    C_UNKNOWN_DOCUMENT = "unknown_document", Case, CONTENT,
        de: "eine unbekannte Unterlage",
        en: "an unknown document";
    C_UNKNOWN_RESIDENCE_TITLE = "unknown_residence_title", Case, CONTENT,
        de: "ein unbekannter Aufenthaltstitel (docs/RESIDENCE_TITLES.md)",
        en: "an unknown residence title (docs/RESIDENCE_TITLES.md)";
    C_NOT_COVERED = "not_covered", Case, CONTENT,
        de: "für die Daten des Falls haben die Regeln keine Werte",
        en: "the rules have no values for the dates of the case";
    C_WAGE_TAX = "wage_tax", Case, CONTENT,
        de: "der Lohnsteuer-PAP kann die Einkommen nicht berechnen",
        en: "the wage-tax PAP cannot compute the incomes";
    C_UNSUPPORTED = "unsupported", Case, CONTENT,
        de: "ein Fall, den die Regeln noch nicht berechnen",
        en: "a case the rules do not compute yet";
    C_BMZ_EVENTS_DISAGREE = "bmz_events_disagree", Case, CONTENT,
        de: "`excluded_months` und `bmz_events` nennen verschiedene Monate (§ 2b BEEG)",
        en: "`excluded_months` and `bmz_events` name different months (§ 2b BEEG)";
    C_NO_BEMESSUNGSZEITRAUM = "no_bemessungszeitraum", Case, CONTENT,
        de: "die ausgeklammerten Monate lassen keine zwölf Monate übrig (§ 2b BEEG)",
        en: "the skipped months leave no twelve months (§ 2b BEEG)";
    C_NO_MONTHS_BEFORE_BIRTH = "no_months_before_birth", Case, CONTENT,
        de: "ein Kind im Januar hat keinen Monat des Geburtsjahres vor der Geburt (§ 2b Abs. 4 BEEG)",
        en: "a child born in January has no month of the birth year before its birth (§ 2b Abs. 4 BEEG)";

    // --- § 4 BEEG plan problems; the plan is not payable, exit 1.
    P_BASIS_AFTER_LIMIT = "basis_after_limit", Plan, CONTENT,
        de: "Basiselterngeld nach dem 14. Lebensmonat (§ 4 Abs. 1 S. 3 BEEG)",
        en: "Basiselterngeld after Lebensmonat 14 (§ 4 Abs. 1 S. 3 BEEG)";
    P_AFTER_LAST_LEBENSMONAT = "after_last_lebensmonat", Plan, CONTENT,
        de: "Elterngeld nach dem letzten möglichen Lebensmonat (§ 4 Abs. 1 S. 4 BEEG)",
        en: "Elterngeld after the last possible Lebensmonat (§ 4 Abs. 1 S. 4 BEEG)";
    P_OTHER_PARENT_CLAIMS_UNDER_SOLE_CARE = "other_parent_claims_under_sole_care", Plan, CONTENT,
        de: "bei alleiniger Sorge (§ 4c Abs. 1 Nr. 2, 3 BEEG) bezieht der andere Elternteil kein Elterngeld (§ 1 Abs. 1 S. 1 Nr. 3 BEEG)",
        en: "under sole care (§ 4c Abs. 1 Nr. 2, 3 BEEG) the other parent draws no Elterngeld (§ 1 Abs. 1 S. 1 Nr. 3 BEEG)";
    P_GAP_AFTER_MONTH_14 = "gap_after_month_14", Plan, CONTENT,
        de: "eine Lücke nach dem 14. Lebensmonat (§ 4 Abs. 1 S. 4 BEEG)",
        en: "a gap after Lebensmonat 14 (§ 4 Abs. 1 S. 4 BEEG)";
    P_MATERNITY_MONTHS_ARE_BASIS = "maternity_months_are_basis", Plan, CONTENT,
        de: "Monate mit Mutterschaftsleistungen gelten als Basismonate der Mutter (§ 4 Abs. 4 S. 3 BEEG)",
        en: "months with Mutterschaftsleistungen count as the mother's Basis months (§ 4 Abs. 4 S. 3 BEEG)";
    P_PARALLEL_BASIS_MONTHS = "parallel_basis_months", Plan, CONTENT,
        de: "zu viele gleichzeitige Basismonate beider Eltern (§ 4 Abs. 6 BEEG)",
        en: "too many simultaneous Basis months of both parents (§ 4 Abs. 6 BEEG)";
    P_PARTNER_MONTHS_WITHOUT_INCOME_REDUCTION = "partner_months_without_income_reduction", Plan, CONTENT,
        de: "Partnermonate ohne Minderung des Einkommens (§ 4 Abs. 3 S. 2 BEEG)",
        en: "partner months without a drop in income (§ 4 Abs. 3 S. 2 BEEG)";
    P_PARTNERSCHAFTSBONUS_HOURS = "partnerschaftsbonus_hours", Plan, CONTENT,
        de: "Partnerschaftsbonus ohne 24 bis 32 Wochenstunden (§ 4b Abs. 1 Nr. 1 BEEG)",
        en: "Partnerschaftsbonus without 24 to 32 weekly hours (§ 4b Abs. 1 Nr. 1 BEEG)";
    P_PARTNERSCHAFTSBONUS_MONTHS = "partnerschaftsbonus_months", Plan, CONTENT,
        de: "Partnerschaftsbonus nicht für zwei bis vier Monate am Stück (§ 4b Abs. 1 BEEG)",
        en: "Partnerschaftsbonus not for two to four months in a row (§ 4b Abs. 1 BEEG)";
    P_PARTNERSCHAFTSBONUS_NOT_PARALLEL = "partnerschaftsbonus_not_parallel", Plan, CONTENT,
        de: "Partnerschaftsbonus nicht gleichzeitig bei beiden Eltern (§ 4b Abs. 1 BEEG)",
        en: "Partnerschaftsbonus not at the same time for both parents (§ 4b Abs. 1 BEEG)";
    P_TOO_FEW_MONTHS = "too_few_months", Plan, CONTENT,
        de: "weniger als zwei Monate Basiselterngeld (§ 4 Abs. 4 S. 2 BEEG)",
        en: "fewer than two months of Basiselterngeld (§ 4 Abs. 4 S. 2 BEEG)";
    P_TOO_MANY_MONTHS = "too_many_months", Plan, CONTENT,
        de: "zusammen mehr Monatsbeträge als die Eltern haben (§ 4 Abs. 3 BEEG)",
        en: "more monthly amounts together than the parents have (§ 4 Abs. 3 BEEG)";
    P_TOO_MANY_MONTHS_PARENT = "too_many_months_parent", Plan, CONTENT,
        de: "ein Elternteil bezieht mehr Monatsbeträge als ihm zustehen (§ 4 Abs. 5, § 4c BEEG)",
        en: "one parent draws more monthly amounts than they may (§ 4 Abs. 5, § 4c BEEG)";

    // --- The bundle's own finding codes (core/bundle, `FindingCode::OWN`).
    B_MISSING = "missing", Bundle, FINDING,
        de: "eine Angabe, die der Antrag braucht, fehlt (die Checkliste nennt jede)",
        en: "a field the application needs is missing (the checklist names each)";
    B_FETCH_WITHOUT_CONSENT = "fetch_without_consent", Bundle, FINDING,
        de: "eine Angabe soll abgerufen werden, ohne dass die Einwilligung dazu gilt",
        en: "a value is to be fetched without the consent for it in force";
    B_STEUER_ID_FORMAT = "steuer_id_format", Bundle, FINDING,
        de: "die Steuer-ID hat nicht elf Ziffern",
        en: "the tax ID does not have eleven digits";
    B_STEUER_ID_LEADING_ZERO = "steuer_id_leading_zero", Bundle, FINDING,
        de: "die Steuer-ID beginnt mit 0 (§ 139b AO vergibt keine solche)",
        en: "the tax ID begins with 0 (§ 139b AO issues none such)";
    B_STEUER_ID_REPETITION = "steuer_id_repetition", Bundle, FINDING,
        de: "in den ersten zehn Ziffern der Steuer-ID kommt nicht genau eine Ziffer doppelt oder dreifach vor",
        en: "in the tax ID's first ten digits not exactly one digit appears twice or three times";
    B_STEUER_ID_TRIPLE = "steuer_id_triple", Bundle, FINDING,
        de: "die Steuer-ID hat dieselbe Ziffer dreimal hintereinander",
        en: "the tax ID has the same digit three times in a row";
    B_STEUER_ID_CHECK_DIGIT = "steuer_id_check_digit", Bundle, FINDING,
        de: "die Prüfziffer der Steuer-ID stimmt nicht (Tippfehler?)",
        en: "the tax ID's check digit does not match (a typo?)";
    B_IBAN_INVALID = "iban_invalid", Bundle, FINDING,
        de: "die IBAN ist ungültig (Länge oder Prüfziffern)",
        en: "the IBAN is invalid (length or check digits)";
    B_POSTAL_CODE_DIFFERS = "postal_code_differs", Bundle, FINDING,
        de: "die Postleitzahl einer Anschrift weicht von der ab, nach der die Stelle bestimmt wird",
        en: "an address's postcode differs from the one the office is found by";
    B_PLACE_LAND_DIFFERS = "place_land_differs", Bundle, FINDING,
        de: "`application.place` und `household.postal_code` liegen in verschiedenen Ländern",
        en: "`application.place` and `household.postal_code` lie in different Länder";
    B_RESIDENCE_TITLE_EXPIRED = "residence_title_expired", Bundle, FINDING,
        de: "ein Aufenthaltstitel ist abgelaufen; bitte den aktuellen angeben",
        en: "a residence title has expired; give the current one";
    B_NO_PATERNITY_ACKNOWLEDGEMENT = "no_paternity_acknowledgement", Bundle, FINDING,
        de: "ohne Vaterschaftsanerkennung wird der andere Elternteil nicht als Vater eingetragen (§ 1592 Nr. 2 BGB)",
        en: "without an acknowledgement of paternity the other parent is not registered as father (§ 1592 no. 2 BGB)";
    B_PATERNITY_NOT_ESTABLISHED = "paternity_not_established", Bundle, FINDING,
        de: "wer beantragt, ist rechtlich (noch) nicht Elternteil (§ 1592 BGB); bitte die Vaterschaftsanerkennung angeben",
        en: "the claimant is not (yet) a parent in law (§ 1592 BGB); enter the acknowledgement of paternity";
    B_MOTHER_MARRIED = "mother_married", Bundle, FINDING,
        de: "die Mutter ist verheiratet: ihr Ehemann gilt als Vater (§ 1592 Nr. 1 BGB)",
        en: "the mother is married: her husband counts as the father (§ 1592 no. 1 BGB)";
    B_FOREIGN_DOCUMENTS = "foreign_documents", Bundle, FINDING,
        de: "ausländische Urkunden brauchen oft Apostille und Übersetzung; früh beschaffen",
        en: "foreign certificates often need an apostille and a translation; get them early";
    B_NAME_BY_LAW = "name_by_law", Bundle, FINDING,
        de: "der Name des Kindes folgt aus dem Gesetz (§ 1616, § 1617a Abs. 1 BGB)",
        en: "the child's name follows from the law (§ 1616, § 1617a Abs. 1 BGB)";
    B_NAME_CHOICE_NOT_ALLOWED = "name_choice_not_allowed", Bundle, FINDING,
        de: "diese Namenswahl ist hier nicht möglich",
        en: "this choice of name is not possible here";
    B_NAME_CHOICE_NEEDS_BOTH = "name_choice_needs_both", Bundle, FINDING,
        de: "die Namenswahl braucht die Erklärung beider Eltern",
        en: "the choice of name needs both parents' declaration";
    B_DOPPELNAME_BEFORE_REFORM = "doppelname_before_reform", Bundle, FINDING,
        de: "ein Doppelname ist erst für Erklärungen ab dem 1. Mai 2025 möglich",
        en: "a double name is possible only for declarations from 1 May 2025";
    B_NAME_CHOICE_MISMATCH = "name_choice_mismatch", Bundle, FINDING,
        de: "der gewählte Name passt nicht zur Art der Wahl",
        en: "the chosen name does not match the kind of choice";
    B_NO_CERTIFICATES = "no_certificates", Bundle, FINDING,
        de: "keine Geburtsurkunden bestellt (für Leistungen gebührenfrei)",
        en: "no birth certificates ordered (free of charge for benefits)";
    B_NO_PLAN = "no_plan", Bundle, FINDING,
        de: "noch kein Elternteil hat Lebensmonate mit Elterngeld geplant",
        en: "no parent has planned Lebensmonate with Elterngeld yet";
    B_LEBENSMONATE_LOST = "lebensmonate_lost", Bundle, FINDING,
        de: "Lebensmonate sind rückwirkend nicht mehr erreichbar (§ 7 Abs. 1 S. 2 BEEG)",
        en: "Lebensmonate can no longer be reached retroactively (§ 7 Abs. 1 S. 2 BEEG)";
    B_PROVISIONAL_DATES = "provisional_dates", Bundle, FINDING,
        de: "Fristen vorläufig, mit dem erwarteten Geburtsdatum berechnet",
        en: "deadlines provisional, computed from the expected date of birth";
    B_EMPLOYER_FAMILIENKASSE = "employer_familienkasse", Bundle, FINDING,
        de: "zuständig ist die Familienkasse des Arbeitgebers (§ 72 Abs. 1 EStG); ElternKit kann dorthin nicht senden",
        en: "the employer's Familienkasse is competent (§ 72 Abs. 1 EStG); ElternKit cannot send there";
    B_BIRTH_NOTIFICATION_MISSED = "birth_notification_missed", Bundle, FINDING,
        de: "die Wochenfrist für die Geburtsanzeige ist abgelaufen (§ 18 Abs. 1 PStG)",
        en: "the one-week period to report the birth has passed (§ 18 Abs. 1 PStG)";
    B_RESIDENCE_TITLE_UNKNOWN = "residence_title_unknown", Bundle, FINDING,
        de: "der Aufenthaltstitel steht nicht in der Liste des § 62 Abs. 2 EStG; die Familienkasse prüft ihn einzeln",
        en: "the residence title is not in the list of § 62 Abs. 2 EStG; the Familienkasse checks it individually";
    B_TITLE_NEEDS_EMPLOYMENT = "title_needs_employment", Bundle, FINDING,
        de: "dieser Aufenthaltstitel berechtigt nur bei Erwerbstätigkeit, Elternzeit oder Leistungen nach dem SGB III",
        en: "this residence title entitles only with employment, parental leave or SGB III benefits";
    B_ANLAGE_EU = "anlage_eu", Bundle, FINDING,
        de: "für Bürger der EU, des EWR und der Schweiz gehört die Anlage EU zum Kindergeldantrag",
        en: "for citizens of the EU, the EEA and Switzerland the Kindergeld application takes the Anlage EU";
    B_MONTHS_LOST = "months_lost", Bundle, FINDING,
        de: "Monate mit Kindergeld sind rückwirkend nicht mehr erreichbar (§ 66 Abs. 3 EStG)",
        en: "months of Kindergeld can no longer be reached retroactively (§ 66 Abs. 3 EStG)";
    B_NO_APPLICATION_DATA = "no_application_data", Bundle, FINDING,
        de: "der Fall hat noch keine Antragsdaten (`application`)",
        en: "the case has no application data yet (`application`)";
    B_SOURCE_FOR_UNKNOWN_FIELD = "source_for_unknown_field", Bundle, FINDING,
        de: "eine Quelle ist für ein Feld angegeben, das kein Antrag abfragt",
        en: "a source is given for a field no application asks for";
    B_ROUTING_FAILED = "routing_failed", Bundle, FINDING,
        de: "die zuständige Stelle ließ sich nicht bestimmen",
        en: "the competent office could not be determined";
    B_ROUTING_QUESTION = "routing_question", Bundle, FINDING,
        de: "für die zuständige Stelle fehlt eine Antwort (die Meldung stellt die Frage)",
        en: "the competent office needs an answer (the finding asks the question)";
    B_OFFICE_PENDING = "office_pending", Bundle, FINDING,
        de: "die Stelle steht noch nicht fest (das Standesamt mit dem Geburtsort, sonst mit der Wohnanschrift)",
        en: "the office is not known yet (the Standesamt with the birth place, else with the home address)";

    // --- The draft store's refused inputs (core/store, `InputError::code`), exit 2.
    S_INVALID_DRAFT_ID = "invalid_draft_id", Store, USAGE,
        de: "keine Entwurfs-ID",
        en: "not a draft id";
    S_INVALID_DOCUMENT_ID = "invalid_document_id", Store, USAGE,
        de: "keine Dokument-ID",
        en: "not a document id";
    S_VERSION_TOO_LARGE = "version_too_large", Store, USAGE,
        de: "die Versionsnummer ist zu groß",
        en: "the version number is too large";
    S_COUNTER_OVERFLOW = "counter_overflow", Store, USAGE,
        de: "der Änderungszähler der Datenbank ist erschöpft",
        en: "the database's change counter is exhausted";
    S_NO_SUCH_PART = "no_such_part", Store, USAGE,
        de: "der Entwurf hat unter diesem JSON-Pointer (--part) keinen Teil, z. B. /parents/1",
        en: "the draft has no part at this JSON pointer (--part), e.g. /parents/1";
    S_NOT_SERIALIZABLE = "not_serializable", Store, USAGE,
        de: "der Wert lässt sich nicht als JSON schreiben",
        en: "the value cannot be written as JSON";
    S_INVALID_EXPECTED_SENDER = "invalid_expected_sender", Store, USAGE,
        de: "der erwartete Absender ist kein gültiger Empfänger (`age1…`)",
        en: "the expected sender is not a valid recipient (`age1…`)";
    S_ALREADY_IN_OUTBOX = "already_in_outbox", Store, USAGE,
        de: "die Einreichung liegt schon im Postausgang; sie wird nur einmal versiegelt",
        en: "the submission is already in the outbox; it is sealed once";

    // --- Why a plan request is invalid (core/planner, `RequestProblem::code`), exit 1.
    R_INVALID_JSON = "invalid_json", PlanRequest, CONTENT,
        de: "kein JSON (Zeile {line}, Spalte {column})",
        en: "not JSON (line {line}, column {column})";
    R_UNKNOWN_FIELD = "unknown_field", PlanRequest, CONTENT,
        de: "kein Feld eines Planantrags",
        en: "not a field of a plan request";
    R_MISSING_FIELD = "missing_field", PlanRequest, CONTENT,
        de: "das Pflichtfeld `{name}` fehlt",
        en: "the required field `{name}` is missing";
    R_INVALID_VALUE = "invalid_value", PlanRequest, CONTENT,
        de: "ein Wert der falschen Art oder außerhalb dessen, was das Feld nimmt",
        en: "a value of the wrong kind, or outside what the field takes";
    R_UNSUPPORTED_SCHEMA = "unsupported_schema", PlanRequest, CONTENT,
        de: "muss elternkit.plan-request/1 sein",
        en: "must be elternkit.plan-request/1";
    R_TOO_MANY_ALTERNATIVES = "too_many_alternatives", PlanRequest, CONTENT,
        de: "höchstens 10",
        en: "at most 10";

    // --- The FFI (bindings/src/error.rs, `ElternKitError`): one per variant.
    F_INVALID_CASE = "InvalidCase", Ffi, FFI,
        de: "der Fall ist ungültig; `problems` sagen wo und warum (die Fall-Codes oben)",
        en: "the case is invalid; `problems` say where and why (the case codes above)";
    F_INVALID_ARGUMENT = "InvalidArgument", Ffi, FFI,
        de: "ein anderes Argument ist fehlerhaft (Entwurfs-ID, Empfänger, Datum)",
        en: "another argument is malformed (draft id, recipient, date)";
    F_KEY_UNAVAILABLE = "KeyUnavailable", Ffi, FFI,
        de: "der Geräteschlüssel fehlt oder passt nicht; nichts wurde verändert",
        en: "the device key is missing or does not fit; nothing was changed";
    F_SECRET_STORE_FAILED = "SecretStoreFailed", Ffi, FFI,
        de: "der Schlüsselspeicher der Plattform (Keystore, Keychain) ist gescheitert",
        en: "the platform's key store (Keystore, Keychain) failed";
    F_DECRYPTION_FAILED = "DecryptionFailed", Ffi, FFI,
        de: "ein Eintrag ließ sich nicht entschlüsseln; er blieb unverändert",
        en: "a record could not be decrypted; it was kept unchanged";
    F_STORAGE_TAMPERED = "StorageTampered", Ffi, FFI,
        de: "ein Eintrag wurde außerhalb der App verändert; aus einer Sicherung wiederherstellen",
        en: "a record was changed outside the app; restore from a backup";
    F_STORAGE_CORRUPT = "StorageCorrupt", Ffi, FFI,
        de: "die Datenbank ist beschädigt oder keine Datenbank; behalten und wiederherstellen",
        en: "the database is damaged or not a database; keep it and restore it";
    F_CONFLICT = "Conflict", Ffi, FFI,
        de: "der Entwurf wurde anderswo gespeichert: laden, zusammenführen, erneut speichern",
        en: "the draft was saved elsewhere: load, merge, save again";
    F_NOT_FOUND = "NotFound", Ffi, FFI,
        de: "kein Eintrag mit dieser ID",
        en: "no record with this id";
    F_TOO_LARGE = "TooLarge", Ffi, FFI,
        de: "die Eingabe ist größer als ihre Grenze",
        en: "the input is larger than its limit";
    F_UPDATE_REQUIRED = "UpdateRequired", Ffi, FFI,
        de: "Daten einer neueren App-Version: bitte die App aktualisieren",
        en: "data of a newer app version: update the app";
    F_HANDOFF_REFUSED = "HandoffRefused", Ffi, FFI,
        de: "eine Übergabe wurde abgelehnt (keine Übergabe, Absender nicht bestätigt oder nicht der erwartete, unbekanntes Format, Empfänger ungültig); `reason` beginnt mit dem Code",
        en: "a handoff was refused (not a handoff, sender unverified or not the expected one, unknown format, bad recipient); `reason` starts with the code";
    F_HANDOFF_NOT_FOR_THIS_DEVICE = "HandoffNotForThisDevice", Ffi, FFI,
        de: "die Übergabe ist für andere Geräte verschlüsselt: den anderen Elternteil bitten, sie für den Empfänger dieses Geräts neu zu exportieren",
        en: "the handoff is encrypted for other devices: ask the other parent to export it again for this device's recipient";
    F_HANDOFF_DAMAGED = "HandoffDamaged", Ffi, FFI,
        de: "die Übergabe ist beschädigt oder wurde verändert: den anderen Elternteil bitten, sie erneut zu senden",
        en: "the handoff is damaged or was altered: ask the other parent to send it again";
    F_DIRECTORY_INVALID = "DirectoryInvalid", Ffi, FFI,
        de: "das Behördenverzeichnis prüft sich nicht oder ist veraltet",
        en: "the office directory does not verify or is out of date";
    F_CANCELLED = "Cancelled", Ffi, FFI,
        de: "über ein `CancelToken` abgebrochen",
        en: "stopped through a `CancelToken`";
    F_NO_LEGAL_PLAN = "NoLegalPlan", Ffi, FFI,
        de: "kein Monatsplan erfüllt die Vorgaben der Anfrage und § 4 BEEG",
        en: "no month plan satisfies the request's constraints and § 4 BEEG";
    F_NOT_READY = "NotReady", Ffi, FFI,
        de: "diese Anträge des Entwurfs sind noch nicht versandbereit; nichts wurde eingereiht",
        en: "these applications of the draft are not ready to send; nothing was queued";
    F_ALREADY_SUBMITTED = "AlreadySubmitted", Ffi, FFI,
        de: "der Entwurf wurde schon eingereicht: den Stand der genannten Einreichungen verfolgen",
        en: "the draft was already submitted: follow the named submissions' status";
    F_INTERNAL = "Internal", Ffi, FFI,
        de: "ein Fehler im Programm oder des Systems (auch eine abgefangene Panik); bitte melden",
        en: "a bug or an unexpected system failure (also a caught panic); report it";
}

/// The entry of `code` among the codes of `origin`; the tests below make sure that every
/// code the core gives is there.
pub fn find(origin: Origin, code: &str) -> Option<&'static ErrorCode> {
    ALL.iter()
        .copied()
        .find(|c| c.origin == origin && c.code == code)
}

/// `elternkit errors`: the registry for people (the page `docs/ERRORS.md`) or for tools.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// One JSON object per code and line (`code`, `origin`: cli, lohnsteuer, case, plan,
    /// bundle, store, plan_request or ffi; `exit`, `de`, `en`) instead of the Markdown page.
    #[arg(long)]
    json: bool,
}

impl Args {
    /// The registry is written in both languages at once.
    pub fn lang(&self) -> elternkit_model::Lang {
        crate::lang_of(crate::locale_lang())
    }
}

pub fn run(args: &Args) -> anyhow::Result<std::process::ExitCode> {
    if args.json {
        let mut out = String::new();
        for c in ALL {
            let line = serde_json::json!({
                "code": c.code,
                "origin": c.origin.name(),
                "exit": c.exit,
                "de": c.text.de,
                "en": c.text.en,
            });
            out.push_str(&format!("{line}\n"));
        }
        crate::out::stdout(&out)?;
    } else {
        crate::out::stdout(&markdown())?;
    }
    Ok(std::process::ExitCode::from(exit::OK))
}

/// The `{name}` placeholders of a text, in order of appearance.
#[cfg(test)]
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if close > 0
                    && after[..close]
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_') =>
            {
                out.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// `docs/ERRORS.md`, generated from [`ALL`] (the test `errors_doc_is_generated` compares it;
/// `ELTERNKIT_BLESS=1 cargo test -p elternkit-cli errors_doc` writes it).
pub fn markdown() -> String {
    let mut out = String::from(
        "# Error codes\n\n\
         <!-- Generated from cli/src/codes.rs by `ELTERNKIT_BLESS=1 cargo test -p elternkit-cli \
         errors_doc`; a test fails when this page and the code differ. Do not edit by hand. -->\n\n\
         Every error a user of ElternKit can meet has a stable code. The command line prints it \
         in brackets at the end of its line (`elternkit: PATH: MESSAGE [CODE]`, or \
         `FILE:LINE:COL: PATH: MESSAGE [CODE]` for a case), the JSON contracts carry it as \
         `code`, and the FFI throws it as a variant of `ElternKitError`. A message never \
         repeats a value of the input (a Steuer-ID, a name, an amount); `{…}` stands for what \
         is filled in: a path as given, an option's name, a count, a range.\n\n\
         Exit codes: 0 ok, 1 content errors, 2 usage or unreadable input, 3 draft conflict \
         (`cli/README.md`).\n",
    );
    for origin in Origin::ALL {
        out.push_str(&format!("\n## {}\n\n", origin.heading()));
        let texts = if matches!(origin, Origin::Cli | Origin::Lohnsteuer | Origin::Store) {
            ("message (de)", "message (en)")
        } else {
            ("meaning (de)", "meaning (en)")
        };
        out.push_str(&format!(
            "| code | exit | {} | {} |\n|---|---|---|---|\n",
            texts.0, texts.1
        ));
        for c in ALL.iter().filter(|c| c.origin == origin) {
            let exit = c.exit.map_or_else(|| "–".to_string(), |e| e.to_string());
            let cell = |s: &str| s.replace('|', "\\|");
            out.push_str(&format!(
                "| `{}` | {exit} | {} | {} |\n",
                c.code,
                cell(c.text.de),
                cell(c.text.en)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};
    use std::path::{Path, PathBuf};

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("cli/ has a parent")
            .to_path_buf()
    }

    fn codes_of(origin: Origin) -> BTreeSet<&'static str> {
        ALL.iter()
            .filter(|c| c.origin == origin)
            .map(|c| c.code)
            .collect()
    }

    /// Every code has a German and an English text with the same placeholders, and the
    /// codes are unique where they are emitted.
    #[test]
    fn every_code_has_german_and_english_text() {
        let mut seen = HashSet::new();
        for c in ALL {
            assert!(
                seen.insert((c.origin, c.code)),
                "{} twice in {:?}",
                c.code,
                c.origin
            );
            for text in [c.text.de, c.text.en] {
                assert!(!text.trim().is_empty(), "{c:?}");
            }
            assert_ne!(c.text.de, c.text.en, "{c:?}: one text for both languages");
            let mut de = placeholders(c.text.de);
            let mut en = placeholders(c.text.en);
            de.sort_unstable();
            de.dedup();
            en.sort_unstable();
            en.dedup();
            assert_eq!(de, en, "{}: placeholders differ", c.code);
            if c.origin == Origin::Ffi {
                assert!(c.code.starts_with(char::is_uppercase), "{c:?}");
                assert_eq!(c.exit, None);
            } else if c.origin == Origin::Bundle {
                assert_eq!(
                    c.exit, None,
                    "{c:?}: a finding's exit depends on where it stands"
                );
            } else {
                assert!(
                    c.code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{c:?}"
                );
                assert!(c.exit.is_some_and(|e| e <= exit::CONFLICT), "{c:?}");
            }
        }
    }

    /// `docs/ERRORS.md` is the generated page, byte for byte.
    #[test]
    fn errors_doc_is_generated() {
        let path = repo().join("docs/ERRORS.md");
        let want = markdown();
        if std::env::var_os("ELTERNKIT_BLESS").is_some() {
            std::fs::write(&path, &want).expect("write docs/ERRORS.md");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/ERRORS.md differs from cli/src/codes.rs; regenerate it with \
             `ELTERNKIT_BLESS=1 cargo test -p elternkit-cli errors_doc`"
        );
    }

    /// The source of a file without its test module.
    fn source(path: &Path) -> String {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        match text.find("#[cfg(test)]\nmod tests") {
            Some(end) => text[..end].to_string(),
            None => text,
        }
    }

    /// The top-level arguments of the call whose `(` ends just before `start`, as written.
    fn call_arguments(text: &str, start: usize) -> Vec<String> {
        let mut args = vec![String::new()];
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for c in text[start..].chars() {
            if in_string {
                escaped = !escaped && c == '\\';
                if c == '"' && !escaped {
                    in_string = false;
                }
            } else {
                match c {
                    '"' => in_string = true,
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth == 0 => break,
                    ')' | ']' | '}' => depth -= 1,
                    ',' if depth == 0 => {
                        args.push(String::new());
                        continue;
                    }
                    _ => {}
                }
            }
            if let Some(last) = args.last_mut() {
                last.push(c);
            }
        }
        args.iter().map(|a| a.trim().to_string()).collect()
    }

    /// The string literals at argument `index` of every call of `function` in the files
    /// (a non-literal argument, a helper passing a code on, is skipped).
    fn literal_arguments(files: &[PathBuf], function: &str, index: usize) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for file in files {
            let text = source(file);
            let needle = format!("{function}(");
            for (at, _) in text.match_indices(&needle) {
                let before = &text[..at];
                let is_call = !before.ends_with("fn ")
                    && !before.ends_with(|c: char| c.is_alphanumeric() || c == '_');
                if !is_call {
                    continue;
                }
                let args = call_arguments(&text, at + needle.len());
                if let Some(arg) = args.get(index)
                    && let Some(code) = arg.strip_prefix('"').and_then(|a| a.strip_suffix('"'))
                {
                    out.insert(code.to_string());
                }
            }
        }
        out
    }

    fn rust_files(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{d:?}: {e}")) {
                let path = entry.expect("directory entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && path.file_name().is_some_and(|n| n != "tests.rs")
                {
                    out.push(path);
                }
            }
        }
        out.sort();
        out
    }

    /// Every code the model and the rules give a case error or a plan problem is in the
    /// registry, and the registry lists no code they do not give.
    #[test]
    fn case_and_plan_codes_match_the_core() {
        let model = rust_files(&repo().join("core/model/src"));
        let rules = rust_files(&repo().join("core/rules/src"));
        let plan = vec![repo().join("core/rules/src/elterngeld/plan.rs")];
        let non_plan: Vec<PathBuf> = model
            .iter()
            .chain(&rules)
            .filter(|p| !plan.contains(p))
            .cloned()
            .collect();
        let mut case = literal_arguments(&non_plan, "problem", 1);
        case.extend(literal_arguments(&non_plan, "InputError::new", 1));
        case.extend(literal_arguments(&non_plan, "input_error", 2));
        // `RulesError::Unsupported` becomes this code in core/rules/src/lib.rs.
        case.insert("unsupported".into());
        let registered: BTreeSet<String> = codes_of(Origin::Case)
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            case, registered,
            "case codes: core (left) and registry (right)"
        );
        let found = literal_arguments(&plan, "problem", 0);
        let registered: BTreeSet<String> = codes_of(Origin::Plan)
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            found, registered,
            "plan codes: core (left) and registry (right)"
        );
    }

    /// Every variant of the FFI's `ElternKitError` is listed, and nothing else.
    #[test]
    fn ffi_codes_match_the_binding_enum() {
        let text = source(&repo().join("bindings/src/error.rs"));
        let start = text
            .find("pub enum ElternKitError {")
            .expect("the FFI error enum");
        let body = &text[start..];
        let body = &body[..body.find("\n}").expect("end of the enum")];
        let variants: BTreeSet<&str> = body
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| l.starts_with(char::is_uppercase))
            .map(|l| {
                l.split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or_default()
            })
            .collect();
        // The parse found the enum's variants, not an empty or truncated list.
        assert!(variants.len() >= 15, "{variants:?}");
        assert_eq!(variants, codes_of(Origin::Ffi));
    }

    /// The bundle's own finding codes (`FindingCode::OWN`, the closed set it emits by name)
    /// are all in the registry, and it lists no other.
    #[test]
    fn bundle_codes_match_the_core() {
        let own: BTreeSet<&str> = elternkit_bundle::FindingCode::OWN
            .iter()
            .map(|c| c.as_str())
            .collect();
        assert!(own.len() >= 30, "{own:?}");
        assert_eq!(
            own,
            codes_of(Origin::Bundle),
            "bundle codes: core (left) and registry (right)"
        );
    }

    /// The store's input codes and the planner's request codes match their sections, and
    /// every handoff refusal of the store has its command-line code.
    #[test]
    fn store_and_plan_request_codes_match_the_core() {
        let store: BTreeSet<&str> = elternkit_store::InputError::ALL
            .iter()
            .map(|e| e.code())
            .collect();
        assert_eq!(
            store,
            codes_of(Origin::Store),
            "core (left), registry (right)"
        );
        let request: BTreeSet<&str> = elternkit_planner::RequestProblem::examples()
            .iter()
            .map(|p| p.code())
            .collect();
        assert_eq!(
            request,
            codes_of(Origin::PlanRequest),
            "core (left), registry (right)"
        );
        let cli = codes_of(Origin::Cli);
        for p in elternkit_store::HandoffProblem::examples() {
            assert!(cli.contains(p.code()), "{p:?} has no command-line code");
        }
    }

    #[test]
    fn find_looks_a_code_up_in_its_origin() {
        assert_eq!(
            find(Origin::Store, "no_such_part").map(|c| c.code),
            Some("no_such_part")
        );
        // `invalid_json` is a code of several origins; each finds its own.
        assert_eq!(
            find(Origin::PlanRequest, "invalid_json").map(|c| c.origin),
            Some(Origin::PlanRequest)
        );
        assert!(find(Origin::Store, "missing").is_none());
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(placeholders("{path}: a {b_c} {X} {} {"), ["path", "b_c"]);
    }
}
