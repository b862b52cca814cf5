//! Small facts about a node that several stages read: its class's short name, its resource
//! id's entry name, and the size of its subtree. One definition each, so the encoder, the
//! importers, the guard and the CLI name and count nodes the same way.

use super::Node;

impl Node {
    /// The class without its package: `android.widget.Switch` → `Switch`.
    pub fn short_class(&self) -> &str {
        self.class_name
            .rsplit('.')
            .next()
            .unwrap_or(&self.class_name)
    }

    /// The entry name of the node's resource id: `com.app:id/btn_send` → `btn_send`.
    pub fn resource_name(&self) -> &str {
        resource_entry(&self.resource_id)
    }
}

/// The part of a resource id after its package and type: `com.app:id/btn_send` → `btn_send`
/// (after the last `/`, else after the last `:`, else the whole id).
pub fn resource_entry(identifier: &str) -> &str {
    identifier
        .rsplit_once('/')
        .or_else(|| identifier.rsplit_once(':'))
        .map_or(identifier, |(_, entry)| entry)
}

/// The number of nodes in the tree under `root`, `root` included, without recursion (imported
/// trees may be deep).
pub fn count_nodes(root: &Node) -> usize {
    let mut count = 0;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        count += 1;
        stack.extend(node.children.iter());
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::test_support::*;

    #[test]
    fn names_and_counts() {
        let mut switch = switch("s", true, 0);
        switch.resource_id = "com.example:id/switch_widget".into();
        assert_eq!(switch.short_class(), "Switch");
        assert_eq!(switch.resource_name(), "switch_widget");
        assert_eq!(resource_entry("android:title"), "title");
        assert_eq!(resource_entry("plain"), "plain");
        let tree = with_children(button("a", "A", 0), vec![switch, text("t", "T", 0)]);
        assert_eq!(count_nodes(&tree), 3);
    }
}
