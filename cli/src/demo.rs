//! `elternkit demo`: the whole flow on an embedded example family, no files needed.
//!
//! It shows the rules — Elterngeld per parent and Lebensmonat, Kindergeld per child, the plan
//! check and the step-by-step explanation with the legal citations — and then the bundle: the
//! three applications the family's data gives, with the competent offices, what is missing,
//! the documents, consents and deadlines.

use std::process::ExitCode;

use anyhow::Result;
use elternkit_bundle::DeriveContext;
use elternkit_model::Lang;
use elternkit_rules::{calculate_json, explain};

const DEMO_CASE: &str = include_str!("demo_case.json");

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Language of the explanation.
    #[arg(long, default_value = "de", value_parser = crate::lang_parser())]
    lang: Lang,
    /// Print the result as `elternkit.result/1` JSON instead of the summary.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let en = args.lang == Lang::En;
    let result = calculate_json(DEMO_CASE);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", result.id.as_deref().unwrap_or("demo"));
    for e in &result.errors {
        println!("  error at {}: {}", e.path, e.message);
    }
    if let Some(eg) = &result.elterngeld {
        println!("\nElterngeld");
        for p in &eg.parents {
            println!(
                "  {}: net before birth {:.2} €, rate {:.3}, total {:.2} €",
                p.id, p.income_before_birth.net, p.replacement_rate, p.total
            );
            for m in &p.months {
                let offset = if m.offset_maternity.is_zero() {
                    String::new()
                } else {
                    format!("  (Mutterschaftsleistungen −{:.2} €)", m.offset_maternity)
                };
                println!(
                    "    Lebensmonat {:>2} {:<6} {:>9.2} €{offset}",
                    m.lebensmonat,
                    format!("{:?}", m.kind).to_lowercase(),
                    m.amount
                );
            }
        }
        for p in &eg.plan_problems {
            println!(
                "  plan problem: {} [{}]",
                if en { &p.message_en } else { &p.message_de },
                p.citation
            );
        }
        println!("\n{}", explain::render(&eg.explanation, en));
    }
    if let Some(kg) = &result.kindergeld {
        println!("Kindergeld");
        for c in &kg.children {
            let from = c
                .payable_from
                .map(|m| m.to_string())
                .unwrap_or_else(|| "-".into());
            println!(
                "  child born {}: {} {:.2} €/month from {from}",
                c.birth_date,
                if c.eligible {
                    "eligible,"
                } else {
                    "not eligible,"
                },
                c.monthly_amount
            );
        }
        for h in &kg.hints {
            println!(
                "  hint: {} [{}]",
                if en { h.message.en() } else { h.message.de() },
                h.citation
            );
        }
        println!("\n{}", explain::render(&kg.explanation, en));
    }
    println!(
        "{}",
        if en {
            "Applications (elternkit bundle)"
        } else {
            "Anträge (elternkit bundle)"
        }
    );
    let bundle = crate::bundle::derive_routed(DEMO_CASE, &DeriveContext::default())?;
    print!("{}", crate::bundle::checklist(&bundle, args.lang));
    Ok(if result.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
