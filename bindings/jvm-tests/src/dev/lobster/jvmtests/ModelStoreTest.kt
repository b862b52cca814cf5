package dev.lobster.jvmtests

import dev.lobster.ffi.DownloadListener
import dev.lobster.ffi.DownloadProgress
import dev.lobster.ffi.DownloadedModel
import dev.lobster.ffi.ModelStore
import dev.lobster.ffi.ModelStoreException
import dev.lobster.ffi.ModelStoreOptions
import org.junit.After
import org.junit.Assume
import org.junit.Before
import org.junit.Test
import java.io.File
import java.nio.file.Files
import java.security.MessageDigest
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The model store through the FFI, as the app uses it: the real Rust store downloads from a
 * real HTTP server on 127.0.0.1 ([DownloadServer]) into a temporary directory. The file served
 * is the tiny random-weight Qwen2 GGUF `bindings/jvm-tests/run` generates (a real GGUF with the
 * architecture the manifest names, so every check of a download runs); the manifest is a test
 * manifest naming its size and SHA-256 (computed here), with a Hugging Face-like URL whose host
 * the store's mirror option replaces by the server's.
 */
class ModelStoreTest {
    private val name = "tiny-test"
    private val path = "/Qwen/Tiny-GGUF/resolve/0123abc/tiny-test.gguf"
    private val body: ByteArray by lazy {
        val file = System.getProperty("lobster.tinyModel")?.let(::File)?.takeIf { it.isFile }
            ?: throw IllegalStateException("-Dlobster.tinyModel must name the generated tiny model")
        file.readBytes()
    }
    private lateinit var dir: File
    private lateinit var server: DownloadServer
    private val pool = Executors.newCachedThreadPool()

    /** Whether the library has the model store (`-Dlobster.modelStore=off`: built without it). */
    private val builtIn = System.getProperty("lobster.modelStore") != "off"

    @Before
    fun setUp() {
        dir = Files.createTempDirectory("lobster-store").toFile()
        server = DownloadServer(body)
        if (!builtIn) {
            assertFailsWith<ModelStoreException.Unavailable> { ModelStore(dir.path) }
            Assume.assumeTrue("built without the model store", false)
        }
    }

    @After
    fun tearDown() {
        server.close()
        pool.shutdownNow()
        dir.deleteRecursively()
    }

    private fun sha256(bytes: ByteArray): String =
        MessageDigest.getInstance("SHA-256").digest(bytes).joinToString("") { "%02x".format(it) }

    private fun manifest(sha256: String = sha256(body), size: Long = body.size.toLong()): String = """
        default = "$name"
        [[model]]
        name = "$name"
        family = "qwen2.5"
        architecture = "qwen2"
        url = "https://huggingface.co$path"
        size = $size
        sha256 = "$sha256"
        quant = "q8_0"
        context_length = 32768
        ram_tier = "3gb"
        chat_template = "chatml-qwen2.5"
    """.trimIndent()

    private fun store(manifest: String = manifest(), readTimeoutMs: Long = 30_000): ModelStore =
        ModelStore.withOptions(
            File(dir, "models").path,
            ModelStoreOptions(manifestToml = manifest, mirrorUrl = server.baseUrl, connectTimeoutMs = 5_000, readTimeoutMs = readTimeoutMs),
        )

    /** Records the progress reports; [reached] opens once one reports at least [at] bytes. */
    private class Progress(private val at: Long = Long.MAX_VALUE) : DownloadListener {
        val reports: MutableList<DownloadProgress> = Collections.synchronizedList(mutableListOf())
        val reached = CountDownLatch(1)
        val threads: MutableSet<String> = Collections.synchronizedSet(mutableSetOf())

        override fun onProgress(progress: DownloadProgress) {
            reports.add(progress)
            threads.add(Thread.currentThread().name)
            if (progress.downloadedBytes >= at) reached.countDown()
        }
    }

    private fun installed(): File = File(dir, "models/$name.gguf")

    private fun part(): File = File(dir, "models/$name.gguf.part")

    @Test
    fun aDownloadReportsProgressIsVerifiedAndInstalled() {
        store().use { store ->
            val info = store.models().single()
            assertEquals(name, info.name)
            assertEquals(body.size.toLong(), info.sizeBytes)
            assertEquals("3gb", info.ramTier)
            assertTrue(info.sha256Known)
            assertNull(info.installedPath)

            val progress = Progress()
            val downloaded = store.download(name, progress)
            assertEquals(installed().path, downloaded.path)
            assertTrue(body.contentEquals(installed().readBytes()))
            assertTrue(downloaded.sha256Verified)
            assertFalse(downloaded.alreadyInstalled)
            assertEquals(0L, downloaded.resumedFromBytes)
            assertFalse(part().exists())
            assertEquals(listOf(DownloadServer.Request("/mirror$path", null)), server.requests.toList())

            val seen = progress.reports.map { it.downloadedBytes }
            assertTrue(seen.size >= 3, "too few reports: $seen")
            assertEquals(seen.sorted(), seen, "progress goes forward")
            assertEquals(body.size.toLong(), seen.last())
            assertTrue(progress.reports.all { it.totalBytes == body.size.toLong() })
            assertEquals(setOf(Thread.currentThread().name), progress.threads, "reports come on the caller's thread")

            assertEquals(installed().path, store.models().single().installedPath)
            assertEquals(installed().path, store.installedPath(name))

            // Installed: a second download asks the server nothing.
            val again = store.download(name, Progress())
            assertTrue(again.alreadyInstalled)
            assertEquals(1, server.requests.size)
        }
    }

    @Test
    fun aWrongHashIsRejectedAndNothingIsInstalled() {
        store(manifest(sha256 = "0".repeat(64))).use { store ->
            val error = assertFailsWith<ModelStoreException.Rejected> { store.download(name, Progress()) }
            assertTrue("SHA-256" in error.message.orEmpty(), error.message)
            assertFalse(installed().exists())
            assertFalse(part().exists(), "a rejected download is deleted, not kept for resuming")
            assertNull(store.models().single().installedPath)
            assertFalse(dir.path in error.message.orEmpty(), "no path in the message: ${error.message}")
        }
    }

    @Test
    fun aTransferCutMidBodyResumesWhereItStopped() {
        val half = body.size / 2
        server.cutNextAt(half)
        store().use { store ->
            val error = assertFailsWith<ModelStoreException.Interrupted> { store.download(name, Progress()) }
            assertFalse(server.baseUrl in error.message.orEmpty(), "no URL in the message: ${error.message}")
            assertEquals(half.toLong(), store.models().single().partialBytes)
            assertFalse(installed().exists())

            val progress = Progress()
            val downloaded = store.download(name, progress)
            assertEquals(half.toLong(), downloaded.resumedFromBytes)
            assertTrue(downloaded.sha256Verified, "the hash covers the resumed half too")
            assertTrue(body.contentEquals(installed().readBytes()))
            assertEquals(listOf(null, "bytes=$half-"), server.requests.map { it.range })
            assertEquals(half.toLong(), progress.reports.first().downloadedBytes)
            assertEquals(half.toLong(), progress.reports.first().resumedFromBytes)
            assertEquals(0L, store.models().single().partialBytes)
        }
    }

    @Test
    fun aDownloadCancelledFromAnotherThreadStopsAtOnceAndResumesLater() {
        val half = body.size / 2
        server.stallNextAt(half)
        // Only the cancel can end the stalled download before the 30 s read timeout.
        store(readTimeoutMs = 30_000).use { store ->
            val progress = Progress(at = half.toLong())
            val running: Future<DownloadedModel> = pool.submit<DownloadedModel> { store.download(name, progress) }
            assertTrue(progress.reached.await(20, TimeUnit.SECONDS), "the download never got half-way")
            assertTrue(store.isDownloading(name))
            assertTrue(store.models().single().downloading)
            assertFailsWith<ModelStoreException.Busy> { store.delete(name) }
            assertFailsWith<ModelStoreException.Busy> { store.download(name, Progress()) }

            val cancelledAt = System.nanoTime()
            assertTrue(store.cancel(name))
            val error = assertFailsWith<java.util.concurrent.ExecutionException> { running.get(10, TimeUnit.SECONDS) }
            val millis = (System.nanoTime() - cancelledAt) / 1_000_000
            val cancelled = assertNotNull(error.cause as? ModelStoreException.Cancelled, "got ${error.cause}")
            assertTrue(millis < 5_000, "the cancel took $millis ms")
            assertTrue("cancelled after $half bytes" in cancelled.message.orEmpty(), cancelled.message)
            assertFalse(store.isDownloading(name))
            assertFalse(store.cancel(name), "nothing runs any more")
            assertEquals(half.toLong(), store.models().single().partialBytes)

            server.releaseStall()
            val downloaded = store.download(name, Progress())
            assertEquals(half.toLong(), downloaded.resumedFromBytes)
            assertTrue(body.contentEquals(installed().readBytes()))
            assertEquals(listOf(null, "bytes=$half-"), server.requests.map { it.range })
        }
    }

    @Test
    fun deleteRemovesTheModelAndAnUnfinishedDownload() {
        store().use { store ->
            store.download(name, Progress())
            assertTrue(installed().exists())
            assertTrue(store.delete(name))
            assertFalse(installed().exists())
            assertNull(store.models().single().installedPath)
            assertFalse(store.delete(name), "nothing left to delete")

            server.cutNextAt(body.size / 3)
            assertFailsWith<ModelStoreException.Interrupted> { store.download(name, Progress()) }
            assertTrue(part().exists())
            assertTrue(store.delete(name))
            assertFalse(part().exists())
            assertEquals(0L, store.models().single().partialBytes)
        }
    }

    @Test
    fun aListenerThatThrowsLosesItsReportsButNotTheDownload() {
        store().use { store ->
            val downloaded = store.download(name, object : DownloadListener {
                override fun onProgress(progress: DownloadProgress) = throw IllegalStateException("a broken UI")
            })
            assertTrue(downloaded.sha256Verified)
            assertTrue(body.contentEquals(installed().readBytes()))
        }
    }

    @Test
    fun theDefaultFollowsThePhonesMemory() {
        ModelStore(File(dir, "builtin").path).use { store ->
            val models = store.models()
            assertTrue(models.size >= 5, "the built-in manifest: ${models.map { it.name }}")
            assertNull(store.defaultFor(2L shl 30), "a 2 GB phone reaches no tier")
            val small = assertNotNull(store.defaultFor(2_900_000_000))
            assertTrue(small.isManifestDefault, "a 3 GB phone gets the manifest default, ${small.name}")
            assertEquals("4gb", store.defaultFor(3_700_000_000)?.ramTier)
            // The manifest's choice per tier: the 2B is too slow for a default, so an 8 GB
            // phone gets the 4 GB tier's model.
            assertEquals("qwen3.5-0.8b-q4_0", store.defaultFor(8L shl 30)?.name)
            for (model in models) {
                val chosen = assertNotNull(store.defaultFor(model.minRamBytes), model.name)
                assertTrue(chosen.minRamBytes <= model.minRamBytes, "${chosen.name} needs more than ${model.minRamBytes}")
            }
            assertFailsWith<ModelStoreException.InvalidArgument> { store.defaultFor(-1) }
        }
    }

    @Test
    fun unusableArgumentsAreRefusedNamingTheArgument() {
        assertFailsWith<ModelStoreException.InvalidArgument> { ModelStore("models") }
        val mirror = assertFailsWith<ModelStoreException.InvalidArgument> {
            ModelStore.withOptions(dir.path, ModelStoreOptions(mirrorUrl = "http://example.org"))
        }
        assertTrue("mirror_url" in mirror.message.orEmpty(), mirror.message)
        val timeout = assertFailsWith<ModelStoreException.InvalidArgument> {
            ModelStore.withOptions(dir.path, ModelStoreOptions(readTimeoutMs = Long.MAX_VALUE))
        }
        assertTrue("read_timeout_ms" in timeout.message.orEmpty(), timeout.message)
        store().use { store ->
            assertFailsWith<ModelStoreException.UnknownModel> { store.download("qwen9-100b", Progress()) }
            assertFailsWith<ModelStoreException.InvalidArgument> { store.delete("../../etc/passwd") }
        }
    }
}
