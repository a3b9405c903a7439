//! ElternKit core: the product logic shared by the apps, the CLI and the agency side.
//!
//! See `docs/ARCHITECTURE.md` for the layout and the rules every module follows.

pub mod bundle;
pub mod crypto;
pub mod lohnsteuer;
pub mod model;
pub mod rules;
pub mod store;
