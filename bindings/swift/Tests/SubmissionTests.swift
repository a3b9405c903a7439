import ElternKit
import Foundation
import XCTest

/// Async submission against a real FSP/1 relay on 127.0.0.1, which `cargo xtask test-swift`
/// starts (`elternkit-agency sandbox`) and whose signed development directory it copies
/// beside the tests as `directory.json` and `directory.json.sig`.
final class SubmissionTests: XCTestCase {
    static let allTests = [
        ("testAnAsyncSubmissionIsFiledWithTheRelaysReceipt",
         asyncTest(testAnAsyncSubmissionIsFiledWithTheRelaysReceipt)),
        ("testACancelledTokenStopsBeforeTheFirstRequest",
         asyncTest(testACancelledTokenStopsBeforeTheFirstRequest)),
    ]

    private func sandboxApp() throws -> App {
        let dir = ProcessInfo.processInfo.environment["ELTERNKIT_SANDBOX"] ?? "."
        let json = try String(contentsOfFile: dir + "/directory.json", encoding: .utf8)
        let sig = try String(contentsOfFile: dir + "/directory.json.sig", encoding: .utf8)
        let day = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "Europe/Berlin")!,
                                              formatOptions: [.withFullDate])
        return try App(config: AppConfig(databasePath: tempDir().appendingPathComponent("drafts.sqlite").path,
                                         language: .en,
                                         directory: .developmentSigned(documentJson: json, signature: sig)),
                       secrets: MemorySecretStore(), clock: FixedClock(day))
    }

    /// The demo case with p2's Elternzeit confirmation, so that all three applications are ready.
    private var readyCase: String {
        demoCase.replacingOccurrences(
            of: "\"documents\": [",
            with: "\"documents\": [ {\"id\": \"d-ez-p2\", \"kind\": \"elternzeit_bestaetigung\", \"parent\": \"p2\"},")
    }

    private func readyDraft(_ app: App) throws -> String {
        try app.createDraft(draft: DraftInput(
            status: .ready, summary: DraftSummary(title: "Demo", benefitKinds: [], childNames: []),
            caseJson: readyCase)).id
    }

    func testAnAsyncSubmissionIsFiledWithTheRelaysReceipt() async throws {
        let app = try sandboxApp()
        let draft = try readyDraft(app)
        let queued = try await app.submit(draftId: draft)
        XCTAssertEqual(queued.count, 3)
        do {
            _ = try await app.submit(draftId: draft)
            XCTFail("a second submit must be refused")
        } catch ElternKitError.AlreadySubmitted(_, let ids) {
            XCTAssertEqual(Set(ids), Set(queued.map(\.submissionId)))
        }
        let run = try await app.processOutbox(cancel: CancelToken())
        XCTAssertFalse(run.cancelled)
        XCTAssertEqual(Set(run.submissions.map(\.submissionId)), Set(queued.map(\.submissionId)))
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for s in run.submissions {
            guard case .filed(let receivedAt) = s.state else {
                return XCTFail("\(s.submissionId) not filed: \(s.state)")
            }
            let at = try XCTUnwrap(iso.date(from: receivedAt) ?? ISO8601DateFormatter().date(from: receivedAt))
            XCTAssertLessThan(abs(at.timeIntervalSinceNow), 300)
            XCTAssertTrue(s.events.contains { $0.kind == "submitted" })
        }
        let stored = try await app.submissionStatuses()
        XCTAssertEqual(stored, run.submissions)
    }

    func testACancelledTokenStopsBeforeTheFirstRequest() async throws {
        let app = try sandboxApp()
        _ = try await app.submit(draftId: try readyDraft(app))
        let token = CancelToken()
        token.cancel()
        let run = try await app.processOutbox(cancel: token)
        XCTAssertTrue(run.cancelled)
        XCTAssertEqual(run.requests, 0)
    }
}
