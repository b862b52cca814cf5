package dev.lobster.android.toolcatalog

/**
 * What a phone has that the catalog's tools may need, asked one question at a time: the Android
 * side answers from `PackageManager`, `checkSelfPermission` and the system services
 * (`tools/AndroidAbilities`); tests answer from a table.
 */
interface PhoneAbilities {
    /** The API level (`Build.VERSION.SDK_INT`). */
    val sdk: Int

    /** Whether the agent runs privileged (a system app the OEM built in). */
    val privileged: Boolean

    /** Whether [permission] is granted to the agent's app. */
    fun holds(permission: String): Boolean

    /** Whether the user granted [access]. */
    fun has(access: SpecialAccess): Boolean

    /** Whether the phone has the system feature [feature]. */
    fun hasFeature(feature: String): Boolean

    /** Whether some app handles [probe]'s activity. */
    fun handles(probe: HandlerProbe): Boolean
}
