//! The report (`cccd::report`): the CSV columns are the JSON keys, redaction hides what it
//! promises whatever the record, and the JSON is safe for JavaScript consumers.
#![cfg(feature = "serde")]

use std::collections::BTreeSet;

use cccd::report::{self, Options, PARSE_COLUMNS};
use serde_json::Value;

#[path = "support/corpus.rs"]
mod corpus;

fn today() -> cccd::NaiveDate {
    corpus::TODAY.parse().expect("date")
}

/// The dotted paths of a report's leaves (lists are leaves), as the CSV columns name them.
fn leaves(prefix: &str, v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(&key, v, out);
            }
        }
        _ => {
            out.insert(prefix.to_owned());
        }
    }
}

#[test]
fn csv_columns_are_exactly_the_json_keys() {
    let mut seen = BTreeSet::new();
    for case in corpus::cases() {
        for lenient in [false, true] {
            let opts = Options::new(today()).lenient(lenient);
            let value = serde_json::to_value(report::validate(&case.input, &opts)).unwrap();
            let mut keys = BTreeSet::new();
            leaves("", &value, &mut keys);
            for key in &keys {
                assert!(
                    PARSE_COLUMNS.contains(&key.as_str()),
                    "{}: {key} has no column",
                    case.name
                );
            }
            seen.extend(keys);
        }
    }
    // `line` is the command's: it numbers standard input's lines.
    seen.insert("line".to_owned());
    let columns: BTreeSet<String> = PARSE_COLUMNS.iter().map(|c| c.to_string()).collect();
    assert_eq!(seen, columns, "every column is written by some report");
}

#[test]
fn redacted_reports_hide_names_addresses_ids_and_birth_dates() {
    let mut checked = 0;
    for case in corpus::cases() {
        let opts = Options::new(today()).lenient(true);
        let plain = serde_json::to_value(report::validate(&case.input, &opts)).unwrap();
        let Some(card) = plain.get("card") else {
            continue;
        };
        let line = report::validate_json(&case.input, &opts.redact(true));
        let address = card["address"].as_str().unwrap();
        if !address.contains(',') {
            // An address of one part is its own last part, shown by the current policy.
            continue;
        }
        for key in ["id_number", "full_name", "date_of_birth"] {
            let text = card[key].as_str().unwrap();
            assert!(!line.contains(text), "{}: {key} in {line}", case.name);
        }
        if let Some(old) = card["old_id_number"].as_str() {
            assert!(!line.contains(old), "{}: old id", case.name);
        }
        assert!(!line.contains(address), "{}: address", case.name);
        let ascii = plain["full_name_ascii"].as_str().unwrap();
        assert!(!line.contains(ascii), "{}: ascii name", case.name);
        // Redaction keeps the shape: the same keys, in the same order.
        let redacted: Value = serde_json::from_str(&line).unwrap();
        let (mut a, mut b) = (BTreeSet::new(), BTreeSet::new());
        leaves("", &plain, &mut a);
        leaves("", &redacted, &mut b);
        assert_eq!(a, b, "{}", case.name);
        checked += 1;
    }
    assert!(checked >= 60, "{checked}");
}

#[test]
fn debug_of_reports_shows_no_personal_data() {
    let payload = "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Số 1 Lê Lợi, Hà Nội|15082021";
    let r = report::validate(payload.as_bytes(), &Options::new(today()));
    let debug = format!("{r:?}");
    for secret in [
        "079203001234",
        "123456789",
        "Nguyễn",
        "Lê Lợi",
        "2003-01-01",
        "NGUYEN",
    ] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

#[test]
fn json_escapes_line_and_paragraph_separators() {
    let payload = "079203001234||Nguyễn Văn\u{2028}Ánh|01012003|Nam|Hà\u{2029}Nội|15082021";
    let r = report::validate(payload.as_bytes(), &Options::new(today()).lenient(true));
    let line = report::to_json(&r);
    assert!(
        !line.contains('\u{2028}') && !line.contains('\u{2029}'),
        "{line}"
    );
    let back: Value = serde_json::from_str(&line).unwrap();
    if let Some(card) = back.get("card") {
        assert_eq!(card["address"], "Hà\u{2029}Nội");
    }
}

#[test]
fn error_objects_name_code_reason_field_and_offset() {
    let r = report::validate_json(
        "079203001234|123456789|Nguyễn Văn Ánh|01132003|Nam|Hà Nội|15082021".as_bytes(),
        &Options::new(today()),
    );
    assert_eq!(
        r,
        r#"{"ok":false,"error":{"code":"date_of_birth","reason":"month_out_of_range","field":"date_of_birth","offset":44,"message":"invalid date of birth at byte 44: month 13"}}"#
    );
}
