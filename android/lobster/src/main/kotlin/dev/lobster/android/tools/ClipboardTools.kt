package dev.lobster.android.tools

import android.content.ClipData
import android.content.ClipboardManager
import android.content.Context
import dev.lobster.android.toolcatalog.ToolText
import dev.lobster.ffi.ActionOutcome

/**
 * `read_clipboard` and `copy_to_clipboard` through `ClipboardManager`.
 *
 * Android 10+ gives the clipboard to a background app only when it is the default keyboard or
 * privileged (`READ_CLIPBOARD_IN_BACKGROUND`), so reading is for a [privileged] agent: any other
 * would read "empty" whatever the clipboard holds, and is `Rejected` instead. Copying works
 * for every app (Android 13+ shows its own confirmation).
 */
internal class ClipboardTools(private val context: Context, private val privileged: Boolean) {
    private val clipboard: ClipboardManager? get() = context.getSystemService(ClipboardManager::class.java)

    /** The clipboard's text (cut to [ToolText.CLIPBOARD_MAX] characters), or "empty". */
    fun read(): ActionOutcome {
        if (!privileged) return ActionOutcome.Rejected("only a privileged agent can read the clipboard")
        val clipboard = clipboard ?: return ActionOutcome.NoHandler
        val clip = clipboard.primaryClip?.takeIf { it.itemCount > 0 }
        return ActionOutcome.Returned(ToolText.clipboard(clip?.getItemAt(0)?.coerceToText(context)))
    }

    /** Puts [text] on the clipboard. */
    fun copy(text: String): ActionOutcome {
        val clipboard = clipboard ?: return ActionOutcome.NoHandler
        clipboard.setPrimaryClip(ClipData.newPlainText(LABEL, text))
        return ActionOutcome.Performed
    }

    private companion object {
        /** The clip's label (what some keyboards show as its source). */
        const val LABEL = "Lobster"
    }
}
