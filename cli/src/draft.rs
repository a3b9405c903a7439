//! `elternkit draft`: offline drafts in the encrypted store.
//!
//! Stable contract (outside checks use it): `draft new CASE.json` prints the new id;
//! `draft show ID` prints the stored case JSON; `draft save ID CASE.json --version N` prints
//! the new version, or exits with status 3 and a conflict message when N is stale. Every
//! other failure (wrong or unreadable key file, unknown id, …) exits with status 2 and leaves
//! the database files untouched.
//!
//! Only `new`, `import` and `recipient` may create the database (and the key); every other
//! command refuses a database that does not exist, so a mistyped `--db` never leaves an empty
//! one behind. Without `--db`/`--key-file` the paths come from `ELTERNKIT_DB` /
//! `ELTERNKIT_KEY_FILE`, else from the XDG base directories: the database under
//! `$XDG_DATA_HOME/elternkit/`, the key apart from it under `$XDG_CONFIG_HOME/elternkit/`.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use elternkit_model::{Lang, Template};
use elternkit_store::crypto::{CryptoError, DeviceKey, FileSecretStore, SecretStoreError, handoff};
use elternkit_store::{
    DraftContent, DraftId, DraftListing, DraftStatus, DraftSummary, HandoffProblem, InputError,
    MAX_DRAFT_BYTES, SqliteKind, Store, StoreError,
};
use serde_json::{Value, json};

use crate::codes;
use crate::error::{Arg, CliError};
use crate::out::{errln, outln};

#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  \
    id=$(elternkit draft new case.json)\n  \
    elternkit draft save $id case.json --version 1\n  \
    elternkit draft list --db drafts.db --key-file ~/.elternkit.key\n\n\
    Default paths: $XDG_DATA_HOME/elternkit/drafts.db (else ~/.local/share/elternkit/drafts.db)\n\
    and $XDG_CONFIG_HOME/elternkit/device.key (else ~/.config/elternkit/device.key).\n\
    Only new, import and recipient create a database; the other commands need one.\n\n\
    Exit status: 0 ok, 1 the case file is not a case, 2 error, 3 conflict (the draft was\n\
    saved elsewhere in between).")]
pub struct Args {
    /// The SQLite database file (default: $ELTERNKIT_DB, else
    /// $XDG_DATA_HOME/elternkit/drafts.db). Only `new`, `import` and `recipient` create it.
    #[arg(long, global = true, value_name = "PATH", env = "ELTERNKIT_DB")]
    db: Option<PathBuf>,
    /// The device key file (default: $ELTERNKIT_KEY_FILE, else
    /// $XDG_CONFIG_HOME/elternkit/device.key; created with mode 0600 when a new database
    /// needs a key). Keep it apart from the database: whoever has both can read the drafts.
    #[arg(long, global = true, value_name = "PATH", env = "ELTERNKIT_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// Language of the messages on stderr (default: from ELTERNKIT_LANG, LC_ALL,
    /// LC_MESSAGES or LANG; German unless that is English). Data on stdout (ids, versions,
    /// the table's column names, case JSON) is the same in both.
    #[arg(long, global = true, default_value = crate::locale_lang(), value_parser = crate::lang_parser())]
    lang: Lang,
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand, Debug)]
enum Sub {
    /// Store CASE.json (`-` = stdin, at most 4 MiB) as a new draft; prints its id.
    New {
        /// The case file (`elternkit.case/1`), `-` for stdin.
        case: PathBuf,
        /// Title shown in the list (default: the case's `title` or `id`).
        #[arg(long)]
        title: Option<String>,
    },
    /// Save CASE.json on top of version N; prints the new version.
    Save {
        /// The draft's id (from `draft new` or `draft list`).
        id: String,
        /// The case file, `-` for stdin.
        case: PathBuf,
        /// The version this edit started from (see `draft list`).
        #[arg(long, value_name = "N")]
        version: u64,
        /// New title shown in the list (default: keep the case's `title` or `id`).
        #[arg(long)]
        title: Option<String>,
    },
    /// List drafts under a header row: id, version, status, last change (ISO 8601, UTC, to
    /// the minute), title.
    List {
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print a draft's case JSON (or an earlier version from the history).
    Show {
        /// The draft's id.
        id: String,
        /// An earlier version (see `draft history`) instead of the current one.
        #[arg(long, value_name = "N")]
        version: Option<u64>,
    },
    /// Delete a draft with its history and documents.
    Delete {
        /// The draft's id.
        id: String,
    },
    /// List the kept earlier versions of a draft (version, status, time in ISO 8601 UTC).
    History {
        /// The draft's id.
        id: String,
    },
    /// Make version FROM current again (saved as a new version on top of --version N).
    Restore {
        /// The draft's id.
        id: String,
        /// The earlier version to bring back (see `draft history`).
        #[arg(long, value_name = "FROM")]
        from: u64,
        /// The current version this restore starts from.
        #[arg(long, value_name = "N")]
        version: u64,
    },
    /// Encrypt a draft for the other parent (`age1…` from their `draft recipient`).
    Export {
        /// The draft's id.
        id: String,
        /// The other parent's recipient; repeat for several.
        #[arg(long, required = true, value_name = "AGE1…")]
        to: Vec<String>,
        /// Export only this part of the case (JSON pointer, e.g. /parents/1).
        #[arg(long, value_name = "POINTER")]
        part: Option<String>,
        /// Write here instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Import a draft from the other parent (`-` = stdin, at most 16 MiB); prints the draft's
    /// id and the sender. Importing the same handoff again prints the draft made the first
    /// time.
    Import {
        /// The handoff file from `draft export`, `-` for stdin.
        file: PathBuf,
        /// Refuse the handoff unless it comes from this device key (either case, as a QR
        /// code shows it).
        #[arg(long, value_name = "AGE1…")]
        expect_sender: Option<String>,
    },
    /// Print this device's recipient (`age1…`) for the other parent.
    Recipient,
}

impl Args {
    /// The run's language (`--lang`).
    pub fn lang(&self) -> Lang {
        self.lang
    }
}

/// The sender of an imported handoff (stderr).
const SENDER: Template = Template {
    de: "Absender {sender}",
    en: "sender {sender}",
};
const IMPORTED_BEFORE: Template = Template {
    de: "Diese Übergabe wurde schon als der Entwurf oben importiert; nichts Neues wurde gespeichert.",
    en: "This handoff was imported before as the draft above; nothing new was stored.",
};
const COMPARE_SENDER: Template = Template {
    de: "Bitte den Absenderschlüssel oben mit `elternkit draft recipient` des anderen Elternteils vergleichen; weichen sie ab, den Entwurf löschen.",
    en: "Compare the sender key above with the other parent's `elternkit draft recipient`; delete the draft if they differ.",
};
/// A draft input that is not JSON: serde_json's position (never the text).
const NOT_JSON: Template = Template {
    de: "kein gültiges JSON (Zeile {line}, Spalte {column})",
    en: "not valid JSON (line {line}, column {column})",
};
const NOT_AN_OBJECT: Template = Template {
    de: "der Text ist kein JSON-Objekt",
    en: "the text is not a JSON object",
};

/// Every message of this module, for the test that each is whole in both languages.
#[cfg(test)]
const MESSAGES: &[&Template] = &[
    &SENDER,
    &IMPORTED_BEFORE,
    &COMPARE_SENDER,
    &NOT_JSON,
    &NOT_AN_OBJECT,
];

pub fn run(args: &Args) -> Result<ExitCode> {
    let lang = args.lang;
    let db_default = args.db.is_none();
    let db = match &args.db {
        Some(path) => path.clone(),
        None => default_path("XDG_DATA_HOME", ".local/share", "drafts.db").ok_or_else(|| {
            CliError::new(&codes::NO_DEFAULT_PATH)
                .with("option", "--db")
                .with("env", "ELTERNKIT_DB")
        })?,
    };
    let key_default = args.key_file.is_none();
    let key_file = match &args.key_file {
        Some(path) => path.clone(),
        None => default_path("XDG_CONFIG_HOME", ".config", "device.key").ok_or_else(|| {
            CliError::new(&codes::NO_DEFAULT_PATH)
                .with("option", "--key-file")
                .with("env", "ELTERNKIT_KEY_FILE")
        })?,
    };
    let input = match &args.command {
        Sub::New { case, .. } | Sub::Save { case, .. } => Some(case.as_path()),
        Sub::Import { file, .. } => Some(file.as_path()),
        _ => None,
    };
    let fail = |e: StoreError| store_error(e, &db, input);
    let creates = matches!(
        args.command,
        Sub::New { .. } | Sub::Import { .. } | Sub::Recipient
    );
    if !creates && !db.exists() {
        return Err(CliError::new(&codes::NO_DATABASE).path(&db).into());
    }
    // Read inputs before opening the store, so a bad input leaves no new files behind.
    let case_input = match &args.command {
        Sub::New { case, .. } | Sub::Save { case, .. } => match read_case(case)? {
            Ok(case) => Some(case),
            // Read, but not a case: a content error (exit 1), as in `calc`.
            Err(problem) => return Err(problem.into()),
        },
        _ => None,
    };
    // The default folders are ours to make (private); a path the user gave is not.
    if creates && db_default {
        private_parent(&db)?;
    }
    if creates && key_default {
        private_parent(&key_file)?;
    }
    let secrets = FileSecretStore::new(&key_file);
    // The key file first, for its typed errors (the store folds them into one).
    DeviceKey::load(&secrets).map_err(|e| crypto_error(e, &db, input))?;
    let mut store = Store::open(&db, &secrets).map_err(fail)?;
    match &args.command {
        Sub::New { title, .. } => {
            let case = read_above(case_input)?;
            let meta = store
                .create_draft(&content(case, title.as_deref(), DraftStatus::Draft))
                .map_err(fail)?;
            outln!("{}", meta.id);
        }
        Sub::Save {
            id, version, title, ..
        } => {
            let id = draft_id(id)?;
            let case = read_above(case_input)?;
            let status = store.load_draft(&id).map_err(fail)?.meta.status;
            let meta = store
                .save_draft(&id, *version, &content(case, title.as_deref(), status))
                .map_err(fail)?;
            outln!("{}", meta.version);
        }
        Sub::List { json } => list(&store, &db, *json, lang).map_err(|e| match e {
            ListError::Store(e) => anyhow::Error::from(fail(e)),
            ListError::Io(e) => e.into(),
        })?,
        Sub::Show { id, version } => {
            let id = draft_id(id)?;
            let draft = match version {
                Some(v) => store.load_draft_version(&id, *v),
                None => store.load_draft(&id),
            }
            .map_err(fail)?;
            outln!("{}", serde_json::to_string_pretty(&draft.content.case)?);
        }
        Sub::Delete { id } => {
            store.delete_draft(&draft_id(id)?).map_err(fail)?;
        }
        Sub::History { id } => {
            let id = draft_id(id)?;
            // The history holds the earlier versions only, so an unknown id would print
            // nothing and succeed: ask for the draft itself first (NotFound names the id).
            store.load_draft(&id).map_err(fail)?;
            outln!("{:>7}  {:<9}  {:<17}", "VERSION", "STATUS", "SAVED (UTC)");
            for entry in store.draft_history(&id).map_err(fail)? {
                outln!(
                    "{:>7}  {:<9}  {:<17}",
                    entry.version,
                    entry.status.as_str(),
                    iso_minute(entry.updated_minute)
                );
            }
        }
        Sub::Restore { id, from, version } => {
            let meta = store
                .restore_draft(&draft_id(id)?, *from, *version)
                .map_err(fail)?;
            outln!("{}", meta.version);
        }
        Sub::Export { id, to, part, out } => {
            let to: Vec<&str> = to.iter().map(String::as_str).collect();
            let armored = store
                .export_draft(&draft_id(id)?, &to, part.as_deref())
                .map_err(fail)?;
            match out {
                Some(path) => fs::write(path, armored).map_err(|e| CliError::io(path, &e))?,
                None => std::io::stdout().write_all(armored.as_bytes())?,
            }
        }
        Sub::Import {
            file,
            expect_sender,
        } => {
            let bytes = read_input(file, handoff::MAX_ARMORED)?;
            let imported = store
                .import_draft(bytes.as_slice(), expect_sender.as_deref())
                .map_err(fail)?;
            outln!("{}", imported.meta.id);
            // A message, not data: stdout carries only the id (`id=$(elternkit draft import …)`).
            errln!(
                "{}",
                crate::error::fill(SENDER.get(lang), &[("sender", imported.sender.to_string())])
            );
            if imported.already_imported {
                errln!("{}", IMPORTED_BEFORE.get(lang));
            }
            if expect_sender.is_none() {
                errln!("{}", COMPARE_SENDER.get(lang));
            }
        }
        Sub::Recipient => outln!("{}", store.device_recipient()),
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a whole input, refusing it once it passes `limit` bytes (read at most one byte
/// more, so a huge or endless input never fills memory).
fn read_input(path: &Path, limit: u64) -> Result<Vec<u8>, CliError> {
    let mut buf = Vec::new();
    let read = if path == Path::new("-") {
        std::io::stdin().take(limit + 1).read_to_end(&mut buf)
    } else {
        fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut buf))
    };
    read.map_err(|e| CliError::io(path, &e))?;
    if buf.len() as u64 > limit {
        return Err(too_large(path, limit));
    }
    Ok(buf)
}

fn too_large(path: &Path, limit: u64) -> CliError {
    CliError::new(&codes::INPUT_TOO_LARGE)
        .path(path)
        .with("limit", limit / (1024 * 1024))
}

/// The case to store: an I/O error (exit 2) outside, a text that is not a case (exit 1,
/// `not_a_case`) inside.
fn read_case(path: &Path) -> Result<std::result::Result<Value, CliError>, CliError> {
    let bytes = read_input(path, MAX_DRAFT_BYTES)?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let not_a_case = |problem: Arg| {
        CliError::new(&codes::NOT_A_CASE)
            .path(path)
            .with_arg(problem)
    };
    Ok(match serde_json::from_slice::<Value>(bytes) {
        // serde_json's position only, never the text.
        Err(e) => {
            let at = |t: &Template, lang| {
                crate::error::fill(
                    t.get(lang),
                    &[
                        ("line", e.line().to_string()),
                        ("column", e.column().to_string()),
                    ],
                )
            };
            Err(not_a_case(Arg::localized(
                "problem",
                at(&NOT_JSON, Lang::De),
                at(&NOT_JSON, Lang::En),
            )))
        }
        Ok(case) if !case.is_object() => Err(not_a_case(Arg::localized(
            "problem",
            NOT_AN_OBJECT.de,
            NOT_AN_OBJECT.en,
        ))),
        Ok(case) => Ok(case),
    })
}

/// The case `read_case` returned above for `new` and `save`.
fn read_above(case: Option<Value>) -> Result<Value, CliError> {
    // `new` and `save` always read their case before the store is opened.
    case.ok_or_else(|| {
        CliError::new(&codes::INTERNAL_ERROR).with("reason", "the case was not read")
    })
}

/// A draft id from the command line.
fn draft_id(text: &str) -> Result<DraftId, CliError> {
    // The text is shown: an id is no personal data, and a typo is easier to see so.
    text.parse()
        .map_err(|_| CliError::new(&codes::INVALID_DRAFT_ID).with("arg", format!("`{text}`")))
}

/// A store error in the registry's terms. `input` is the file a `new`, `save` or `import`
/// read (for a size or handoff error).
fn store_error(e: StoreError, db: &Path, input: Option<&Path>) -> CliError {
    let input = input.unwrap_or(Path::new("-"));
    match e {
        StoreError::KeyUnavailable { .. } => CliError::new(&codes::KEY_UNAVAILABLE),
        StoreError::HandoffRefused(problem) => handoff_refused(problem, input),
        StoreError::DecryptionFailed { id, .. } => {
            CliError::new(&codes::RECORD_UNREADABLE).with("id", id)
        }
        StoreError::Misplaced { id } | StoreError::Tampered { id, .. } => {
            CliError::new(&codes::RECORD_TAMPERED).with("id", id)
        }
        StoreError::TooLarge { limit, .. } => too_large(input, limit),
        StoreError::Conflict {
            id,
            expected,
            actual,
            ..
        } => CliError::new(&codes::DRAFT_CONFLICT)
            .with("id", id)
            .with("expected", expected)
            .with("actual", actual),
        StoreError::NotFound {
            what: "draft version",
            id,
        } => {
            // The store names it `ID vN`.
            let (id, version) = id.rsplit_once(" v").unwrap_or((id.as_str(), "?"));
            CliError::new(&codes::VERSION_NOT_FOUND)
                .with("id", id)
                .with("version", version)
        }
        StoreError::NotFound { id, .. } => CliError::new(&codes::DRAFT_NOT_FOUND).with("id", id),
        StoreError::Corrupt { .. } => CliError::new(&codes::DATABASE_DAMAGED),
        StoreError::NotADatabase { path } => CliError::new(&codes::NOT_A_DATABASE).path(&path),
        StoreError::ForeignDatabase { path } => CliError::new(&codes::FOREIGN_DATABASE).path(&path),
        StoreError::TooNew { found, supported } => CliError::new(&codes::DATABASE_TOO_NEW)
            .with("found", found)
            .with("supported", supported),
        StoreError::InvalidInput(InputError::ExpectedSender) => {
            CliError::new(&codes::INVALID_RECIPIENT).with("arg", "--expect-sender")
        }
        // The store's reason by its code, in the run's language.
        StoreError::InvalidInput(e) => CliError::new(&codes::DRAFT_INPUT_REFUSED)
            .with_arg(Arg::of_code("reason", codes::Origin::Store, e.code(), &[])),
        StoreError::Sqlite(e) => {
            sqlite_error(SqliteKind::of(&e), elternkit_store::sqlite_code(&e), db)
        }
        StoreError::Io { path, source } => CliError::io(&path, &source),
        StoreError::Crypto(e) => crypto_error(e, db, Some(input)),
    }
}

/// Why the import refused a handoff, each with what to do about it.
fn handoff_refused(problem: HandoffProblem, input: &Path) -> CliError {
    match problem {
        HandoffProblem::NotAHandoff => CliError::new(&codes::NOT_A_HANDOFF).path(input),
        HandoffProblem::NotForThisDevice => {
            CliError::new(&codes::HANDOFF_NOT_FOR_THIS_DEVICE).path(input)
        }
        HandoffProblem::Damaged => CliError::new(&codes::HANDOFF_DAMAGED).path(input),
        HandoffProblem::SenderUnverified => CliError::new(&codes::SENDER_UNVERIFIED),
        // A device's public recipient, no secret and no personal data.
        HandoffProblem::UnexpectedSender { sender } => {
            CliError::new(&codes::UNEXPECTED_SENDER).with("sender", sender)
        }
        HandoffProblem::UnknownFormat => CliError::new(&codes::UNKNOWN_HANDOFF_FORMAT).path(input),
    }
}

/// SQLite's failure by its kind: its own text is English and never shown; an unexpected
/// one is named by its codes, for a report.
fn sqlite_error(kind: SqliteKind, code: String, db: &Path) -> CliError {
    match kind {
        SqliteKind::Busy => CliError::new(&codes::DATABASE_BUSY).path(db),
        SqliteKind::ReadOnly => CliError::new(&codes::DATABASE_READ_ONLY).path(db),
        SqliteKind::DiskFull => CliError::new(&codes::DISK_FULL).path(db),
        SqliteKind::CannotOpen => CliError::new(&codes::DATABASE_CANNOT_OPEN).path(db),
        SqliteKind::Other => {
            CliError::new(&codes::STORE_FAILED).with("detail", format!("SQLite: {code}"))
        }
    }
}

fn crypto_error(e: CryptoError, db: &Path, input: Option<&Path>) -> CliError {
    let input = input.unwrap_or(Path::new("-"));
    match e {
        CryptoError::WrongKey => CliError::new(&codes::KEY_UNAVAILABLE),
        CryptoError::Damaged => CliError::new(&codes::RECORD_UNREADABLE).with("id", "data"),
        CryptoError::NotAHandoff => CliError::new(&codes::NOT_A_HANDOFF).path(input),
        CryptoError::Misplaced { found, .. } => {
            CliError::new(&codes::RECORD_TAMPERED).with("id", found)
        }
        CryptoError::BadRecipient { .. } => {
            CliError::new(&codes::INVALID_RECIPIENT).with("arg", "--to")
        }
        CryptoError::Unauthenticated => CliError::new(&codes::SENDER_UNVERIFIED),
        CryptoError::SecretStore(e) => match e {
            SecretStoreError::Io { path, source } => CliError::new(&codes::KEY_FILE_UNREADABLE)
                .path(&path)
                .with("kind", format!("{:?}", source.kind())),
            SecretStoreError::Malformed { path, .. } => {
                CliError::new(&codes::KEY_FILE_MALFORMED).path(&path)
            }
            SecretStoreError::Insecure { path, mode } => CliError::new(&codes::KEY_FILE_INSECURE)
                .path(&path)
                .with("mode", format!("{mode:o}")),
            // The file key store never fails so; named by kind, not by its text.
            SecretStoreError::Platform(_) => {
                CliError::new(&codes::STORE_FAILED).with("detail", "key store")
            }
        },
        CryptoError::TooLarge { limit, .. } => too_large(input, limit),
        CryptoError::Io(e) => CliError::io(db, &e),
        // Encryption itself failed: a bug, named by kind.
        CryptoError::Encrypt(_) => CliError::new(&codes::STORE_FAILED).with("detail", "encrypt"),
    }
}

/// The store treats the case as opaque; the summary is what the list shows.
fn content(case: Value, title: Option<&str>, status: DraftStatus) -> DraftContent {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let title = title
        .map(str::to_owned)
        .or_else(|| text(case.get("title")))
        .or_else(|| text(case.get("id")))
        .unwrap_or_else(|| "Entwurf".to_owned());
    let benefit_kinds = match case.get("benefits").and_then(Value::as_array) {
        Some(list) => list.iter().filter_map(|b| text(Some(b))).collect(),
        None => {
            let has_plan = case
                .get("parents")
                .and_then(Value::as_array)
                .is_some_and(|ps| ps.iter().any(|p| p.get("plan").is_some()));
            if has_plan {
                vec!["elterngeld".to_owned()]
            } else {
                Vec::new()
            }
        }
    };
    let mut child_names: Vec<String> = Vec::new();
    let children = case.get("child").into_iter().chain(
        case.get("siblings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    );
    for child in children {
        if let Some(name) = text(child.get("name")).or_else(|| text(child.get("first_name"))) {
            child_names.push(name);
        }
    }
    DraftContent {
        status,
        summary: DraftSummary {
            title,
            benefit_kinds,
            child_names,
        },
        case,
    }
}

/// Why `draft list` stopped: the store, or the output.
enum ListError {
    Store(StoreError),
    Io(std::io::Error),
}

impl From<std::io::Error> for ListError {
    fn from(e: std::io::Error) -> Self {
        ListError::Io(e)
    }
}

fn list(store: &Store, db: &Path, as_json: bool, lang: Lang) -> Result<(), ListError> {
    let listings = store.list_drafts().map_err(ListError::Store)?;
    let mut out = std::io::stdout().lock();
    let id_width = listings
        .iter()
        .map(|l| l.id.to_string().len())
        .max()
        .unwrap_or(0)
        .max("ID".len());
    if !as_json {
        writeln!(
            out,
            "{:<id_width$}  {:>7}  {:<9}  {:<17}  TITLE",
            "ID", "VERSION", "STATUS", "UPDATED (UTC)"
        )?;
    }
    // A row that cannot be read is listed with its error; the others still show.
    for DraftListing { id, entry } in listings {
        match (entry, as_json) {
            (Ok((meta, s)), true) => {
                let line = json!({
                    "id": id,
                    "version": meta.version,
                    "status": meta.status.as_str(),
                    "created": iso_day(meta.created_day),
                    "updated": iso_minute(meta.updated_minute),
                    "title": s.title,
                    "benefit_kinds": s.benefit_kinds,
                    "child_names": s.child_names,
                });
                writeln!(out, "{line}")?;
            }
            (Err(e), true) => {
                let e = store_error(e, db, None);
                let line = json!({"id": id, "code": e.code.code, "error": e.message(lang)});
                writeln!(out, "{line}")?
            }
            (Ok((meta, s)), false) => writeln!(
                out,
                "{:<id_width$}  {:>7}  {:<9}  {:<17}  {}",
                id.to_string(),
                meta.version,
                meta.status.as_str(),
                iso_minute(meta.updated_minute),
                s.title
            )?,
            (Err(e), false) => {
                let e = store_error(e, db, None);
                writeln!(
                    out,
                    "{:<id_width$}  <{} [{}]>",
                    id.to_string(),
                    e.message(lang),
                    e.code.code
                )?
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// `$XDG_…/elternkit/FILE`, else `~/FALLBACK/elternkit/FILE` (XDG Base Directory spec: a
/// relative `$XDG_…` is ignored).
fn default_path(xdg_var: &str, fallback: &str, file: &str) -> Option<PathBuf> {
    let base = std::env::var_os(xdg_var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|home| home.join(fallback))
        })?;
    Some(base.join("elternkit").join(file))
}

/// Creates the parent folder of a default path, readable by the user only.
fn private_parent(path: &Path) -> Result<()> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(parent)
        .map_err(|e| CliError::io(parent, &e).into())
}

/// Minutes since 1970 as ISO 8601 in UTC to the minute (`2026-03-10T12:34Z`).
fn iso_minute(minute: i64) -> String {
    minute
        .checked_mul(60)
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.strftime("%Y-%m-%dT%H:%MZ").to_string())
        // Outside jiff's range (year −9999 … 9999): a stored counter that no clock made.
        .unwrap_or_else(|| format!("minute {minute}"))
}

/// Days since 1970 as an ISO 8601 date (`2026-03-10`).
fn iso_day(day: i64) -> String {
    day.checked_mul(86_400)
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_else(|| format!("day {day}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_whole_in_both_languages() {
        for m in MESSAGES {
            assert!(
                !m.de.is_empty() && !m.en.is_empty() && m.de != m.en,
                "{m:?}"
            );
            assert_eq!(
                crate::codes::placeholders(m.de),
                crate::codes::placeholders(m.en),
                "{m:?}"
            );
        }
    }

    #[test]
    fn iso_formatting() {
        assert_eq!(iso_minute(0), "1970-01-01T00:00Z");
        // 2026-03-10 12:34 UTC
        assert_eq!(iso_minute(1_773_146_040 / 60), "2026-03-10T12:34Z");
        assert_eq!(iso_day(1_773_146_040 / 86_400), "2026-03-10");
        assert_eq!(iso_minute(i64::MAX), format!("minute {}", i64::MAX));
    }

    #[test]
    fn summary_from_case() {
        let c = content(
            json!({"id": "Fall A", "child": {"name": "Mia"}, "parents": [{"plan": ["basis"]}]}),
            None,
            DraftStatus::Draft,
        );
        assert_eq!(c.summary.title, "Fall A");
        assert_eq!(c.summary.benefit_kinds, ["elterngeld"]);
        assert_eq!(c.summary.child_names, ["Mia"]);
    }

    /// SQLite's failures by kind, in the run's language; an unexpected one by its codes. The
    /// store gives only kinds and codes (`elternkit_store::sqlite_code`), never SQLite's text.
    #[test]
    fn sqlite_failures_are_codes_in_the_run_language() {
        let db = Path::new("/tmp/d.db");
        let cases = [
            (SqliteKind::Busy, "database_busy", "gesperrt", "locked"),
            (
                SqliteKind::ReadOnly,
                "database_read_only",
                "beschreiben",
                "written",
            ),
            (SqliteKind::DiskFull, "disk_full", "voll", "disk is full"),
            (
                SqliteKind::CannotOpen,
                "database_cannot_open",
                "öffnen",
                "opened",
            ),
            (
                SqliteKind::Other,
                "store_failed",
                "gescheitert",
                "store failed",
            ),
        ];
        for (kind, code, de, en) in cases {
            let e = sqlite_error(kind, "DatabaseBusy, extended code 5".into(), db);
            assert_eq!(e.code.code, code);
            assert_eq!(e.exit(), crate::exit::USAGE);
            let text = e.render(Lang::De);
            assert!(text.contains(de) && !text.contains(en), "{text}");
            assert!(text.ends_with(&format!(" [{code}]\n")), "{text}");
            assert!(e.render(Lang::En).contains(en));
        }
        let other = sqlite_error(SqliteKind::Other, "Unknown, extended code 1".into(), db);
        assert!(
            other
                .render(Lang::De)
                .contains("(SQLite: Unknown, extended code 1)")
        );
    }

    /// Each handoff refusal has its own code; the two that look alike to SQLite and age
    /// (another device, damage) ask for different things.
    #[test]
    fn handoff_refusals_have_their_codes() {
        let file = Path::new("h.age");
        for (problem, code) in [
            (HandoffProblem::NotAHandoff, "not_a_handoff"),
            (
                HandoffProblem::NotForThisDevice,
                "handoff_not_for_this_device",
            ),
            (HandoffProblem::Damaged, "handoff_damaged"),
            (HandoffProblem::SenderUnverified, "sender_unverified"),
            (
                HandoffProblem::UnexpectedSender {
                    sender: "age1xyz".into(),
                },
                "unexpected_sender",
            ),
            (HandoffProblem::UnknownFormat, "unknown_handoff_format"),
        ] {
            assert_eq!(problem.code(), code);
            let e = store_error(StoreError::HandoffRefused(problem), file, Some(file));
            assert_eq!(e.code.code, code);
            assert!(!e.render(Lang::De).contains('{'));
        }
        let e = store_error(StoreError::InvalidInput(InputError::NoSuchPart), file, None);
        assert_eq!(e.code.code, "draft_input_refused");
        let de = e.render(Lang::De);
        assert!(
            de.contains("keinen Teil") && !de.contains("no part"),
            "{de}"
        );
    }
}
