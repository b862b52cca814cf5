//! Fuzz target `trajectory`: see `lobster_fuzz::trajectory`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lobster_fuzz::trajectory(data));
