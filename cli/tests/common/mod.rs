//! Shared by the CLI tests: run the real `elternkit` binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `elternkit ARGS` with `stdin` as its standard input and collects its output.
pub fn elternkit(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_elternkit"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("binary finishes")
}
