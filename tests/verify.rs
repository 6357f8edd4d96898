//! `cccd::report::verify`: one card's QR payload, printed MRZ and chip cross-checked, each
//! disagreement named with the two records; redaction of the whole report.

use cccd::report::{self, Options, Records, VerifyReport};
use cccd::synth::{mrz_text, ChipGenerator, SyntheticChip, Tamper};
use cccd::{Chip, ElementaryFile, NaiveDate, TrustAnchors};
use serde_json::Value;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn anchors(s: &SyntheticChip) -> TrustAnchors {
    let mut a = TrustAnchors::new();
    a.add(&s.csca).unwrap();
    a
}

fn json(report: &VerifyReport<'_>) -> Value {
    serde_json::to_value(report).unwrap()
}

fn codes(report: &VerifyReport<'_>) -> Vec<(&'static str, [&'static str; 2])> {
    report
        .cross_checks
        .iter()
        .map(|c| (c.code, c.between))
        .collect()
}

#[test]
fn the_three_records_of_one_card_agree_and_the_chip_verifies() {
    let mut g = ChipGenerator::new(41);
    for _ in 0..5 {
        let s = g.chip();
        let qr = s.card.to_string();
        let mrz = mrz_text(&s.card);
        let records = Records::new()
            .qr(qr.as_bytes())
            .mrz(mrz.as_bytes())
            .chip(s.chip.clone());
        let report = report::verify(records, &anchors(&s), &Options::new(today()));
        assert!(report.ok && report.consistent, "{:?}", codes(&report));
        assert_eq!(report.records, ["qr", "mrz", "chip"]);
        let v = json(&report);
        assert_eq!(v["qr"]["ok"], true);
        assert_eq!(v["mrz"]["ok"], true);
        assert!(
            v["chip"].get("dir").is_none(),
            "a chip in memory has no folder"
        );
        assert_eq!(v["chip"]["passive_authentication"]["outcome"], "verified");
        assert_eq!(v["cross_checks"], serde_json::json!([]));
        // Each record's object is the one its own command prints.
        let alone = report::validate_json(qr.as_bytes(), &Options::new(today()));
        assert_eq!(serde_json::from_str::<Value>(&alone).unwrap(), v["qr"]);
        let alone = report::mrz_json(mrz.as_bytes(), &Options::new(today()));
        assert_eq!(serde_json::from_str::<Value>(&alone).unwrap(), v["mrz"]);
    }
}

#[test]
fn another_cards_qr_payload_disagrees_with_the_mrz_and_dg13() {
    let mut g = ChipGenerator::new(42);
    let (a, b) = (g.chip(), g.chip());
    let qr = b.card.to_string();
    let mrz = mrz_text(&a.card);
    let records = Records::new()
        .qr(qr.as_bytes())
        .mrz(mrz.as_bytes())
        .chip(a.chip.clone());
    let report = report::verify(records, &anchors(&a), &Options::new(today()));
    assert!(report.ok);
    assert!(!report.consistent);
    let found = codes(&report);
    let qr_mrz = ["qr", "mrz"];
    let qr_dg13 = ["qr", "chip.dg13"];
    assert!(found.contains(&("mrz_id_mismatch", qr_mrz)), "{found:?}");
    assert!(found.contains(&("mrz_name_mismatch", qr_mrz)), "{found:?}");
    assert!(found.contains(&("chip_id_mismatch", qr_dg13)), "{found:?}");
    assert!(
        found.contains(&("chip_name_mismatch", qr_dg13)),
        "{found:?}"
    );
    // The printed MRZ and the chip are the same card: nothing between them.
    assert!(
        found.iter().all(|(_, between)| between[0] == "qr"),
        "{found:?}"
    );
    // Order: QR–MRZ first, then QR–chip.
    let first_chip = found.iter().position(|(c, _)| c.starts_with("chip_"));
    let last_mrz = found.iter().rposition(|(c, _)| c.starts_with("mrz_"));
    assert!(last_mrz < first_chip);
    // The chip is still genuine: disagreement and authenticity are separate answers.
    assert_eq!(
        json(&report)["chip"]["passive_authentication"]["outcome"],
        "verified"
    );
}

#[test]
fn a_printed_mrz_of_another_card_differs_from_dg1() {
    let mut g = ChipGenerator::new(43);
    let (a, b) = (g.chip(), g.chip());
    let mrz = mrz_text(&b.card);
    let records = Records::new().mrz(mrz.as_bytes()).chip(a.chip.clone());
    let report = report::verify(records, &TrustAnchors::new(), &Options::new(today()));
    assert!(report.ok && !report.consistent);
    assert_eq!(
        codes(&report),
        [("chip_mrz_printed_mismatch", ["mrz", "chip.dg1"])]
    );
    // A lenient reading of a damaged copy of the right MRZ is repaired, then agrees.
    let damaged = mrz_text(&a.card).to_lowercase();
    let records = || Records::new().mrz(damaged.as_bytes()).chip(a.chip.clone());
    let strict = report::verify(records(), &TrustAnchors::new(), &Options::new(today()));
    assert!(!strict.ok && !strict.consistent);
    assert!(strict.cross_checks.is_empty());
    let lenient = report::verify(
        records(),
        &TrustAnchors::new(),
        &Options::new(today()).lenient(true),
    );
    assert!(lenient.ok && lenient.consistent);
    assert!(lenient.is_repaired());
}

#[test]
fn without_dg13_the_qr_payload_is_checked_against_dg1() {
    let mut g = ChipGenerator::new(44);
    let (a, b) = (g.chip(), g.chip());
    let without_dg13 = |s: &SyntheticChip| {
        let files = s
            .chip
            .files()
            .filter(|(f, _)| *f != ElementaryFile::Dg13)
            .map(|(f, bytes)| (f, bytes.to_vec()));
        Chip::from_files(files.collect::<Vec<_>>())
    };
    let chip = without_dg13(&a);
    let qr = a.card.to_string();
    let records = Records::new().qr(qr.as_bytes()).chip(chip.clone());
    let report = report::verify(records, &TrustAnchors::new(), &Options::new(today()));
    assert!(report.consistent, "{:?}", codes(&report));
    let qr = b.card.to_string();
    let records = Records::new().qr(qr.as_bytes()).chip(chip.clone());
    let report = report::verify(records, &TrustAnchors::new(), &Options::new(today()));
    let found = codes(&report);
    assert!(
        found.contains(&("mrz_id_mismatch", ["qr", "chip.dg1"])),
        "{found:?}"
    );
    assert!(found.iter().all(|(_, w)| *w == ["qr", "chip.dg1"]));
}

#[test]
fn a_tampered_dg13_fails_passive_authentication_inside_verify() {
    let mut g = ChipGenerator::new(45);
    let s = g.tampered(Tamper::Dg13Byte);
    let qr = s.card.to_string();
    let records = Records::new().qr(qr.as_bytes()).chip(s.chip.clone());
    let report = report::verify(records, &anchors(&s), &Options::new(today()));
    let v = json(&report);
    assert_eq!(
        v["chip"]["passive_authentication"]["outcome"],
        "dg_hash_mismatch"
    );
    assert!(report.has_warnings());
}

#[test]
fn records_that_fail_make_the_report_not_ok_and_skip_their_checks() {
    let mut g = ChipGenerator::new(46);
    let s = g.chip();
    let mrz = mrz_text(&s.card);
    let records = Records::new()
        .qr(&b"not a payload"[..])
        .mrz(mrz.as_bytes())
        .chip(s.chip.clone());
    let report = report::verify(records, &TrustAnchors::new(), &Options::new(today()));
    assert!(!report.ok && !report.consistent);
    assert!(report.cross_checks.is_empty());
    let v = json(&report);
    assert_eq!(v["qr"]["ok"], false);
    assert!(v["qr"]["error"]["code"].is_string());
    // A chip folder that cannot be opened.
    let records = Records::new()
        .mrz(mrz.as_bytes())
        .chip_dir("/nonexistent/cccd-verify-test");
    let report = report::verify(records, &TrustAnchors::new(), &Options::new(today()));
    assert!(!report.ok);
    let v = json(&report);
    assert_eq!(v["chip"]["ok"], false);
    assert_eq!(v["chip"]["dir"], "/nonexistent/cccd-verify-test");
    // A folder as a reader dumps it reads the same as the chip in memory.
    let dir = std::env::temp_dir().join(format!("cccd-verify-{}", std::process::id()));
    s.write_dir(&dir).unwrap();
    let from_dir = report::verify(
        Records::new().mrz(mrz.as_bytes()).chip_dir(&dir),
        &TrustAnchors::new(),
        &Options::new(today()),
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let in_memory = report::verify(
        Records::new().mrz(mrz.as_bytes()).chip(s.chip.clone()),
        &TrustAnchors::new(),
        &Options::new(today()),
    );
    let mut from_dir = json(&from_dir);
    from_dir["chip"].as_object_mut().unwrap().remove("dir");
    assert_eq!(from_dir, json(&in_memory));
    // Only what was given is reported.
    let records = Records::new().mrz(mrz.as_bytes());
    let v = json(&report::verify(
        records,
        &TrustAnchors::new(),
        &Options::new(today()),
    ));
    assert!(v.get("qr").is_none() && v.get("chip").is_none());
    assert_eq!(v["records"], serde_json::json!(["mrz"]));
}

/// Every personal value of the three records is hidden in a redacted report: names, ID
/// digits beyond the birthplace, dates of birth, parents.
#[test]
fn the_redacted_report_hides_every_record() {
    let mut g = ChipGenerator::new(47);
    for _ in 0..20 {
        let s = g.chip();
        let qr = s.card.to_string();
        let mrz = mrz_text(&s.card);
        let records = Records::new()
            .qr(qr.as_bytes())
            .mrz(mrz.as_bytes())
            .chip(s.chip.clone());
        let line = report::verify_json(records, &anchors(&s), &Options::new(today()).redact(true));
        let v: Value = serde_json::from_str(&line).unwrap();
        let words = words_outside_places(&v);
        let card = &s.card;
        let id = card.id_number().as_str();
        assert!(!line.contains(&id[3..]), "{line}");
        let dg13 = s.chip.dg13().unwrap().unwrap();
        let names = [
            Some(card.full_name()),
            dg13.father_name(),
            dg13.mother_name(),
        ];
        for name in names.into_iter().flatten() {
            for word in name.split(' ').filter(|w| w.chars().count() > 1) {
                assert!(!words.contains(word), "{word} in {line}");
                let ascii = cccd::fold_ascii(word).to_uppercase();
                assert!(!words.contains(&ascii), "{ascii} in {line}");
            }
        }
        let dob = card.date_of_birth();
        assert!(!line.contains(&dob.format("%Y-%m-%d").to_string()));
        assert!(!line.contains(&dob.format("%y%m%d").to_string()));
        assert!(v["consistent"].as_bool().unwrap());
    }
}

/// The words of every string in `v`, except the places a redacted report keeps (a province
/// name may share a word with a person's name) and the fixed texts.
fn words_outside_places(v: &Value) -> std::collections::HashSet<String> {
    const KEPT: &[&str] = &[
        "address",
        "place_of_origin",
        "place_of_residence",
        "name",
        "province_since_2025",
        "nationality",
        "message",
        "reason",
        "signer",
        "trust_anchor",
    ];
    let mut out = std::collections::HashSet::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => out.extend(
                s.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned),
            ),
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(
                map.iter()
                    .filter(|(k, _)| !KEPT.contains(&k.as_str()))
                    .map(|(_, v)| v),
            ),
            _ => {}
        }
    }
    out
}
