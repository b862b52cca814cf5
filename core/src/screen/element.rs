//! Elements: the actionable things of an encoded screen, each addressed by a short numeric id.
//!
//! The planner never sees node keys or coordinates; it names an element by the id the encoder
//! printed. An [`Element`] maps that id back to the node key the performer acts on, and says
//! which actions make sense on it, so the grammar can admit `type 7 "…"` only where element 7 is
//! editable.

use super::Rect;

/// The short id the planner uses to name an element (`tap 12`).
pub type ElementId = u32;

/// One actionable element of an encoded screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// The id printed in the encoded text.
    pub id: ElementId,
    /// Key of the node to act on (`Node::key`), unique within the snapshot.
    pub node_key: String,
    /// Id of the window holding the node.
    pub window_id: i32,
    /// Package owning the node's window.
    pub package: String,
    /// Bounds on screen, clipped to the screen when its size is known, for gesture fallbacks.
    pub bounds: Rect,
    /// The element's own label as printed (text, description, hint or resource name), possibly
    /// shortened; empty when it has none.
    pub label: String,
    /// What the element accepts.
    pub affordances: Affordances,
}

/// The actions an element accepts, derived from its flags, class and accessibility actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Affordances {
    /// Accepts a tap (clickable, or checkable: a tap toggles it).
    pub tap: bool,
    /// Accepts a long press.
    pub long_press: bool,
    /// Accepts typed text.
    pub edit: bool,
    /// Scrolls, and along which axes.
    pub scroll: Option<ScrollAxes>,
    /// Has an on/off state (switch, checkbox, radio button).
    pub toggle: bool,
}

/// The axes a scrollable element moves along.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScrollAxes {
    /// Up and down.
    Vertical,
    /// Left and right.
    Horizontal,
    /// Both (or unknown: the platform did not say).
    Both,
}

impl ScrollAxes {
    /// Whether scrolling in `direction` makes sense along these axes.
    pub fn allows(self, vertical: bool) -> bool {
        match self {
            ScrollAxes::Both => true,
            ScrollAxes::Vertical => vertical,
            ScrollAxes::Horizontal => !vertical,
        }
    }
}
