package de.elternkit.android

import android.content.Context
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters

/**
 * Sends what waits in the outbox when the network is there.
 *
 * A STUB today: `App.processOutbox()` does not exist yet (the outbox and its async
 * submission come with issue 19). Once it does, [doWork] becomes
 * `ElternKit.app(applicationContext).processOutbox(token)` (a suspend call on the App's tokio
 * runtime; WorkManager's stop cancels the coroutine, and the CancelToken covers the rest),
 * returning `Result.retry()` on a retryable network error. Until then it does nothing.
 */
class OutboxWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result = Result.success()

    companion object {
        fun enqueue(context: Context) {
            val request = OneTimeWorkRequestBuilder<OutboxWorker>()
                .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
                .build()
            WorkManager.getInstance(context).enqueueUniqueWork("elternkit.outbox", ExistingWorkPolicy.KEEP, request)
        }
    }
}
