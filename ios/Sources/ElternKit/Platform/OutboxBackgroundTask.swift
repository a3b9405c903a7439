import BackgroundTasks
import Foundation

/// Sends the outbox in the background with BGTaskScheduler: one `App.processOutbox(cancel:)`
/// run, which sends every due request, records each reply and fetches the offices' events.
///
/// The expiration handler cancels the `CancelToken` (Swift task cancellation does not reach
/// the Rust future); the sender stops between two requests and a request in flight is
/// recorded. The next request is scheduled for the earliest time a submission waits for.
/// Add `de.elternkit.outbox` to `BGTaskSchedulerPermittedIdentifiers` in Info.plist.
public enum OutboxBackgroundTask {
    public static let identifier = "de.elternkit.outbox"
    /// How often the events of a filed submission are asked for (the sender's own poll).
    static let eventPoll: TimeInterval = 15 * 60

    /// Call once from `application(_:didFinishLaunchingWithOptions:)`, before it returns.
    public static func register(app: App) {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
            let token = CancelToken()
            let work = Task {
                do {
                    let run = try await app.processOutbox(cancel: token)
                    schedule(after: nextRun(run))
                    task.setTaskCompleted(success: !run.cancelled)
                } catch {
                    // Store and key errors need the app in the foreground; the error's text
                    // carries no personal data.
                    NSLog("ElternKit outbox: %@", String(describing: error))
                    task.setTaskCompleted(success: false)
                }
            }
            task.expirationHandler = {
                token.cancel()
                work.cancel()
            }
        }
    }

    /// The earliest time a submission waits for, `nil` when none is in flight.
    public static func nextRun(_ run: OutboxRun) -> Date? {
        let now = Date()
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return run.submissions.compactMap { s -> Date? in
            switch s.state {
            case .waiting(_, let until, _):
                return iso.date(from: until) ?? ISO8601DateFormatter().date(from: until) ?? now
            case .sending:
                return now
            case .filed, .retrieved, .accepted, .inProgress:
                return now.addingTimeInterval(eventPoll)
            case .needsUser, .rejected, .expired:
                return nil
            }
        }.min()
    }

    /// Asks iOS to run the task when the network is there, not before `after` (now: after
    /// `App.submit`).
    public static func schedule(after: Date? = Date()) {
        guard let after else { return }
        let request = BGProcessingTaskRequest(identifier: identifier)
        request.requiresNetworkConnectivity = true
        request.earliestBeginDate = after
        try? BGTaskScheduler.shared.submit(request)
    }
}
