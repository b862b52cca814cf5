//! The screen: the snapshot model, importers of real dump formats, the compact encoder and the
//! screen diff.

mod proto;

pub use proto::{
    AccessibilityAction, CollectionInfo, CollectionItemInfo, Node, RangeInfo, Rect, Snapshot,
    SourceFormat, StandardAction, Window, WindowType, range_info::RangeType,
};

mod element;

pub use element::{Affordances, Element, ElementId, ScrollAxes};
