package dev.lobster.sdk

import android.content.pm.PackageManager

/** Whether a call may run, decided before any handler. */
sealed class CallerVerdict {
    /** An allowed agent: [packageName] is on the allow list and signed as listed. */
    data class Allowed(val packageName: String) : CallerVerdict()

    /** Refused; [reason] is for the app's log (package names only, no data). */
    data class Denied(val reason: String) : CallerVerdict()
}

/**
 * Checks the caller of every call against the app's allow list: the calling package (the one
 * the binder call came from: `getCallingPackage()`, which the system verified against the
 * calling uid, or else the uid's packages) must be listed, and every certificate it is signed
 * with now must be the listed digest for that package. A package on the list signed otherwise
 * (a look-alike from another developer) is refused, as is any package not on it.
 */
class CallerCheck(private val pm: PackageManager, private val allowed: () -> List<AllowedAgent>) {
    /** The verdict for a call from [callingPackage] (null when the platform gave none) as [uid]. */
    fun check(callingPackage: String?, uid: Int): CallerVerdict {
        val uidPackages = pm.getPackagesForUid(uid)?.toList().orEmpty()
        val candidates = when {
            callingPackage == null -> uidPackages
            callingPackage in uidPackages -> listOf(callingPackage)
            else -> return CallerVerdict.Denied("$callingPackage is not the calling uid's package")
        }
        if (candidates.isEmpty()) return CallerVerdict.Denied("unknown caller (uid $uid)")
        val list = allowed()
        for (pkg in candidates) {
            val digests = list.filter { it.packageName == pkg }.map { it.sha256 }.toSet()
            if (digests.isEmpty()) continue
            val info = SigningCertificates.packageInfo(pm, pkg) ?: continue
            val signers = SigningCertificates.digests(info)
            if (signers.isNotEmpty() && digests.containsAll(signers)) return CallerVerdict.Allowed(pkg)
            return CallerVerdict.Denied("$pkg is not signed with an allowed certificate")
        }
        return CallerVerdict.Denied("${candidates.joinToString()} not on the allow list")
    }
}
