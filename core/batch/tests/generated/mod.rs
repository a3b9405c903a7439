//! Generated `elternkit.case/1` lines for the batch's tests and benches: one or two parents,
//! employed, self-employed or Minijob, with a plan and income after the birth, births
//! 2023–2026. A deterministic generator, so every run sees the same cases.
//! Beside them, the public case lines, read in place. Included by path in the batch's tests
//! and benches and in `cargo xtask jsonl-job`; each uses part of it.
#![allow(dead_code)]

use std::path::Path;

/// The public case files of `../shared/cases/public`, 250 lines in all.
pub const PUBLIC_CASE_FILES: [&str; 3] = [
    "egr_official.cases.jsonl",
    "egr2022.cases.jsonl",
    "kindergeld.cases.jsonl",
];

/// The non-blank lines of the public case files in `dir`, in file order, read in place beside
/// the checkout (never copied in). The error names the file that could not be read.
pub fn public_lines(dir: &Path) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    for file in PUBLIC_CASE_FILES {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "the public cases are read in place: {}: {e}",
                path.display()
            )
        })?;
        lines.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(String::from),
        );
    }
    Ok(lines)
}

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

/// `count` generated case lines, each ending in a newline; the same on every run.
pub fn cases(count: usize) -> String {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let mut out = String::new();
    for i in 0..count {
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
