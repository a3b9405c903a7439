package de.elternkit.ffi.test

import de.elternkit.ffi.CancelToken
import de.elternkit.ffi.ElternKitException
import de.elternkit.ffi.Language
import de.elternkit.ffi.PlanEdit
import de.elternkit.ffi.PlanMonthKind
import de.elternkit.ffi.Planner
import de.elternkit.ffi.ProgressListener
import de.elternkit.platform.WrappedFileSecretStore
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import java.io.File
import java.math.BigDecimal

class PlannerTest {
    private val dir = tempDir()
    private val secrets = WrappedFileSecretStore(File(dir, "keys"), MemoryKeyWrapper())

    // JUnit 4 runs only methods returning void: this returns Unit.
    private fun withPlanner(request: String? = null, body: (Planner) -> Unit) {
        openApp(dir, secrets, Language.EN).use { app -> app.planner(demoCase, request).use(body) }
    }

    /** Records every report; cancels `token` at the `cancelAt`-th. */
    private class Steps(val token: CancelToken? = null, val cancelAt: Int = 0) : ProgressListener {
        val seen = mutableListOf<Pair<ULong, ULong>>()
        override fun onProgress(done: ULong, total: ULong) {
            seen += done to total
            if (seen.size == cancelAt) token?.cancel()
        }
    }

    @Test
    fun anEditChangesTheAmounts() = withPlanner { planner ->
        val before = planner.state()
        assertTrue(before.valid)
        assertEquals(listOf("14530.11", "3292.46"), before.parents.map { it.total })
        val after = planner.setRange("p2", 13u, 14u, PlanMonthKind.PLUS)
        val p2 = after.parents.single { it.id == "p2" }
        assertEquals(PlanMonthKind.PLUS, p2.months[12].kind)
        assertNotEquals("0.00", p2.months[12].amount)
        assertTrue(BigDecimal(after.total) > BigDecimal(before.total))
        assertEquals(before.parents[0], after.parents[0])
        assertEquals(after, planner.state())
    }

    @Test
    fun anInvalidPlanHasProblemsWithCitationAndFix() = withPlanner { planner ->
        val broken = planner.setRange("p2", 1u, 8u, PlanMonthKind.BASIS)
        assertFalse(broken.valid)
        assertTrue(broken.issues.isNotEmpty())
        assertTrue(broken.issues.all { it.problem.citation.contains("§ 4") && it.problem.text.isNotEmpty() })
        val fixable = broken.issues.first { it.fix.isNotEmpty() }
        val mended = planner.apply(fixable.fix)
        assertTrue(mended.issues.none { it.problem.code == fixable.problem.code })

        // A refused edit is typed and changes nothing, also when an earlier edit was fine.
        val state = planner.state()
        try {
            planner.apply(listOf(PlanEdit("p2", 13u, 13u, PlanMonthKind.PLUS), PlanEdit("p9", 1u, 1u, PlanMonthKind.BASIS)))
            fail("an unknown parent must be refused")
        } catch (e: ElternKitException.InvalidArgument) {
            assertEquals("parent_id", e.argument)
        }
        assertEquals(state, planner.state())
    }

    @Test
    fun optimizeReportsProgressAndFindsAValidPlan() = withPlanner { planner ->
        val steps = Steps()
        val found = planner.optimize(CancelToken(), steps)
        assertTrue(found.best.state.valid)
        assertTrue(BigDecimal(found.best.state.total) >= BigDecimal(planner.state().total))
        assertEquals(3, found.alternatives.size)
        assertTrue(found.alternatives.all { it.state.valid && it.difference.isNotEmpty() })
        val total = steps.seen.first().second
        assertTrue(steps.seen.size >= 2)
        assertTrue(steps.seen.zipWithNext().all { (a, b) -> a.first < b.first && b.second == total })
        assertEquals(total to total, steps.seen.last())
        // Taking over the best plan.
        for (p in found.best.state.parents) planner.setPlan(p.id, p.months.map { it.kind })
        assertEquals(found.best.state, planner.state())
    }

    /** Ten alternatives: long enough a search that the second report comes before its end. */
    @Test
    fun cancellingStopsTheSearch() = withPlanner("""{"schema": "elternkit.plan-request/1", "alternatives": 10}""") { planner ->
        val token = CancelToken()
        val steps = Steps(token, cancelAt = 2)
        try {
            planner.optimize(token, steps)
            fail("a cancelled search must stop")
        } catch (e: ElternKitException.Cancelled) {
        }
        assertEquals(2, steps.seen.size)
        assertTrue(steps.seen[1].first < steps.seen[1].second)
    }

    @Test
    fun anImpossibleRequestHasNoLegalPlan() {
        val request = """{"schema": "elternkit.plan-request/1",
            "constraints": {"min_household_income": {"monthly": "99999.00", "through": 2}}}"""
        withPlanner(request) { planner ->
            try {
                planner.optimize(CancelToken(), null)
                fail("no plan reaches the minimum")
            } catch (e: ElternKitException.NoLegalPlan) {
            }
        }
    }

    /** A throwing Kotlin listener is a panic inside Rust's search: it must come back as the
     *  typed error, without the listener's message, and the planner must go on. */
    @Test
    fun aPanicInsideTheSearchIsATypedErrorWithoutItsMessage() = withPlanner { planner ->
        val before = planner.state()
        val broken = object : ProgressListener {
            override fun onProgress(done: ULong, total: ULong): Unit =
                throw IllegalStateException("listener bug for Erika Mustermann")
        }
        try {
            planner.optimize(CancelToken(), broken)
            fail("the failure must surface")
        } catch (e: ElternKitException.Internal) {
            assertFalse(e.reason, e.reason.contains("Mustermann"))
            assertFalse(e.toString().contains("Mustermann"))
        }
        assertEquals(before, planner.state())
        assertTrue(planner.optimize(CancelToken(), null).best.state.valid)
    }
}
