//! `cccd verify`: the QR payload, the printed MRZ and a chip folder of one card, cross-checked;
//! standard input, usage errors, exit statuses, CSV.

use assert_cmd::Command;
use serde_json::Value;

fn cccd() -> Command {
    Command::cargo_bin("cccd").unwrap()
}

fn json(out: &[u8]) -> Value {
    let text = String::from_utf8(out.to_vec()).unwrap();
    let mut lines = text.lines();
    let v = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert!(lines.next().is_none(), "one object per card");
    v
}

/// Two generated chips with their QR payloads and the MRZ lines of their DG1.
fn chips(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String, String)> {
    cccd()
        .args([
            "gen", "--format", "chip", "--count", "2", "--seed", "8", "--out",
        ])
        .arg(dir)
        .assert()
        .success();
    let manifest = std::fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    manifest
        .lines()
        .map(|l| {
            let m: Value = serde_json::from_str(l).unwrap();
            let chip = dir.join(m["dir"].as_str().unwrap());
            let out = cccd()
                .args(["chip", "--format", "json"])
                .arg(&chip)
                .output();
            let report = json(&out.unwrap().stdout);
            let lines: Vec<&str> = report["mrz"]["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            (
                chip,
                m["payload"].as_str().unwrap().to_owned(),
                lines.join("\n"),
            )
        })
        .collect()
}

#[test]
fn one_card_through_its_three_records() {
    let dir = tempfile::tempdir().unwrap();
    let cards = chips(dir.path());
    let (chip, qr, mrz) = &cards[0];
    let assert = cccd()
        .args([
            "verify",
            "--format",
            "json",
            "--today",
            "2026-11-27",
            "--qr",
        ])
        .arg(qr)
        .arg("--mrz")
        .arg(mrz)
        .arg("--chip")
        .arg(chip)
        .arg("--csca")
        .arg(dir.path().join("csca.der"))
        .args(["--fail-on", "warnings"])
        .assert()
        .success();
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["ok"], true);
    assert_eq!(v["consistent"], true);
    assert_eq!(v["records"], serde_json::json!(["qr", "mrz", "chip"]));
    assert_eq!(v["chip"]["passive_authentication"]["outcome"], "verified");
    assert_eq!(v["cross_checks"], serde_json::json!([]));

    // The second card's payload (from standard input) against the first card's chip.
    let other = &cards[1].1;
    let assert = cccd()
        .args(["verify", "--format", "json", "--qr", "-", "--chip"])
        .arg(chip)
        .write_stdin(format!("{other}\n"))
        .assert()
        .success();
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["ok"], true);
    assert_eq!(v["consistent"], false);
    let checks = v["cross_checks"].as_array().unwrap();
    assert_eq!(checks[0]["code"], "chip_id_mismatch");
    assert_eq!(checks[0]["between"], serde_json::json!(["qr", "chip.dg13"]));
    // Without --csca the chip is not verified: with --fail-on warnings, status 1.
    cccd()
        .args([
            "verify",
            "--fail-on",
            "warnings",
            "--format",
            "json",
            "--qr",
        ])
        .arg(qr)
        .arg("--chip")
        .arg(chip)
        .assert()
        .code(1);
}

#[test]
fn csv_and_redaction() {
    let dir = tempfile::tempdir().unwrap();
    let cards = chips(dir.path());
    let (chip, qr, _) = &cards[0];
    let other_mrz = &cards[1].2;
    let assert = cccd()
        .args(["verify", "--format", "csv", "--redact", "--qr"])
        .arg(qr)
        .args(["--mrz", "-", "--chip"])
        .arg(chip)
        .write_stdin(other_mrz.clone())
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(rows[0].starts_with("ok,consistent,records,cross_checks,"));
    assert!(rows[1].starts_with("true,false,"), "{out}");
    assert!(rows[1].contains("mrz_id_mismatch") && rows[1].contains("chip_mrz_printed_mismatch"));
    // JSON, redacted: the names and ID digits of either card appear nowhere.
    let assert = cccd()
        .args(["verify", "--format", "json", "--redact", "--qr"])
        .arg(qr)
        .args(["--mrz", "-", "--chip"])
        .arg(chip)
        .write_stdin(other_mrz.clone())
        .assert()
        .success();
    let text = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for (_, payload, mrz) in &cards {
        let id = payload.split('|').next().unwrap();
        assert!(!text.contains(&id[3..]), "{text}");
        let surname = mrz.lines().nth(2).unwrap().split("<<").next().unwrap();
        assert!(!text.contains(&format!("\"{surname}\"")), "{text}");
    }
}

#[test]
fn usage_errors() {
    // Nothing to verify.
    cccd().arg("verify").assert().code(2);
    // Both from standard input.
    cccd()
        .args(["verify", "--qr", "-", "--mrz", "-"])
        .write_stdin("x")
        .assert()
        .code(2);
    // --csca without --chip.
    cccd()
        .args(["verify", "--qr", "x", "--csca", "a.der"])
        .assert()
        .code(2);
    // A record that does not parse is a failed card (status 1), not a usage error.
    let assert = cccd()
        .args(["verify", "--format", "json", "--qr", "not a payload"])
        .assert()
        .code(1);
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["ok"], false);
    assert_eq!(v["qr"]["ok"], false);
    // A missing chip folder is the chip's error, reported in the object.
    let assert = cccd()
        .args([
            "verify",
            "--format",
            "json",
            "--chip",
            "/nonexistent/cccd-chip",
        ])
        .assert()
        .code(1);
    let v = json(&assert.get_output().stdout);
    assert_eq!(v["chip"]["ok"], false);
}
