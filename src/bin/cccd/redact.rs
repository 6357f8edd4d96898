//! `--redact`: personal data masked in an outcome before any format sees it, so every format
//! is redacted alike.
//!
//! - ID numbers (and the old ID) keep their first 3 and last 2 digits: `079*******34`;
//! - names (and their ASCII form) become initials: `N. V. Á.`;
//! - addresses keep only their last component (after the last comma);
//! - the date of birth keeps only its year, and so does the expiry date (a birthday);
//! - raw QR text and non-empty extra fields become `[redacted]`.

use serde_json::Value;

/// What replaces text that is withheld entirely.
pub const WITHHELD: &str = "[redacted]";

/// Redacts `value` (one outcome object of `cccd parse` or `cccd scan`) in place.
pub fn value(value: &mut Value) {
    let Some(map) = value.as_object_mut() else {
        return;
    };
    if let Some(card) = map.get_mut("card").and_then(Value::as_object_mut) {
        edit(card.get_mut("id_number"), mask);
        edit(card.get_mut("old_id_number"), mask);
        edit(card.get_mut("full_name"), initials);
        edit(card.get_mut("address"), last_component);
        edit(card.get_mut("date_of_birth"), year);
        if let Some(Value::Array(extra)) = card.get_mut("extra_fields") {
            for e in extra {
                edit(Some(e), |s| {
                    if s.is_empty() {
                        String::new()
                    } else {
                        WITHHELD.to_owned()
                    }
                });
            }
        }
    }
    edit(map.get_mut("full_name_ascii"), initials);
    if let Some(expiry) = map.get_mut("expiry").and_then(Value::as_object_mut) {
        edit(expiry.get_mut("date"), year);
    }
    if let Some(Value::Array(codes)) = map.get_mut("codes") {
        for code in codes {
            if let Some(code) = code.as_object_mut() {
                for key in ["text", "bytes_hex"] {
                    edit(code.get_mut(key), |_| WITHHELD.to_owned());
                }
            }
        }
    }
}

fn edit(value: Option<&mut Value>, f: impl Fn(&str) -> String) {
    if let Some(Value::String(s)) = value {
        *s = f(s);
    }
}

/// First 3 and last 2 characters kept, the rest `*`.
pub fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i < 3 || i >= chars.len() - 2 {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// `Nguyễn Văn Ánh` → `N. V. Á.`
pub fn initials(s: &str) -> String {
    s.split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The part after the last comma, trimmed: usually the province.
pub fn last_component(s: &str) -> String {
    s.rsplit(',').next().unwrap_or(s).trim().to_owned()
}

/// `2003-01-01` → `2003`.
pub fn year(s: &str) -> String {
    s.split('-').next().unwrap_or(s).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_every_personal_field() {
        let mut v = json!({
            "ok": true,
            "card": {"id_number": "079203001234", "old_id_number": "123456789",
                     "full_name": "Nguyễn Văn Ánh", "date_of_birth": "2003-01-01", "sex": "male",
                     "address": "Số 1 Lê Lợi, Quận 1, TP. Hồ Chí Minh", "issue_date": "2021-08-15",
                     "extra_fields": ["", "x", "", ""]},
            "expiry": {"date": "2028-01-01", "never": false},
            "full_name_ascii": "NGUYEN VAN ANH",
            "codes": [{"text": "079203001234|...", "engine": "rxing"}]
        });
        value(&mut v);
        assert_eq!(
            v,
            json!({
                "ok": true,
                "card": {"id_number": "079*******34", "old_id_number": "123****89",
                         "full_name": "N. V. Á.", "date_of_birth": "2003", "sex": "male",
                         "address": "TP. Hồ Chí Minh", "issue_date": "2021-08-15",
                         "extra_fields": ["", "[redacted]", "", ""]},
                "expiry": {"date": "2028", "never": false},
                "full_name_ascii": "N. V. A.",
                "codes": [{"text": "[redacted]", "engine": "rxing"}]
            })
        );
    }

    #[test]
    fn null_old_id_stays_null() {
        let mut v = json!({"card": {"old_id_number": null}});
        value(&mut v);
        assert_eq!(v, json!({"card": {"old_id_number": null}}));
    }
}
