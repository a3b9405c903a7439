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

use anyhow::{Context, Result, bail};
use elternkit_store::crypto::{FileSecretStore, handoff};
use elternkit_store::{
    DraftContent, DraftId, DraftListing, DraftStatus, DraftSummary, MAX_DRAFT_BYTES, Store,
    StoreError,
};
use serde_json::{Value, json};

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

pub fn run(args: &Args) -> Result<ExitCode> {
    let db_default = args.db.is_none();
    let db = match &args.db {
        Some(path) => path.clone(),
        None => default_path("XDG_DATA_HOME", ".local/share", "drafts.db")
            .context("no --db given, ELTERNKIT_DB unset and no home directory to default to")?,
    };
    let key_default = args.key_file.is_none();
    let key_file = match &args.key_file {
        Some(path) => path.clone(),
        None => default_path("XDG_CONFIG_HOME", ".config", "device.key").context(
            "no --key-file given, ELTERNKIT_KEY_FILE unset and no home directory to default to",
        )?,
    };
    let creates = matches!(
        args.command,
        Sub::New { .. } | Sub::Import { .. } | Sub::Recipient
    );
    if !creates && !db.exists() {
        bail!(
            "no draft database at {}: nothing was created (a read or change needs an existing \
             database; `elternkit draft new` creates one). Check --db or ELTERNKIT_DB",
            db.display()
        );
    }
    // Read inputs before opening the store, so a bad input leaves no new files behind.
    let case_input = match &args.command {
        Sub::New { case, .. } | Sub::Save { case, .. } => match read_case(case)? {
            Ok(case) => Some(case),
            // Read, but not a case: a content error (exit 1), as in `calc`.
            Err(problem) => {
                errln!("elternkit: {problem}");
                return Ok(ExitCode::from(crate::exit::CONTENT));
            }
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
    let mut store =
        Store::open(&db, &secrets).with_context(|| format!("cannot open {}", db.display()))?;
    match &args.command {
        Sub::New { title, .. } => {
            let case = case_input.context("case was read above")?;
            let meta = store.create_draft(&content(case, title.as_deref(), DraftStatus::Draft))?;
            outln!("{}", meta.id);
        }
        Sub::Save {
            id, version, title, ..
        } => {
            let id: DraftId = id.parse()?;
            let case = case_input.context("case was read above")?;
            let status = store.load_draft(&id)?.meta.status;
            match store.save_draft(&id, *version, &content(case, title.as_deref(), status)) {
                Ok(meta) => outln!("{}", meta.version),
                Err(err @ StoreError::Conflict { .. }) => {
                    errln!("elternkit: conflict: {err}");
                    return Ok(ExitCode::from(crate::exit::CONFLICT));
                }
                Err(err) => return Err(err.into()),
            }
        }
        Sub::List { json } => list(&store, *json)?,
        Sub::Show { id, version } => {
            let id: DraftId = id.parse()?;
            let draft = match version {
                Some(v) => store.load_draft_version(&id, *v)?,
                None => store.load_draft(&id)?,
            };
            outln!("{}", serde_json::to_string_pretty(&draft.content.case)?);
        }
        Sub::Delete { id } => {
            store.delete_draft(&id.parse()?)?;
        }
        Sub::History { id } => {
            let id: DraftId = id.parse()?;
            // The history holds the earlier versions only, so an unknown id would print
            // nothing and succeed: ask for the draft itself first (NotFound names the id).
            store.load_draft(&id)?;
            outln!("{:>7}  {:<9}  {:<17}", "VERSION", "STATUS", "SAVED (UTC)");
            for entry in store.draft_history(&id)? {
                outln!(
                    "{:>7}  {:<9}  {:<17}",
                    entry.version,
                    entry.status.as_str(),
                    iso_minute(entry.updated_minute)
                );
            }
        }
        Sub::Restore { id, from, version } => {
            let meta = store.restore_draft(&id.parse()?, *from, *version)?;
            outln!("{}", meta.version);
        }
        Sub::Export { id, to, part, out } => {
            let to: Vec<&str> = to.iter().map(String::as_str).collect();
            let armored = store.export_draft(&id.parse()?, &to, part.as_deref())?;
            match out {
                Some(path) => fs::write(path, armored)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => std::io::stdout().write_all(armored.as_bytes())?,
            }
        }
        Sub::Import {
            file,
            expect_sender,
        } => {
            let bytes = read_input(file, handoff::MAX_ARMORED)?;
            let imported = store.import_draft(bytes.as_slice(), expect_sender.as_deref())?;
            outln!("{}", imported.meta.id);
            // A message, not data: stdout carries only the id (`id=$(elternkit draft import …)`).
            errln!("sender {}", imported.sender);
            if imported.already_imported {
                errln!(
                    "This handoff was imported before as the draft above; nothing new was stored."
                );
            }
            if expect_sender.is_none() {
                errln!(
                    "Compare the sender key above with the other parent's `elternkit draft \
                     recipient`; delete the draft if they differ."
                );
            }
        }
        Sub::Recipient => outln!("{}", store.device_recipient()),
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a whole input, refusing it once it passes `limit` bytes (read at most one byte
/// more, so a huge or endless input never fills memory).
fn read_input(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    if path == Path::new("-") {
        std::io::stdin().take(limit + 1).read_to_end(&mut buf)?;
    } else {
        fs::File::open(path)
            .and_then(|f| f.take(limit + 1).read_to_end(&mut buf))
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    if buf.len() as u64 > limit {
        bail!(
            "{} is larger than the limit of {limit} bytes ({} MiB); nothing was stored",
            path.display(),
            limit / (1024 * 1024)
        );
    }
    Ok(buf)
}

/// The case to store: an I/O error (exit 2) outside, a text that is not a case (exit 1) inside.
fn read_case(path: &Path) -> Result<std::result::Result<Value, String>> {
    let bytes = read_input(path, MAX_DRAFT_BYTES)?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    Ok(match serde_json::from_slice::<Value>(bytes) {
        // serde_json's syntax errors name only the position, never the text.
        Err(e) => Err(format!("{}: not valid JSON: {e}", path.display())),
        Ok(case) if !case.is_object() => {
            Err(format!("{}: a case is a JSON object", path.display()))
        }
        Ok(case) => Ok(case),
    })
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

fn list(store: &Store, as_json: bool) -> Result<()> {
    let listings = store.list_drafts()?;
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
        match (&entry, as_json) {
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
            (Err(e), true) => writeln!(out, "{}", json!({"id": id, "error": e.to_string()}))?,
            (Ok((meta, s)), false) => writeln!(
                out,
                "{:<id_width$}  {:>7}  {:<9}  {:<17}  {}",
                id.to_string(),
                meta.version,
                meta.status.as_str(),
                iso_minute(meta.updated_minute),
                s.title
            )?,
            (Err(e), false) => writeln!(out, "{:<id_width$}  <unreadable: {e}>", id.to_string())?,
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
        .with_context(|| format!("cannot create {}", parent.display()))
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
}
