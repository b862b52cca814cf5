//! Marks the tests that need `../shared` as ignored where it is absent (see
//! `core/shared_probe.rs`).

#[path = "../core/shared_probe.rs"]
mod shared_probe;

fn main() {
    shared_probe::emit_cfgs(env!("CARGO_MANIFEST_DIR"));
}
