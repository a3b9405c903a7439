package de.elternkit.ffi.test

import de.elternkit.ffi.App
import de.elternkit.ffi.AppConfig
import de.elternkit.ffi.PlatformClock
import de.elternkit.ffi.DirectoryConfig
import de.elternkit.ffi.Language
import de.elternkit.ffi.SecretStore
import de.elternkit.platform.KeyWrapper
import java.io.File
import java.nio.file.Files
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/** The demo case of the CLI (path passed by `cargo xtask test-kotlin`). */
val demoCase: String by lazy {
    File(System.getProperty("elternkit.demoCase") ?: error("-Delternkit.demoCase is not set")).readText()
}

/** AES-256-GCM with a key held in memory: the JVM stand-in for the AndroidKeyStore key. */
class MemoryKeyWrapper : KeyWrapper {
    private val key: SecretKey = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()

    override fun wrap(plain: ByteArray, aad: ByteArray): ByteArray {
        val nonce = ByteArray(12).also { SecureRandom().nextBytes(it) }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(128, nonce))
        cipher.updateAAD(aad)
        return nonce + cipher.doFinal(plain)
    }

    override fun unwrap(sealed: ByteArray, aad: ByteArray): ByteArray {
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, sealed.copyOfRange(0, 12)))
        cipher.updateAAD(aad)
        return cipher.doFinal(sealed.copyOfRange(12, sealed.size))
    }
}

class FixedClock(private val day: String) : PlatformClock {
    override fun today(): String = day
}

fun tempDir(): File = Files.createTempDirectory("elternkit-kotlin").toFile().apply { deleteOnExit() }

fun openApp(
    dir: File,
    secrets: SecretStore,
    locale: Language = Language.DE,
    day: String = "2026-12-01",
): App = App(AppConfig(File(dir, "drafts.sqlite").path, locale, DirectoryConfig.Development), secrets, FixedClock(day))
