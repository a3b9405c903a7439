package de.elternkit.ffi.test

import de.elternkit.ffi.SecretStoreException
import de.elternkit.platform.WrappedFileSecretStore
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.fail
import org.junit.Test
import java.io.File
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

class SecretStoreTest {
    private val dir = tempDir()
    private val wrapper = MemoryKeyWrapper()

    @Test
    fun createOnceKeepsTheFirstSecretAcrossThreads() {
        val store = WrappedFileSecretStore(dir, wrapper)
        val pool = Executors.newFixedThreadPool(8)
        val got = (0 until 16).map { i ->
            pool.submit<ByteArray> { store.storeIfAbsent("device", ByteArray(32) { i.toByte() }) }
        }.map { it.get(10, TimeUnit.SECONDS) }
        pool.shutdown()
        got.forEach { assertArrayEquals(got[0], it) }
        assertArrayEquals(got[0], store.load("device"))
    }

    @Test
    fun aSwappedOrAlteredFileIsRefused() {
        val store = WrappedFileSecretStore(dir, wrapper)
        store.store("a", ByteArray(32) { 1 })
        store.store("b", ByteArray(32) { 2 })
        File(dir, "a.secret").copyTo(File(dir, "b.secret"), overwrite = true)
        try {
            store.load("b")
            fail("a secret moved to another name must not authenticate")
        } catch (e: SecretStoreException.Unavailable) {
        }
        val a = File(dir, "a.secret")
        a.writeBytes(a.readBytes().also { it[20] = (it[20].toInt() xor 1).toByte() })
        try {
            store.load("a")
            fail("an altered secret must not authenticate")
        } catch (e: SecretStoreException.Unavailable) {
        }
    }

    @Test
    fun namesCannotLeaveTheFolderAndDeleteIsIdempotent() {
        val store = WrappedFileSecretStore(dir, wrapper)
        try {
            store.store("../escape", ByteArray(32))
            fail()
        } catch (e: SecretStoreException.Unavailable) {
        }
        assertNull(store.load("missing"))
        store.delete("missing")
        store.store("x", ByteArray(32) { 3 })
        store.delete("x")
        assertNull(store.load("x"))
        assertFalse(store.keepsCounters())
        assertEquals(0, dir.listFiles()!!.count { it.name.endsWith(".tmp") })
    }
}
