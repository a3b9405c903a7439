import ElternKit
import Foundation
import XCTest

/// Secrets in memory, as a Swift app's Keychain store would hand them over.
final class MemorySecretStore: SecretStore, @unchecked Sendable {
    private let lock = NSLock()
    private var secrets: [String: Data] = [:]
    private var counters: [String: UInt64] = [:]
    var locked = false

    func load(name: String) throws -> Data? {
        if locked { throw SecretStoreError.Unavailable(reason: "device locked") }
        return lock.withLock { secrets[name] }
    }
    func store(name: String, secret: Data) throws {
        lock.withLock { secrets[name] = secret }
    }
    func storeIfAbsent(name: String, secret: Data) throws -> Data {
        lock.withLock {
            if let existing = secrets[name] { return existing }
            secrets[name] = secret
            return secret
        }
    }
    func delete(name: String) throws {
        _ = lock.withLock { secrets.removeValue(forKey: name) }
    }
    func keepsCounters() -> Bool { true }
    func counterGet(name: String) throws -> UInt64 {
        lock.withLock { counters[name] ?? 0 }
    }
    func counterRaise(name: String, value: UInt64) throws {
        lock.withLock { counters[name] = max(counters[name] ?? 0, value) }
    }
}

final class FixedClock: PlatformClock, @unchecked Sendable {
    let day: String
    init(_ day: String) { self.day = day }
    func today() -> String { day }
}

final class Recorder: ProgressListener, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var seen: [UInt64] = []
    let cancelAt: UInt64?
    let token: CancelToken?
    init(cancelAt: UInt64? = nil, token: CancelToken? = nil) {
        self.cancelAt = cancelAt
        self.token = token
    }
    func onProgress(done: UInt64, total: UInt64) {
        lock.withLock { seen.append(done) }
        if done == cancelAt { token?.cancel() }
    }
}

let demoCase: String = {
    let path = ProcessInfo.processInfo.environment["ELTERNKIT_DEMO_CASE"] ?? "demo_case.json"
    return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}()

func tempDir() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("elternkit-swift-\(UUID())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func openApp(_ dir: URL, _ secrets: SecretStore, locale: Language = .de) throws -> App {
    try App(config: AppConfig(databasePath: dir.appendingPathComponent("drafts.sqlite").path,
                              language: locale, directory: .development),
            secrets: secrets, clock: FixedClock("2026-12-01"))
}

func input(_ title: String, _ json: String) -> DraftInput {
    DraftInput(status: .draft, summary: DraftSummary(title: title, benefitKinds: ["elterngeld"], childNames: ["Mia"]),
               caseJson: json)
}

final class AppTests: XCTestCase {
    static let allTests = [
        ("testCalculationWithItsExplanation", testCalculationWithItsExplanation),
        ("testBundleOfTheDemo", testBundleOfTheDemo),
        ("testDraftRoundTripWithASwiftSecretStore", testDraftRoundTripWithASwiftSecretStore),
        ("testHandoffBetweenTwoDevices", testHandoffBetweenTwoDevices),
        ("testAnInvalidCaseIsATypedSwiftError", testAnInvalidCaseIsATypedSwiftError),
        ("testAThrowingSecretStoreIsATypedError", testAThrowingSecretStoreIsATypedError),
        ("testRustCallsTheSwiftListenerAndCancellationStopsTheWork",
         testRustCallsTheSwiftListenerAndCancellationStopsTheWork),
        ("testIntegrityCheckIsAsync", asyncTest(testIntegrityCheckIsAsync)),
    ]

    func testCalculationWithItsExplanation() throws {
        XCTAssertFalse(demoCase.isEmpty, "ELTERNKIT_DEMO_CASE not readable")
        let app = try openApp(tempDir(), MemorySecretStore(), locale: .en)
        let result = try app.calculate(caseJson: demoCase)
        let parents = try XCTUnwrap(result.elterngeld).parents
        XCTAssertEqual(parents.map(\.total), ["14530.11", "3292.46"])
        XCTAssertEqual(parents[0].months[1].lebensmonat, 2)
        XCTAssertEqual(parents[0].months[1].amount, "105.92")
        XCTAssertEqual(try XCTUnwrap(result.kindergeld).children.map(\.monthlyAmount), ["259.00", "259.00"])

        let steps = try app.explain(caseJson: demoCase).elterngeld
        XCTAssertFalse(steps.isEmpty)
        XCTAssertTrue(steps.allSatisfy { !$0.citation.isEmpty && !$0.text.isEmpty })
        XCTAssertTrue(steps.contains { $0.citation.contains("BEEG") })
        let german = try openApp(tempDir(), MemorySecretStore(), locale: .de).explain(caseJson: demoCase).elterngeld
        XCTAssertNotEqual(steps[0].text, german[0].text)
    }

    func testBundleOfTheDemo() throws {
        let bundle = try openApp(tempDir(), MemorySecretStore()).bundle(caseJson: demoCase)
        XCTAssertEqual(bundle.evaluationDate, "2026-12-01")
        XCTAssertEqual(bundle.order, ["standesamt", "elterngeldstelle", "familienkasse"])
        XCTAssertEqual(bundle.applications.map(\.status), [.ready, .incomplete, .ready])
        XCTAssertEqual(bundle.applications.map { $0.office?.name },
                       ["Standesamt Bremen-Mitte", "Amt für Soziale Dienste Bremen, Elterngeldstelle",
                        "Bundesagentur für Arbeit, Familienkasse"])
    }

    func testDraftRoundTripWithASwiftSecretStore() throws {
        let dir = tempDir()
        let secrets = MemorySecretStore()
        var id = ""
        do {
            let app = try openApp(dir, secrets)
            let meta = try app.createDraft(draft: input("Mia", demoCase))
            id = meta.id
            XCTAssertEqual(meta.version, 1)
            XCTAssertEqual(try app.saveDraft(draftId: id, expectedVersion: 1, draft: input("Mia 2", demoCase)).version, 2)
            XCTAssertThrowsError(try app.saveDraft(draftId: id, expectedVersion: 1, draft: input("stale", "{}"))) { error in
                guard case ElternKitError.Conflict(_, let expected, let actual) = error else {
                    return XCTFail("expected Conflict, got \(error)")
                }
                XCTAssertEqual([expected, actual], [1, 2])
            }
        }
        // Reopened with the same Swift key store: the draft is there.
        let again = try openApp(dir, secrets)
        let loaded = try again.loadDraft(draftId: id)
        XCTAssertEqual(loaded.summary.title, "Mia 2")
        XCTAssertTrue(loaded.caseJson.contains("elternkit.case/1"))
        XCTAssertEqual(try again.listDrafts().map(\.id), [id])
        // Another device key cannot open it.
        XCTAssertThrowsError(try openApp(dir, MemorySecretStore())) { error in
            guard case ElternKitError.KeyUnavailable = error else { return XCTFail("got \(error)") }
        }
    }

    func testHandoffBetweenTwoDevices() throws {
        let a = try openApp(tempDir(), MemorySecretStore())
        let b = try openApp(tempDir(), MemorySecretStore())
        let meta = try a.createDraft(draft: input("Mia", demoCase))
        let armored = try a.exportDraft(draftId: meta.id, recipients: [b.deviceRecipient()], part: "/parents/1")
        let imported = try b.importDraft(armored: armored, expectedSender: a.deviceRecipient())
        XCTAssertFalse(imported.alreadyImported)
        XCTAssertTrue(try b.loadDraft(draftId: imported.meta.id).caseJson.contains("\"p2\""))
        let c = try openApp(tempDir(), MemorySecretStore())
        XCTAssertThrowsError(try c.importDraft(armored: armored, expectedSender: nil)) { error in
            guard case ElternKitError.HandoffNotForThisDevice = error else { return XCTFail("got \(error)") }
        }
    }

    func testAnInvalidCaseIsATypedSwiftError() throws {
        let app = try openApp(tempDir(), MemorySecretStore(), locale: .en)
        let bad = demoCase.replacingOccurrences(of: "\"class\": \"IV\"", with: "\"class\": \"IX\"")
        XCTAssertThrowsError(try app.calculate(caseJson: bad)) { error in
            guard case ElternKitError.InvalidCase(let problems) = error else { return XCTFail("got \(error)") }
            XCTAssertTrue(problems.contains { $0.path.contains("tax") })
        }
        XCTAssertThrowsError(try app.loadDraft(draftId: "not-an-id")) { error in
            guard case ElternKitError.InvalidArgument(let argument, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(argument, "draft_id")
        }
    }

    func testAThrowingSecretStoreIsATypedError() throws {
        let dir = tempDir()
        let secrets = MemorySecretStore()
        _ = try openApp(dir, secrets)
        secrets.locked = true
        XCTAssertThrowsError(try openApp(dir, secrets)) { error in
            guard case ElternKitError.KeyUnavailable(let reason) = error else { return XCTFail("got \(error)") }
            XCTAssertTrue(reason.contains("device locked"), reason)
        }
    }

    func testRustCallsTheSwiftListenerAndCancellationStopsTheWork() throws {
        let app = try openApp(tempDir(), MemorySecretStore())
        let cases = [demoCase, "{", demoCase, demoCase]
        let recorder = Recorder()
        let results = try app.calculateMany(casesJson: cases, cancel: CancelToken(), progress: recorder)
        XCTAssertEqual(recorder.seen, [1, 2, 3, 4])
        XCTAssertFalse(results[1].problems.isEmpty)
        XCTAssertEqual(results[3].elterngeld?.parents[0].total, "14530.11")

        let token = CancelToken()
        let cancelling = Recorder(cancelAt: 2, token: token)
        XCTAssertThrowsError(try app.calculateMany(casesJson: cases, cancel: token, progress: cancelling)) { error in
            guard case ElternKitError.Cancelled = error else { return XCTFail("got \(error)") }
        }
        XCTAssertEqual(cancelling.seen, [1, 2])
        XCTAssertTrue(token.isCancelled())
    }

    func testIntegrityCheckIsAsync() async throws {
        let app = try openApp(tempDir(), MemorySecretStore())
        _ = try app.createDraft(draft: input("Mia", demoCase))
        try await app.checkIntegrity()
    }
}
