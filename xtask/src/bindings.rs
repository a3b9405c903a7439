//! The FFI library's foreign side: `cargo xtask bindings` (generate or check the committed
//! Kotlin and Swift), `test-kotlin` (JVM + JNA + JUnit), `test-swift` (XCTest in a Debian
//! trixie chroot), `size` (the stripped release `.so`) and `xcframework` (macOS only).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

/// Budget of the stripped release library (DESIGN.md § 9), x86_64 as a proxy for arm64.
const SIZE_BUDGET: u64 = 8_000_000;

const KOTLIN_GENERATED: &str = "bindings/kotlin/generated";
const SWIFT_GENERATED: &str = "bindings/swift/generated";

fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().with_context(|| format!("starting {shown}"))?;
    ensure!(status.success(), "{shown} failed ({status})");
    Ok(())
}

fn output(cmd: &mut Command) -> Result<String> {
    let shown = format!("{cmd:?}");
    let out = cmd.output().with_context(|| format!("starting {shown}"))?;
    ensure!(
        out.status.success(),
        "{shown} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

pub fn target_dir(root: &Path) -> Result<PathBuf> {
    let meta = output(Command::new("cargo").current_dir(root).args([
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
    ]))?;
    let meta: Value = serde_json::from_str(&meta).context("parsing `cargo metadata`")?;
    meta["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .context("cargo metadata: no target_directory")
}

/// Builds the FFI library (dev profile unless `release`) and returns the `.so`.
pub fn build_library(root: &Path, release: bool) -> Result<PathBuf> {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root)
        .args(["build", "--quiet", "-p", "elternkit-ffi"]);
    if release {
        // The phone library's profile (Cargo.toml: release with the PAP sized for size).
        cmd.args(["--profile", "mobile"]);
    }
    run(&mut cmd)?;
    let lib = target_dir(root)?
        .join(if release { "mobile" } else { "debug" })
        .join("libelternkit_ffi.so");
    ensure!(lib.is_file(), "{} was not built", lib.display());
    Ok(lib)
}

/// A throw-away FSP/1 relay on 127.0.0.1 (`elternkit-agency sandbox`) with every office's
/// inbox answering, for the Kotlin and Swift submission tests; its signed development
/// directory is in `dir`. Stopped (stdin
/// closed, then killed) and removed when dropped.
pub struct Sandbox {
    child: Child,
    pub dir: PathBuf,
}

impl Sandbox {
    pub fn start(root: &Path) -> Result<Self> {
        run(Command::new("cargo").current_dir(root).args([
            "build",
            "--quiet",
            "-p",
            "elternkit-agency",
            "--bin",
            "elternkit-agency",
        ]))?;
        let bin = target_dir(root)?.join("debug/elternkit-agency");
        let dir = target_dir(root)?.join(format!("fsp-sandbox-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        let child = Command::new(&bin)
            .arg("sandbox")
            .arg("--out")
            .arg(&dir)
            // The offices answer every new submission, so the tests see it accepted.
            .args(["--offices-every", "100"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let sandbox = Self { child, dir };
        // The signature file is written last.
        let deadline = Instant::now() + Duration::from_secs(30);
        while !sandbox.dir.join("directory.json.sig").is_file() {
            ensure!(
                Instant::now() < deadline,
                "the sandbox relay did not start within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(sandbox)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Runs the pinned `uniffi-bindgen` in library mode into `out/{kotlin,swift}`.
fn generate_into(root: &Path, lib: &Path, out: &Path) -> Result<()> {
    for (language, dir) in [("kotlin", "kotlin"), ("swift", "swift")] {
        let dir = out.join(dir);
        fs::create_dir_all(&dir)?;
        run(Command::new("cargo")
            .current_dir(root)
            .args([
                "run",
                "--quiet",
                "-p",
                "uniffi-bindgen",
                "--",
                "generate",
                "--no-format",
                "--language",
                language,
                "--out-dir",
            ])
            .arg(&dir)
            .arg(lib))?;
    }
    Ok(())
}

/// Every file below `dir`, by relative path.
fn files(dir: &Path) -> Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        if !d.is_dir() {
            continue;
        }
        for entry in fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let rel = path.strip_prefix(dir)?.to_path_buf();
                out.insert(rel, fs::read(&path)?);
            }
        }
    }
    Ok(out)
}

/// `cargo xtask bindings [--check]`: writes the Kotlin and Swift of the current library
/// into the committed folders, or with `check` fails when they differ from a fresh run.
pub fn bindings(root: &Path, check: bool) -> Result<()> {
    let lib = build_library(root, false)?;
    let scratch = target_dir(root)?.join("uniffi-generated");
    if scratch.exists() {
        fs::remove_dir_all(&scratch)?;
    }
    generate_into(root, &lib, &scratch)?;
    let mut stale = Vec::new();
    for (fresh, committed) in [("kotlin", KOTLIN_GENERATED), ("swift", SWIFT_GENERATED)] {
        let fresh_files = files(&scratch.join(fresh))?;
        let committed_dir = root.join(committed);
        if check {
            let committed_files = files(&committed_dir)?;
            for (path, bytes) in &fresh_files {
                if committed_files.get(path) != Some(bytes) {
                    stale.push(format!(
                        "{committed}/{} differs or is missing",
                        path.display()
                    ));
                }
            }
            for path in committed_files.keys() {
                if !fresh_files.contains_key(path) {
                    stale.push(format!(
                        "{committed}/{} is no longer generated",
                        path.display()
                    ));
                }
            }
        } else {
            if committed_dir.exists() {
                fs::remove_dir_all(&committed_dir)?;
            }
            for (path, bytes) in &fresh_files {
                let to = committed_dir.join(path);
                fs::create_dir_all(to.parent().context("a file has a folder")?)?;
                fs::write(&to, bytes)?;
                println!("bindings: wrote {}", to.strip_prefix(root)?.display());
            }
        }
    }
    if !stale.is_empty() {
        bail!(
            "the committed bindings are not those of the current library; run `cargo xtask \
             bindings` and commit:\n  {}",
            stale.join("\n  ")
        );
    }
    if check {
        println!("bindings: the committed Kotlin and Swift match a fresh generation");
    }
    Ok(())
}

/// `cargo xtask size`: the stripped x86_64 release library against the budget.
pub fn size(root: &Path) -> Result<()> {
    let lib = build_library(root, true)?;
    let bytes = fs::metadata(&lib)?.len();
    // The release profile strips; say so if a local override left symbols in.
    let file = output(Command::new("file").arg(&lib)).unwrap_or_default();
    println!(
        "size: {} = {bytes} bytes ({:.2} MB){} — budget {:.1} MB",
        lib.display(),
        bytes as f64 / 1e6,
        if file.contains("not stripped") {
            ", NOT stripped"
        } else {
            ", stripped"
        },
        SIZE_BUDGET as f64 / 1e6
    );
    ensure!(
        bytes <= SIZE_BUDGET,
        "the release library is {bytes} bytes, over the {SIZE_BUDGET}-byte budget"
    );
    Ok(())
}

/// `cargo xtask test-kotlin`: the JVM tests over the generated Kotlin and the built library.
pub fn test_kotlin(root: &Path) -> Result<usize> {
    let script = root.join("bindings/scripts/install-jvm.sh");
    let kotlinc = output(Command::new("bash").arg(&script))?.trim().to_owned();
    ensure!(
        !kotlinc.is_empty(),
        "{} printed no kotlinc path",
        script.display()
    );
    let kotlin_lib = Path::new(&kotlinc)
        .parent()
        .and_then(Path::parent)
        .context("kotlinc lives in <dist>/bin")?
        .join("lib");
    let lib = build_library(root, false)?;
    let out = target_dir(root)?.join("kotlin-tests");
    if out.exists() {
        fs::remove_dir_all(&out)?;
    }
    fs::create_dir_all(&out)?;
    let mut sources = Vec::new();
    for dir in [
        KOTLIN_GENERATED,
        "bindings/kotlin/src",
        "bindings/kotlin/test",
    ] {
        sources.extend(
            files(&root.join(dir))?
                .into_keys()
                .filter(|p| p.extension().is_some_and(|e| e == "kt"))
                .map(|p| root.join(dir).join(p)),
        );
    }
    let java = "/usr/share/java";
    let deps = [
        format!("{java}/jna.jar"),
        format!("{java}/junit4.jar"),
        format!("{java}/hamcrest.jar"),
        kotlin_lib
            .join("kotlinx-coroutines-core-jvm.jar")
            .display()
            .to_string(),
    ];
    let jar = out.join("tests.jar");
    run(Command::new(&kotlinc)
        .args(["-Werror", "-nowarn", "-jvm-target", "17", "-cp"])
        .arg(deps.join(":"))
        .arg("-d")
        .arg(&jar)
        .args(&sources))?;
    let classpath = [
        jar.display().to_string(),
        kotlin_lib.join("kotlin-stdlib.jar").display().to_string(),
    ]
    .iter()
    .chain(&deps)
    .cloned()
    .collect::<Vec<_>>()
    .join(":");
    let lib_dir = lib.parent().context("the library has a folder")?;
    let sandbox = Sandbox::start(root)?;
    let result = Command::new("java")
        .arg(format!("-Djna.library.path={}", lib_dir.display()))
        .arg(format!("-Delternkit.sandbox={}", sandbox.dir.display()))
        .arg(format!(
            "-Delternkit.demoCase={}",
            root.join("cli/src/demo_case.json").display()
        ))
        .arg("-cp")
        .arg(classpath)
        .args([
            "org.junit.runner.JUnitCore",
            "de.elternkit.ffi.test.AllTests",
        ])
        .output()
        .context("starting java")?;
    let text = String::from_utf8_lossy(&result.stdout);
    print!("{text}");
    eprint!("{}", String::from_utf8_lossy(&result.stderr));
    // JUnit 4 closes with `OK (N tests)` or `Tests run: N,  Failures: F`.
    let passed = text
        .lines()
        .find_map(|l| l.strip_prefix("OK ("))
        .and_then(|l| l.split_whitespace().next()?.parse::<usize>().ok());
    match (result.status.success(), passed) {
        (true, Some(n)) if n > 0 => {
            println!("kotlin: {n} passed, 0 failed");
            Ok(n)
        }
        _ => bail!("the Kotlin JVM tests failed (or ran none)"),
    }
}

/// `cargo xtask test-swift`: XCTest over the generated Swift and the built library, in the
/// Debian trixie chroot that `bindings/scripts/swift-chroot.sh` builds once.
pub fn test_swift(root: &Path) -> Result<usize> {
    let script = root.join("bindings/scripts/swift-chroot.sh");
    run(Command::new("bash").arg(&script).arg("ensure"))?;
    let lib = build_library(root, false)?;
    let stage = target_dir(root)?.join("swift-tests");
    if stage.exists() {
        fs::remove_dir_all(&stage)?;
    }
    fs::create_dir_all(&stage)?;
    let copy = |from: &Path| -> Result<()> {
        let name = from.file_name().context("a file has a name")?;
        fs::copy(from, stage.join(name)).with_context(|| format!("copying {}", from.display()))?;
        Ok(())
    };
    copy(&lib)?;
    copy(&root.join("cli/src/demo_case.json"))?;
    copy(&root.join("bindings/swift/run-tests.sh"))?;
    // The chroot shares the host's network: the relay on 127.0.0.1 is reachable inside.
    let sandbox = Sandbox::start(root)?;
    copy(&sandbox.dir.join("directory.json"))?;
    copy(&sandbox.dir.join("directory.json.sig"))?;
    for dir in [SWIFT_GENERATED, "bindings/swift/Tests"] {
        for rel in files(&root.join(dir))?.into_keys() {
            copy(&root.join(dir).join(rel))?;
        }
    }
    let out = Command::new("bash")
        .arg(&script)
        .arg("run")
        .arg(&stage)
        .args(["bash", "run-tests.sh"])
        .output()
        .context("starting the Swift chroot")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let errors = String::from_utf8_lossy(&out.stderr);
    print!("{text}");
    eprint!("{errors}");
    // XCTest closes with `Executed N tests, with F failures`.
    let summary = text
        .lines()
        .chain(errors.lines())
        .filter_map(|l| l.trim().strip_prefix("Executed "))
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let n = w.next()?.parse::<usize>().ok()?;
            let f = w.nth(2)?.parse::<usize>().ok()?;
            Some((n, f))
        })
        .next_back();
    match (out.status.success(), summary) {
        (true, Some((n, 0))) if n > 0 => {
            println!("swift: {n} passed, 0 failed");
            Ok(n)
        }
        _ => bail!("the Swift tests failed (or ran none); see the output above"),
    }
}

/// `cargo xtask xcframework`: the iOS XCFramework for `ios/Package.swift`. Needs macOS with
/// Xcode and the three Apple targets of rustup.
pub fn xcframework(root: &Path) -> Result<()> {
    if !cfg!(target_os = "macos") {
        bail!(
            "`cargo xtask xcframework` needs macOS with Xcode (xcodebuild, lipo) and the rustup \
             targets aarch64-apple-ios, aarch64-apple-ios-sim and x86_64-apple-ios; this is {}. \
             See ios/README.md",
            std::env::consts::OS
        );
    }
    let targets = [
        "aarch64-apple-ios",
        "aarch64-apple-ios-sim",
        "x86_64-apple-ios",
    ];
    for t in targets {
        run(Command::new("cargo").current_dir(root).args([
            "build",
            "--profile",
            "mobile",
            "-p",
            "elternkit-ffi",
            "--target",
            t,
        ]))?;
    }
    let target = target_dir(root)?;
    let lib = |t: &str| target.join(t).join("mobile/libelternkit_ffi.a");
    let sim = target.join("ios-sim-universal");
    fs::create_dir_all(&sim)?;
    let sim_lib = sim.join("libelternkit_ffi.a");
    run(Command::new("lipo")
        .arg("-create")
        .arg(lib("aarch64-apple-ios-sim"))
        .arg(lib("x86_64-apple-ios"))
        .arg("-output")
        .arg(&sim_lib))?;
    // Headers: the generated C header and a module map named `module.modulemap`.
    let headers = target.join("ios-headers");
    if headers.exists() {
        fs::remove_dir_all(&headers)?;
    }
    fs::create_dir_all(&headers)?;
    let generated = root.join(SWIFT_GENERATED);
    fs::copy(
        generated.join("ElternKitFFI.h"),
        headers.join("ElternKitFFI.h"),
    )?;
    fs::copy(
        generated.join("ElternKitFFI.modulemap"),
        headers.join("module.modulemap"),
    )?;
    let out = root.join("ios/ElternKitFFI.xcframework");
    if out.exists() {
        fs::remove_dir_all(&out)?;
    }
    run(Command::new("xcodebuild")
        .arg("-create-xcframework")
        .arg("-library")
        .arg(lib("aarch64-apple-ios"))
        .arg("-headers")
        .arg(&headers)
        .arg("-library")
        .arg(&sim_lib)
        .arg("-headers")
        .arg(&headers)
        .arg("-output")
        .arg(&out))?;
    // The Swift sources of the package are the committed generated file.
    let sources = root.join("ios/Sources/ElternKit");
    fs::create_dir_all(&sources)?;
    fs::copy(
        generated.join("ElternKit.swift"),
        sources.join("ElternKit.swift"),
    )?;
    println!("xcframework: wrote {}", out.display());
    Ok(())
}
