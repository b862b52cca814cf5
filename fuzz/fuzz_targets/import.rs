//! Fuzz target `import`: see `lobster_fuzz::import_dump`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lobster_fuzz::import_dump(data));
