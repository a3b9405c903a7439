//! The `elternkit draft` contract, run through the real binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "elternkit-cli-draft-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn draft(dir: &Path, key: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_elternkit"))
        .arg("draft")
        .args(args)
        .arg("--db")
        .arg(dir.join("d.db"))
        .arg("--key-file")
        .arg(dir.join(key))
        .output()
        .expect("run elternkit")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap_or_default())
        })
        .filter(|(name, _)| name.starts_with("d.db"))
        .collect()
}

#[test]
fn new_show_save_conflict_and_wrong_key() {
    let tmp = TempDir::new();
    let dir = tmp.0.as_path();
    let case = dir.join("case.json");
    std::fs::write(
        &case,
        r#"{"id": "Fall A", "child": {"name": "Mia"}, "n": 1}"#,
    )
    .unwrap();
    let case = case.to_str().unwrap();

    let out = draft(dir, "k.key", &["new", case]);
    assert!(out.status.success(), "{out:?}");
    let id = stdout(&out);
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(&id[14..15], "4", "UUIDv4: {id}");

    let out = draft(dir, "k.key", &["show", &id]);
    assert!(out.status.success(), "{out:?}");
    let shown: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(shown["child"]["name"], "Mia");

    let out = draft(dir, "k.key", &["save", &id, case, "--version", "1"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(stdout(&out), "2");
    let out = draft(dir, "k.key", &["save", &id, case, "--version", "1"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("auf Version 2 speichern [draft_conflict]"),
        "{err}"
    );

    let out = draft(dir, "k.key", &["list"]);
    assert!(stdout(&out).contains(&id) && stdout(&out).contains("Fall A"));

    // Wrong key file and a garbled one: non-zero, clear message, files byte for byte.
    let before = files(dir);
    let other = draft(dir, "other.key", &["list"]);
    std::fs::write(dir.join("bad.key"), "garbage").unwrap();
    let bad = draft(dir, "bad.key", &["show", &id]);
    for out in [&other, &bad] {
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("key"));
    }
    assert_eq!(files(dir), before);
    assert!(!dir.join("other.key").exists());

    let out = draft(dir, "k.key", &["delete", &id]);
    assert!(out.status.success());
    assert!(!draft(dir, "k.key", &["show", &id]).status.success());
}

#[test]
fn export_and_import_between_two_devices() {
    let tmp = TempDir::new();
    let mum = tmp.0.join("mum");
    let dad = tmp.0.join("dad");
    std::fs::create_dir_all(&mum).unwrap();
    std::fs::create_dir_all(&dad).unwrap();
    let case = mum.join("case.json");
    std::fs::write(&case, r#"{"parents": [{"id": "p1"}, {"id": "p2"}]}"#).unwrap();
    let id = stdout(&draft(&mum, "k.key", &["new", case.to_str().unwrap()]));
    let mum_key = stdout(&draft(&mum, "k.key", &["recipient"]));
    let dad_key = stdout(&draft(&dad, "k.key", &["recipient"]));
    assert!(dad_key.starts_with("age1"));

    let handoff = tmp.0.join("handoff.age");
    let out = draft(
        &mum,
        "k.key",
        &[
            "export",
            &id,
            "--to",
            &dad_key,
            "--part",
            "/parents/1",
            "--out",
        ],
    );
    assert!(!out.status.success(), "--out needs a value");
    let out = draft(
        &mum,
        "k.key",
        &[
            "export",
            &id,
            "--to",
            &dad_key,
            "--part",
            "/parents/1",
            "--out",
            handoff.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let out = draft(
        &dad,
        "k.key",
        &[
            "import",
            handoff.to_str().unwrap(),
            "--expect-sender",
            &mum_key,
        ],
    );
    assert!(out.status.success(), "{out:?}");
    // Issue 22: stdout is only the id (`id=$(elternkit draft import …)`), the sender is a
    // message on stderr.
    let new_id = stdout(&out);
    assert_eq!(new_id.lines().count(), 1, "{new_id}");
    let new_id = new_id.as_str();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("sender {mum_key}")),
        "{out:?}"
    );
    let shown = stdout(&draft(&dad, "k.key", &["show", new_id]));
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown, serde_json::json!({"id": "p2"}));
}

/// Issue 17, item 2: three `draft new` on a fresh database and no key file, started
/// together, many times. Every id reported saved must be readable afterwards with the one
/// key that ends up in the key file.
#[test]
fn concurrent_first_use_keeps_every_reported_draft() {
    let rounds: usize = std::env::var("ELTERNKIT_FIRST_USE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25);
    let tmp = TempDir::new();
    let case = tmp.0.join("case.json");
    std::fs::write(&case, r#"{"id": "Fall", "n": 1}"#).unwrap();
    for round in 0..rounds {
        let dir = tmp.0.join(format!("r{round}"));
        std::fs::create_dir_all(&dir).unwrap();
        let children: Vec<_> = (0..3)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_elternkit"))
                    .arg("draft")
                    .arg("new")
                    .arg(&case)
                    .arg("--db")
                    .arg(dir.join("d.db"))
                    .arg("--key-file")
                    .arg(dir.join("k.key"))
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn elternkit")
            })
            .collect();
        let mut saved = Vec::new();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            // A child may lose the race with a clear error; one that says saved must be.
            if out.status.success() {
                saved.push(stdout(&out));
            }
        }
        assert!(!saved.is_empty(), "round {round}: no draft was saved");
        for id in &saved {
            let out = draft(&dir, "k.key", &["show", id]);
            assert!(
                out.status.success(),
                "round {round}: draft {id} lost: {out:?}"
            );
        }
        let listed = stdout(&draft(&dir, "k.key", &["list"]));
        // The header row and one row per draft.
        assert_eq!(listed.lines().count(), saved.len() + 1, "round {round}");
    }
}

#[test]
fn oversized_input_is_refused_while_reading() {
    let tmp = TempDir::new();
    let dir = tmp.0.as_path();
    let big = dir.join("big.json");
    // 5 MiB of JSON: over the 4 MiB cap.
    let mut text = String::from(r#"{"pad": ""#);
    text.push_str(&"x".repeat(5 * 1024 * 1024));
    text.push_str(r#""}"#);
    std::fs::write(&big, text).unwrap();
    let out = draft(dir, "k.key", &["new", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "big.json: größer als die Grenze von 4 MiB; nichts wurde gespeichert [input_too_large]"
        ),
        "{err}"
    );
    assert!(files(dir).is_empty(), "nothing may be created");
}

#[test]
fn a_handoff_imports_once_and_the_qr_form_of_the_sender_matches() {
    let tmp = TempDir::new();
    let mum = tmp.0.join("mum");
    let dad = tmp.0.join("dad");
    std::fs::create_dir_all(&mum).unwrap();
    std::fs::create_dir_all(&dad).unwrap();
    let case = mum.join("case.json");
    std::fs::write(&case, r#"{"id": "Fall B"}"#).unwrap();
    let id = stdout(&draft(&mum, "k.key", &["new", case.to_str().unwrap()]));
    let mum_key = stdout(&draft(&mum, "k.key", &["recipient"]));
    let dad_key = stdout(&draft(&dad, "k.key", &["recipient"]));
    let handoff = tmp.0.join("h.age");
    let out = draft(
        &mum,
        "k.key",
        &[
            "export",
            &id,
            "--to",
            &dad_key.to_uppercase(),
            "--out",
            handoff.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let import = |expect: &str| {
        draft(
            &dad,
            "k.key",
            &[
                "import",
                handoff.to_str().unwrap(),
                "--expect-sender",
                expect,
            ],
        )
    };
    let first = import(&mum_key.to_uppercase());
    assert!(first.status.success(), "{first:?}");
    let second = import(&mum_key);
    assert!(second.status.success(), "{second:?}");
    assert_eq!(
        stdout(&first).lines().next(),
        stdout(&second).lines().next()
    );
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("schon als der Entwurf oben importiert")
    );
    assert_eq!(stdout(&draft(&dad, "k.key", &["list"])).lines().count(), 2);
}

/// Read commands never create a database: a mistyped `--db` is an error (exit 2) that names
/// the path, and no file appears. Only `new`, `import` and `recipient` may create one.
#[test]
fn read_commands_never_create_a_database() {
    let tmp = TempDir::new();
    let dir = tmp.0.as_path();
    let id = "00000000-0000-4000-8000-000000000000";
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", id],
        vec!["history", id],
        vec!["delete", id],
        vec!["export", id, "--to", "age1x"],
        vec!["restore", id, "--from", "1", "--version", "2"],
    ] {
        let out = draft(dir, "k.key", &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("d.db: keine Entwurfsdatenbank"),
            "{args:?}: {err}"
        );
        assert!(err.ends_with("[no_database]\n"), "{err}");
        assert!(files(dir).is_empty(), "{args:?} created {:?}", files(dir));
    }
}

/// A file that is not a database, and a file that is not a handoff, are named as such, not
/// as damage or tampering; neither file is changed.
#[test]
fn foreign_files_are_named_for_what_they_are() {
    let tmp = TempDir::new();
    let dir = tmp.0.as_path();
    let case = dir.join("case.json");
    std::fs::write(&case, r#"{"id": "Fall C"}"#).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_elternkit"))
        .args(["draft", "list", "--lang", "en", "--db"])
        .arg(&case)
        .arg("--key-file")
        .arg(dir.join("k.key"))
        .output()
        .expect("run elternkit");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("case.json: not a draft database"), "{err}");
    assert!(err.ends_with("[not_a_database]\n"), "{err}");
    assert!(!err.contains("backup") && !err.contains("damaged"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&case).unwrap(),
        r#"{"id": "Fall C"}"#
    );

    let out = draft(dir, "k.key", &["import", case.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("case.json: keine Entwurfsübergabe"), "{err}");
    assert!(err.ends_with("[not_a_handoff]\n"), "{err}");
    assert!(!err.contains("verändert"), "{err}");
}

/// Another program's SQLite database is named as such and left unchanged, by read and write
/// commands alike (before, `new` added the draft tables to it).
#[test]
fn another_programs_database_is_refused_unchanged() {
    let tmp = TempDir::new();
    let dir = tmp.0.as_path();
    let db = dir.join("photos.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE album (id INTEGER PRIMARY KEY, title TEXT);")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    let case = dir.join("case.json");
    std::fs::write(&case, r#"{"id": "Fall F"}"#).unwrap();
    for args in [vec!["list"], vec!["new", case.to_str().unwrap()]] {
        let out = Command::new(env!("CARGO_BIN_EXE_elternkit"))
            .args(["draft", "--lang", "en"])
            .args(&args)
            .arg("--db")
            .arg(&db)
            .arg("--key-file")
            .arg(dir.join("k.key"))
            .output()
            .expect("run elternkit");
        assert_eq!(out.status.code(), Some(2), "{args:?} {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.ends_with("[foreign_database]\n"), "{err}");
        assert!(!err.contains("backup") && !err.contains("damaged"), "{err}");
        assert_eq!(std::fs::read(&db).unwrap(), before);
    }
}

/// `list` has a header row and ISO 8601 times, in the table and in `--json`.
#[test]
fn list_has_a_header_and_iso_times() {
    let tmp = TempDir::new();
    let dir = tmp.0.as_path();
    let case = dir.join("case.json");
    std::fs::write(&case, r#"{"id": "Fall D"}"#).unwrap();
    let id = stdout(&draft(dir, "k.key", &["new", case.to_str().unwrap()]));
    let table = stdout(&draft(dir, "k.key", &["list"]));
    let mut rows = table.lines();
    let header = rows.next().expect("header");
    for column in ["ID", "VERSION", "STATUS", "UPDATED (UTC)", "TITLE"] {
        assert!(header.contains(column), "{header}");
    }
    let row = rows.next().expect("one draft");
    assert!(row.starts_with(&id) && row.ends_with("Fall D"), "{row}");
    let iso = |t: &str| {
        t.len() == 17
            && t.as_bytes()[10] == b'T'
            && t.ends_with('Z')
            && t[..4].parse::<u16>().is_ok()
    };
    assert!(row.split_whitespace().any(iso), "{row}");

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&draft(dir, "k.key", &["list", "--json"]))).unwrap();
    assert!(iso(json["updated"].as_str().unwrap()), "{json}");
    let created = json["created"].as_str().unwrap();
    assert_eq!(created.len(), 10, "{created}");
    assert!(json.get("updated_minute").is_none() && json.get("created_day").is_none());

    let history = stdout(&draft(dir, "k.key", &["history", &id]));
    assert!(
        history.starts_with("VERSION") || history.trim_start().starts_with("VERSION"),
        "{history}"
    );
}

/// Without `--db`/`--key-file` the environment, then the XDG folders under HOME, are used;
/// the default folders are created private.
#[test]
fn paths_come_from_the_environment_or_the_xdg_defaults() {
    let tmp = TempDir::new();
    let dir = tmp.0.as_path();
    let case = dir.join("case.json");
    std::fs::write(&case, r#"{"id": "Fall E"}"#).unwrap();
    let run = |args: &[&str], env: &[(&str, &Path)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_elternkit"));
        cmd.arg("draft").args(args);
        for var in [
            "ELTERNKIT_DB",
            "ELTERNKIT_KEY_FILE",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
        ] {
            cmd.env_remove(var);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run elternkit")
    };
    let env_db = dir.join("env.db");
    let env_key = dir.join("env.key");
    let vars = [
        ("ELTERNKIT_DB", env_db.as_path()),
        ("ELTERNKIT_KEY_FILE", env_key.as_path()),
    ];
    let out = run(&["new", case.to_str().unwrap()], &vars);
    assert!(out.status.success(), "{out:?}");
    assert!(env_db.exists() && env_key.exists());
    assert!(stdout(&run(&["list"], &vars)).contains("Fall E"));

    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let out = run(
        &["new", case.to_str().unwrap()],
        &[("HOME", home.as_path())],
    );
    assert!(out.status.success(), "{out:?}");
    let db = home.join(".local/share/elternkit/drafts.db");
    let key = home.join(".config/elternkit/device.key");
    assert!(db.exists() && key.exists(), "{:?}", files(&home));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(db.parent().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    assert!(stdout(&run(&["list"], &[("HOME", home.as_path())])).contains("Fall E"));
}

/// A damaged handoff and one made for another device are two codes with two remedies
/// (issue 22), decided by the store's typed refusal, not by its wording; the store's own
/// reasons come in the run's language (SQLite's failures: `draft::tests` in the crate).
#[test]
fn handoff_refusals_and_store_reasons_are_typed_and_in_one_language() {
    let tmp = TempDir::new();
    let [mum, dad, stranger] = ["mum", "dad", "stranger"].map(|name| {
        let dir = tmp.0.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    });
    let case = mum.join("case.json");
    let padding = "x".repeat(3000);
    std::fs::write(
        &case,
        format!(r#"{{"parents": [{{"id": "p1"}}, {{"id": "p2"}}], "note": "{padding}"}}"#),
    )
    .unwrap();
    let id = stdout(&draft(&mum, "k.key", &["new", case.to_str().unwrap()]));
    let dad_key = stdout(&draft(&dad, "k.key", &["recipient"]));
    stdout(&draft(&stranger, "k.key", &["recipient"]));
    let handoff = tmp.0.join("h.age");
    let out = draft(
        &mum,
        "k.key",
        &[
            "export",
            &id,
            "--to",
            &dad_key,
            "--out",
            handoff.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    // One base64 character of the payload changed (the header's lines come first).
    let armored = std::fs::read_to_string(&handoff).unwrap();
    let mut lines: Vec<String> = armored.lines().map(str::to_owned).collect();
    let at = lines.len() - 3;
    let old = lines[at].remove(10);
    lines[at].insert(10, if old == 'A' { 'B' } else { 'A' });
    let damaged = tmp.0.join("damaged.age");
    std::fs::write(&damaged, lines.join("\n") + "\n").unwrap();

    let refused = |dir: &Path, file: &Path, lang: &str| {
        let out = draft(
            dir,
            "k.key",
            &["import", file.to_str().unwrap(), "--lang", lang],
        );
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        assert!(out.stdout.is_empty(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = refused(&dad, &damaged, "de");
    assert!(
        err.contains("damaged.age: die Übergabe ist beschädigt"),
        "{err}"
    );
    assert!(err.ends_with("[handoff_damaged]\n"), "{err}");
    let err = refused(&stranger, &handoff, "de");
    assert!(
        err.contains("h.age: die Übergabe ist nicht für dieses Gerät verschlüsselt"),
        "{err}"
    );
    assert!(err.ends_with("[handoff_not_for_this_device]\n"), "{err}");
    let err = refused(&stranger, &handoff, "en");
    assert!(err.ends_with("[handoff_not_for_this_device]\n"), "{err}");
    let err = refused(&dad, &damaged, "en");
    assert!(
        err.contains("the handoff is damaged or was altered"),
        "{err}"
    );
    // Neither refusal stored anything; the intact handoff still imports.
    assert_eq!(stdout(&draft(&dad, "k.key", &["list"])).lines().count(), 1);
    let out = draft(&dad, "k.key", &["import", handoff.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");

    // The store's reason, by its code, in the run's language.
    let out = draft(
        &mum,
        "k.key",
        &[
            "export", &id, "--to", &dad_key, "--part", "/no/such", "--lang", "de",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("der Entwurfsspeicher lehnt die Eingabe ab: der Entwurf hat unter diesem JSON-Pointer (--part) keinen Teil"),
        "{err}"
    );
    assert!(err.ends_with("[draft_input_refused]\n"), "{err}");
    assert!(
        !err.contains("the draft") && !err.contains("/no/such"),
        "{err}"
    );
}
