//! The fuzz targets' checks (`fuzz/`), here so that `tests/run_all_fuzz_files.rs` replays
//! saved inputs through exactly the same code. Not part of the API: these functions panic when
//! the parser misbehaves, which is what a fuzzer looks for.

use crate::{parse, Card, Parser};

/// Strict and lenient parsing of arbitrary bytes: no panic, errors point inside the input,
/// accepted cards are canonical, and lenient mode agrees with strict mode where strict mode
/// accepts and lenient mode repairs nothing.
pub fn parse_bytes(data: &[u8]) {
    let strict = Parser::new().parse_bytes(data);
    let lenient = Parser::new().lenient(true).parse_bytes(data);
    if let Ok(text) = std::str::from_utf8(data) {
        assert_eq!(parse(text), strict.clone().map(|p| p.card));
    }
    for result in [&strict, &lenient] {
        match result {
            Err(e) => {
                assert!(
                    e.offset() <= data.len(),
                    "offset {} past the end",
                    e.offset()
                );
                assert!(!e.to_string().is_empty());
            }
            Ok(parsed) => {
                let card = &parsed.card;
                assert_eq!(parse(&card.to_string()).as_ref(), Ok(card), "not canonical");
                let debug = format!("{card:?}");
                assert!(
                    !debug.contains(card.id_number().as_str()),
                    "Debug shows the ID"
                );
            }
        }
    }
    if let Ok(p) = &strict {
        assert!(p.repairs.is_empty());
        if let Ok(l) = &lenient {
            if l.repairs.is_empty() {
                assert_eq!(l.card, p.card, "lenient reads a clean payload differently");
            }
        } else {
            panic!("lenient mode rejects what strict mode accepts");
        }
    }
}

/// Whatever parses leniently prints to a payload that parses strictly to the same card, owned
/// or borrowed. Returns the card for further round trips (the fuzz target adds JSON).
pub fn roundtrip(data: &[u8]) -> Option<Card<'static>> {
    let parsed = Parser::new().lenient(true).parse_bytes(data).ok()?;
    let printed = parsed.card.to_string();
    let again = parse(&printed).expect("a parsed card prints to a valid payload");
    assert_eq!(again, parsed.card);
    assert_eq!(again.to_string(), printed);
    let owned = parsed.card.into_owned();
    assert_eq!(owned, again);
    Some(owned)
}
