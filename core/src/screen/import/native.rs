//! Lobster's own `Snapshot`, as protobuf binary or as its canonical proto3 JSON (pbjson).
//!
//! These are what the Kotlin reader sends and what tests and trajectories store, so they are
//! taken as they are, with two repairs the rest of Lobster relies on: every node key is
//! present and unique (the performer resolves actions through them), and no tree is deeper
//! than the depth cap. Protobuf has no magic number and random bytes often decode as *some*
//! message, so a decoded binary must also look like a snapshot: at least one window with a
//! node, and only window types the schema knows.

use std::collections::{HashMap, HashSet};

use prost::Message;

use super::super::{Node, Snapshot, WindowType};
use super::error::{Count, ImportError, Warnings};
use super::{DumpFormat, MAX_DEPTH, tree};

/// Decodes and repairs a protobuf-encoded snapshot.
pub(super) fn parse_proto(bytes: &[u8], warnings: &mut Warnings) -> Result<Snapshot, ImportError> {
    let snapshot = Snapshot::decode(bytes).map_err(|_| ImportError::Protobuf {
        problem: "the bytes do not decode as a Snapshot message",
    })?;
    if !has_a_node(&snapshot) {
        return Err(ImportError::Protobuf {
            problem: "it decodes, but holds no window with a node",
        });
    }
    if snapshot
        .windows
        .iter()
        .any(|w| WindowType::try_from(w.r#type).is_err())
    {
        return Err(ImportError::Protobuf {
            problem: "it decodes, but has a window type the schema does not know",
        });
    }
    Ok(repair(snapshot, warnings))
}

/// Parses and repairs a snapshot in its canonical JSON form.
pub(super) fn parse_json(bytes: &[u8], warnings: &mut Warnings) -> Result<Snapshot, ImportError> {
    let snapshot: Snapshot = serde_json::from_slice(bytes).map_err(|e| ImportError::json(&e))?;
    if !has_a_node(&snapshot) {
        return Err(ImportError::NoNodes {
            format: DumpFormat::SnapshotJson,
        });
    }
    Ok(repair(snapshot, warnings))
}

fn has_a_node(snapshot: &Snapshot) -> bool {
    snapshot.windows.iter().any(|w| w.root.is_some())
}

/// Caps the depth of every window's tree and makes every key present and unique.
fn repair(mut snapshot: Snapshot, warnings: &mut Warnings) -> Snapshot {
    for window in &mut snapshot.windows {
        if let Some(root) = window.root.as_mut() {
            warnings.count(Count::TooDeep, tree::truncate_depth(root, MAX_DEPTH));
        }
    }
    fix_keys(&mut snapshot, warnings);
    snapshot
}

/// Keeps the first node (in window order, then pre-order) holding each key; gives later
/// holders the key with a `#n` suffix, and keyless nodes their positional key (`w0/0.3.1`),
/// suffixed too if some node already holds it.
fn fix_keys(snapshot: &mut Snapshot, warnings: &mut Warnings) {
    let mut given: HashSet<String> = HashSet::new();
    for window in &snapshot.windows {
        let mut stack: Vec<&Node> = window.root.iter().collect();
        while let Some(node) = stack.pop() {
            if !node.key.is_empty() {
                given.insert(node.key.clone());
            }
            stack.extend(node.children.iter());
        }
    }
    let mut used: HashSet<String> = HashSet::with_capacity(given.len());
    let mut next_suffix: HashMap<String, u64> = HashMap::new();
    let mut unique = |base: String, used: &mut HashSet<String>| -> String {
        if !used.contains(&base) && !given.contains(&base) {
            return base;
        }
        let counter = next_suffix.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}#{counter}");
            *counter += 1;
            if !used.contains(&candidate) && !given.contains(&candidate) {
                return candidate;
            }
        }
    };
    let (mut duplicates, mut missing) = (0, 0);
    for (index, window) in snapshot.windows.iter_mut().enumerate() {
        let mut stack: Vec<(&mut Node, String)> = window
            .root
            .iter_mut()
            .map(|root| (root, format!("w{index}/0")))
            .collect();
        while let Some((node, position)) = stack.pop() {
            if node.key.is_empty() {
                missing += 1;
                node.key = unique(position.clone(), &mut used);
            } else if used.contains(&node.key) {
                duplicates += 1;
                node.key = unique(std::mem::take(&mut node.key), &mut used);
            }
            used.insert(node.key.clone());
            for (i, child) in node.children.iter_mut().enumerate().rev() {
                stack.push((child, format!("{position}.{i}")));
            }
        }
    }
    warnings.count(Count::DuplicateKeys, duplicates);
    warnings.count(Count::MissingKeys, missing);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::Window;
    use crate::screen::import::error::ImportWarning;

    fn keyed(key: &str, children: Vec<Node>) -> Node {
        Node {
            key: key.to_owned(),
            children,
            ..Node::default()
        }
    }

    fn snapshot(roots: Vec<Node>) -> Snapshot {
        Snapshot {
            windows: roots
                .into_iter()
                .map(|root| Window {
                    r#type: WindowType::Application as i32,
                    root: Some(root),
                    ..Window::default()
                })
                .collect(),
            ..Snapshot::default()
        }
    }

    fn keys(snapshot: &Snapshot) -> Vec<String> {
        let mut out = Vec::new();
        for window in &snapshot.windows {
            let mut stack: Vec<&Node> = window.root.iter().collect();
            while let Some(node) = stack.pop() {
                out.push(node.key.clone());
                stack.extend(node.children.iter().rev());
            }
        }
        out
    }

    #[test]
    fn duplicate_and_missing_keys_are_repaired() {
        let snap = snapshot(vec![
            keyed(
                "a",
                vec![keyed("b", vec![]), keyed("a", vec![]), keyed("", vec![])],
            ),
            keyed(
                "b",
                vec![
                    keyed("a#2", vec![]),
                    keyed("w1/0.2", vec![]),
                    keyed("", vec![]),
                ],
            ),
        ]);
        let mut warnings = Warnings::default();
        let fixed = repair(snap, &mut warnings);
        assert_eq!(
            keys(&fixed),
            vec![
                "a", "b", "a#3", "w0/0.2", "b#2", "a#2", "w1/0.2", "w1/0.2#2"
            ]
        );
        let warnings = warnings.finish();
        assert!(warnings.contains(&ImportWarning::DuplicateKeys { count: 2 }));
        assert!(warnings.contains(&ImportWarning::MissingKeys { count: 2 }));
    }

    #[test]
    fn many_duplicates_stay_linear() {
        let leaves = (0..20_000).map(|_| keyed("same", vec![])).collect();
        let mut warnings = Warnings::default();
        let fixed = repair(snapshot(vec![keyed("root", leaves)]), &mut warnings);
        let all = keys(&fixed);
        let distinct: HashSet<_> = all.iter().collect();
        assert_eq!(distinct.len(), all.len());
    }

    #[test]
    fn round_trips_through_protobuf_and_json() {
        let snap = snapshot(vec![keyed("k", vec![keyed("c", vec![])])]);
        let mut warnings = Warnings::default();
        let from_proto = parse_proto(&snap.encode_to_vec(), &mut warnings).unwrap();
        assert_eq!(from_proto, snap);
        let json = serde_json::to_vec(&snap).unwrap();
        let from_json = parse_json(&json, &mut warnings).unwrap();
        assert_eq!(from_json, snap);
        assert!(warnings.finish().is_empty());
    }

    #[test]
    fn decodable_garbage_is_rejected() {
        let mut warnings = Warnings::default();
        // Field 1 (screen_width) = 5, nothing else: decodes, but is no screen.
        assert!(matches!(
            parse_proto(&[0x08, 0x05], &mut warnings),
            Err(ImportError::Protobuf { .. })
        ));
        let mut odd = snapshot(vec![keyed("k", vec![])]);
        odd.windows[0].r#type = 77;
        assert!(matches!(
            parse_proto(&odd.encode_to_vec(), &mut warnings),
            Err(ImportError::Protobuf { .. })
        ));
        assert_eq!(
            parse_json(b"{\"windows\":[]}", &mut warnings).err(),
            Some(ImportError::NoNodes {
                format: DumpFormat::SnapshotJson
            })
        );
    }
}
