//! Fuzz target `cloud_reply`: see `lobster_fuzz::cloud_reply`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lobster_fuzz::cloud_reply(data));
