//! No panic crosses the FFI, and none of ours writes its message anywhere.
//!
//! UniFFI catches a panic in every exported call itself (`rust_call` in `uniffi_core`), but
//! hands the panic's message to the app as an untyped `InternalException` (Kotlin) or
//! `UniffiInternalError` (Swift). A panic's message can quote anything the code had in hand,
//! and a Kotlin or Swift callback that throws becomes such a panic with the foreign
//! exception's text ("Callback interface failure: …"). So every method runs in [`guard`],
//! which turns the panic into the typed [`ElternKitError::Internal`] with a fixed text, and a
//! process-wide panic hook, installed on the first guarded call, logs where a panic inside a
//! guarded call happened but never its message.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::sync::Once;

use crate::error::{ElternKitError, internal};

/// The reason of the error a caught panic becomes.
pub(crate) const PANIC_REASON: &str =
    "a bug in the ElternKit library stopped this operation; nothing was saved";

thread_local! {
    /// Guarded calls running on this thread (a callback can nest them).
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`, turning a panic into [`ElternKitError::Internal`].
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, ElternKitError>) -> Result<T, ElternKitError> {
    install_panic_hook();
    GUARDED.with(|g| g.set(g.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get().saturating_sub(1)));
    result.unwrap_or_else(|_| Err(internal(PANIC_REASON)))
}

/// The line the hook logs: the place in our code and the thread, not the message.
fn panic_line(info: &PanicHookInfo<'_>) -> String {
    let place = info.location().map_or_else(
        || "an unknown place".to_owned(),
        |l| format!("{}:{}", l.file(), l.line()),
    );
    let thread = std::thread::current();
    format!(
        "elternkit: panic at {place} on thread {}; the call failed with ElternKitError.Internal \
         (the panic's message is not logged: it may contain personal data)",
        thread.name().unwrap_or("unnamed")
    )
}

/// Writes the hook's line where the platform's developers look: logcat on Android (whose
/// apps' stderr goes nowhere), stderr elsewhere (iOS shows it in the device console).
#[cfg(target_os = "android")]
fn write_line(line: &str) {
    use std::sync::OnceLock;

    use log::Log as _;

    static LOGCAT: OnceLock<android_logger::AndroidLogger> = OnceLock::new();
    // Our own logger value, not the process-wide `log` logger: the app's logging stays as
    // the app set it up.
    let logcat = LOGCAT.get_or_init(|| {
        android_logger::AndroidLogger::new(
            android_logger::Config::default()
                .with_tag("elternkit")
                .with_max_level(log::LevelFilter::Error)
                .format(|f, record| write!(f, "{}", record.args())),
        )
    });
    logcat.log(
        &log::Record::builder()
            .level(log::Level::Error)
            .target("elternkit")
            .args(format_args!("{line}"))
            .build(),
    );
}

#[cfg(not(target_os = "android"))]
fn write_line(line: &str) {
    eprintln!("{line}");
}

/// Installs the hook once per process. A panic outside our guarded calls (another Rust
/// library in the same app, a failing test assertion) goes to the hook that was there
/// before, unchanged: we answer only for our own calls.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) == 0 {
                previous(info);
            } else {
                write_line(&panic_line(info));
            }
        }));
    });
}
