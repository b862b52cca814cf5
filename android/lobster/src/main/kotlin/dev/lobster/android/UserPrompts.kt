package dev.lobster.android

import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.app.RemoteInput
import android.content.Context
import android.content.Intent
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger

/**
 * Confirmations, questions and takeovers, asked where the user is: a high-priority notification (heads-up
 * over whatever app the agent is driving) with the answers as actions, posted by the service
 * the task runs in.
 *
 * Why not a dialog in the app's activity: while the agent works the user looks at other apps,
 * so a dialog there is never seen (the request times out as "denied"), and once the activity
 * is destroyed showing one throws `BadTokenException`. A notification belongs to the service,
 * which lives as long as the task. Each action is a `PendingIntent` back to [AgentService]
 * (`onStartCommand` → [onReply]); a question's answer is typed in the notification
 * (`RemoteInput`); swiping the notification away denies or dismisses.
 */
internal class UserPrompts(private val context: Context, private val notifications: NotificationManager) {
    private val ids = AtomicInteger(FIRST_ID)
    private val waiting = ConcurrentHashMap<Int, (Intent) -> Unit>()

    init {
        val channel = NotificationChannel(CHANNEL, "Lobster asks you", NotificationManager.IMPORTANCE_HIGH)
        channel.description = "Confirmations and questions of a running task"
        notifications.createNotificationChannel(channel)
    }

    /** Asks the user to allow an action for [reason]; exactly one of [allow] or [deny] runs. */
    fun confirm(reason: String, allow: () -> Unit, deny: () -> Unit) {
        val id = ids.getAndIncrement()
        waiting[id] = { intent -> if (intent.getStringExtra(EXTRA_ANSWER) == ALLOW) allow() else deny() }
        val notification = builder(id, "Allow this action?", reason)
            .addAction(Notification.Action.Builder(null, "Allow", reply(id, ALLOW, mutable = false)).build())
            .addAction(Notification.Action.Builder(null, "Deny", reply(id, DENY, mutable = false)).build())
            .build()
        notifications.notify(id, notification)
    }

    /** Asks [question]; [answer] gets the typed text, or [dismiss] runs. */
    fun ask(question: String, answer: (String) -> Unit, dismiss: () -> Unit) {
        val id = ids.getAndIncrement()
        waiting[id] = { intent ->
            val text = RemoteInput.getResultsFromIntent(intent)?.getCharSequence(KEY_TEXT)?.toString()
            if (intent.getStringExtra(EXTRA_ANSWER) == ANSWER && text != null) answer(text) else dismiss()
        }
        val input = RemoteInput.Builder(KEY_TEXT).setLabel("Your answer").build()
        val notification = builder(id, "Lobster asks", question)
            .addAction(
                Notification.Action.Builder(null, "Answer", reply(id, ANSWER, mutable = true))
                    .addRemoteInput(input)
                    .build(),
            )
            .addAction(Notification.Action.Builder(null, "Skip", reply(id, DENY, mutable = false)).build())
            .build()
        notifications.notify(id, notification)
    }

    /**
     * Hands the phone to the user to do [reason] (sign in, solve a captcha, enter a PIN):
     * [done] runs when they tap "I'm done", [decline] when they tap "Stop" or swipe it away.
     */
    fun takeOver(reason: String, done: () -> Unit, decline: () -> Unit) {
        val id = ids.getAndIncrement()
        waiting[id] = { intent -> if (intent.getStringExtra(EXTRA_ANSWER) == ALLOW) done() else decline() }
        val notification = builder(id, "Your turn on the phone", reason)
            .addAction(Notification.Action.Builder(null, "I'm done", reply(id, ALLOW, mutable = false)).build())
            .addAction(Notification.Action.Builder(null, "Stop", reply(id, DENY, mutable = false)).build())
            .build()
        notifications.notify(id, notification)
    }

    /** Handles an answer intent ([isReply]); whether it answered a waiting prompt. */
    fun onReply(intent: Intent): Boolean {
        val id = intent.getIntExtra(EXTRA_ID, -1)
        val handler = waiting.remove(id) ?: return false
        notifications.cancel(id)
        handler(intent)
        return true
    }

    /** Withdraws every open prompt (the task ended); the task side already stopped waiting. */
    fun cancelAll() {
        for (id in waiting.keys.toList()) {
            waiting.remove(id)
            notifications.cancel(id)
        }
    }

    /** How many prompts wait for an answer. */
    fun open(): Int = waiting.size

    private fun builder(id: Int, title: String, text: String): Notification.Builder =
        Notification.Builder(context, CHANNEL)
            .setContentTitle(title)
            .setContentText(text)
            .setStyle(Notification.BigTextStyle().bigText(text))
            .setSmallIcon(android.R.drawable.ic_dialog_alert)
            .setCategory(Notification.CATEGORY_REMINDER)
            .setAutoCancel(true)
            .setDeleteIntent(reply(id, DENY, mutable = false))

    private fun reply(id: Int, answer: String, mutable: Boolean): PendingIntent {
        val intent = Intent(context, AgentService::class.java)
            .setAction(ACTION_REPLY)
            .putExtra(EXTRA_ID, id)
            .putExtra(EXTRA_ANSWER, answer)
        // A RemoteInput fills the intent in, so that one must be mutable (explicit, to the
        // service: safe); the others are immutable, as Android 12+ requires one of the two.
        val mutability = when {
            !mutable -> PendingIntent.FLAG_IMMUTABLE
            Platform.atLeast(31) -> PendingIntent.FLAG_MUTABLE
            else -> 0
        }
        return PendingIntent.getService(
            context,
            // One request code per prompt and answer: intents that differ only in extras would
            // otherwise share one PendingIntent, and the last answer's extras would win.
            id * 4 + ANSWERS.indexOf(answer),
            intent,
            PendingIntent.FLAG_UPDATE_CURRENT or mutability,
        )
    }

    companion object {
        /** The intent action of an answer. */
        const val ACTION_REPLY = "dev.lobster.android.REPLY"
        /** Whether [intent] is an answer for [onReply]. */
        fun isReply(intent: Intent?): Boolean = intent?.action == ACTION_REPLY
        internal const val CHANNEL = "lobster-prompts"
        internal const val EXTRA_ID = "dev.lobster.android.PROMPT_ID"
        internal const val EXTRA_ANSWER = "dev.lobster.android.ANSWER"
        internal const val KEY_TEXT = "dev.lobster.android.TEXT"
        internal const val ALLOW = "allow"
        internal const val DENY = "deny"
        internal const val ANSWER = "answer"
        private const val FIRST_ID = 7_100
        private val ANSWERS = listOf(ALLOW, DENY, ANSWER)
    }
}
