package dev.lobster.sdk

import java.util.Locale

/**
 * An agent the app lets call its actions: its package and the SHA-256 digest of the
 * certificate it is signed with (64 hex digits, lower case). Written `package:digest`, the
 * digest as `keytool -printcert` or `apksigner verify --print-certs` print it (colons and
 * upper case are fine).
 */
data class AllowedAgent(val packageName: String, val sha256: String) {
    init {
        require(PACKAGE.matches(packageName)) { "not a package name: $packageName" }
        require(DIGEST.matches(sha256)) { "not a lower-case SHA-256 hex digest: $sha256" }
    }

    companion object {
        private val PACKAGE = Regex("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)+")
        private val DIGEST = Regex("[0-9a-f]{64}")

        /** Reads `package:digest`; null when it is not one (the caller logs and skips it). */
        @JvmStatic
        fun parse(entry: String): AllowedAgent? {
            val text = entry.trim()
            val colon = text.indexOf(':')
            if (colon <= 0) return null
            val digest = text.substring(colon + 1).replace(":", "").trim().lowercase(Locale.ROOT)
            val pkg = text.substring(0, colon).trim()
            if (!PACKAGE.matches(pkg) || !DIGEST.matches(digest)) return null
            return AllowedAgent(pkg, digest)
        }

        /** Reads a list written `a:digest, b:digest` (commas, semicolons or white space between). */
        @JvmStatic
        fun parseList(text: String): List<AllowedAgent?> =
            text.split(',', ';', ' ', '\n', '\t').filter { it.isNotBlank() }.map { parse(it) }
    }
}
