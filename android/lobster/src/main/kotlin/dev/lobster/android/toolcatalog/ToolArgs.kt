package dev.lobster.android.toolcatalog

import dev.lobster.ffi.ToolCall
import dev.lobster.ffi.ToolValue

/**
 * A tool call's arguments by key, typed as the catalog declares them (Rust checked them
 * against the catalog before the call left): [int] for a number, [word] for a word of a closed
 * set, [text] for free text. Null when absent or of another type, which the runner answers
 * with `Rejected`.
 */
object ToolArgs {
    /** The number under [key]. */
    fun int(call: ToolCall, key: String): Int? = (value(call, key) as? ToolValue.Int)?.value

    /** The word under [key] (`on`, `silent`, `pause`). */
    fun word(call: ToolCall, key: String): String? = (value(call, key) as? ToolValue.Word)?.value

    /** The text under [key]. */
    fun text(call: ToolCall, key: String): String? = (value(call, key) as? ToolValue.Text)?.value

    private fun value(call: ToolCall, key: String): ToolValue? = call.args.firstOrNull { it.key == key }?.value
}
