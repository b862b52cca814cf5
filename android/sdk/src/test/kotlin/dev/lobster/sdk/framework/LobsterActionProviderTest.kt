package dev.lobster.sdk.framework

import android.app.Application
import android.content.pm.ProviderInfo
import android.os.Bundle
import dev.lobster.sdk.ActionResult
import dev.lobster.sdk.AllowedAgent
import dev.lobster.sdk.ErrorCode
import dev.lobster.sdk.LobsterActionProvider
import dev.lobster.sdk.LobsterActions
import dev.lobster.sdk.LobsterProtocol
import dev.lobster.sdk.testing.AppResources
import dev.lobster.sdk.testing.TestPackages
import org.json.JSONObject
import org.junit.After
import org.junit.Before
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.android.controller.ContentProviderController
import org.robolectric.annotation.Config
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowBinder
import org.robolectric.shadows.ShadowContentProvider
import org.robolectric.shadows.ShadowPackageManager
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The SDK's provider under the real framework: a provider of an app ("com.example.app")
 * registered under its authority with its `<meta-data>` in the package manager, called as an
 * agent calls it (`call(action id, protocol version, {args})`) by callers Robolectric's binder
 * names (uid and package), installed with their signing certificates.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class LobsterActionProviderTest {
    private val context: Application = RuntimeEnvironment.getApplication()
    private val packages: ShadowPackageManager = Shadow.extract(context.packageManager)
    private val agentCert = TestPackages.certificate("agent")
    private val runs = AtomicInteger()

    /** The app's provider: echo (a result), fail (a typed error), boom (throws), slow (waits to be cancelled). */
    class EchoProvider : LobsterActionProvider() {
        override fun registerActions(actions: LobsterActions) {
            actions.register("echo") { args, call ->
                ran?.incrementAndGet()
                ActionResult.success(JSONObject().put("said", args.optString("text")).put("caller", call.callerPackage))
            }
            actions.register("nothing") { _, _ -> ActionResult.done() }
            actions.register("fail") { _, _ -> ActionResult.error(ErrorCode.NOT_FOUND, "no such thing; list them first") }
            actions.register("boom") { _, _ -> throw IllegalStateException("secret user data") }
            actions.register("slow") { _, call ->
                started?.countDown()
                while (!call.isCancelled) Thread.sleep(5)
                stoppedBySignal = true
                ActionResult.done()
            }
        }

        companion object {
            @Volatile var ran: AtomicInteger? = null
            @Volatile var started: CountDownLatch? = null
            @Volatile var stoppedBySignal = false
        }
    }

    private lateinit var provider: EchoProvider

    private fun setUp(allowed: Bundle.() -> Unit) {
        TestPackages.install(packages, APP, APP_UID, TestPackages.certificate("app"))
        val info = ProviderInfo().apply {
            authority = AUTHORITY
            name = EchoProvider::class.java.name
            packageName = APP
            exported = true
            metaData = Bundle().apply(allowed)
        }
        packages.addOrUpdateProvider(info)
        provider = ContentProviderController.of(EchoProvider()).create(info).get()
    }

    @Before
    fun counters() {
        EchoProvider.ran = runs
        EchoProvider.stoppedBySignal = false
    }

    @After
    fun binder() {
        ShadowBinder.reset()
    }

    private fun allowAgent() = setUp { putString(LobsterProtocol.META_ALLOWED_AGENTS, "$AGENT:${TestPackages.digest(agentCert)}") }

    /** A call from the package installed as [uid], optionally naming [callingPackage]. */
    private fun call(method: String, args: String? = "{}", uid: Int = AGENT_UID, callingPackage: String? = null, version: String = LobsterProtocol.VERSION, extras: Bundle.() -> Unit = {}): Bundle {
        ShadowBinder.setCallingUid(uid)
        Shadow.extract<ShadowContentProvider>(provider).setCallingPackage(callingPackage)
        val bundle = Bundle().apply {
            args?.let { putString(LobsterProtocol.EXTRA_ARGS, it) }
            extras()
        }
        return provider.call(method, version, bundle)
    }

    private fun Bundle.status() = getString(LobsterProtocol.REPLY_STATUS)
    private fun Bundle.code() = getString(LobsterProtocol.REPLY_CODE)

    @Test
    fun anAllowedAgentsCallRunsTheHandlerAndGetsItsResult() {
        allowAgent()
        TestPackages.install(packages, AGENT, AGENT_UID, agentCert)
        val reply = call("echo", """{"text":"hi"}""", callingPackage = AGENT)
        assertEquals(LobsterProtocol.STATUS_OK, reply.status())
        assertEquals("""{"said":"hi","caller":"$AGENT"}""", reply.getString(LobsterProtocol.REPLY_RESULT))
        assertEquals(1, runs.get())
        // Without a calling package the uid's package is the caller.
        assertEquals(LobsterProtocol.STATUS_OK, call("echo", """{"text":"again"}""").status())
        val done = call("nothing")
        assertEquals(LobsterProtocol.STATUS_OK, done.status())
        assertNull(done.getString(LobsterProtocol.REPLY_RESULT), "an action with nothing to report has no result")
    }

    @Test
    fun aTypedErrorComesBackWithItsCodeAndHint() {
        allowAgent()
        TestPackages.install(packages, AGENT, AGENT_UID, agentCert)
        val reply = call("fail")
        assertEquals(LobsterProtocol.STATUS_ERROR, reply.status())
        assertEquals("NOT_FOUND", reply.code())
        assertEquals("no such thing; list them first", reply.getString(LobsterProtocol.REPLY_HINT))
        val boom = call("boom")
        assertEquals("FAILED", boom.code())
        assertFalse("secret" in boom.getString(LobsterProtocol.REPLY_HINT).orEmpty(), "an exception's message left the app")
    }

    @Test
    fun aCallerNotOnTheListIsDeniedAndNoHandlerRuns() {
        allowAgent()
        TestPackages.install(packages, OTHER, OTHER_UID, TestPackages.certificate("other"))
        val reply = call("echo", uid = OTHER_UID, callingPackage = OTHER)
        assertEquals(LobsterProtocol.STATUS_ERROR, reply.status())
        assertEquals(ErrorCode.DENIED.name, reply.code())
        assertEquals(0, runs.get())
    }

    @Test
    fun theListedPackageSignedWithAnotherCertificateIsDenied() {
        allowAgent()
        // A look-alike: the agent's package name, someone else's key.
        TestPackages.install(packages, AGENT, AGENT_UID, TestPackages.certificate("impostor"))
        assertEquals(ErrorCode.DENIED.name, call("echo", callingPackage = AGENT).code())
        assertEquals(ErrorCode.DENIED.name, call("echo").code())
        assertEquals(0, runs.get())
    }

    @Test
    fun aCallingPackageThatIsNotTheCallersUidsIsDenied() {
        allowAgent()
        TestPackages.install(packages, AGENT, AGENT_UID, agentCert)
        TestPackages.install(packages, OTHER, OTHER_UID, TestPackages.certificate("other"))
        assertEquals(ErrorCode.DENIED.name, call("echo", uid = OTHER_UID, callingPackage = AGENT).code())
        assertEquals(0, runs.get())
    }

    @Test
    fun anEmptyOrMissingAllowListRefusesEveryone() {
        setUp { }
        TestPackages.install(packages, AGENT, AGENT_UID, agentCert)
        assertEquals(ErrorCode.DENIED.name, call("echo").code())
        assertEquals(0, runs.get())
    }

    @Test
    fun theAllowListMayBeAStringArrayResource() {
        setUp { putInt(LobsterProtocol.META_ALLOWED_AGENTS, ARRAY_ID) }
        ShadowPackageManager.resources[APP] = AppResources(
            context.resources,
            arrays = mapOf(ARRAY_ID to arrayOf("not an entry", "$AGENT:${TestPackages.digest(agentCert).uppercase().chunked(2).joinToString(":")}")),
        )
        TestPackages.install(packages, AGENT, AGENT_UID, agentCert)
        assertEquals(LobsterProtocol.STATUS_OK, call("echo").status())
    }

    @Test
    fun unknownActionsVersionsAndArgumentsAreTypedErrors() {
        allowAgent()
        TestPackages.install(packages, AGENT, AGENT_UID, agentCert)
        assertEquals(ErrorCode.UNSUPPORTED.name, call("teleport").code())
        assertEquals(ErrorCode.UNSUPPORTED.name, call("echo", version = "2").code())
        assertEquals(ErrorCode.INVALID_ARGUMENT.name, call("echo", args = "[1, 2]").code())
        assertEquals(0, runs.get())
    }

    @Test
    fun aHandlerPastTheTimeIsTimedOutAndItsSignalCancelled() {
        allowAgent()
        TestPackages.install(packages, AGENT, AGENT_UID, agentCert)
        val started = System.nanoTime()
        val reply = call("slow") { putLong(LobsterProtocol.EXTRA_TIMEOUT_MS, 200) }
        val tookMs = (System.nanoTime() - started) / 1_000_000
        assertEquals(ErrorCode.TIMEOUT.name, reply.code())
        assertTrue(tookMs in 200..5_000, "took $tookMs ms")
        waitFor { EchoProvider.stoppedBySignal }
    }

    @Test
    fun theAgentCancelsACallInFlight() {
        allowAgent()
        TestPackages.install(packages, AGENT, AGENT_UID, agentCert)
        val started = CountDownLatch(1)
        EchoProvider.started = started
        val pool = Executors.newSingleThreadExecutor()
        try {
            val reply = pool.submit<Bundle> { call("slow") { putString(LobsterProtocol.EXTRA_CALL_ID, "call-1") } }
            assertTrue(started.await(5, TimeUnit.SECONDS))
            // Another app may not cancel it.
            TestPackages.install(packages, OTHER, OTHER_UID, TestPackages.certificate("other"))
            assertEquals(ErrorCode.DENIED.name, call(LobsterProtocol.METHOD_CANCEL, uid = OTHER_UID) { putString(LobsterProtocol.EXTRA_CALL_ID, "call-1") }.code())
            assertFalse(reply.isDone)
            val cancel = call(LobsterProtocol.METHOD_CANCEL) { putString(LobsterProtocol.EXTRA_CALL_ID, "call-1") }
            assertEquals(LobsterProtocol.STATUS_OK, cancel.status())
            assertEquals(ErrorCode.CANCELLED.name, reply.get(5, TimeUnit.SECONDS).code())
            waitFor { EchoProvider.stoppedBySignal }
        } finally {
            EchoProvider.started = null
            pool.shutdownNow()
        }
    }

    @Test
    fun allowListEntriesRead() {
        val digest = "a".repeat(64)
        assertEquals(AllowedAgent("dev.lobster.app", digest), AllowedAgent.parse(" dev.lobster.app:${digest.uppercase()} "))
        assertEquals(AllowedAgent("dev.lobster.app", digest), AllowedAgent.parse("dev.lobster.app:" + digest.chunked(2).joinToString(":")))
        assertNull(AllowedAgent.parse("dev.lobster.app"))
        assertNull(AllowedAgent.parse("dev.lobster.app:abc"))
        assertNull(AllowedAgent.parse("notapackage:$digest"))
        assertEquals(2, AllowedAgent.parseList("a.b:$digest, c.d:$digest").filterNotNull().size)
    }

    private fun waitFor(condition: () -> Boolean) {
        val deadline = System.currentTimeMillis() + 5_000
        while (!condition() && System.currentTimeMillis() < deadline) Thread.sleep(5)
        assertTrue(condition(), "the handler was not stopped")
    }

    private companion object {
        const val APP = "com.example.app"
        const val APP_UID = 10_100
        const val AUTHORITY = "com.example.app.lobster"
        const val AGENT = "dev.lobster.app"
        const val AGENT_UID = 10_200
        const val OTHER = "com.example.other"
        const val OTHER_UID = 10_300
        const val ARRAY_ID = 0x7f030001
    }
}
