//! From parsed window trees to a [`Snapshot`]: the rules every dump format shares.
//!
//! Each format parser only turns its syntax into node trees, one per window, with the flags it
//! read. Everything the formats lack and the rest of Lobster needs is filled in here, once and
//! the same way for all of them, so two dumps of the same screen in different formats give the
//! same snapshot:
//!
//! - node keys from the position (`w0/0.3.1`: window 0, root, its 4th child, that one's 2nd),
//!   so re-dumping the same screen yields the same keys;
//! - editability from the class, standard actions from the flags;
//! - window package, type (from the package), layer (the dump order), bounds (the root's);
//! - the screen size, the focused window and the foreground package.

use super::super::{Node, Rect, Snapshot, Window, WindowType};
use super::error::{ImportError, ImportWarning, Warnings};
use super::{DumpFormat, actions, window_type};

/// Screen size assumed when nothing in a dump tells it: a common phone portrait size.
const FALLBACK_SCREEN: (u32, u32) = (1080, 2400);

/// A window covering less than this fraction of the screen (a navigation-bar strip, an edge
/// handle) does not count as "the app the user is in" unless it holds the focus.
const MIN_FOREGROUND_SHARE: u64 = 10;

/// What a format parser hands over.
pub(super) struct Dump {
    /// The format read; it becomes the snapshot's source.
    pub format: DumpFormat,
    /// One root per window, in dump order (bottom first).
    pub roots: Vec<Node>,
    /// Screen size the dump declares, if it declares one.
    pub declared_size: Option<(u32, u32)>,
    /// Foreground package the dump records (DroidBot's activity, DroidRun's phone state).
    pub foreground_package: Option<String>,
    /// Package for windows whose nodes name none (DroidRun's nodes carry no package).
    pub default_package: Option<String>,
}

/// Builds the snapshot of `dump`. Fails only when it holds no window.
pub(super) fn assemble(dump: Dump, warnings: &mut Warnings) -> Result<Snapshot, ImportError> {
    if dump.roots.is_empty() {
        return Err(ImportError::NoNodes {
            format: dump.format,
        });
    }
    let mut windows = Vec::with_capacity(dump.roots.len());
    let mut holds_focus = Vec::with_capacity(dump.roots.len());
    for (index, mut root) in dump.roots.into_iter().enumerate() {
        let package = window_package(&root)
            .or_else(|| dump.default_package.clone())
            .unwrap_or_default();
        let kind = window_type::infer(&package, &root.class_name, &root.resource_id);
        let ordinal = i32::try_from(index).unwrap_or(i32::MAX);
        holds_focus.push(finish_nodes(&mut root, ordinal, &package));
        windows.push(Window {
            id: ordinal,
            r#type: kind as i32,
            package,
            layer: ordinal,
            focused: false,
            bounds: root.bounds,
            title: String::new(),
            root: Some(root),
        });
    }

    let (screen_width, screen_height) = screen_size(&windows, dump.declared_size, warnings);
    let screen_area = u64::from(screen_width) * u64::from(screen_height);
    let focus = focused_window(&windows, &holds_focus, screen_area);
    let foreground_package = match dump.foreground_package.filter(|p| !p.is_empty()) {
        Some(package) => package,
        None => windows
            .get(focus)
            .map(|w| w.package.clone())
            .unwrap_or_default(),
    };
    if let Some(window) = windows.get_mut(focus) {
        window.focused = true;
    }
    Ok(Snapshot {
        screen_width,
        screen_height,
        foreground_package,
        timestamp_ms: 0,
        windows,
        source: dump.format.source_format() as i32,
    })
}

/// The package owning a window: its root's, else the first one named in the tree.
fn window_package(root: &Node) -> Option<String> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if !node.package.is_empty() {
            return Some(node.package.clone());
        }
        stack.extend(node.children.iter().rev());
    }
    None
}

/// Keys, editability, actions and per-node package of every node of one window; returns
/// whether a node in it has input focus.
fn finish_nodes(root: &mut Node, window: i32, package: &str) -> bool {
    let mut holds_focus = false;
    let mut stack = vec![(root, format!("w{window}/0"))];
    while let Some((node, key)) = stack.pop() {
        node.editable |= actions::is_editable_class(&node.class_name);
        if node.actions.is_empty() {
            node.actions = actions::derive(node);
        }
        if node.package == package {
            node.package.clear();
        }
        holds_focus |= node.focused;
        for (i, child) in node.children.iter_mut().enumerate() {
            let child_key = format!("{key}.{i}");
            stack.push((child, child_key));
        }
        node.key = key;
    }
    holds_focus
}

/// The dump's declared size, unless it contradicts the windows; else the windows' extent; else
/// the nodes' extent; else a fallback.
fn screen_size(
    windows: &[Window],
    declared: Option<(u32, u32)>,
    warnings: &mut Warnings,
) -> (u32, u32) {
    let extent = extent_of(windows.iter().filter_map(|w| w.bounds.as_ref()))
        .or_else(|| extent_of(all_bounds(windows).iter()));
    match (declared.filter(|&(w, h)| w > 0 && h > 0), extent) {
        (Some((width, height)), Some((ext_width, ext_height)))
            if orientation(width, height) * orientation(ext_width, ext_height) < 0 =>
        {
            // DroidBot has been seen declaring a landscape size for a portrait screen; the
            // windows themselves are the better witness.
            warnings.push(ImportWarning::ScreenSizeMismatch {
                declared_width: width,
                declared_height: height,
                width: ext_width,
                height: ext_height,
            });
            (ext_width, ext_height)
        }
        (Some(size), _) => size,
        (None, Some(size)) => size,
        (None, None) => {
            let (width, height) = FALLBACK_SCREEN;
            warnings.push(ImportWarning::ScreenSizeUnknown { width, height });
            FALLBACK_SCREEN
        }
    }
}

/// 1 for landscape, -1 for portrait, 0 for square.
fn orientation(width: u32, height: u32) -> i32 {
    match width.cmp(&height) {
        std::cmp::Ordering::Greater => 1,
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
    }
}

/// Largest right and bottom edge of the non-empty rectangles, when both are positive.
fn extent_of<'a>(rects: impl Iterator<Item = &'a Rect>) -> Option<(u32, u32)> {
    let (mut right, mut bottom) = (0i32, 0i32);
    for rect in rects.filter(|r| !r.is_empty()) {
        right = right.max(rect.right);
        bottom = bottom.max(rect.bottom);
    }
    let right = u32::try_from(right).ok().filter(|&r| r > 0)?;
    let bottom = u32::try_from(bottom).ok().filter(|&b| b > 0)?;
    Some((right, bottom))
}

fn all_bounds(windows: &[Window]) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = windows.iter().filter_map(|w| w.root.as_ref()).collect();
    while let Some(node) = stack.pop() {
        out.extend(node.bounds);
        stack.extend(node.children.iter());
    }
    out
}

/// The window with input focus: the topmost application window holding a focused node, else
/// the topmost application window covering a real part of the screen, else the topmost
/// application window, else the topmost window holding a focused node, else the topmost one.
fn focused_window(windows: &[Window], holds_focus: &[bool], screen_area: u64) -> usize {
    let is_app = |i: usize| windows[i].r#type() == WindowType::Application;
    let focus = |i: usize| holds_focus.get(i).copied().unwrap_or(false);
    let substantial = |i: usize| {
        let area = windows[i].bounds.as_ref().map_or(0, Rect::area);
        area.saturating_mul(MIN_FOREGROUND_SHARE) >= screen_area
    };
    let topmost = |test: &dyn Fn(usize) -> bool| (0..windows.len()).rev().find(|&i| test(i));
    topmost(&|i| is_app(i) && focus(i))
        .or_else(|| topmost(&|i| is_app(i) && substantial(i)))
        .or_else(|| topmost(&is_app))
        .or_else(|| topmost(&focus))
        .unwrap_or(windows.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::StandardAction;

    fn rect(left: i32, top: i32, right: i32, bottom: i32) -> Option<Rect> {
        Some(Rect {
            left,
            top,
            right,
            bottom,
        })
    }

    fn root(package: &str, bounds: Option<Rect>, children: Vec<Node>) -> Node {
        Node {
            package: package.to_owned(),
            class_name: "android.widget.FrameLayout".to_owned(),
            bounds,
            children,
            ..Node::default()
        }
    }

    fn dump(roots: Vec<Node>) -> Dump {
        Dump {
            format: DumpFormat::UiAutomatorXml,
            roots,
            declared_size: None,
            foreground_package: None,
            default_package: None,
        }
    }

    fn run(dump: Dump) -> (Snapshot, Vec<ImportWarning>) {
        let mut warnings = Warnings::default();
        let snapshot = assemble(dump, &mut warnings);
        assert!(snapshot.is_ok());
        (snapshot.unwrap_or_default(), warnings.finish())
    }

    #[test]
    fn keys_follow_positions() {
        let leaf = Node {
            class_name: "android.widget.EditText".to_owned(),
            ..Node::default()
        };
        let mid = Node {
            children: vec![Node::default(), leaf],
            ..Node::default()
        };
        let (snap, _) = run(dump(vec![
            root("com.example.a", rect(0, 0, 1080, 2400), vec![mid]),
            root("com.example.b", rect(0, 0, 1080, 100), vec![]),
        ]));
        let w0 = snap.windows[0].root.as_ref();
        assert_eq!(w0.map(|r| r.key.as_str()), Some("w0/0"));
        let leaf = w0.map(|r| &r.children[0].children[1]);
        assert_eq!(leaf.map(|n| n.key.as_str()), Some("w0/0.0.1"));
        assert!(leaf.is_some_and(|n| n.editable));
        assert_eq!(
            leaf.map(|n| n.actions[0].kind()),
            Some(StandardAction::SetText)
        );
        assert_eq!(
            snap.windows[1].root.as_ref().map(|r| r.key.as_str()),
            Some("w1/0")
        );
    }

    #[test]
    fn window_metadata_and_package_per_node() {
        let foreign = Node {
            package: "com.example.other".to_owned(),
            ..Node::default()
        };
        let same = Node {
            package: "com.example.app".to_owned(),
            ..Node::default()
        };
        let (snap, _) = run(dump(vec![
            root("com.android.systemui", rect(0, 0, 1080, 80), vec![]),
            root(
                "com.example.app",
                rect(0, 0, 1080, 2400),
                vec![foreign, same],
            ),
            root(
                "com.google.android.inputmethod.latin",
                rect(0, 1600, 1080, 2400),
                vec![],
            ),
        ]));
        let types: Vec<_> = snap.windows.iter().map(|w| w.r#type()).collect();
        assert_eq!(
            types,
            vec![
                WindowType::System,
                WindowType::Application,
                WindowType::InputMethod
            ]
        );
        let layers: Vec<_> = snap.windows.iter().map(|w| w.layer).collect();
        assert_eq!(layers, vec![0, 1, 2]);
        assert_eq!(snap.windows[1].bounds, rect(0, 0, 1080, 2400));
        let kids = snap.windows[1].root.as_ref().map(|r| &r.children);
        assert_eq!(
            kids.map(|k| (k[0].package.as_str(), k[1].package.as_str())),
            Some(("com.example.other", ""))
        );
        assert!(snap.windows[1].focused);
        assert_eq!(snap.foreground_package, "com.example.app");
        assert_eq!((snap.screen_width, snap.screen_height), (1080, 2400));
    }

    #[test]
    fn small_strips_do_not_take_the_foreground() {
        // A launcher's gesture strip dumped above the app, as on some MIUI captures.
        let (snap, _) = run(dump(vec![
            root("com.example.app", rect(0, 0, 1080, 2220), vec![]),
            root("com.example.launcher", rect(0, 2305, 1080, 2340), vec![]),
        ]));
        assert!(snap.windows[0].focused && !snap.windows[1].focused);
        assert_eq!(snap.foreground_package, "com.example.app");
    }

    #[test]
    fn a_focused_node_decides_the_focused_window() {
        let focused = Node {
            focused: true,
            ..Node::default()
        };
        let (snap, _) = run(dump(vec![
            root("com.example.a", rect(0, 0, 1080, 2400), vec![focused]),
            root("com.example.b", rect(0, 0, 1080, 2400), vec![]),
        ]));
        assert!(snap.windows[0].focused && !snap.windows[1].focused);
    }

    #[test]
    fn recorded_foreground_package_wins() {
        let mut d = dump(vec![root("com.example.a", rect(0, 0, 1080, 2400), vec![])]);
        d.foreground_package = Some("com.example.recorded".to_owned());
        let (snap, _) = run(d);
        assert_eq!(snap.foreground_package, "com.example.recorded");
    }

    #[test]
    fn system_only_screens_still_get_a_focused_window() {
        let (snap, _) = run(dump(vec![root(
            "com.android.systemui",
            rect(0, 700, 1080, 1650),
            vec![],
        )]));
        assert!(snap.windows[0].focused);
        assert_eq!(snap.foreground_package, "com.android.systemui");
        // The extent of the only window is all we know of the screen.
        assert_eq!((snap.screen_width, snap.screen_height), (1080, 1650));
    }

    #[test]
    fn declared_size_is_used_unless_it_contradicts_the_windows() {
        let mut d = dump(vec![root("com.example.a", rect(0, 0, 1080, 2400), vec![])]);
        d.declared_size = Some((1080, 2254));
        let (snap, warnings) = run(d);
        assert_eq!((snap.screen_width, snap.screen_height), (1080, 2254));
        assert!(warnings.is_empty());

        let mut d = dump(vec![root("com.example.a", rect(0, 0, 1080, 1920), vec![])]);
        d.declared_size = Some((2340, 1080));
        let (snap, warnings) = run(d);
        assert_eq!((snap.screen_width, snap.screen_height), (1080, 1920));
        assert!(matches!(
            warnings.as_slice(),
            [ImportWarning::ScreenSizeMismatch { .. }]
        ));
    }

    #[test]
    fn size_falls_back_to_nodes_then_to_a_default() {
        let child = Node {
            bounds: rect(0, 0, 720, 1280),
            ..Node::default()
        };
        let (snap, _) = run(dump(vec![root("com.example.a", None, vec![child])]));
        assert_eq!((snap.screen_width, snap.screen_height), (720, 1280));

        let (snap, warnings) = run(dump(vec![root("com.example.a", None, vec![])]));
        assert_eq!((snap.screen_width, snap.screen_height), FALLBACK_SCREEN);
        assert!(matches!(
            warnings.as_slice(),
            [ImportWarning::ScreenSizeUnknown { .. }]
        ));
    }

    #[test]
    fn no_windows_is_an_error() {
        let mut warnings = Warnings::default();
        assert_eq!(
            assemble(dump(vec![]), &mut warnings),
            Err(ImportError::NoNodes {
                format: DumpFormat::UiAutomatorXml
            })
        );
    }

    #[test]
    fn default_package_fills_windows_without_one() {
        let mut d = dump(vec![root("", rect(0, 0, 1080, 2400), vec![])]);
        d.default_package = Some("com.example.shop".to_owned());
        let (snap, _) = run(d);
        assert_eq!(snap.windows[0].package, "com.example.shop");
        assert_eq!(snap.windows[0].r#type(), WindowType::Application);
    }
}
