package dev.lobster.android

import android.content.Context

/**
 * Process-wide setup of the Lobster library. Call [init] once, e.g. in `Application.onCreate`,
 * before building an `Agent`.
 */
object Lobster {
    @Volatile private var initialised = false

    /** Loads the native library and gives Rust the application context. Idempotent. */
    @JvmStatic
    fun init(context: Context) {
        if (initialised) return
        synchronized(this) {
            if (initialised) return
            LobsterNative.initPlatform(context.applicationContext)
            initialised = true
        }
    }
}
