//! Widgets: the accessibility nodes a real Android view hierarchy exposes, and what each does
//! when acted on.
//!
//! Why one builder for every app: the planner, the encoder and the guard must meet the same
//! shapes they meet on a phone (a clickable row `LinearLayout` holding a title and a summary
//! `TextView`, a `Toolbar` with a "Navigate up" `ImageButton`, an `EditText` with a hint, a
//! `RecyclerView` that only holds the rows on screen), so every app builds its screens from these
//! few widgets. Each interactive widget registers its [`Behaviour`] under its node key while the
//! screen is built, so what a button does is written next to the button, and the device can only
//! act on nodes that are on the screen being shown.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::nav::World;
use lobster_core::screen::{
    AccessibilityAction, CollectionInfo, CollectionItemInfo, Node, RangeInfo, RangeType, Rect,
    StandardAction,
};

/// Screen width in pixels.
pub(crate) const WIDTH: i32 = 1080;
/// Screen height in pixels.
pub(crate) const HEIGHT: i32 = 2400;
/// Bottom of the status bar: apps lay out below it.
pub(crate) const STATUS_BAR_BOTTOM: i32 = 96;
/// Top of the gesture navigation handle: apps lay out above it.
pub(crate) const NAV_HANDLE_TOP: i32 = 2337;
/// Bottom of an app's toolbar.
pub(crate) const TOOLBAR_BOTTOM: i32 = 250;

/// View classes, as `getAccessibilityClassName()` reports them.
pub(crate) mod class {
    /// A frame.
    pub const FRAME: &str = "android.widget.FrameLayout";
    /// A row or column.
    pub const LINEAR: &str = "android.widget.LinearLayout";
    /// A relative layout.
    pub const RELATIVE: &str = "android.widget.RelativeLayout";
    /// A generic group (toolbars, constraint layouts).
    pub const VIEW_GROUP: &str = "android.view.ViewGroup";
    /// A recycling list.
    pub const RECYCLER: &str = "androidx.recyclerview.widget.RecyclerView";
    /// A plain list (popup menus).
    pub const LIST_VIEW: &str = "android.widget.ListView";
    /// Text.
    pub const TEXT: &str = "android.widget.TextView";
    /// An image.
    pub const IMAGE: &str = "android.widget.ImageView";
    /// An icon button.
    pub const IMAGE_BUTTON: &str = "android.widget.ImageButton";
    /// A text button.
    pub const BUTTON: &str = "android.widget.Button";
    /// A text field.
    pub const EDIT: &str = "android.widget.EditText";
    /// A switch.
    pub const SWITCH: &str = "android.widget.Switch";
    /// A slider.
    pub const SEEK_BAR: &str = "android.widget.SeekBar";
    /// A spinner.
    pub const PROGRESS: &str = "android.widget.ProgressBar";
}

/// What tapping (or long-pressing, or pressing Enter in) a node does.
pub(crate) type OnTap = Rc<dyn Fn(&mut World<'_>)>;
/// What a field does with its new text.
pub(crate) type OnText = Rc<dyn Fn(&mut World<'_>, String)>;
/// What a slider does with its new value.
pub(crate) type OnValue = Rc<dyn Fn(&mut World<'_>, u32)>;

/// How a node reacts to actions; a node without one ignores them.
#[derive(Default, Clone)]
pub(crate) struct Behaviour {
    /// ACTION_CLICK.
    pub tap: Option<OnTap>,
    /// An editable field.
    pub field: Option<FieldState>,
    /// A scrolling list.
    pub list: Option<ListState>,
    /// A slider.
    pub slider: Option<SliderState>,
    /// A key of the on-screen keyboard.
    pub key: Option<Key>,
}

/// An editable field: its real text (a password field shows dots) and what it does.
#[derive(Clone)]
pub(crate) struct FieldState {
    /// The text it holds.
    pub value: String,
    /// Stores new text.
    pub on_text: OnText,
    /// The IME action (search, send, next), if the field has one.
    pub on_enter: Option<OnTap>,
}

/// A list's scroll position, in items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListState {
    /// The first item shown.
    pub offset: usize,
    /// The largest offset (the last item at the bottom).
    pub max_offset: usize,
    /// How far one scroll moves: a page, less one item of overlap.
    pub step: usize,
}

/// A slider's value and what it does.
#[derive(Clone)]
pub(crate) struct SliderState {
    /// Current value.
    pub value: u32,
    /// Largest value (the smallest is 0).
    pub max: u32,
    /// How far one scroll moves it.
    pub step: u32,
    /// Stores a new value.
    pub on_value: OnValue,
}

/// A key of the on-screen keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// Types a character.
    Char(char),
    /// Deletes the last character.
    Delete,
    /// Toggles capitals.
    Shift,
    /// Switches between letters and symbols.
    Layout,
    /// The IME action.
    Enter,
}

/// What a field shows and accepts.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldSpec<'a> {
    /// The text it holds.
    pub text: &'a str,
    /// The hint shown while empty.
    pub hint: &'a str,
    /// A password field: its text is never exposed.
    pub password: bool,
    /// What the field is, for screen readers, when its text alone does not say (an hour
    /// field showing "08").
    pub description: &'a str,
}

/// A scrolling list.
#[derive(Debug, Clone)]
pub(crate) struct ListSpec<'a> {
    /// Node key (also where its scroll position is kept).
    pub key: &'a str,
    /// Resource id.
    pub res: &'a str,
    /// Where it sits.
    pub bounds: Rect,
    /// Each item's height.
    pub heights: &'a [i32],
    /// Starts scrolled to the end (a conversation).
    pub from_end: bool,
}

/// A two-line row of a settings-style list.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowSpec<'a> {
    /// Title.
    pub title: &'a str,
    /// Summary under the title.
    pub summary: Option<&'a str>,
    /// Whether an icon sits on the left.
    pub icon: bool,
    /// A switch showing the row's state (the row toggles it).
    pub switch: Option<bool>,
    /// Greyed out and inert.
    pub disabled: bool,
}

/// Builds one screen's nodes and collects what they do.
pub(crate) struct Ui<'a> {
    focus: Option<&'a str>,
    scroll: Option<&'a BTreeMap<String, usize>>,
    behaviours: HashMap<String, Behaviour>,
}

/// Shorthand for a rectangle.
pub(crate) fn rect(left: i32, top: i32, right: i32, bottom: i32) -> Rect {
    Rect {
        left,
        top,
        right,
        bottom,
    }
}

fn action(kind: StandardAction, id: i32) -> AccessibilityAction {
    AccessibilityAction {
        kind: kind as i32,
        id,
        label: String::new(),
    }
}

/// Platform ids of the standard actions (AccessibilityNodeInfo and android.R.id).
fn actions(kinds: &[StandardAction]) -> Vec<AccessibilityAction> {
    kinds
        .iter()
        .map(|&kind| {
            let id = match kind {
                StandardAction::Focus => 1,
                StandardAction::Select => 4,
                StandardAction::Click => 16,
                StandardAction::LongClick => 32,
                StandardAction::ScrollForward => 4096,
                StandardAction::ScrollBackward => 8192,
                StandardAction::Copy => 16384,
                StandardAction::Paste => 32768,
                StandardAction::Expand => 262_144,
                StandardAction::Collapse => 524_288,
                StandardAction::Dismiss => 1_048_576,
                StandardAction::SetText => 2_097_152,
                StandardAction::ScrollUp => 16_908_344,
                StandardAction::ScrollLeft => 16_908_345,
                StandardAction::ScrollDown => 16_908_346,
                StandardAction::ScrollRight => 16_908_347,
                StandardAction::SetProgress => 16_908_349,
                StandardAction::ImeEnter => 16_908_372,
                StandardAction::Custom => 0,
            };
            action(kind, id)
        })
        .collect()
}

/// A visible, enabled, inert node.
pub(crate) fn node(key: &str, class: &str, bounds: Rect) -> Node {
    Node {
        key: key.to_owned(),
        class_name: class.to_owned(),
        bounds: Some(bounds),
        visible: true,
        enabled: true,
        ..Node::default()
    }
}

/// A layout container.
pub(crate) fn layout(key: &str, class: &str, res: &str, bounds: Rect, children: Vec<Node>) -> Node {
    Node {
        resource_id: res.to_owned(),
        children,
        ..node(key, class, bounds)
    }
}

/// A `TextView`.
pub(crate) fn text(key: &str, res: &str, text: &str, bounds: Rect) -> Node {
    Node {
        text: text.to_owned(),
        resource_id: res.to_owned(),
        ..node(key, class::TEXT, bounds)
    }
}

/// An `ImageView`, described or decorative (empty `description`).
pub(crate) fn image(key: &str, res: &str, description: &str, bounds: Rect) -> Node {
    Node {
        content_description: description.to_owned(),
        resource_id: res.to_owned(),
        ..node(key, class::IMAGE, bounds)
    }
}

/// A switch that only shows the state of its clickable row (as in Android's settings).
pub(crate) fn passive_switch(key: &str, checked: bool, bounds: Rect) -> Node {
    Node {
        checkable: true,
        checked,
        resource_id: "android:id/switch_widget".into(),
        ..node(key, class::SWITCH, bounds)
    }
}

/// The row of a list item's position, for CollectionItemInfo.
fn item_info(index: usize) -> CollectionItemInfo {
    CollectionItemInfo {
        row_index: i32::try_from(index).unwrap_or(i32::MAX),
        column_index: 0,
        row_span: 1,
        column_span: 1,
        heading: false,
    }
}

impl<'a> Ui<'a> {
    /// A builder for a screen whose focused field is `focus` and whose lists are scrolled as
    /// `scroll` says.
    pub fn new(focus: Option<&'a str>, scroll: Option<&'a BTreeMap<String, usize>>) -> Self {
        Ui {
            focus,
            scroll,
            behaviours: HashMap::new(),
        }
    }

    /// The behaviours collected so far.
    pub fn into_behaviours(self) -> HashMap<String, Behaviour> {
        self.behaviours
    }

    fn behaviour(&mut self, key: &str) -> &mut Behaviour {
        self.behaviours.entry(key.to_owned()).or_default()
    }

    /// Registers what tapping `key` does.
    pub fn on_tap(&mut self, key: &str, on_tap: OnTap) {
        self.behaviour(key).tap = Some(on_tap);
    }

    /// Registers a keyboard key.
    pub fn on_key(&mut self, key: &str, pressed: Key) {
        self.behaviour(key).key = Some(pressed);
    }

    /// Makes `node` clickable with `on_tap`.
    pub fn clickable(&mut self, mut node: Node, on_tap: OnTap) -> Node {
        node.clickable = true;
        node.focusable = true;
        node.actions = actions(&[StandardAction::Focus, StandardAction::Click]);
        self.on_tap(&node.key, on_tap);
        node
    }

    /// A `Button` with a text label.
    pub fn button(
        &mut self,
        key: &str,
        res: &str,
        label: &str,
        bounds: Rect,
        on_tap: OnTap,
    ) -> Node {
        let node = Node {
            text: label.to_owned(),
            resource_id: res.to_owned(),
            ..node(key, class::BUTTON, bounds)
        };
        self.clickable(node, on_tap)
    }

    /// A `Button` greyed out: shown, but it does nothing.
    pub fn disabled_button(&mut self, key: &str, res: &str, label: &str, bounds: Rect) -> Node {
        Node {
            text: label.to_owned(),
            resource_id: res.to_owned(),
            clickable: true,
            focusable: true,
            enabled: false,
            ..node(key, class::BUTTON, bounds)
        }
    }

    /// An `ImageButton` known by its content description.
    pub fn image_button(
        &mut self,
        key: &str,
        res: &str,
        description: &str,
        bounds: Rect,
        on_tap: OnTap,
    ) -> Node {
        let node = Node {
            content_description: description.to_owned(),
            resource_id: res.to_owned(),
            ..node(key, class::IMAGE_BUTTON, bounds)
        };
        self.clickable(node, on_tap)
    }

    /// A switch that is a control of its own (it toggles when tapped).
    pub fn switch(
        &mut self,
        key: &str,
        res: &str,
        description: &str,
        checked: bool,
        bounds: Rect,
        on_tap: OnTap,
    ) -> Node {
        let node = Node {
            content_description: description.to_owned(),
            resource_id: res.to_owned(),
            checkable: true,
            checked,
            ..node(key, class::SWITCH, bounds)
        };
        self.clickable(node, on_tap)
    }

    /// An `EditText`.
    pub fn field(
        &mut self,
        key: &str,
        res: &str,
        spec: &FieldSpec<'_>,
        bounds: Rect,
        on_text: OnText,
        on_enter: Option<OnTap>,
    ) -> Node {
        let focused = self.focus == Some(key);
        let mut kinds = vec![
            StandardAction::Focus,
            StandardAction::Click,
            StandardAction::LongClick,
            StandardAction::SetText,
            StandardAction::Paste,
        ];
        if focused {
            kinds.push(StandardAction::ImeEnter);
        }
        let shown = if spec.password {
            "•".repeat(spec.text.chars().count())
        } else {
            spec.text.to_owned()
        };
        let node = Node {
            text: shown,
            hint: spec.hint.to_owned(),
            content_description: spec.description.to_owned(),
            resource_id: res.to_owned(),
            editable: true,
            clickable: true,
            long_clickable: true,
            focusable: true,
            focused,
            password: spec.password,
            actions: actions(&kinds),
            ..node(key, class::EDIT, bounds)
        };
        self.behaviour(key).field = Some(FieldState {
            value: spec.text.to_owned(),
            on_text,
            on_enter,
        });
        node
    }

    /// A `SeekBar` from 0 to 100 %; scrolling it left or right moves it by a tenth.
    pub fn slider(
        &mut self,
        key: &str,
        description: &str,
        value: u32,
        bounds: Rect,
        on_value: OnValue,
    ) -> Node {
        let max = 100;
        let node = Node {
            content_description: description.to_owned(),
            resource_id: "android:id/seekbar".into(),
            scrollable: true,
            focusable: true,
            actions: actions(&[
                StandardAction::Focus,
                StandardAction::ScrollLeft,
                StandardAction::ScrollRight,
                StandardAction::SetProgress,
            ]),
            range: Some(RangeInfo {
                r#type: RangeType::Int as i32,
                min: 0.0,
                max: max as f32,
                current: value as f32,
            }),
            ..node(key, class::SEEK_BAR, bounds)
        };
        self.behaviour(key).slider = Some(SliderState {
            value,
            max,
            step: (max / 10).max(1),
            on_value,
        });
        node
    }

    /// A `RecyclerView` holding only the items that fit from its scroll position; scrollable
    /// only when they do not all fit.
    pub fn list(
        &mut self,
        spec: &ListSpec<'_>,
        mut item: impl FnMut(&mut Self, usize, Rect) -> Node,
    ) -> Node {
        let bounds = spec.bounds;
        let area = bounds.height();
        let count = spec.heights.len();
        // The largest offset whose items from there to the end all fit.
        let mut max_offset = count;
        let mut below = 0;
        while max_offset > 0 && below + spec.heights[max_offset - 1] <= area {
            max_offset -= 1;
            below += spec.heights[max_offset];
        }
        let default = if spec.from_end { max_offset } else { 0 };
        let offset = self
            .scroll
            .and_then(|scroll| scroll.get(spec.key).copied())
            .unwrap_or(default)
            .min(max_offset);
        let mut children = Vec::new();
        let mut top = bounds.top;
        for (index, &height) in spec.heights.iter().enumerate().skip(offset) {
            if top + height > bounds.bottom && !children.is_empty() {
                break;
            }
            let mut child = item(
                self,
                index,
                rect(bounds.left, top, bounds.right, top + height),
            );
            child.collection_item = Some(item_info(index));
            children.push(child);
            top += height;
        }
        let step = children.len().saturating_sub(1).max(1);
        let mut kinds = vec![StandardAction::Focus];
        if offset < max_offset {
            kinds.extend([StandardAction::ScrollForward, StandardAction::ScrollDown]);
        }
        if offset > 0 {
            kinds.extend([StandardAction::ScrollBackward, StandardAction::ScrollUp]);
        }
        let scrollable = max_offset > 0;
        if scrollable {
            self.behaviour(spec.key).list = Some(ListState {
                offset,
                max_offset,
                step,
            });
        }
        Node {
            resource_id: spec.res.to_owned(),
            scrollable,
            focusable: true,
            actions: actions(&kinds),
            collection: Some(CollectionInfo {
                row_count: i32::try_from(count).unwrap_or(i32::MAX),
                column_count: 1,
                hierarchical: false,
            }),
            children,
            ..node(spec.key, class::RECYCLER, bounds)
        }
    }

    /// An app bar: "Navigate up" (when `up` is given), the title, then `actions` on the right.
    pub fn toolbar(
        &mut self,
        scope: &str,
        package: &str,
        title: &str,
        up: Option<OnTap>,
        actions: Vec<Node>,
    ) -> Node {
        let bar = rect(0, STATUS_BAR_BOTTOM, WIDTH, TOOLBAR_BOTTOM);
        let mut children = Vec::new();
        let mut title_left = 48;
        if let Some(up) = up {
            children.push(self.image_button(
                &format!("{scope}.up"),
                "",
                "Navigate up",
                rect(16, 115, 142, 231),
                up,
            ));
            title_left = 170;
        }
        let title_right = WIDTH - 140 * i32::try_from(actions.len()).unwrap_or(0) - 16;
        children.push(text(
            &format!("{scope}.bar_title"),
            "",
            title,
            rect(title_left, 137, title_right.max(title_left + 10), 209),
        ));
        children.extend(actions);
        layout(
            &format!("{scope}.toolbar"),
            class::VIEW_GROUP,
            &format!("{package}:id/toolbar"),
            bar,
            children,
        )
    }

    /// An action button of a toolbar, `slot` 0 being the rightmost.
    pub fn toolbar_action(
        &mut self,
        key: &str,
        res: &str,
        description: &str,
        slot: i32,
        on_tap: OnTap,
    ) -> Node {
        let right = WIDTH - 16 - 140 * slot;
        self.image_button(
            key,
            res,
            description,
            rect(right - 126, 115, right, 231),
            on_tap,
        )
    }

    /// A settings-style row: optional icon, title, summary, and a switch that shows the row's
    /// state; the whole row is the clickable node.
    pub fn row(&mut self, key: &str, spec: &RowSpec<'_>, bounds: Rect, on_tap: OnTap) -> Node {
        let mut children = Vec::new();
        let text_left = if spec.icon { 189 } else { 63 };
        if spec.icon {
            let middle = bounds.top + bounds.height() / 2;
            children.push(image(
                &format!("{key}.icon"),
                "android:id/icon",
                "",
                rect(63, middle - 42, 147, middle + 42),
            ));
        }
        let text_right = if spec.switch.is_some() { 880 } else { 1017 };
        let mut texts = Vec::new();
        let title_bottom = if spec.summary.is_some() {
            bounds.top + bounds.height() / 2
        } else {
            bounds.bottom - 30
        };
        texts.push(text(
            &format!("{key}.title"),
            "android:id/title",
            spec.title,
            rect(text_left, bounds.top + 30, text_right, title_bottom),
        ));
        if let Some(summary) = spec.summary {
            texts.push(text(
                &format!("{key}.summary"),
                "android:id/summary",
                summary,
                rect(text_left, title_bottom, text_right, bounds.bottom - 30),
            ));
        }
        children.push(layout(
            &format!("{key}.texts"),
            class::RELATIVE,
            "",
            rect(text_left, bounds.top + 30, text_right, bounds.bottom - 30),
            texts,
        ));
        if let Some(checked) = spec.switch {
            let middle = bounds.top + bounds.height() / 2;
            let switch_key = format!("{key}.switch");
            children.push(layout(
                &format!("{key}.widget"),
                class::LINEAR,
                "android:id/widget_frame",
                rect(880, bounds.top, 1080, bounds.bottom),
                vec![passive_switch(
                    &switch_key,
                    checked,
                    rect(911, middle - 36, 1017, middle + 36),
                )],
            ));
            // Acting on the switch itself acts on its row, as Android forwards the click.
            if !spec.disabled {
                self.on_tap(&switch_key, on_tap.clone());
            }
        }
        let row = layout(key, class::LINEAR, "", bounds, children);
        if spec.disabled {
            Node {
                clickable: true,
                enabled: false,
                ..row
            }
        } else {
            self.clickable(row, on_tap)
        }
    }

    /// An AlertDialog's content: title, message, and buttons from right to left as Android lays
    /// them out (`android:id/button1` is the positive one).
    pub fn alert(
        &mut self,
        scope: &str,
        title: &str,
        message: &str,
        body: Vec<Node>,
        buttons: Vec<(&str, OnTap)>,
    ) -> Node {
        let top = 900;
        let mut children = vec![text(
            &format!("{scope}.title"),
            "android:id/alertTitle",
            title,
            rect(132, top + 60, 948, top + 140),
        )];
        let mut y = top + 160;
        if !message.is_empty() {
            children.push(text(
                &format!("{scope}.message"),
                "android:id/message",
                message,
                rect(132, y, 948, y + 120),
            ));
            y += 140;
        }
        for node in body {
            y = y.max(node.bounds.map_or(y, |bounds| bounds.bottom));
            children.push(node);
        }
        let button_top = y + 40;
        let mut right = 948;
        let mut button_nodes = Vec::new();
        for (index, (label, on_tap)) in buttons.into_iter().enumerate() {
            let width = 60 + 28 * i32::try_from(label.chars().count()).unwrap_or(10);
            let res = format!("android:id/button{}", index + 1);
            button_nodes.push(self.button(
                &format!("{scope}.button{}", index + 1),
                &res,
                label,
                rect(right - width, button_top, right, button_top + 110),
                on_tap,
            ));
            right -= width + 20;
        }
        button_nodes.reverse();
        children.push(layout(
            &format!("{scope}.buttons"),
            class::LINEAR,
            "android:id/buttonPanel",
            rect(84, button_top, 996, button_top + 110),
            button_nodes,
        ));
        layout(
            &format!("{scope}.panel"),
            class::FRAME,
            "android:id/content",
            rect(84, top, 996, button_top + 150),
            vec![layout(
                &format!("{scope}.parent"),
                class::LINEAR,
                "android:id/parentPanel",
                rect(84, top, 996, button_top + 150),
                children,
            )],
        )
    }

    /// A popup menu anchored under the top-right corner: one clickable `TextView` per item.
    pub fn menu(&mut self, scope: &str, items: Vec<(&str, OnTap)>) -> Node {
        let top = 180;
        let mut rows = Vec::new();
        for (index, (label, on_tap)) in items.into_iter().enumerate() {
            let y = top + 20 + 140 * i32::try_from(index).unwrap_or(0);
            let item = Node {
                text: label.to_owned(),
                resource_id: "android:id/title".into(),
                ..node(
                    &format!("{scope}.item{index}"),
                    class::TEXT,
                    rect(560, y, 1060, y + 140),
                )
            };
            rows.push(self.clickable(item, on_tap));
        }
        let bottom = rows
            .last()
            .and_then(|row| row.bounds)
            .map_or(top, |b| b.bottom)
            + 20;
        layout(
            &format!("{scope}.menu"),
            class::LIST_VIEW,
            "",
            rect(560, top, 1060, bottom),
            rows,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noop() -> OnTap {
        Rc::new(|_| {})
    }

    #[test]
    fn a_list_holds_only_the_rows_that_fit_and_says_which_way_it_scrolls() {
        let heights = vec![200; 20];
        let mut scroll = BTreeMap::new();
        let spec = ListSpec {
            key: "l",
            res: "",
            bounds: rect(0, 400, 1080, 2000),
            heights: &heights,
            from_end: false,
        };
        let mut ui = Ui::new(None, Some(&scroll));
        let list = ui.list(&spec, |_, index, bounds| {
            text(&format!("row{index}"), "", "x", bounds)
        });
        assert_eq!(list.children.len(), 8);
        assert!(list.scrollable);
        let state = ui.into_behaviours()["l"].list;
        assert_eq!(
            state,
            Some(ListState {
                offset: 0,
                max_offset: 12,
                step: 7
            })
        );
        scroll.insert("l".into(), 12);
        let mut ui = Ui::new(None, Some(&scroll));
        let list = ui.list(&spec, |_, index, bounds| {
            text(&format!("row{index}"), "", "x", bounds)
        });
        assert_eq!(list.children.last().map(|c| c.key.as_str()), Some("row19"));
        let forward = StandardAction::ScrollForward as i32;
        assert!(!list.actions.iter().any(|a| a.kind == forward));
    }

    #[test]
    fn a_short_list_does_not_scroll() {
        let heights = vec![200; 3];
        let mut ui = Ui::new(None, None);
        let spec = ListSpec {
            key: "l",
            res: "",
            bounds: rect(0, 400, 1080, 2000),
            heights: &heights,
            from_end: true,
        };
        let list = ui.list(&spec, |_, index, bounds| {
            text(&format!("row{index}"), "", "x", bounds)
        });
        assert!(!list.scrollable);
        assert_eq!(list.children.len(), 3);
    }

    #[test]
    fn a_password_field_never_exposes_its_text() {
        let mut ui = Ui::new(Some("f"), None);
        let spec = FieldSpec {
            text: "secret",
            hint: "Password",
            password: true,
            description: "",
        };
        let field = ui.field("f", "", &spec, rect(0, 0, 10, 10), Rc::new(|_, _| {}), None);
        assert!(field.password && field.focused);
        assert!(!field.text.contains("secret"));
        let behaviours = ui.into_behaviours();
        assert_eq!(
            behaviours["f"].field.as_ref().map(|f| f.value.as_str()),
            Some("secret")
        );
        let _ = noop();
    }
}
