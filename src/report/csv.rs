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
        "error.message"
    ]
);

/// The columns of `cccd scan --format csv`, in order.
pub const SCAN_COLUMNS: &[&str] = with_card_columns!(
    ["file", "ok", "elapsed_ms", "codes"],
    ["error.code", "error.message"]
);

/// The cells of one row: `value` (a report as JSON) read at each column's path.
///
/// Strings are written as they are, `null` and missing keys as empty cells, lists joined
/// with `;` (objects in a list by their `code`, e.g. warnings, else their `text`).
pub fn cells(value: &Value, columns: &[&str]) -> Vec<String> {
    columns.iter().map(|c| cell(lookup(value, c))).collect()
}

/// The value at a dotted path (`card.id_number`), if any.
pub fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(value, |v, key| v.as_object()?.get(key))
}

/// One cell: a string as it is, `null` or missing as empty, a list joined with `;` (objects
/// by their `code`, else their `text`), anything else as JSON.
pub fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(o) => o
                    .get("code")
                    .or_else(|| o.get("text"))
                    .map_or_else(|| item.to_string(), |v| cell(Some(v))),
                other => cell(Some(other)),
            })
            .collect::<Vec<_>>()
            .join(";"),
        Some(other) => other.to_string(),
    }
}
