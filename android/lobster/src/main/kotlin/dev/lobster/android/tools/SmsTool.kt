package dev.lobster.android.tools

import android.content.Context
import android.content.pm.PackageManager
import android.telephony.SmsManager
import android.telephony.SubscriptionManager
import dev.lobster.android.Platform
import dev.lobster.android.toolcatalog.ToolCatalog
import dev.lobster.ffi.ActionOutcome

/**
 * `send_sms`: the message sent directly (`SmsManager`), not drafted in an app; the guard asks
 * the user first (its tier is the Rust policy's). It goes out on the default SMS subscription
 * (the system's own choice when the user set none). A long message is split by
 * `divideMessage` and sent as one multipart message. `Performed` means handed to the radio:
 * delivery is not awaited. No telephony, or a phone whose radio takes no SMS ("Sms is not
 * supported"), is `NoHandler`; no `SEND_SMS` grant is `Rejected`.
 */
internal class SmsTool(private val context: Context) {
    /** Sends [body] to [to]. */
    fun send(to: String, body: String): ActionOutcome {
        if (!context.packageManager.hasSystemFeature(PackageManager.FEATURE_TELEPHONY)) return ActionOutcome.NoHandler
        if (!context.holds(ToolCatalog.SEND_SMS)) return ActionOutcome.Rejected("the SMS permission is not granted")
        if (to.isBlank() || body.isEmpty()) return ActionOutcome.Rejected("no recipient or no text")
        val sms = smsManager() ?: return ActionOutcome.NoHandler
        return try {
            val parts = sms.divideMessage(body)
            if (parts.size > 1) {
                sms.sendMultipartTextMessage(to, null, parts, null, null)
            } else {
                sms.sendTextMessage(to, null, body, null, null)
            }
            ActionOutcome.Performed
        } catch (error: UnsupportedOperationException) {
            ActionOutcome.NoHandler
        }
    }

    /** The manager of the default SMS subscription, or the default manager when none is set. */
    private fun smsManager(): SmsManager? {
        val subscription = SubscriptionManager.getDefaultSmsSubscriptionId()
        val chosen = subscription != SubscriptionManager.INVALID_SUBSCRIPTION_ID
        return if (Platform.atLeast(31)) {
            val default = context.getSystemService(SmsManager::class.java)
            if (chosen) default?.createForSubscriptionId(subscription) else default
        } else {
            @Suppress("DEPRECATION")
            if (chosen) SmsManager.getSmsManagerForSubscriptionId(subscription) else SmsManager.getDefault()
        }
    }
}
