package de.elternkit.android

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import de.elternkit.ffi.CancelToken
import de.elternkit.ffi.ElternKitException
import de.elternkit.ffi.SubmissionState
import java.time.Duration
import java.time.Instant
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CancellationException

/**
 * Sends what waits in the outbox when the network is there: one `App.processOutbox` run,
 * which sends every due request, records each reply and fetches the offices' events.
 *
 * WorkManager's stop cancels this coroutine; the [CancelToken] is cancelled as well so the
 * Rust side stops between two requests (a request in flight finishes and is recorded). The
 * next run is scheduled for the earliest time a submission waits for (a backoff or the
 * relay's Retry-After), or for the event poll while a filed submission has no final answer.
 */
class OutboxWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val token = CancelToken()
        val run = try {
            ElternKit.app(applicationContext).processOutbox(token)
        } catch (e: CancellationException) {
            token.cancel()
            throw e
        } catch (e: ElternKitException) {
            // Store and key errors need the app in the foreground (the user decides); the
            // message carries no personal data.
            android.util.Log.w(TAG, "outbox: ${e.message}")
            return Result.failure()
        }
        if (run.cancelled) return Result.retry()
        val now = Instant.now()
        val next = run.submissions.mapNotNull { s ->
            when (val state = s.state) {
                is SubmissionState.Waiting -> Instant.parse(state.until)
                is SubmissionState.Sending -> now
                is SubmissionState.Filed, is SubmissionState.Retrieved,
                is SubmissionState.Accepted, is SubmissionState.InProgress ->
                    now.plus(EVENT_POLL)
                else -> null
            }
        }.minOrNull()
        if (next != null) {
            enqueue(applicationContext, Duration.between(now, next).coerceAtLeast(Duration.ZERO))
        }
        return Result.success()
    }

    companion object {
        private const val TAG = "ElternKit"
        private const val WORK_NAME = "elternkit.outbox"
        /** How often the events of a filed submission are asked for (the sender's own poll). */
        private val EVENT_POLL: Duration = Duration.ofMinutes(15)

        /** Sends now (after `App.submit`) or after [delay], once the network is there. */
        fun enqueue(context: Context, delay: Duration = Duration.ZERO) {
            val request = OneTimeWorkRequestBuilder<OutboxWorker>()
                .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
                .setInitialDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
                .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
                .build()
            // REPLACE: the newest schedule wins (a run that just finished asks for the next).
            WorkManager.getInstance(context).enqueueUniqueWork(WORK_NAME, ExistingWorkPolicy.REPLACE, request)
        }
    }
}
