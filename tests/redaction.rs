//! The redaction policy as a property: over generated cards and address shapes, a redacted
//! report (JSON and CSV cells) never holds the name, a street or smaller address part, the
//! full date of birth, nor lets more than 4 of the 12 ID digits (3 of the 9 old-ID digits)
//! be read back from all its fields together.
#![cfg(all(feature = "serde", feature = "synth"))]

use cccd::report::{self, Options};
use cccd::synth::CardGenerator;
use proptest::prelude::*;
use serde_json::Value;

/// The address rewritten in one of the shapes people write: the generator's comma list, or
/// with `;`, ` - `, spaces only, nothing but its first part, or province first.
fn reshape(address: &str, shape: u8) -> String {
    let parts: Vec<&str> = address.split(", ").collect();
    match shape {
        0 => parts.join(", "),
        1 => parts.join("; "),
        2 => parts.join(" - "),
        3 => parts.join(" "),
        4 => parts[0].to_owned(),
        _ => parts.iter().rev().copied().collect::<Vec<_>>().join(", "),
    }
}

/// Which of the 12 ID digits a redacted report lets anyone read back.
fn derivable_id_digits(v: &Value) -> std::collections::BTreeSet<usize> {
    let mut known: std::collections::BTreeSet<usize> = v["card"]["id_number"]
        .as_str()
        .unwrap()
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let info = &v["id_info"];
    if !info["birthplace"]["code"].is_null() {
        known.extend(0..3);
    }
    let dob = v["card"]["date_of_birth"].as_str().unwrap();
    let year_shown = !info["birth_year"].is_null()
        || dob.chars().filter(char::is_ascii_digit).count() >= 4
        || v["expiry"]["date"]
            .as_str()
            .is_some_and(|d| d.chars().any(|c| c.is_ascii_digit()));
    let sex_shown = !info["sex"].is_null() || !v["card"]["sex"].is_null();
    if (year_shown || !info["century"].is_null()) && sex_shown {
        known.insert(3);
    }
    if year_shown {
        known.extend(4..6);
    }
    known
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn redacted_reports_hold_no_personal_data(seed in any::<u64>(), shape in 0u8..6) {
        let card = CardGenerator::new(seed).card();
        let mut fields: Vec<String> = card.to_string().split('|').map(str::to_owned).collect();
        let original_address = fields[5].clone();
        fields[5] = reshape(&original_address, shape);
        let payload = fields.join("|");
        let today = cccd::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let json = report::validate_json(payload.as_bytes(), &Options::new(today).redact(true));
        let v: Value = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&v["ok"], &Value::Bool(true), "{}", json);
        let cells = report::cells(&v, report::PARSE_COLUMNS).join("\u{1}");
        for out in [&json, &cells] {
            prop_assert!(!out.contains(card.full_name()), "{}", out);
            // Name words may be words of place names (`Hồ`, `Nam`): look outside those.
            let mut rest = out.to_string();
            for place in [&v["card"]["address"], &v["id_info"]["birthplace"]["name"], &v["id_info"]["birthplace"]["province_since_2025"]] {
                if let Some(place) = place.as_str() {
                    rest = rest.replace(place, "");
                }
            }
            for word in card.full_name().split(' ').filter(|w| w.chars().count() >= 2) {
                prop_assert!(!rest.contains(word), "{} in {}", word, out);
            }
            // Every part of the address but the province (the generator's last part).
            let parts: Vec<&str> = original_address.split(", ").collect();
            for part in &parts[..parts.len() - 1] {
                prop_assert!(!out.contains(part), "{} in {}", part, out);
            }
            let dob = card.date_of_birth();
            prop_assert!(!out.contains(&dob.to_string()));
            prop_assert!(!out.contains(&dob.format("%d%m%Y").to_string()));
            prop_assert!(!out.contains(card.id_number().as_str()));
        }
        let known = derivable_id_digits(&v);
        prop_assert!(known.len() <= 4, "{:?} from {}", known, json);
        if let Some(old) = v["card"]["old_id_number"].as_str() {
            prop_assert!(old.chars().filter(char::is_ascii_digit).count() <= 3, "{}", old);
        }
    }
}

#[test]
fn the_issues_leaking_addresses_keep_only_the_province() {
    for (address, shown) in [
        (
            "Thôn Đông Xuân Xã Yên Bình Huyện Thạch Thất Hà Nội",
            "Hà Nội",
        ),
        ("Thôn Đông Xuân; Xã Yên Bình; Hà Nội", "Hà Nội"),
        ("Thôn Đông Xuân - Xã Yên Bình - Hà Nội", "Hà Nội"),
        ("Thôn Đông Xuân", "[redacted]"),
        ("Hà Nội, Huyện Thạch Thất, Thôn Đông Xuân", "Hà Nội"),
    ] {
        let payload =
            format!("001203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|{address}|15082021");
        let today = cccd::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let v: Value = serde_json::from_str(&report::validate_json(
            payload.as_bytes(),
            &Options::new(today).redact(true),
        ))
        .unwrap();
        assert_eq!(v["card"]["address"], shown, "{address}");
        assert_eq!(v["card"]["id_number"], "001*********");
        assert_eq!(v["card"]["old_id_number"], "123******");
        assert_eq!(v["card"]["date_of_birth"], "[redacted]");
        assert_eq!(v["id_info"]["birth_year"], Value::Null);
        assert_eq!(v["card"]["full_name"], "N. V. Á.");
    }
}
