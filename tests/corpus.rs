//! Runs every case of `testdata/payloads/cases.jsonl` through the library and through the
//! `cccd parse` command, and compares with the expected JSON written by
//! `testdata/payloads/make_cases.py` (computed independently of the parser).

use serde_json::Value;

const CASES: &str = include_str!("../testdata/payloads/cases.jsonl");

/// The reference date the corpus's expected `expired` and `warnings` were computed for.
#[cfg(feature = "serde")]
const TODAY: &str = "2026-01-01";

#[cfg(feature = "serde")]
fn today() -> cccd::NaiveDate {
    TODAY.parse().expect("date")
}

struct Case {
    name: String,
    input: Vec<u8>,
    lenient: bool,
    expect: Value,
}

fn cases() -> Vec<Case> {
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
fn assert_matches(name: &str, actual: &Value, expect: &Value) {
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

#[cfg(feature = "cli")]
#[test]
fn corpus_through_the_command() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let cases = cases();
    for lenient in [false, true] {
        // Inputs holding a line break go as arguments, the others as lines of stdin (which
        // also carries NUL bytes and invalid UTF-8 that arguments cannot).
        let (args, lines): (Vec<&Case>, Vec<&Case>) = cases
            .iter()
            .filter(|c| c.lenient == lenient && !c.input.is_empty())
            .partition(|c| c.input.contains(&b'\n') || c.input.ends_with(b"\r"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cccd"));
        cmd.arg("parse")
            .args(["--format", "json", "--today", TODAY]);
        if lenient {
            cmd.arg("--lenient");
        }
        let mut stdin_cmd = Command::new(env!("CARGO_BIN_EXE_cccd"));
        stdin_cmd.args(cmd.get_args());
        for case in &args {
            cmd.arg(String::from_utf8(case.input.clone()).expect("argument cases are UTF-8"));
        }
        for (cmd, cases, stdin) in [(&mut cmd, &args, false), (&mut stdin_cmd, &lines, true)] {
            let mut child = cmd
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("run cccd");
            let mut input = child.stdin.take().expect("stdin");
            if stdin {
                for case in cases.iter() {
                    input.write_all(&case.input).expect("write");
                    input.write_all(b"\n").expect("write");
                }
            }
            drop(input);
            let out = child.wait_with_output().expect("cccd output");
            let stdout = String::from_utf8(out.stdout).expect("output is UTF-8");
            let results: Vec<Value> = stdout
                .lines()
                .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
                .collect();
            assert_eq!(
                results.len(),
                cases.len(),
                "one object per payload, in order"
            );
            for (case, actual) in cases.iter().zip(&results) {
                assert_matches(&case.name, actual, &case.expect);
            }
            let any_failed = cases.iter().any(|c| c.expect["ok"] == Value::Bool(false));
            assert_eq!(out.status.code(), Some(i32::from(any_failed)));
        }
    }
}

/// `--strict-checks`: exit status 1 when any parsed card has a warning, 0 when none has.
#[cfg(feature = "cli")]
#[test]
fn strict_checks_exit_status() {
    let valid: Vec<Case> = cases()
        .into_iter()
        .filter(|c| c.name.starts_with("valid-"))
        .collect();
    let warned = |c: &Case| c.expect["warnings"] != serde_json::json!([]);
    let clean: Vec<&Case> = valid.iter().filter(|c| !warned(c)).collect();
    let dirty: Vec<&Case> = valid.iter().filter(|c| warned(c)).collect();
    assert!(clean.len() >= 10 && !dirty.is_empty());
    let run = |cases: &[&Case], strict: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cccd"));
        cmd.args(["parse", "--format", "json", "--today", TODAY]);
        if strict {
            cmd.arg("--strict-checks");
        }
        for c in cases {
            cmd.arg(String::from_utf8(c.input.clone()).expect("UTF-8"));
        }
        let out = cmd.output().expect("run cccd");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).lines().count(),
            cases.len()
        );
        out.status.code()
    };
    assert_eq!(run(&clean, true), Some(0));
    for case in &dirty {
        assert_eq!(run(&[case], true), Some(1), "{}", case.name);
        assert_eq!(run(&[case], false), Some(0), "{}", case.name);
    }
    let mut mixed = clean.clone();
    mixed.push(dirty[0]);
    assert_eq!(run(&mixed, true), Some(1));
}

/// `--format text` shows the birthplace, expiry, ASCII name and warnings.
#[cfg(feature = "cli")]
#[test]
fn text_format_shows_what_the_library_knows() {
    let cases = cases();
    let case = cases
        .iter()
        .find(|c| {
            c.name.starts_with("valid-")
                && c.expect["warnings"]
                    .as_array()
                    .is_some_and(|w| w.contains(&serde_json::json!("id_sex_mismatch")))
        })
        .expect("a card with id_sex_mismatch");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(["parse", "--format", "text", "--today", TODAY])
        .arg(String::from_utf8(case.input.clone()).expect("UTF-8"))
        .output()
        .expect("run cccd");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let place = case.expect["id_info"]["birthplace"]["name"]
        .as_str()
        .expect("name");
    let ascii = case.expect["full_name_ascii"].as_str().expect("ascii");
    assert!(text.contains(place), "{text}");
    assert!(text.contains(ascii), "{text}");
    // Rows are `key  value`, nested keys joined with `.`.
    let row = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key).filter(|v| v.starts_with(' ')))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no row {key} in {text}"))
    };
    assert!(text
        .lines()
        .any(|l| l.starts_with("warnings[") && l.trim_end().ends_with(" id_sex_mismatch")));
    match case.expect["expiry"]["date"].as_str() {
        Some(date) => assert_eq!(row("expiry.date"), date),
        None => assert_eq!(row("expiry.never"), "true"),
    }
}

#[cfg(feature = "cli")]
#[test]
fn bundled_sample_parses_cleanly() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(["parse", "--format", "json"])
        .stdin(std::fs::File::open("testdata/payloads/sample.txt").expect("sample.txt"))
        .output()
        .expect("run cccd");
    assert_eq!(out.status.code(), Some(0));
    let lines = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(lines.lines().count(), 12);
    assert!(lines.lines().all(|l| l.starts_with("{\"ok\":true,")));
}
