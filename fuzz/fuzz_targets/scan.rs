//! The photo scanner's front end on arbitrary bytes: encoded images (PNG, JPEG, WebP, GIF,
//! BMP, at most 160 × 160 pixels) or raw grey pixels handed to the cascade and rqrr. No
//! panic, and no input may take more than a few times the 200 ms budget: run with
//! `-timeout=1` so that a slow input is a finding. The check lives in the library
//! (`cccd::__fuzz::scan_image`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cccd::__fuzz::scan_image(data);
});
