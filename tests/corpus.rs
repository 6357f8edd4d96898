//! Runs every case of `testdata/payloads/cases.jsonl` through the library and through the
//! `cccd parse` command, and compares with the expected JSON written by
//! `testdata/payloads/make_cases.py` (computed independently of the parser).

use serde_json::Value;

const CASES: &str = include_str!("../testdata/payloads/cases.jsonl");

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
/// whose `message` the corpus does not pin).
#[track_caller]
fn assert_matches(name: &str, actual: &Value, expect: &Value) {
    let (Value::Object(actual), Value::Object(expect)) = (actual, expect) else {
        panic!("{name}: not objects");
    };
    for (key, want) in expect {
        let got = actual.get(key).unwrap_or(&Value::Null);
        if key == "error" {
            assert_matches(name, got, want);
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
}

#[cfg(feature = "serde")]
#[test]
fn corpus_through_the_library() {
    for case in cases() {
        let parser = cccd::Parser::new().lenient(case.lenient);
        let result = parser.parse_bytes(&case.input);
        let actual = match &result {
            Ok(parsed) => serde_json::json!({
                "ok": true,
                "layout": parsed.card.layout().as_str(),
                "card": parsed.card,
                "repairs": parsed.repairs,
            }),
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
        cmd.arg("parse").args(["--format", "json"]);
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
