//! Cancellation and progress for long work. Both are checked or called on the calling
//! thread, never from a thread of ours (JNA attaches such threads per call).

/// Cancels a long operation: pass it in, call [`CancelToken::cancel`] from any thread, and
/// the operation ends with `ElternKitError::Cancelled` at its next check. Kotlin's coroutine
/// cancellation drops Rust futures, Swift's does not; this token works the same on both.
#[derive(Debug, Default, uniffi::Object)]
pub struct CancelToken {
    /// The sender's own token, shared with `process_outbox` (checked between requests).
    inner: elternkit_sender::CancelToken,
}

#[uniffi::export]
impl CancelToken {
    #[uniffi::constructor]
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every operation holding this token to stop. Cannot be undone.
    pub fn cancel(&self) {
        self.inner.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }
}

impl CancelToken {
    /// The token the sender checks; cancelling `self` cancels it.
    pub(crate) fn sender_token(&self) -> elternkit_sender::CancelToken {
        self.inner.clone()
    }
}

/// Told how far a long operation is. Called on the thread that called the operation;
/// the implementation must return quickly and must not call back into the `App`.
#[uniffi::export(foreign)]
pub trait ProgressListener: Send + Sync {
    /// `done` of `total` units are finished (`done` ≤ `total`).
    fn on_progress(&self, done: u64, total: u64);
}
