//! `elternkit plan`: the Elterngeld month planner of both parents on a case.
//!
//! `plan CASE.json` shows the case's plan month by month (variant and amount of each parent,
//! the totals, every § 4 problem with its citation and a fix); `--fix p1:1-6=basis` edits it
//! first; `--optimize total|coverage` (with `--request REQ.json`, `elternkit.plan-request/1`)
//! shows the best legal plan and the next-best alternatives. `--json` prints
//! `elternkit.plan/1` for machines. Exit 0 for a valid plan, 1 for a plan with problems or no
//! legal plan, 2 for usage errors and unreadable files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use elternkit_model::{Lang, PlanMonth, parse_case};
use elternkit_planner::{
    Edit, Objective, Optimized, PlanError, PlanRequest, PlanState, Planner, RequestProblem,
    optimize, parse_request,
};

use crate::codes;
use crate::error::{Arg, CliError};
use crate::messages;

/// The schema tag of `plan --json`.
const PLAN_SCHEMA: &str = "elternkit.plan/1";

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  elternkit plan case.json
  elternkit plan case.json --fix p1:1-12=basis --fix p2:13-14=basis
  elternkit plan case.json --optimize total --request request.json --json
The request format is docs/PLAN_REQUEST.md.")]
pub struct Args {
    /// The case file (`elternkit.case/1`), `-` for stdin.
    #[arg(value_name = "CASE")]
    case: PathBuf,
    /// Constraints and objective (`elternkit.plan-request/1`, docs/PLAN_REQUEST.md).
    #[arg(long, value_name = "REQ")]
    request: Option<PathBuf>,
    /// Find the best legal plan: `total` (most Elterngeld) or `coverage` (most Lebensmonate
    /// with Elterngeld, then most Elterngeld). Overrides the request's objective.
    #[arg(long, value_name = "OBJECTIVE", value_parser = ["total", "coverage"])]
    optimize: Option<String>,
    /// Edit the plan first: PARENT:FIRST[-LAST]=basis|plus|bonus|none (repeatable; with
    /// --optimize these months are fixed).
    #[arg(long = "fix", value_name = "EDIT")]
    fixes: Vec<String>,
    /// Print `elternkit.plan/1` JSON instead of the table.
    #[arg(long)]
    json: bool,
    /// Language of the table and the problems (default: from ELTERNKIT_LANG, LC_ALL,
    /// LC_MESSAGES or LANG; German unless that is English).
    #[arg(long, default_value = crate::locale_lang(), value_parser = crate::lang_parser())]
    lang: Lang,
}

/// `p1:1-6=basis` as an edit.
fn parse_edit(text: &str) -> Result<Edit, CliError> {
    let usage = || CliError::new(&codes::INVALID_PLAN_EDIT).with("arg", format!("--fix `{text}`"));
    let (who, rest) = text.split_once(':').ok_or_else(usage)?;
    let (range, kind) = rest.split_once('=').ok_or_else(usage)?;
    let (first, last) = match range.split_once('-') {
        Some((a, b)) => (a, b),
        None => (range, range),
    };
    let kind = match kind {
        "basis" => PlanMonth::Basis,
        "plus" => PlanMonth::Plus,
        "bonus" => PlanMonth::Bonus,
        "none" => PlanMonth::None,
        _ => return Err(usage()),
    };
    Ok(Edit {
        parent: who.to_string(),
        first: first.parse().map_err(|_| usage())?,
        last: last.parse().map_err(|_| usage())?,
        kind,
    })
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let lang = args.lang;
    let edits = args
        .fixes
        .iter()
        .map(|f| parse_edit(f))
        .collect::<Result<Vec<_>, _>>()?;
    let text = crate::calc::read_text(&args.case)?;
    let case = match parse_case(&text) {
        Ok(case) => case,
        Err(errors) => {
            crate::out::stderr(&crate::calc::error_lines(&args.case, &errors, lang))?;
            return Ok(ExitCode::from(crate::exit::CONTENT));
        }
    };
    let mut request = match &args.request {
        Some(path) => {
            let text = crate::calc::read_text(path)?;
            match parse_request(&text) {
                Ok(r) => r,
                Err(e) => return plan_error(e, path, lang),
            }
        }
        None => PlanRequest::new(Objective::Total),
    };
    match args.optimize.as_deref() {
        Some("coverage") => request.objective = Objective::Coverage,
        Some(_) => request.objective = Objective::Total,
        None => {}
    }
    let content = |e: PlanError| plan_error(e, &args.case, lang);
    let mut planner = match Planner::with_context(case, request.context()) {
        Ok(p) => p,
        Err(e) => return content(e),
    };
    if let Err(e) = planner.apply(&edits) {
        return content(e);
    }
    if args.optimize.is_none() {
        let state = planner.state();
        if args.json {
            let json = serde_json::json!({ "schema": PLAN_SCHEMA, "plan": state });
            crate::out::stdout(&format!("{}\n", serde_json::to_string_pretty(&json)?))?;
        } else {
            crate::out::stdout(&table(&state, lang))?;
        }
        return Ok(ExitCode::from(if state.valid {
            crate::exit::OK
        } else {
            crate::exit::CONTENT
        }));
    }
    // The edits given are decisions: the optimizer keeps them.
    for e in &edits {
        request
            .constraints
            .fixed
            .push(elternkit_planner::FixedMonths {
                parent: e.parent.clone(),
                first: e.first,
                last: e.last,
                kind: e.kind,
            });
    }
    let found = match optimize(&planner, &request) {
        Ok(found) => found,
        Err(e) => return content(e),
    };
    if args.json {
        let json = serde_json::json!({
            "schema": PLAN_SCHEMA,
            "objective": request.objective,
            "best": found.best,
            "alternatives": found.alternatives,
            "search": found.stats,
        });
        crate::out::stdout(&format!("{}\n", serde_json::to_string_pretty(&json)?))?;
    } else {
        crate::out::stdout(&optimized(&found, lang))?;
    }
    Ok(ExitCode::from(crate::exit::OK))
}

/// A planner error as a content error (exit 1) of `file`: the rules' own as a located
/// error line like `calc`'s, the planner's by registry code.
fn plan_error(e: PlanError, file: &Path, lang: Lang) -> Result<ExitCode> {
    let error = match e {
        PlanError::Rules(e) => {
            let lines = crate::calc::error_lines(file, &[e.into_input_error()], lang);
            crate::out::stderr(&lines)?;
            return Ok(ExitCode::from(crate::exit::CONTENT));
        }
        PlanError::UnknownParent => CliError::new(&codes::UNKNOWN_PLAN_PARENT),
        PlanError::LebensmonatOutOfRange { lebensmonat, last } => {
            CliError::new(&codes::LEBENSMONAT_OUT_OF_RANGE)
                .with("lebensmonat", lebensmonat)
                .with("last", last)
        }
        PlanError::ParentCount => CliError::new(&codes::PLAN_PARENT_COUNT),
        // The reason by its code, in the run's language; never the value.
        PlanError::Request { path, problem } => {
            let args = match &problem {
                RequestProblem::NotJson { line, column } => {
                    vec![("line", line.to_string()), ("column", column.to_string())]
                }
                RequestProblem::MissingField { name } => vec![("name", name.clone())],
                _ => Vec::new(),
            };
            let error = CliError::new(&codes::INVALID_PLAN_REQUEST)
                .with("field", path)
                .with_arg(Arg::of_code(
                    "reason",
                    codes::Origin::PlanRequest,
                    problem.code(),
                    &args,
                ));
            match &problem {
                // A field name of the format, never what was typed.
                RequestProblem::UnknownField {
                    suggestion: Some(name),
                } => error.hint(
                    &crate::error::DID_YOU_MEAN,
                    Some(Arg::new("suggestion", format!("`{name}`"))),
                ),
                _ => error,
            }
        }
        PlanError::NoLegalPlan => CliError::new(&codes::NO_LEGAL_PLAN),
        // `optimize` runs without a SearchControl that could stop it; only the FFI cancels.
        PlanError::Cancelled => {
            CliError::new(&codes::INTERNAL_ERROR).with("reason", "the search was cancelled")
        }
    };
    Err(error.path(file).into())
}

fn kind_name(kind: PlanMonth, lang: Lang) -> &'static str {
    match kind {
        PlanMonth::Basis => "Basis",
        PlanMonth::Plus => "Plus",
        PlanMonth::Bonus => "Bonus",
        PlanMonth::None => messages::NO_ELTERNGELD.get(lang),
    }
}

/// The month-by-month table of both parents, the totals, and the problems with their fixes.
fn table(state: &PlanState, lang: Lang) -> String {
    let t = |m: &elternkit_model::Template| m.get(lang);
    let mut out = String::new();
    let _ = write!(out, "{:>4}", "LM");
    for p in &state.parents {
        let _ = write!(out, "  {:<6} {:>10}", p.id, "€");
    }
    out.push('\n');
    let last = state
        .parents
        .iter()
        .flat_map(|p| p.months.iter().filter(|m| m.kind != PlanMonth::None))
        .map(|m| m.lebensmonat)
        .max()
        .unwrap_or(0);
    for lm in 1..=last {
        let _ = write!(out, "{lm:>4}");
        for p in &state.parents {
            let m = &p.months[lm as usize - 1];
            let amount = if m.kind == PlanMonth::None {
                String::new()
            } else {
                format!("{:.2}", m.amount)
            };
            let _ = write!(out, "  {:<6} {amount:>10}", kind_name(m.kind, lang));
        }
        out.push('\n');
    }
    let _ = write!(out, "{:>4}", "Σ");
    for p in &state.parents {
        let _ = write!(out, "  {:<6} {:>10.2}", "", p.total);
    }
    let _ = writeln!(out, "\n{} {:.2} €", t(&messages::TOTAL), state.total);
    if state.valid {
        let _ = writeln!(out, "{}", t(&messages::PLAN_VALID));
    }
    for issue in &state.issues {
        let p = &issue.problem;
        let message = match lang {
            Lang::De => &p.message_de,
            Lang::En => &p.message_en,
        };
        let months = if p.lebensmonate.is_empty() {
            String::new()
        } else {
            format!(" (LM {:?})", p.lebensmonate)
        };
        let _ = writeln!(out, "✗ {message}{months} [{}] [{}]", p.citation, p.code);
        if !issue.fix.is_empty() {
            let edits: Vec<String> = issue
                .fix
                .iter()
                .map(|e| {
                    let range = if e.first == e.last {
                        e.first.to_string()
                    } else {
                        format!("{}-{}", e.first, e.last)
                    };
                    format!(
                        "--fix {}:{range}={}",
                        e.parent,
                        elternkit_planner_kind(e.kind)
                    )
                })
                .collect();
            let _ = writeln!(out, "  {} {}", t(&messages::PLAN_FIX), edits.join(" "));
        }
    }
    out
}

fn elternkit_planner_kind(kind: PlanMonth) -> &'static str {
    match kind {
        PlanMonth::Basis => "basis",
        PlanMonth::Plus => "plus",
        PlanMonth::Bonus => "bonus",
        PlanMonth::None => "none",
    }
}

/// The best plan's table, then each alternative's total and how it differs.
fn optimized(found: &Optimized, lang: Lang) -> String {
    let t = |m: &elternkit_model::Template| m.get(lang);
    let mut out = format!("{}\n", t(&messages::BEST_PLAN));
    out.push_str(&table(&found.best.state, lang));
    for (i, alt) in found.alternatives.iter().enumerate() {
        let _ = writeln!(
            out,
            "\n{} {}: {:.2} € — {}",
            t(&messages::ALTERNATIVE),
            i + 1,
            alt.state.total,
            match lang {
                Lang::De => &alt.difference_de,
                Lang::En => &alt.difference_en,
            }
        );
        for p in &alt.state.parents {
            let months: Vec<String> = p
                .months
                .iter()
                .filter(|m| m.kind != PlanMonth::None)
                .map(|m| format!("{}:{}", m.lebensmonat, elternkit_planner_kind(m.kind)))
                .collect();
            let _ = writeln!(out, "  {}: {}", p.id, months.join(" "));
        }
    }
    let s = &found.stats;
    let _ = writeln!(
        out,
        "\n{}: {:.3e}; {} {}, {} {}",
        t(&messages::SEARCH_SPACE),
        s.space,
        s.nodes,
        t(&messages::SEARCH_NODES),
        s.checked,
        t(&messages::SEARCH_LEAVES)
    );
    out
}

impl Args {
    /// The run's language (`--lang`).
    pub fn lang(&self) -> Lang {
        self.lang
    }
}
