//! The protobuf types generated from `core/proto/snapshot.proto` (prost), with their canonical
//! proto3 JSON mapping (pbjson). They are the one screen model every producer writes.

#![allow(missing_docs, clippy::all)]

include!(concat!(env!("OUT_DIR"), "/lobster.v1.rs"));
include!(concat!(env!("OUT_DIR"), "/lobster.v1.serde.rs"));
