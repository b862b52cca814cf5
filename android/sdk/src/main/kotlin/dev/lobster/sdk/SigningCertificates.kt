package dev.lobster.sdk

import android.content.pm.PackageInfo
import android.content.pm.PackageManager
import android.os.Build
import java.security.MessageDigest

/**
 * The certificates an installed package is signed with now, as SHA-256 digests (lower-case
 * hex): `SigningInfo.apkContentsSigners` (GET_SIGNING_CERTIFICATES) on Android 9+, the
 * package's `signatures` (GET_SIGNATURES) below. Past certificates of a rotated key are not
 * included: an allow list names the certificate an agent is signed with today.
 */
object SigningCertificates {
    /** The package's info with what [digests] and a version check need; null when not installed. */
    @JvmStatic
    fun packageInfo(pm: PackageManager, packageName: String): PackageInfo? = try {
        pm.getPackageInfo(packageName, flags())
    } catch (_: PackageManager.NameNotFoundException) {
        null
    }

    /** The package's current signers' digests, sorted; empty when unknown. */
    @JvmStatic
    fun digests(info: PackageInfo): List<String> =
        signers(info).map { sha256(it.toByteArray()) }.distinct().sorted()

    /** The package's version code. */
    @JvmStatic
    fun versionCode(info: PackageInfo): Long =
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) info.longVersionCode else legacyVersionCode(info)

    /** Lower-case hex SHA-256 of [bytes]. */
    @JvmStatic
    fun sha256(bytes: ByteArray): String =
        MessageDigest.getInstance("SHA-256").digest(bytes).joinToString("") { "%02x".format(it) }

    private fun flags(): Int =
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) PackageManager.GET_SIGNING_CERTIFICATES else legacySignaturesFlag()

    private fun signers(info: PackageInfo): List<android.content.pm.Signature> =
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            info.signingInfo?.apkContentsSigners?.toList().orEmpty()
        } else {
            legacySignatures(info)
        }

    @Suppress("DEPRECATION")
    private fun legacySignaturesFlag(): Int = PackageManager.GET_SIGNATURES

    @Suppress("DEPRECATION")
    private fun legacySignatures(info: PackageInfo): List<android.content.pm.Signature> = info.signatures?.toList().orEmpty()

    @Suppress("DEPRECATION")
    private fun legacyVersionCode(info: PackageInfo): Long = info.versionCode.toLong()
}
