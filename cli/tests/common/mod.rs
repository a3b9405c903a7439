//! Shared by the CLI tests: run the real `elternkit` binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `elternkit ARGS` with `stdin` as its standard input and collects its output.
pub fn elternkit(args: &[&str], stdin: &str) -> Output {
    elternkit_env(args, stdin, &[])
}

/// [`elternkit`] with extra environment variables. The locale is fixed to `C` first (German
/// by default), so a test does not depend on the machine's `LANG`.
pub fn elternkit_env(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_elternkit"));
    command
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command
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
