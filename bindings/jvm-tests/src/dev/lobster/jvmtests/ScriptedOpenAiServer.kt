package dev.lobster.jvmtests

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.util.Collections
import java.util.concurrent.ConcurrentLinkedQueue

/**
 * A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol (the JDK's own
 * `HttpServer`): each request is answered with the next scripted action line, as the JSON object
 * the cloud planner asks for. When the script runs out it answers 400, which the planner does not
 * retry. Every request is recorded, so tests can check what left the "phone".
 */
class ScriptedOpenAiServer : AutoCloseable {
    /** One request as received. */
    data class Request(val authorization: String?, val body: String)

    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    private val replies = ConcurrentLinkedQueue<String>()

    /** The requests received, in order. */
    val requests: MutableList<Request> = Collections.synchronizedList(mutableListOf())

    /** The base URL to configure the cloud planner with. */
    val endpoint: String get() = "http://127.0.0.1:${server.address.port}/v1"

    init {
        server.createContext("/v1/chat/completions") { exchange ->
            val body = exchange.requestBody.readBytes().toString(Charsets.UTF_8)
            requests.add(Request(exchange.requestHeaders.getFirst("Authorization"), body))
            val action = replies.poll()
            val (status, response) = if (action == null) {
                400 to """{"error":{"message":"the test script has no more replies"}}"""
            } else {
                200 to completion(action)
            }
            val bytes = response.toByteArray(Charsets.UTF_8)
            exchange.responseHeaders.add("Content-Type", "application/json")
            exchange.sendResponseHeaders(status, bytes.size.toLong())
            exchange.responseBody.use { it.write(bytes) }
        }
        server.start()
    }

    /** Replaces the script: the action lines to answer with, in order; forgets the requests. */
    fun script(lines: List<String>) {
        replies.clear()
        replies.addAll(lines.filter { it.isNotBlank() && !it.trimStart().startsWith("#") })
        requests.clear()
    }

    override fun close() = server.stop(0)

    private fun completion(action: String): String {
        val content = """{"action":${json(action)},"reason":"scripted"}"""
        return """{"id":"jvm-1","object":"chat.completion","model":"scripted",""" +
            """"choices":[{"index":0,"message":{"role":"assistant","content":${json(content)}},"finish_reason":"stop"}],""" +
            """"usage":{"prompt_tokens":120,"completion_tokens":9,"total_tokens":129}}"""
    }

    companion object {
        /** [text] as a JSON string literal. */
        fun json(text: String): String = buildString {
            append('"')
            for (c in text) {
                when {
                    c == '"' -> append("\\\"")
                    c == '\\' -> append("\\\\")
                    c == '\n' -> append("\\n")
                    c < ' ' -> append("\\u%04x".format(c.code))
                    else -> append(c)
                }
            }
            append('"')
        }
    }
}
