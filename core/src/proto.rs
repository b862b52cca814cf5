//! The protobuf types generated from `core/proto/*.proto` (prost), with their canonical proto3
//! JSON mapping (pbjson): the snapshot, the one screen model every producer writes, and the
//! trajectory records. They are re-exported where they belong (`screen`, `agent`).

#![allow(missing_docs, clippy::all)]

include!(concat!(env!("OUT_DIR"), "/lobster.v1.rs"));
include!(concat!(env!("OUT_DIR"), "/lobster.v1.serde.rs"));
