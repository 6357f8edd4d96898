//! The grid reader's soft decoder on a real code read wrongly in arbitrary ways: module
//! margins edited (sign, size, NaN) in up to three readings pooled together. No panic
//! (the pool's own `catch_unwind` lets panics through under `--cfg fuzzing`), and a payload
//! read is never longer than the code holds. The check lives in the library
//! (`cccd::__fuzz::soft_pool`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cccd::__fuzz::soft_pool(data);
});
