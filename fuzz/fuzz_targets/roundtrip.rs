//! Round trips of whatever parses: `Display` then strict parse, and JSON (serde) both ways,
//! give back the same card.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some(card) = cccd::__fuzz::roundtrip(data) {
        let json = serde_json::to_string(&card).expect("a card serialises");
        let back: cccd::Card<'static> = serde_json::from_str(&json).expect("and deserialises");
        assert_eq!(back, card);
    }
});
