package dev.lobster.jvmtests

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import java.io.IOException
import java.net.InetSocketAddress
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference

/**
 * A real HTTP file server on 127.0.0.1 (the JDK's own `HttpServer`) serving [body] at every
 * path, as a model mirror would: `Range: bytes=N-` is answered with `206` and the rest, a range
 * at or past the end with `416`. The next answer to a plain GET can be scripted to fail
 * half-way ([cutNextAt]: the connection closes mid-body) or to stall ([stallNextAt]: the bytes
 * so far, then nothing, the connection open, until [releaseStall]). Every request's path and
 * Range header is recorded.
 */
class DownloadServer(private val body: ByteArray) : AutoCloseable {
    /** One request as received. */
    data class Request(val path: String, val range: String?)

    private sealed interface Plan {
        data object Whole : Plan
        data class Cut(val at: Int) : Plan
        data class Stall(val at: Int) : Plan
    }

    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    // A stalled answer holds its thread; the next request must not wait behind it.
    private val threads: ExecutorService = Executors.newCachedThreadPool { runnable ->
        Thread(runnable, "download-server").apply { isDaemon = true }
    }
    private val next = AtomicReference<Plan>(Plan.Whole)
    private val stall = CountDownLatch(1)

    /** The requests received, in order. */
    val requests: MutableList<Request> = Collections.synchronizedList(mutableListOf())

    /** The base URL to give the store as its mirror. */
    val baseUrl: String get() = "http://127.0.0.1:${server.address.port}/mirror"

    init {
        server.executor = threads
        server.createContext("/") { exchange ->
            try {
                serve(exchange)
            } catch (gone: IOException) {
                // The client went away (a cancelled download): nothing to answer.
            }
            try {
                exchange.close()
            } catch (cut: IOException) {
                // "insufficient bytes written": a cut answer, closed on purpose.
            }
        }
        server.start()
    }

    /** The next plain GET sends the headers of the whole file, [at] bytes, then closes. */
    fun cutNextAt(at: Int) = next.set(Plan.Cut(at))

    /** The next plain GET sends [at] bytes, then nothing until [releaseStall]. */
    fun stallNextAt(at: Int) = next.set(Plan.Stall(at))

    /** Lets a stalled answer end (it then finds its client gone, or closes). */
    fun releaseStall() = stall.countDown()

    private fun serve(exchange: HttpExchange) {
        val range = exchange.requestHeaders.getFirst("Range")
        requests.add(Request(exchange.requestURI.path, range))
        val start = range?.removePrefix("bytes=")?.removeSuffix("-")?.toIntOrNull()
        if (start != null) {
            if (start >= body.size) {
                exchange.responseHeaders.add("Content-Range", "bytes */${body.size}")
                exchange.sendResponseHeaders(416, -1)
                return
            }
            exchange.responseHeaders.add("Content-Range", "bytes $start-${body.size - 1}/${body.size}")
            exchange.sendResponseHeaders(206, (body.size - start).toLong())
            write(exchange, start, body.size)
            return
        }
        val plan = next.getAndSet(Plan.Whole)
        exchange.sendResponseHeaders(200, body.size.toLong())
        when (plan) {
            Plan.Whole -> write(exchange, 0, body.size)
            is Plan.Cut -> {
                write(exchange, 0, plan.at)
                // Fewer bytes than announced: the JDK's server drops the connection on close.
            }
            is Plan.Stall -> {
                write(exchange, 0, plan.at)
                stall.await(60, TimeUnit.SECONDS)
            }
        }
    }

    /** Writes `body[from until to]` in 8 KiB pieces, flushed, as a network would deliver it. */
    private fun write(exchange: HttpExchange, from: Int, to: Int) {
        val out = exchange.responseBody
        var at = from
        while (at < to) {
            val end = minOf(to, at + 8192)
            out.write(body, at, end - at)
            out.flush()
            at = end
        }
    }

    override fun close() {
        releaseStall()
        server.stop(0)
        threads.shutdownNow()
    }
}
