package de.elternkit.ffi.test

import de.elternkit.ffi.ApplicationStatus
import de.elternkit.ffi.CancelToken
import de.elternkit.ffi.DraftInput
import de.elternkit.ffi.DraftStatus
import de.elternkit.ffi.DraftSummary
import de.elternkit.ffi.ElternKitException
import de.elternkit.ffi.Language
import de.elternkit.ffi.ProgressListener
import de.elternkit.platform.WrappedFileSecretStore
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.io.File

class AppTest {
    private val dir = tempDir()
    private val secrets = WrappedFileSecretStore(File(dir, "keys"), MemoryKeyWrapper())

    private fun input(title: String, case: String) =
        DraftInput(DraftStatus.DRAFT, DraftSummary(title, listOf("elterngeld"), listOf("Mia")), case)

    @Test
    fun calculationWithItsExplanation() {
        openApp(dir, secrets, Language.EN).use { app ->
            val result = app.calculate(demoCase)
            val parents = result.elterngeld!!.parents
            assertEquals("14530.11", parents[0].total)
            assertEquals("3292.46", parents[1].total)
            val lm2 = parents[0].months[1]
            assertEquals(2u, lm2.lebensmonat)
            assertEquals("105.92", lm2.amount)
            assertEquals(listOf("259.00", "259.00"), result.kindergeld!!.children.map { it.monthlyAmount })

            val explanation = app.explain(demoCase)
            assertTrue(explanation.elterngeld.isNotEmpty())
            assertTrue(explanation.elterngeld.all { it.citation.isNotEmpty() && it.text.isNotEmpty() })
            assertTrue(explanation.elterngeld.any { it.citation.contains("BEEG") })
            // The same step in the other locale has another text.
            openApp(tempDir(), WrappedFileSecretStore(File(tempDir(), "k"), MemoryKeyWrapper()), Language.DE).use { de ->
                assertNotEquals(explanation.elterngeld[0].text, de.explain(demoCase).elterngeld[0].text)
            }
        }
    }

    @Test
    fun bundleOfTheDemo() {
        openApp(dir, secrets).use { app ->
            val bundle = app.bundle(demoCase)
            assertEquals("2026-12-01", bundle.evaluationDate)
            assertEquals(listOf("standesamt", "elterngeldstelle", "familienkasse"), bundle.order)
            assertEquals(
                listOf(ApplicationStatus.READY, ApplicationStatus.INCOMPLETE, ApplicationStatus.READY),
                bundle.applications.map { it.status },
            )
            assertEquals(
                listOf("Standesamt Bremen-Mitte", "Amt für Soziale Dienste Bremen, Elterngeldstelle", "Bundesagentur für Arbeit, Familienkasse"),
                bundle.applications.map { it.office?.name },
            )
        }
    }

    @Test
    fun draftRoundTripWithAKotlinSecretStore() {
        val id: String
        openApp(dir, secrets).use { app ->
            val meta = app.createDraft(input("Mia", demoCase))
            id = meta.id
            assertEquals(1uL, meta.version)
            val v2 = app.saveDraft(id, 1uL, input("Mia 2", demoCase))
            assertEquals(2uL, v2.version)
            try {
                app.saveDraft(id, 1uL, input("stale", "{}"))
                fail("a save on version 1 must conflict")
            } catch (e: ElternKitException.Conflict) {
                assertEquals(1uL, e.expectedVersion)
                assertEquals(2uL, e.actualVersion)
            }
        }
        // Reopened with the same Kotlin key store: the draft is there.
        openApp(dir, secrets).use { app ->
            val loaded = app.loadDraft(id)
            assertEquals("Mia 2", loaded.summary.title)
            assertEquals(2uL, loaded.meta.version)
            assertTrue(loaded.caseJson.contains("elternkit.case/1"))
            assertEquals(listOf(id), app.listDrafts().map { it.id })
            runBlocking { app.checkIntegrity() }
        }
        // Another device key cannot open it, and nothing is deleted.
        val other = WrappedFileSecretStore(File(tempDir(), "keys"), MemoryKeyWrapper())
        try {
            openApp(dir, other).close()
            fail("a different key must be refused")
        } catch (e: ElternKitException.KeyUnavailable) {
        }
        openApp(dir, secrets).use { app -> assertEquals("Mia 2", app.loadDraft(id).summary.title) }
    }

    @Test
    fun handoffBetweenTwoDevices() {
        val dirB = tempDir()
        openApp(dir, secrets).use { a ->
            openApp(dirB, WrappedFileSecretStore(File(dirB, "keys"), MemoryKeyWrapper())).use { b ->
                val meta = a.createDraft(input("Mia", demoCase))
                val armored = a.exportDraft(meta.id, listOf(b.deviceRecipient()), "/parents/1")
                val imported = b.importDraft(armored, a.deviceRecipient())
                assertFalse(imported.alreadyImported)
                assertTrue(b.loadDraft(imported.meta.id).caseJson.contains("\"p2\""))
                // Another device cannot open it, and says so by a variant of its own.
                val dirC = tempDir()
                openApp(dirC, WrappedFileSecretStore(File(dirC, "keys"), MemoryKeyWrapper())).use { c ->
                    try {
                        c.importDraft(armored, null)
                        fail("a handoff for another device must be refused")
                    } catch (e: ElternKitException.HandoffNotForThisDevice) {
                    }
                }
            }
        }
    }

    @Test
    fun anInvalidCaseIsATypedKotlinException() {
        openApp(dir, secrets, Language.EN).use { app ->
            try {
                app.calculate(demoCase.replace("\"class\": \"IV\"", "\"class\": \"IX\""))
                fail("an invalid tax class must be refused")
            } catch (e: ElternKitException.InvalidCase) {
                assertTrue(e.problems.any { it.path.contains("tax") })
            }
            try {
                app.loadDraft("not-an-id")
                fail()
            } catch (e: ElternKitException.InvalidArgument) {
                assertEquals("draft_id", e.argument)
            }
        }
    }

    @Test
    fun rustCallsTheKotlinListenerAndCancellationStopsTheWork() {
        openApp(dir, secrets).use { app ->
            val cases = listOf(demoCase, "{", demoCase, demoCase)
            val seen = mutableListOf<Pair<ULong, ULong>>()
            val listener = object : ProgressListener {
                override fun onProgress(done: ULong, total: ULong) {
                    seen += done to total
                }
            }
            val results = app.calculateMany(cases, CancelToken(), listener)
            assertEquals(listOf(1uL, 2uL, 3uL, 4uL).map { it to 4uL }, seen)
            assertTrue(results[1].problems.isNotEmpty())
            assertEquals("14530.11", results[3].elterngeld!!.parents[0].total)

            val token = CancelToken()
            val cancelling = object : ProgressListener {
                override fun onProgress(done: ULong, total: ULong) {
                    if (done == 2uL) token.cancel()
                }
            }
            try {
                app.calculateMany(cases, token, cancelling)
                fail("a cancelled batch must stop")
            } catch (e: ElternKitException.Cancelled) {
            }
            assertTrue(token.isCancelled())
        }
    }

    @Test
    fun aThrowingCallbackBecomesATypedErrorNotACrash() {
        openApp(dir, secrets).use { app ->
            val broken = object : ProgressListener {
                override fun onProgress(done: ULong, total: ULong): Unit = throw IllegalStateException("listener bug")
            }
            try {
                app.calculateMany(listOf(demoCase), CancelToken(), broken)
                fail("the failure must surface")
            } catch (e: ElternKitException.Internal) {
                // UniFFI's own panic message would carry the Kotlin exception's text.
                assertFalse(e.reason, e.reason.contains("listener bug"))
            }
            // The App goes on working.
            assertEquals("14530.11", app.calculate(demoCase).elterngeld!!.parents[0].total)
        }
    }
}
