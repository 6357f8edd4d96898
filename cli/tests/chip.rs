//! `cccd gen --format chip` and `cccd chip`: every passive-authentication outcome of generated
//! chips as the manifest predicts, redaction, CSV, exit statuses.

use assert_cmd::Command;
use serde_json::Value;

fn cccd() -> Command {
    Command::cargo_bin("cccd").unwrap()
}

fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn generated_chips_verify_as_the_manifest_says() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    cccd()
        .args([
            "gen", "--format", "chip", "--kind", "mixed", "--count", "10", "--seed", "3", "--out",
        ])
        .arg(out)
        .assert()
        .success();
    assert!(out.join("csca.der").is_file());
    let manifest = lines(&std::fs::read(out.join("manifest.jsonl")).unwrap());
    assert_eq!(manifest.len(), 10);
    let dirs: Vec<_> = manifest
        .iter()
        .map(|m| out.join(m["dir"].as_str().unwrap()))
        .collect();
    for d in &dirs {
        for f in ["com.bin", "dg1.bin", "dg2.bin", "dg13.bin", "sod.bin"] {
            assert!(d.join(f).is_file(), "{}", d.join(f).display());
        }
    }
    let assert = cccd()
        .args(["chip", "--format", "json", "--fail-on", "never", "--csca"])
        .arg(out.join("csca.der"))
        .args(&dirs)
        .assert()
        .success();
    let reports = lines(&assert.get_output().stdout);
    assert_eq!(reports.len(), 10);
    let mut outcomes = std::collections::BTreeSet::new();
    for (report, expected) in reports.iter().zip(&manifest) {
        assert_eq!(report["ok"], true);
        let outcome = &report["passive_authentication"]["outcome"];
        assert_eq!(
            outcome, &expected["expected"]["passive_authentication"],
            "{report}"
        );
        outcomes.insert(outcome.as_str().unwrap().to_owned());
        // The QR payload of the same card agrees with DG13.
        let payload = expected["payload"].as_str().unwrap();
        assert!(
            payload.starts_with(report["dg13"]["id_number"].as_str().unwrap())
                || expected["tamper"] == "dg13_byte"
        );
    }
    assert_eq!(outcomes.len(), 6, "{outcomes:?}");

    // Without --csca a genuine chip is at best chain_not_verified; --fail-on warnings exits 1.
    let assert = cccd()
        .args(["chip", "--format", "json", "--fail-on", "warnings"])
        .arg(&dirs[0])
        .assert()
        .code(1);
    let r = &lines(&assert.get_output().stdout)[0];
    assert_eq!(r["passive_authentication"]["outcome"], "chain_not_verified");

    // Redacted: no ID number, name or MRZ; the face never appears.
    let assert = cccd()
        .args(["chip", "--format", "json", "--redact", "--csca"])
        .arg(out.join("csca.der"))
        .arg(&dirs[0])
        .assert()
        .success();
    let text = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let payload = manifest[0]["payload"].as_str().unwrap();
    let fields: Vec<&str> = payload.split('|').collect();
    assert!(!text.contains(fields[0]), "ID number shown");
    assert!(!text.contains(fields[2]), "name shown");
    assert!(!text.contains("IDVNM"), "MRZ shown");
    let r: Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(r["dg13"]["ethnicity"], "[redacted]");
    assert_eq!(r["face"]["format"], "jpeg");
    assert!(r["face"].get("image").is_none());

    // CSV: a header and one row per chip.
    let assert = cccd()
        .args(["chip", "--format", "csv", "--csca"])
        .arg(out.join("csca.der"))
        .arg(&dirs[0])
        .assert()
        .success();
    let csv = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(csv.starts_with("dir,ok,files,"));
    assert_eq!(csv.lines().count(), 2);
    assert!(csv.contains("verified"));
}

#[test]
fn unreadable_chips_and_bad_anchors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dg13.bin"), [0x6D, 0x05, 0x30]).unwrap();
    let assert = cccd()
        .args(["chip", "--format", "json"])
        .arg(dir.path())
        .assert()
        .code(1);
    let r = &lines(&assert.get_output().stdout)[0];
    assert_eq!(r["ok"], false);
    assert_eq!(r["error"]["code"], "truncated");
    assert_eq!(r["error"]["field"], "dg13");
    assert_eq!(r["error"]["offset"], 1);
    let empty = tempfile::tempdir().unwrap();
    let assert = cccd()
        .args(["chip", "--format", "json"])
        .arg(empty.path())
        .assert()
        .code(1);
    assert_eq!(
        lines(&assert.get_output().stdout)[0]["error"]["code"],
        "no_files"
    );
    let bad = dir.path().join("bad.der");
    std::fs::write(&bad, b"nonsense").unwrap();
    cccd()
        .args(["chip", "--csca"])
        .arg(&bad)
        .arg(dir.path())
        .assert()
        .code(2);
    cccd().args(["gen", "--format", "chip"]).assert().code(2);
}
