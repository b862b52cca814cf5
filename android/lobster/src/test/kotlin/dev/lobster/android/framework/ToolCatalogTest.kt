package dev.lobster.android.framework

import dev.lobster.android.toolcatalog.ToolCatalog
import org.json.JSONObject
import org.junit.Assume.assumeTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import java.io.File
import kotlin.test.assertEquals

/**
 * The Android table of what each tool needs ([ToolCatalog]) says what the Rust catalog says:
 * the same tools in the same order, the same permission, API level and privilege, an app to
 * look for exactly where the catalog names a handler. `bindings/jvm-tests/run` writes the
 * catalog with `lobster tools --json` and passes its path as `lobster.toolCatalog` (under
 * Robolectric for the framework's `org.json`); without it the test is skipped.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class ToolCatalogTest {
    @Test
    fun theAndroidTableFollowsTheRustCatalog() {
        val path = System.getProperty("lobster.toolCatalog")
        assumeTrue("lobster.toolCatalog is not set", path != null)
        val tools = JSONObject(File(path!!).readText()).getJSONArray("tools")
        val rust = (0 until tools.length()).map { tools.getJSONObject(it) }
        assertEquals(rust.map { it.getString("name") }, ToolCatalog.needs.keys.toList())
        for (tool in rust) {
            val name = tool.getString("name")
            val needs = tool.getJSONObject("needs")
            val android = ToolCatalog.needs.getValue(name)
            assertEquals(needs.optString("permission").takeUnless { needs.isNull("permission") }, android.catalogPermission, name)
            assertEquals(needs.getInt("min_api"), android.minApi, name)
            assertEquals(needs.getBoolean("privileged"), android.privileged, name)
            assertEquals(!needs.isNull("handler"), android.handler != null, "$name: a handling app")
        }
    }
}
