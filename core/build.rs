//! Compiles `proto/*.proto` with protox (pure Rust, no system `protoc`) into prost types, and
//! derives the canonical proto3 JSON mapping for them with pbjson; marks the tests that need
//! `../shared` as ignored where it is absent (`shared_probe.rs`).

use std::path::PathBuf;

#[path = "shared_probe.rs"]
mod shared_probe;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    shared_probe::emit_cfgs(env!("CARGO_MANIFEST_DIR"));
    let protos = ["proto/snapshot.proto", "proto/trajectory.proto"];
    for proto in protos {
        println!("cargo:rerun-if-changed={proto}");
    }
    let descriptors = protox::compile(protos, ["proto"])?;
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let descriptor_path = out_dir.join("lobster_descriptor.bin");
    std::fs::write(
        &descriptor_path,
        prost::Message::encode_to_vec(&descriptors),
    )?;

    prost_build::Config::new()
        .file_descriptor_set_path(&descriptor_path)
        .compile_fds(descriptors)?;
    pbjson_build::Builder::new()
        .register_descriptors(&std::fs::read(&descriptor_path)?)?
        .build(&[".lobster"])?;
    Ok(())
}
