package dev.lobster.app.framework

import android.app.ActivityManager
import android.view.View
import android.view.ViewGroup
import android.widget.Button
import android.widget.TextView
import dev.lobster.android.Lobster
import dev.lobster.android.ModelDownloadService
import dev.lobster.android.Models
import dev.lobster.android.download.DownloadText
import dev.lobster.app.AssistantSettings
import dev.lobster.app.SettingsActivity
import dev.lobster.app.ToolGrants
import dev.lobster.ffi.PlannerConfig
import org.junit.After
import org.junit.Assume
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The settings screen's model list under Robolectric, over the real Rust model store with the
 * built-in manifest: every model with its size and RAM tier, the default picked by the memory
 * `ActivityManager` reports, download and cancel handed to the download service, choosing,
 * saving and deleting an installed model. The downloads themselves are `ModelDownloadServiceTest`'s.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class SettingsActivityTest {
    init {
        Lobster.assumeInitialisedForJvmTests()
    }

    private val app = RuntimeEnvironment.getApplication()
    private val builtIn by lazy { Models.store(app).use { it.models() } }
    private val manifestDefault by lazy { builtIn.single { it.isManifestDefault } }

    @Before
    fun needsTheModelStore() {
        // A library built without the model store (`-Dlobster.modelStore=off`) has nothing to show.
        Assume.assumeTrue("built without the model store", System.getProperty("lobster.modelStore") != "off")
    }

    @After
    fun tearDown() {
        Models.dir(app).deleteRecursively()
        if (System.getProperty("lobster.modelStore") == "off") return
        builtIn.forEach { ModelDownloadService.board.forget(it.name) }
    }

    private fun phoneWithMemory(bytes: Long) {
        val activities = app.getSystemService(ActivityManager::class.java)
        shadowOf(activities).setMemoryInfo(ActivityManager.MemoryInfo().apply { totalMem = bytes })
    }

    private fun open(): SettingsActivity = Robolectric.buildActivity(SettingsActivity::class.java).setup().get()

    private fun View.texts(): List<String> = when (this) {
        is Button -> emptyList()
        is TextView -> listOf(text.toString())
        is ViewGroup -> (0 until childCount).flatMap { getChildAt(it).texts() }
        else -> emptyList()
    }

    private fun View.button(label: String): Button? = when (this) {
        is Button -> takeIf { text.toString() == label }
        is ViewGroup -> (0 until childCount).firstNotNullOfOrNull { getChildAt(it).button(label) }
        else -> null
    }

    private fun View.buttonLabels(): List<String> = when (this) {
        is Button -> listOf(text.toString())
        is ViewGroup -> (0 until childCount).flatMap { getChildAt(it).buttonLabels() }
        else -> emptyList()
    }

    private fun SettingsActivity.row(name: String) = assertNotNull(rowOf(name), "no row for $name")

    @Test
    fun everyModelIsListedWithItsSizeAndTierAndTheDefaultFollowsTheMemory() {
        phoneWithMemory(3_700_000_000)
        val activity = open()
        for (model in builtIn) {
            val text = activity.row(model.name).texts().joinToString("\n")
            assertTrue(DownloadText.bytes(assertNotNull(model.sizeBytes)) in text, text)
            assertTrue(model.ramTier.uppercase().replace("GB", " GB") + " RAM" in text, text)
            assertTrue("Not downloaded" in text, text)
        }
        val recommended = builtIn.single { it.name == activity.recommended }
        assertEquals("4gb", recommended.ramTier, "a phone reporting 3.7 GB is a 4 GB phone")
        assertEquals(recommended.name, activity.chosen, "nothing saved: the recommended model is chosen")
        assertTrue("recommended for this phone" in activity.row(recommended.name).texts().first())

        phoneWithMemory(2_900_000_000)
        assertEquals(manifestDefault.name, open().recommended, "a 3 GB phone gets the manifest's default")
        phoneWithMemory(2L shl 30)
        assertNull(open().recommended, "a 2 GB phone gets no on-device model")
    }

    @Test
    fun downloadAndCancelGoToTheDownloadService() {
        phoneWithMemory(2_900_000_000)
        val activity = open()
        assertNotNull(activity.row(manifestDefault.name).button("Download")).performClick()
        val started = assertNotNull(shadowOf(app).nextStartedService)
        assertEquals(ModelDownloadService::class.java.name, started.component?.className)
        assertEquals(ModelDownloadService.ACTION_DOWNLOAD, started.action)
        assertEquals(manifestDefault.name, started.getStringExtra(ModelDownloadService.EXTRA_NAME))

        shadowOf(android.os.Looper.getMainLooper()).idle()
        val cancel = assertNotNull(activity.row(manifestDefault.name).button("Cancel"), "the queued download cannot be cancelled")
        assertFalse(activity.row(manifestDefault.name).button("Delete")!!.isEnabled, "deleting a running download")
        cancel.performClick()
        val cancelled = assertNotNull(shadowOf(app).nextStartedService)
        assertEquals(ModelDownloadService.ACTION_CANCEL, cancelled.action)
        assertEquals(manifestDefault.name, cancelled.getStringExtra(ModelDownloadService.EXTRA_NAME))
    }

    @Test
    fun anInstalledModelIsChosenSavedAndDeleted() {
        phoneWithMemory(2_900_000_000)
        val other = builtIn.first { !it.isManifestDefault }
        val file = File(Models.dir(app), "${other.name}.gguf").apply {
            parentFile!!.mkdirs()
            writeText("a model")
        }
        File(Models.dir(app), "${manifestDefault.name}.gguf.part").writeBytes(ByteArray(1_234_567))
        val activity = open()
        assertTrue("Downloaded" in activity.row(other.name).texts(), "${activity.row(other.name).texts()}")
        assertTrue(activity.row(manifestDefault.name).texts().any { it.startsWith("Paused at 1.2 MB") })
        assertNotNull(activity.row(manifestDefault.name).button("Resume"))

        activity.row(other.name).button("Use")!!.performClick()
        assertEquals(other.name, activity.chosen)
        assertFalse(activity.row(other.name).button("Use")!!.isEnabled)
        activity.window.decorView.button("Save")!!.performClick()
        val saved = AssistantSettings.load(app)
        assertEquals(other.name, saved.modelName)
        assertEquals(file.path, saved.modelPath(app))

        open().row(other.name).button("Delete")!!.performClick()
        assertFalse(file.exists())
        assertNull(AssistantSettings.load(app).modelPath(app), "a deleted model has no file to load")
    }

    @Test
    fun theRememberedToolsAreListedAndRevokedAndWhatCouldBeGrantedIsOffered() {
        val grants = ToolGrants(app)
        grants.remember("find_contact")
        grants.remember("contacts.find_contact")
        val screen = open()
        val root = screen.window.decorView
        assertNotNull(root.button("Revoke find_contact"))
        assertNotNull(root.button("Revoke contacts.find_contact"))
        // Contacts are not granted to the app under test: the screen offers to grant them.
        val labels = root.buttonLabels()
        assertTrue(labels.any { it.startsWith("Grant ") && it.contains("tool") }, "$labels")
        root.button("Revoke find_contact")!!.performClick()
        assertEquals(listOf("contacts.find_contact"), grants.granted())
        assertNull(root.button("Revoke find_contact"))
        // The next task is configured with what is left.
        val config = AssistantSettings().toConfig("/models/x.gguf", grants.granted())
        assertEquals(listOf("contacts.find_contact"), config.policy.grantedTools)
        val unknown = (config.planner as PlannerConfig.Local).local
        assertNull(unknown.deviceRamBytes)
        assertNull(unknown.promptCacheDir)
        // The phone's memory and the prompt cache go to the on-device model's settings.
        val sized = AssistantSettings().toConfig("/models/x.gguf", deviceRamBytes = 3L shl 30, promptCacheDir = "/cache/p")
        val local = (sized.planner as PlannerConfig.Local).local
        assertEquals(3L shl 30, local.deviceRamBytes)
        assertEquals("/cache/p", local.promptCacheDir)
        grants.revoke("contacts.find_contact")
    }
}
