//! Writing to stdout and stderr without panicking: `println!` panics when the reader has gone
//! (`elternkit demo | head -1`). Every write returns its I/O error instead, and `main` ends a
//! run whose output pipe was closed quietly with exit 0, as ripgrep does.

use std::io::{self, Write};

/// Writes `text` to stdout and flushes it.
pub fn stdout(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Writes `text` to stderr.
pub fn stderr(text: &str) -> io::Result<()> {
    io::stderr().lock().write_all(text.as_bytes())
}

/// Whether the error (or one of its causes) is a write to a closed pipe: the reader has all
/// it wanted, which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// `println!` that returns the I/O error to the caller (`?`) instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::stdout(&format!("{}\n", format_args!($($arg)*)))?
    };
}

/// `eprintln!` that returns the I/O error to the caller (`?`) instead of panicking.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::out::stderr(&format!("{}\n", format_args!($($arg)*)))?
    };
}

pub(crate) use {errln, outln};
