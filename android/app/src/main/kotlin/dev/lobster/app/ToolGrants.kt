package dev.lobster.app

import android.content.Context

/**
 * The tools and app actions the user allowed once and for all ("ask the first time" tiers):
 * the agent asks before the first call, the confirmation names the tool to remember
 * (`ConfirmationRequest.remember`), and a yes is stored here and handed back in
 * `Policy.grantedTools` for every later task, until the user revokes it in Settings.
 *
 * Kept in the app's private preferences: which tools were allowed is the user's choice about
 * this app, not a secret, and the library itself persists nothing.
 */
class ToolGrants(context: Context) {
    private val prefs = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    /** The remembered tools, sorted. */
    fun granted(): List<String> = prefs.getStringSet(KEY, emptySet()).orEmpty().sorted()

    /** Remembers the user's yes for [tool]. */
    fun remember(tool: String) {
        if (tool.isBlank()) return
        prefs.edit().putStringSet(KEY, granted().toSet() + tool).apply()
    }

    /** Forgets it: the next call asks again. */
    fun revoke(tool: String) {
        prefs.edit().putStringSet(KEY, granted().toSet() - tool).apply()
    }

    private companion object {
        const val PREFS = "lobster-grants"
        const val KEY = "granted"
    }
}
