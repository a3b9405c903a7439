//! Explanations: every computed figure is a step with its rule, citation, inputs and output,
//! in German and English. The app shows them; the agency's caseworker sees the same trace.

use std::collections::BTreeMap;

use crate::model::{Reason, Step, Text};

/// Collects the steps of one computation in order.
#[derive(Debug, Default, Clone)]
pub struct Trace {
    steps: Vec<Step>,
}

impl Trace {
    /// An empty trace with room for `steps` steps.
    pub fn with_capacity(steps: usize) -> Self {
        Trace {
            steps: Vec::with_capacity(steps),
        }
    }

    /// Records one step.
    pub fn step<const N: usize>(
        &mut self,
        rule: impl Into<Text>,
        citation: impl Into<Text>,
        inputs: [(&'static str, String); N],
        output: impl Into<String>,
        text_de: impl Into<Text>,
        text_en: impl Into<Text>,
    ) {
        // Inserting the few inputs one by one is cheaper than collect(), which sorts a
        // buffer first.
        let mut map = BTreeMap::new();
        for (k, v) in inputs {
            map.insert(Text::Borrowed(k), v);
        }
        self.steps.push(Step {
            rule: rule.into(),
            citation: citation.into(),
            inputs: map,
            output: output.into(),
            text_de: text_de.into(),
            text_en: text_en.into(),
        });
    }

    /// The steps recorded so far.
    pub fn into_steps(self) -> Vec<Step> {
        self.steps
    }
}

/// A reason with its legal basis.
pub fn reason(
    code: &'static str,
    citation: impl Into<Text>,
    de: impl Into<Text>,
    en: impl Into<Text>,
) -> Reason {
    Reason {
        code: Text::Borrowed(code),
        citation: citation.into(),
        message_de: de.into(),
        message_en: en.into(),
    }
}

/// Renders a trace for people (`elternkit calc --explain`).
pub fn render(steps: &[Step], english: bool) -> String {
    let mut out = String::new();
    for (i, s) in steps.iter().enumerate() {
        let text = if english { &s.text_en } else { &s.text_de };
        out.push_str(&format!(
            "{:>3}. {text}\n     = {}   [{}; {}]\n",
            i + 1,
            s.output,
            s.citation,
            s.rule
        ));
    }
    out
}

pub use crate::model::Cents;
