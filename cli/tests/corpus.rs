//! Runs the corpus `testdata/payloads/cases.jsonl` through the `cccd parse` command.

use serde_json::Value;

#[path = "../../tests/support/corpus.rs"]
mod corpus;
use corpus::{assert_matches, cases, Case, TODAY};

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

#[test]
fn bundled_sample_parses_cleanly() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cccd"))
        .args(["parse", "--format", "json"])
        .stdin(
            std::fs::File::open(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../testdata/payloads/sample.txt"
            ))
            .expect("sample.txt"),
        )
        .output()
        .expect("run cccd");
    assert_eq!(out.status.code(), Some(0));
    let lines = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(lines.lines().count(), 12);
    for line in lines.lines() {
        let v: Value = serde_json::from_str(line).expect("JSON line");
        assert_eq!(v["ok"], true, "{line}");
    }
}
