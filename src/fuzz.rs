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

/// Strict, lenient and check-digit-tolerant MRZ parsing of arbitrary bytes: no panic,
/// positions are 1-based, accepted records print to text that parses back to the same record
/// (three lines or DG1's single line), `Debug` never shows the ID number, lenient mode
/// accepts whatever strict mode accepts and reads it the same, and the cross-check with a QR
/// payload made of the record's own facts finds no ID, birth date or sex disagreement.
pub fn mrz(data: &[u8]) {
    use crate::mrz::Parser;
    use crate::CrossCode;
    let strict = Parser::new().parse_bytes(data);
    let lenient = Parser::new().lenient(true).parse_bytes(data);
    let tolerant = Parser::new().require_check_digits(false).parse_bytes(data);
    for (result, parser) in [
        (&strict, Parser::new()),
        (&lenient, Parser::new()),
        (&tolerant, Parser::new().require_check_digits(false)),
    ] {
        match result {
            Err(e) => {
                assert!(e.line() >= 1 && e.column() >= 1, "position {e:?}");
                assert!(!e.to_string().is_empty() && !e.detail().is_empty());
                if let Some(field) = e.field() {
                    assert!(e.line() <= 3 && e.column() <= 30, "field outside the grid");
                    assert_eq!(e.code().as_str(), field.as_str());
                }
            }
            Ok(parsed) => {
                let m = &parsed.mrz;
                let printed = m.to_string();
                assert_eq!(printed.len(), 92);
                assert_eq!(parser.parse(&printed).map(|p| p.mrz).as_ref(), Ok(m));
                let single = m.to_single_line();
                assert_eq!(parser.parse(&single).map(|p| p.mrz).as_ref(), Ok(m));
                let debug = format!("{m:?}");
                assert!(
                    !debug.contains(m.id_number().as_str()),
                    "Debug shows the ID"
                );
                assert_eq!(m.id_number().as_str()[3..].len(), m.document_number().len());
                let sex = m.sex().as_card_str();
                let dob = m.date_of_birth().format("%d%m%Y");
                let payload = format!("{}||A|{dob}|{sex}|B|01012021", m.id_number());
                if let Ok(card) = parse(&payload) {
                    let codes: Vec<CrossCode> = crate::mrz::cross_check(&card, m)
                        .iter()
                        .map(|w| w.code())
                        .collect();
                    for code in [
                        CrossCode::MrzIdMismatch,
                        CrossCode::MrzBirthDateMismatch,
                        CrossCode::MrzSexMismatch,
                    ] {
                        assert!(!codes.contains(&code), "{code} on agreeing facts");
                    }
                }
            }
        }
    }
    if let Ok(s) = &strict {
        assert!(s.repairs.is_empty());
        assert!(s.mrz.check_digits().all_valid());
        let l = lenient
            .as_ref()
            .expect("lenient mode rejects what strict mode accepts");
        assert!(
            l.repairs.is_empty(),
            "repairs on a strict mrz: {:?}",
            l.repairs
        );
        assert_eq!(l.mrz, s.mrz, "lenient reads a clean mrz differently");
        assert_eq!(tolerant.as_ref().map(|t| &t.mrz), Ok(&s.mrz));
    }
    if let Ok(t) = &tolerant {
        if t.mrz.check_digits().all_valid() {
            assert_eq!(strict.as_ref().map(|s| &s.mrz), Ok(&t.mrz));
        }
    }
    if let Ok(l) = &lenient {
        assert!(l.mrz.check_digits().all_valid());
    }
}
