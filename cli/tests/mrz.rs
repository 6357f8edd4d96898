//! `cccd mrz`: arguments and standard input, lenient repairs, errors with line and column,
//! redaction in every format, exit statuses.

use assert_cmd::Command;
use serde_json::Value;

const MRZ: &str = "IDVNM2030123450079203012345<<0\n0302014M2802013VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";

fn cccd() -> Command {
    let mut cmd = Command::cargo_bin("cccd").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

fn json_lines(out: &[u8]) -> Vec<Value> {
    std::str::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn an_argument_prints_the_record() {
    let out = cccd()
        .args(["mrz", "--today", "2026-01-01", "--format", "json", MRZ])
        .assert()
        .success();
    let v = &json_lines(&out.get_output().stdout)[0];
    assert_eq!(v["ok"], true);
    assert_eq!(v["mrz"]["id_number"], "079203012345");
    assert_eq!(v["mrz"]["date_of_birth"], "2003-02-01");
    assert_eq!(v["mrz"]["expiry_date"], "2028-02-01");
    assert_eq!(v["mrz"]["surname"], "NGUYEN");
    assert_eq!(v["mrz"]["check_digits"]["composite"], true);
    assert_eq!(v["repairs"], serde_json::json!([]));
    assert_eq!(v["expired"], false);
    assert_eq!(v["warnings"], serde_json::json!([]));
    // DG1's single line, too.
    let single = MRZ.replace('\n', "");
    cccd()
        .args(["mrz", "--format", "json", &single])
        .assert()
        .success();
}

#[test]
fn standard_input_holds_mrzs_separated_by_blank_lines() {
    let bad = MRZ.replace("0302014M", "0302015M");
    let ocr = MRZ.to_lowercase().replacen("0302014m", "03o2014m", 1);
    let input = format!("\n{MRZ}\r\n\n{bad}\n  \n{ocr}\n");
    let out = cccd()
        .args([
            "mrz",
            "--lenient",
            "--format",
            "json",
            "--today",
            "2026-01-01",
            "-",
        ])
        .write_stdin(input)
        .assert()
        .code(1);
    let vs = json_lines(&out.get_output().stdout);
    assert_eq!(vs.len(), 3);
    assert_eq!(vs[0]["ok"], true);
    assert_eq!(vs[1]["ok"], false);
    assert_eq!(
        vs[1]["error"],
        serde_json::json!({
            "code": "date_of_birth_check_digit",
            "field": "date_of_birth_check_digit",
            "reason": "check_digit_mismatch",
            "line": 2,
            "column": 7,
            "message": "invalid date of birth check digit at line 2, column 7: check digit '5' does not match"
        })
    );
    assert_eq!(vs[2]["ok"], true);
    assert_eq!(
        vs[2]["repairs"],
        serde_json::json!([{"code": "uppercased"}, {"code": "o_to_0", "line": 2, "column": 3}])
    );
    assert_eq!(vs[2]["mrz"], vs[0]["mrz"]);
    // Strict mode refuses the damaged one.
    let out = cccd()
        .args(["mrz", "--format", "json"])
        .write_stdin(ocr)
        .assert()
        .code(1);
    assert_eq!(
        json_lines(&out.get_output().stdout)[0]["error"]["reason"],
        "lowercase"
    );
}

#[test]
fn expired_and_warnings_against_today() {
    let out = cccd()
        .args([
            "mrz",
            "--format",
            "json",
            "--today",
            "2028-02-01",
            "--fail-on",
            "warnings",
            MRZ,
        ])
        .assert()
        .success();
    assert_eq!(json_lines(&out.get_output().stdout)[0]["expired"], true);
    // The ID's sex digit (3: female) disagrees with M, and the document number is not the
    // ID's last 9 digits: two warnings.
    let female_id = "IDVNM3030123468079303012345<<7\n0302014M2802013VNM<<<<<<<<<<<0\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<";
    let out = cccd()
        .args([
            "mrz",
            "--format",
            "json",
            "--today",
            "2026-01-01",
            "--fail-on",
            "warnings",
            female_id,
        ])
        .assert()
        .code(1);
    let v = &json_lines(&out.get_output().stdout)[0];
    let codes: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["id_sex_mismatch", "mrz_document_number_mismatch"]);
}

#[test]
fn redaction_in_every_format() {
    for format in ["json", "csv", "text"] {
        let out = cccd()
            .args(["mrz", "--redact", "--format", format, MRZ])
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        for secret in [
            "079203012345",
            "203012345",
            "NGUYEN",
            "VAN AN",
            "2003-02-01",
            "2028-02-01",
        ] {
            assert!(!text.contains(secret), "{format}: {secret} in {text}");
        }
        assert!(text.contains("079*********"), "{format}: {text}");
    }
}

#[test]
fn csv_has_the_error_columns() {
    let out = cccd()
        .args(["mrz", "--format", "csv", "not an mrz"])
        .assert()
        .code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("ok,mrz.document_code,"));
    assert!(header
        .ends_with("error.code,error.field,error.reason,error.line,error.column,error.message"));
    let row = lines.next().unwrap();
    assert!(row.starts_with("false,"), "{row}");
    assert!(row.contains("line_length,,wrong_length,1,11,"), "{row}");
}
