//! The synthetic corpus `testdata/payloads/cases.jsonl` and how its expectations are compared,
//! shared by the library's and the command's corpus tests (`#[path]`-included).
#![allow(dead_code)]

use serde_json::Value;

const CASES: &str = include_str!("../../testdata/payloads/cases.jsonl");

/// The reference date the corpus's expected `expired` and `warnings` were computed for.
pub const TODAY: &str = "2026-01-01";

pub struct Case {
    pub name: String,
    pub input: Vec<u8>,
    pub lenient: bool,
    pub expect: Value,
}

pub fn cases() -> Vec<Case> {
    CASES
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("cases.jsonl line is JSON");
            let input = match (&v["input"], &v["input_hex"]) {
                (Value::String(s), _) => s.as_bytes().to_vec(),
                (_, Value::String(h)) => (0..h.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("hex"))
                    .collect(),
                _ => panic!("case without input: {line}"),
            };
            Case {
                name: v["name"].as_str().expect("name").to_owned(),
                input,
                lenient: v["lenient"].as_bool().expect("lenient"),
                expect: v["expect"].clone(),
            }
        })
        .collect()
}

/// Every key of `expect` must be in `actual` with an equal value (recursively for `error`,
/// whose `message` the corpus does not pin; `warnings` lists only the codes).
#[track_caller]
pub fn assert_matches(name: &str, actual: &Value, expect: &Value) {
    let (Value::Object(actual), Value::Object(expect)) = (actual, expect) else {
        panic!("{name}: not objects");
    };
    for (key, want) in expect {
        let got = actual.get(key).unwrap_or(&Value::Null);
        if key == "error" {
            assert_matches(name, got, want);
        } else if key == "warnings" {
            let warnings = got.as_array().expect("warnings is an array");
            let codes: Vec<&Value> = warnings.iter().map(|w| &w["code"]).collect();
            let want: Vec<&Value> = want.as_array().expect("expected codes").iter().collect();
            assert_eq!(codes, want, "{name}: warnings");
            for w in warnings {
                let message = w["message"].as_str().expect("message");
                assert!(!message.is_empty(), "{name}");
                if let Some(card) = actual.get("card") {
                    for field in ["id_number", "full_name", "address"] {
                        let text = card[field].as_str().expect("text field");
                        assert!(!message.contains(text), "{name}: {field} in a warning");
                    }
                }
            }
        } else {
            assert_eq!(got, want, "{name}: key {key}");
        }
    }
}
