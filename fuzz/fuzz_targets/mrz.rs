//! Strict, lenient and check-digit-tolerant MRZ parsing of arbitrary bytes: never a panic,
//! positions inside the grid, accepted records canonical, lenient agreeing with strict, and
//! the JSON of every record (serde) well-formed. The checks live in `cccd::__fuzz::mrz`, so
//! `tests/run_all_fuzz_files.rs` replays the corpus through exactly the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    cccd::__fuzz::mrz(data);
    if let Ok(parsed) = cccd::mrz::Parser::new().lenient(true).parse_bytes(data) {
        let json = serde_json::to_value(&parsed.mrz).expect("an mrz serialises");
        assert_eq!(json["id_number"], parsed.mrz.id_number().as_str());
        serde_json::to_string(&parsed.repairs).expect("repairs serialise");
    }
});
