package dev.lobster.android.system

/**
 * The list of enabled accessibility services (`Settings.Secure.ENABLED_ACCESSIBILITY_SERVICES`:
 * flattened component names joined by `:`), read and changed without disturbing the others.
 *
 * A privileged OEM build may enable Lobster's service itself (it holds
 * `WRITE_SECURE_SETTINGS`); writing only Lobster's component there would switch off the
 * user's screen reader or switch-access service (ARCHITECTURE.md, decision 6). So Lobster's
 * component is appended, never set alone, and removed alone.
 */
object EnabledServices {
    /** Whether [component] (`pkg/cls` or `pkg/.cls`) is in [setting]. */
    fun contains(setting: String?, component: String, packageName: String): Boolean =
        entries(setting).any { sameComponent(it, component, packageName) }

    /** [setting] with [component] added at the end, unless it is there. */
    fun with(setting: String?, component: String, packageName: String): String {
        val entries = entries(setting)
        if (entries.any { sameComponent(it, component, packageName) }) return entries.joinToString(":")
        return (entries + component).joinToString(":")
    }

    /** [setting] without [component]; every other service stays. */
    fun without(setting: String?, component: String, packageName: String): String =
        entries(setting).filterNot { sameComponent(it, component, packageName) }.joinToString(":")

    private fun entries(setting: String?): List<String> =
        setting.orEmpty().split(':').map { it.trim() }.filter { it.isNotEmpty() }

    /** `pkg/.Cls` and `pkg/pkg.Cls` name the same component. */
    private fun sameComponent(a: String, b: String, packageName: String): Boolean =
        expand(a, packageName).equals(expand(b, packageName), ignoreCase = true)

    private fun expand(component: String, packageName: String): String {
        val slash = component.indexOf('/')
        if (slash < 0) return component
        val pkg = component.substring(0, slash)
        val cls = component.substring(slash + 1)
        return if (cls.startsWith(".")) "$pkg/${pkg.ifEmpty { packageName }}$cls" else component
    }
}
