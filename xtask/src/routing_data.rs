//! `cargo xtask routing-data`: derives the committed routing tables `core/data/postcodes.tsv`
//! and `core/data/kreise.tsv` from two pinned registry packages, reproducibly.
//!
//! The packages are fetched with their ordinary clients (`pip download`, `npm pack`) into the
//! cache outside the repository and checked against a pinned SHA-256; only the derived tables
//! are committed (with attribution and licence in `core/data/`), never the packages.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use sha2::{Digest, Sha256};

use crate::pap_diff::cache_dir;

/// One pinned source archive.
struct Package {
    /// File name the client writes.
    file: &'static str,
    sha256: &'static str,
    /// How to fetch it into a folder (the folder is appended as the last argument).
    fetch: &'static [&'static str],
}

/// PyPI `countrystatecity-postal-codes` 2.0.1 (ODbL-1.0): postcode → Land code, locality.
const POSTCODES: Package = Package {
    file: "countrystatecity_postal_codes-2.0.1-py3-none-any.whl",
    sha256: "45151efce4258500df6a696dd72c938a358dff82042e1f205effc64f18f7c6c6",
    fetch: &[
        "python3",
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--only-binary",
        ":all:",
        "countrystatecity-postal-codes==2.0.1",
        "--dest",
    ],
};
const POSTCODES_MEMBER: &str = "countrystatecity_postal_codes/data/by-country/DE/postcodes.json";

/// npm `landkreise-deutschland` 3.0.0 (CC BY 4.0, Destatis 04-kreise.xlsx as of 2018-12-31).
const KREISE: Package = Package {
    file: "landkreise-deutschland-3.0.0.tgz",
    sha256: "42f24bff2aae8d91750c85920d3cfa093e6535d93d24afdd7f78083e8eb085c2",
    fetch: &[
        "npm",
        "pack",
        "--silent",
        "landkreise-deutschland@3.0.0",
        "--pack-destination",
    ],
};
const KREISE_MEMBER: &str = "package/data/districts.csv";

/// The hand-maintained list of Kreis changes after the package's reference date.
pub const CHANGES_FILE: &str = "core/data/kreis_changes.tsv";
pub const POSTCODES_OUT: &str = "core/data/postcodes.tsv";
pub const KREISE_OUT: &str = "core/data/kreise.tsv";

/// The package's `stateCode` → the two-digit Land key (AGS prefix) the core uses.
const LAND_CODES: [(&str, &str); 16] = [
    ("SH", "01"),
    ("HH", "02"),
    ("NI", "03"),
    ("HB", "04"),
    ("NW", "05"),
    ("HE", "06"),
    ("RP", "07"),
    ("BW", "08"),
    ("BY", "09"),
    ("SL", "10"),
    ("BE", "11"),
    ("BB", "12"),
    ("MV", "13"),
    ("SN", "14"),
    ("ST", "15"),
    ("TH", "16"),
];

pub fn run(root: &Path, check: bool) -> Result<()> {
    let dir = cache_dir().join("routing-data");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let whl = ensure_package(&dir, &POSTCODES)?;
    let tgz = ensure_package(&dir, &KREISE)?;

    let postcodes_json = read_zip_member(&whl, POSTCODES_MEMBER)?;
    let kreise_csv = read_tar_member(&tgz, KREISE_MEMBER)?;
    let changes = std::fs::read_to_string(root.join(CHANGES_FILE))
        .with_context(|| format!("reading {CHANGES_FILE}"))?;

    let (postcodes, stats) = postcodes_table(&postcodes_json)?;
    let kreise = kreise_table(&kreise_csv, &changes)?;
    println!(
        "routing-data: {} postcode rows, {} postcodes, {} of them in several Länder",
        stats.rows, stats.postcodes, stats.cross_land
    );
    let kreise_count = kreise.lines().filter(|l| !l.starts_with('#')).count() - 1;
    println!("routing-data: {kreise_count} Kreise after the listed changes");

    let stale = crate::generated::write_or_check(
        root,
        [(POSTCODES_OUT, &postcodes), (KREISE_OUT, &kreise)],
        check,
    )?;
    if !stale.is_empty() {
        bail!(
            "committed routing tables differ from what the pinned packages give: {}; \
             run `cargo xtask routing-data` and commit the result",
            stale.join(", ")
        );
    }
    Ok(())
}

/// Returns the archive's path, downloading it first when the cache lacks it. A cached file
/// with the wrong hash is an error, not a silent re-download: something changed it.
fn ensure_package(dir: &Path, pkg: &Package) -> Result<PathBuf> {
    let path = dir.join(pkg.file);
    if !path.exists() {
        println!("routing-data: fetching {} into {}", pkg.file, dir.display());
        let (program, args) = pkg
            .fetch
            .split_first()
            .context("fetch command is not empty")?;
        let status = Command::new(program)
            .args(args)
            .arg(dir)
            // npm pack prints the file name; the line below says what happened.
            .stdout(std::process::Stdio::null())
            .status()
            .with_context(|| format!("running {program} (needed to fetch {})", pkg.file))?;
        ensure!(
            status.success(),
            "fetching {} failed with {status}",
            pkg.file
        );
        ensure!(
            path.exists(),
            "{} did not write {}",
            program,
            path.display()
        );
    }
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let hash = hex(&Sha256::digest(&bytes));
    ensure!(
        hash == pkg.sha256,
        "{} has SHA-256 {hash}, expected {}; delete it to fetch it again, or check whether the \
         registry now serves different bytes",
        path.display(),
        pkg.sha256
    );
    Ok(path)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Reads one member of a wheel (a zip) with Python's zipfile, which pip needs anyway.
fn read_zip_member(archive: &Path, member: &str) -> Result<String> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))",
        ])
        .arg(archive)
        .arg(member)
        .output()
        .context("running python3 to read the wheel")?;
    ensure!(
        out.status.success(),
        "reading {member} from {}: {}",
        archive.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).context("postcode JSON is not UTF-8")
}

fn read_tar_member(archive: &Path, member: &str) -> Result<String> {
    let out = Command::new("tar")
        .arg("-xzOf")
        .arg(archive)
        .arg(member)
        .output()
        .context("running tar to read the npm package")?;
    ensure!(
        out.status.success(),
        "reading {member} from {}: {}",
        archive.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).context("Kreis CSV is not UTF-8")
}

struct Stats {
    rows: usize,
    postcodes: usize,
    cross_land: usize,
}

/// `postcode \t land \t locality`, one row per (postcode, Land, locality), sorted.
fn postcodes_table(json: &str) -> Result<(String, Stats)> {
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(json).context("postcode JSON is not an array")?;
    let mut out = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        let field = |name: &str| -> Result<&str> {
            row.get(name)
                .and_then(|v| v.as_str())
                .with_context(|| format!("postcode row {i} has no string `{name}`"))
        };
        ensure!(field("countryCode")? == "DE", "row {i} is not German");
        let code = field("code")?;
        ensure!(
            code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()),
            "row {i}: postcode {code:?} is not five digits"
        );
        let state = field("stateCode")?;
        let land = LAND_CODES
            .iter()
            .find(|(s, _)| *s == state)
            .map(|(_, l)| *l)
            .with_context(|| format!("row {i}: unknown stateCode {state:?}"))?;
        let locality = field("localityName")?.trim();
        ensure!(
            !locality.is_empty() && !locality.contains(['\t', '\n', '\r']),
            "row {i}: locality {locality:?} is empty or has a control character"
        );
        out.insert((code.to_owned(), land, locality.to_owned()));
    }
    let postcodes: BTreeSet<&str> = out.iter().map(|(c, _, _)| c.as_str()).collect();
    let lands: BTreeSet<(&str, &str)> = out.iter().map(|(c, l, _)| (c.as_str(), *l)).collect();
    let stats = Stats {
        rows: out.len(),
        postcodes: postcodes.len(),
        cross_land: lands.len() - postcodes.len(),
    };
    let mut text = String::from(
        "# German postcodes -> Land (AGS prefix) and locality names.\n\
         # Derived by `cargo xtask routing-data` from countrystatecity-postal-codes 2.0.1 (PyPI),\n\
         # which contains data from the countries-states-cities-database project.\n\
         # Licence: Open Database License (ODbL) v1.0, see core/data/LICENSE-ODbL.md.\n\
         postcode\tland\tlocality\n",
    );
    for (code, land, locality) in &out {
        let _ = writeln!(text, "{code}\t{land}\t{locality}");
    }
    Ok((text, stats))
}

/// One row of `kreis_changes.tsv`.
#[derive(Debug)]
struct Change {
    date: String,
    kind: String,
    key: String,
    into: String,
}

fn parse_changes(text: &str) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let header = lines.next().context("kreis_changes.tsv has no header")?;
    ensure!(
        header == "date\tkind\tkey\tinto\tname\tsource",
        "kreis_changes.tsv header is {header:?}"
    );
    for line in lines {
        let cols: Vec<&str> = line.split('\t').collect();
        ensure!(
            cols.len() == 6,
            "kreis_changes.tsv: {line:?} needs 6 columns"
        );
        ensure!(
            cols[1] == "merge",
            "kreis_changes.tsv: only `merge` is implemented, got {:?}",
            cols[1]
        );
        ensure!(
            !cols[5].trim().is_empty(),
            "kreis_changes.tsv: {line:?} has no source"
        );
        changes.push(Change {
            date: cols[0].to_owned(),
            kind: cols[1].to_owned(),
            key: cols[2].to_owned(),
            into: cols[3].to_owned(),
        });
    }
    Ok(changes)
}

/// `key \t type \t name` for every Kreis, after applying the listed changes.
fn kreise_table(csv: &str, changes: &str) -> Result<String> {
    let mut lines = csv.lines();
    let header = lines.next().context("Kreis CSV is empty")?;
    ensure!(
        header.starts_with("AGS;type;name;"),
        "Kreis CSV header changed: {header:?}"
    );
    let mut kreise: Vec<(String, String, String)> = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split(';').collect();
        ensure!(cols.len() >= 3, "Kreis CSV line {line:?} is short");
        let key = cols[0].trim();
        ensure!(
            key.len() == 5 && key.bytes().all(|b| b.is_ascii_digit()),
            "Kreis key {key:?} is not five digits"
        );
        kreise.push((
            key.to_owned(),
            cols[1].trim().to_owned(),
            cols[2].trim().to_owned(),
        ));
    }
    ensure!(
        kreise.len() == 401,
        "expected the 401 Kreise of 2018-12-31, got {}",
        kreise.len()
    );
    for change in parse_changes(changes)? {
        let before = kreise.len();
        ensure!(
            kreise.iter().any(|k| k.0 == change.into),
            "change {change:?}: target Kreis {} does not exist",
            change.into
        );
        kreise.retain(|k| k.0 != change.key);
        ensure!(
            kreise.len() + 1 == before,
            "change {change:?} ({} on {}): Kreis {} does not exist",
            change.kind,
            change.date,
            change.key
        );
    }
    kreise.sort();
    let mut text = String::from(
        "# German Kreise and kreisfreie Städte (5-digit AGS prefix, type, official name).\n\
         # Derived by `cargo xtask routing-data` from landkreise-deutschland 3.0.0 (npm), which is\n\
         # Destatis 04-kreise.xlsx (Gemeindeverzeichnis GV-ISys) as of 2018-12-31, with the changes\n\
         # in core/data/kreis_changes.tsv applied. Source: (c) Statistisches Bundesamt (Destatis);\n\
         # licence CC BY 4.0, see core/data/README.md.\n\
         key\ttype\tname\n",
    );
    for (key, kind, name) in &kreise {
        let _ = writeln!(text, "{key}\t{kind}\t{name}");
    }
    Ok(text)
}
