//! What people call the settings pages and switches, in English and Chinese: `wi-fi settings`,
//! `WLAN设置`, `turn off bluetooth`, `关闭定位`.
//!
//! Why a table: the catalog's pages are a closed set ([`SettingsPage`]), and each has a handful
//! of names; a name not listed here is not guessed at.

use crate::action::SettingsPage;

/// The page a name (`wi-fi`, `display`, `蓝牙`) stands for.
pub(super) fn page_named(name: &str) -> Option<SettingsPage> {
    let name = name.trim().to_lowercase();
    let name = name
        .strip_prefix("the ")
        .unwrap_or(&name)
        .trim_end_matches(" page")
        .trim();
    Some(match name {
        "" | "main" | "system" | "phone" => SettingsPage::Main,
        "wi-fi" | "wifi" | "wlan" | "wireless" | "无线网络" | "无线" | "无线局域网" => {
            SettingsPage::Wifi
        }
        "bluetooth" | "蓝牙" => SettingsPage::Bluetooth,
        "network" | "mobile network" | "network & internet" | "internet" | "移动网络" | "网络" => {
            SettingsPage::Network
        }
        "airplane mode" | "airplane" | "flight mode" | "aeroplane mode" | "飞行模式" => {
            SettingsPage::Airplane
        }
        "data roaming" | "roaming" | "数据漫游" | "漫游" => SettingsPage::DataRoaming,
        "data usage" | "流量使用" | "流量" => SettingsPage::DataUsage,
        "nfc" => SettingsPage::Nfc,
        "cast" | "screen cast" | "投屏" => SettingsPage::Cast,
        "vpn" => SettingsPage::Vpn,
        "display" | "screen" | "brightness" | "显示" | "亮度" | "显示和亮度" => {
            SettingsPage::Display
        }
        "sound" | "sounds" | "volume" | "ringtone" | "声音" | "铃声" => SettingsPage::Sound,
        "location" | "gps" | "位置信息" | "位置" | "定位" => SettingsPage::Location,
        "app" | "apps" | "application" | "applications" | "应用" | "应用程序" => {
            SettingsPage::Apps
        }
        "notification" | "notifications" | "通知" => SettingsPage::Notifications,
        "battery saver" | "battery" | "power saving" | "省电模式" | "电池" | "省电" => {
            SettingsPage::BatterySaver
        }
        "storage" | "存储" | "存储空间" => SettingsPage::Storage,
        "date" | "date and time" | "date & time" | "time" | "日期和时间" | "日期" | "时间" => {
            SettingsPage::Date
        }
        "language" | "languages" | "language and input" | "语言" | "语言和输入法" => {
            SettingsPage::Language
        }
        "accessibility" | "无障碍" | "辅助功能" => SettingsPage::Accessibility,
        "security" | "安全" => SettingsPage::Security,
        "privacy" | "隐私" => SettingsPage::Privacy,
        "developer" | "developer options" | "开发者选项" | "开发人员选项" => {
            SettingsPage::Developer
        }
        "about" | "about phone" | "about this phone" | "关于手机" | "关于本机" => {
            SettingsPage::About
        }
        _ => return None,
    })
}

/// The settings page of a switch a person turns on or off. Do Not Disturb is not one: a tool
/// turns it on or off.
pub(super) fn switch_named(name: &str) -> Option<SettingsPage> {
    let name = name.trim().to_lowercase();
    let name = name.strip_prefix("the ").unwrap_or(&name).trim();
    Some(match name {
        "wi-fi" | "wifi" | "wlan" | "无线网络" | "无线网" | "无线" => SettingsPage::Wifi,
        "bluetooth" | "蓝牙" => SettingsPage::Bluetooth,
        "location" | "gps" | "location services" | "定位" | "位置信息" | "定位服务" => {
            SettingsPage::Location
        }
        "nfc" => SettingsPage::Nfc,
        "airplane mode" | "flight mode" | "aeroplane mode" | "飞行模式" => {
            SettingsPage::Airplane
        }
        "battery saver" | "power saving mode" | "省电模式" | "低电量模式" => {
            SettingsPage::BatterySaver
        }
        "dark theme" | "dark mode" | "深色模式" | "暗色模式" | "夜间模式" | "深色主题" => {
            SettingsPage::Display
        }
        "data roaming" | "数据漫游" => SettingsPage::DataRoaming,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_switches_by_name() {
        assert_eq!(page_named("Wi-Fi"), Some(SettingsPage::Wifi));
        assert_eq!(page_named("the display page"), Some(SettingsPage::Display));
        assert_eq!(page_named("蓝牙"), Some(SettingsPage::Bluetooth));
        assert_eq!(page_named("kitchen"), None);
        assert_eq!(switch_named("Dark mode"), Some(SettingsPage::Display));
        assert_eq!(switch_named("do not disturb"), None);
        assert_eq!(switch_named("the lights"), None);
    }
}
