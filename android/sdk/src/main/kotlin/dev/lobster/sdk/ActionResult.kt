package dev.lobster.sdk

import org.json.JSONArray
import org.json.JSONObject

/**
 * What an action's handler answers: a [Success] with what the planner should know (compact
 * JSON or a few words; nothing when the action only did something), or an [Error] with a
 * typed [ErrorCode] and a hint the planner can act on.
 */
sealed class ActionResult {
    /** Done; [data] is the result for the planner, or null when there is nothing to report. */
    data class Success(val data: String?) : ActionResult()

    /**
     * Not done. [hint] says what the agent could do instead ("no task has this title; call
     * list_tasks to see them"). It goes to the planner and possibly a cloud model: keep the
     * user's data out of it.
     */
    data class Error(val code: ErrorCode, val hint: String) : ActionResult()

    companion object {
        /** Done, nothing to report. */
        @JvmStatic
        fun done(): ActionResult = Success(null)

        /** Done, with a JSON object for the planner. */
        @JvmStatic
        fun success(json: JSONObject): ActionResult = Success(json.toString())

        /** Done, with a JSON array for the planner. */
        @JvmStatic
        fun success(json: JSONArray): ActionResult = Success(json.toString())

        /** Done, with a few words for the planner. */
        @JvmStatic
        fun success(text: String): ActionResult = Success(text)

        /** Not done, with its code and hint. */
        @JvmStatic
        fun error(code: ErrorCode, hint: String): ActionResult = Error(code, hint)
    }
}

/** Why a call was not done. The agent shows the planner `CODE: hint`. */
enum class ErrorCode {
    /** The arguments are wrong (missing, out of range, not a JSON object). */
    INVALID_ARGUMENT,

    /** What the arguments name does not exist (no task with that title). */
    NOT_FOUND,

    /** The app cannot do it now (signed out, offline, busy); later may work. */
    UNAVAILABLE,

    /** This caller may not call the app's actions (not on the allow list), or the user said no. */
    DENIED,

    /** The handler did not answer in time; the action may still complete. */
    TIMEOUT,

    /** The agent cancelled the call. */
    CANCELLED,

    /** The app has no such action, or does not speak the agent's protocol version. */
    UNSUPPORTED,

    /** The handler failed (threw, or answered too much). */
    FAILED,
}
