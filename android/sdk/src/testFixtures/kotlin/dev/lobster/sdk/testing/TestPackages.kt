package dev.lobster.sdk.testing

import android.content.pm.ApplicationInfo
import android.content.pm.PackageInfo
import android.content.pm.Signature
import android.content.pm.SigningInfo
import android.content.res.Resources
import dev.lobster.sdk.SigningCertificates
import org.robolectric.shadow.api.Shadow
import org.robolectric.shadows.ShadowPackageManager
import org.robolectric.shadows.ShadowSigningInfo
import java.io.InputStream

/**
 * Installed packages as a phone has them: a uid, a version and a signing certificate. The SDK's
 * test fixtures: the SDK's, the agent library's and the sample app's Robolectric tests share it
 * (Gradle: `testFixtures(project(":sdk"))`).
 */
object TestPackages {
    /** A certificate's bytes (any bytes: the SDK digests the encoded certificate). */
    fun certificate(name: String): ByteArray = "certificate of $name".toByteArray()

    /** The SHA-256 the allow list names for [certificate]. */
    fun digest(certificate: ByteArray): String = SigningCertificates.sha256(certificate)

    /** Installs [packageName] as [uid], signed with [certificate], at [versionCode]. */
    fun install(packages: ShadowPackageManager, packageName: String, uid: Int, certificate: ByteArray, versionCode: Long = 1): PackageInfo {
        val signing = Shadow.newInstanceOf(SigningInfo::class.java)
        Shadow.extract<ShadowSigningInfo>(signing).setSignatures(arrayOf(Signature(certificate)))
        val info = PackageInfo().apply {
            this.packageName = packageName
            longVersionCode = versionCode
            lastUpdateTime = versionCode
            signingInfo = signing
            applicationInfo = ApplicationInfo().apply {
                this.packageName = packageName
                this.uid = uid
            }
        }
        packages.installPackage(info)
        packages.setPackagesForUid(uid, packageName)
        return info
    }
}

/**
 * Another app's resources as `PackageManager.getResourcesForApplication` returns them (no
 * resource compiler runs here): raw resources and string arrays by id.
 */
@Suppress("DEPRECATION")
class AppResources(
    base: Resources,
    private val raw: Map<Int, ByteArray> = emptyMap(),
    private val arrays: Map<Int, Array<String>> = emptyMap(),
) : Resources(base.assets, base.displayMetrics, base.configuration) {
    /** How often each raw resource was opened. */
    val opened = mutableMapOf<Int, Int>()

    override fun openRawResource(id: Int): InputStream {
        opened[id] = (opened[id] ?: 0) + 1
        return raw[id]?.inputStream() ?: throw NotFoundException("raw resource #$id")
    }

    override fun getStringArray(id: Int): Array<String> = arrays[id] ?: throw NotFoundException("array #$id")
}
