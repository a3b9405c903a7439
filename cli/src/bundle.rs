//! `elternkit bundle`: a case becomes the three applications (Standesamt, Familienkasse,
//! Elterngeldstelle) — a readable checklist by default, `elternkit.bundle/1` JSON with
//! `--json`. Exit status 0 when the case could be read (whether or not the applications are
//! ready), 1 when the case itself is invalid, 2 on a usage or file error.

use crate::codes;
use crate::error::CliError;
use crate::messages;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use elternkit_bundle::routing::{Land, Routing};
use elternkit_bundle::{
    Application, Bundle, ConsentStatus, DeriveContext, DirectoryRouter, DocumentStatus, Severity,
    Status, derive_json,
};
use elternkit_directory::Directory;
use elternkit_model::Lang;
use jiff::civil::Date;

#[derive(clap::Args, Debug)]
#[command(after_help = "Example: elternkit bundle case.json --lang en --today 2026-03-10")]
pub struct Args {
    /// The case file (`elternkit.case/1`, with its `application` section), `-` for stdin.
    case: PathBuf,
    /// Print the bundle as `elternkit.bundle/1` JSON instead of the checklist.
    #[arg(long)]
    json: bool,
    /// Language of the checklist and the error lines (default: from ELTERNKIT_LANG, LC_ALL, LC_MESSAGES or
    /// LANG; German unless that is English).
    #[arg(long, default_value = crate::locale_lang(), value_parser = crate::lang_parser())]
    lang: Lang,
    /// Evaluate on this day (YYYY-MM-DD) instead of the case's evaluation_date.
    #[arg(long)]
    today: Option<String>,
    /// The family's Land as its two-digit key (04 = Bremen, 09 = Bayern, 11 = Berlin …),
    /// for the holidays the reminders avoid; default: application.place.land.
    #[arg(long)]
    land: Option<String>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let text = crate::calc::read_text(&args.case)?;
    let mut ctx = DeriveContext::default();
    if let Some(day) = &args.today {
        ctx.evaluation_date = Some(
            day.parse::<Date>()
                .map_err(|_| CliError::new(&codes::INVALID_DATE).with("arg", "--today"))?,
        );
    }
    if let Some(land) = &args.land {
        ctx.land = Some(parse_land(land)?);
    }
    let bundle = derive_routed(&text, &ctx)?;
    if args.json {
        crate::out::stdout(&format!("{}\n", serde_json::to_string_pretty(&bundle)?))?;
    } else {
        crate::out::stdout(&checklist(&bundle, args.lang))?;
    }
    // The same verdict as `calc` on the same case: a case the rules cannot compute (or that
    // does not parse) is a content error here too, whatever the bundle made of it.
    let rules = elternkit_rules::calculate_json_with(
        &text,
        elternkit_rules::CalcOptions {
            explanations: false,
        },
    );
    crate::out::stderr(&crate::calc::error_lines(
        &args.case,
        &rules.errors,
        args.lang,
    ))?;
    crate::out::stderr(&crate::calc::plan_lines(&args.case, &rules, args.lang))?;
    let rules_errors = rules.has_problems();
    let bundle_errors = bundle
        .problems
        .iter()
        .any(|p| p.severity == Severity::Error);
    Ok(ExitCode::from(if rules_errors || bundle_errors {
        crate::exit::CONTENT
    } else {
        crate::exit::OK
    }))
}

/// Derives the bundle of a case (JSON) with the shipped routing tables and the development
/// directory, whose validity is checked against the real date, not the case's.
pub fn derive_routed(text: &str, ctx: &DeriveContext) -> Result<Bundle> {
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let directory = Directory::development(today)
        // By code: the directory's own text is English (core/directory, `DirectoryError`).
        .map_err(|e| CliError::new(&codes::DIRECTORY_INVALID).with("detail", e.code()))?;
    Ok(derive_json(text, ctx, &DirectoryRouter(&directory)))
}

fn parse_land(s: &str) -> Result<Land> {
    match serde_json::from_value::<Land>(serde_json::Value::String(s.to_string())) {
        Ok(land) => Ok(land),
        Err(_) => Err(CliError::new(&codes::INVALID_LAND)
            .with("arg", "--land")
            .into()),
    }
}

/// The readable checklist: per application what is ready, missing, to upload, to consent,
/// which office, and the deadlines.
pub fn checklist(bundle: &Bundle, lang: Lang) -> String {
    let en = lang == Lang::En;
    let t = |m: &'static elternkit_model::Template| m.get(if en { Lang::En } else { Lang::De });
    let mut out = String::new();
    if !bundle.problems.is_empty() {
        let _ = writeln!(out, "{}", t(&messages::ABOUT_THE_CASE));
        for p in &bundle.problems {
            let _ = writeln!(
                out,
                "  ! {} ({})",
                if en { &p.message_en } else { &p.message_de },
                p.path
            );
        }
        if bundle.applications.is_empty() {
            return out;
        }
        out.push('\n');
    }
    if let Some(day) = bundle.evaluation_date {
        let _ = writeln!(out, "{} {day}", t(&messages::AS_OF));
    }
    for id in &bundle.order {
        let Some(app) = bundle.applications.iter().find(|a| &a.id == id) else {
            continue;
        };
        application(&mut out, app, en);
    }
    // The symbols used above, once, so a reader does not have to guess them.
    let _ = writeln!(out, "\n{}", t(&messages::LEGEND));
    out
}

fn application(out: &mut String, app: &Application, en: bool) {
    let t = |m: &'static elternkit_model::Template| m.get(if en { Lang::En } else { Lang::De });
    let name = match app.service {
        elternkit_bundle::routing::Service::Standesamt => {
            t(&messages::STANDESAMT_BIRTH_REGISTRATION_NAME_CERTIFICATES)
        }
        elternkit_bundle::routing::Service::Familienkasse => t(&messages::FAMILIENKASSE_KINDERGELD),
        elternkit_bundle::routing::Service::Elterngeldstelle => {
            t(&messages::ELTERNGELDSTELLE_ELTERNGELD)
        }
    };
    let status = match app.status {
        Status::Ready => t(&messages::READY_TO_SEND),
        Status::Waiting => t(&messages::WAITING),
        Status::Incomplete => t(&messages::INCOMPLETE),
    };
    let _ = writeln!(out, "\n== {name} [{}] — {status}", app.id);
    if !app.applicants.is_empty() {
        let _ = writeln!(
            out,
            "   {} {}",
            t(&messages::APPLICANTS),
            app.applicants.join(", ")
        );
    }
    let office = match &app.routing {
        Some(Routing::Resolved { office, .. }) if office.verified => office.name.clone(),
        Some(Routing::Resolved { office, .. }) => format!(
            "{} {}",
            office.name,
            t(&messages::DEVELOPMENT_DIRECTORY_OFFICE_NOT_VERIFIED)
        ),
        Some(Routing::Ask { question, .. }) => format!(
            "? {}",
            if en {
                &question.text_en
            } else {
                &question.text_de
            }
        ),
        None => t(&messages::NOT_DETERMINED_YET).to_string(),
    };
    let _ = writeln!(out, "   {} {office}", t(&messages::OFFICE));
    if let Some(b) = &app.benefit {
        let kind = if b.amount_kind == "monthly" {
            t(&messages::A_MONTH)
        } else {
            t(&messages::IN_TOTAL)
        };
        let elig = match (b.eligible, b.provisional) {
            (true, false) => "",
            (true, true) => t(&messages::ONCE_THE_CHILD_S_TAX),
            (false, _) => t(&messages::NOT_ENTITLED_UNDER_THE_RULES),
        };
        let lang = if en { Lang::En } else { Lang::De };
        // The amount in the run's number format ("1.234,56" in German).
        let amount = b
            .amount
            .parse::<rust_decimal::Decimal>()
            .map_or_else(|_| b.amount.clone(), |d| crate::out::number(d, 2, lang));
        let _ = writeln!(out, "   {} {amount} {kind}{elig}", t(&messages::AMOUNT));
    }
    for dep in app.depends_on.iter().filter(|d| !d.satisfied) {
        let _ = writeln!(
            out,
            "   {} {}",
            t(&messages::WAITS_FOR),
            if en { &dep.message_en } else { &dep.message_de }
        );
    }
    let provided = app
        .fields
        .iter()
        .filter(|f| matches!(f.status, elternkit_bundle::FieldStatus::Provided))
        .count();
    let fetched = app
        .fields
        .iter()
        .filter(|f| matches!(f.status, elternkit_bundle::FieldStatus::ToBeFetched))
        .count();
    let empty = app
        .fields
        .iter()
        .filter(|f| matches!(f.status, elternkit_bundle::FieldStatus::Empty))
        .count();
    let mut counts = format!(
        "   {} {provided}/{} {}",
        t(&messages::DATA),
        app.fields.len(),
        t(&messages::PRESENT)
    );
    if fetched > 0 {
        let _ = write!(counts, ", {fetched} {}", t(&messages::TO_BE_FETCHED));
    }
    // Optional fields left empty are not missing; counted, so the sum adds up.
    if empty > 0 {
        let _ = write!(counts, ", {empty} {}", t(&messages::OPTIONAL_EMPTY));
    }
    let _ = writeln!(out, "{counts}");
    // Every field that keeps the count above from being whole, by name: what is missing or
    // invalid (the user's to fix) and what comes later from another office.
    for f in &app.fields {
        let (mark, state) = match f.status {
            elternkit_bundle::FieldStatus::Missing => ("✗", t(&messages::FIELD_MISSING)),
            elternkit_bundle::FieldStatus::Invalid => ("✗", t(&messages::FIELD_INVALID)),
            elternkit_bundle::FieldStatus::Awaited => ("…", t(&messages::FIELD_AWAITED)),
            _ => continue,
        };
        let _ = writeln!(
            out,
            "   {mark} {}: {state} [{}]",
            if en { &f.label_en } else { &f.label_de },
            f.path
        );
    }
    for p in app
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
    {
        let _ = writeln!(
            out,
            "   ✗ {} [{}]",
            if en { &p.message_en } else { &p.message_de },
            p.path
        );
    }
    for d in &app.documents {
        let (mark, note) = match d.status {
            DocumentStatus::Uploaded => ("✓", String::new()),
            DocumentStatus::ReplacedByFetch => {
                ("✓", t(&messages::FETCHED_ELECTRONICALLY).to_string())
            }
            DocumentStatus::Missing => (
                "↑",
                match d.replaceable_by {
                    // The consent by its purpose in the run's language, not its code name.
                    Some(k) => format!(
                        "{} {}",
                        t(&messages::OR_CONSENT_INSTEAD_OF_UPLOADING),
                        app.consents
                            .iter()
                            .find(|c| c.kind == k)
                            .map_or(k.as_str(), |c| if en {
                                c.purpose_en.as_str()
                            } else {
                                c.purpose_de.as_str()
                            })
                    ),
                    None => String::new(),
                },
            ),
        };
        let who = d
            .parent
            .as_ref()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "   {mark} {}{who} [{}]{note}",
            if en { &d.reason_en } else { &d.reason_de },
            d.citation
        );
    }
    for c in &app.consents {
        let mark = match (c.status, c.required) {
            (ConsentStatus::Given, _) => "✓",
            (_, true) => "✗",
            (_, false) => "○",
        };
        let opt = if c.required {
            ""
        } else {
            t(&messages::OPTIONAL)
        };
        let _ = writeln!(
            out,
            "   {mark} {}: {}{opt} [{}]",
            c.given_by,
            if en { &c.purpose_en } else { &c.purpose_de },
            c.citation
        );
    }
    for d in &app.deadlines {
        let state = if d.open { "" } else { t(&messages::PASSED) };
        let _ = writeln!(
            out,
            "   ⏰ {} {}{state} — {} {}, {} {}: {}",
            t(&messages::DEADLINE),
            d.last_day,
            t(&messages::SEND_BY),
            d.send_by,
            t(&messages::REMINDER),
            d.remind_on,
            if en { &d.message_en } else { &d.message_de }
        );
    }
    for p in app
        .problems
        .iter()
        .filter(|p| p.severity != Severity::Error)
    {
        let _ = writeln!(
            out,
            "   • {}",
            if en { &p.message_en } else { &p.message_de }
        );
    }
}

impl Args {
    /// The run's language (`--lang`).
    pub fn lang(&self) -> Lang {
        self.lang
    }
}
