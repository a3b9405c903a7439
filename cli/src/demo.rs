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

use crate::out::{euros, number, outln};

const DEMO_CASE: &str = include_str!("demo_case.json");

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Language of the whole output (default: from ELTERNKIT_LANG, LC_ALL, LC_MESSAGES or LANG; German
    /// unless that is English).
    #[arg(long, default_value = crate::locale_lang(), value_parser = crate::lang_parser())]
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
    // The case's id is data (English); the heading is in the run's language.
    let birth = elternkit_model::parse_case(DEMO_CASE)
        .map(|case| case.child.birth_date.to_string())
        .unwrap_or_default();
    outln!("{} {birth}", t(&messages::DEMO_TITLE));
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
            // Figures in the run's number format: "1.234,56 €" in German.
            outln!(
                "  {}: {} {}, {} {}, {} {}",
                p.id,
                t(&messages::NET_BEFORE_BIRTH),
                euros(p.income_before_birth.net, args.lang),
                t(&messages::RATE),
                number(p.replacement_rate, 3, args.lang),
                t(&messages::TOTAL),
                euros(p.total, args.lang)
            );
            for m in &p.months {
                let offset = if m.offset_maternity.is_zero() {
                    String::new()
                } else {
                    format!(
                        "  ({} −{})",
                        t(&messages::MATERNITY_BENEFIT),
                        euros(m.offset_maternity, args.lang)
                    )
                };
                outln!(
                    "    Lebensmonat {:>2} {:<6} {:>11}{offset}",
                    m.lebensmonat,
                    month_kind(m.kind, en),
                    euros(m.amount, args.lang)
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
                "  {} {}: {} {}/{} {} {from}",
                t(&messages::CHILD_BORN),
                c.birth_date,
                if c.eligible {
                    t(&messages::ELIGIBLE)
                } else {
                    t(&messages::NOT_ELIGIBLE)
                },
                euros(c.monthly_amount, args.lang),
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

impl Args {
    /// The run's language (`--lang`).
    pub fn lang(&self) -> Lang {
        self.lang
    }
}
