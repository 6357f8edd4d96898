//! Runs every case of `testdata/payloads/cases.jsonl` through the library and through the
//! `cccd parse` command, and compares with the expected JSON written by
//! `testdata/payloads/make_cases.py` (computed independently of the parser).

use serde_json::Value;

#[path = "support/corpus.rs"]
mod corpus;
#[cfg(feature = "serde")]
use corpus::{assert_matches, TODAY};
use corpus::{cases, Case};

#[cfg(feature = "serde")]
fn today() -> cccd::NaiveDate {
    TODAY.parse().expect("date")
}

#[test]
fn corpus_has_enough_cases() {
    let cases = cases();
    let count = |prefix: &str| cases.iter().filter(|c| c.name.starts_with(prefix)).count();
    assert!(count("valid-") >= 50, "valid: {}", count("valid-"));
    assert!(count("invalid-") >= 40, "invalid: {}", count("invalid-"));
    assert!(count("damaged-") >= 20, "damaged: {}", count("damaged-"));
    let layouts = |l: &str| {
        cases
            .iter()
            .filter(|c| c.expect["layout"] == Value::String(l.into()))
            .count()
    };
    assert!(layouts("2021") >= 10 && layouts("2024") >= 10);
    // Valid cards carry what the library knows about them; some deliberately have warnings.
    let ok: Vec<&Case> = cases.iter().filter(|c| c.expect["ok"] == true).collect();
    for key in [
        "id_info",
        "expiry",
        "expired",
        "full_name_ascii",
        "warnings",
    ] {
        assert!(ok.iter().all(|c| c.expect.get(key).is_some()), "{key}");
    }
    let warned = |code: &str| {
        ok.iter()
            .filter(|c| {
                c.expect["warnings"]
                    .as_array()
                    .is_some_and(|w| w.contains(&Value::String(code.into())))
            })
            .count()
    };
    for code in [
        "id_sex_mismatch",
        "id_birth_year_mismatch",
        "id_unknown_birthplace",
    ] {
        assert!(warned(code) >= 1, "{code}");
    }
    let kinds = |kind: &str| {
        ok.iter()
            .filter(|c| c.expect["id_info"]["birthplace"]["kind"] == kind)
            .count()
    };
    assert!(kinds("province") >= 50 && kinds("country") >= 2 && kinds("unknown") >= 2);
}

/// The keys `cccd parse` adds for a parsed card: what the library knows about it.
#[cfg(feature = "serde")]
fn knowledge(card: &cccd::Card<'_>, today: cccd::NaiveDate) -> Value {
    let id = card.id_number();
    let code = format!("{:03}", id.birthplace_code());
    let birthplace = match id.birthplace() {
        cccd::Birthplace::Province(p) => serde_json::json!({"kind": "province", "code": code,
            "name": p.name(), "province_since_2025": p.since_2025()}),
        cccd::Birthplace::Country(c) => serde_json::json!({"kind": "country", "code": code,
            "name": c.name(), "iso": c.iso()}),
        _ => serde_json::json!({"kind": "unknown", "code": code}),
    };
    let expiry = card.expiry();
    let warnings: Vec<Value> = card
        .check(today)
        .into_iter()
        .map(|w| serde_json::json!({"code": w.code().as_str(), "message": w.to_string()}))
        .collect();
    serde_json::json!({
        "id_info": {"birthplace": birthplace, "century": id.century(),
            "sex": id.sex().as_str(), "birth_year": id.birth_year()},
        "expiry": {"date": expiry.date(), "never": expiry.is_never(), "law": expiry.law().as_str()},
        "expired": expiry.is_expired(today),
        "full_name_ascii": card.full_name_ascii(),
        "warnings": warnings,
    })
}

#[cfg(feature = "serde")]
#[test]
fn corpus_through_the_library() {
    for case in cases() {
        let parser = cccd::Parser::new().lenient(case.lenient);
        let result = parser.parse_bytes(&case.input);
        let actual = match &result {
            Ok(parsed) => {
                let mut v = serde_json::json!({
                    "ok": true,
                    "layout": parsed.card.layout().as_str(),
                    "card": parsed.card,
                    "repairs": parsed.repairs,
                });
                if let (Value::Object(v), Value::Object(k)) =
                    (&mut v, knowledge(&parsed.card, today()))
                {
                    v.extend(k);
                }
                v
            }
            Err(e) => serde_json::json!({
                "ok": false,
                "error": {"code": e.code().as_str(), "field": e.field().map(|f| f.as_str()), "offset": e.offset()},
            }),
        };
        assert_matches(&case.name, &actual, &case.expect);
        if let Ok(parsed) = &result {
            // Display writes the canonical payload, which parses strictly to the same card.
            let canonical = parsed.card.to_string();
            assert_eq!(
                cccd::parse(&canonical).as_ref(),
                Ok(&parsed.card),
                "{}",
                case.name
            );
            if !case.lenient {
                assert_eq!(canonical.as_bytes(), &case.input[..], "{}", case.name);
                assert!(parsed.card.is_borrowed(), "{}", case.name);
            }
        }
    }
}
