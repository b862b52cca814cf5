//! Fuzz target `gguf`: see `lobster_fuzz::gguf_header`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lobster_fuzz::gguf_header(data));
