//! Pins the text of every error message, and that no message or Debug output contains the
//! payload's personal data.

use cccd::{ErrorCode, Field, Parser};

const GOOD: &str =
    "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Số 1 Lê Lợi, Hà Nội|15082021";

fn with_field(k: usize, value: &str) -> String {
    let mut fields: Vec<&str> = GOOD.split('|').collect();
    fields[k] = value;
    fields.join("|")
}

#[track_caller]
fn err(input: &str) -> cccd::Error {
    cccd::parse(input).expect_err("must fail")
}

#[test]
fn every_message_is_pinned() {
    let long = "1".repeat(5000);
    let table: Vec<(String, ErrorCode, Option<Field>, usize, &str)> = vec![
        ("".into(), ErrorCode::Empty, None, 0, "empty payload"),
        (
            long,
            ErrorCode::TooLong,
            None,
            4096,
            "payload too long: 5000 bytes, at most 4096 allowed",
        ),
        (
            "a|b".into(),
            ErrorCode::FieldCount,
            None,
            3,
            "wrong number of fields at byte 3: expected 7 or 11 fields separated by '|', found 2",
        ),
        (
            format!("{GOOD}|x"),
            ErrorCode::FieldCount,
            None,
            91,
            "wrong number of fields at byte 91: expected 7 or 11 fields separated by '|', found 8",
        ),
        (
            with_field(0, "07920300123"),
            ErrorCode::IdNumber,
            Some(Field::IdNumber),
            0,
            "invalid id number at byte 0: expected 12 digits, found 11 characters",
        ),
        (
            with_field(0, "0792030O1234"),
            ErrorCode::IdNumber,
            Some(Field::IdNumber),
            7,
            "invalid id number at byte 7: 'O' is not a digit",
        ),
        (
            with_field(0, "\u{feff}079203001234"),
            ErrorCode::IdNumber,
            Some(Field::IdNumber),
            0,
            "invalid id number at byte 0: U+FEFF is not a digit",
        ),
        (
            with_field(1, "12345"),
            ErrorCode::OldIdNumber,
            Some(Field::OldIdNumber),
            13,
            "invalid old id number at byte 13: expected 9 or 12 digits, found 5 characters",
        ),
        (
            with_field(2, ""),
            ErrorCode::FullName,
            Some(Field::FullName),
            23,
            "invalid full name at byte 23: empty",
        ),
        (
            with_field(2, "An\u{0}h"),
            ErrorCode::FullName,
            Some(Field::FullName),
            25,
            "invalid full name at byte 25: control character U+0000",
        ),
        (
            with_field(2, "A\u{301}nh"),
            ErrorCode::FullName,
            Some(Field::FullName),
            23,
            "invalid full name at byte 23: text is not in unicode nfc (precomposed) form",
        ),
        (
            with_field(3, "01132003"),
            ErrorCode::DateOfBirth,
            Some(Field::DateOfBirth),
            44,
            "invalid date of birth at byte 44: month 13",
        ),
        (
            with_field(3, "30022003"),
            ErrorCode::DateOfBirth,
            Some(Field::DateOfBirth),
            42,
            "invalid date of birth at byte 42: day 30 does not exist in month 2",
        ),
        (
            with_field(3, "01010000"),
            ErrorCode::DateOfBirth,
            Some(Field::DateOfBirth),
            46,
            "invalid date of birth at byte 46: year 0",
        ),
        (
            with_field(3, "1/1/2003"),
            ErrorCode::DateOfBirth,
            Some(Field::DateOfBirth),
            43,
            "invalid date of birth at byte 43: '/' is not a digit",
        ),
        (
            with_field(3, "0101203"),
            ErrorCode::DateOfBirth,
            Some(Field::DateOfBirth),
            42,
            "invalid date of birth at byte 42: expected 8 digits ddmmyyyy, found 7 characters",
        ),
        (
            with_field(4, "Male"),
            ErrorCode::Sex,
            Some(Field::Sex),
            51,
            "invalid sex at byte 51: expected \"Nam\" or \"Nữ\"",
        ),
        (
            with_field(5, "Hà\tNội"),
            ErrorCode::Address,
            Some(Field::Address),
            58,
            "invalid address at byte 58: control character U+0009",
        ),
        (
            with_field(6, "15082021 "),
            ErrorCode::IssueDate,
            Some(Field::IssueDate),
            91,
            "invalid issue date at byte 91: ' ' is not a digit",
        ),
        (
            format!("{GOOD}|\u{85}||x|"),
            ErrorCode::ExtraField,
            Some(Field::ExtraField),
            92,
            "invalid extra field at byte 92: control character U+0085",
        ),
    ];
    for (input, code, field, offset, message) in table {
        let e = err(&input);
        assert_eq!(
            (e.code(), e.field(), e.offset()),
            (code, field, offset),
            "{message}"
        );
        assert_eq!(e.to_string(), message);
    }
    let e = Parser::new()
        .parse_bytes(b"0792\xff")
        .expect_err("not UTF-8");
    assert_eq!((e.code(), e.offset()), (ErrorCode::Encoding, 4));
    assert_eq!(e.to_string(), "invalid utf-8 at byte 4");
}

#[test]
fn codes_have_stable_names() {
    let codes = [
        (ErrorCode::Empty, "empty"),
        (ErrorCode::TooLong, "too_long"),
        (ErrorCode::Encoding, "encoding"),
        (ErrorCode::FieldCount, "field_count"),
        (ErrorCode::IdNumber, "id_number"),
        (ErrorCode::OldIdNumber, "old_id_number"),
        (ErrorCode::FullName, "full_name"),
        (ErrorCode::DateOfBirth, "date_of_birth"),
        (ErrorCode::Sex, "sex"),
        (ErrorCode::Address, "address"),
        (ErrorCode::IssueDate, "issue_date"),
        (ErrorCode::ExtraField, "extra_field"),
    ];
    for (code, name) in codes {
        assert_eq!(code.as_str(), name);
    }
    let repairs: Vec<&str> = cccd::Repair::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(
        repairs,
        [
            "bom_removed",
            "line_ending_removed",
            "whitespace_trimmed",
            "legacy_cp1258",
            "mojibake_latin1",
            "mojibake_cp1252",
            "mojibake_shift_jis",
            "mojibake_big5",
            "mojibake_euc_kr",
            "mojibake_gb18030",
            "nfc_normalized"
        ]
    );
}

#[test]
fn no_personal_data_in_messages_or_debug() {
    let card = cccd::parse(GOOD).expect("valid");
    let debug = format!("{card:?} {:?} {:?}", card.id_number(), card.old_id_number());
    for secret in [
        "079203001234",
        "123456789",
        "Nguyễn",
        "Ánh",
        "Lê Lợi",
        "2003",
        "15082021",
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert_eq!(
        debug,
        "Card { layout: V2021, id_number: IdNumber(\"079*********\"), .. } IdNumber(\"079*********\") Some(OldIdNumber(\"123******\"))"
    );
    let parsed = Parser::new().lenient(true).parse(GOOD).expect("valid");
    assert!(!format!("{parsed:?}").contains("Nguyễn"));
    // Errors in every field: neither message nor Debug quote the payload.
    for k in 0..7 {
        let broken = with_field(k, "Nguyễn\u{1}Lê Lợi");
        let e = err(&broken);
        let text = format!("{e} {e:?}");
        assert!(
            !text.contains("Nguyễn") && !text.contains("Lê Lợi"),
            "{text}"
        );
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync + Unpin + std::panic::UnwindSafe>() {}
    check::<cccd::Card<'static>>();
    check::<cccd::Parsed<'static>>();
    check::<cccd::Parser>();
    check::<cccd::Error>();
    check::<cccd::IdNumber>();
    check::<cccd::OldIdNumber>();
    check::<cccd::Repair>();
    fn is_error<E: std::error::Error + 'static>() {}
    is_error::<cccd::Error>();
}

#[cfg(feature = "serde")]
#[test]
fn serde_round_trip_and_validation() {
    let card = cccd::parse(GOOD).expect("valid");
    let json = serde_json::to_string(&card).expect("serialise");
    assert_eq!(
        json,
        r#"{"id_number":"079203001234","old_id_number":"123456789","full_name":"Nguyễn Văn Ánh","date_of_birth":"2003-01-01","sex":"male","address":"Số 1 Lê Lợi, Hà Nội","issue_date":"2021-08-15","extra_fields":[]}"#
    );
    let back: cccd::Card<'static> = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back, card);
    for bad in [
        json.replace("079203001234", "07920300123"),
        json.replace("Nguyễn Văn Ánh", "A|B"),
        json.replace("\"extra_fields\":[]", "\"extra_fields\":[\"\"]"),
        json.replace("\"male\"", "\"Nam\""),
        json.replace("2003-01-01", "2003-02-30"),
    ] {
        assert!(
            serde_json::from_str::<cccd::Card<'static>>(&bad).is_err(),
            "{bad}"
        );
    }
}
