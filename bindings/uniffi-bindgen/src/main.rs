//! `uniffi-bindgen`, built from the workspace so its version is exactly the one the scaffolding
//! of `lobster-ffi` was generated with: a mismatch between the two fails only at run time, with
//! a checksum error in Kotlin. Run it in library mode on the built cdylib:
//!
//! ```sh
//! cargo run -p uniffi-bindgen -- generate --library target/debug/liblobster_ffi.so \
//!     --language kotlin --out-dir out/
//! ```

fn main() {
    uniffi::uniffi_bindgen_main()
}
