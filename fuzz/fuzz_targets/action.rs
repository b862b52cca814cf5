//! Fuzz target `action`: see `lobster_fuzz::action_line`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lobster_fuzz::action_line(data));
