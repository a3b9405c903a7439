//! Edits through the public API: amounts, totals and problems after each.
