package dev.lobster.android.tools

import android.content.Context
import android.content.Intent
import android.content.IntentFilter
import android.net.ConnectivityManager
import android.net.NetworkCapabilities
import android.net.wifi.WifiInfo
import android.net.wifi.WifiManager
import android.os.BatteryManager
import dev.lobster.android.Platform
import dev.lobster.android.toolcatalog.ToolCatalog
import dev.lobster.android.toolcatalog.ToolText
import dev.lobster.ffi.ActionOutcome
import java.time.Clock
import java.time.ZonedDateTime
import kotlin.math.roundToInt

/**
 * `battery_status`, `network_status` and `current_time`: the phone's state, read for the
 * planner (`Returned`).
 *
 * - The battery is the sticky `ACTION_BATTERY_CHANGED` broadcast (level, scale, status), read
 *   without registering a receiver; `BatteryManager`'s capacity and `isCharging` when the
 *   broadcast is missing.
 * - The network is the active network's capabilities (`ConnectivityManager`). The Wi-Fi's name
 *   is given only where the platform shows it without a location permission, which the library
 *   does not ask for: on current Android it is hidden, and the answer is "Wi-Fi".
 * - The time is [clock]'s, in its zone (the phone's by default).
 */
internal class StatusTools(private val context: Context, private val clock: Clock) {
    /** "62 %, charging". */
    fun battery(): ActionOutcome {
        val sticky = context.registerReceiver(null, IntentFilter(Intent.ACTION_BATTERY_CHANGED))
        val level = sticky?.getIntExtra(BatteryManager.EXTRA_LEVEL, -1) ?: -1
        val scale = sticky?.getIntExtra(BatteryManager.EXTRA_SCALE, -1) ?: -1
        if (sticky != null && level >= 0 && scale > 0) {
            val charging = when (sticky.getIntExtra(BatteryManager.EXTRA_STATUS, -1)) {
                BatteryManager.BATTERY_STATUS_CHARGING -> ToolText.Charging.CHARGING
                BatteryManager.BATTERY_STATUS_FULL -> ToolText.Charging.FULL
                else -> ToolText.Charging.NOT_CHARGING
            }
            return ActionOutcome.Returned(ToolText.battery((level * 100f / scale).roundToInt(), charging))
        }
        val battery = context.getSystemService(BatteryManager::class.java) ?: return ActionOutcome.NoHandler
        val capacity = battery.getIntProperty(BatteryManager.BATTERY_PROPERTY_CAPACITY)
        if (capacity !in 0..100) return ActionOutcome.NoHandler
        val charging = if (battery.isCharging) ToolText.Charging.CHARGING else ToolText.Charging.NOT_CHARGING
        return ActionOutcome.Returned(ToolText.battery(capacity, charging))
    }

    /** "Wi-Fi", "mobile data", "offline", …. */
    fun network(): ActionOutcome {
        if (!context.holds(ToolCatalog.ACCESS_NETWORK_STATE)) return ActionOutcome.Rejected("the network state permission is not granted")
        val connectivity = context.getSystemService(ConnectivityManager::class.java) ?: return ActionOutcome.NoHandler
        val caps = connectivity.activeNetwork?.let { connectivity.getNetworkCapabilities(it) }
            ?: return ActionOutcome.Returned(ToolText.network(ToolText.Network.OFFLINE))
        val kind = when {
            caps.hasTransport(NetworkCapabilities.TRANSPORT_WIFI) -> ToolText.Network.WIFI
            caps.hasTransport(NetworkCapabilities.TRANSPORT_CELLULAR) -> ToolText.Network.MOBILE
            caps.hasTransport(NetworkCapabilities.TRANSPORT_ETHERNET) -> ToolText.Network.ETHERNET
            else -> ToolText.Network.OTHER
        }
        // NOT_ROAMING exists from API 28; below it its absence says nothing.
        val roaming = Platform.atLeast(28) && !caps.hasCapability(NetworkCapabilities.NET_CAPABILITY_NOT_ROAMING)
        val vpn = caps.hasTransport(NetworkCapabilities.TRANSPORT_VPN)
        val name = if (kind == ToolText.Network.WIFI) wifiName(caps) else null
        return ActionOutcome.Returned(ToolText.network(kind, name, roaming = kind == ToolText.Network.MOBILE && roaming, vpn = vpn))
    }

    /** "2026-12-07 14:30 Europe/Paris (Monday)". */
    fun time(): ActionOutcome = ActionOutcome.Returned(ToolText.time(ZonedDateTime.now(clock)))

    /** The Wi-Fi's name where the platform shows it (API 29+ through the capabilities), else null. */
    private fun wifiName(caps: NetworkCapabilities): String? {
        if (!Platform.atLeast(29)) return null
        val ssid = (caps.transportInfo as? WifiInfo)?.ssid ?: return null
        if (ssid == WifiManager.UNKNOWN_SSID) return null
        return ssid.removeSurrounding("\"").takeIf { it.isNotBlank() }
    }
}
