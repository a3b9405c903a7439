//! Explanations: every computed figure is a step with its rule, citation, inputs and output,
//! in German and English. The app shows them; the agency's caseworker sees the same trace.

use std::collections::BTreeMap;

use crate::model::{Reason, Step};

/// Collects the steps of one computation in order.
#[derive(Debug, Default, Clone)]
pub struct Trace {
    steps: Vec<Step>,
}

impl Trace {
    /// Records one step.
    pub fn step(
        &mut self,
        rule: &str,
        citation: &str,
        inputs: &[(&str, String)],
        output: impl ToString,
        text_de: impl Into<String>,
        text_en: impl Into<String>,
    ) {
        self.steps.push(Step {
            rule: rule.to_string(),
            citation: citation.to_string(),
            inputs: inputs
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
            output: output.to_string(),
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
pub fn reason(code: &str, citation: &str, de: impl Into<String>, en: impl Into<String>) -> Reason {
    Reason {
        code: code.to_string(),
        citation: citation.to_string(),
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
