//! Where an error's path is in the case text: errors found after reading (range checks, rules)
//! know their path (`parents[0].tax.class`) but not their place in the file. This walks the
//! JSON text along the path and gives the line and column of the value, or of the nearest
//! enclosing value that exists (a missing field points at its object), so every error can be
//! shown as `file:line:col` like those serde finds while reading.
//!
//! Hand-written rather than a spanned-JSON crate: it must follow this project's path notation
//! exactly, and it only skips over text that serde has already accepted or rejected.

use crate::InputError;

/// One step of an error path.
#[derive(Debug, PartialEq, Eq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// `parents[0].tax.class` → `parents`, `0`, `tax`, `class`; `None` for a path this notation
/// does not produce (a `?` for an unknown key, say).
fn segments(path: &str) -> Option<Vec<Segment<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            if key.contains(['?', ']']) {
                return None;
            }
            out.push(Segment::Key(key));
        }
        while !rest.is_empty() {
            let (index, after) = rest.split_once(']')?;
            out.push(Segment::Index(index.parse().ok()?));
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    Some(out)
}

struct Cursor<'t> {
    text: &'t [u8],
    pos: usize,
}

impl<'t> Cursor<'t> {
    fn skip_ws(&mut self) {
        while self
            .text
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    /// A string starting at the cursor (at its `"`): its raw content, cursor after it.
    fn string(&mut self) -> Option<&'t [u8]> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.pos + 1;
        let mut i = start;
        loop {
            match self.text.get(i)? {
                b'\\' => i += 2,
                b'"' => break,
                _ => i += 1,
            }
        }
        self.pos = i + 1;
        let text: &'t [u8] = self.text;
        text.get(start..i)
    }

    /// Skips one value of any kind.
    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                // Depth only: strings are skipped whole, so their brackets do not count.
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }

    /// Follows `path` from the value at the cursor; the offset of the deepest value reached.
    fn follow(&mut self, path: &[Segment<'_>]) -> Option<usize> {
        self.skip_ws();
        let here = self.pos;
        let Some((first, rest)) = path.split_first() else {
            return Some(here);
        };
        let found = match (first, self.peek()?) {
            (Segment::Key(key), b'{') => self.member(key),
            (Segment::Index(index), b'[') => self.element(*index),
            _ => None,
        };
        match found {
            Some(()) => self.follow(rest).or(Some(here)),
            None => Some(here),
        }
    }

    /// In an object (cursor at `{`): moves to the value of `key`, if it is there.
    fn member(&mut self, key: &str) -> Option<()> {
        self.pos += 1;
        loop {
            self.skip_ws();
            if self.peek()? == b'}' {
                return None;
            }
            let name = self.string()?;
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            if name == key.as_bytes() {
                return Some(());
            }
            self.skip_value()?;
            self.skip_ws();
            if self.peek()? == b',' {
                self.pos += 1;
            }
        }
    }

    /// In an array (cursor at `[`): moves to element `index`, if it is there.
    fn element(&mut self, index: usize) -> Option<()> {
        self.pos += 1;
        for _ in 0..index {
            self.skip_ws();
            if self.peek()? == b']' {
                return None;
            }
            self.skip_value()?;
            self.skip_ws();
            if self.peek()? != b',' {
                return None;
            }
            self.pos += 1;
        }
        self.skip_ws();
        (self.peek()? != b']').then_some(())
    }
}

/// The 1-based line and column (in characters) of the value at `path` in `text`, or of the
/// nearest enclosing value present; `None` if the text is not JSON there or the path is not
/// in this notation.
pub fn position_of(text: &str, path: &str) -> Option<(usize, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let path = segments(path)?;
    let offset = Cursor {
        text: text.as_bytes(),
        pos: 0,
    }
    .follow(&path)?;
    let before = text.get(..offset)?;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some((line, before[line_start..].chars().count() + 1))
}

/// Gives every error without a position the position of its path in `text` (see
/// [`position_of`]). Errors that have one keep it.
pub fn fill_positions(text: &str, errors: &mut [InputError]) {
    for e in errors.iter_mut().filter(|e| e.line.is_none()) {
        if let Some((line, column)) = position_of(text, &e.path) {
            e.line = Some(line);
            e.column = Some(column);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "{\n  \"schema\": \"elternkit.case/1\",\n  \"note\": \"a [tricky] {string} \\\" here\",\n  \"parents\": [\n    {\"id\": \"p1\", \"tax\": {\"class\": 1}},\n    {\"id\": \"p2\",\n     \"tax\": {\"class\": 9}}\n  ],\n  \"child\": {\"birth_date\": \"2026-01-01\"}\n}";

    #[test]
    fn finds_values_by_path() {
        assert_eq!(position_of(CASE, "parents[1].tax.class"), Some((7, 23)));
        assert_eq!(position_of(CASE, "parents[0].tax.class"), Some((5, 35)));
        assert_eq!(position_of(CASE, "child.birth_date"), Some((9, 27)));
        assert_eq!(position_of(CASE, "parents[1]"), Some((6, 5)));
        assert_eq!(position_of(CASE, ""), Some((1, 1)));
    }

    #[test]
    fn a_missing_field_points_at_its_object() {
        // `parents[1].tax.factor` is absent: the `tax` object of p2.
        assert_eq!(position_of(CASE, "parents[1].tax.factor"), Some((7, 13)));
        // Index past the end: the array.
        assert_eq!(position_of(CASE, "parents[5].id"), Some((4, 14)));
    }

    #[test]
    fn unknown_notation_and_broken_text_give_nothing_or_the_nearest() {
        assert_eq!(position_of(CASE, "parents[x].id"), None);
        assert_eq!(position_of(CASE, "?.id"), None);
        assert_eq!(position_of("{\"a\": [1, 2", "a[1]"), Some((1, 11)));
        assert_eq!(position_of("", "a"), None);
    }

    #[test]
    fn columns_count_characters_and_a_bom_is_skipped() {
        let text = "\u{feff}{\"name\": \"Jürgen\", \"x\": 1}";
        assert_eq!(position_of(text, "x"), Some((1, 25)));
    }

    #[test]
    fn fill_keeps_existing_positions() {
        let mut errors = vec![
            InputError::new("parents[1].tax.class", "out_of_range", "en", "de"),
            InputError {
                line: Some(2),
                column: Some(3),
                ..InputError::new("parents[0].tax.class", "x", "en", "de")
            },
        ];
        fill_positions(CASE, &mut errors);
        assert_eq!((errors[0].line, errors[0].column), (Some(7), Some(23)));
        assert_eq!((errors[1].line, errors[1].column), (Some(2), Some(3)));
    }
}
