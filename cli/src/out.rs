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

/// A decimal in the run's language: `1.234,56` in German, `1,234.56` in English, with
/// `places` decimals (the model's format, shared with the explanations).
pub fn number(value: rust_decimal::Decimal, places: u32, lang: elternkit_model::Lang) -> String {
    elternkit_model::text::format_number(value, places, lang)
}

/// An amount in euros in the run's language (`1.234,56 €`).
pub fn euros(value: rust_decimal::Decimal, lang: elternkit_model::Lang) -> String {
    format!("{} €", number(value, 2, lang))
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

#[cfg(test)]
mod tests {
    use super::*;
    use elternkit_model::Lang;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn numbers_in_each_language() {
        let d = |s: &str| Decimal::from_str(s).expect("literal");
        assert_eq!(number(d("1234.5"), 2, Lang::De), "1.234,50");
        assert_eq!(number(d("1234.5"), 2, Lang::En), "1,234.50");
        assert_eq!(number(d("1234567.891"), 2, Lang::De), "1.234.567,89");
        assert_eq!(number(d("999.995"), 2, Lang::De), "1.000,00");
        assert_eq!(number(d("0.675"), 3, Lang::De), "0,675");
        assert_eq!(number(d("-105.92"), 2, Lang::De), "−105,92");
        assert_eq!(number(d("-0.001"), 2, Lang::De), "0,00");
        assert_eq!(euros(d("300"), Lang::De), "300,00 €");
    }
}
