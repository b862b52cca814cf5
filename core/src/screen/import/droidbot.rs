//! DroidBot state JSON (`states/state_*.json`), the format of DroidBot crawls and of the
//! research data sets built on them.
//!
//! DroidBot flattens the tree into a `views` list where each view names its `parent` and its
//! `children` by list index. Indices are data, not structure: a corrupt or hand-edited state
//! can point outside the list, at itself, or around in a cycle. The tree is therefore rebuilt
//! by an explicit-stack walk that places each view at most once, ignores bad references (and
//! counts them), and imports views no root reaches as extra windows rather than losing them.

use serde_json::{Map, Value};

use super::super::Node;
use super::assemble::Dump;
use super::error::{Count, ImportError, Warnings};
use super::json::{self, FlagNames};
use super::tree::{Flat, build_forest};
use super::{DumpFormat, MAX_DEPTH};

const EXPECTED: &str = "a DroidBot state (an object with a `views` array)";

const FLAGS: FlagNames = FlagNames {
    clickable: &["clickable"],
    long_clickable: &["long_clickable", "long-clickable"],
    checkable: &["checkable"],
    checked: &["checked"],
    enabled: &["enabled"],
    focusable: &["focusable"],
    focused: &["focused"],
    scrollable: &["scrollable"],
    selected: &["selected"],
    password: &["is_password", "password"],
    editable: &["editable"],
    visible: &["visible"],
};

/// Reads a DroidBot state (or a bare `views` list).
pub(super) fn parse(bytes: &[u8], warnings: &mut Warnings) -> Result<Dump, ImportError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| ImportError::json(&e))?;
    let shape = ImportError::JsonShape { expected: EXPECTED };
    let (state, views) = match &value {
        Value::Object(state) => match state.get("views") {
            Some(Value::Array(views)) => (Some(state), views),
            _ => return Err(shape),
        },
        Value::Array(views) => (None, views),
        _ => return Err(shape),
    };
    let roots = build_forest(flatten(views, warnings));
    let declared_size = state.and_then(|s| {
        Some((
            json::unsigned(s, &["width"])?,
            json::unsigned(s, &["height"])?,
        ))
    });
    let foreground_package = state
        .map(|s| json::string(s, &["foreground_activity"]))
        .and_then(|activity| {
            let package = activity.split('/').next().unwrap_or_default().trim();
            (!package.is_empty()).then(|| package.to_owned())
        });
    Ok(Dump {
        format: DumpFormat::DroidBotJson,
        roots,
        declared_size,
        foreground_package,
        default_package: None,
    })
}

/// Where a view goes in the rebuilt tree.
#[derive(Clone, Copy)]
enum Place {
    /// A window root.
    Root,
    /// Under the node at this index of the pre-order list.
    Under(usize),
    /// Nowhere: it lies below the depth cap.
    Dropped,
}

/// Walks the views from the roots (views without a parent), then from every view still
/// unplaced, into a pre-order list; each view is placed at most once.
fn flatten(views: &[Value], warnings: &mut Warnings) -> Vec<Flat> {
    let mut placed = vec![false; views.len()];
    let mut skipped = 0;
    for (i, view) in views.iter().enumerate() {
        if !view.is_object() {
            placed[i] = true;
            skipped += 1;
        }
    }
    warnings.count(Count::SkippedEntries, skipped);

    let mut flat = Vec::with_capacity(views.len());
    let roots: Vec<usize> = views
        .iter()
        .enumerate()
        .filter(|(_, view)| is_root(view))
        .map(|(i, _)| i)
        .collect();
    for root in roots {
        walk(views, root, &mut placed, &mut flat, warnings);
    }
    for start in 0..views.len() {
        if !placed[start] {
            let before = flat.len();
            let dropped_before = warnings.counted(Count::TooDeep);
            walk(views, start, &mut placed, &mut flat, warnings);
            let reached = flat.len() - before + warnings.counted(Count::TooDeep) - dropped_before;
            warnings.count(Count::OrphanViews, reached);
        }
    }
    flat
}

/// A view with no parent: `parent` absent, null or negative.
fn is_root(view: &Value) -> bool {
    match view.get("parent") {
        None | Some(Value::Null) => view.is_object(),
        Some(parent) => parent.as_i64().is_some_and(|p| p < 0),
    }
}

/// Places `start` and everything it reaches through `children`, depth first, without
/// recursion.
fn walk(
    views: &[Value],
    start: usize,
    placed: &mut [bool],
    flat: &mut Vec<Flat>,
    warnings: &mut Warnings,
) {
    let mut stack = vec![(start, Place::Root, 0usize)];
    while let Some((index, place, depth)) = stack.pop() {
        if placed[index] {
            warnings.count(Count::RepeatedChildren, 1);
            continue;
        }
        placed[index] = true;
        let Some(view) = views[index].as_object() else {
            continue;
        };
        let place_children = if matches!(place, Place::Dropped) || depth > MAX_DEPTH {
            warnings.count(Count::TooDeep, 1);
            Place::Dropped
        } else {
            let parent = match place {
                Place::Under(parent) => Some(parent),
                Place::Root | Place::Dropped => None,
            };
            flat.push(Flat {
                node: node_of(view, warnings),
                parent,
            });
            Place::Under(flat.len() - 1)
        };
        let children = view.get("children").and_then(Value::as_array);
        for child in children.into_iter().flatten().rev() {
            match child.as_u64().and_then(|c| usize::try_from(c).ok()) {
                Some(c) if c < views.len() => {
                    if views[c].is_object() {
                        stack.push((c, place_children, depth + 1));
                    }
                }
                _ => warnings.count(Count::DanglingChildren, 1),
            }
        }
    }
}

fn node_of(view: &Map<String, Value>, warnings: &mut Warnings) -> Node {
    let mut node = Node {
        class_name: json::string(view, &["class"]),
        text: json::string(view, &["text"]),
        content_description: json::string(view, &["content_description"]),
        resource_id: json::string(view, &["resource_id"]),
        package: json::string(view, &["package"]),
        ..Node::default()
    };
    json::read_flags_and_bounds(&mut node, view, &FLAGS, warnings);
    node
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

    fn view(parent: i64, children: &[usize]) -> String {
        format!(
            r#"{{"class":"android.widget.FrameLayout","package":"com.example.app","parent":{parent},
                "children":{children:?},"bounds":[[0,0],[100,100]],"visible":true}}"#
        )
    }

    fn state(views: &[String]) -> String {
        format!(
            r#"{{"foreground_activity":"com.example.app/.Main","views":[{}]}}"#,
            views.join(",")
        )
    }

    #[test]
    fn rebuilds_the_tree_from_indices() {
        let (dump, warnings) = parse_str(&state(&[
            view(-1, &[1, 2]),
            view(0, &[3]),
            view(0, &[]),
            view(1, &[]),
        ]));
        let dump = dump.unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(dump.roots.len(), 1);
        assert_eq!(count_nodes(&dump.roots[0]), 4);
        assert_eq!(dump.roots[0].children[0].children.len(), 1);
        assert_eq!(dump.foreground_package.as_deref(), Some("com.example.app"));
    }

    #[test]
    fn out_of_range_and_cyclic_indices_terminate() {
        // 0 -> 1 -> 2 -> 1 (cycle), 1 -> 99 (out of range), 2 -> 2 (self), 3 -> "x".
        let (dump, warnings) = parse_str(&state(&[
            view(-1, &[1]),
            view(0, &[2, 99]),
            view(1, &[1, 2]),
            r#"{"parent":0,"children":["x",-4],"bounds":[[0,0],[1,1]]}"#.to_owned(),
        ]));
        let dump = dump.unwrap();
        assert_eq!(
            dump.roots.len(),
            2,
            "the unreached view becomes its own window"
        );
        assert!(warnings.contains(&ImportWarning::DanglingChildren { count: 3 }));
        assert!(warnings.contains(&ImportWarning::RepeatedChildren { count: 2 }));
        assert!(warnings.contains(&ImportWarning::OrphanViews { count: 1 }));
    }

    #[test]
    fn a_fully_cyclic_state_still_imports_every_view_once() {
        let (dump, warnings) = parse_str(&state(&[view(1, &[1]), view(0, &[0])]));
        let dump = dump.unwrap();
        let total: usize = dump.roots.iter().map(count_nodes).sum();
        assert_eq!(total, 2);
        assert!(warnings.contains(&ImportWarning::OrphanViews { count: 2 }));
    }

    #[test]
    fn deep_chains_are_capped() {
        let n = MAX_DEPTH + 20;
        let views: Vec<String> = (0..n)
            .map(|i| {
                let parent = i as i64 - 1;
                let children: Vec<usize> = if i + 1 < n { vec![i + 1] } else { vec![] };
                view(parent, &children)
            })
            .collect();
        let (dump, warnings) = parse_str(&state(&views));
        let dump = dump.unwrap();
        assert_eq!(count_nodes(&dump.roots[0]), MAX_DEPTH + 1);
        assert!(warnings.contains(&ImportWarning::TooDeep {
            max_depth: MAX_DEPTH,
            dropped: 19
        }));
    }

    #[test]
    fn flags_defaults_and_missing_bounds() {
        let (dump, warnings) = parse_str(
            r#"{"views":[{"parent":-1,"children":[],"class":"android.widget.EditText",
                "text":null,"is_password":true,"bounds":"nonsense"},
                {"parent":-1,"children":[],"bounds":[[5,5],[5,5]]}]}"#,
        );
        let dump = dump.unwrap();
        let field = &dump.roots[0];
        assert!(field.password && field.enabled && field.visible);
        assert!(field.bounds.is_none());
        let zero = &dump.roots[1];
        assert!(
            !zero.visible,
            "zero-size with no visible flag is not visible"
        );
        assert!(warnings.contains(&ImportWarning::UnknownBounds {
            missing: 0,
            unparseable: 1
        }));
    }

    #[test]
    fn wrong_shapes_are_errors() {
        for text in [r#"{"views": 3}"#, r#"{"view": []}"#, "3", r#""views""#] {
            assert_eq!(
                parse_str(text).0.err(),
                Some(ImportError::JsonShape { expected: EXPECTED }),
                "{text}"
            );
        }
        assert!(matches!(
            parse_str(r#"{"views": ["#).0,
            Err(ImportError::Json { .. })
        ));
    }
}
