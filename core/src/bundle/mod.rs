//! Enter once, apply three times: the case becomes one application per agency (Standesamt,
//! Familienkasse, Elterngeldstelle), with what is missing, the documents, the consents and
//! the competent office (routing).

pub mod directory;
pub mod routing;
