//! Build-script helper shared by the crates whose tests read `../shared` (the real screens and
//! the real Qwen tokenizer that sit beside a developer's checkout and are absent in a fresh
//! clone). It sets `shared_screens_absent` / `shared_tokenizer_absent`, so the tests that need
//! them are marked `#[ignore]` with the reason and counted as "ignored" in every test run,
//! instead of returning early and passing in silence. Included with `#[path]` by each crate's
//! `build.rs`.
//!
//! The probe runs when the build script does (a clean build, or when `build.rs` changes): after
//! adding or removing `../shared` beside an existing build, `touch` the crate's `build.rs`.

use std::path::Path;

/// Emits the cfgs for what of `../shared` is missing, seen from the crate at `manifest_dir`.
pub fn emit_cfgs(manifest_dir: &str) {
    let shared = Path::new(manifest_dir).join("../../shared");
    let probes = [
        ("shared_screens_absent", "screens/index.json"),
        ("shared_tokenizer_absent", "tokenizer/qwen_tokenizer.json"),
    ];
    for (cfg, file) in probes {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        let path = shared.join(file);
        if path.is_file() {
            println!("cargo::rerun-if-changed={}", path.display());
        } else {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    println!("cargo::rerun-if-changed=build.rs");
}
