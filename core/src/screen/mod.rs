//! The screen: the snapshot model, importers of real dump formats, the compact encoder and the
//! screen diff.

pub mod import;

pub use crate::proto::{
    AccessibilityAction, CollectionInfo, CollectionItemInfo, Node, RangeInfo, Rect, Snapshot,
    SourceFormat, StandardAction, Window, WindowType, range_info::RangeType,
};

mod element;

pub use element::{Affordances, Element, ElementId, ScrollAxes};

mod visibility;

pub use visibility::{is_visible, walk};

mod diff;
mod encode;
mod lookup;
mod node;
mod provenance;
mod reach;
mod rect;
#[cfg(test)]
pub(crate) mod test_support;

pub use diff::{ChangedElement, ScreenDiff, diff};
pub use encode::{EncodeOptions, EncodedScreen, encode, encode_with, estimate_tokens};
pub use node::{count_nodes, resource_entry};
pub(crate) use provenance::Trust;
pub use provenance::{
    PERMISSION_CONTROLLER_PACKAGES, SYSTEM_UI_PACKAGE, foreign_windows, is_permission_controller,
    is_platform_package,
};
pub use reach::{Reachability, reachability};
