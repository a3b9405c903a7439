//! `cargo xtask layers`: the crate layering of `docs/ARCHITECTURE.md`, checked on Cargo's own
//! resolved graph. Cargo already refuses cycles; this refuses every edge between our crates
//! that the table does not allow (an "upward" import is such an edge), and any pure crate
//! that pulls in storage, crypto, async or HTTP crates, directly or through another crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// Our crates and the crates of ours each may use (normal dependencies; tests and benches may
/// use more). A crate missing from this table is an error, so a new crate must be placed.
const ALLOWED: &[(&str, &[&str])] = &[
    ("elternkit-model", &[]),
    ("elternkit-lohnsteuer", &[]),
    (
        "elternkit-rules",
        &["elternkit-model", "elternkit-lohnsteuer"],
    ),
    ("elternkit-directory", &["elternkit-model"]),
    (
        "elternkit-bundle",
        &["elternkit-model", "elternkit-rules", "elternkit-directory"],
    ),
    ("elternkit-store", &[]),
    ("elternkit-batch", &["elternkit-model", "elternkit-rules"]),
    // The month planner and optimizer over the rules; the FFI will wrap its `Planner`.
    ("elternkit-planner", &["elternkit-model", "elternkit-rules"]),
    (
        "elternkit-submit",
        &[
            "elternkit-model",
            "elternkit-directory",
            "elternkit-bundle",
            "elternkit-rules",
        ],
    ),
    (
        "elternkit-cli",
        &[
            "elternkit-model",
            "elternkit-lohnsteuer",
            "elternkit-rules",
            "elternkit-directory",
            "elternkit-bundle",
            "elternkit-store",
            "elternkit-batch",
            "elternkit-planner",
            // `demo` submits: an embedded relay and inboxes, the app's outbox.
            "elternkit-submit",
            "elternkit-sender",
            "elternkit-agency",
        ],
    ),
    // The app's HTTP transport: reqwest (rustls + ring) over the pure outbox; above the pure
    // crates so that none of them links tokio or reqwest.
    ("elternkit-transport", &["elternkit-submit"]),
    // process_outbox(): the store's outbox rows, the pure outbox and the HTTP transport
    // together, so that neither the store nor the submit crate links HTTP.
    (
        "elternkit-sender",
        &[
            "elternkit-directory",
            "elternkit-store",
            "elternkit-submit",
            "elternkit-transport",
        ],
    ),
    // The FSP/1 relay (axum, tokio, SQLite) and the agency's inbox: reads the directory and
    // the submit crate's envelope and events; the inbox re-computes with the rules. Never
    // the bundle or the app store.
    (
        "elternkit-agency",
        &["elternkit-directory", "elternkit-submit", "elternkit-rules"],
    ),
    // The UniFFI surface: thin records over the core; submit and transport join with the
    // outbox (issue 19).
    (
        "elternkit-ffi",
        &[
            "elternkit-model",
            "elternkit-rules",
            "elternkit-directory",
            "elternkit-bundle",
            "elternkit-store",
            "elternkit-planner",
            // submit() seals the draft's applications; process_outbox() sends them.
            "elternkit-submit",
            "elternkit-sender",
            // Not elternkit-agency: the shipped library must not contain the relay. The
            // FFI's tests start one on loopback as a dev-dependency, which this table
            // does not restrict.
        ],
    ),
    // The bindgen command, pinned to the FFI crate's UniFFI; none of our crates.
    ("uniffi-bindgen", &[]),
    ("xtask", &["elternkit-directory", "elternkit-bundle"]),
];

/// Crates that must not reach into storage, encryption, threads of their own or the network,
/// with what they must not link even indirectly.
const PURE: &[(&str, &[&str])] = &[
    ("elternkit-model", HEAVY),
    ("elternkit-lohnsteuer", HEAVY),
    ("elternkit-rules", HEAVY),
    ("elternkit-planner", HEAVY),
    ("elternkit-directory", STORAGE_AND_NET),
    ("elternkit-bundle", STORAGE_AND_NET),
    // The FSP/1 envelope and outbox encrypt (age) and sign (Ed25519), but never store or
    // talk to the network: the transport and the outbox table live above it.
    ("elternkit-submit", STORAGE_ASYNC_AND_NET),
];

const HEAVY: &[&str] = &[
    "rusqlite",
    "libsqlite3-sys",
    "age",
    "x25519-dalek",
    "ed25519-dalek",
    "tokio",
    "reqwest",
    "hyper",
];
const STORAGE_ASYNC_AND_NET: &[&str] = &[
    "rusqlite",
    "libsqlite3-sys",
    "tokio",
    "reqwest",
    "hyper",
    "async-std",
    "smol",
];
const STORAGE_AND_NET: &[&str] = &[
    "rusqlite",
    "libsqlite3-sys",
    "age",
    "tokio",
    "reqwest",
    "hyper",
];

pub fn run(root: &Path) -> Result<()> {
    let graph = normal_graph(root)?;
    for (name, deps) in &graph.ours {
        let ours: Vec<&str> = deps
            .iter()
            .filter(|d| graph.ours.contains_key(*d))
            .map(String::as_str)
            .collect();
        println!(
            "layers: {name} -> {}",
            if ours.is_empty() {
                "(none of ours)".to_owned()
            } else {
                ours.join(", ")
            }
        );
    }
    let problems = check(&graph);
    if !problems.is_empty() {
        bail!("the crate layering is broken:\n  {}", problems.join("\n  "));
    }
    println!(
        "layers: {} crates, every edge allowed, pure crates free of storage and network",
        graph.ours.len()
    );
    Ok(())
}

/// Every broken rule of the layering, in a stable order.
fn check(graph: &Graph) -> Vec<String> {
    let allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(name, deps)| (*name, deps.iter().copied().collect()))
        .collect();
    let mut problems = Vec::new();
    for (name, deps) in &graph.ours {
        let Some(ok) = allowed.get(name.as_str()) else {
            problems.push(format!(
                "{name} is not placed in the layer table of xtask/src/layers.rs"
            ));
            continue;
        };
        for dep in deps.iter().filter(|d| graph.ours.contains_key(*d)) {
            if !ok.contains(dep.as_str()) {
                problems.push(format!(
                    "{name} depends on {dep}, which its layer may not use"
                ));
            }
        }
    }
    for (name, banned) in PURE {
        let reach = graph.reachable(name);
        for crate_name in *banned {
            if reach.contains(*crate_name) {
                problems.push(format!(
                    "{name} links {crate_name} (directly or through another crate); it must stay \
                     free of storage, crypto, async and network code"
                ));
            }
        }
    }
    problems
}

/// The resolved graph of normal (non-dev, non-build) dependencies for the host platform.
struct Graph {
    /// Workspace members by package name, with their direct normal dependencies' names.
    ours: BTreeMap<String, BTreeSet<String>>,
    /// Every package by name, with its direct normal dependencies' names.
    all: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    fn reachable(&self, from: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(name) = todo.pop() {
            for dep in self.all.get(&name).into_iter().flatten() {
                if seen.insert(dep.clone()) {
                    todo.push(dep.clone());
                }
            }
        }
        seen
    }
}

fn normal_graph(root: &Path) -> Result<Graph> {
    let host = host_triple()?;
    let output = Command::new("cargo")
        .current_dir(root)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--filter-platform",
            &host,
        ])
        .output()
        .context("running `cargo metadata`")?;
    if !output.status.success() {
        bail!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let meta: Value = serde_json::from_slice(&output.stdout).context("parsing `cargo metadata`")?;
    let names: BTreeMap<&str, &str> = meta["packages"]
        .as_array()
        .context("cargo metadata: no packages")?
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str()?)))
        .collect();
    let members: BTreeSet<&str> = meta["workspace_members"]
        .as_array()
        .context("cargo metadata: no workspace members")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut graph = Graph {
        ours: BTreeMap::new(),
        all: BTreeMap::new(),
    };
    for node in meta["resolve"]["nodes"]
        .as_array()
        .context("cargo metadata: no resolved graph")?
    {
        let id = node["id"].as_str().context("node without id")?;
        let name = names.get(id).context("node of an unknown package")?;
        let deps: BTreeSet<String> = node["deps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|dep| {
                dep["dep_kinds"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|k| k["kind"].is_null()))
            })
            .filter_map(|dep| names.get(dep["pkg"].as_str()?).map(|n| (*n).to_owned()))
            .collect();
        if members.contains(id) {
            graph.ours.insert((*name).to_owned(), deps.clone());
        }
        graph.all.insert((*name).to_owned(), deps);
    }
    Ok(graph)
}

fn host_triple() -> Result<String> {
    let output = Command::new("rustc")
        .arg("-vV")
        .output()
        .context("running `rustc -vV`")?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: ").map(str::to_owned))
        .context("`rustc -vV` names no host")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(ours: &[(&str, &[&str])], others: &[(&str, &[&str])]) -> Graph {
        let to_map = |list: &[(&str, &[&str])]| -> BTreeMap<String, BTreeSet<String>> {
            list.iter()
                .map(|(n, d)| ((*n).to_owned(), d.iter().map(|s| (*s).to_owned()).collect()))
                .collect()
        };
        let ours = to_map(ours);
        let mut all = ours.clone();
        all.extend(to_map(others));
        Graph { ours, all }
    }

    #[test]
    fn the_intended_layers_pass() {
        let g = graph(
            &[
                ("elternkit-model", &["serde"]),
                ("elternkit-rules", &["elternkit-model", "toml"]),
                ("elternkit-store", &["rusqlite"]),
            ],
            &[
                ("serde", &[]),
                ("toml", &["serde"]),
                ("rusqlite", &["libsqlite3-sys"]),
            ],
        );
        assert_eq!(check(&g), Vec::<String>::new());
    }

    #[test]
    fn an_upward_edge_and_an_unplaced_crate_are_refused() {
        let g = graph(
            &[
                ("elternkit-model", &["elternkit-bundle"]),
                ("elternkit-bundle", &["elternkit-model"]),
                ("elternkit-new", &[]),
            ],
            &[],
        );
        assert_eq!(
            check(&g),
            [
                "elternkit-model depends on elternkit-bundle, which its layer may not use",
                "elternkit-new is not placed in the layer table of xtask/src/layers.rs",
            ]
        );
    }

    #[test]
    fn sqlite_reached_through_another_crate_is_refused() {
        let g = graph(
            &[("elternkit-rules", &["helper"])],
            &[("helper", &["rusqlite"]), ("rusqlite", &["libsqlite3-sys"])],
        );
        let problems = check(&g);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("elternkit-rules links rusqlite"));
        assert!(problems[1].starts_with("elternkit-rules links libsqlite3-sys"));
    }
}
