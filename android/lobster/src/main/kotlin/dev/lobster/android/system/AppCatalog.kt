package dev.lobster.android.system

import dev.lobster.ffi.AppInfo
import java.text.Normalizer
import java.util.Locale

/**
 * Finds the app the planner means by a launcher label. The planner copies the label from the
 * list it was given, so an exact match is the rule; case, spacing and Unicode form are forgiven
 * ("WeChat" for "Wechat", a decomposed "é"), nothing fuzzier: opening the wrong app is worse
 * than reporting `NoHandler`.
 */
object AppCatalog {
    /** The package of the app labelled [label] among [apps], or null. */
    fun find(label: String, apps: List<AppInfo>): String? {
        apps.firstOrNull { it.label == label }?.let { return it.packageName }
        val wanted = normalise(label)
        return apps.firstOrNull { normalise(it.label) == wanted }?.packageName
    }

    private fun normalise(label: String): String =
        Normalizer.normalize(label, Normalizer.Form.NFC).trim().replace(Regex("\\s+"), " ")
            .lowercase(Locale.ROOT)
}
