//! The command line's own errors: a code of the registry ([`crate::codes`]), the values of
//! its placeholders, and hints that say how to fix it, rendered in the run's language as
//! `elternkit: MESSAGE; HINT [CODE]`. Values are names of options, paths as given, counts
//! and ranges, never a value the user typed into an option or a case (those may be personal).

use std::fmt;
use std::io;
use std::path::Path;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use elternkit_model::{Lang, Template};

use crate::codes::{self, ErrorCode};

/// "did you mean …" after a usage error.
pub const DID_YOU_MEAN: Template = Template {
    de: "meinten Sie {suggestion}?",
    en: "did you mean {suggestion}?",
};
/// The possible values of an option.
pub const POSSIBLE_VALUES: Template = Template {
    de: "möglich sind: {values}",
    en: "possible values: {values}",
};
/// Where to read more.
pub const SEE_HELP: Template = Template {
    de: "`{command} --help` zeigt alle Optionen",
    en: "`{command} --help` shows every option",
};
/// The usage line clap computed, introduced in the run's language.
pub const USAGE_LINE: Template = Template {
    de: "Aufruf: {usage}",
    en: "Usage: {usage}",
};
/// `-- ARG` to pass a value that begins with `-`.
pub const DASH_DASH: Template = Template {
    de: "ein Wert, der mit - beginnt, steht nach `--`",
    en: "a value that begins with - goes after `--`",
};

/// Every hint, for the test that each is whole in both languages.
#[cfg(test)]
const HINTS: &[&Template] = &[
    &DID_YOU_MEAN,
    &POSSIBLE_VALUES,
    &SEE_HELP,
    &USAGE_LINE,
    &DASH_DASH,
];

/// A placeholder's value: its name, the German and the English text (the same for a path
/// or a number).
#[derive(Debug, Clone)]
pub struct Arg {
    name: &'static str,
    de: String,
    en: String,
}

impl Arg {
    pub fn new(name: &'static str, value: impl fmt::Display) -> Self {
        let value = value.to_string();
        Arg {
            name,
            de: value.clone(),
            en: value,
        }
    }

    /// A value with its own words in each language.
    pub fn localized(name: &'static str, de: impl Into<String>, en: impl Into<String>) -> Self {
        Arg {
            name,
            de: de.into(),
            en: en.into(),
        }
    }

    /// The text of a registry entry, its placeholders filled, as the value of `name` in
    /// another message (a reason by its code, in both languages). A code missing from the
    /// registry (its tests prevent that) is shown as the code itself.
    pub fn of_code(
        name: &'static str,
        origin: codes::Origin,
        code: &str,
        args: &[(&'static str, String)],
    ) -> Self {
        match codes::find(origin, code) {
            Some(entry) => {
                Arg::localized(name, fill(entry.text.de, args), fill(entry.text.en, args))
            }
            None => Arg::new(name, code),
        }
    }

    fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::De => &self.de,
            Lang::En => &self.en,
        }
    }
}

/// An error of the command line with its code; travels through `anyhow` and is rendered by
/// `main` in the run's language.
#[derive(Debug)]
pub struct CliError {
    pub code: &'static ErrorCode,
    args: Vec<Arg>,
    hints: Vec<(&'static Template, Vec<Arg>)>,
    /// Lines after the message (clap's usage line).
    notes: Vec<(&'static Template, Vec<Arg>)>,
    /// The exit status where it differs from the code's (a `lohnsteuer` range error is a
    /// content error on a JSONL line, a usage error as an argument).
    exit: Option<u8>,
}

impl CliError {
    pub fn new(code: &'static ErrorCode) -> Self {
        CliError {
            code,
            args: Vec::new(),
            hints: Vec::new(),
            notes: Vec::new(),
            exit: None,
        }
    }

    /// Fills the placeholder `name` of the message.
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.args.push(Arg::new(name, value));
        self
    }

    /// Fills a placeholder with a value that has words of its own in each language.
    pub fn with_arg(mut self, arg: Arg) -> Self {
        self.args.push(arg);
        self
    }

    /// Fills `{path}` with a path as given, `<stdin>` for `-`.
    pub fn path(self, path: &Path) -> Self {
        self.with("path", shown(path))
    }

    /// Adds a hint after the message, with its one argument (or none).
    pub fn hint(mut self, hint: &'static Template, arg: Option<Arg>) -> Self {
        self.hints.push((hint, arg.into_iter().collect()));
        self
    }

    fn note(mut self, note: &'static Template, arg: Arg) -> Self {
        self.notes.push((note, vec![arg]));
        self
    }

    /// Exits with 2, whatever the code's own status (an argument, not content).
    pub fn in_argument(mut self) -> Self {
        self.exit = Some(crate::exit::USAGE);
        self
    }

    /// The exit status of this error.
    pub fn exit(&self) -> u8 {
        self.exit.or(self.code.exit).unwrap_or(crate::exit::USAGE)
    }

    /// The message with its hints, without the code.
    pub fn message(&self, lang: Lang) -> String {
        let mut out = fill_in(&self.code.text, lang, &self.args);
        for (hint, args) in &self.hints {
            out.push_str("; ");
            out.push_str(&fill_in(hint, lang, args));
        }
        out
    }

    /// `elternkit: MESSAGE [CODE]` and the notes below, each line ending in a newline.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = format!("elternkit: {} [{}]\n", self.message(lang), self.code.code);
        for (note, args) in &self.notes {
            out.push_str(&format!("  {}\n", fill_in(note, lang, args)));
        }
        out
    }

    /// An I/O error on `path`, by its kind.
    pub fn io(path: &Path, err: &io::Error) -> Self {
        let code = match err.kind() {
            io::ErrorKind::NotFound => &codes::FILE_NOT_FOUND,
            io::ErrorKind::PermissionDenied => &codes::PERMISSION_DENIED,
            // `read_to_string` reports text that is not UTF-8 so.
            io::ErrorKind::InvalidData => &codes::NOT_UTF8,
            io::ErrorKind::IsADirectory => &codes::IS_A_DIRECTORY,
            _ => &codes::IO_ERROR,
        };
        // The kind's name, not the OS's sentence: one language per run.
        CliError::new(code)
            .path(path)
            .with("kind", format!("{:?}", err.kind()))
    }

    /// clap's usage error in our words; `None` for help and version, which clap prints.
    /// `command` is the command line's subcommand path (`elternkit draft new`).
    pub fn from_clap(err: &clap::Error, command: &str) -> Option<Self> {
        let strings = |kind: ContextKind| -> Vec<String> {
            match err.get(kind) {
                Some(ContextValue::String(s)) => vec![s.clone()],
                Some(ContextValue::Strings(v)) => v.clone(),
                Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
                Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
                _ => Vec::new(),
            }
        };
        let arg = || strings(ContextKind::InvalidArg).join(", ");
        let quoted = |v: &[String]| {
            v.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut e = match err.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
            ErrorKind::UnknownArgument => {
                let given = arg();
                if given.starts_with('-') {
                    CliError::new(&codes::UNKNOWN_ARGUMENT).with("arg", format!("`{given}`"))
                } else {
                    // A stray value: not repeated, it may be personal.
                    CliError::new(&codes::UNEXPECTED_ARGUMENT)
                }
            }
            ErrorKind::InvalidSubcommand => CliError::new(&codes::UNKNOWN_COMMAND).with(
                "arg",
                format!("`{}`", strings(ContextKind::InvalidSubcommand).join(" ")),
            ),
            ErrorKind::MissingRequiredArgument => CliError::new(&codes::MISSING_ARGUMENT)
                .with("arg", quoted(&strings(ContextKind::InvalidArg))),
            ErrorKind::MissingSubcommand => CliError::new(&codes::MISSING_COMMAND),
            ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
                CliError::new(&codes::INVALID_ARGUMENT_VALUE).with("arg", format!("`{}`", arg()))
            }
            ErrorKind::ArgumentConflict => CliError::new(&codes::CONFLICTING_ARGUMENTS)
                .with("arg", format!("`{}`", arg()))
                .with("other", quoted(&strings(ContextKind::PriorArg))),
            ErrorKind::TooManyValues
            | ErrorKind::TooFewValues
            | ErrorKind::WrongNumberOfValues
            | ErrorKind::NoEquals => {
                CliError::new(&codes::WRONG_NUMBER_OF_VALUES).with("arg", format!("`{}`", arg()))
            }
            ErrorKind::InvalidUtf8 => CliError::new(&codes::ARGUMENT_NOT_UTF8),
            _ => CliError::new(&codes::USAGE_ERROR),
        };
        let valid = strings(ContextKind::ValidValue);
        let suggestions: Vec<String> = [
            ContextKind::SuggestedArg,
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedValue,
        ]
        .into_iter()
        .flat_map(strings)
        .collect();
        if !suggestions.is_empty() {
            e = e.hint(
                &DID_YOU_MEAN,
                Some(Arg::new("suggestion", quoted(&suggestions))),
            );
        }
        if !valid.is_empty() {
            e = e.hint(&POSSIBLE_VALUES, Some(Arg::new("values", quoted(&valid))));
        }
        if err.kind() == ErrorKind::UnknownArgument && strings(ContextKind::TrailingArg).len() == 1
        {
            e = e.hint(&DASH_DASH, None);
        }
        let usage = strings(ContextKind::Usage).join(" ");
        let usage = usage.trim().trim_start_matches("Usage:").trim().to_string();
        e = e.hint(&SEE_HELP, Some(Arg::new("command", command)));
        if !usage.is_empty() {
            e = e.note(&USAGE_LINE, Arg::new("usage", usage));
        }
        Some(e)
    }
}

/// English, for logs and `{:#}` chains; the CLI prints [`CliError::render`].
impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.message(Lang::En), self.code.code)
    }
}

impl std::error::Error for CliError {}

/// A path as the user gave it, `<stdin>` for `-`.
pub fn shown(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// `text` with each `{name}` replaced by its value; a placeholder without a value stays
/// (the registry's test makes sure both languages have the same ones).
pub fn fill(text: &str, args: &[(&'static str, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The template in `lang` with the arguments in `lang`.
fn fill_in(template: &Template, lang: Lang, args: &[Arg]) -> String {
    let mut out = template.get(lang).to_string();
    for arg in args {
        out = out.replace(&format!("{{{}}}", arg.name), arg.get(lang));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_whole_in_both_languages() {
        for h in HINTS {
            assert!(
                !h.de.is_empty() && !h.en.is_empty() && h.de != h.en,
                "{h:?}"
            );
            assert_eq!(
                codes::placeholders(h.de),
                codes::placeholders(h.en),
                "{h:?}"
            );
        }
    }

    #[test]
    fn io_errors_by_kind_name_the_path() {
        let cases = [
            (io::ErrorKind::NotFound, "file_not_found"),
            (io::ErrorKind::PermissionDenied, "permission_denied"),
            (io::ErrorKind::InvalidData, "not_utf8"),
            (io::ErrorKind::IsADirectory, "is_a_directory"),
            (io::ErrorKind::StorageFull, "io_error"),
        ];
        for (kind, code) in cases {
            let e = CliError::io(Path::new("/tmp/a.json"), &io::Error::from(kind));
            assert_eq!(e.code.code, code);
            assert_eq!(e.exit(), crate::exit::USAGE);
            for lang in [Lang::De, Lang::En] {
                let text = e.render(lang);
                assert!(text.starts_with("elternkit: /tmp/a.json: "), "{text}");
                assert!(text.ends_with(&format!(" [{code}]\n")), "{text}");
                assert!(!text.contains('{'), "{text}");
            }
        }
        let stdin = CliError::io(Path::new("-"), &io::Error::from(io::ErrorKind::NotFound));
        assert!(
            stdin
                .render(Lang::En)
                .starts_with("elternkit: <stdin>: file not found")
        );
    }

    #[test]
    fn fill_replaces_every_placeholder_of_a_name() {
        assert_eq!(
            fill("{a} and {a}, {b}", &[("a", "x".into()), ("b", "y".into())]),
            "x and x, y"
        );
    }
}
