package dev.lobster.android.framework

import android.app.Application
import dev.lobster.android.appactions.AppActionDirectory
import dev.lobster.android.appactions.AppFunctionSource
import dev.lobster.ffi.ActionOutcome
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows
import org.robolectric.annotation.Config
import kotlin.test.assertEquals
import kotlin.test.assertNull

/**
 * Below Android 16 there are no app functions: even with the permission granted, the source
 * finds none, answers no call and never asks the platform (whose classes API 35 lacks: this
 * class names none of them, so it loads there).
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class AppFunctionsBelow16Test {
    private val context: Application = RuntimeEnvironment.getApplication()

    @Test
    fun belowAndroid16NothingIsFoundOrAsked() {
        Shadows.shadowOf(context).grantPermissions("android.permission.EXECUTE_APP_FUNCTIONS")
        var asked = 0
        val source = AppFunctionSource(context, 500) { asked++; null }
        assertEquals(emptyList(), source.actions())
        assertNull(source.call("notes.create_note", """{"title":"Milk"}"""))
        val directory = AppActionDirectory(context, functions = source)
        assertEquals(emptyList(), directory.actions())
        assertEquals(ActionOutcome.NoHandler, directory.call("notes.create_note", "{}"))
        assertEquals(0, asked)
        // The phone's own source and the directory's default one load and find nothing.
        assertEquals(emptyList(), AppFunctionSource(context).actions())
        assertEquals(emptyList(), AppActionDirectory(context).actions())
    }
}
