//! `cccd::__fuzz::dg13` over arbitrary bytes (see the function's documentation); the checks
//! live in the library so that `tests/chip.rs` replays saved inputs through the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cccd::__fuzz::dg13(data);
});
