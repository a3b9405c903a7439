//! `elternkit calc --jsonl` throughput: 100 000 generated cases through `calculate_jsonl`
//! (parse, validate, compute both benefits, serialise, in order, on all cores), reported as
//! cases per second. For scale (issue 8): the official calculator takes about 0.37 ms per
//! `egr_official` case, i.e. ~2 700 cases/s; ElternKit should be ≥ 50× faster.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use elternkit_batch::calculate_jsonl;
use elternkit_rules::CalcOptions;

const CASES: usize = 100_000;

/// A small deterministic generator (xorshift) so every run computes the same cases.
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.next(options.len() as u64) as usize]
    }
}

fn parent(g: &mut Gen, id: &str, months_before_plan: usize) -> String {
    let kind = g.pick(&[
        "employed",
        "employed",
        "employed",
        "self_employed",
        "minijob",
    ]);
    let income = match kind {
        "minijob" => 300 + g.next(230),
        _ => 800 + g.next(7_000),
    };
    let class = g.pick(&["I", "III", "IV", "V"]);
    let mut plan: Vec<&str> = vec!["none"; months_before_plan];
    let basis = 2 + g.next(11) as usize;
    plan.extend(std::iter::repeat_n("basis", basis));
    plan.extend(std::iter::repeat_n("plus", g.next(6) as usize));
    let after: Vec<String> = plan
        .iter()
        .map(|_| match g.next(4) {
            0 => format!("\"{}.00\"", 400 + g.next(1_500)),
            _ => String::from("\"0.00\""),
        })
        .collect();
    let plan: Vec<String> = plan.iter().map(|p| format!("\"{p}\"")).collect();
    format!(
        r#"{{"id":"{id}","citizenship":"DE","lives_in_germany":true,"lives_with_child":true,"cares_for_child":true,
"tax":{{"class":"{class}","church_tax":{church},"child_allowances":"{zkf}"}},
"activities_before_birth":[{{"kind":"{kind}","monthly_income":"{income}.00","months_active":[true,true,true,true,true,true,true,true,true,true,true,true],
"pension_insured":true,"health_insured":true,"unemployment_insured":true}}],
"plan":[{plan}],"gross_income_after_birth":[{after}]}}"#,
        church = g.next(2) == 0,
        zkf = g.pick(&["0.0", "0.5", "1.0"]),
        plan = plan.join(","),
        after = after.join(","),
    )
}

fn cases() -> String {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let mut out = String::new();
    for i in 0..CASES {
        let year = 2023 + g.next(4);
        let birth = format!("{year}-{:02}-{:02}", 1 + g.next(12), 1 + g.next(28));
        let evaluation = format!("{year}-12-31");
        let mut parents = vec![parent(&mut g, "p1", 0)];
        if g.next(3) != 0 {
            let later = 2 * g.next(7) as usize;
            parents.push(parent(&mut g, "p2", later));
        }
        let siblings = match g.next(3) {
            0 => format!(r#"[{{"birth_date":"{}-05-01"}}]"#, year - 2),
            _ => String::from("[]"),
        };
        out.push_str(&format!(
            r#"{{"schema":"elternkit.case/1","id":"gen-{i}","evaluation_date":"{evaluation}","child":{{"birth_date":"{birth}","count":{count}}},"siblings":{siblings},"household":{{"postal_code":"28195","taxable_income_year_before_birth":"{zve}.00"}},"parents":[{parents}],"kindergeld":{{"claimant":"p1"}}}}"#,
            count = if g.next(40) == 0 { 2 } else { 1 },
            zve = 20_000 + g.next(150_000),
            parents = parents.join(","),
        ).replace('\n', ""));
        out.push('\n');
    }
    out
}

fn bench(c: &mut Criterion) {
    // The run reads its input on a thread of its own, which needs it for 'static; one copy
    // for the whole bench.
    let input: &'static str = Box::leak(cases().into_boxed_str());
    // The generated cases must be computable, or the bench would measure error paths.
    let mut sink = Vec::new();
    let summary = calculate_jsonl(input.as_bytes(), &mut sink, CalcOptions::default(), None)
        .expect("in memory");
    assert_eq!(summary.cases, CASES);
    assert!(
        summary.failed * 100 < CASES,
        "{} of {CASES} generated cases failed",
        summary.failed
    );
    let mut group = c.benchmark_group("calc_jsonl");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CASES as u64));
    for (name, explanations) in [
        ("100k_generated_cases", true),
        ("100k_generated_cases_no_explanation", false),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(sink.len());
                black_box(calculate_jsonl(
                    black_box(input.as_bytes()),
                    &mut out,
                    CalcOptions { explanations },
                    None,
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(calc_jsonl, bench);
criterion_main!(calc_jsonl);
