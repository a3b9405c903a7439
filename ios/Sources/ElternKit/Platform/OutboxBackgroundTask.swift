import BackgroundTasks
import Foundation

/// Sends the outbox in the background with BGTaskScheduler.
///
/// A STUB today: `App.processOutbox(cancel:)` does not exist yet (it comes with the outbox,
/// issue 19). The work closure is where it will be called; the expiration handler cancels
/// the `CancelToken`, because Swift task cancellation does not reach the Rust future.
/// Add `de.elternkit.outbox` to `BGTaskSchedulerPermittedIdentifiers` in Info.plist.
public enum OutboxBackgroundTask {
    public static let identifier = "de.elternkit.outbox"

    /// Call once from `application(_:didFinishLaunchingWithOptions:)`.
    public static func register(work: @escaping @Sendable (CancelToken) async -> Bool) {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: identifier, using: nil) { task in
            let token = CancelToken()
            task.expirationHandler = { token.cancel() }
            Task {
                let done = await work(token)
                task.setTaskCompleted(success: done)
                schedule()
            }
        }
    }

    /// Asks iOS to run the task when the network is there.
    public static func schedule() {
        let request = BGProcessingTaskRequest(identifier: identifier)
        request.requiresNetworkConnectivity = true
        try? BGTaskScheduler.shared.submit(request)
    }
}
