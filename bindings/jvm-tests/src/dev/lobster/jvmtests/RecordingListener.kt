package dev.lobster.jvmtests

import dev.lobster.ffi.ConfirmationReply
import dev.lobster.ffi.ConfirmationRequest
import dev.lobster.ffi.QuestionReply
import dev.lobster.ffi.TakeoverReply
import dev.lobster.ffi.TaskEvent
import dev.lobster.ffi.TaskListener
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/** Records a task's events; answers confirmations as told, from Kotlin, on another thread. */
class RecordingListener(private val answer: Answer = Answer.DENY) : TaskListener {
    /** How confirmations are answered. */
    enum class Answer {
        /** `reply.allow()` from a UI-like thread, a moment later. */
        ALLOW,
        /** `reply.deny()` at once. */
        DENY,
        /** Never answer (the test cancels). */
        NEVER,
    }

    /** The events, in order. */
    val events: MutableList<TaskEvent> = Collections.synchronizedList(mutableListOf())
    /** The confirmation requests seen. */
    val requests: MutableList<ConfirmationRequest> = Collections.synchronizedList(mutableListOf())
    private val asked = CountDownLatch(1)
    private val kept = Collections.synchronizedList(mutableListOf<ConfirmationReply>())

    override fun onEvent(event: TaskEvent) {
        events.add(event)
    }

    override fun onConfirmationRequest(request: ConfirmationRequest, reply: ConfirmationReply) {
        requests.add(request)
        asked.countDown()
        when (answer) {
            Answer.ALLOW -> Thread {
                Thread.sleep(20)
                reply.allow()
            }.start()
            Answer.DENY -> reply.deny()
            Answer.NEVER -> kept.add(reply)
        }
    }

    override fun onQuestion(question: String, reply: QuestionReply) {
        reply.dismiss()
    }

    /** Hands the phone back ([Answer.ALLOW], from another thread a moment later) or declines. */
    override fun onTakeover(reason: String, reply: TakeoverReply) {
        takeovers.add(reason)
        when (answer) {
            Answer.ALLOW -> Thread {
                Thread.sleep(20)
                reply.done()
            }.start()
            else -> reply.decline()
        }
    }

    /** What the user was asked to do when the agent handed the phone over. */
    val takeovers: MutableList<String> = Collections.synchronizedList(mutableListOf())

    /** Waits until a confirmation was requested. */
    fun awaitConfirmationRequest(): Boolean = asked.await(10, TimeUnit.SECONDS)

    /** The simple names of the events' classes, in order. */
    fun kinds(): List<String> = synchronized(events) { events.map { it::class.simpleName ?: "?" } }
}
