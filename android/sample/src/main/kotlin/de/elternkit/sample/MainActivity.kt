package de.elternkit.sample

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import de.elternkit.android.ElternKit
import de.elternkit.android.OutboxWorker
import de.elternkit.ffi.App
import de.elternkit.ffi.ApplicationBundle
import de.elternkit.ffi.CalculationResult
import de.elternkit.ffi.CancelToken
import de.elternkit.ffi.DraftInput
import de.elternkit.ffi.DraftStatus
import de.elternkit.ffi.DraftSummary
import de.elternkit.ffi.ElternKitException
import de.elternkit.ffi.OptimizedPlan
import de.elternkit.ffi.ProgressListener
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/** Enter a case, see the amounts and the checklist, find the best month plan, save it as a
 *  draft, submit. */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val demo = assets.open("demo_case.json").bufferedReader().readText()
        val app = ElternKit.app(applicationContext)
        setContent { MaterialTheme { CaseScreen(app, demo) } }
    }

    @Composable
    private fun CaseScreen(app: App, initial: String) {
        var case by remember { mutableStateOf(initial) }
        var result by remember { mutableStateOf<CalculationResult?>(null) }
        var bundle by remember { mutableStateOf<ApplicationBundle?>(null) }
        var status by remember { mutableStateOf("") }
        var draftId by remember { mutableStateOf<String?>(null) }
        var version by remember { mutableStateOf(0uL) }
        var best by remember { mutableStateOf<OptimizedPlan?>(null) }
        var search by remember { mutableStateOf<CancelToken?>(null) }
        val scope = rememberCoroutineScope()

        // Every call leaves the main thread; the library is synchronous for pure work.
        fun run(block: suspend () -> Unit) = scope.launch {
            try {
                withContext(Dispatchers.Default) { block() }
            } catch (e: ElternKitException.Cancelled) {
                status = "Abgebrochen"
            } catch (e: ElternKitException.InvalidCase) {
                status = e.problems.joinToString("\n") { "${it.path}: ${it.text}" }
            } catch (e: ElternKitException) {
                status = e.toString()
            }
        }

        Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
            OutlinedTextField(case, { case = it }, Modifier.fillMaxWidth(), label = { Text("elternkit.case/1") }, minLines = 6, maxLines = 12)
            Row {
                Button({ run { result = app.calculate(case); bundle = app.bundle(case); status = "" } }) { Text("Berechnen") }
                Button({
                    run {
                        val input = DraftInput(DraftStatus.DRAFT, DraftSummary("Entwurf", listOf("elterngeld", "kindergeld"), emptyList()), case)
                        val meta = draftId?.let { app.saveDraft(it, version, input) } ?: app.createDraft(input)
                        draftId = meta.id
                        version = meta.version
                        status = "Gespeichert (Version ${meta.version})"
                    }
                }) { Text("Speichern") }
                // Seals and queues the saved draft's applications, then sends them now.
                Button({
                    run {
                        val id = draftId
                        if (id == null) {
                            status = "Erst speichern"
                            return@run
                        }
                        val queued = app.submit(id)
                        val sent = app.processOutbox(CancelToken())
                        OutboxWorker.enqueue(applicationContext, java.time.Duration.ofMinutes(15))
                        status = "${queued.size} Anträge: " + sent.submissions.joinToString { it.state.toString() }
                    }
                }) { Text("Senden") }
            }
            Row {
                // The search runs on the calling thread; the token stops it, the listener
                // reports on that thread (hence the hop back to the main thread).
                Button({
                    val token = CancelToken().also { search = it }
                    val progress = object : ProgressListener {
                        override fun onProgress(done: ULong, total: ULong) {
                            scope.launch { status = "Suche: $done von $total" }
                        }
                    }
                    run {
                        app.planner(case, null).use { best = it.optimize(token, progress) }
                        status = ""
                    }
                }) { Text("Bester Plan") }
                Button({ search?.cancel() }) { Text("Abbrechen") }
            }
            if (status.isNotEmpty()) Text(status)
            best?.best?.state?.let { plan ->
                Text("Bester Plan: ${plan.total} € gesamt", style = MaterialTheme.typography.titleMedium)
                plan.parents.forEach { p ->
                    val months = p.months.filter { it.amount != "0.00" }
                    Text("  ${p.id}: " + months.joinToString { "LM ${it.lebensmonat} ${it.kind}" })
                }
            }
            result?.elterngeld?.parents?.forEach { p ->
                Text("Elterngeld ${p.id}: ${p.total} € gesamt", style = MaterialTheme.typography.titleMedium)
                p.months.forEach { m -> Text("  Lebensmonat ${m.lebensmonat} (${m.kind}): ${m.amount} €") }
            }
            result?.kindergeld?.children?.forEach { c -> Text("Kindergeld ${c.birthDate}: ${c.monthlyAmount} € monatlich") }
            bundle?.applications?.forEach { a ->
                Text("${a.office?.name ?: a.id}: ${a.status}", style = MaterialTheme.typography.titleMedium)
                a.problems.forEach { Text("  ! ${it.text}") }
                a.documents.filter { it.status == "missing" }.forEach { Text("  □ ${it.reason}") }
                a.deadlines.forEach { Text("  ⏰ ${it.sendBy}: ${it.text}") }
            }
        }
    }
}
