//! The chip's files: DG13 entries, TLV limits, passive-authentication outcomes on generated
//! and tampered chips, cross-checks with the QR payload, redacted `Debug`.

use cccd::synth::{ChipGenerator, Tamper};
use cccd::{
    Chip, ChipExpiry, ChipWarningCode, Dg13, ElementaryFile, ImageFormat, NaiveDate, PaOutcome,
    RawReason, Sex, TrustAnchors,
};

fn tlv(tag: &[u8], content: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend([0x81, n as u8]);
    } else {
        out.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(content);
    out
}

fn entry(n: u8, values: &[&[u8]]) -> Vec<u8> {
    let mut c = tlv(&[0x02], &[n]);
    for v in values {
        c.extend_from_slice(v);
    }
    tlv(&[0x30], &c)
}

fn utf8(s: &str) -> Vec<u8> {
    tlv(&[0x0C], s.as_bytes())
}

fn dg13(entries: &[Vec<u8>]) -> Vec<u8> {
    let oid = tlv(&[0x06], &[0x28, 0xD3, 0x16, 0x01, 0x00, 0x08]);
    let body = [tlv(&[0x02], &[1]), oid, tlv(&[0x31], &entries.concat())].concat();
    tlv(&[0x6D], &tlv(&[0x30], &body))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn full_entries() -> Vec<Vec<u8>> {
    vec![
        entry(1, &[&utf8("079203001234")]),
        entry(2, &[&utf8("Nguyễn Văn Ánh")]),
        entry(3, &[&utf8("01/01/2003")]),
        entry(4, &[&utf8("Nam")]),
        entry(5, &[&utf8("Việt Nam")]),
        entry(6, &[&utf8("Kinh")]),
        entry(7, &[&utf8("Không")]),
        entry(8, &[&utf8("Xã Một, Huyện Hai, Tỉnh Ba")]),
        entry(
            9,
            &[&utf8(
                "Số 1 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh",
            )],
        ),
        entry(10, &[&utf8("Nốt ruồi C:1cm dưới sau mép phải")]),
        entry(11, &[&utf8("15/08/2021")]),
        entry(12, &[&utf8("01/01/2028")]),
        entry(
            13,
            &[&tlv(
                &[0x30],
                &[utf8("Nguyễn Văn Bình"), utf8("Trần Thị Cúc")].concat(),
            )],
        ),
        entry(14, &[&utf8("Lê Thị Dung")]),
        entry(15, &[&utf8("123456789")]),
        entry(16, &[&utf8("something else")]),
    ]
}

#[test]
fn every_dg13_entry() {
    let dg = Dg13::parse(&dg13(&full_entries())).unwrap();
    assert_eq!(dg.version(), Some(1));
    assert_eq!(dg.oid(), Some("1.0.10646.1.0.8"));
    assert_eq!(dg.id_number().unwrap().as_str(), "079203001234");
    assert_eq!(dg.full_name(), Some("Nguyễn Văn Ánh"));
    assert_eq!(dg.date_of_birth(), Some(ymd(2003, 1, 1)));
    assert_eq!(dg.sex(), Some(Sex::Male));
    assert_eq!(dg.nationality(), Some("Việt Nam"));
    assert_eq!(dg.ethnicity(), Some("Kinh"));
    assert_eq!(dg.religion(), Some("Không"));
    assert_eq!(dg.place_of_origin(), Some("Xã Một, Huyện Hai, Tỉnh Ba"));
    assert_eq!(
        dg.place_of_residence(),
        Some("Số 1 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh")
    );
    assert_eq!(
        dg.identifying_marks(),
        Some("Nốt ruồi C:1cm dưới sau mép phải")
    );
    assert_eq!(dg.issue_date(), Some(ymd(2021, 8, 15)));
    assert_eq!(dg.expiry(), Some(ChipExpiry::On(ymd(2028, 1, 1))));
    assert_eq!(dg.father_name(), Some("Nguyễn Văn Bình"));
    assert_eq!(dg.mother_name(), Some("Trần Thị Cúc"));
    assert_eq!(dg.spouse_name(), Some("Lê Thị Dung"));
    let raw: Vec<_> = dg
        .raw_entries()
        .iter()
        .map(|e| (e.number(), e.reason()))
        .collect();
    assert_eq!(raw, [(15, RawReason::Disputed), (16, RawReason::Disputed)]);
    assert_eq!(dg.raw_entries()[0].texts(), ["123456789"]);
    assert_eq!(dg.raw_entries()[0].raw(), utf8("123456789").as_slice());
}

#[test]
fn dg13_odd_entries_are_kept_raw_never_errors() {
    let entries = vec![
        entry(1, &[&utf8("07920300123")]),       // 11 digits
        entry(3, &[&utf8("1/1/2003")]),          // not dd/mm/yyyy
        entry(4, &[&utf8("X")]),                 // neither Nam nor Nữ
        entry(2, &[&tlv(&[0x02], &[5])]),        // not text
        entry(12, &[&utf8("Không thời hạn")]),   // no expiry
        entry(13, &[&utf8("Cha"), &utf8("Mẹ")]), // parents without the inner SEQUENCE
        entry(6, &[&utf8("Kinh")]),
        entry(6, &[&utf8("Tày")]),     // duplicate
        entry(14, &[&utf8("")]),       // empty: no spouse
        entry(42, &[&utf8("future")]), // unknown
    ];
    let dg = Dg13::parse(&dg13(&entries)).unwrap();
    assert_eq!(dg.id_number(), None);
    assert_eq!(dg.date_of_birth(), None);
    assert_eq!(dg.sex(), None);
    assert_eq!(dg.full_name(), None);
    assert_eq!(dg.expiry(), Some(ChipExpiry::Never));
    assert_eq!(
        (dg.father_name(), dg.mother_name()),
        (Some("Cha"), Some("Mẹ"))
    );
    assert_eq!(dg.ethnicity(), Some("Kinh"));
    assert_eq!(dg.spouse_name(), None);
    let raw: Vec<_> = dg
        .raw_entries()
        .iter()
        .map(|e| (e.number(), e.reason()))
        .collect();
    assert_eq!(
        raw,
        [
            (1, RawReason::InvalidValue),
            (3, RawReason::InvalidValue),
            (4, RawReason::InvalidValue),
            (2, RawReason::InvalidValue),
            (6, RawReason::Duplicate),
            (42, RawReason::Unknown),
        ]
    );
    // Without the outer SEQUENCE, the same elements sit directly in 6D.
    let oid = tlv(&[0x06], &[0x28, 0xD3, 0x16, 0x01, 0x00, 0x08]);
    let flat = tlv(
        &[0x6D],
        &[
            tlv(&[0x02], &[1]),
            oid,
            tlv(&[0x31], &full_entries().concat()),
        ]
        .concat(),
    );
    assert_eq!(
        Dg13::parse(&flat).unwrap(),
        Dg13::parse(&dg13(&full_entries())).unwrap()
    );
}

#[test]
fn dg13_structural_errors() {
    let cases: Vec<(Vec<u8>, &str, usize, &str)> = vec![
        (
            vec![0x6D, 0x05, 0x30],
            "truncated",
            1,
            "dg13: length runs past the end at byte 1",
        ),
        (
            vec![0x6E, 0x00],
            "unexpected_tag",
            0,
            "dg13: unexpected tag 0x6e, expected 0x6d at byte 0",
        ),
        (
            vec![0x6D, 0x00, 0x00],
            "trailing_data",
            2,
            "dg13: trailing data at byte 2",
        ),
        (
            vec![0x6D, 0x00],
            "missing_element",
            2,
            "dg13: missing DG13 body at byte 2",
        ),
        (
            tlv(
                &[0x6D],
                &tlv(&[0x30], &tlv(&[0x31], &tlv(&[0x30], &utf8("x")))),
            ),
            "unexpected_tag",
            8,
            "dg13: unexpected tag 0x0c, expected 0x02 at byte 8",
        ),
        (
            tlv(&[0x6D], &tlv(&[0x30], &tlv(&[0x31], &tlv(&[0x04], b"x")))),
            "unexpected_tag",
            6,
            "dg13: unexpected tag 0x04, expected 0x30 at byte 6",
        ),
    ];
    for (data, code, offset, message) in cases {
        let e = Dg13::parse(&data).unwrap_err();
        assert_eq!(
            (e.code(), e.offset(), e.to_string().as_str()),
            (code, offset, message),
            "{data:02x?}"
        );
        assert_eq!(e.file(), ElementaryFile::Dg13);
    }
    let many: Vec<Vec<u8>> = (0..=cccd::MAX_DG13_ENTRIES)
        .map(|_| entry(99, &[]))
        .collect();
    assert_eq!(
        Dg13::parse(&dg13(&many)).unwrap_err().code(),
        "too_many_elements"
    );
}

#[test]
fn tlv_limits() {
    // Nesting past MAX_DEPTH.
    let mut deep = utf8("x");
    for _ in 0..cccd::MAX_DEPTH + 2 {
        deep = tlv(&[0x30], &deep);
    }
    let data = tlv(
        &[0x6D],
        &[
            tlv(&[0x02], &[1]),
            tlv(
                &[0x31],
                &tlv(&[0x30], &[tlv(&[0x02], &[13]), deep].concat()),
            ),
        ]
        .concat(),
    );
    let e = Dg13::parse(&data).unwrap_err();
    assert_eq!(e.code(), "too_deep");
    assert_eq!(
        e.to_string(),
        format!(
            "dg13: nested deeper than {} at byte {}",
            cccd::MAX_DEPTH,
            e.offset()
        )
    );
    // A file longer than MAX_FILE_LEN is refused before reading it.
    let huge = vec![0u8; cccd::MAX_FILE_LEN + 1];
    assert_eq!(Dg13::parse(&huge).unwrap_err().code(), "too_large");
    // So is any file of a chip given in memory, EF.SOD included (as from a folder).
    let chip = Chip::from_files([
        (ElementaryFile::Dg1, vec![0x61, 0x00]),
        (ElementaryFile::Sod, huge),
    ]);
    let e = chip.read().unwrap_err();
    assert_eq!((e.code(), e.file()), ("too_large", ElementaryFile::Sod));
    // Lengths: indefinite, too many length bytes, a length past the end.
    assert_eq!(
        Dg13::parse(&[0x6D, 0x80, 0, 0]).unwrap_err().code(),
        "indefinite_length"
    );
    assert_eq!(
        Dg13::parse(&[0x6D, 0x85, 1, 1, 1, 1, 1])
            .unwrap_err()
            .code(),
        "bad_length"
    );
    assert_eq!(
        Dg13::parse(&[0x6D, 0x84, 0xFF, 0xFF, 0xFF, 0xFF])
            .unwrap_err()
            .code(),
        "truncated"
    );
    assert_eq!(
        Dg13::parse(&[0x7F, 0x81, 0x81, 0x81, 0x00])
            .unwrap_err()
            .code(),
        "bad_tag"
    );
    // More elements than MAX_ELEMENTS in one level.
    let many = [0x05, 0x00].repeat(cccd::MAX_ELEMENTS + 1);
    let data = tlv(&[0x6D], &tlv(&[0x30], &many));
    assert_eq!(Dg13::parse(&data).unwrap_err().code(), "too_many_elements");
}

#[test]
fn generated_chip_reads_and_verifies() {
    let mut g = ChipGenerator::new(1);
    for _ in 0..3 {
        let s = g.chip();
        let record = s.chip.read().unwrap();
        let com = record.com.unwrap();
        assert_eq!(com.lds_version(), "0107");
        assert_eq!(
            com.data_groups(),
            [
                ElementaryFile::Dg1,
                ElementaryFile::Dg2,
                ElementaryFile::Dg13
            ]
        );
        let dg1 = record.dg1.unwrap();
        assert_eq!(dg1.mrz().len(), 90);
        assert_eq!(dg1.mrz_lines().len(), 3);
        assert!(dg1.mrz().contains(s.card.id_number().as_str()));
        let face = record.dg2.unwrap().face().clone();
        assert_eq!(face.format(), ImageFormat::Jpeg);
        assert_eq!((face.width(), face.height()), (48, 60));
        assert!(face.image().starts_with(&[0xFF, 0xD8, 0xFF]));
        let dg13 = record.dg13.unwrap();
        assert_eq!(dg13.id_number(), Some(s.card.id_number()));
        assert_eq!(dg13.full_name(), Some(s.card.full_name()));
        assert!(dg13.check_card(&s.card).is_empty());
        assert!(dg13.father_name().is_some() && dg13.mother_name().is_some());

        let mut anchors = TrustAnchors::new();
        assert_eq!(anchors.add(&s.csca), Ok(1));
        let report = s.chip.verify(&anchors);
        assert_eq!(
            report.outcome(),
            &PaOutcome::Verified,
            "{}",
            report.reason()
        );
        assert_eq!(report.hash_algorithm(), Some("sha256"));
        assert_eq!(report.signature_algorithm(), Some("1.2.840.10045.4.3.2"));
        assert!(report
            .trust_anchor()
            .unwrap()
            .contains("CSCA Synthetic Test"));
        assert!(report.signer().unwrap().contains("Document Signer"));
        assert_eq!(report.dg_hashes().len(), 3);
        // Without a trust anchor the same chip cannot be more than consistent.
        let report = s.chip.verify(&TrustAnchors::new());
        assert_eq!(report.code(), "chain_not_verified");
        assert_eq!(report.reason(), "no trust anchor given");
    }
}

#[test]
fn deterministic_from_seed() {
    let a = ChipGenerator::new(5).chip();
    let b = ChipGenerator::new(5).chip();
    assert_eq!(a.chip, b.chip);
    assert_eq!(a.csca, b.csca);
    assert_ne!(ChipGenerator::new(6).chip().chip, a.chip);
}

#[test]
fn every_pa_outcome() {
    let mut g = ChipGenerator::new(2);
    for (tamper, code) in [
        (Tamper::Dg13Byte, "dg_hash_mismatch"),
        (Tamper::ForeignCsca, "chain_not_verified"),
        (Tamper::TruncatedSod, "malformed_sod"),
        (Tamper::BadSignature, "bad_signature"),
        (Tamper::UnsupportedDigest, "unsupported_algorithm"),
    ] {
        let s = g.tampered(tamper);
        let mut anchors = TrustAnchors::new();
        anchors.add(&s.csca).unwrap();
        let report = s.chip.verify(&anchors);
        assert_eq!(report.code(), code, "{tamper:?}: {}", report.reason());
        if tamper == Tamper::Dg13Byte {
            assert_eq!(
                report.outcome(),
                &PaOutcome::DgHashMismatch(vec![ElementaryFile::Dg13])
            );
            assert_eq!(report.outcome().to_string(), "dg_hash_mismatch (dg13)");
            // The changed digit is also what the cross-check sees.
            let dg13 = s.chip.dg13().unwrap().unwrap();
            let codes: Vec<_> = dg13.check_card(&s.card).iter().map(|w| w.code()).collect();
            assert!(
                codes.contains(&ChipWarningCode::ChipIdMismatch),
                "{codes:?}"
            );
        }
    }
    // No SOD at all.
    let mut s = g.chip();
    let mut files: Vec<_> = s.chip.files().map(|(f, b)| (f, b.to_vec())).collect();
    files.retain(|(f, _)| *f != ElementaryFile::Sod);
    s.chip = Chip::from_files(files);
    assert_eq!(s.chip.verify(&TrustAnchors::new()).code(), "malformed_sod");
    // A data group given that the SOD does not list.
    let mut s = g.chip();
    s.chip.insert(ElementaryFile::Dg15, vec![0x6F, 0x00]);
    let mut anchors = TrustAnchors::new();
    anchors.add(&s.csca).unwrap();
    assert_eq!(
        s.chip.verify(&anchors).outcome(),
        &PaOutcome::DgHashMismatch(vec![ElementaryFile::Dg15])
    );
    // Garbage as a trust anchor.
    assert_eq!(
        TrustAnchors::new()
            .add(b"not a certificate")
            .unwrap_err()
            .code(),
        "bad_certificate"
    );
}

#[test]
fn pem_anchors() {
    let s = ChipGenerator::new(3).chip();
    use std::fmt::Write;
    let b64 = base64(&s.csca);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        writeln!(pem, "{}", std::str::from_utf8(chunk).unwrap()).unwrap();
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    let twice = format!("{pem}{pem}");
    let mut anchors = TrustAnchors::new();
    assert_eq!(anchors.add(twice.as_bytes()), Ok(2));
    assert!(s.chip.verify(&anchors).is_verified());
}

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn cross_checks_against_another_card() {
    let mut g = ChipGenerator::new(4);
    let a = g.chip();
    let b = g.chip();
    let dg13 = a.chip.dg13().unwrap().unwrap();
    let codes: Vec<_> = dg13.check_card(&b.card).iter().map(|w| w.code()).collect();
    assert!(codes.contains(&ChipWarningCode::ChipIdMismatch));
    assert!(codes.contains(&ChipWarningCode::ChipNameMismatch));
    assert!(codes.contains(&ChipWarningCode::ChipAddressMismatch));
    for w in dg13.check_card(&b.card) {
        assert!(!w.message().contains(a.card.full_name()));
        assert_eq!(
            w.code().as_str(),
            ChipWarningCode::ALL
                .iter()
                .find(|c| **c == w.code())
                .unwrap()
                .as_str()
        );
    }
    // Field by field, with a hand-built DG13 against a fixed payload.
    let card =
        cccd::parse("079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Số 1 Lê Lợi|15082021")
            .unwrap();
    let same = dg13_for([
        "079203001234",
        "Nguyễn  Văn Ánh",
        "01/01/2003",
        "Nam",
        "Số 1 Lê Lợi",
        "15/08/2021",
    ]);
    assert!(
        same.check_card(&card).is_empty(),
        "whitespace differences are not warnings"
    );
    for (i, code) in ChipWarningCode::ALL[..6].iter().enumerate() {
        let mut v = [
            "079203001234",
            "Nguyễn Văn Ánh",
            "01/01/2003",
            "Nam",
            "Số 1 Lê Lợi",
            "15/08/2021",
        ];
        v[i] = [
            "079203001235",
            "Nguyễn Văn Anh",
            "02/01/2003",
            "Nữ",
            "Số 2 Lê Lợi",
            "16/08/2021",
        ][i];
        let got: Vec<_> = dg13_for(v)
            .check_card(&card)
            .iter()
            .map(|w| w.code())
            .collect();
        assert_eq!(got, [*code]);
    }
}

fn dg13_for(v: [&str; 6]) -> Dg13 {
    let numbers = [1u8, 2, 3, 4, 9, 11];
    let entries: Vec<_> = numbers
        .iter()
        .zip(v)
        .map(|(n, s)| entry(*n, &[&utf8(s)]))
        .collect();
    Dg13::parse(&dg13(&entries)).unwrap()
}

#[test]
fn debug_is_redacted() {
    let s = ChipGenerator::new(9).chip();
    let record = s.chip.read().unwrap();
    let dg13 = record.dg13.as_ref().unwrap();
    let face = record.dg2.as_ref().unwrap().face();
    let all = format!("{:?} {:?} {:?} {:?}", record, s.chip, dg13, face);
    let id = s.card.id_number().as_str();
    assert!(!all.contains(id), "ID number in Debug");
    assert!(!all.contains(&id[3..]), "document number in Debug");
    for part in s.card.full_name().split_whitespace() {
        assert!(!all.contains(part), "name in Debug");
    }
    for text in [
        dg13.father_name().unwrap(),
        dg13.mother_name().unwrap(),
        dg13.place_of_origin().unwrap(),
    ] {
        assert!(!all.contains(text));
    }
    assert!(all.contains(&format!("len: {}", face.image().len())));
    assert!(!all.contains("255, 216"), "face bytes in Debug");
    assert!(format!("{:?}", record.dg1.unwrap()).contains("<redacted, 90 chars>"));
}

#[test]
fn from_dir_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let s = ChipGenerator::new(10).chip();
    s.write_dir(dir.path().join("card")).unwrap();
    let chip = Chip::from_dir(dir.path().join("card")).unwrap();
    assert_eq!(chip, s.chip);
    let names: Vec<_> = chip.files().map(|(f, _)| f.name()).collect();
    assert_eq!(names, ["com", "dg1", "dg2", "dg13", "sod"]);
    let e = Chip::from_dir(dir.path()).unwrap_err();
    assert_eq!(
        (e.code(), e.to_string().as_str()),
        ("no_files", "com: no chip file found at byte 0")
    );
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Chip>();
    check::<Dg13>();
    check::<cccd::PaReport>();
    check::<TrustAnchors>();
    check::<cccd::ChipError>();
}

#[cfg(feature = "serde")]
#[test]
fn json_shape() {
    let s = ChipGenerator::new(11).chip();
    let record = s.chip.read().unwrap();
    let v = serde_json::to_value(&record).unwrap();
    assert_eq!(
        v["dg13"]["date_of_birth"],
        s.card.date_of_birth().to_string()
    );
    assert_eq!(v["dg13"]["sex"], s.card.sex().as_str());
    assert_eq!(v["dg2"]["faces"][0]["format"], "jpeg");
    assert!(v["dg2"]["faces"][0].get("image").is_none());
    assert_eq!(
        v["com"]["data_groups"],
        serde_json::json!(["dg1", "dg2", "dg13"])
    );
    let mut anchors = TrustAnchors::new();
    anchors.add(&s.csca).unwrap();
    let pa = serde_json::to_value(s.chip.verify(&anchors)).unwrap();
    assert_eq!(pa["outcome"], "verified");
    assert_eq!(
        pa["dg_hashes"][0],
        serde_json::json!({"file": "dg1", "status": "match"})
    );
}

/// Replays the chip seed corpus and every saved chip fuzz finding through the fuzz checks.
#[test]
fn every_saved_chip_fuzz_input_passes_the_fuzz_checks() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut paths = Vec::new();
    for dir in [
        "seeds-chip",
        "regressions/chip_tlv",
        "regressions/dg13",
        "regressions/sod",
    ] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            paths.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
        }
    }
    assert!(paths.len() >= 15, "the chip seed corpus is missing");
    for path in paths {
        let data = std::fs::read(&path).unwrap();
        cccd::__fuzz::chip_tlv(&data);
        cccd::__fuzz::dg13(&data);
        cccd::__fuzz::sod(&data);
    }
}

#[test]
fn dg1_through_the_mrz_parser_and_against_dg13() {
    let mut g = ChipGenerator::new(12);
    for _ in 0..5 {
        let s = g.chip();
        let dg1 = s.chip.dg1().unwrap().unwrap();
        let mrz = dg1.parse_mrz().unwrap();
        assert_eq!(mrz.id_number(), s.card.id_number());
        assert_eq!(dg1.mrz_text(), cccd::synth::mrz_text(&s.card));
        let dg13 = s.chip.dg13().unwrap().unwrap();
        assert!(dg13.check_mrz(&mrz).is_empty());
        assert!(cccd::mrz::cross_check(&s.card, &mrz).is_empty());
    }
    // Each disagreement, one at a time, against a fixed MRZ.
    let mrz = cccd::mrz::parse(
        "IDVNM2030123450079203012345<<0\n0302014M2802013VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<",
    )
    .unwrap();
    let base = [
        entry(1, &[&utf8("079203012345")]),
        entry(2, &[&utf8("Nguyễn Văn An")]),
        entry(3, &[&utf8("01/02/2003")]),
        entry(4, &[&utf8("Nam")]),
        entry(12, &[&utf8("01/02/2028")]),
    ];
    assert!(Dg13::parse(&dg13(&base))
        .unwrap()
        .check_mrz(&mrz)
        .is_empty());
    let changed = [
        (
            entry(1, &[&utf8("079203012346")]),
            ChipWarningCode::ChipMrzIdMismatch,
        ),
        (
            entry(3, &[&utf8("02/02/2003")]),
            ChipWarningCode::ChipMrzBirthDateMismatch,
        ),
        (
            entry(4, &[&utf8("Nữ")]),
            ChipWarningCode::ChipMrzSexMismatch,
        ),
        (
            entry(2, &[&utf8("Nguyễn Văn Anh")]),
            ChipWarningCode::ChipMrzNameMismatch,
        ),
        (
            entry(12, &[&utf8("Không thời hạn")]),
            ChipWarningCode::ChipMrzExpiryMismatch,
        ),
    ];
    for (replacement, code) in changed {
        let mut entries = base.to_vec();
        let n = replacement[4];
        let i = entries.iter().position(|e| e[4] == n).unwrap();
        entries[i] = replacement;
        let got: Vec<_> = Dg13::parse(&dg13(&entries))
            .unwrap()
            .check_mrz(&mrz)
            .iter()
            .map(|w| w.code())
            .collect();
        assert_eq!(got, [code]);
        assert!(!code.message().contains("NGUYEN"));
    }
}

/// The README's chip example, on a generated chip.
#[test]
fn readme_example() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let s = ChipGenerator::new(13).chip();
    s.write_dir(dir.path().join("card-0001"))?;
    std::fs::write(dir.path().join("csca.der"), &s.csca)?;
    let qr_payload = &s.card.to_string();
    let chip = Chip::from_dir(dir.path().join("card-0001"))?;
    let record = chip.read()?;
    let dg13 = record.dg13.as_ref().unwrap();
    assert!(dg13.full_name().is_some() && dg13.father_name().is_some());
    let face = record.dg2.as_ref().unwrap().face();
    assert_eq!(face.format().as_str(), "jpeg");
    assert!(!face.image().is_empty());
    let mrz = record.dg1.as_ref().unwrap().parse_mrz()?;
    assert!(dg13.check_mrz(&mrz).is_empty());
    let card = cccd::parse(qr_payload)?;
    assert!(dg13.check_card(&card).is_empty());
    let anchors = TrustAnchors::from_file(dir.path().join("csca.der"))?;
    let report = chip.verify(&anchors);
    assert_eq!(report.code(), "verified");
    Ok(())
}

/// The chip report redacts every personal field by type, and never shows the face.
#[test]
fn chip_report_redaction() {
    use cccd::report::ChipReport;
    let s = ChipGenerator::new(14).chip();
    let mut anchors = TrustAnchors::new();
    anchors.add(&s.csca).unwrap();
    let dg13 = s.chip.dg13().unwrap().unwrap();
    let plain = ChipReport::new(None, Ok(&s.chip), &anchors, false);
    assert!(plain.is_ok() && !plain.has_warnings());
    let plain = serde_json::to_value(&plain).unwrap();
    assert_eq!(plain["dg13"]["id_number"], s.card.id_number().as_str());
    assert_eq!(plain["dg13"]["father_name"], dg13.father_name().unwrap());
    assert_eq!(plain["passive_authentication"]["outcome"], "verified");
    let redacted = ChipReport::new(None, Ok(&s.chip), &anchors, true);
    let json = serde_json::to_string(&redacted).unwrap();
    let personal = [
        s.card.id_number().as_str(),
        &s.card.id_number().as_str()[3..],
        s.card.full_name(),
        dg13.father_name().unwrap(),
        dg13.mother_name().unwrap(),
        dg13.place_of_origin().unwrap(),
        dg13.place_of_residence().unwrap(),
        dg13.identifying_marks().unwrap(),
        "IDVNM",
    ];
    for p in personal {
        assert!(!json.contains(p), "redacted report shows a personal value");
    }
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["dg13"]["religion"], "[redacted]");
    assert_eq!(v["dg13"]["ethnicity"], "[redacted]");
    assert_eq!(v["dg13"]["date_of_birth"], "[redacted]");
    assert_eq!(v["mrz"]["lines"][0], "[redacted]");
    assert_eq!(v["face"]["len"], dg13_face_len(&s.chip));
    // An unreadable chip: the error names the file and offset.
    let err = Dg13::parse(&[0x6D, 0x05, 0x30]).map(|_| ()).unwrap_err();
    let failed = serde_json::to_value(ChipReport::new(
        Some("x".into()),
        Err(&err),
        &anchors,
        false,
    ))
    .unwrap();
    assert_eq!(
        failed,
        serde_json::json!({"dir": "x", "ok": false, "error": {"code": "truncated", "reason": "truncated", "field": "dg13", "offset": 1, "message": "dg13: length runs past the end at byte 1"}})
    );
}

fn dg13_face_len(chip: &Chip) -> usize {
    chip.dg2().unwrap().unwrap().face().image().len()
}
