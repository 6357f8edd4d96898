//! Strict and lenient parsing of arbitrary bytes: never a panic, and every accepted card is
//! canonical and consistent. The checks live in `cccd::fuzz_checks` (hidden), so
//! `tests/run_all_fuzz_files.rs` replays the corpus through exactly the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cccd::__fuzz::parse_bytes(data);
});
