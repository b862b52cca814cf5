package dev.lobster.android

import dev.lobster.android.toolcatalog.HandlerProbe
import dev.lobster.android.toolcatalog.PhoneAbilities
import dev.lobster.android.toolcatalog.SpecialAccess
import dev.lobster.android.toolcatalog.ToolAvailability
import dev.lobster.android.toolcatalog.ToolAvailability.Missing
import dev.lobster.android.toolcatalog.ToolCatalog
import org.junit.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** A phone described by a table. */
class TablePhone(
    override val sdk: Int = 35,
    override val privileged: Boolean = false,
    val permissions: Set<String> = emptySet(),
    val accesses: Set<SpecialAccess> = emptySet(),
    val features: Set<String> = emptySet(),
    val handled: Set<String> = emptySet(),
) : PhoneAbilities {
    /** The handler probes asked, in order. */
    val probes = mutableListOf<HandlerProbe>()
    override fun holds(permission: String) = permission in permissions
    override fun has(access: SpecialAccess) = access in accesses
    override fun hasFeature(feature: String) = feature in features
    override fun handles(probe: HandlerProbe): Boolean { probes.add(probe); return probe.action in handled }
}

class ToolAvailabilityTest {
    /** Everything granted and installed: only the API level and the privilege can hold a tool back. */
    private fun fullPhone(sdk: Int, privileged: Boolean = false) = TablePhone(
        sdk = sdk,
        privileged = privileged,
        permissions = ToolCatalog.needs.values.mapNotNull { it.permission }.toSet(),
        accesses = SpecialAccess.entries.toSet(),
        features = setOf(ToolCatalog.FEATURE_CAMERA_FLASH, ToolCatalog.FEATURE_TELEPHONY),
        handled = ToolCatalog.needs.values.mapNotNull { it.handler?.action }.toSet(),
    )

    @Test
    fun toolsAboveThePhonesApiLevelAreLeftOut() {
        val all = ToolCatalog.needs.keys.toList()
        val onOreo = ToolAvailability(fullPhone(26)).available()
        assertEquals(all - setOf("settings_panel", "cancel_timer", "lock_screen", "take_screenshot", "read_clipboard"), onOreo)
        val onPie = ToolAvailability(fullPhone(28)).available()
        assertEquals(all - setOf("settings_panel", "read_clipboard"), onPie)
        assertEquals(all - "read_clipboard", ToolAvailability(fullPhone(29)).available())
        assertEquals(all, ToolAvailability(fullPhone(35, privileged = true)).available())
        assertEquals(listOf<Missing>(Missing.ApiLevel(29)), ToolAvailability(fullPhone(28)).missing("settings_panel"))
    }

    @Test
    fun eachNeedIsChecked() {
        val availability = ToolAvailability(TablePhone())
        assertEquals(listOf<Missing>(Missing.Permission(ToolCatalog.READ_CONTACTS)), availability.missing("find_contact"))
        assertEquals(listOf<Missing>(Missing.Access(SpecialAccess.NOTIFICATION_POLICY)), availability.missing("do_not_disturb"))
        assertEquals(listOf<Missing>(Missing.Feature(ToolCatalog.FEATURE_CAMERA_FLASH)), availability.missing("flashlight"))
        assertEquals(listOf<Missing>(Missing.Privilege), availability.missing("read_clipboard"))
        assertEquals(listOf<Missing>(Missing.Handler), availability.missing("take_photo"))
        assertEquals(
            listOf(Missing.Feature(ToolCatalog.FEATURE_TELEPHONY), Missing.Permission(ToolCatalog.CALL_PHONE), Missing.Handler),
            availability.missing("call_number"),
        )
        assertEquals(emptyList(), availability.missing("teleport"), "not in the catalog: nothing to say")
        assertFalse("teleport" in availability.available())
    }

    @Test
    fun availabilityLooksForAHandlerOnlyWhenNothingElseIsMissing() {
        val bare = TablePhone(permissions = setOf(ToolCatalog.SET_ALARM))
        ToolAvailability(bare).available()
        val asked = bare.probes.map { it.action }
        assertTrue("android.intent.action.SET_ALARM" in asked)
        assertTrue("android.media.action.STILL_IMAGE_CAMERA" in asked)
        assertFalse("android.intent.action.CALL" in asked, "call_number lacks telephony and its permission anyway")
    }

    @Test
    fun theGrantsSayWhatToGrantAndHowManyToolsItEnables() {
        val phone = TablePhone(features = setOf(ToolCatalog.FEATURE_TELEPHONY), handled = setOf("android.intent.action.CALL"))
        val grants = ToolAvailability(phone).grants()
        assertEquals(
            listOf(
                "Grant Do Not Disturb access to enable 2 tools",
                "Allow Calendar access to enable 1 tool",
                "Allow Contacts access to enable 1 tool",
                "Allow Phone access to enable 1 tool",
                "Allow SMS access to enable 1 tool",
                "Grant Modify system settings to enable 1 tool",
            ),
            grants.map { it.text },
        )
        assertEquals(listOf("ringer_mode", "do_not_disturb"), grants.first().tools)
        assertEquals("android.settings.NOTIFICATION_POLICY_ACCESS_SETTINGS", grants.first().settingsAction)
        val contacts = grants.single { it.permission == ToolCatalog.READ_CONTACTS }
        assertEquals(null, contacts.settingsAction)
        // Normal permissions (granted at install when declared) are not the user's to grant.
        assertTrue(grants.none { it.permission == ToolCatalog.ACCESS_NETWORK_STATE || it.permission == ToolCatalog.SET_ALARM })
        // A tool held back by something else too (no telephony, no phone app) is not counted.
        val tablet = ToolAvailability(TablePhone()).grants().map { it.text }
        assertFalse(tablet.any { "SMS" in it || "Phone" in it }, tablet.toString())
        val noDialer = ToolAvailability(TablePhone(features = setOf(ToolCatalog.FEATURE_TELEPHONY))).grants().map { it.text }
        assertFalse(noDialer.any { "Phone" in it }, noDialer.toString())
    }
}
