package de.elternkit.android

import android.content.Context

/**
 * Hands the application context to the Rust TLS verifier (`rustls-platform-verifier`), once
 * per process and before the first submission: the library then checks relay certificates
 * with Android's trust manager (system and user CAs, the app's network security config).
 * Implemented as a JNI native method in `bindings/src/android.rs`; the UniFFI calls go
 * through JNA and carry no JNI environment.
 */
object PlatformVerifier {
    @Volatile private var done = false

    fun ensure(context: Context) {
        if (done) return
        synchronized(this) {
            if (!done) {
                // The same library JNA loads for the bindings; loading twice is a no-op.
                System.loadLibrary("elternkit_ffi")
                init(context.applicationContext)
                done = true
            }
        }
    }

    @JvmStatic private external fun init(context: Context)
}
