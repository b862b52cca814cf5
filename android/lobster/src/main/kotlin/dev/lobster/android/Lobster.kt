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

    /**
     * Marks the library initialised without the JNI call: for the JVM tests, whose host build
     * of the library has no Android entry point (`JNI_OnLoad` is Android-only); UniFFI's calls
     * need no initialisation.
     */
    internal fun assumeInitialisedForJvmTests() {
        initialised = true
    }
}
