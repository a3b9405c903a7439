//! `elternkit demo`: the whole flow on an embedded example family, no files needed.
//!
//! It shows the rules — Elterngeld per parent and Lebensmonat, Kindergeld per child, the plan
//! check and the step-by-step explanation with the legal citations — and then the bundle: the
//! three applications the family's data gives, with the competent offices, what is missing,
//! the documents, consents and deadlines. Last, it submits them (`demo_submit`): an embedded
//! relay and the offices' inboxes on 127.0.0.1, the receipts, the accept events and each
//! application's status.

use crate::messages;
use std::process::ExitCode;

use anyhow::Result;
use elternkit_bundle::DeriveContext;
use elternkit_model::Lang;
use elternkit_rules::{calculate_json, explain};

use crate::out::outln;

const DEMO_CASE: &str = include_str!("demo_case.json");

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Language of the explanation.
    #[arg(long, default_value = "de", value_parser = crate::lang_parser())]
    lang: Lang,
    /// Print the result as `elternkit.result/1` JSON instead of the summary.
    #[arg(long)]
    json: bool,
    /// Stop after the bundle: do not start the embedded relay and submit.
    #[arg(long)]
    #[cfg_attr(not(feature = "submit"), allow(dead_code))]
    no_submit: bool,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let en = args.lang == Lang::En;
    // One language per run: every line below in the language of --lang.
    let t = |m: &'static elternkit_model::Template| m.get(if en { Lang::En } else { Lang::De });
    let result = calculate_json(DEMO_CASE);
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{}", result.id.as_deref().unwrap_or("demo"));
    for e in &result.errors {
        outln!(
            "  {} {}: {}",
            t(&messages::ERROR_AT),
            e.path,
            e.message_in(args.lang)
        );
    }
    if let Some(eg) = &result.elterngeld {
        outln!("\nElterngeld");
        for p in &eg.parents {
            outln!(
                "  {}: {} {:.2} €, {} {:.3}, {} {:.2} €",
                p.id,
                t(&messages::NET_BEFORE_BIRTH),
                p.income_before_birth.net,
                t(&messages::RATE),
                p.replacement_rate,
                t(&messages::TOTAL),
                p.total
            );
            for m in &p.months {
                let offset = if m.offset_maternity.is_zero() {
                    String::new()
                } else {
                    format!("  (Mutterschaftsleistungen −{:.2} €)", m.offset_maternity)
                };
                outln!(
                    "    Lebensmonat {:>2} {:<6} {:>9.2} €{offset}",
                    m.lebensmonat,
                    month_kind(m.kind, en),
                    m.amount
                );
            }
        }
        for p in &eg.plan_problems {
            outln!(
                "  {} {} [{}]",
                t(&messages::PLAN_PROBLEM),
                if en { &p.message_en } else { &p.message_de },
                p.citation
            );
        }
        outln!("\n{}", explain::render(&eg.explanation, en));
    }
    if let Some(kg) = &result.kindergeld {
        outln!("Kindergeld");
        for c in &kg.children {
            let from = c
                .payable_from
                .map(|m| m.to_string())
                .unwrap_or_else(|| "-".into());
            outln!(
                "  {} {}: {} {:.2} €/{} {} {from}",
                t(&messages::CHILD_BORN),
                c.birth_date,
                if c.eligible {
                    t(&messages::ELIGIBLE)
                } else {
                    t(&messages::NOT_ELIGIBLE)
                },
                c.monthly_amount,
                t(&messages::MONTH),
                t(&messages::FROM)
            );
        }
        for h in &kg.hints {
            outln!(
                "  {} {} [{}]",
                t(&messages::HINT),
                if en { h.message.en() } else { h.message.de() },
                h.citation
            );
        }
        outln!("\n{}", explain::render(&kg.explanation, en));
    }
    outln!(
        "{}",
        messages::APPLICATIONS_ELTERNKIT_BUNDLE.get(if en { Lang::En } else { Lang::De })
    );
    let bundle = crate::bundle::derive_routed(DEMO_CASE, &DeriveContext::default())?;
    crate::out::stdout(&crate::bundle::checklist(&bundle, args.lang))?;
    // A build without the `submit` feature (the PAP check's) stops after the bundle.
    #[cfg(feature = "submit")]
    if !args.no_submit {
        crate::demo_submit::run(DEMO_CASE, args.lang)?;
    }
    Ok(if result.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::exit::CONTENT)
    })
}

/// The kind of a planned month in the run's language.
fn month_kind(kind: elternkit_model::PlanMonth, en: bool) -> &'static str {
    use elternkit_model::PlanMonth;
    match (kind, en) {
        (PlanMonth::None, false) => "kein",
        (PlanMonth::None, true) => "none",
        (PlanMonth::Basis, _) => "Basis",
        (PlanMonth::Plus, _) => "Plus",
        (PlanMonth::Bonus, _) => "Bonus",
    }
}
