package de.elternkit.platform

import de.elternkit.ffi.SecretStore
import de.elternkit.ffi.SecretStoreException
import java.io.File
import java.io.IOException
import java.io.RandomAccessFile
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.StandardCopyOption

/**
 * Encrypts and authenticates a secret with a key the attacker cannot read (Android: an
 * AES-GCM key in AndroidKeyStore that never leaves the secure hardware). [aad] binds the
 * sealed bytes to the secret's name, so files cannot be swapped between names.
 */
interface KeyWrapper {
    fun wrap(plain: ByteArray, aad: ByteArray): ByteArray

    /** Throws when [sealed] was not made by [wrap] with this key and [aad]. */
    fun unwrap(sealed: ByteArray, aad: ByteArray): ByteArray
}

/**
 * The app's [SecretStore]: each 32-byte secret is sealed by a [KeyWrapper] and kept in its
 * own file under [dir] (the app's private files). Platform-neutral so that the JVM tests run
 * exactly this code; Android plugs in its Keystore wrapper (android/.../KeystoreKeyWrapper).
 *
 * Create-once is atomic across processes (app and a WorkManager process) through a file
 * lock. Counters are not kept: a file an attacker can write cannot hold a rollback counter
 * (see core/store/README.md, threat model).
 */
class WrappedFileSecretStore(private val dir: File, private val wrapper: KeyWrapper) : SecretStore {
    init {
        dir.mkdirs()
    }

    private fun fileOf(name: String): File {
        if (name.isEmpty() || !name.all { it.isLetterOrDigit() || it in "._-" } || name.startsWith(".")) {
            throw SecretStoreException.Unavailable("secret names are letters, digits, '.', '_' and '-'")
        }
        return File(dir, "$name.secret")
    }

    // The file lock keeps other processes out; the JVM refuses a second lock on the same
    // file from another thread (OverlappingFileLockException), so threads queue here first.
    private fun <T> locked(block: () -> T): T = synchronized(threadLock) {
        RandomAccessFile(File(dir, ".lock"), "rw").use { raf ->
            raf.channel.lock().use { block() }
        }
    }

    private companion object {
        val threadLock = Any()
    }

    override fun load(name: String): ByteArray? {
        val file = fileOf(name)
        if (!file.exists()) return null
        val sealed = try {
            file.readBytes()
        } catch (e: IOException) {
            throw SecretStoreException.Unavailable("cannot read the secret: ${e.javaClass.simpleName}")
        }
        val plain = try {
            wrapper.unwrap(sealed, name.toByteArray())
        } catch (e: Exception) {
            throw SecretStoreException.Unavailable("the stored secret does not authenticate")
        }
        if (plain.size != 32) throw SecretStoreException.Unavailable("the stored secret is not 32 bytes")
        return plain
    }

    override fun store(name: String, secret: ByteArray) {
        locked { write(name, secret) }
    }

    private fun write(name: String, secret: ByteArray) {
        val file = fileOf(name)
        val tmp = File.createTempFile(".tmp-$name", ".tmp", dir)
        try {
            tmp.writeBytes(wrapper.wrap(secret, name.toByteArray()))
            try {
                Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE)
            } catch (e: AtomicMoveNotSupportedException) {
                Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING)
            }
        } catch (e: IOException) {
            throw SecretStoreException.Unavailable("cannot write the secret: ${e.javaClass.simpleName}")
        } finally {
            tmp.delete()
        }
    }

    override fun storeIfAbsent(name: String, secret: ByteArray): ByteArray = locked {
        load(name) ?: run {
            write(name, secret)
            secret
        }
    }

    override fun delete(name: String) {
        locked { fileOf(name).delete() }
    }

    override fun keepsCounters(): Boolean = false

    override fun counterGet(name: String): ULong =
        throw SecretStoreException.Unavailable("this store keeps no counters")

    override fun counterRaise(name: String, value: ULong): Unit =
        throw SecretStoreException.Unavailable("this store keeps no counters")
}
