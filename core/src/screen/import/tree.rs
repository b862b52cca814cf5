//! Building and trimming node trees without recursion.
//!
//! Dumps come from other people's phones and other people's tools: a tree can be absurdly deep,
//! and a corrupt one can even be cyclic. Recursing over such input would blow the stack, so
//! every walk here keeps its own stack on the heap, trees are assembled from a flat pre-order
//! list, and subtrees are taken apart iteratively when dropped.

use super::super::{Node, count_nodes};

/// A node (without children yet) in a pre-order list, with the list index of its parent.
pub(super) struct Flat {
    /// The node; its `children` must be empty, they are filled from the list.
    pub node: Node,
    /// Index of the parent in the same list, `None` for a root. A parent comes before its
    /// children in pre-order; an index that does not makes the node a root.
    pub parent: Option<usize>,
}

/// Builds the trees of a pre-order list; returns the roots in list order, each node's children
/// in list order.
pub(super) fn build_forest(flat: Vec<Flat>) -> Vec<Node> {
    let mut parents = Vec::with_capacity(flat.len());
    let mut slots = Vec::with_capacity(flat.len());
    for item in flat {
        parents.push(item.parent);
        slots.push(Some(item.node));
    }
    let mut roots = Vec::new();
    // In reverse pre-order every node comes after all of its descendants, so when it is taken
    // its children are complete (pushed last-first, hence the reverse).
    for i in (0..slots.len()).rev() {
        let Some(mut node) = slots[i].take() else {
            continue;
        };
        node.children.reverse();
        let parent = parents[i]
            .filter(|&p| p < i)
            .and_then(|p| slots[p].as_mut());
        match parent {
            Some(parent) => parent.children.push(node),
            None => roots.push(node),
        }
    }
    roots.reverse();
    roots
}

/// Removes the nodes deeper than `max_depth` (the root is depth 0); returns how many went.
pub(super) fn truncate_depth(root: &mut Node, max_depth: usize) -> usize {
    let mut dropped = 0;
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth >= max_depth {
            if !node.children.is_empty() {
                let removed = std::mem::take(&mut node.children);
                dropped += removed.iter().map(count_nodes).sum::<usize>();
                dismantle(removed);
            }
        } else {
            stack.extend(node.children.iter_mut().map(|child| (child, depth + 1)));
        }
    }
    dropped
}

/// Drops trees one node at a time, so that a deep tree does not recurse in `Drop`.
pub(super) fn dismantle(mut nodes: Vec<Node>) {
    while let Some(mut node) = nodes.pop() {
        nodes.append(&mut node.children);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Node {
        Node {
            key: name.to_owned(),
            ..Node::default()
        }
    }

    fn shape(node: &Node) -> String {
        if node.children.is_empty() {
            return node.key.clone();
        }
        let kids: Vec<_> = node.children.iter().map(shape).collect();
        format!("{}({})", node.key, kids.join(","))
    }

    fn chain(depth: usize) -> Node {
        let mut node = named("leaf");
        for _ in 0..depth {
            node = Node {
                children: vec![node],
                ..Node::default()
            };
        }
        node
    }

    #[test]
    fn builds_trees_in_order() {
        let flat = vec![
            Flat {
                node: named("a"),
                parent: None,
            },
            Flat {
                node: named("b"),
                parent: Some(0),
            },
            Flat {
                node: named("c"),
                parent: Some(1),
            },
            Flat {
                node: named("d"),
                parent: Some(0),
            },
            Flat {
                node: named("e"),
                parent: None,
            },
            Flat {
                node: named("f"),
                parent: Some(4),
            },
            // A parent after the child is no parent: the node becomes a root.
            Flat {
                node: named("g"),
                parent: Some(9),
            },
        ];
        let roots: Vec<_> = build_forest(flat).iter().map(shape).collect();
        assert_eq!(roots, vec!["a(b(c),d)", "e(f)", "g"]);
    }

    #[test]
    fn truncates_deep_chains_and_counts() {
        let mut root = chain(10);
        assert_eq!(count_nodes(&root), 11);
        assert_eq!(truncate_depth(&mut root, 3), 7);
        assert_eq!(count_nodes(&root), 4);
        assert_eq!(truncate_depth(&mut root, 3), 0);
    }

    #[test]
    fn dismantles_a_very_deep_tree_without_recursing() {
        let mut root = named("root");
        // Built bottom-up in a loop; a recursive drop of this would overflow the stack.
        for _ in 0..200_000 {
            root = Node {
                children: vec![root],
                ..Node::default()
            };
        }
        assert_eq!(count_nodes(&root), 200_001);
        dismantle(vec![root]);
    }
}
