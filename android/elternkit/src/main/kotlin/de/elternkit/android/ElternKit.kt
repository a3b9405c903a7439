package de.elternkit.android

import android.content.Context
import de.elternkit.ffi.App
import de.elternkit.ffi.AppConfig
import de.elternkit.ffi.DirectoryConfig
import de.elternkit.ffi.Language
import de.elternkit.platform.SystemClock
import de.elternkit.platform.WrappedFileSecretStore
import java.io.File

/** Opens the one [App] of the process with the Android platform pieces. */
object ElternKit {
    @Volatile private var app: App? = null

    /** The keys live in no-backup storage: a restored backup must not carry them along. */
    fun secretStore(context: Context) =
        WrappedFileSecretStore(File(context.noBackupFilesDir, "elternkit-keys"), KeystoreKeyWrapper())

    fun app(context: Context, locale: Language = Language.DE): App =
        app ?: synchronized(this) {
            app ?: run {
                // Before any request: the TLS verifier needs the context (process_outbox
                // refuses to run without it).
                PlatformVerifier.ensure(context)
                App(
                    AppConfig(
                        databasePath = File(context.noBackupFilesDir, "elternkit.sqlite").path,
                        language = locale,
                        // A signed production directory replaces this once the agencies publish one.
                        directory = DirectoryConfig.Development,
                    ),
                    secretStore(context.applicationContext),
                    SystemClock(),
                )
            }.also { app = it }
        }
}
