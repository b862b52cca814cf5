package dev.lobster.android.framework

import android.app.Application
import android.content.ComponentName
import android.content.ContentProvider
import android.content.ContentValues
import android.content.IntentFilter
import android.content.pm.ProviderInfo
import android.database.Cursor
import android.net.Uri
import android.os.Bundle
import dev.lobster.android.appactions.AppActionDirectory
import dev.lobster.ffi.ActionOutcome
import dev.lobster.sdk.ActionDispatcher
import dev.lobster.sdk.ActionResult
import dev.lobster.sdk.ErrorCode
import dev.lobster.sdk.LobsterProtocol
import dev.lobster.sdk.testing.AppResources
import dev.lobster.sdk.testing.TestPackages
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.android.controller.ContentProviderController
import org.robolectric.annotation.Config
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowPackageManager
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

/**
 * The agent's discovery and calls ([AppActionDirectory]) against apps installed in
 * Robolectric's package manager, each with an SDK-style provider (`<intent-filter>`,
 * `<meta-data>`, a declaration resource) answering what the test scripts: broken and foreign
 * declarations skipped without losing the others, apps removed, every kind of reply mapped,
 * a provider that throws or hangs.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class AppActionDirectoryTest {
    private val context: Application = RuntimeEnvironment.getApplication()
    private val packages: ShadowPackageManager = Shadow.extract(context.packageManager)

    /** A provider that answers each call with [answer] (or throws it, or waits for [release]). */
    class ScriptedProvider : ContentProvider() {
        @Volatile var answer: (String, Bundle?) -> Bundle? = { _, _ -> null }
        val methods = mutableListOf<String>()

        override fun call(method: String, arg: String?, extras: Bundle?): Bundle? {
            synchronized(methods) { methods += method }
            return answer(method, extras)
        }

        override fun onCreate(): Boolean = true
        override fun query(uri: Uri, projection: Array<out String>?, selection: String?, selectionArgs: Array<out String>?, sortOrder: String?): Cursor? = null
        override fun getType(uri: Uri): String? = null
        override fun insert(uri: Uri, values: ContentValues?): Uri? = null
        override fun delete(uri: Uri, selection: String?, selectionArgs: Array<out String>?): Int = 0
        override fun update(uri: Uri, values: ContentValues?, selection: String?, selectionArgs: Array<out String>?): Int = 0
    }

    private fun declaration(app: String, pkg: String, vararg ids: String) = """
        {"app": "$app", "package": "$pkg", "version": 1, "actions": [${ids.joinToString(",") { id ->
            """{"id": "$id", "version": 1, "title": "Do $id", "description": "Does $id.",
               "parameters": {"type": "object"}, "side_effect": "reversible", "confirmation": "never"}"""
        }}]}
    """.trimIndent()

    /** Installs [pkg] with a provider at [authority] whose declaration is [json]. */
    private fun install(pkg: String, uid: Int, authority: String, json: String): ScriptedProvider {
        TestPackages.install(packages, pkg, uid, TestPackages.certificate(pkg))
        val info = ProviderInfo().apply {
            this.authority = authority
            name = ScriptedProvider::class.java.name
            packageName = pkg
            exported = true
            metaData = Bundle().apply { putInt(LobsterProtocol.META_ACTIONS, RAW) }
        }
        packages.addOrUpdateProvider(info)
        packages.addIntentFilterForProvider(ComponentName(pkg, info.name), IntentFilter(LobsterProtocol.DISCOVER_ACTION))
        ShadowPackageManager.resources[pkg] = AppResources(context.resources, raw = mapOf(RAW to json.toByteArray()))
        return ContentProviderController.of(ScriptedProvider()).create(info).get()
    }

    @Test
    fun aBrokenDeclarationIsSkippedAndTheOthersStay() {
        install("com.example.notes", 10_001, "com.example.notes.lobster", declaration("notes", "com.example.notes", "create_note"))
        install("com.example.broken", 10_002, "com.example.broken.lobster", """{"app": "broken", "actions": [{"id": "Bad Id"}]}""")
        install("com.example.liar", 10_003, "com.example.liar.lobster", declaration("bank", "com.example.bank", "pay"))
        val names = AppActionDirectory(context).actions().map { it.name }
        assertEquals(listOf("notes.create_note"), names)
    }

    @Test
    fun aRemovedAppsActionsGoAndItsCallsHaveNoHandler() {
        install("com.example.notes", 10_001, "com.example.notes.lobster", declaration("notes", "com.example.notes", "create_note"))
        val directory = AppActionDirectory(context)
        assertEquals(1, directory.actions().size)
        // As on a phone, the package and its provider go (Robolectric's removePackage keeps
        // the provider's intent filter, which a phone's package manager drops with the package).
        packages.clearIntentFilterForProvider(ComponentName("com.example.notes", ScriptedProvider::class.java.name))
        packages.removePackage("com.example.notes")
        assertEquals(emptyList(), directory.actions())
        assertEquals(ActionOutcome.NoHandler, directory.call("notes.create_note", "{}"))
    }

    @Test
    fun everyReplyMapsToAnOutcome() {
        val provider = install("com.example.notes", 10_001, "com.example.notes.lobster", declaration("notes", "com.example.notes", "a", "b", "c", "d", "e"))
        provider.answer = { method, extras ->
            when (method) {
                "a" -> ActionDispatcher.reply(ActionResult.success("""{"n":1}"""))
                "b" -> ActionDispatcher.reply(ActionResult.done())
                "c" -> ActionDispatcher.reply(ActionResult.error(ErrorCode.UNAVAILABLE, "sign in to the app first"))
                "d" -> null
                else -> throw SecurityException("Permission Denial: ${extras?.getString(LobsterProtocol.EXTRA_ARGS)}")
            }
        }
        val directory = AppActionDirectory(context)
        assertEquals(ActionOutcome.Returned("""{"n":1}"""), directory.call("notes.a", "{}"))
        assertEquals(ActionOutcome.Performed, directory.call("notes.b", "{}"))
        assertEquals(ActionOutcome.Rejected("UNAVAILABLE: sign in to the app first"), directory.call("notes.c", "{}"))
        assertIs<ActionOutcome.Rejected>(directory.call("notes.d", "{}")).also { assertTrue(it.reason.startsWith("UNAVAILABLE: ")) }
        val denied = assertIs<ActionOutcome.Rejected>(directory.call("notes.e", """{"secret":"x"}"""))
        assertTrue(denied.reason.startsWith("DENIED: ") && "secret" !in denied.reason, denied.reason)
        assertEquals(listOf("a", "b", "c", "d", "e"), provider.methods)
    }

    @Test
    fun theArgumentsAndProtocolReachTheApp() {
        val provider = install("com.example.notes", 10_001, "com.example.notes.lobster", declaration("notes", "com.example.notes", "create_note"))
        var seen: Bundle? = null
        provider.answer = { _, extras -> seen = extras; ActionDispatcher.reply(ActionResult.done()) }
        AppActionDirectory(context, timeoutMs = 5_000).call("notes.create_note", """{"title":"Gate"}""")
        val extras = checkNotNull(seen)
        assertEquals("""{"title":"Gate"}""", extras.getString(LobsterProtocol.EXTRA_ARGS))
        assertTrue(extras.getString(LobsterProtocol.EXTRA_CALL_ID).orEmpty().isNotEmpty())
        assertTrue(extras.getLong(LobsterProtocol.EXTRA_TIMEOUT_MS) in 1..5_000)
    }

    @Test
    fun anAppThatDoesNotAnswerInTimeIsAskedToCancel() {
        val provider = install("com.example.slow", 10_004, "com.example.slow.lobster", declaration("slow", "com.example.slow", "wait"))
        val release = CountDownLatch(1)
        provider.answer = { method, _ ->
            if (method == "wait") release.await(10, TimeUnit.SECONDS)
            ActionDispatcher.reply(ActionResult.done())
        }
        try {
            val outcome = assertIs<ActionOutcome.Rejected>(AppActionDirectory(context, timeoutMs = 300).call("slow.wait", "{}"))
            assertTrue(outcome.reason.startsWith("TIMEOUT: "), outcome.reason)
            assertTrue(LobsterProtocol.METHOD_CANCEL in synchronized(provider.methods) { provider.methods.toList() })
        } finally {
            release.countDown()
        }
    }

    private companion object {
        const val RAW = 0x7f0f0002
    }
}
