package dev.lobster.android.appactions

import android.app.appfunctions.AppFunctionException
import android.app.appfunctions.AppFunctionManager
import android.app.appfunctions.ExecuteAppFunctionRequest
import android.app.appfunctions.ExecuteAppFunctionResponse
import android.app.appsearch.AppSearchManager
import android.app.appsearch.AppSearchResult
import android.app.appsearch.GenericDocument
import android.app.appsearch.GlobalSearchSession
import android.app.appsearch.SearchResult
import android.app.appsearch.SearchSpec
import android.content.Context
import android.os.CancellationSignal
import android.os.OutcomeReceiver
import android.util.Log
import androidx.annotation.RequiresApi
import dev.lobster.ffi.ActionOutcome
import org.json.JSONException
import org.json.JSONObject
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executor
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * The platform's side of app functions (Android 16): the index's documents, read from AppSearch
 * ([index]), and calls through [AppFunctionManager.executeAppFunction] ([call]). The caller
 * ([AppFunctionSource]) has checked the API level and `EXECUTE_APP_FUNCTIONS` first.
 *
 * @param index reads the index's documents, static and runtime; throws when AppSearch fails.
 * @param manager the platform's manager; null on a phone without one (every call `NoHandler`).
 */
@RequiresApi(36)
internal class AppFunctionPlatform(
    private val index: () -> List<GenericDocument>,
    private val manager: AppFunctionManager?,
) {
    /** The index's documents (see [AppFunctionIndex]). */
    fun documents(): List<GenericDocument> = index()

    /**
     * Calls [entry] with the arguments [argsJson] (a JSON object) and waits at most [timeoutMs]
     * for the answer; past it the call's [CancellationSignal] is cancelled (the platform passes
     * that on to the app) and the outcome is `Rejected("TIMEOUT: …")`. Never throws.
     */
    fun call(entry: AppFunctionIndex.Entry, argsJson: String, timeoutMs: Long): ActionOutcome {
        val manager = manager ?: return ActionOutcome.NoHandler
        val parameters = try {
            AppFunctionType.parametersDocument(JSONObject(argsJson.ifBlank { "{}" }), entry.parameters)
        } catch (_: JSONException) {
            return ActionOutcome.Rejected("INVALID_ARGUMENT: the arguments are not a JSON object")
        } catch (error: IllegalArgumentException) {
            return ActionOutcome.Rejected("INVALID_ARGUMENT: ${error.message}")
        }
        val request = ExecuteAppFunctionRequest.Builder(entry.packageName, entry.functionId).setParameters(parameters).build()
        val signal = CancellationSignal()
        val answer = CompletableFuture<ActionOutcome>()
        val receiver = object : OutcomeReceiver<ExecuteAppFunctionResponse, AppFunctionException> {
            override fun onResult(result: ExecuteAppFunctionResponse) {
                answer.complete(
                    try {
                        AppFunctionReplies.outcome(result, entry.returnsList)
                    } catch (error: RuntimeException) {
                        Log.w(TAG, "reading ${entry.info.name}'s answer threw ${error.javaClass.simpleName}")
                        ActionOutcome.Rejected("FAILED: the app's answer does not read")
                    },
                )
            }

            override fun onError(error: AppFunctionException) {
                answer.complete(AppFunctionReplies.failure(error))
            }
        }
        try {
            // The answer is read on the thread that delivers it: this one waits below.
            manager.executeAppFunction(request, DIRECT, signal, receiver)
        } catch (error: SecurityException) {
            Log.w(TAG, "calling ${entry.info.name} was refused: ${error.javaClass.simpleName}")
            return ActionOutcome.Rejected("DENIED: the system does not let this agent call the function")
        } catch (error: RuntimeException) {
            Log.w(TAG, "calling ${entry.info.name} failed to start: ${error.javaClass.simpleName}")
            return ActionOutcome.Rejected("FAILED: the agent could not call the app's function")
        }
        return try {
            answer.get(timeoutMs, TimeUnit.MILLISECONDS)
        } catch (_: TimeoutException) {
            signal.cancel()
            ActionOutcome.Rejected("TIMEOUT: the app did not answer in $timeoutMs ms; the action may still complete, check before calling again")
        } catch (_: InterruptedException) {
            Thread.currentThread().interrupt()
            signal.cancel()
            ActionOutcome.Rejected("CANCELLED: the task was stopped during the call")
        } catch (_: ExecutionException) {
            ActionOutcome.Rejected("FAILED: the call to the app's function failed")
        }
    }

    companion object {
        private const val TAG = "lobster"

        /** How long one AppSearch step (opening the session, one page) may take. */
        private const val INDEX_STEP_TIMEOUT_MS = 5_000L

        /** Documents per page, and the most read (functions, shared types and states together). */
        private const val PAGE_SIZE = 100
        private const val MAX_DOCUMENTS = 5_000

        private val DIRECT = Executor { it.run() }

        /** The phone's platform: AppSearch's global search session and the system's manager. */
        fun of(context: Context): AppFunctionPlatform =
            AppFunctionPlatform({ readIndex(context) }, context.getSystemService(AppFunctionManager::class.java))

        /**
         * Every document the system indexed for app functions that this agent may see (the
         * index is visible to holders of `EXECUTE_APP_FUNCTIONS`): one empty query over the
         * system's two namespaces, page by page.
         */
        private fun readIndex(context: Context): List<GenericDocument> {
            val appSearch = context.getSystemService(AppSearchManager::class.java) ?: return emptyList()
            val opened = CompletableFuture<AppSearchResult<GlobalSearchSession>>()
            appSearch.createGlobalSearchSession(DIRECT) { opened.complete(it) }
            val session = opened.get(INDEX_STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS).value("opening a global search session")
            session.use {
                val spec = SearchSpec.Builder()
                    .addFilterPackageNames(AppFunctionIndex.INDEXER_PACKAGE)
                    .addFilterNamespaces(AppFunctionIndex.STATIC_NAMESPACE, AppFunctionIndex.RUNTIME_NAMESPACE)
                    .setResultCountPerPage(PAGE_SIZE)
                    .build()
                session.search("", spec).use { results ->
                    val documents = ArrayList<GenericDocument>()
                    while (documents.size < MAX_DOCUMENTS) {
                        val next = CompletableFuture<AppSearchResult<List<SearchResult>>>()
                        results.getNextPage(DIRECT) { next.complete(it) }
                        val page = next.get(INDEX_STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS).value("reading a page")
                        if (page.isEmpty()) break
                        page.mapTo(documents) { it.genericDocument }
                    }
                    return documents
                }
            }
        }

        private fun <T> AppSearchResult<T>.value(what: String): T {
            if (!isSuccess) throw IllegalStateException("AppSearch failed $what: result code $resultCode")
            return resultValue ?: throw IllegalStateException("AppSearch answered nothing $what")
        }
    }
}
