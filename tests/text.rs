//! Text strictness: the Vietnamese repertoire of names and addresses, the reasons given for
//! text outside it, lenient mode's `damaged` fields, and the mojibake figure over 80 mangled
//! payloads (testdata/mojibake).

use cccd::{Field, Parser, Reason};
use proptest::prelude::*;

const BASE: [&str; 7] = [
    "079203001234",
    "123456789",
    "Nguyễn Văn Ánh",
    "01012003",
    "Nam",
    "Số 12 Lê Lợi, Hà Nội",
    "15082021",
];

/// The base payload with field `n` replaced by `text`.
fn with(n: usize, text: &str) -> String {
    let mut f = BASE.map(str::to_owned);
    f[n] = text.to_owned();
    f.join("|")
}

#[track_caller]
fn rejected(payload: &str, field: Field, reason: Reason, offset: usize) {
    let e = cccd::parse(payload).expect_err(payload);
    assert_eq!(
        (e.field(), e.reason(), e.offset()),
        (Some(field), reason, offset),
        "{e}"
    );
}

#[test]
fn strict_rejects_what_no_card_holds() {
    // The name starts at byte 23.
    rejected(
        &with(2, "Nguy\u{fffd}n"),
        Field::FullName,
        Reason::ReplacementChar,
        27,
    );
    rejected(
        &with(2, "An\u{202e}h"),
        Field::FullName,
        Reason::ControlOrFormatChar,
        25,
    );
    rejected(
        &with(2, "An😀"),
        Field::FullName,
        Reason::NotVietnameseText,
        25,
    );
    rejected(
        &with(2, "A\u{200b}n"),
        Field::FullName,
        Reason::ControlOrFormatChar,
        24,
    );
    rejected(&with(2, "   "), Field::FullName, Reason::Blank, 23);
    rejected(
        &with(2, "Nguyá»…n VÄƒn A"),
        Field::FullName,
        Reason::LikelyMojibake,
        29,
    );
    rejected(
        &with(2, "=HYPERLINK(\"http://x\",\"a\")"),
        Field::FullName,
        Reason::NotVietnameseText,
        23,
    );
    rejected(
        &with(2, "Müller"),
        Field::FullName,
        Reason::NotVietnameseText,
        24,
    );
    rejected(&with(2, "ÆØ"), Field::FullName, Reason::LikelyMojibake, 23);
    // The address starts at byte 55.
    rejected(
        &with(5, "Hà Nội @ 5"),
        Field::Address,
        Reason::NotVietnameseText,
        65,
    );
    rejected(
        &with(5, "Hà\tNội"),
        Field::Address,
        Reason::ControlOrFormatChar,
        58,
    );
    rejected(
        &with(5, "\u{1b}[31m"),
        Field::Address,
        Reason::ControlOrFormatChar,
        55,
    );
    // Extra fields are opaque, but not damaged or hiding characters.
    let extra = format!("{}|a|b\u{fffd}|c|d", with(2, "An"));
    let e = cccd::parse(&extra).expect_err("U+FFFD");
    assert_eq!(
        (e.field(), e.reason()),
        (Some(Field::ExtraField), Reason::ReplacementChar)
    );
    assert!(cccd::parse(&format!("{}|a=b|@|\"|", with(2, "An"))).is_ok());
}

#[test]
fn every_letter_and_punctuation_of_the_repertoire_is_accepted() {
    let name: String = cccd::VIETNAMESE_LETTERS
        .split(' ')
        .collect::<Vec<_>>()
        .join(" ");
    let payload = with(2, &name);
    let card = cccd::parse(&payload).expect("all letters");
    assert!(card.is_borrowed());
    let address = format!(
        "Số 12/3 (cũ), P. 101; Lô A-12: Km 10+500, Đăk R'Lấp {}",
        cccd::PUNCTUATION
    );
    cccd::parse(&with(5, &address)).expect("all punctuation");
}

#[test]
fn messages_are_pinned() {
    let msg = |p: &str| cccd::parse(p).unwrap_err().to_string();
    assert_eq!(
        msg(&with(2, "Nguy\u{fffd}n")),
        "invalid full name at byte 27: replacement character U+FFFD (the text was damaged when decoded)"
    );
    assert_eq!(
        msg(&with(2, "An\u{202e}h")),
        "invalid full name at byte 25: format character U+202E"
    );
    assert_eq!(
        msg(&with(2, "A=")),
        "invalid full name at byte 24: U+003D is not in the vietnamese repertoire of names and addresses"
    );
    assert_eq!(
        msg(&with(2, "A»")),
        "invalid full name at byte 24: U+00BB suggests mojibake (utf-8 decoded in another charset)"
    );
    assert_eq!(
        msg(&with(2, "  ")),
        "invalid full name at byte 23: only spaces"
    );
    assert_eq!(
        msg(&with(3, "01019999")),
        "invalid date of birth at byte 46: year 9999 is outside 1900-2399"
    );
}

#[test]
fn lenient_keeps_damaged_text_with_a_word_and_rejects_the_rest() {
    let lenient = Parser::new().lenient(true);
    for bad in ["Nguy\u{fffd}n", "An😀", "=HYPERLINK(\"x\")", "Müller"] {
        let payload = with(2, bad);
        let p = lenient.parse(&payload).expect(bad);
        assert_eq!(p.damaged, [Field::FullName], "{bad}");
        assert_eq!(p.card.full_name(), bad);
    }
    let payload = with(5, "Hà Nội <b>");
    let p = lenient.parse(&payload).expect("address");
    assert_eq!(p.damaged, [Field::Address]);
    for bad in ["An\u{202e}h", "A\u{200b}n", "   "] {
        assert!(lenient.parse(&with(2, bad)).is_err(), "{bad:?}");
    }
    // Repairs that give back repertoire text are repairs, not damage.
    let garbled: String = with(2, "Nguyễn Văn Ánh").bytes().map(char::from).collect();
    let p = lenient.parse(&garbled).expect("latin-1 mojibake");
    assert!(p.damaged.is_empty());
    assert_eq!(p.card.full_name(), "Nguyễn Văn Ánh");
}

#[test]
fn dates_stay_within_what_the_century_digit_can_say() {
    let p = with(3, "01011899");
    rejected(
        &p,
        Field::DateOfBirth,
        Reason::YearOutOfRange,
        p.find("1899").unwrap(),
    );
    let p = with(6, "01012400");
    rejected(
        &p,
        Field::IssueDate,
        Reason::YearOutOfRange,
        p.find("2400").unwrap(),
    );
    cccd::parse(&with(3, "01011900")).expect("1900");
    let payload = with(6, "31122399");
    let card = cccd::parse(&payload).expect("2399");
    assert_eq!(cccd::chrono::Datelike::year(&card.issue_date()), 2399);
}

/// One mangled payload's outcome.
#[derive(Debug, Default)]
struct Tally {
    silent: usize,
    repaired: usize,
    damaged: usize,
    error: usize,
}

fn unhex(s: &str) -> String {
    let bytes: Vec<u8> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect();
    String::from_utf8(bytes).expect("utf-8")
}

#[test]
fn no_mojibake_passes_silently() {
    let lines = include_str!("../testdata/mojibake/mangled.txt");
    let (mut strict, mut lenient) = (Tally::default(), Tally::default());
    let mut n = 0;
    for line in lines.lines() {
        let mut cols = line.split('\t');
        let (way, original, mangled) = (
            cols.next().expect("way"),
            unhex(cols.next().expect("original")),
            unhex(cols.next().expect("mangled")),
        );
        n += 1;
        for (tally, lenient_mode) in [(&mut strict, false), (&mut lenient, true)] {
            match Parser::new().lenient(lenient_mode).parse(&mangled) {
                Err(_) => tally.error += 1,
                Ok(p) if p.card.to_string() == original => tally.repaired += 1,
                Ok(p) if !p.damaged.is_empty() => tally.damaged += 1,
                Ok(_) => {
                    tally.silent += 1;
                    eprintln!("silent: {way} lenient={lenient_mode}");
                }
            }
        }
    }
    eprintln!("of {n}: strict {strict:?}, lenient {lenient:?}");
    assert_eq!(n, 80);
    assert_eq!((strict.silent, lenient.silent), (0, 0));
    assert_eq!(strict.repaired, 0);
    assert_eq!(strict.error, 80);
    // Every lossless decoding is undone (Latin-1 always; the others when no byte was lost).
    assert!(lenient.repaired >= 8, "{lenient:?}");
}

fn repertoire_char() -> impl Strategy<Value = char> {
    let letters: Vec<char> = cccd::VIETNAMESE_LETTERS
        .chars()
        .filter(|&c| c != ' ')
        .collect();
    let punct: Vec<char> = cccd::PUNCTUATION.chars().collect();
    prop_oneof![
        8 => prop::sample::select(letters),
        1 => prop::sample::select(punct),
        1 => prop::sample::select(vec!['0', '5', '9', ' ']),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any text of the repertoire that is not blank is a name and an address, strictly,
    /// borrowed from the input.
    #[test]
    fn repertoire_text_is_accepted(
        name in prop::collection::vec(repertoire_char(), 1..40),
        address in prop::collection::vec(repertoire_char(), 1..80),
    ) {
        let name: String = name.into_iter().collect();
        let address: String = address.into_iter().collect();
        prop_assume!(!name.trim().is_empty() && !address.trim().is_empty());
        let mut f = BASE.map(str::to_owned);
        f[2] = name.clone();
        f[5] = address.clone();
        let payload = f.join("|");
        let card = cccd::parse(&payload).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(card.is_borrowed());
        prop_assert_eq!(card.full_name(), name.as_str());
        prop_assert_eq!(card.address(), address.as_str());
    }

    /// One character outside the repertoire anywhere in a name is rejected strictly at its
    /// offset (or at 0 for text that is not NFC), and flagged or rejected in lenient mode.
    #[test]
    fn one_foreign_character_is_found(
        name in prop::collection::vec(repertoire_char(), 1..30),
        at in any::<prop::sample::Index>(),
        c in any::<char>(),
    ) {
        prop_assume!(!cccd::is_vietnamese_text_char(c) && c != '|');
        let mut name = name;
        let k = at.index(name.len() + 1);
        name.insert(k, c);
        let pos: usize = name[..k].iter().map(|c| c.len_utf8()).sum();
        let name: String = name.into_iter().collect();
        let payload = with(2, &name);
        let e = cccd::parse(&payload).expect_err("foreign character");
        prop_assert_eq!(e.field(), Some(Field::FullName));
        prop_assert!(matches!(e.reason(),
            Reason::ReplacementChar | Reason::ControlOrFormatChar | Reason::NotVietnameseText
            | Reason::LikelyMojibake | Reason::NotNfc), "{:?}", e.reason());
        if e.reason() != Reason::NotNfc {
            prop_assert_eq!(e.offset(), 23 + pos);
        }
        match Parser::new().lenient(true).parse(&payload) {
            Ok(p) => prop_assert!(!p.damaged.is_empty() || p.card.full_name() != name, "{:?}", c),
            Err(e) => prop_assert!(e.reason() == Reason::ControlOrFormatChar, "{:?}", e.reason()),
        }
    }
}

#[cfg(feature = "serde")]
#[test]
fn damaged_text_is_a_warning_in_the_report() {
    use cccd::report::{validate_json, Options};
    let today = cccd::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let payload = with(2, "Nguy\u{fffd}n");
    let strict = validate_json(payload.as_bytes(), &Options::new(today));
    assert!(
        strict.contains(r#""reason":"replacement_char""#),
        "{strict}"
    );
    let lenient = validate_json(payload.as_bytes(), &Options::new(today).lenient(true));
    assert!(lenient.starts_with(r#"{"ok":true"#), "{lenient}");
    assert!(
        lenient.contains(r#"{"code":"damaged_text","field":"full_name","message":"#),
        "{lenient}"
    );
}

#[cfg(feature = "serde")]
#[test]
fn json_escapes_line_and_paragraph_separators() {
    use cccd::report::{validate_json, Options};
    let today = cccd::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    // Lenient mode keeps the extra fields' text; U+2028/2029 are not format characters.
    let payload = format!("{}|a\u{2028}b|c\u{2029}|d|e", with(2, "An"));
    let line = validate_json(payload.as_bytes(), &Options::new(today).lenient(true));
    assert!(!line.contains(['\u{2028}', '\u{2029}']), "{line}");
    assert!(
        line.contains(r"a\u2028b") && line.contains(r"c\u2029"),
        "{line}"
    );
}
