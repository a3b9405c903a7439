import ElternKit
import Foundation
import XCTest

/// Async submission against a real FSP/1 relay on 127.0.0.1, which `cargo xtask test-swift`
/// starts (`elternkit-agency sandbox --offices-every 100`, every office's inbox answering)
/// and whose signed development directory it copies beside the tests as `directory.json`
/// and `directory.json.sig`.
final class SubmissionTests: XCTestCase {
    static let allTests = [
        ("testAnAsyncSubmissionIsFiledAndAcceptedWithTheOfficesCaseNumber",
         asyncTest(testAnAsyncSubmissionIsFiledAndAcceptedWithTheOfficesCaseNumber)),
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

    func testAnAsyncSubmissionIsFiledAndAcceptedWithTheOfficesCaseNumber() async throws {
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
            // The sandbox's offices answer within 100 ms, so the run's own event fetch right
            // after the filing may already see the answer.
            let receivedAt: String
            switch s.state {
            case .filed(let at), .retrieved(let at), .accepted(let at, _): receivedAt = at
            default: return XCTFail("\(s.submissionId) not filed: \(s.state)")
            }
            let at = try XCTUnwrap(iso.date(from: receivedAt) ?? ISO8601DateFormatter().date(from: receivedAt))
            XCTAssertLessThan(abs(at.timeIntervalSinceNow), 300)
            XCTAssertTrue(s.events.contains { $0.kind == "submitted" })
        }

        // Pull to refresh until every office has answered (they poll every 100 ms).
        var statuses = run.submissions
        for _ in 1...20 {
            if statuses.allSatisfy({ if case .accepted = $0.state { true } else { false } }) { break }
            try await Task.sleep(nanoseconds: 250_000_000)
            statuses = try await app.refreshStatuses(cancel: CancelToken()).submissions
        }
        XCTAssertEqual(statuses.count, 3)
        for s in statuses {
            guard case .accepted(_, let aktenzeichen) = s.state, let az = aktenzeichen, !az.isEmpty else {
                return XCTFail("\(s.submissionId) not accepted with a case number: \(s.state)")
            }
            XCTAssertEqual(s.events.filter { $0.kind == "accepted" }.map(\.aktenzeichen), [az])
        }
        // The store says the same without a request.
        let stored = try await app.submissionStatuses()
        XCTAssertEqual(stored, statuses)
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
