package dev.lobster.android.framework

import android.app.Notification
import android.app.NotificationManager
import android.content.Intent
import android.os.Looper
import com.sun.net.httpserver.HttpServer
import dev.lobster.android.Lobster
import dev.lobster.android.ModelDownloadService
import dev.lobster.android.Models
import dev.lobster.android.download.DownloadBoard.Status
import dev.lobster.ffi.ModelStoreOptions
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
import java.io.IOException
import java.net.InetSocketAddress
import java.security.MessageDigest
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * The download service under Robolectric with the real Rust store behind it, downloading the
 * generated tiny GGUF from an HTTP server on 127.0.0.1: the foreground state and its progress
 * notification with a Cancel action, the install, the notification's Cancel keeping the part,
 * and the resume. What Robolectric cannot show: the notification drawn by the system UI, the
 * foreground-service type enforced by Android 14+, and a real network.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [35])
class ModelDownloadServiceTest {
    init {
        Lobster.assumeInitialisedForJvmTests()
    }

    private val name = "tiny-test"
    private val context = RuntimeEnvironment.getApplication()
    private val body: ByteArray = File(
        checkNotNull(System.getProperty("lobster.tinyModel")) { "-Dlobster.tinyModel must name the tiny model" },
    ).readBytes()
    private val server = Server(body)

    @Before
    fun setUp() {
        // A library built without the model store (`-Dlobster.modelStore=off`) has nothing to show.
        Assume.assumeTrue("built without the model store", System.getProperty("lobster.modelStore") != "off")
        val sha = MessageDigest.getInstance("SHA-256").digest(body).joinToString("") { "%02x".format(it) }
        Models.options = ModelStoreOptions(
            manifestToml = """
                default = "$name"
                [[model]]
                name = "$name"
                family = "qwen2.5"
                architecture = "qwen2"
                url = "https://huggingface.co/Qwen/Tiny-GGUF/resolve/0123abc/$name.gguf"
                size = ${body.size}
                sha256 = "$sha"
                quant = "q8_0"
                context_length = 32768
                ram_tier = "3gb"
                chat_template = "chatml-qwen2.5"
            """.trimIndent(),
            mirrorUrl = server.base,
            connectTimeoutMs = 5_000,
            readTimeoutMs = 30_000,
        )
        ModelDownloadService.board.forget(name)
    }

    @After
    fun tearDown() {
        server.close()
        Models.options = ModelStoreOptions()
        Models.dir(context).deleteRecursively()
    }

    private fun intent(action: String) =
        Intent(context, ModelDownloadService::class.java).setAction(action).putExtra(ModelDownloadService.EXTRA_NAME, name)

    /** Runs the main looper until [name]'s status passes [test]. */
    private fun await(what: String, test: (Status?) -> Boolean): Status? {
        val deadline = System.currentTimeMillis() + 30_000
        while (System.currentTimeMillis() < deadline) {
            shadowOf(Looper.getMainLooper()).idle()
            val status = ModelDownloadService.board.status(name)
            if (test(status)) return status
            Thread.sleep(5)
        }
        throw AssertionError("never $what: ${ModelDownloadService.board.status(name)}")
    }

    private fun installed() = File(Models.dir(context), "$name.gguf")

    private fun part() = File(Models.dir(context), "$name.gguf.part")

    @Test
    fun aDownloadRunsInTheForegroundWithItsProgressAndInstallsTheModel() {
        val controller = Robolectric.buildService(ModelDownloadService::class.java, intent(ModelDownloadService.ACTION_DOWNLOAD))
            .create().startCommand(0, 1)
        val service = controller.get()
        val ongoing = assertNotNull(shadowOf(service).lastForegroundNotification, "the download is not in the foreground")
        assertEquals("Downloading $name", ongoing.extras.getString(Notification.EXTRA_TITLE))
        assertEquals(100, ongoing.extras.getInt(Notification.EXTRA_PROGRESS_MAX))
        assertTrue(ongoing.flags and Notification.FLAG_ONGOING_EVENT != 0)
        val cancel = ongoing.actions.single()
        assertEquals("Cancel", cancel.title.toString())
        val cancelIntent = shadowOf(cancel.actionIntent)
        assertTrue(cancelIntent.isService)
        assertEquals(ModelDownloadService.ACTION_CANCEL, cancelIntent.savedIntent.action)
        assertEquals(name, cancelIntent.savedIntent.getStringExtra(ModelDownloadService.EXTRA_NAME))

        val done = assertIs<Status.Installed>(await("installed") { it is Status.Installed })
        assertEquals(installed().path, done.path)
        assertTrue(body.contentEquals(installed().readBytes()))
        assertTrue(shadowOf(service).isForegroundStopped, "the service stayed in the foreground")
        assertTrue(shadowOf(service).isStoppedBySelf)
        val notifications = shadowOf(context.getSystemService(NotificationManager::class.java))
        val titles = notifications.allNotifications.map { it.extras.getString(Notification.EXTRA_TITLE) }
        assertTrue("$name is ready" in titles, "no finished notification: $titles")
        controller.destroy()
    }

    @Test
    fun theNotificationsCancelStopsTheDownloadKeepsWhatArrivedAndALaterDownloadResumes() {
        val half = body.size / 2
        server.stallAt = half
        val controller = Robolectric.buildService(ModelDownloadService::class.java, intent(ModelDownloadService.ACTION_DOWNLOAD))
            .create().startCommand(0, 1)
        val service = controller.get()
        await("half-way") { it is Status.Running && it.progress.downloadedBytes >= half }
        val cancel = shadowOf(assertNotNull(shadowOf(service).lastForegroundNotification).actions.single().actionIntent).savedIntent
        service.onStartCommand(cancel, 0, 2)
        val stopped = assertIs<Status.Stopped>(await("stopped") { it is Status.Stopped })
        assertTrue(stopped.cancelled && stopped.resumable, "$stopped")
        assertEquals(half.toLong(), part().length(), "what arrived is kept")
        assertFalse(installed().exists())
        assertTrue(shadowOf(service).isStoppedBySelf)

        server.release()
        service.onStartCommand(intent(ModelDownloadService.ACTION_DOWNLOAD), 0, 3)
        await("installed") { it is Status.Installed }
        assertTrue(body.contentEquals(installed().readBytes()))
        assertEquals(listOf(null, "bytes=$half-"), server.ranges.toList())
        controller.destroy()
    }

    /** A file server on 127.0.0.1 with Range support that can stall once after [stallAt] bytes. */
    private class Server(private val body: ByteArray) : AutoCloseable {
        private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        private val threads = Executors.newCachedThreadPool()
        private val stall = CountDownLatch(1)
        @Volatile var stallAt: Int? = null
        val ranges: MutableList<String?> = Collections.synchronizedList(mutableListOf())
        val base: String get() = "http://127.0.0.1:${server.address.port}"

        init {
            server.executor = threads
            server.createContext("/") { exchange ->
                try {
                    val range = exchange.requestHeaders.getFirst("Range")
                    ranges += range
                    val start = range?.removePrefix("bytes=")?.removeSuffix("-")?.toInt() ?: 0
                    if (range != null) exchange.responseHeaders.add("Content-Range", "bytes $start-${body.size - 1}/${body.size}")
                    exchange.sendResponseHeaders(if (range != null) 206 else 200, (body.size - start).toLong())
                    val stop = stallAt.takeIf { range == null }
                    stallAt = null
                    exchange.responseBody.write(body, start, (stop ?: body.size) - start)
                    exchange.responseBody.flush()
                    if (stop != null) stall.await(60, TimeUnit.SECONDS)
                    exchange.close()
                } catch (gone: IOException) {
                    // The client cancelled.
                }
            }
            server.start()
        }

        fun release() = stall.countDown()

        override fun close() {
            release()
            server.stop(0)
            threads.shutdownNow()
        }
    }
}
