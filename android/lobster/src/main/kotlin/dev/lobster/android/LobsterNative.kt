package dev.lobster.android

import android.content.Context

/**
 * The one JNI entry point of `liblobster_ffi.so`, besides the UniFFI calls that go through JNA.
 *
 * UniFFI's Kotlin loads the library with JNA, which never runs `JNI_OnLoad`. Loading it here
 * with `System.loadLibrary` runs it (the same file, loaded once per process): Rust keeps the
 * `JavaVM` and registers [initPlatform], through which it gets the application context it
 * needs for Android services (the platform TLS verifier of the cloud planner).
 */
internal object LobsterNative {
    init {
        System.loadLibrary("lobster_ffi")
    }

    /** Hands the application context to Rust. Registered by `JNI_OnLoad` (bindings/src/android.rs). */
    @JvmStatic
    external fun initPlatform(context: Context)
}
