package dev.lobster.sdk

/**
 * The contract between an app's [LobsterActionProvider] and the Lobster agent, in one place:
 * the agent's discovery and caller (`android/lobster`) use these same constants.
 *
 * Discovery: the app's provider carries an `<intent-filter>` with [DISCOVER_ACTION] and a
 * `<meta-data>` [META_ACTIONS] naming its declaration resource (JSON, the format
 * `lobster actions check` validates). The agent finds it with
 * `PackageManager.queryIntentContentProviders` and reads the resource without running the app.
 *
 * A call: `ContentResolver.call(content://AUTHORITY, method = action id, arg = [VERSION],
 * extras = {[EXTRA_ARGS]: JSON object text, [EXTRA_CALL_ID]: id, [EXTRA_TIMEOUT_MS]: ms})`. The
 * reply: [REPLY_STATUS] = [STATUS_OK] with [REPLY_RESULT] (JSON or a few words; absent when
 * there is nothing to report), or [STATUS_ERROR] with [REPLY_CODE] (an [ErrorCode] name) and
 * [REPLY_HINT] (what the agent could do instead; never the user's data). [METHOD_CANCEL] with
 * the same call id cancels a call in flight.
 */
object LobsterProtocol {
    /** The protocol version the agent sends as `arg`. */
    const val VERSION: String = "1"

    /** The intent action on the provider's `<intent-filter>` that makes it discoverable. */
    const val DISCOVER_ACTION: String = "dev.lobster.sdk.ACTIONS"

    /** `<meta-data>` on the provider: `android:resource` = the declaration (a raw JSON resource). */
    const val META_ACTIONS: String = "dev.lobster.sdk.ACTIONS"

    /**
     * `<meta-data>` on the provider: the agents allowed to call, each `package:sha256` (the
     * SHA-256 of the agent's signing certificate, hex, colons allowed), as `android:value`
     * (comma separated) or `android:resource` (a string array).
     */
    const val META_ALLOWED_AGENTS: String = "dev.lobster.sdk.ALLOWED_AGENTS"

    /** The permission the provider requires (`android:permission`); the agent defines and holds it. */
    const val PERMISSION: String = "dev.lobster.permission.CALL_ACTIONS"

    /** The method that cancels a call in flight; extras carry its [EXTRA_CALL_ID]. */
    const val METHOD_CANCEL: String = "dev.lobster.sdk.cancel"

    /** Extras: the arguments, a JSON object's text. */
    const val EXTRA_ARGS: String = "args"

    /** Extras: the call's id, for [METHOD_CANCEL]. */
    const val EXTRA_CALL_ID: String = "call_id"

    /** Extras: how long the agent waits, in milliseconds. */
    const val EXTRA_TIMEOUT_MS: String = "timeout_ms"

    /** Reply: [STATUS_OK] or [STATUS_ERROR]. */
    const val REPLY_STATUS: String = "status"
    const val STATUS_OK: String = "ok"
    const val STATUS_ERROR: String = "error"

    /** Reply: the result for the planner (JSON or a few words). */
    const val REPLY_RESULT: String = "result"

    /** Reply: an [ErrorCode]'s name. */
    const val REPLY_CODE: String = "code"

    /** Reply: the recovery hint. */
    const val REPLY_HINT: String = "hint"

    /** The time a call gets when the agent names none. */
    const val DEFAULT_TIMEOUT_MS: Long = 10_000

    /** The most time a call gets, whatever the agent asks. */
    const val MAX_TIMEOUT_MS: Long = 60_000
}
