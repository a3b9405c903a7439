import XCTest

// Linux has no XCTest discovery outside SwiftPM: the tests are listed here.
XCTMain([testCase(AppTests.allTests), testCase(PlannerTests.allTests), testCase(SubmissionTests.allTests)])
