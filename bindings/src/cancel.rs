//! Cancellation and progress for long work. Both are checked or called on the calling
//! thread, never from a thread of ours (JNA attaches such threads per call).

use std::sync::atomic::{AtomicBool, Ordering};

/// Cancels a long operation: pass it in, call [`CancelToken::cancel`] from any thread, and
/// the operation ends with `ElternKitError::Cancelled` at its next check. Kotlin's coroutine
/// cancellation drops Rust futures, Swift's does not; this token works the same on both.
#[derive(Debug, Default, uniffi::Object)]
pub struct CancelToken {
    cancelled: AtomicBool,
}

#[uniffi::export]
impl CancelToken {
    #[uniffi::constructor]
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every operation holding this token to stop. Cannot be undone.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
    }
}

/// Told how far a long operation is. Called on the thread that called the operation;
/// the implementation must return quickly and must not call back into the `App`.
#[uniffi::export(foreign)]
pub trait ProgressListener: Send + Sync {
    /// `done` of `total` units are finished (`done` ≤ `total`).
    fn on_progress(&self, done: u64, total: u64);
}
