package dev.lobster.android

import android.os.Build

/** API level checks in one place. */
internal object Platform {
    /** Whether the device runs API [level] or newer. */
    fun atLeast(level: Int): Boolean = Build.VERSION.SDK_INT >= level
}
