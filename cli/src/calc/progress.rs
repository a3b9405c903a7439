//! The progress line of `calc --jsonl` on stderr: cases done and cases per second.
//!
//! It counts the result lines as they are written (one line per case, in input order), so it
//! needs nothing from the engine. The line is redrawn at most five times a second with `\r`
//! and ended with a newline, so the summary and the shell prompt start on a line of their own.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use elternkit_model::Lang;

use crate::messages;

/// When the line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// `--progress`: from the start.
    Always,
    /// On a terminal: once the run has taken a second (short runs stay quiet).
    AfterASecond,
    /// `--no-progress`, or stderr is not a terminal.
    Never,
}

const REDRAW: Duration = Duration::from_millis(200);
const QUIET_START: Duration = Duration::from_secs(1);

/// A writer that passes everything on and counts the lines.
pub struct Progress<W: Write> {
    inner: W,
    when: When,
    lang: Lang,
    lines: u64,
    started: Instant,
    last_draw: Option<Instant>,
}

impl<W: Write> Progress<W> {
    pub fn new(inner: W, when: When, lang: Lang) -> Self {
        Self {
            inner,
            when,
            lang,
            lines: 0,
            started: Instant::now(),
            last_draw: None,
        }
    }

    /// The line's text: `12.345 Fälle, 41.230 Fälle/s` (number format of the run's language).
    fn text(&self, now: Instant) -> String {
        let secs = now.duration_since(self.started).as_secs_f64();
        // A rate for people, not a money figure: f64 is fine here.
        let rate = if secs > 0.0 {
            (self.lines as f64 / secs).round()
        } else {
            0.0
        };
        let rate = rust_decimal::Decimal::from_f64_retain(rate).unwrap_or_default();
        format!(
            "{} {}, {} {}",
            crate::out::number(self.lines.into(), 0, self.lang),
            messages::PROGRESS_CASES.get(self.lang),
            crate::out::number(rate, 0, self.lang),
            messages::PROGRESS_PER_SECOND.get(self.lang),
        )
    }

    fn maybe_draw(&mut self) {
        let now = Instant::now();
        let due = match (self.when, self.last_draw) {
            (When::Never, _) => false,
            (When::AfterASecond, None) => now.duration_since(self.started) >= QUIET_START,
            (When::Always, None) => true,
            (_, Some(last)) => now.duration_since(last) >= REDRAW,
        };
        if due {
            // Progress is a courtesy: a closed stderr must not end the run.
            let _ = write!(io::stderr().lock(), "\r{}", self.text(now));
            self.last_draw = Some(now);
        }
    }

    /// Flushes the results and ends the progress line (with the final count) if one was
    /// drawn.
    pub fn finish(&mut self) -> io::Result<()> {
        self.inner.flush()?;
        if self.last_draw.is_some() || self.when == When::Always {
            let _ = writeln!(io::stderr().lock(), "\r{}", self.text(Instant::now()));
        }
        Ok(())
    }
}

impl<W: Write> Write for Progress<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        self.maybe_draw();
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_passes_bytes_through() {
        let mut p = Progress::new(Vec::new(), When::Never, Lang::De);
        p.write_all(b"{\"line\":1}\n{\"line\":2}\n{\"li").unwrap();
        p.write_all(b"ne\":3}\n").unwrap();
        assert_eq!(p.lines, 3);
        assert_eq!(p.inner, b"{\"line\":1}\n{\"line\":2}\n{\"line\":3}\n");
        assert_eq!(p.last_draw, None, "never drawn");
    }

    #[test]
    fn the_text_is_in_the_runs_language() {
        let mut p = Progress::new(Vec::new(), When::Never, Lang::De);
        p.lines = 12_345;
        let later = p.started + Duration::from_secs(2);
        assert_eq!(p.text(later), "12.345 Fälle, 6.173 Fälle/s");
        p.lang = Lang::En;
        assert_eq!(p.text(later), "12,345 cases, 6,173 cases/s");
    }
}
