package dev.lobster.android.appactions

import android.app.appfunctions.AppFunctionException
import android.app.appfunctions.ExecuteAppFunctionResponse
import android.app.appsearch.GenericDocument
import android.util.Log
import androidx.annotation.RequiresApi
import dev.lobster.ffi.ActionOutcome
import org.json.JSONArray
import org.json.JSONObject

/**
 * The platform's answer to an app function call as the agent's outcome, the AppFunctions
 * counterpart of [CallReplies]:
 * - a response: its return value (the result document's
 *   [ExecuteAppFunctionResponse.PROPERTY_RETURN_VALUE]) as JSON, `Returned` (a string as its
 *   text, an object or list as JSON); a function that returns nothing `Performed`; a value over
 *   [MAX_RESULT_CHARS] a `Returned` that says so (the function did run);
 * - an [AppFunctionException]: `Rejected("CODE: hint")`, CODE one of the SDK's `ErrorCode`
 *   names, the hint naming the exception's category and code (`request error 1001`); a function
 *   that no longer exists `NoHandler`. The exception's message is free text from the app or the
 *   system, which may quote the user's data: it is not passed on (its length is logged).
 */
@RequiresApi(36)
internal object AppFunctionReplies {
    /** The most characters of a result passed to the planner (the SDK's limit too). */
    const val MAX_RESULT_CHARS: Int = 8_000

    private const val MAX_DEPTH = 8
    private const val TAG = "lobster"

    /** The outcome of [response]; [returnsList]: the function returns a list. */
    fun outcome(response: ExecuteAppFunctionResponse, returnsList: Boolean): ActionOutcome {
        val text = resultText(response.resultDocument, returnsList) ?: return ActionOutcome.Performed
        if (text.length > MAX_RESULT_CHARS) {
            return ActionOutcome.Returned("the function ran; its result (${text.length} characters) is longer than the agent reads ($MAX_RESULT_CHARS)")
        }
        return ActionOutcome.Returned(text)
    }

    /** The return value in [result] as text for the planner, or null when there is none. */
    fun resultText(result: GenericDocument, returnsList: Boolean): String? {
        val values = values(result.getProperty(ExecuteAppFunctionResponse.PROPERTY_RETURN_VALUE), 0)
        if (values.isEmpty() && !returnsList) return null
        val value: Any = if (returnsList || values.size != 1) JSONArray(values) else values[0]
        return value as? String ?: value.toString()
    }

    /** A document as a JSON object of its properties (by name; values of unknown kinds left out). */
    private fun json(document: GenericDocument, depth: Int): JSONObject {
        val json = JSONObject()
        for (name in document.propertyNames.sorted()) {
            val values = values(document.getProperty(name), depth + 1)
            if (values.isEmpty()) continue
            json.put(name, if (values.size == 1) values[0] else JSONArray(values))
        }
        return json
    }

    /** A property's values as JSON values. */
    private fun values(property: Any?, depth: Int): List<Any> = when (property) {
        null -> emptyList()
        is Array<*> -> property.mapNotNull { value ->
            when (value) {
                is String -> value
                is ByteArray -> "(${value.size} bytes)"
                is GenericDocument -> if (depth < MAX_DEPTH) json(value, depth) else "(nested too deep)"
                else -> null // embeddings, blob handles: nothing a planner reads
            }
        }
        is LongArray -> property.toList()
        is DoubleArray -> property.map { if (it.isFinite()) it else it.toString() }
        is BooleanArray -> property.toList()
        else -> emptyList()
    }

    /** The outcome of a call that failed with [error]. */
    fun failure(error: AppFunctionException): ActionOutcome {
        val code = error.errorCode
        Log.w(TAG, "an app function failed: error $code (${error.errorMessage?.length ?: 0}-character message withheld)")
        val where = "${category(error.errorCategory)} error $code"
        return when (code) {
            AppFunctionException.ERROR_DENIED -> ActionOutcome.Rejected("DENIED: the system does not let this agent call the function ($where)")
            AppFunctionException.ERROR_INVALID_ARGUMENT ->
                ActionOutcome.Rejected("INVALID_ARGUMENT: the app refused the arguments ($where); check them against the action's parameters")
            AppFunctionException.ERROR_DISABLED -> ActionOutcome.Rejected("UNAVAILABLE: the app has turned this function off ($where)")
            AppFunctionException.ERROR_FUNCTION_NOT_FOUND -> ActionOutcome.NoHandler
            AppFunctionException.ERROR_SYSTEM_ERROR -> ActionOutcome.Rejected("FAILED: the system could not run the function ($where)")
            AppFunctionException.ERROR_CANCELLED -> ActionOutcome.Rejected("CANCELLED: the call was cancelled ($where)")
            AppFunctionException.ERROR_ENTERPRISE_POLICY_DISALLOWED ->
                ActionOutcome.Rejected("DENIED: the device's work policy does not allow calling app functions ($where)")
            AppFunctionException.ERROR_APP_UNKNOWN_ERROR -> ActionOutcome.Rejected("FAILED: the app's function failed ($where)")
            else -> when (error.errorCategory) {
                AppFunctionException.ERROR_CATEGORY_REQUEST_ERROR -> ActionOutcome.Rejected("FAILED: the system refused the call ($where)")
                AppFunctionException.ERROR_CATEGORY_SYSTEM -> ActionOutcome.Rejected("FAILED: the system could not run the function ($where)")
                AppFunctionException.ERROR_CATEGORY_APP -> ActionOutcome.Rejected("FAILED: the app's function failed ($where)")
                else -> ActionOutcome.Rejected("FAILED: the call failed ($where)")
            }
        }
    }

    private fun category(category: Int): String = when (category) {
        AppFunctionException.ERROR_CATEGORY_REQUEST_ERROR -> "request"
        AppFunctionException.ERROR_CATEGORY_SYSTEM -> "system"
        AppFunctionException.ERROR_CATEGORY_APP -> "app"
        else -> "unknown"
    }
}
