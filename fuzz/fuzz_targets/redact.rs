//! Fuzz target `redact`: see `lobster_fuzz::redact`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lobster_fuzz::redact(data));
