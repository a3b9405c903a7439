import ElternKit
import Foundation
import XCTest

/// Records every report; cancels `token` at the `cancelAt`-th.
final class Steps: ProgressListener, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(UInt64, UInt64)] = []
    let token: CancelToken?
    let cancelAt: Int
    init(token: CancelToken? = nil, cancelAt: Int = 0) {
        self.token = token
        self.cancelAt = cancelAt
    }
    var seen: [(UInt64, UInt64)] { lock.withLock { recorded } }
    func onProgress(done: UInt64, total: UInt64) {
        let count = lock.withLock { () -> Int in
            recorded.append((done, total))
            return recorded.count
        }
        if count == cancelAt { token?.cancel() }
    }
}

final class PlannerTests: XCTestCase {
    static let allTests = [
        ("testAnEditChangesTheAmounts", testAnEditChangesTheAmounts),
        ("testAnInvalidPlanHasProblemsWithCitationAndFix", testAnInvalidPlanHasProblemsWithCitationAndFix),
        ("testOptimizeReportsProgressAndFindsAValidPlan", testOptimizeReportsProgressAndFindsAValidPlan),
        ("testCancellingStopsTheSearch", testCancellingStopsTheSearch),
        ("testAnImpossibleRequestHasNoLegalPlan", testAnImpossibleRequestHasNoLegalPlan),
    ]

    func makePlanner(request: String? = nil) throws -> Planner {
        try openApp(tempDir(), MemorySecretStore(), locale: .en).planner(caseJson: demoCase, requestJson: request)
    }

    func euros(_ text: String) -> Decimal { Decimal(string: text) ?? -1 }

    func testAnEditChangesTheAmounts() throws {
        let planner = try makePlanner()
        let before = try planner.state()
        XCTAssertTrue(before.valid)
        XCTAssertEqual(before.parents.map(\.total), ["14530.11", "3292.46"])
        let after = try planner.setRange(parentId: "p2", first: 13, last: 14, kind: .plus)
        let p2 = try XCTUnwrap(after.parents.first { $0.id == "p2" })
        XCTAssertEqual(p2.months[12].kind, .plus)
        XCTAssertNotEqual(p2.months[12].amount, "0.00")
        XCTAssertGreaterThan(euros(after.total), euros(before.total))
        XCTAssertEqual(after.parents[0], before.parents[0])
        XCTAssertEqual(try planner.state(), after)
    }

    func testAnInvalidPlanHasProblemsWithCitationAndFix() throws {
        let planner = try makePlanner()
        let broken = try planner.setRange(parentId: "p2", first: 1, last: 8, kind: .basis)
        XCTAssertFalse(broken.valid)
        XCTAssertFalse(broken.issues.isEmpty)
        XCTAssertTrue(broken.issues.allSatisfy { $0.problem.citation.contains("§ 4") && !$0.problem.text.isEmpty })
        let fixable = try XCTUnwrap(broken.issues.first { !$0.fix.isEmpty })
        let mended = try planner.apply(edits: fixable.fix)
        XCTAssertFalse(mended.issues.contains { $0.problem.code == fixable.problem.code })

        // A refused edit is typed and changes nothing, also when an earlier edit was fine.
        let state = try planner.state()
        let edits = [PlanEdit(parentId: "p2", first: 13, last: 13, kind: .plus),
                     PlanEdit(parentId: "p9", first: 1, last: 1, kind: .basis)]
        XCTAssertThrowsError(try planner.apply(edits: edits)) { error in
            guard case ElternKitError.InvalidArgument(let argument, _) = error else { return XCTFail("got \(error)") }
            XCTAssertEqual(argument, "parent_id")
        }
        XCTAssertEqual(try planner.state(), state)
    }

    func testOptimizeReportsProgressAndFindsAValidPlan() throws {
        let planner = try makePlanner()
        let steps = Steps()
        let found = try planner.optimize(cancel: CancelToken(), progress: steps)
        XCTAssertTrue(found.best.state.valid)
        XCTAssertGreaterThanOrEqual(euros(found.best.state.total), euros(try planner.state().total))
        XCTAssertEqual(found.alternatives.count, 3)
        XCTAssertTrue(found.alternatives.allSatisfy { $0.state.valid && !$0.difference.isEmpty })
        let seen = steps.seen
        XCTAssertGreaterThanOrEqual(seen.count, 2)
        let total = seen[0].1
        XCTAssertTrue(zip(seen, seen.dropFirst()).allSatisfy { $0.0 < $1.0 && $1.1 == total })
        XCTAssertTrue(seen.last! == (total, total))
        // Taking over the best plan.
        for p in found.best.state.parents {
            _ = try planner.setPlan(parentId: p.id, months: p.months.map(\.kind))
        }
        XCTAssertEqual(try planner.state(), found.best.state)
    }

    /// Ten alternatives: long enough a search that the second report comes before its end.
    func testCancellingStopsTheSearch() throws {
        let planner = try makePlanner(request: #"{"schema": "elternkit.plan-request/1", "alternatives": 10}"#)
        let token = CancelToken()
        let steps = Steps(token: token, cancelAt: 2)
        XCTAssertThrowsError(try planner.optimize(cancel: token, progress: steps)) { error in
            guard case ElternKitError.Cancelled = error else { return XCTFail("got \(error)") }
        }
        XCTAssertEqual(steps.seen.count, 2)
        XCTAssertLessThan(steps.seen[1].0, steps.seen[1].1)
    }

    func testAnImpossibleRequestHasNoLegalPlan() throws {
        let request = """
            {"schema": "elternkit.plan-request/1",
             "constraints": {"min_household_income": {"monthly": "99999.00", "through": 2}}}
            """
        XCTAssertThrowsError(try makePlanner(request: request).optimize(cancel: CancelToken(), progress: nil)) { error in
            guard case ElternKitError.NoLegalPlan = error else { return XCTFail("got \(error)") }
        }
    }
}
