//! The `cccd` binary, driven as users drive it: every subcommand and format, exit statuses,
//! redaction, ordering under parallelism, large inputs, bad arguments.

use std::io::{Read, Write};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const VALID: &str =
    "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Số 1 Lê Lợi, Quận 1, TP. Hồ Chí Minh|15082021";
const VALID_2024: &str =
    "036303000777||Lê Minh Châu|30092003|Nữ|Xóm 2, Hải Hậu, Nam Định|12112024||||";
const BAD_DATE: &str = "079203001234|123456789|Nguyễn Văn Ánh|01132003|Nam|Hà Nội|15082021";

fn cccd() -> Command {
    let mut cmd = Command::cargo_bin("cccd").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

/// Runs `cccd gen ARGS --out DIR` into a new temporary directory; returns it and the
/// manifest's entries.
#[track_caller]
fn gen_out(args: &[&str]) -> (tempfile::TempDir, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    cccd()
        .arg("gen")
        .args(args)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let manifest = std::fs::read(dir.path().join("manifest.jsonl")).unwrap();
    (dir, json_lines(&manifest))
}

fn json_lines(out: &[u8]) -> Vec<Value> {
    std::str::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn parse_arguments_json_in_order_with_exit_statuses() {
    let out = cccd()
        .args(["parse", "--format", "json", VALID, VALID_2024])
        .assert()
        .success()
        .stderr(predicate::str::contains("2 payloads: 2 ok"))
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["card"]["id_number"], "079203001234");
    assert_eq!(lines[1]["layout"], "2024");
    assert_eq!(lines[1]["card"]["old_id_number"], Value::Null);

    let out = cccd()
        .args(["parse", "--format", "json", "-q", VALID, BAD_DATE])
        .assert()
        .code(1)
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines[1]["error"]["code"], "date_of_birth");
    assert_eq!(lines[1]["error"]["offset"], 44);

    cccd()
        .args(["parse", "--fail-on", "never", BAD_DATE])
        .assert()
        .success();
}

#[test]
fn parse_stdin_skips_blank_lines_and_strips_line_ends() {
    let input = format!("{VALID}\r\n\n{VALID_2024}\n\r\n");
    let out = cccd()
        .args(["parse", "--format", "json"])
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_lines(&out).len(), 2);
}

#[test]
fn parse_csv_has_a_stable_header_and_one_row_per_input() {
    let out = cccd()
        .args(["parse", "--format", "csv", VALID, BAD_DATE])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&header[..3], ["ok", "layout", "card.id_number"]);
    assert!(header.contains(&"error.code".to_owned()));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("card.full_name")], "Nguyễn Văn Ánh");
    assert_eq!(
        &rows[0][col("card.address")],
        "Số 1 Lê Lợi, Quận 1, TP. Hồ Chí Minh"
    );
    assert_eq!(&rows[1][col("ok")], "false");
    assert_eq!(&rows[1][col("error.code")], "date_of_birth");

    // No input at all: still a header.
    let out = cccd()
        .args(["parse", "--format", "csv"])
        .write_stdin("")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 1);
}

#[test]
fn parse_text_is_readable_and_uncoloured_off_a_terminal() {
    cccd()
        .args(["parse", "--format", "text", VALID, BAD_DATE])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("card.full_name"))
        .stdout(predicate::str::contains("Nguyễn Văn Ánh"))
        .stdout(predicate::str::contains("failed: date_of_birth"))
        .stdout(predicate::str::contains("\u{1b}").not());
}

#[test]
fn redaction_leaves_no_id_name_or_street_in_any_format() {
    for format in ["json", "csv", "text"] {
        let out = cccd()
            .args(["parse", "--redact", "--format", format, VALID, VALID_2024])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        for secret in [
            "079203001234",
            "123456789",
            "036303000777",
            "Nguyễn",
            "Ánh",
            "Lê Minh",
            "Châu",
            "Lê Lợi",
            "Hải Hậu",
            "01-01",
            "09-30",
        ] {
            assert!(!text.contains(secret), "{format}: {secret} in {text}");
        }
        assert!(text.contains("079*********"), "{format}: {text}");
        assert!(!text.contains("2003"), "{format}: birth year in {text}");
        assert!(text.contains("N. V. Á."), "{format}: {text}");
        assert!(text.contains("Nam Định"), "{format}: {text}");
    }
}

#[test]
fn gen_mixed_set_reproduces_its_manifest_through_parse() {
    let (dir, manifest) = gen_out(&[
        "--count",
        "600",
        "--kind",
        "mixed",
        "--seed",
        "7",
        "--fuzz-seeds",
    ]);
    assert_eq!(manifest.len(), 600);
    let kinds: std::collections::HashSet<&str> = manifest
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 3);
    assert_eq!(
        std::fs::read_dir(dir.path().join("fuzz-seeds"))
            .unwrap()
            .count(),
        600
    );

    let payloads = std::fs::read(dir.path().join("payloads.txt")).unwrap();
    let out = cccd()
        .args(["parse", "--lenient", "--format", "json"])
        .write_stdin(payloads)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let outcomes = json_lines(&out);
    assert_eq!(outcomes.len(), manifest.len());
    for (m, o) in manifest.iter().zip(&outcomes) {
        let expected = &m["expected"];
        assert_eq!(expected["ok"], o["ok"], "{m}");
        if expected["ok"] == true {
            assert_eq!(expected["card"], o["card"], "{m}");
            assert_eq!(expected["repairs"], o["repairs"], "{m}");
            assert_eq!(expected["layout"], o["layout"], "{m}");
        } else {
            assert_eq!(expected["error"]["code"], o["error"]["code"], "{m}");
            assert_eq!(expected["error"]["field"], o["error"]["field"], "{m}");
        }
    }
}

#[test]
fn gen_is_deterministic_and_writes_every_format() {
    let run = |args: &[&str]| {
        cccd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let a = run(&["gen", "-n", "50", "--seed", "3", "--kind", "damaged"]);
    let b = run(&["gen", "-n", "50", "--seed", "3", "--kind", "damaged"]);
    let c = run(&["gen", "-n", "50", "--seed", "4", "--kind", "damaged"]);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.windows(2).filter(|w| w == b"\r\n").count(), 50);

    let json = json_lines(&run(&[
        "gen", "-n", "40", "--kind", "invalid", "--format", "json",
    ]));
    assert_eq!(json.len(), 40);
    assert!(json
        .iter()
        .all(|s| s["expected"]["ok"] == false && s["expected"]["rule"].is_string()));

    let dir = tempfile::tempdir().unwrap();
    cccd()
        .args(["gen", "-n", "3", "--format", "qr-png", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    for i in 1..=3 {
        let png = image::open(dir.path().join(format!("qr/{i:06}.png"))).unwrap();
        assert!(png.width() > 100);
    }
    cccd()
        .args(["gen", "--format", "qr-png"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
}

#[test]
fn completions_and_man_page() {
    cccd()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("cccd"));
    cccd().args(["completions", "zsh"]).assert().success();
    cccd()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH cccd"));
}

#[test]
fn every_subcommand_help_has_an_example() {
    for sub in ["parse", "scan", "gen", "completions", "man"] {
        cccd()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
}

#[test]
fn bad_arguments_exit_2_with_a_clear_message() {
    cccd()
        .args(["parse", "--bogus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected argument '--bogus'"));
    cccd()
        .args(["parse", "--format", "xml", VALID])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'xml'"));
    cccd()
        .args(["gen", "--count", "many"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'many'"));
    cccd()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Usage"));
}

/// 100 000 lines through stdin: every one answered, in input order, and the process's peak
/// memory stays far below what holding the input and output would need.
#[test]
fn hundred_thousand_lines_in_order_with_bounded_memory() {
    const LINES: usize = 100_000;
    // Distinct payloads (the ID carries the line number); every tenth one broken. A long
    // address makes the input about 100 MB, so holding it would show.
    let street: &'static str = "Số 12 đường Hai Bà Trưng, ".repeat(30).leak();
    let line = move |i: usize| {
        if i % 10 == 9 {
            format!("{:012}|x\n", i)
        } else {
            format!(
                "{:012}||Lê Văn An|01012003|Nam|{street}Hà Nội|15082021\n",
                i
            )
        }
    };
    let input_len: usize = (0..LINES).map(|i| line(i).len()).sum();
    assert!(input_len > 80_000_000);

    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("cccd"))
        .args(["parse", "--format", "json", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut buf = Vec::with_capacity(1 << 20);
        for i in 0..LINES {
            buf.extend_from_slice(line(i).as_bytes());
            if buf.len() > 1 << 20 {
                stdin.write_all(&buf).unwrap();
                buf.clear();
            }
        }
        stdin.write_all(&buf).unwrap();
    });
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        // Check order as the lines come, without keeping them.
        let mut pending = Vec::new();
        let mut buf = [0u8; 1 << 16];
        let mut n = 0usize;
        loop {
            let got = stdout.read(&mut buf).unwrap();
            if got == 0 {
                break;
            }
            pending.extend_from_slice(&buf[..got]);
            while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                let v: Value = serde_json::from_slice(&pending[..end]).unwrap();
                if n % 10 == 9 {
                    assert_eq!(v["ok"], false, "line {n}");
                } else {
                    assert_eq!(v["card"]["id_number"], format!("{n:012}"), "line {n}");
                }
                n += 1;
                pending.drain(..=end);
            }
        }
        n
    });
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(kib) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    writer.join().unwrap();
    assert_eq!(reader.join().unwrap(), LINES);
    assert_eq!(status.code(), Some(1));
    if cfg!(target_os = "linux") {
        eprintln!("peak memory {peak_kib} KiB");
        assert!(peak_kib > 0, "no memory reading");
        // The input alone is ~100 MB; bounded chunks need a few MB.
        assert!(peak_kib < 64 * 1024, "peak memory {peak_kib} KiB");
    }
}

/// QR images of 12 valid cards (from `cccd gen`), and their manifest.
fn qr_corpus() -> (tempfile::TempDir, Vec<Value>) {
    gen_out(&["-n", "12", "--seed", "11", "--format", "qr-png"])
}

#[test]
fn scan_walks_directories_in_order_and_matches_the_manifest() {
    let (dir, manifest) = qr_corpus();
    // A nested directory and a file that is not an image: walked, skipped.
    std::fs::create_dir_all(dir.path().join("qr/more")).unwrap();
    std::fs::copy(
        dir.path().join("qr/000001.png"),
        dir.path().join("qr/more/000001.png"),
    )
    .unwrap();
    std::fs::write(dir.path().join("qr/notes.txt"), "not an image").unwrap();
    let out = cccd()
        .args(["scan", "--format", "json", "--today", "2026-01-01"])
        .arg(dir.path().join("qr"))
        .assert()
        .success()
        .stderr(predicate::str::contains("13 files: 13 ok"))
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 13);
    for (line, m) in lines.iter().zip(&manifest) {
        assert_eq!(line["card"], m["expected"]["card"], "{line}");
        assert!(line["file"]
            .as_str()
            .unwrap()
            .ends_with(m["file"].as_str().unwrap()));
        let id = m["expected"]["card"]["id_number"].as_str().unwrap();
        assert!(line["codes"][0]["text"].as_str().unwrap().starts_with(id));
        assert!(line["codes"][0]["engine"].is_string());
        assert!(line["id_info"]["birthplace"]["kind"].is_string());
    }
    assert!(lines[12]["file"]
        .as_str()
        .unwrap()
        .ends_with("more/000001.png"));
    assert_eq!(lines[12]["card"], manifest[0]["expected"]["card"]);
}

#[test]
fn scan_reads_paths_or_an_image_from_stdin_and_reports_bad_files() {
    let (dir, manifest) = qr_corpus();
    let paths = format!(
        "{}\n{}\n",
        dir.path().join("qr/000002.png").display(),
        dir.path().join("missing.png").display()
    );
    let out = cccd()
        .args(["scan", "--format", "json"])
        .write_stdin(paths)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines[0]["card"], manifest[1]["expected"]["card"]);
    assert_eq!(lines[1]["ok"], false);
    assert_eq!(lines[1]["error"]["code"], "unreadable_image");

    let image = std::fs::read(dir.path().join("qr/000003.png")).unwrap();
    let out = cccd()
        .args(["scan", "--format", "json", "-"])
        .write_stdin(image)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_lines(&out)[0]["card"], manifest[2]["expected"]["card"]);

    std::fs::write(
        dir.path().join("broken.png"),
        b"\x89PNG\r\n\x1a\nnot really",
    )
    .unwrap();
    cccd()
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .arg(dir.path().join("broken.png"))
        .assert()
        .success()
        .stdout(predicate::str::contains("\"unreadable_image\""));
}

#[test]
fn scan_redacts_every_format_including_the_raw_qr_text() {
    let (dir, manifest) = qr_corpus();
    let ids: Vec<&str> = manifest
        .iter()
        .map(|m| m["expected"]["card"]["id_number"].as_str().unwrap())
        .collect();
    let names: Vec<&str> = manifest
        .iter()
        .map(|m| m["expected"]["card"]["full_name"].as_str().unwrap())
        .collect();
    for format in ["json", "csv", "text"] {
        let out = cccd()
            .args(["scan", "--redact", "--format", format])
            .arg(dir.path().join("qr"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        for secret in ids.iter().chain(&names) {
            assert!(!text.contains(secret), "{format}: {secret}");
        }
        assert!(text.contains("[redacted]"), "{format}");
    }
}

#[test]
fn fail_on_warnings_and_strict_checks() {
    // The ID's 4th digit (3) says female; the card says Nam: `id_sex_mismatch`.
    let warned = "079303001234||Đặng Văn Ánh|01012003|Nam|Hà Nội|15082021";
    for args in [&["--fail-on", "warnings"][..], &["--strict-checks"][..]] {
        cccd()
            .args(["parse", "--today", "2026-01-01", "--format", "json"])
            .args(args)
            .arg(warned)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("\"id_sex_mismatch\""))
            .stderr(predicate::str::contains(
                "1 ok (0 repaired, 1 with warnings)",
            ));
    }
    cccd()
        .args(["parse", "--today", "2026-01-01", warned])
        .assert()
        .success();
}

#[test]
fn gen_photos_are_card_photos_the_scanner_reads() {
    let (dir, manifest) = gen_out(&["-n", "2", "--seed", "5", "--format", "photo"]);
    let out = cccd()
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .arg(dir.path().join("photos"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    let read = lines
        .iter()
        .zip(&manifest)
        .filter(|(l, m)| l["card"] == m["expected"]["card"])
        .count();
    assert!(read >= 1, "{lines:?}");
}

#[test]
fn one_line_typed_gives_one_result_at_once_with_its_line_number() {
    use std::io::{BufRead, BufReader, Write};
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cccd"))
        .args(["parse", "--format", "json", "-q"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // Standard input stays open: the result must come before the input ends.
    writeln!(stdin, "\n{VALID}").unwrap();
    stdin.flush().unwrap();
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let v: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(v["line"], 2);
    assert_eq!(v["ok"], true);
    writeln!(stdin, "{VALID_2024}").unwrap();
    stdin.flush().unwrap();
    let mut second = String::new();
    stdout.read_line(&mut second).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&second).unwrap()["line"], 3);
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_file_named_as_a_payload_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payloads.txt");
    std::fs::write(&file, format!("{VALID}\n")).unwrap();
    let out = cccd()
        .arg("parse")
        .arg(&file)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("is a file, not a payload") && err.contains("cccd parse <"),
        "{err}"
    );
}

#[test]
fn csv_neutralises_formulas_and_excel_keeps_ids_as_text() {
    let evil = "001203001234||=HYPERLINK(\"http://x\",\"a\")|01012003|Nam|@SUM(1), Hà Nội|15082021";
    let out = cccd()
        .args(["parse", "--lenient", "--format", "csv", "-q", evil, VALID])
        .assert()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for row in reader.records() {
        for cell in row.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {text}"
            );
        }
    }
    assert!(
        text.contains(r#""[""damaged_text"",""damaged_text""]""#),
        "{text}"
    );
    let out = cccd()
        .args(["parse", "--format", "csv", "--excel", "-q", VALID])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(out.starts_with("\u{feff}ok,".as_bytes()));
    assert!(String::from_utf8(out)
        .unwrap()
        .contains(r#""=""079203001234""""#));
}

#[test]
fn gen_out_writes_seeds_only_when_asked_and_refuses_a_full_directory() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        cccd()
            .args(["gen", "-n", "3", "--out"])
            .arg(dir.path())
            .args(extra)
            .assert()
    };
    run(&[]).success();
    assert!(!dir.path().join("fuzz-seeds").exists());
    let err = run(&[]).code(2).get_output().stderr.clone();
    assert!(String::from_utf8(err).unwrap().contains("--clean"));
    std::fs::write(dir.path().join("stale.txt"), "old").unwrap();
    run(&["--clean", "--fuzz-seeds"]).success();
    assert!(!dir.path().join("stale.txt").exists());
    assert_eq!(
        std::fs::read_dir(dir.path().join("fuzz-seeds"))
            .unwrap()
            .count(),
        3
    );
}
