//! Android only: the one JNI entry point of the library, outside UniFFI.
//!
//! The app's TLS checks server certificates with Android's own trust manager through
//! `rustls-platform-verifier`, which calls into the JVM and so needs the app's `Context`
//! once, before the first request. UniFFI's Kotlin calls go through JNA and carry no JNI
//! environment, so the Android library's `PlatformVerifier.init(context)` (android/) is a
//! JNI native method implemented here. `jni_mangle` names it for the JVM; `EnvUnowned`
//! makes the signature safe Rust, so the crate's `forbid(unsafe_code)` holds. Checked with
//! `cargo check --target aarch64-linux-android` in a scratch crate of this module; the
//! whole library is not built for Android here (ring and SQLite need the NDK's C compiler).

use std::sync::atomic::{AtomicBool, Ordering};

use jni::EnvUnowned;
use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JClass, JObject};

static INITIALISED: AtomicBool = AtomicBool::new(false);

/// Whether `PlatformVerifier.init` has run: the verifier panics without it, so the
/// submission refuses to start instead.
pub(crate) fn verifier_ready() -> bool {
    INITIALISED.load(Ordering::SeqCst)
}

/// `de.elternkit.android.PlatformVerifier.init(context: Context)`: hands the application
/// context to the platform verifier. A failure is thrown to Kotlin as a RuntimeException;
/// a panic is caught by `with_env`, never unwound into the JVM.
#[jni::jni_mangle("de.elternkit.android.PlatformVerifier")]
pub fn init<'caller>(
    mut env: EnvUnowned<'caller>,
    _class: JClass<'caller>,
    context: JObject<'caller>,
) {
    env.with_env(|env| -> jni::errors::Result<()> {
        rustls_platform_verifier::android::init_with_env(env, context)?;
        INITIALISED.store(true, Ordering::SeqCst);
        Ok(())
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}
