//! `elternkit-ffi`: the UniFFI surface the Android and iOS apps call.
//!
//! Thin by design (DESIGN.md § 4): every exported method delegates to a core crate and maps
//! its result into records owned here ([`records`]) and its errors into one PII-free enum
//! ([`ElternKitError`]). No business logic lives in this crate.
//!
//! - [`App`]: the object an app keeps for its lifetime (store, directory, locale, clock).
//! - [`Planner`]: the Elterngeld month plan of both parents, edited and optimised.
//! - [`SecretStore`], [`PlatformClock`], [`ProgressListener`]: implemented by the platform.
//! - Submission: `App::submit` seals a draft's applications into the outbox,
//!   `App::process_outbox` sends them (async, on the `App`'s runtime).
//! - [`CancelToken`]: cancels long work from Kotlin or Swift (Swift's task cancellation
//!   does not reach Rust futures, so long operations take a token).

#[cfg(target_os = "android")]
mod android;
mod app;
mod cancel;
mod error;
mod guard;
mod plan;
mod platform;
mod records;
mod submission;

pub use app::App;
pub use cancel::{CancelToken, ProgressListener};
pub use error::{ElternKitError, SecretStoreError};
pub use plan::{
    OptimizedPlan, ParentPlan, PlanAlternative, PlanEdit, PlanIssue, PlanMonthKind,
    PlanSearchStats, PlanState, PlannedMonth, Planner,
};
pub use platform::{PlatformClock, SecretStore};
pub use records::*;
pub use submission::{
    OutboxRun, QueuedSubmission, SubmissionEvent, SubmissionState, SubmissionStatus,
};

uniffi::setup_scaffolding!();

#[cfg(test)]
mod tests;
