import ElternKit
import SwiftUI

/// Enter a case, see the amounts and the checklist, find the best month plan, save it as a
/// draft, submit.
struct ContentView: View {
    @State private var caseJson = Self.demoCase
    @State private var result: CalculationResult?
    @State private var bundle: ApplicationBundle?
    @State private var status = ""
    @State private var draft: DraftMeta?
    @State private var best: OptimizedPlan?
    @State private var search: CancelToken?

    private static let app: ElternKit.App? = {
        let dir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try? ElternKit.App(
            config: AppConfig(databasePath: dir.appendingPathComponent("elternkit.sqlite").path,
                              language: .de, directory: .development),
            secrets: KeychainSecretStore(), clock: SystemClock())
    }()

    private static var demoCase: String {
        guard let url = Foundation.Bundle.main.url(forResource: "demo_case", withExtension: "json"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return "{}" }
        return text
    }

    var body: some View {
        NavigationStack {
            Form {
                Section("elternkit.case/1") {
                    TextEditor(text: $caseJson).font(.system(.footnote, design: .monospaced)).frame(minHeight: 160)
                    HStack {
                        Button("Berechnen") { Task { await calculate() } }
                        Button("Speichern") { Task { await save() } }
                        Button("Senden") { Task { await submit() } }
                    }
                    HStack {
                        Button("Bester Plan") { Task { await optimize() } }
                        // Swift's task cancellation does not reach Rust: the token does.
                        Button("Abbrechen") { search?.cancel() }
                    }
                    if !status.isEmpty { Text(status) }
                }
                if let plan = best?.best.state {
                    Section("Bester Plan: \(plan.total) €") {
                        ForEach(plan.parents, id: \.id) { p in
                            Text("\(p.id): " + p.months.filter { $0.amount != "0.00" }
                                .map { "LM \($0.lebensmonat) \($0.kind)" }.joined(separator: ", "))
                        }
                    }
                }
                ForEach(result?.elterngeld?.parents ?? [], id: \.id) { p in
                    Section("Elterngeld \(p.id): \(p.total) €") {
                        ForEach(p.months, id: \.lebensmonat) { m in
                            Text("Lebensmonat \(m.lebensmonat) (\(m.kind)): \(m.amount) €")
                        }
                    }
                }
                ForEach(bundle?.applications ?? [], id: \.id) { a in
                    Section("\(a.office?.name ?? a.id): \(String(describing: a.status))") {
                        ForEach(a.problems, id: \.path) { Text("! \($0.text)") }
                        ForEach(a.deadlines, id: \.kind) { Text("⏰ \($0.sendBy): \($0.text)") }
                    }
                }
            }
            .navigationTitle("ElternKit")
        }
    }

    /// The library is synchronous for pure work: call it off the main actor.
    private func calculate() async {
        guard let app = Self.app else { status = "Die Bibliothek konnte nicht starten"; return }
        let json = caseJson
        do {
            let (r, b) = try await Task.detached { (try app.calculate(caseJson: json), try app.bundle(caseJson: json)) }.value
            result = r
            bundle = b
            status = ""
        } catch ElternKitError.InvalidCase(let problems) {
            status = problems.map { "\($0.path): \($0.text)" }.joined(separator: "\n")
        } catch {
            status = "\(error)"
        }
    }

    /// The optimizer runs on the calling thread for up to seconds: off the main actor.
    private func optimize() async {
        guard let app = Self.app else { return }
        let json = caseJson
        let token = CancelToken()
        search = token
        let progress = SearchProgress { done, total in
            Task { @MainActor in status = "Suche: \(done) von \(total)" }
        }
        do {
            best = try await Task.detached {
                try app.planner(caseJson: json, requestJson: nil).optimize(cancel: token, progress: progress)
            }.value
            status = ""
        } catch ElternKitError.Cancelled {
            status = "Abgebrochen"
        } catch {
            status = "\(error)"
        }
    }

    /// Seals and queues the saved draft's applications, sends them now, and leaves the rest
    /// (retries, the offices' answers) to the background task.
    private func submit() async {
        guard let app = Self.app else { return }
        guard let id = draft?.id else { status = "Erst speichern"; return }
        do {
            let queued = try await app.submit(draftId: id)
            let run = try await app.processOutbox(cancel: CancelToken())
            OutboxBackgroundTask.schedule(after: OutboxBackgroundTask.nextRun(run))
            status = "\(queued.count) Anträge: " + run.submissions.map { "\($0.state)" }.joined(separator: ", ")
        } catch {
            status = "\(error)"
        }
    }

    private func save() async {
        guard let app = Self.app else { return }
        let input = DraftInput(status: .draft, summary: DraftSummary(title: "Entwurf", benefitKinds: ["elterngeld"], childNames: []), caseJson: caseJson)
        let current = draft
        do {
            draft = try await Task.detached {
                if let d = current { return try app.saveDraft(draftId: d.id, expectedVersion: d.version, draft: input) }
                return try app.createDraft(draft: input)
            }.value
            status = "Gespeichert (Version \(draft?.version ?? 0))"
        } catch {
            status = "\(error)"
        }
    }
}

/// Hands the optimizer's progress to a closure.
final class SearchProgress: ProgressListener, @unchecked Sendable {
    private let report: @Sendable (UInt64, UInt64) -> Void
    init(_ report: @escaping @Sendable (UInt64, UInt64) -> Void) { self.report = report }
    func onProgress(done: UInt64, total: UInt64) { report(done, total) }
}
