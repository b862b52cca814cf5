//! Importers of real UI dumps: uiautomator XML, Appium XML, DroidBot JSON, DroidRun JSON and
//! Lobster's own snapshot (protobuf or JSON), each into a [`Snapshot`].
//!
//! Real screens are what the encoder, the grammar and the guard must be measured and tested
//! on, and real screens exist as files in these formats (crawler outputs, agent logs, bug
//! reports). Importing them into the one screen model lets every downstream stage run on them
//! exactly as on a live phone.
//!
//! Each dump format has its own parser (`xml` for both XML dialects, `droidbot`, `droidrun`)
//! that only turns syntax into node trees; `assemble` then applies the rules they share
//! (positional keys, actions from flags, window types from packages, screen size, focus).
//! `native` reads Lobster's own snapshots, which need only key and depth repairs. `detect`
//! picks the parser from the first bytes. Input is untrusted: nothing here panics, recurses on input depth or goes quadratic,
//! and damaged dumps import with [`ImportWarning`]s rather than fail.

mod actions;
mod assemble;
mod bounds;
mod detect;
mod droidbot;
mod droidrun;
mod error;
mod json;
mod native;
mod tree;
mod window_type;
mod xml;

use std::fmt;

pub use error::{ImportError, ImportWarning};

use super::{Snapshot, SourceFormat};
use error::Warnings;

/// Nodes nested deeper than this (the window root is depth 0) are dropped with a warning.
///
/// Real dumps nest at most about 35 levels. The cap keeps every imported snapshot readable
/// back by Lobster's own decoders: prost refuses messages nested beyond 100 levels and
/// serde_json refuses JSON nested beyond 128 (each node level is an object plus a `children`
/// array), which allows about 62 node levels in the JSON form.
pub const MAX_DEPTH: usize = 60;

/// A snapshot imported from a dump, with the format it was read as and what was off.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The screen.
    pub snapshot: Snapshot,
    /// The format the dump was read as.
    pub format: DumpFormat,
    /// Recoverable problems met on the way (aggregated per kind), in no particular severity
    /// order; empty for a clean dump.
    pub warnings: Vec<ImportWarning>,
}

/// The dump formats Lobster reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DumpFormat {
    /// `uiautomator dump` / uiautomator2 XML: `<hierarchy>` of `<node>` elements.
    UiAutomatorXml,
    /// Appium page source XML: `<hierarchy>` of elements named by class.
    AppiumXml,
    /// DroidBot state JSON: a flat `views` list linked by indices.
    DroidBotJson,
    /// DroidRun Portal export JSON: nested `a11y_tree` plus `phone_state`.
    DroidRunJson,
    /// Lobster's `Snapshot` as protobuf binary.
    SnapshotProto,
    /// Lobster's `Snapshot` in its canonical proto3 JSON form.
    SnapshotJson,
}

impl DumpFormat {
    /// The snapshot `source` recorded for this format (`Unspecified` for Lobster's own
    /// snapshots, which carry their source themselves).
    pub fn source_format(self) -> SourceFormat {
        match self {
            DumpFormat::UiAutomatorXml => SourceFormat::UiautomatorXml,
            DumpFormat::AppiumXml => SourceFormat::AppiumXml,
            DumpFormat::DroidBotJson => SourceFormat::DroidbotJson,
            DumpFormat::DroidRunJson => SourceFormat::DroidrunJson,
            DumpFormat::SnapshotProto | DumpFormat::SnapshotJson => SourceFormat::Unspecified,
        }
    }
}

impl fmt::Display for DumpFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DumpFormat::UiAutomatorXml => "uiautomator XML",
            DumpFormat::AppiumXml => "Appium XML",
            DumpFormat::DroidBotJson => "DroidBot JSON",
            DumpFormat::DroidRunJson => "DroidRun JSON",
            DumpFormat::SnapshotProto => "Lobster snapshot protobuf",
            DumpFormat::SnapshotJson => "Lobster snapshot JSON",
        })
    }
}

/// Imports a dump of any supported format, detected from its first bytes.
pub fn import(bytes: &[u8]) -> Result<Imported, ImportError> {
    import_as(bytes, detect(bytes)?)
}

/// Imports a dump known to be in `format`.
pub fn import_as(bytes: &[u8], format: DumpFormat) -> Result<Imported, ImportError> {
    let bytes = detect::strip_bom(bytes);
    let mut warnings = Warnings::default();
    let snapshot = match format {
        DumpFormat::UiAutomatorXml | DumpFormat::AppiumXml => {
            assemble::assemble(xml::parse(bytes, format, &mut warnings)?, &mut warnings)?
        }
        DumpFormat::DroidBotJson => {
            assemble::assemble(droidbot::parse(bytes, &mut warnings)?, &mut warnings)?
        }
        DumpFormat::DroidRunJson => {
            assemble::assemble(droidrun::parse(bytes, &mut warnings)?, &mut warnings)?
        }
        DumpFormat::SnapshotProto => native::parse_proto(bytes, &mut warnings)?,
        DumpFormat::SnapshotJson => native::parse_json(bytes, &mut warnings)?,
    };
    Ok(Imported {
        snapshot,
        format,
        warnings: warnings.finish(),
    })
}

/// Detects the format of a dump from its first bytes, reading no further than it must.
pub fn detect(bytes: &[u8]) -> Result<DumpFormat, ImportError> {
    detect::detect(bytes)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::time::{Duration, Instant};

    use prost::Message;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::screen::{Node, Rect, StandardAction, WindowType};

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    const SCREENS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/screens");

    const ALL_FORMATS: [DumpFormat; 6] = [
        DumpFormat::UiAutomatorXml,
        DumpFormat::AppiumXml,
        DumpFormat::DroidBotJson,
        DumpFormat::DroidRunJson,
        DumpFormat::SnapshotProto,
        DumpFormat::SnapshotJson,
    ];

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    fn import_fixture(name: &str) -> Imported {
        import(&fixture(name)).unwrap()
    }

    /// Every node of the snapshot in window order, then pre-order.
    fn nodes(snapshot: &Snapshot) -> Vec<&Node> {
        let mut out = Vec::new();
        for window in &snapshot.windows {
            let mut stack: Vec<&Node> = window.root.iter().collect();
            while let Some(node) = stack.pop() {
                out.push(node);
                stack.extend(node.children.iter().rev());
            }
        }
        out
    }

    fn find(snapshot: &Snapshot, test: impl Fn(&Node) -> bool) -> &Node {
        nodes(snapshot).into_iter().find(|n| test(n)).unwrap()
    }

    fn has_action(node: &Node, kind: StandardAction) -> bool {
        node.actions.iter().any(|a| a.kind() == kind)
    }

    const FIXTURE_FILES: [(&str, DumpFormat); 7] = [
        ("uiautomator_settings.xml", DumpFormat::UiAutomatorXml),
        ("uiautomator_chat_keyboard.xml", DumpFormat::UiAutomatorXml),
        ("appium_login.xml", DumpFormat::AppiumXml),
        ("droidbot_contacts.json", DumpFormat::DroidBotJson),
        ("droidrun_shop.json", DumpFormat::DroidRunJson),
        ("snapshot_timer.pb", DumpFormat::SnapshotProto),
        ("snapshot_timer.json", DumpFormat::SnapshotJson),
    ];

    #[test]
    fn every_fixture_imports_cleanly_as_its_format() {
        for (name, format) in FIXTURE_FILES {
            let imported = import_fixture(name);
            assert_eq!(imported.format, format, "{name}");
            assert!(
                imported.warnings.is_empty(),
                "{name}: {:?}",
                imported.warnings
            );
            let keys: Vec<_> = nodes(&imported.snapshot)
                .iter()
                .map(|n| n.key.clone())
                .collect();
            let distinct: HashSet<_> = keys.iter().collect();
            assert_eq!(distinct.len(), keys.len(), "{name}: keys are unique");
            assert!(keys.iter().all(|k| !k.is_empty()), "{name}");
            assert_eq!(
                import_as(&fixture(name), format).unwrap(),
                imported,
                "{name}: import_as agrees"
            );
        }
    }

    #[test]
    fn uiautomator_settings_screen() {
        let snap = import_fixture("uiautomator_settings.xml").snapshot;
        assert_eq!(snap.source(), SourceFormat::UiautomatorXml);
        assert_eq!((snap.screen_width, snap.screen_height), (1080, 2400));
        let types: Vec<_> = snap.windows.iter().map(|w| w.r#type()).collect();
        assert_eq!(
            types,
            [
                WindowType::Application,
                WindowType::System,
                WindowType::System
            ]
        );
        assert!(snap.windows[0].focused);
        assert_eq!(snap.foreground_package, "com.android.settings");
        assert_eq!(snap.windows[2].layer, 2);

        let network = find(&snap, |n| n.text == "Network & internet");
        assert!(network.visible && network.enabled && network.key.starts_with("w0/0."));
        let switch = find(&snap, |n| n.class_name == "android.widget.Switch");
        assert!(switch.checkable && switch.checked && has_action(switch, StandardAction::Click));
        let list = find(&snap, |n| n.class_name.ends_with("RecyclerView"));
        assert!(has_action(list, StandardAction::ScrollForward));
        assert!(has_action(list, StandardAction::ScrollBackward));
        let battery = find(&snap, |n| n.text == "Battery");
        assert!(battery.enabled, "the label itself is enabled");
        let battery_row = find(&snap, |n| {
            n.children
                .iter()
                .any(|c| c.children.iter().any(|t| t.text == "Battery"))
        });
        assert!(!battery_row.enabled);
        assert_eq!(
            find(&snap, |n| n.resource_id == "android:id/summary"
                && n.text.contains("about 1 day"))
            .text,
            "80% \u{2013} about 1 day left"
        );
        // Zero-size node: kept, with no visible flag in this dump it counts as not visible.
        let zero = find(&snap, |n| n.class_name == "android.view.View");
        assert_eq!(zero.bounds, Some(Rect::default()));
        assert!(!zero.visible);
        // The last row reaches below the list: kept and visible as the dump says.
        let privacy = find(&snap, |n| n.text == "Privacy");
        assert!(privacy.visible);
        let back = find(&snap, |n| n.content_description == "Back");
        assert!(has_action(back, StandardAction::LongClick));
        assert_eq!(back.key, "w2/0.0");
    }

    #[test]
    fn uiautomator_chat_screen_with_keyboard() {
        let snap = import_fixture("uiautomator_chat_keyboard.xml").snapshot;
        let types: Vec<_> = snap.windows.iter().map(|w| w.r#type()).collect();
        assert_eq!(
            types,
            [
                WindowType::System,
                WindowType::Application,
                WindowType::InputMethod
            ]
        );
        let focused: Vec<_> = snap.windows.iter().map(|w| w.focused).collect();
        assert_eq!(focused, [false, true, false]);
        assert_eq!(snap.foreground_package, "com.example.chat");
        assert_eq!(snap.windows[2].bounds.map(|b| b.top), Some(1500));

        let input = find(&snap, |n| n.class_name == "android.widget.EditText");
        assert!(input.editable && input.focused && input.hint == "Message");
        assert!(has_action(input, StandardAction::SetText));
        assert!(input.package.is_empty(), "same package as its window");
        let bubble = find(&snap, |n| n.text.starts_with("Great."));
        assert_eq!(
            bubble.text,
            "Great. I'll book a table for 3\nSam is coming too"
        );
        assert!(
            find(&snap, |n| n.text.starts_with("Yes!"))
                .text
                .ends_with('\u{1F35C}')
        );
        assert_eq!(
            find(&snap, |n| n.text.starts_with("Perfect")).text,
            "Perfect & see you there"
        );
        let q = find(&snap, |n| n.content_description == "q");
        assert!(q.key.starts_with("w2/"));
    }

    #[test]
    fn appium_login_screen() {
        let imported = import_fixture("appium_login.xml");
        let snap = imported.snapshot;
        assert_eq!(imported.format, DumpFormat::AppiumXml);
        assert_eq!(snap.source(), SourceFormat::AppiumXml);
        assert_eq!((snap.screen_width, snap.screen_height), (1080, 2274));
        assert_eq!(snap.windows.len(), 1);
        assert_eq!(snap.foreground_package, "com.example.wallet");
        let password = find(&snap, |n| n.resource_id.ends_with(":id/password"));
        assert!(password.password && password.editable && password.focused);
        let email = find(&snap, |n| n.resource_id.ends_with(":id/email"));
        assert!(email.editable && email.hint == "Email address");
        let remember = find(&snap, |n| n.class_name == "android.widget.CheckBox");
        assert!(remember.checkable && !remember.checked);
        let hidden = find(&snap, |n| n.class_name == "android.view.View");
        assert!(!hidden.visible);
        assert!(has_action(
            find(&snap, |n| n.text == "Sign in"),
            StandardAction::Click
        ));
    }

    #[test]
    fn droidbot_contacts_list() {
        let bytes = fixture("droidbot_contacts.json");
        let views = serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["views"]
            .as_array()
            .map_or(0, Vec::len);
        let snap = import(&bytes).unwrap().snapshot;
        assert_eq!(snap.source(), SourceFormat::DroidbotJson);
        assert_eq!(nodes(&snap).len(), views);
        assert_eq!(snap.windows.len(), 1);
        assert_eq!(snap.foreground_package, "com.example.contacts");
        assert_eq!((snap.screen_width, snap.screen_height), (1080, 1920));
        let filter = find(&snap, |n| n.class_name == "android.widget.EditText");
        assert!(filter.editable && has_action(filter, StandardAction::SetText));
        let starred = find(&snap, |n| {
            n.class_name == "android.widget.CheckBox" && n.checked
        });
        assert!(starred.checkable);
        let last = find(&snap, |n| n.text == "Gus Pereira");
        assert!(
            last.visible,
            "visible as the view says, even if its row is not"
        );
        assert_eq!(find(&snap, |n| n.text == "Contacts").key, "w0/0.0.0.0");
    }

    #[test]
    fn droidrun_shop_results() {
        let snap = import_fixture("droidrun_shop.json").snapshot;
        assert_eq!(snap.source(), SourceFormat::DroidrunJson);
        assert_eq!(snap.windows[0].package, "com.example.shop");
        assert_eq!(snap.foreground_package, "com.example.shop");
        assert_eq!((snap.screen_width, snap.screen_height), (1080, 2400));
        let search = find(&snap, |n| n.resource_id.ends_with(":id/search_box"));
        assert!(search.focused && search.editable);
        assert!(snap.windows[0].focused);
        assert_eq!(nodes(&snap).len(), 38);
    }

    #[test]
    fn own_snapshots_are_kept_as_they_are() {
        let json = fixture("snapshot_timer.json");
        let from_json = import(&json).unwrap();
        let from_proto = import_fixture("snapshot_timer.pb");
        assert_eq!(from_json.snapshot, from_proto.snapshot);
        let original: Snapshot = serde_json::from_slice(&json).unwrap();
        assert_eq!(from_json.snapshot, original);
        assert_eq!(from_json.snapshot.windows[0].id, 12);
        assert_eq!(
            find(&from_json.snapshot, |n| n.text == "Start").key,
            "start"
        );
    }

    /// An invented payment screen in `format` whose "Pay now" button has the given edges.
    fn pay_screen(format: DumpFormat, [l, t, r, b]: [&str; 4]) -> String {
        let pkg = "com.example.pay";
        match format {
            DumpFormat::UiAutomatorXml => format!(
                r#"<hierarchy rotation="0"><node class="android.widget.FrameLayout" package="{pkg}"
                bounds="[0,0][1080,2400]"><node text="Pay now" class="android.widget.Button"
                package="{pkg}" clickable="true" bounds="[{l},{t}][{r},{b}]"/></node></hierarchy>"#
            ),
            DumpFormat::AppiumXml => format!(
                r#"<hierarchy rotation="0"><android.widget.FrameLayout package="{pkg}"
                bounds="[0,0][1080,2400]"><android.widget.Button text="Pay now" package="{pkg}"
                clickable="true" bounds="[{l},{t}][{r},{b}]"/></android.widget.FrameLayout>
                </hierarchy>"#
            ),
            DumpFormat::DroidBotJson => format!(
                r#"{{"foreground_activity":"{pkg}/.Pay","views":[
                {{"class":"android.widget.FrameLayout","package":"{pkg}","parent":-1,
                  "children":[1],"bounds":[[0,0],[1080,2400]],"visible":true}},
                {{"class":"android.widget.Button","text":"Pay now","package":"{pkg}","parent":0,
                  "children":[],"bounds":[[{l},{t}],[{r},{b}]],"clickable":true}}]}}"#
            ),
            _ => format!(
                r#"{{"a11y_tree":[{{"className":"FrameLayout","bounds":"0, 0, 1080, 2400",
                "children":[{{"className":"Button","text":"Pay now","clickable":true,
                "bounds":"{l}, {t}, {r}, {b}","children":[]}}]}}]}}"#
            ),
        }
    }

    #[test]
    fn extreme_bounds_keep_the_node_in_every_text_format() {
        let (min, max) = (i32::MIN, i32::MAX);
        let beyond = ["-3000000000", "0", "3000000000", "10"];
        let limits = ["-2147483648", "-2147483648", "2147483647", "2147483647"];
        let inverted = ["900", "100", "100", "200"];
        let crossing = ["-500", "2300", "500", "2600"];
        let rect = |left, top, right, bottom| Rect {
            left,
            top,
            right,
            bottom,
        };
        let formats = [
            DumpFormat::UiAutomatorXml,
            DumpFormat::AppiumXml,
            DumpFormat::DroidBotJson,
            DumpFormat::DroidRunJson,
        ];
        for format in formats {
            for (edges, expected, visible, clamped) in [
                (beyond, rect(min, 0, max, 10), true, true),
                (limits, rect(min, min, max, max), true, false),
                (inverted, rect(900, 100, 100, 200), false, false),
                (crossing, rect(-500, 2300, 500, 2600), true, false),
            ] {
                let dump = pay_screen(format, edges);
                let imported = import(dump.as_bytes()).unwrap();
                assert_eq!(imported.format, format);
                let snap = &imported.snapshot;
                assert_eq!((snap.screen_width, snap.screen_height), (1080, 2400));
                let pay = find(snap, |n| n.text == "Pay now");
                assert_eq!(pay.bounds, Some(expected), "{format} {edges:?}");
                let shown = crate::screen::is_visible(pay, snap.screen_rect().as_ref());
                assert_eq!(shown, visible, "{format} {edges:?}");
                let warned = imported
                    .warnings
                    .contains(&ImportWarning::ClampedBounds { count: 1 });
                assert_eq!(warned, clamped, "{format} {edges:?}");
            }
        }
    }

    #[test]
    fn own_snapshots_keep_bounds_at_the_i32_limits() {
        fn widen(node: &mut Node, bounds: Rect) {
            if node.key == "start" {
                node.bounds = Some(bounds);
            }
            node.children
                .iter_mut()
                .for_each(|child| widen(child, bounds));
        }
        let bounds = Rect {
            left: i32::MIN,
            top: 0,
            right: i32::MAX,
            bottom: 10,
        };
        let mut snap = import_fixture("snapshot_timer.pb").snapshot;
        snap.windows
            .iter_mut()
            .filter_map(|window| window.root.as_mut())
            .for_each(|root| widen(root, bounds));
        for bytes in [snap.encode_to_vec(), serde_json::to_vec(&snap).unwrap()] {
            let again = import(&bytes).unwrap().snapshot;
            let start = find(&again, |n| n.key == "start");
            assert_eq!(start.bounds, Some(bounds));
            assert!(crate::screen::is_visible(
                start,
                again.screen_rect().as_ref()
            ));
        }
    }

    #[test]
    fn imported_snapshots_round_trip_through_protobuf_and_json() {
        for (name, _) in FIXTURE_FILES {
            let snap = import_fixture(name).snapshot;
            let again = import(&snap.encode_to_vec()).unwrap();
            assert_eq!(again.snapshot, snap, "{name}");
            assert!(again.warnings.is_empty(), "{name}");
            let json = serde_json::to_vec(&snap).unwrap();
            assert_eq!(import(&json).unwrap().snapshot, snap, "{name}");
        }
    }

    #[test]
    fn keys_are_stable_across_redumps() {
        // The same screen dumped twice, once pretty-printed and once on one line.
        let pretty = fixture("uiautomator_chat_keyboard.xml");
        let compact: Vec<u8> = String::from_utf8(pretty.clone())
            .unwrap()
            .lines()
            .map(str::trim)
            .collect::<String>()
            .into_bytes();
        let keys = |bytes: &[u8]| -> Vec<String> {
            nodes(&import(bytes).unwrap().snapshot)
                .iter()
                .map(|n| n.key.clone())
                .collect()
        };
        assert_eq!(keys(&pretty), keys(&compact));
    }

    #[test]
    fn depth_cap_output_decodes_again() {
        let depth = MAX_DEPTH + 30;
        let mut text = String::from("<hierarchy>");
        for _ in 0..depth {
            text.push_str("<node class=\"android.widget.FrameLayout\" bounds=\"[0,0][10,10]\">");
        }
        text.push_str(&"</node>".repeat(depth));
        text.push_str("</hierarchy>");
        let imported = import(text.as_bytes()).unwrap();
        assert_eq!(
            imported.warnings,
            [ImportWarning::TooDeep {
                max_depth: MAX_DEPTH,
                dropped: depth - MAX_DEPTH - 1
            }]
        );
        let snap = imported.snapshot;
        assert_eq!(
            Snapshot::decode(snap.encode_to_vec().as_slice()).ok(),
            Some(snap.clone())
        );
        let json = serde_json::to_string(&snap).unwrap();
        assert_eq!(serde_json::from_str::<Snapshot>(&json).ok(), Some(snap));
    }

    #[test]
    fn duplicate_keys_in_own_snapshots_are_made_unique() {
        let mut snap: Snapshot = serde_json::from_slice(&fixture("snapshot_timer.json")).unwrap();
        if let Some(root) = snap.windows[1].root.as_mut() {
            root.key = "start".to_owned();
            root.children[0].key.clear();
        }
        let imported = import(&snap.encode_to_vec()).unwrap();
        assert_eq!(
            imported.warnings,
            [
                ImportWarning::DuplicateKeys { count: 1 },
                ImportWarning::MissingKeys { count: 1 }
            ]
        );
        let status = imported.snapshot.windows[1].root.as_ref().unwrap();
        assert_eq!(status.key, "start#2");
        assert_eq!(status.children[0].key, "w1/0.0");
    }

    #[test]
    fn empty_and_junk_inputs_are_clear_errors() {
        assert_eq!(import(b""), Err(ImportError::Empty));
        assert_eq!(import(b"\n\n  \t"), Err(ImportError::Empty));
        assert_eq!(import(b"\xEF\xBB\xBF"), Err(ImportError::Empty));
        assert_eq!(
            import(br#"{"hello": "world"}"#),
            Err(ImportError::UnrecognizedJson)
        );
        assert_eq!(import(b"[1, 2, 3]"), Err(ImportError::UnrecognizedJson));
        assert!(matches!(
            import_as(br#"{"windows": 5}"#, DumpFormat::SnapshotJson),
            Err(ImportError::Json { .. })
        ));
        assert!(matches!(
            import(br#"{"views": {"0": {}}}"#),
            Err(ImportError::JsonShape { .. })
        ));
        assert!(matches!(
            import(br#"{"status": "success", "data": {"a11y_tree": 3}}"#),
            Err(ImportError::JsonShape { .. })
        ));
        assert_eq!(
            import(br#"{"views": []}"#),
            Err(ImportError::NoNodes {
                format: DumpFormat::DroidBotJson
            })
        );
        assert_eq!(
            import(b"<hierarchy rotation=\"0\"></hierarchy>"),
            Err(ImportError::NoNodes {
                format: DumpFormat::UiAutomatorXml
            })
        );
        // Formats forced onto the wrong bytes fail cleanly too.
        let xml = fixture("uiautomator_settings.xml");
        for format in [
            DumpFormat::DroidBotJson,
            DumpFormat::DroidRunJson,
            DumpFormat::SnapshotJson,
        ] {
            assert!(matches!(
                import_as(&xml, format),
                Err(ImportError::Json { .. })
            ));
        }
        assert!(matches!(
            import_as(&xml, DumpFormat::SnapshotProto),
            Err(ImportError::Protobuf { .. })
        ));
    }

    #[test]
    fn messages_never_quote_the_screen() {
        let secret = "SECRET-4711";
        let mut text = format!(
            "<hierarchy><node text=\"{secret} &bogus;\" bounds=\"{secret}\"><node text=\"{secret}\"></wrong>"
        )
        .into_bytes();
        text.push(0xFF);
        let imported = import(&text).unwrap();
        assert!(!imported.warnings.is_empty());
        for warning in &imported.warnings {
            assert!(!warning.to_string().contains(secret), "{warning}");
        }
        let errors = [
            import(format!("{{\"views\": [\"{secret}\"").as_bytes()),
            import_as(
                format!("{{\"windows\": \"{secret}\"}}").as_bytes(),
                DumpFormat::SnapshotJson,
            ),
            import(format!("<{secret}/>").as_bytes()),
            import(secret.as_bytes()),
        ];
        for error in errors {
            let message = error.err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                !message.is_empty() && !message.contains(secret),
                "{message}"
            );
        }
    }

    #[test]
    fn ten_megabytes_of_random_bytes_fail_fast() {
        let mut rng = StdRng::seed_from_u64(0x10b5_7e55);
        let mut bytes = vec![0u8; 10 * 1024 * 1024];
        rng.fill(bytes.as_mut_slice());
        for first in [
            None,
            Some(b'<'),
            Some(b'{'),
            Some(b'['),
            Some(0x08),
            Some(0x2a),
        ] {
            if let Some(first) = first {
                bytes[0] = first;
            }
            let started = Instant::now();
            let result = import(&bytes);
            assert!(result.is_err(), "{first:?}");
            for format in ALL_FORMATS {
                assert!(import_as(&bytes, format).is_err(), "{first:?} as {format}");
            }
            assert!(started.elapsed() < Duration::from_secs(20), "{first:?}");
        }
        // A valid start followed by garbage: whatever is read, no panic and no hang.
        let mut tail = b"<hierarchy><node bounds=\"[0,0][1,1]\">".to_vec();
        tail.extend_from_slice(&bytes[..1024 * 1024]);
        let _ = import(&tail);
    }

    /// Truncations, byte flips, insertions, deletions and splices of every fixture: importing
    /// them may fail, but must never panic or hang.
    #[test]
    fn mutated_inputs_never_panic() {
        let mut rng = StdRng::seed_from_u64(0x5eed_1ab5);
        let originals: Vec<Vec<u8>> = FIXTURE_FILES
            .iter()
            .map(|(name, _)| fixture(name))
            .collect();
        let mut imported = 0;
        for original in &originals {
            for round in 0..120 {
                let mut bytes = original.clone();
                match round % 6 {
                    0 => bytes.truncate(rng.random_range(0..=bytes.len())),
                    1 => {
                        for _ in 0..rng.random_range(1..8) {
                            let i = rng.random_range(0..bytes.len());
                            bytes[i] ^= 1 << rng.random_range(0..8);
                        }
                    }
                    2 => {
                        let i = rng.random_range(0..bytes.len());
                        bytes[i] = rng.random();
                    }
                    3 => {
                        let i = rng.random_range(0..bytes.len());
                        let n = rng.random_range(1..64).min(bytes.len() - i);
                        bytes.drain(i..i + n);
                    }
                    4 => {
                        let i = rng.random_range(0..=bytes.len());
                        let junk: [u8; 8] = rng.random();
                        bytes.splice(i..i, junk);
                    }
                    _ => {
                        let other = &originals[rng.random_range(0..originals.len())];
                        let cut = rng.random_range(0..=bytes.len());
                        let from = rng.random_range(0..=other.len());
                        bytes.truncate(cut);
                        bytes.extend_from_slice(&other[from..]);
                    }
                }
                if import(&bytes).is_ok() {
                    imported += 1;
                }
                let format = ALL_FORMATS[rng.random_range(0..ALL_FORMATS.len())];
                let _ = import_as(&bytes, format);
            }
        }
        assert!(imported > 0, "some mutations still import");
    }

    /// Maps index.json's `format` description to the format.
    fn indexed_format(description: &str) -> Option<DumpFormat> {
        [
            ("uiautomator", DumpFormat::UiAutomatorXml),
            ("Appium", DumpFormat::AppiumXml),
            ("DroidBot", DumpFormat::DroidBotJson),
            ("DroidRun", DumpFormat::DroidRunJson),
        ]
        .into_iter()
        .find(|(prefix, _)| description.starts_with(prefix))
        .map(|(_, format)| format)
    }

    /// The real screens in ../shared/screens (absent in a fresh clone: ignored, and counted so).
    /// Messages name files and counts only: these are other people's phones.
    #[test]
    #[cfg_attr(shared_screens_absent, ignore = "../shared/screens is absent")]
    fn real_screens_import() {
        let index = std::fs::read(format!("{SCREENS}/index.json")).unwrap();
        let index: serde_json::Value = serde_json::from_slice(&index).unwrap();
        let entries = index.as_array().unwrap();
        assert!(!entries.is_empty());
        for entry in entries {
            let file = entry["file"].as_str().unwrap();
            let expected = indexed_format(entry["format"].as_str().unwrap());
            let bytes = std::fs::read(format!("{SCREENS}/{file}")).unwrap();
            let imported = match import(&bytes) {
                Ok(imported) => imported,
                Err(err) => panic!("{file}: {err}"),
            };
            assert_eq!(Some(imported.format), expected, "{file}");
            let count = nodes(&imported.snapshot).len();
            let listed = entry["nodes"].as_u64().unwrap() as usize;
            assert!(
                count.abs_diff(listed) <= 1 + listed / 50,
                "{file}: {count} nodes, index says {listed}"
            );
            let windows = entry["windows"].as_u64().unwrap() as usize;
            assert_eq!(imported.snapshot.windows.len(), windows, "{file}");
            // index.json names the system UI or the keyboard as "the" package of a couple of
            // multi-window dumps; where it names an app, or where no app is on screen, it must
            // be the foreground; otherwise the foreground must be an app.
            let listed_package = entry["package"].as_str().unwrap();
            let foreground = imported.snapshot.foreground_package.as_str();
            let is_app =
                |package: &str| window_type::infer(package, "", "") == WindowType::Application;
            let app_on_screen = imported.snapshot.windows.iter().any(|w| is_app(&w.package));
            if is_app(listed_package) || !app_on_screen {
                assert_eq!(foreground, listed_package, "{file}");
            } else {
                assert!(is_app(foreground), "{file}");
            }
            assert_eq!(
                imported
                    .snapshot
                    .windows
                    .iter()
                    .filter(|w| w.focused)
                    .count(),
                1,
                "{file}"
            );
        }
    }
}
