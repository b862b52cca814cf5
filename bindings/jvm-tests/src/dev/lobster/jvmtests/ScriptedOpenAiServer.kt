package dev.lobster.jvmtests

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.util.Collections
import java.util.concurrent.ConcurrentLinkedQueue

/**
 * A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol (the JDK's own
 * `HttpServer`): each request is answered with the next scripted action line, as the JSON object
 * the cloud planner asks for. When the script runs out it answers 400, which the planner does not
 * retry. Every step request is recorded, so tests can check what left the "phone". The planning
 * turn a cloud planner opens each task with (its `response_format` names `lobster_plan`) is
 * answered with a 400 too, so the task is worked through the UI with the scripted actions; those
 * requests are kept apart in [planRequests].
 */
class ScriptedOpenAiServer : AutoCloseable {
    /** One request as received. */
    data class Request(val authorization: String?, val body: String)

    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    private val replies = ConcurrentLinkedQueue<String>()

    /** The step requests received, in order. */
    val requests: MutableList<Request> = Collections.synchronizedList(mutableListOf())

    /** The planning requests received, in order. */
    val planRequests: MutableList<Request> = Collections.synchronizedList(mutableListOf())

    /** The base URL to configure the cloud planner with. */
    val endpoint: String get() = "http://127.0.0.1:${server.address.port}/v1"

    init {
        server.createContext("/v1/chat/completions") { exchange ->
            val body = exchange.requestBody.readBytes().toString(Charsets.UTF_8)
            val request = Request(exchange.requestHeaders.getFirst("Authorization"), body)
            val planning = body.contains("\"lobster_plan\"")
            if (planning) planRequests.add(request) else requests.add(request)
            val action = if (planning) null else replies.poll()
            val (status, response) = if (planning) {
                400 to """{"error":{"message":"the test script plans nothing"}}"""
            } else if (action == null) {
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
        planRequests.clear()
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
