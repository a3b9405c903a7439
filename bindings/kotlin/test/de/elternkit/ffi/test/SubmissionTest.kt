package de.elternkit.ffi.test

import de.elternkit.ffi.App
import de.elternkit.ffi.AppConfig
import de.elternkit.ffi.CancelToken
import de.elternkit.ffi.DirectoryConfig
import de.elternkit.ffi.DraftInput
import de.elternkit.ffi.DraftStatus
import de.elternkit.ffi.DraftSummary
import de.elternkit.ffi.ElternKitException
import de.elternkit.ffi.Language
import de.elternkit.ffi.SubmissionState
import de.elternkit.platform.WrappedFileSecretStore
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.io.File
import java.time.Duration
import java.time.Instant
import java.time.LocalDate

/**
 * Suspend submission against a real FSP/1 relay on 127.0.0.1, which `cargo xtask test-kotlin`
 * starts (`elternkit-agency sandbox --offices-every 100`, every office's inbox answering) and
 * names with `-Delternkit.sandbox=<dir>`: the development directory there points every office
 * at it.
 */
class SubmissionTest {
    private val dir = tempDir()
    private val secrets = WrappedFileSecretStore(File(dir, "keys"), MemoryKeyWrapper())

    private fun sandboxApp(): App {
        val sandbox = File(System.getProperty("elternkit.sandbox") ?: error("-Delternkit.sandbox is not set"))
        val directory = DirectoryConfig.DevelopmentSigned(
            File(sandbox, "directory.json").readText(),
            File(sandbox, "directory.json.sig").readText(),
        )
        return App(
            AppConfig(File(dir, "drafts.sqlite").path, Language.EN, directory),
            secrets,
            FixedClock(LocalDate.now().toString()),
        )
    }

    /** The demo case with p2's Elternzeit confirmation, so that all three applications are ready. */
    private val readyCase: String
        get() {
            val marker = "\"documents\": ["
            assertTrue("the demo case lists documents", demoCase.contains(marker))
            return demoCase.replaceFirst(
                marker,
                "$marker {\"id\": \"d-ez-p2\", \"kind\": \"elternzeit_bestaetigung\", \"parent\": \"p2\"},",
            )
        }

    @Test
    fun aSuspendSubmissionIsFiledAndAcceptedWithTheOfficesCaseNumber() {
        sandboxApp().use { app ->
            val draft = app.createDraft(
                DraftInput(DraftStatus.READY, DraftSummary("Demo", listOf("elterngeld"), emptyList()), readyCase),
            )
            runBlocking {
                val queued = app.submit(draft.id)
                assertEquals(3, queued.size)
                assertEquals(3, queued.map { it.submissionId }.toSet().size)
                // Before any request: each waits for its announce.
                app.submissionStatuses().forEach {
                    assertEquals(SubmissionState.Sending("announce"), it.state)
                }
                try {
                    app.submit(draft.id)
                    fail("a second submit must be refused")
                } catch (e: ElternKitException.AlreadySubmitted) {
                    assertEquals(queued.map { it.submissionId }.toSet(), e.submissionIds.toSet())
                }

                // Two coroutines at once: the second waits for the first, nothing is sent twice.
                val runs = listOf(
                    async { app.processOutbox(CancelToken()) },
                    async { app.processOutbox(CancelToken()) },
                ).awaitAll()
                assertTrue(runs.none { it.cancelled })
                val last = app.submissionStatuses()
                assertEquals(queued.map { it.submissionId }.toSet(), last.map { it.submissionId }.toSet())
                for (s in last) {
                    // The sandbox's offices answer within 100 ms, so the run's own event fetch
                    // right after the filing may already see the answer.
                    val receivedAt = when (val state = s.state) {
                        is SubmissionState.Filed -> state.receivedAt
                        is SubmissionState.Retrieved -> state.receivedAt
                        is SubmissionState.Accepted -> state.receivedAt
                        else -> error("${s.submissionId} not filed: $state")
                    }
                    val at = Instant.parse(receivedAt)
                    assertTrue("filed just now", Duration.between(at, Instant.now()).abs() < Duration.ofMinutes(5))
                    assertTrue(s.events.any { it.kind == "submitted" })
                }

                // Pull to refresh until every office has answered (they poll every 100 ms).
                var statuses = last
                var refreshes = 0
                while (refreshes < 20 && !statuses.all { it.state is SubmissionState.Accepted }) {
                    delay(250)
                    statuses = app.refreshStatuses(CancelToken()).submissions
                    refreshes++
                }
                assertEquals(3, statuses.size)
                for (s in statuses) {
                    val accepted = s.state as? SubmissionState.Accepted
                        ?: error("${s.submissionId} not accepted: ${s.state}")
                    val az = accepted.aktenzeichen ?: error("${s.submissionId}: no Aktenzeichen")
                    assertTrue(az.isNotBlank())
                    assertEquals(az, s.events.single { it.kind == "accepted" }.aktenzeichen)
                }
                // The store says the same without a request.
                assertEquals(statuses, app.submissionStatuses())
            }
        }
    }

    @Test
    fun aCancelledTokenStopsBeforeTheFirstRequest() {
        sandboxApp().use { app ->
            val draft = app.createDraft(
                DraftInput(DraftStatus.READY, DraftSummary("Demo", listOf("elterngeld"), emptyList()), readyCase),
            )
            runBlocking {
                app.submit(draft.id)
                val token = CancelToken().also { it.cancel() }
                val run = app.processOutbox(token)
                assertTrue(run.cancelled)
                assertEquals(0uL, run.requests)
            }
        }
    }

    @Test
    fun aDraftThatIsNotReadyIsATypedException() {
        sandboxApp().use { app ->
            val draft = app.createDraft(
                DraftInput(DraftStatus.DRAFT, DraftSummary("Demo", listOf("elterngeld"), emptyList()), demoCase),
            )
            runBlocking {
                try {
                    app.submit(draft.id)
                    fail("expected NotReady")
                } catch (e: ElternKitException.NotReady) {
                    assertTrue(e.applications.isNotEmpty())
                }
                assertTrue(app.submissionStatuses().isEmpty())
            }
        }
    }
}
