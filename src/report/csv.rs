//! CSV cells of a report: the columns are the JSON keys, nested ones joined with `.`, so a
//! row is the JSON object read at each column's path.

use serde_json::Value;

macro_rules! with_card_columns {
    ([$($before:literal),*], [$($after:literal),*]) => {
        &[
            $($before,)*
            "layout",
            "card.id_number",
            "card.old_id_number",
            "card.full_name",
            "card.date_of_birth",
            "card.sex",
            "card.address",
            "card.issue_date",
            "card.extra_fields",
            "repairs",
            "id_info.birthplace.kind",
            "id_info.birthplace.code",
            "id_info.birthplace.name",
            "id_info.birthplace.province_since_2025",
            "id_info.birthplace.iso",
            "id_info.century",
            "id_info.sex",
            "id_info.birth_year",
            "expiry.date",
            "expiry.never",
            "expiry.law",
            "expired",
            "full_name_ascii",
            "warnings",
            $($after,)*
        ]
    };
}

/// The columns of `cccd parse --format csv`, in order.
pub const PARSE_COLUMNS: &[&str] = with_card_columns!(
    ["ok"],
    [
        "error.code",
        "error.reason",
        "error.field",
        "error.offset",
        "error.message",
        "line"
    ]
);

/// The columns of `cccd scan --format csv`, in order.
pub const SCAN_COLUMNS: &[&str] = with_card_columns!(
    ["file", "ok", "elapsed_ms", "codes"],
    ["error.code", "error.message"]
);

/// The cells of one row: `value` (a report as JSON) read at each column's path, each made
/// safe for spreadsheets (see [`cell`]).
pub fn cells(value: &Value, columns: &[&str]) -> Vec<String> {
    cells_for(value, columns, false)
}

/// As [`cells`]; with `excel`, cells of digits only that a spreadsheet would turn into a
/// number and damage (a leading zero, or 12 digits and more: ID numbers, birthplace codes)
/// are written as the text formula `="079203001234"`, which Excel and LibreOffice show as
/// the digits, as text. Such a cell holds digits only, so nothing else can run.
pub fn cells_for(value: &Value, columns: &[&str], excel: bool) -> Vec<String> {
    columns
        .iter()
        .map(|c| {
            let s = cell(lookup(value, c));
            let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            if excel && digits && (s.starts_with('0') || s.len() >= 12) {
                format!("=\"{s}\"")
            } else {
                s
            }
        })
        .collect()
}

/// The value at a dotted path (`card.id_number`), if any.
pub fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(value, |v, key| v.as_object()?.get(key))
}

/// One cell: a string as it is, `null` or missing as empty, a list as the JSON array text of
/// its items (objects by their `code`, e.g. warnings, else their `text`):
/// `["expired","damaged_text"]`, `[]` when empty — unambiguous whatever the items hold.
/// Anything else as JSON.
///
/// A cell that a spreadsheet would run as a formula — one starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return — is prefixed with `'` (the OWASP rule), always.
pub fn cell(value: Option<&Value>) -> String {
    neutralise(raw_cell(value))
}

fn raw_cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => {
            let items: Vec<Value> = items
                .iter()
                .map(|item| match item {
                    Value::Object(o) => o
                        .get("code")
                        .or_else(|| o.get("text"))
                        .cloned()
                        .unwrap_or_else(|| item.clone()),
                    other => other.clone(),
                })
                .collect();
            Value::Array(items).to_string()
        }
        Some(other) => other.to_string(),
    }
}

/// `s` with `'` in front when a spreadsheet would read it as a formula.
pub fn neutralise(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_are_safe_and_lists_unambiguous() {
        let v = json!({"n": "=HYPERLINK(\"x\")", "p": "+1", "m": "-2", "a": "@x", "t": "\tx",
            "r": "\rx", "ok": "Hà Nội", "l": ["a;b", "c"], "w": [{"code": "x"}], "e": [],
            "id": "079203001234", "z": "0"});
        let c = |k| cell(lookup(&v, k));
        assert_eq!(c("n"), "'=HYPERLINK(\"x\")");
        assert_eq!(c("p"), "'+1");
        assert_eq!(c("m"), "'-2");
        assert_eq!(c("a"), "'@x");
        assert_eq!(c("t"), "'\tx");
        assert_eq!(c("r"), "'\rx");
        assert_eq!(c("ok"), "Hà Nội");
        assert_eq!(c("l"), r#"["a;b","c"]"#);
        assert_eq!(c("w"), r#"["x"]"#);
        assert_eq!(c("e"), "[]");
        assert_eq!(
            cells_for(&v, &["id", "z", "ok"], true),
            ["=\"079203001234\"", "=\"0\"", "Hà Nội"]
        );
        assert_eq!(cells_for(&v, &["id"], false), ["079203001234"]);
    }
}
