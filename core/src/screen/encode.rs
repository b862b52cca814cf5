//! The compact encoder: a snapshot becomes the exact text the planner reads.
//!
//! Prefill dominates on-device step time, so every token of the screen costs time on the phone.
//! The encoder prints one line per thing a person would notice and nothing else:
//!
//! ```text
//! # app com.example.settings
//! [1] Navigate up
//! Network
//! [2] (scroll, more below)
//! [3] Wi-Fi | HomeNet (switch, on)
//! [4] Airplane mode (switch, off)
//! … 9 more in [2]
//! ```
//!
//! * every actionable node (tap, long press, edit, toggle, scroll) gets a short `[id]`, and the
//!   [`Element`] table maps the id back to the node key the performer acts on;
//! * layout-only containers vanish; the texts of non-actionable children fold into their
//!   actionable parent (`Wi-Fi | HomeNet`), so a row is one line, not four;
//! * state is a terse tag list (`switch, on`, `field, empty`, `disabled`, `selected`);
//! * password text is never printed;
//! * each window gets a `# type package` header, so the keyboard, a system dialog or an overlay
//!   from another package is visibly not the app;
//! * long lists are capped with a `… N more in [id]` marker, and the whole screen is kept under a
//!   token budget however long its lists are.
//!
//! Ids are stable across a task: encoding a screen with the previous [`EncodedScreen`] keeps the
//! id of every element that is still there and never reuses an id for something else, so the
//! history the planner read earlier (screen diffs, actions taken) still names the right things.

use std::collections::HashMap;

use super::{
    Affordances, Element, ElementId, Node, Rect, ScrollAxes, Snapshot, StandardAction, Window,
    WindowType, is_visible,
};

/// Limits that keep an encoded screen small, and what the task trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Estimated token budget for the whole screen; lists and labels shrink to stay under it.
    pub max_tokens: usize,
    /// Longest label printed, in characters, before it is cut with `…`.
    pub max_label_chars: usize,
    /// Items printed per scrollable list before the `… N more` marker.
    pub max_list_items: usize,
    /// Packages the task legitimately works in. When set, an app or overlay window of any other
    /// package is marked `(other app)` in its header, so the planner sees that a pop-up is not
    /// the app it is working in. Empty: no marking.
    pub task_packages: Vec<String>,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self {
            max_tokens: 1_300,
            max_label_chars: 160,
            max_list_items: 50,
            task_packages: Vec::new(),
        }
    }
}

/// A screen as the planner sees it, with the table that maps ids back to nodes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EncodedScreen {
    /// The text given to the planner.
    pub text: String,
    /// Every element printed with an id, in screen order.
    pub elements: Vec<Element>,
    /// The printed lines, kept for diffs.
    pub(crate) lines: Vec<Line>,
    /// The next id never used in this task.
    pub(crate) next_id: ElementId,
}

impl EncodedScreen {
    /// The element printed with `id`, if it is on this screen.
    pub fn element(&self, id: ElementId) -> Option<&Element> {
        self.elements.iter().find(|element| element.id == id)
    }
}

/// One printed line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// The element id, for element lines.
    pub id: Option<ElementId>,
    /// The line without its `[id] ` prefix.
    pub body: String,
}

impl Line {
    /// The line as printed.
    pub fn render(&self) -> String {
        match self.id {
            Some(id) => format!("[{id}] {}", self.body),
            None => self.body.clone(),
        }
    }
}

/// Encodes `snapshot` with default options; see [`encode_with`].
pub fn encode(snapshot: &Snapshot, previous: Option<&EncodedScreen>) -> EncodedScreen {
    encode_with(snapshot, previous, &EncodeOptions::default())
}

/// Encodes `snapshot` for the planner. With `previous` (the encoding of the screen before, in
/// the same task), elements that are still there keep their ids and new ones get fresh ids.
pub fn encode_with(
    snapshot: &Snapshot,
    previous: Option<&EncodedScreen>,
    options: &EncodeOptions,
) -> EncodedScreen {
    let mut options = options.clone();
    let mut draft = collect(snapshot, &options);
    // Shrink lists, then labels, until the screen fits the budget; the floor values keep every
    // screen readable.
    while estimate_draft(&draft) > options.max_tokens {
        if options.max_list_items > 3 {
            options.max_list_items = (options.max_list_items / 2).max(3);
        } else if options.max_label_chars > 40 {
            options.max_label_chars = (options.max_label_chars / 2).max(40);
        } else {
            break;
        }
        draft = collect(snapshot, &options);
    }
    cut_to_budget(&mut draft, options.max_tokens);
    assign_ids(draft, previous)
}

/// A line before ids are assigned.
struct DraftLine {
    body: String,
    element: Option<DraftElement>,
    /// For a `… N more` marker: the index of the list's element line it refers to.
    more_of: Option<usize>,
}

struct DraftElement {
    node_key: String,
    window_id: i32,
    package: String,
    bounds: Rect,
    label: String,
    affordances: Affordances,
}

/// Walks all windows and produces the lines to print, ids not yet assigned.
fn collect(snapshot: &Snapshot, options: &EncodeOptions) -> Vec<DraftLine> {
    let screen = snapshot.screen_rect();
    // The guard's rule decides which windows are another app's, so what the planner is shown
    // and what the guard confirms agree.
    let foreign = if options.task_packages.is_empty() {
        Vec::new()
    } else {
        super::foreign_windows(snapshot, &options.task_packages)
    };
    let mut lines = Vec::new();
    for window in &snapshot.windows {
        let Some(root) = &window.root else { continue };
        let mut collector = Collector {
            window,
            screen: screen.as_ref(),
            options,
            lines: Vec::new(),
        };
        collector.visit(root);
        if collector.lines.is_empty() {
            continue;
        }
        lines.push(DraftLine {
            body: window_header(window, foreign.contains(&window.id)),
            element: None,
            more_of: None,
        });
        let offset = lines.len();
        for line in &mut collector.lines {
            if let Some(list) = &mut line.more_of {
                *list += offset;
            }
        }
        lines.append(&mut collector.lines);
    }
    lines
}

fn window_header(window: &Window, foreign: bool) -> String {
    let kind = WindowType::try_from(window.r#type).unwrap_or(WindowType::Unknown);
    let mark = if foreign { " (other app)" } else { "" };
    format!("# {} {}{mark}", kind.label(), window.package)
}

/// The part of `bounds` on the screen, where the performer's gestures can land; `bounds` as
/// they are when the screen size is unknown or they miss the screen.
fn on_screen(bounds: Rect, screen: Option<&Rect>) -> Rect {
    screen
        .and_then(|screen| bounds.intersection(screen))
        .unwrap_or(bounds)
}

/// A clickable node larger than this share of the screen, or holding more texts than
/// [`MAX_FOLDED_TEXTS`], is a container that happens to be clickable: its children are printed
/// on their own lines instead of folded into one.
const MAX_FOLD_AREA_SHARE: f64 = 0.5;
const MAX_FOLDED_TEXTS: usize = 8;

struct Collector<'a> {
    window: &'a Window,
    screen: Option<&'a Rect>,
    options: &'a EncodeOptions,
    lines: Vec<DraftLine>,
}

impl Collector<'_> {
    fn visit(&mut self, node: &Node) {
        let visible = is_visible(node, self.screen);
        if visible && node.scrollable {
            self.visit_list(node);
        } else if visible && is_actionable(node) {
            self.visit_actionable(node);
        } else {
            if visible {
                self.push_text(own_texts(node));
            }
            for child in &node.children {
                self.visit(child);
            }
        }
    }

    /// An actionable node: one element line with the folded texts of its plain children, then
    /// its actionable descendants on their own lines.
    fn visit_actionable(&mut self, node: &Node) {
        let mut folded = Vec::new();
        let mut nested = Vec::new();
        for child in &node.children {
            self.gather(child, &mut folded, &mut nested);
        }
        let mut parts = own_texts(node);
        if folded.len() <= MAX_FOLDED_TEXTS && !self.is_large(node) {
            parts.append(&mut folded);
            // A switch that only shows the state of its clickable row (Android's settings rows)
            // is the row's state, not a control of its own.
            let passive: Vec<usize> = nested
                .iter()
                .enumerate()
                .filter(|(_, child)| is_passive_toggle(child))
                .map(|(index, _)| index)
                .collect();
            let toggle = match passive.as_slice() {
                [index] if !node.checkable => {
                    let toggle = nested.remove(*index);
                    parts.extend(own_texts(toggle));
                    Some(toggle)
                }
                _ => None,
            };
            self.push_element(node, parts, toggle);
            for child in nested {
                self.visit(child);
            }
        } else {
            self.push_element(node, parts, None);
            for child in &node.children {
                self.visit(child);
            }
        }
    }

    /// Collects the texts of visible non-actionable descendants, and the actionable ones.
    fn gather<'n>(&self, node: &'n Node, texts: &mut Vec<String>, nested: &mut Vec<&'n Node>) {
        let visible = is_visible(node, self.screen);
        if visible && (node.scrollable || is_actionable(node)) {
            nested.push(node);
            return;
        }
        if visible {
            texts.extend(own_texts(node));
        }
        for child in &node.children {
            self.gather(child, texts, nested);
        }
    }

    /// A scrollable node: its element line, then its items, capped.
    fn visit_list(&mut self, node: &Node) {
        let list_line = self.lines.len();
        let own = own_texts(node);
        self.push_element(node, own, None);
        let items = list_items(node);
        let mut hidden = 0usize;
        let mut shown = 0usize;
        for item in items {
            let before = self.lines.len();
            self.visit(item);
            if self.lines.len() == before {
                continue;
            }
            if shown < self.options.max_list_items {
                shown += 1;
            } else {
                self.lines.truncate(before);
                hidden += 1;
            }
        }
        if hidden > 0 {
            self.lines.push(DraftLine {
                body: format!("… {hidden} more"),
                element: None,
                more_of: Some(list_line),
            });
        }
    }

    fn is_large(&self, node: &Node) -> bool {
        match (self.screen, &node.bounds) {
            (Some(screen), Some(bounds)) => {
                bounds.area() as f64 > screen.area() as f64 * MAX_FOLD_AREA_SHARE
            }
            _ => false,
        }
    }

    fn push_text(&mut self, texts: Vec<String>) {
        if texts.is_empty() {
            return;
        }
        let body = self.shorten(&texts.join(" | "));
        self.lines.push(DraftLine {
            body,
            element: None,
            more_of: None,
        });
    }

    /// Pushes an element line for `node`, showing the state of `toggle` (a passive switch
    /// folded into it) or its own.
    fn push_element(&mut self, node: &Node, texts: Vec<String>, toggle: Option<&Node>) {
        let mut affordances = affordances(node);
        let toggle = if node.checkable { Some(node) } else { toggle };
        affordances.toggle = toggle.is_some();
        let mut tags = Vec::new();
        let mut label = dedup(texts).join(" | ");
        if node.editable || node.password {
            tags.push("field");
            let empty = node.text.trim().is_empty() || node.text == node.hint;
            if node.password {
                tags.push("password");
                if !empty {
                    tags.push("filled");
                }
            }
            if empty {
                tags.push("empty");
                if label.is_empty() {
                    label = node.hint.trim().to_owned();
                }
            }
        }
        if let Some(toggle) = toggle {
            tags.push(toggle_kind(toggle));
            tags.push(if toggle.checked { "on" } else { "off" });
        } else if node.selected {
            tags.push("selected");
        }
        if node.scrollable {
            tags.push("scroll");
            if let Some(more) = scroll_hint(node) {
                tags.push(more);
            }
        }
        if node.long_clickable && !node.clickable && !node.checkable && !node.editable {
            tags.push("long-press");
        }
        if node.focused && node.editable {
            tags.push("focused");
        }
        if !node.enabled {
            tags.push("disabled");
        }
        if label.is_empty() && node.editable {
            label = node.hint.trim().to_owned();
        }
        if label.is_empty() && (tags.is_empty() || !node.resource_id.is_empty()) {
            label = fallback_name(node);
        }
        let label = self.shorten(&label);
        let body = match (label.is_empty(), tags.is_empty()) {
            (_, true) => label.clone(),
            (true, false) => format!("({})", tags.join(", ")),
            (false, false) => format!("{label} ({})", tags.join(", ")),
        };
        self.lines.push(DraftLine {
            body,
            element: Some(DraftElement {
                node_key: node.key.clone(),
                window_id: self.window.id,
                package: if node.package.is_empty() {
                    self.window.package.clone()
                } else {
                    node.package.clone()
                },
                bounds: on_screen(node.bounds.unwrap_or_default(), self.screen),
                label,
                affordances,
            }),
            more_of: None,
        });
    }

    fn shorten(&self, text: &str) -> String {
        shorten(text, self.options.max_label_chars)
    }
}

/// A checkable node that takes no action itself: it shows the state of a clickable parent.
fn is_passive_toggle(node: &Node) -> bool {
    node.checkable && !node.clickable && !node.long_clickable && !node.editable && !node.scrollable
}

/// Whether a node takes an action other than scrolling.
fn is_actionable(node: &Node) -> bool {
    node.clickable || node.long_clickable || node.editable || node.checkable
}

/// What the element accepts.
fn affordances(node: &Node) -> Affordances {
    Affordances {
        tap: node.clickable || node.checkable,
        long_press: node.long_clickable,
        edit: node.editable,
        scroll: node.scrollable.then(|| scroll_axes(node)),
        toggle: node.checkable,
    }
}

fn has_action(node: &Node, kind: StandardAction) -> bool {
    node.actions.iter().any(|action| action.kind == kind as i32)
}

fn scroll_axes(node: &Node) -> ScrollAxes {
    let vertical =
        has_action(node, StandardAction::ScrollUp) || has_action(node, StandardAction::ScrollDown);
    let horizontal = has_action(node, StandardAction::ScrollLeft)
        || has_action(node, StandardAction::ScrollRight);
    let class = node.class_name.as_str();
    match (vertical, horizontal) {
        (true, false) => ScrollAxes::Vertical,
        (false, true) => ScrollAxes::Horizontal,
        (true, true) => ScrollAxes::Both,
        (false, false) if class.contains("Horizontal") || class.contains("ViewPager") => {
            ScrollAxes::Horizontal
        }
        (false, false) if class.ends_with(".ScrollView") || class.ends_with("ListView") => {
            ScrollAxes::Vertical
        }
        (false, false) => ScrollAxes::Both,
    }
}

/// Where there is more to see, when the platform says which ways the node can scroll.
fn scroll_hint(node: &Node) -> Option<&'static str> {
    let forward = has_action(node, StandardAction::ScrollForward)
        || has_action(node, StandardAction::ScrollDown);
    let backward = has_action(node, StandardAction::ScrollBackward)
        || has_action(node, StandardAction::ScrollUp);
    // A node that scrolls both ways (or says nothing) gets no hint: only a one-way list tells
    // the planner something, e.g. that it is at the top.
    match (forward, backward) {
        (true, false) => Some("more below"),
        (false, true) => Some("more above"),
        _ => None,
    }
}

fn toggle_kind(node: &Node) -> &'static str {
    let short = node.short_class();
    if short.contains("Switch") || short.contains("Toggle") {
        "switch"
    } else if short.contains("Radio") {
        "radio"
    } else if short.contains("CheckBox") || short.contains("Checkbox") {
        "checkbox"
    } else {
        "toggle"
    }
}

/// A node's own texts: text (never for passwords) and content description when it adds
/// something.
fn own_texts(node: &Node) -> Vec<String> {
    let mut texts = Vec::new();
    let text = node.text.trim();
    let hint_as_text = node.editable && text == node.hint.trim();
    if !(node.password || text.is_empty() || hint_as_text) {
        texts.push(collapse_whitespace(text));
    }
    let description = node.content_description.trim();
    if !description.is_empty() && description != text {
        texts.push(collapse_whitespace(description));
    }
    texts
}

/// A name for an element with no text: its resource id's entry name, made readable
/// (`com.app:id/btn_send` → `send`), or its class's short name.
fn fallback_name(node: &Node) -> String {
    let entry = node.resource_name();
    if !entry.is_empty() {
        let mut name = entry;
        for prefix in ["iv_", "ib_", "btn_", "img_", "tv_", "iv", "ib"] {
            if let Some(rest) = name.strip_prefix(prefix).filter(|rest| rest.len() > 1) {
                name = rest;
                break;
            }
        }
        return name.replace('_', " ");
    }
    let class = node.short_class();
    if class.is_empty() {
        "unnamed".to_owned()
    } else {
        class.to_owned()
    }
}

/// The items of a list: the children of the first descendant that has more than one child
/// (a ScrollView usually wraps its items in one layout).
fn list_items(node: &Node) -> &[Node] {
    let mut current = node;
    while current.children.len() == 1 {
        let child = &current.children[0];
        if child.scrollable || is_actionable(child) {
            break;
        }
        current = child;
    }
    &current.children
}

fn dedup(texts: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    texts
        .into_iter()
        .filter(|text| seen.insert(text.clone()))
        .collect()
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}

/// A cheap, deliberately generous estimate of Qwen tokens in `text`, so the budget holds
/// without a tokenizer on the phone: about four ASCII letters per token, one token per digit,
/// punctuation mark or non-ASCII character.
pub fn estimate_tokens(text: &str) -> usize {
    let mut letters = 0usize;
    let mut others = 0usize;
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            letters += 1;
        } else if c != ' ' {
            others += 1;
        }
    }
    letters.div_ceil(4) + others
}

fn estimate_draft(lines: &[DraftLine]) -> usize {
    lines.iter().map(estimate_line).sum()
}

/// A line's estimate, counting its `[id] ` prefix and newline.
fn estimate_line(line: &DraftLine) -> usize {
    estimate_tokens(&line.body) + if line.element.is_some() { 5 } else { 1 }
}

/// An element of the previous screen with its printed line.
struct OldElement<'a> {
    element: &'a Element,
    body: &'a str,
}

/// How an element of the new screen is recognised as one of the previous screen (same
/// package in every case), tried in this order.
#[derive(Clone, Copy)]
enum SameAs {
    /// The same node, printed the same.
    NodeAndLine,
    /// Printed the same, elsewhere: a list scrolled.
    Line,
    /// The same node with the same label (its state changed), or an edited field.
    EditedNode,
}

impl SameAs {
    fn matches(self, old: &OldElement, body: &str, new: &DraftElement) -> bool {
        let same_node = old.element.node_key == new.node_key;
        match self {
            SameAs::NodeAndLine => same_node && old.body == body,
            SameAs::Line => old.body == body,
            SameAs::EditedNode => {
                same_node && (old.element.label == new.label || new.affordances.edit)
            }
        }
    }
}

/// The last resort for a screen still over budget with short lists and labels (a long web
/// page): drop plain text from the end, then elements from the end, and say so.
fn cut_to_budget(lines: &mut Vec<DraftLine>, max_tokens: usize) {
    let mut total = estimate_draft(lines);
    if total <= max_tokens {
        return;
    }
    let mut keep = vec![true; lines.len()];
    for drop_elements in [false, true] {
        for (index, line) in lines.iter().enumerate().rev() {
            if total <= max_tokens {
                break;
            }
            let is_header = line.element.is_none() && line.body.starts_with("# ");
            if is_header || line.more_of.is_some() || line.element.is_some() != drop_elements {
                continue;
            }
            if keep[index] {
                keep[index] = false;
                total -= estimate_line(line);
            }
        }
    }
    let dropped = keep.iter().filter(|kept| !**kept).count();
    // Markers point at their list's line by index: renumber them for the lines that remain.
    let mut new_index = Vec::with_capacity(keep.len());
    let mut next = 0usize;
    for kept in &keep {
        new_index.push(kept.then_some(next));
        next += usize::from(*kept);
    }
    let mut kept = keep.into_iter();
    lines.retain(|_| kept.next().unwrap_or(true));
    for line in lines.iter_mut() {
        line.more_of = line.more_of.and_then(|list| new_index[list]);
    }
    lines.push(DraftLine {
        body: format!("… {dropped} more lines not shown"),
        element: None,
        more_of: None,
    });
}

/// Gives every element line an id, keeping the ids of elements that were on `previous`.
///
/// An element keeps its id when it is still there: first the same node with the same line,
/// then the same line elsewhere (a list scrolled), then the same node with a changed line but
/// the same label, or an edited field (a toggle flipped, text typed). Anything else is new and
/// gets an id never used before, so an old id never names a different thing.
fn assign_ids(draft: Vec<DraftLine>, previous: Option<&EncodedScreen>) -> EncodedScreen {
    let mut next_id = previous.map_or(1, |previous| previous.next_id.max(1));
    let old: Vec<OldElement> = previous
        .map(|previous| {
            let bodies: HashMap<ElementId, &str> = previous
                .lines
                .iter()
                .filter_map(|line| Some((line.id?, line.body.as_str())))
                .collect();
            previous
                .elements
                .iter()
                .filter_map(|element| {
                    let body = *bodies.get(&element.id)?;
                    Some(OldElement { element, body })
                })
                .collect()
        })
        .unwrap_or_default();
    let mut claimed = vec![false; old.len()];
    let mut ids: Vec<Option<ElementId>> = vec![None; draft.len()];

    for rule in [SameAs::NodeAndLine, SameAs::Line, SameAs::EditedNode] {
        // Index the unclaimed old elements by package so each pass stays near-linear.
        let mut by_package: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, old) in old.iter().enumerate() {
            if !claimed[index] {
                by_package
                    .entry(old.element.package.as_str())
                    .or_default()
                    .push(index);
            }
        }
        for (line_index, line) in draft.iter().enumerate() {
            let Some(element) = &line.element else {
                continue;
            };
            if ids[line_index].is_some() {
                continue;
            }
            let Some(candidates) = by_package.get_mut(element.package.as_str()) else {
                continue;
            };
            if let Some(position) = candidates
                .iter()
                .position(|&index| rule.matches(&old[index], &line.body, element))
            {
                let index = candidates.remove(position);
                claimed[index] = true;
                ids[line_index] = Some(old[index].element.id);
            }
        }
    }
    for (line, id) in draft.iter().zip(ids.iter_mut()) {
        if line.element.is_some() && id.is_none() {
            *id = Some(next_id);
            next_id += 1;
        }
    }

    let mut elements = Vec::new();
    let mut lines = Vec::with_capacity(draft.len());
    for (index, line) in draft.into_iter().enumerate() {
        let id = ids[index];
        let body = match line
            .more_of
            .and_then(|list| ids.get(list).copied().flatten())
        {
            Some(list_id) => format!("{} in [{list_id}]", line.body),
            None => line.body,
        };
        if let (Some(id), Some(element)) = (id, line.element) {
            elements.push(Element {
                id,
                node_key: element.node_key,
                window_id: element.window_id,
                package: element.package,
                bounds: element.bounds,
                label: element.label,
                affordances: element.affordances,
            });
        }
        lines.push(Line { id, body });
    }
    let text = lines
        .iter()
        .map(Line::render)
        .collect::<Vec<_>>()
        .join("\n");
    EncodedScreen {
        text,
        elements,
        lines,
        next_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screen::reachability;
    use crate::screen::test_support::*;

    /// A settings page: a toolbar, a list of rows with switches, and a row that opens a page.
    fn settings_screen(wifi_on: bool) -> Snapshot {
        let row = |key: &str, title: &str, summary: &str, top: i32, toggle: Option<bool>| {
            let mut children = vec![text(&format!("{key}.t"), title, top), {
                text(&format!("{key}.s"), summary, top + 50)
            }];
            if let Some(on) = toggle {
                children.push(switch(&format!("{key}.sw"), on, top));
            }
            with_children(
                Node {
                    clickable: true,
                    ..node(
                        key,
                        "android.widget.LinearLayout",
                        rect(0, top, 1080, top + 140),
                    )
                },
                children,
            )
        };
        let list = with_children(
            Node {
                scrollable: true,
                ..node(
                    "list",
                    "androidx.recyclerview.widget.RecyclerView",
                    rect(0, 200, 1080, 2400),
                )
            },
            vec![
                row("wifi", "Wi-Fi", "HomeNet", 200, Some(wifi_on)),
                row("bt", "Bluetooth", "Off", 340, Some(false)),
                row("display", "Display", "Dark theme, font size", 480, None),
            ],
        );
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![
                Node {
                    content_description: "Navigate up".into(),
                    clickable: true,
                    ..node("up", "android.widget.ImageButton", rect(0, 60, 140, 200))
                },
                text("title", "Network", 60),
                list,
            ],
        );
        snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example.settings",
            root,
        )])
    }

    /// A payment screen whose "Pay now" button has `bounds`.
    fn pay_screen(bounds: Rect) -> Snapshot {
        let mut pay = button("pay", "Pay now", 0);
        pay.bounds = Some(bounds);
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![text("total", "Total 12.50", 200), pay],
        );
        snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example.pay",
            root,
        )])
    }

    #[test]
    fn a_button_at_extreme_bounds_is_listed_with_on_screen_bounds() {
        let (min, max) = (i32::MIN, i32::MAX);
        for (bounds, on_screen) in [
            (rect(min, 0, max, 10), rect(0, 0, 1080, 10)),
            (rect(min, min, max, max), rect(0, 0, 1080, 2400)),
            (rect(-500, 2300, 500, max), rect(0, 2300, 500, 2400)),
        ] {
            let encoded = encode(&pay_screen(bounds), None);
            assert_eq!(
                encoded.text, "# app com.example.pay\nTotal 12.50\n[1] Pay now",
                "{bounds:?}"
            );
            let pay = encoded.element(1).unwrap();
            assert_eq!((pay.node_key.as_str(), pay.bounds), ("pay", on_screen));
        }
    }

    #[test]
    fn a_button_with_inverted_or_off_screen_bounds_is_not_listed() {
        let (min, max) = (i32::MIN, i32::MAX);
        for bounds in [
            rect(max, 0, min, 10),
            rect(min, 0, 0, 10),
            rect(0, 2400, 10, max),
        ] {
            let encoded = encode(&pay_screen(bounds), None);
            assert_eq!(
                encoded.text, "# app com.example.pay\nTotal 12.50",
                "{bounds:?}"
            );
        }
    }

    #[test]
    fn rows_fold_into_one_line_with_terse_state() {
        let encoded = encode(&settings_screen(true), None);
        assert_eq!(
            encoded.text,
            "# app com.example.settings\n\
             [1] Navigate up\n\
             Network\n\
             [2] (scroll)\n\
             [3] Wi-Fi | HomeNet\n\
             [4] (switch, on)\n\
             [5] Bluetooth | Off\n\
             [6] (switch, off)\n\
             [7] Display | Dark theme, font size"
        );
        let wifi = encoded.element(4).unwrap();
        assert_eq!(wifi.node_key, "wifi.sw");
        assert!(wifi.affordances.toggle && wifi.affordances.tap);
        assert_eq!(
            encoded.element(2).unwrap().affordances.scroll,
            Some(ScrollAxes::Both)
        );
    }

    #[test]
    fn a_passive_switch_becomes_the_state_of_its_row() {
        let mut indicator = switch("dnd.sw", true, 300);
        indicator.clickable = false;
        let row = with_children(
            button("dnd", "", 300),
            vec![text("dnd.t", "Do Not Disturb", 300), indicator],
        );
        let screen = snapshot(vec![window(1, WindowType::Application, "com.example", row)]);
        let encoded = encode(&screen, None);
        assert!(
            encoded.text.ends_with("\n[1] Do Not Disturb (switch, on)"),
            "{}",
            encoded.text
        );
        assert!(encoded.elements[0].affordances.toggle);
        assert_eq!(reachability(&screen, &encoded).percent(), 100.0);
    }

    #[test]
    fn password_text_is_never_printed() {
        let mut password = field("pw", "hunter2secret", "Password", 300);
        password.password = true;
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![field("user", "ada", "User name", 100), password],
        );
        let screen = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example.login",
            root,
        )]);
        let encoded = encode(&screen, None);
        assert!(!encoded.text.contains("hunter2secret"), "{}", encoded.text);
        assert!(encoded.text.contains("[1] ada (field)"), "{}", encoded.text);
        assert!(
            encoded
                .text
                .contains("[2] Password (field, password, filled)"),
            "{}",
            encoded.text
        );
    }

    #[test]
    fn an_empty_field_shows_its_hint_as_empty() {
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![field("q", "", "Search settings", 100)],
        );
        let screen = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example",
            root,
        )]);
        assert!(
            encode(&screen, None)
                .text
                .ends_with("[1] Search settings (field, empty)")
        );
    }

    #[test]
    fn layout_only_and_invisible_nodes_vanish() {
        let mut hidden = button("gone", "Hidden", 100);
        hidden.visible = false;
        let offscreen = button("below", "Below the fold", 2600);
        let zero = Node {
            bounds: Some(rect(10, 10, 10, 10)),
            ..button("zero", "Zero", 0)
        };
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![with_children(
                node(
                    "layout",
                    "android.widget.LinearLayout",
                    rect(0, 0, 1080, 2400),
                ),
                vec![hidden, offscreen, zero, button("ok", "OK", 300)],
            )],
        );
        let screen = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example",
            root,
        )]);
        assert_eq!(encode(&screen, None).text, "# app com.example\n[1] OK");
    }

    #[test]
    fn windows_show_their_provenance() {
        let app = with_children(
            node("a", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![field("msg", "", "Message", 1500)],
        );
        let keyboard = with_children(
            node("k", "android.widget.FrameLayout", rect(0, 1600, 1080, 2400)),
            vec![button("k.q", "q", 1700)],
        );
        let screen = snapshot(vec![
            window(1, WindowType::Application, "com.example.chat", app),
            window(2, WindowType::InputMethod, "com.example.keyboard", keyboard),
        ]);
        let encoded = encode(&screen, None);
        assert!(
            encoded
                .text
                .contains("# keyboard com.example.keyboard\n[2] q"),
            "{}",
            encoded.text
        );
        assert_eq!(encoded.element(2).unwrap().window_id, 2);
    }

    #[test]
    fn windows_of_other_apps_are_marked() {
        let app = button("a", "Compose", 300);
        let ad = button("ad", "Install now", 900);
        let screen = snapshot(vec![
            window(1, WindowType::Application, "com.example.mail", app),
            window(2, WindowType::Application, "com.ads.popup", ad),
        ]);
        let options = EncodeOptions {
            task_packages: vec!["com.example.mail".into()],
            ..EncodeOptions::default()
        };
        let text = encode_with(&screen, None, &options).text;
        assert!(
            text.starts_with("# app com.example.mail\n[1] Compose\n"),
            "{text}"
        );
        assert!(
            text.ends_with("# app com.ads.popup (other app)\n[2] Install now"),
            "{text}"
        );
        assert!(!encode(&screen, None).text.contains("(other app)"));
    }

    #[test]
    fn long_lists_are_capped_with_a_marker() {
        let items = (0..200)
            .map(|i| button(&format!("i{i}"), &format!("Item {i}"), 200 + i * 10))
            .collect();
        let list = with_children(
            Node {
                scrollable: true,
                ..node("list", "android.widget.ListView", rect(0, 200, 1080, 2400))
            },
            items,
        );
        let screen = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example",
            list,
        )]);
        let options = EncodeOptions::default();
        let encoded = encode_with(&screen, None, &options);
        assert_eq!(encoded.elements.len(), 1 + options.max_list_items);
        assert!(
            encoded.text.ends_with("… 150 more in [1]"),
            "{}",
            encoded.text
        );
    }

    #[test]
    fn a_huge_screen_stays_under_the_token_budget() {
        let long = "word ".repeat(200);
        let items = (0..400)
            .map(|i| {
                with_children(
                    node(
                        &format!("c{i}"),
                        "android.widget.LinearLayout",
                        rect(0, i, 1080, i + 5),
                    ),
                    vec![text(&format!("t{i}"), &format!("{i} {long}"), i)],
                )
            })
            .collect();
        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            items,
        );
        let screen = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example",
            root,
        )]);
        let encoded = encode(&screen, None);
        assert!(
            estimate_tokens(&encoded.text) <= 1_300 + 400,
            "{}",
            estimate_tokens(&encoded.text)
        );
    }

    #[test]
    fn ids_stay_stable_across_screens_and_are_never_reused() {
        let before = encode(&settings_screen(true), None);
        let after = encode(&settings_screen(false), Some(&before));
        assert_eq!(
            before
                .elements
                .iter()
                .map(|e| (e.id, &e.node_key))
                .collect::<Vec<_>>(),
            after
                .elements
                .iter()
                .map(|e| (e.id, &e.node_key))
                .collect::<Vec<_>>()
        );
        assert!(after.text.contains("[4] (switch, off)"));

        let root = with_children(
            node("root", "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
            vec![button("ok", "OK", 300)],
        );
        let dialog = encode(
            &snapshot(vec![window(
                1,
                WindowType::Application,
                "com.example.settings",
                root,
            )]),
            Some(&after),
        );
        assert_eq!(
            dialog.elements[0].id, 8,
            "a new element gets a never-used id"
        );
    }

    #[test]
    fn an_unlabelled_icon_is_named_by_its_resource_id() {
        let icon = Node {
            clickable: true,
            resource_id: "com.example:id/btn_send".into(),
            ..node(
                "send",
                "android.widget.ImageButton",
                rect(900, 2000, 1000, 2100),
            )
        };
        let screen = snapshot(vec![window(
            1,
            WindowType::Application,
            "com.example",
            icon,
        )]);
        assert!(encode(&screen, None).text.ends_with("[1] send"));
    }
}
