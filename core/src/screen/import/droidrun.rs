//! DroidRun Portal accessibility export: `{"status", "data": {"a11y_tree", "phone_state"}}`.
//!
//! DroidRun is the closest peer, and its Portal app's export is what its users have on disk.
//! The tree is nested (`children` arrays), nodes carry a short class name, a `text` (the node's
//! text or description), `resourceId` and `bounds` as `"l, t, r, b"`, but no package: the
//! package comes from `phone_state.packageName`. Portal versions differ (the `data` member has
//! been seen as a JSON string holding the object, later versions add flags and
//! `device_context`), so every member is optional and read under each spelling in use.

use serde_json::{Map, Value};

use super::super::Node;
use super::assemble::Dump;
use super::error::{Count, ImportError, Warnings};
use super::json::{self, FlagNames};
use super::tree::{Flat, build_forest};
use super::{DumpFormat, MAX_DEPTH};

const EXPECTED: &str = "a DroidRun Portal export (`data.a11y_tree`, an array of nodes)";

const FLAGS: FlagNames = FlagNames {
    clickable: &["clickable", "isClickable"],
    long_clickable: &["longClickable", "isLongClickable", "long_clickable"],
    checkable: &["checkable", "isCheckable"],
    checked: &["checked", "isChecked"],
    enabled: &["enabled", "isEnabled"],
    focusable: &["focusable", "isFocusable"],
    focused: &["focused", "isFocused"],
    scrollable: &["scrollable", "isScrollable"],
    selected: &["selected", "isSelected"],
    password: &["password", "isPassword"],
    editable: &["editable", "isEditable"],
    visible: &["visible", "isVisibleToUser", "visibleToUser"],
};

/// The parts of an export the importer reads.
struct Export {
    tree: Vec<Value>,
    phone_state: Map<String, Value>,
    device_context: Map<String, Value>,
}

/// Reads a DroidRun Portal export (or a bare `a11y_tree` array).
pub(super) fn parse(bytes: &[u8], warnings: &mut Warnings) -> Result<Dump, ImportError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| ImportError::json(&e))?;
    let export = locate(value)?;
    let mut flat = flatten(&export.tree, warnings);
    mark_focused_element(&mut flat, &export.phone_state);
    let package = json::string(&export.phone_state, &["packageName", "package"]);
    let package = (!package.is_empty()).then_some(package);
    let declared_size = export
        .device_context
        .get("screen_bounds")
        .and_then(Value::as_object)
        .and_then(|size| {
            Some((
                json::unsigned(size, &["width"])?,
                json::unsigned(size, &["height"])?,
            ))
        });
    Ok(Dump {
        format: DumpFormat::DroidRunJson,
        roots: build_forest(flat),
        declared_size,
        foreground_package: package.clone(),
        default_package: package,
    })
}

/// Finds the tree and the phone state in the export's envelope.
fn locate(value: Value) -> Result<Export, ImportError> {
    let shape = || ImportError::JsonShape { expected: EXPECTED };
    let mut object = match value {
        Value::Array(tree) => {
            return Ok(Export {
                tree,
                phone_state: Map::new(),
                device_context: Map::new(),
            });
        }
        Value::Object(mut object) => match object.remove("data") {
            Some(Value::Object(data)) => data,
            Some(Value::String(inner)) => match serde_json::from_str(&inner) {
                Ok(Value::Object(data)) => data,
                Ok(_) => return Err(shape()),
                Err(err) => return Err(ImportError::json(&err)),
            },
            Some(_) => return Err(shape()),
            None => object,
        },
        _ => return Err(shape()),
    };
    let tree = match object.remove("a11y_tree") {
        Some(Value::Array(tree)) => tree,
        _ => return Err(shape()),
    };
    let mut member = |name: &str| match object.remove(name) {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    Ok(Export {
        tree,
        phone_state: member("phone_state"),
        device_context: member("device_context"),
    })
}

/// The nested tree in pre-order, without recursion; nodes below the depth cap are dropped,
/// entries that are not objects skipped.
fn flatten(tree: &[Value], warnings: &mut Warnings) -> Vec<Flat> {
    let mut flat = Vec::new();
    let mut stack: Vec<(&Value, Option<usize>, usize)> =
        tree.iter().rev().map(|root| (root, None, 0)).collect();
    while let Some((value, parent, depth)) = stack.pop() {
        let Some(object) = value.as_object() else {
            warnings.count(Count::SkippedEntries, 1);
            continue;
        };
        if depth > MAX_DEPTH {
            warnings.count(Count::TooDeep, 1 + count_below(object));
            continue;
        }
        flat.push(Flat {
            node: node_of(object, warnings),
            parent,
        });
        let index = flat.len() - 1;
        for child in children(object).iter().rev() {
            stack.push((child, Some(index), depth + 1));
        }
    }
    flat
}

fn children(object: &Map<String, Value>) -> &[Value] {
    match object.get("children") {
        Some(Value::Array(children)) => children,
        _ => &[],
    }
}

/// Objects under `object` (for counting a dropped subtree).
fn count_below(object: &Map<String, Value>) -> usize {
    let mut count = 0;
    let mut stack: Vec<&Value> = children(object).iter().collect();
    while let Some(value) = stack.pop() {
        if let Some(child) = value.as_object() {
            count += 1;
            stack.extend(children(child));
        }
    }
    count
}

fn node_of(object: &Map<String, Value>, warnings: &mut Warnings) -> Node {
    let mut node = Node {
        class_name: json::string(object, &["className", "class"]),
        text: json::string(object, &["text"]),
        content_description: json::string(
            object,
            &["contentDescription", "contentDesc", "content_description"],
        ),
        hint: json::string(object, &["hint", "hintText"]),
        resource_id: json::string(object, &["resourceId", "resource_id", "viewId"]),
        package: json::string(object, &["packageName", "package"]),
        ..Node::default()
    };
    json::read_flags_and_bounds(&mut node, object, &FLAGS, warnings);
    if !has_interaction_flags(object) {
        portal_selected_element(&mut node);
    }
    node
}

/// Whether the export says how a node can be acted on (later Portal versions do).
fn has_interaction_flags(object: &Map<String, Value>) -> bool {
    [
        FLAGS.clickable,
        FLAGS.long_clickable,
        FLAGS.checkable,
        FLAGS.scrollable,
        FLAGS.editable,
    ]
    .iter()
    .flat_map(|names| names.iter())
    .any(|name| object.contains_key(*name))
}

/// Reads a node of a Portal export without interaction flags the way DroidRun itself does: the
/// Portal only exports the elements it found interactive, and DroidRun's agent taps any of
/// them by index, so each one is a tap target (a scroll container scrolls). When the Portal had
/// no text for a node it wrote the resource name or class name in `text`; that is no label.
fn portal_selected_element(node: &mut Node) {
    let fallback_label = node.text == node.short_class()
        || (!node.resource_name().is_empty() && node.text == node.resource_name());
    if fallback_label {
        node.text.clear();
    }
    let short_class = node.short_class();
    let scrolls = [
        "ScrollView",
        "RecyclerView",
        "ListView",
        "ViewPager",
        "GridView",
    ]
    .iter()
    .any(|kind| short_class.contains(kind));
    let editable = short_class.contains("EditText");
    node.scrollable = scrolls;
    node.clickable = !scrolls;
    node.editable = editable;
}

/// Marks the node the phone state names as focused, when exactly one node has its resource
/// id (the state names it by nothing else).
fn mark_focused_element(flat: &mut [Flat], phone_state: &Map<String, Value>) {
    let Some(element) = phone_state.get("focusedElement").and_then(Value::as_object) else {
        return;
    };
    let id = json::string(element, &["resourceId", "resource_id"]);
    if id.is_empty() {
        return;
    }
    let mut matches = flat.iter_mut().filter(|f| f.node.resource_id == id);
    if let (Some(only), None) = (matches.next(), matches.next()) {
        only.node.focused = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::count_nodes;
    use crate::screen::import::error::ImportWarning;

    fn parse_str(text: &str) -> (Result<Dump, ImportError>, Vec<ImportWarning>) {
        let mut warnings = Warnings::default();
        let dump = parse(text.as_bytes(), &mut warnings);
        (dump, warnings.finish())
    }

    const SMALL: &str = r#"{"status":"success","data":{"a11y_tree":[
        {"index":1,"resourceId":"","className":"FrameLayout","text":"FrameLayout","bounds":"0, 0, 1080, 2400",
         "children":[
           {"index":2,"resourceId":"com.example.shop:id/search","className":"EditText","text":"",
            "bounds":"0, 80, 1080, 200","children":[]},
           {"index":3,"resourceId":"","className":"TextView","text":"Cart","bounds":"0, 0, 0, 0",
            "children":[]}]}],
        "phone_state":{"currentApp":"Shop","packageName":"com.example.shop","keyboardVisible":false,
         "isEditable":false,"focusedElement":{"resourceId":"com.example.shop:id/search"}}}}"#;

    #[test]
    fn reads_the_portal_envelope() {
        let (dump, warnings) = parse_str(SMALL);
        let dump = dump.unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(dump.roots.len(), 1);
        assert_eq!(count_nodes(&dump.roots[0]), 3);
        assert_eq!(dump.default_package.as_deref(), Some("com.example.shop"));
        let search = &dump.roots[0].children[0];
        assert!(search.focused && search.visible);
        assert!(
            search.editable && search.clickable,
            "Portal elements are interactive"
        );
        assert!(
            dump.roots[0].text.is_empty(),
            "the class name written as text is no label"
        );
        assert!(!dump.roots[0].children[1].visible);
    }

    #[test]
    fn data_as_a_json_string_and_bare_arrays() {
        let inner = r#"{"a11y_tree":[{"className":"FrameLayout","bounds":"0, 0, 10, 10"}]}"#;
        let wrapped = serde_json::json!({"status": "success", "data": inner}).to_string();
        assert_eq!(parse_str(&wrapped).0.unwrap().roots.len(), 1);
        let bare = r#"[{"className":"FrameLayout","bounds":"0, 0, 10, 10","children":[]}]"#;
        assert_eq!(parse_str(bare).0.unwrap().roots.len(), 1);
    }

    #[test]
    fn wrong_shapes_are_errors() {
        for text in [
            r#"{"status":"success","data":{"phone_state":{}}}"#,
            r#"{"status":"success","data":3}"#,
            r#"{"status":"success","data":"[1]"}"#,
            r#"{"a11y_tree":{}}"#,
            "true",
        ] {
            assert_eq!(
                parse_str(text).0.err(),
                Some(ImportError::JsonShape { expected: EXPECTED }),
                "{text}"
            );
        }
    }

    #[test]
    fn junk_entries_are_skipped_and_depth_capped() {
        let mut tree = String::from(r#"{"className":"Leaf","bounds":"0, 0, 1, 1"}"#);
        for _ in 0..40 {
            tree = format!(r#"{{"className":"V","bounds":"0, 0, 1, 1","children":[{tree}, 7]}}"#);
        }
        let (dump, warnings) = parse_str(&format!(r#"{{"a11y_tree":[{tree}, "x"]}}"#));
        let dump = dump.unwrap();
        assert_eq!(count_nodes(&dump.roots[0]), 41.min(MAX_DEPTH + 1));
        assert!(warnings.contains(&ImportWarning::SkippedEntries { count: 41 }));
    }
}
