//! Explanations: every computed figure is a step with its rule, citation, inputs and output,
//! in German and English. The app shows them; the agency's caseworker sees the same trace.

use elternkit_model::{Localized, Reason, Step, StepInputs, Text, Value};

/// Collects the steps of one computation in order, or nothing when explanations are off: a
/// step's inputs, output and text are built only for a trace that keeps them.
#[derive(Debug, Clone)]
pub struct Trace {
    steps: Vec<Step>,
    enabled: bool,
}

impl Trace {
    /// An empty trace with room for `steps` steps, or one that records nothing (figures only)
    /// when not `enabled`.
    pub fn new(enabled: bool, steps: usize) -> Self {
        Trace {
            steps: Vec::with_capacity(if enabled { steps } else { 0 }),
            enabled,
        }
    }

    /// Records one step; `build` gives its output and text, and is called only when the trace
    /// is kept. The step's `inputs` are arguments of the text, by name, in name order, so each
    /// value is built and kept once. The text is rendered only when it is shown.
    pub fn step(
        &mut self,
        rule: &'static str,
        citation: impl Into<Text>,
        inputs: &'static [&'static str],
        build: impl FnOnce() -> (Value, Localized),
    ) {
        if !self.enabled {
            return;
        }
        let (output, text) = build();
        // The names are constants of the rules; every step of the public cases is checked.
        debug_assert!(
            inputs.is_sorted() && inputs.iter().all(|name| text.argument(name).is_some()),
            "step {rule}: inputs {inputs:?} must be sorted arguments of its text"
        );
        self.steps.push(Step {
            rule: Text::Borrowed(rule),
            citation: citation.into(),
            inputs: StepInputs::Arguments(inputs),
            output,
            text,
        });
    }

    /// The steps recorded so far.
    pub fn into_steps(self) -> Vec<Step> {
        self.steps
    }
}

/// A reason with its legal basis.
pub fn reason(code: &'static str, citation: impl Into<Text>, message: Localized) -> Reason {
    Reason {
        code: Text::Borrowed(code),
        citation: citation.into(),
        message,
    }
}

/// Renders a trace for people (`elternkit calc --explain`), in one language with its number
/// format (`1.234,56 €` in German). The step's rule id stays: it is the key to look it up.
pub fn render(steps: &[Step], english: bool) -> String {
    let lang = if english { Lang::En } else { Lang::De };
    let mut out = String::new();
    for (i, s) in steps.iter().enumerate() {
        let mut output = String::new();
        // Writing to a String cannot fail.
        let _ = s.output.write_for_people(lang, &mut output);
        out.push_str(&format!(
            "{:>3}. {}\n     = {output}   [{}; {}]\n",
            i + 1,
            s.text.for_people(lang),
            s.citation,
            s.rule
        ));
    }
    out
}

pub use elternkit_model::{Cents, Lang, Template};

/// Texts of a serialised result that still hold a `{placeholder}`: a message of the catalogue
/// given without one of its arguments. Empty for every result the rules produce (tested over
/// the unit and public cases); a tool for tests and for checking new messages.
pub fn unrendered_placeholders(json: &serde_json::Value) -> Vec<String> {
    fn is_placeholder(s: &str) -> bool {
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close)
                    if close > 0
                        && after[..close]
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') =>
                {
                    return true;
                }
                _ => rest = after,
            }
        }
        false
    }
    let mut found = Vec::new();
    let mut stack = vec![json];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) if is_placeholder(s) => found.push(s.clone()),
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    found
}
