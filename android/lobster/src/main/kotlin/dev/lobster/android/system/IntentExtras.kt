package dev.lobster.android.system

import dev.lobster.ffi.IntentSpec
import dev.lobster.ffi.IntentValue
import java.time.LocalDateTime
import java.time.ZoneId

/**
 * The extras of a catalog intent with the Java types `Intent.putExtra` must get, date-times
 * turned into epoch milliseconds in the phone's time zone (Rust leaves that to the phone, which
 * knows its zone). `AndroidSystemActions` copies them into an `Intent` one by one.
 */
object IntentExtras {
    /** An extra value as `putExtra` takes it. */
    sealed interface Extra {
        /** `putExtra(key, String)`. */
        data class Text(val value: String) : Extra
        /** `putExtra(key, Int)`. */
        data class Number(val value: Int) : Extra
        /** `putExtra(key, Long)`. */
        data class Millis(val value: Long) : Extra
        /** `putExtra(key, Array<String>)`. */
        data class Texts(val values: List<String>) : Extra
    }

    /** The extras of [spec], in order, with date-times resolved in [zone]. */
    fun of(spec: IntentSpec, zone: ZoneId = ZoneId.systemDefault()): List<Pair<String, Extra>> =
        spec.extras.map { extra ->
            extra.key to when (val value = extra.value) {
                is IntentValue.Text -> Extra.Text(value.value)
                is IntentValue.Int -> Extra.Number(value.value)
                is IntentValue.TextArray -> Extra.Texts(value.values)
                is IntentValue.LocalDateTime -> Extra.Millis(
                    LocalDateTime.of(value.year, value.month, value.day, value.hour, value.minute)
                        .atZone(zone)
                        .toInstant()
                        .toEpochMilli(),
                )
            }
        }
}
