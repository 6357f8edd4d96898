//! The three output formats of one JSON object per input: `json` (the object on one line),
//! `csv` (a header row, then one row per input; nested keys joined with `.`) and `text`
//! (aligned, for people; coloured only when asked to).

use std::fmt::Write as _;
use std::io;

use anstyle::{AnsiColor, Style};
use serde_json::Value;

use cccd::report::{cell, lookup};

use crate::Format;

/// Renders outcomes in one format. Rendering needs only `&self`, so it runs on the worker
/// threads; the batch runner then writes the bytes in input order.
pub struct Renderer {
    format: Format,
    columns: &'static [&'static str],
    color: bool,
    excel: bool,
}

impl Renderer {
    /// A renderer; `columns` are the CSV columns, `color` whether text may be coloured.
    pub fn new(format: Format, columns: &'static [&'static str], color: bool) -> Self {
        Renderer {
            format,
            columns,
            color,
            excel: false,
        }
    }

    /// CSV for Excel: a byte-order mark before the header, IDs kept as text.
    pub fn excel(mut self, yes: bool) -> Self {
        self.excel = yes;
        self
    }

    /// What comes before the first outcome: the CSV header row.
    pub fn header(&self) -> io::Result<Vec<u8>> {
        match self.format {
            Format::Csv => {
                let mut out = if self.excel {
                    "\u{feff}".as_bytes().to_vec()
                } else {
                    Vec::new()
                };
                out.extend(csv_row(self.columns.iter().copied())?);
                Ok(out)
            }
            Format::Json | Format::Text => Ok(Vec::new()),
        }
    }

    /// One outcome: a JSON line, a CSV row, or a text block followed by a blank line.
    pub fn render(&self, value: &Value) -> io::Result<Vec<u8>> {
        match self.format {
            Format::Json => {
                let mut out = cccd::report::to_json(value).into_bytes();
                out.push(b'\n');
                Ok(out)
            }
            Format::Csv => {
                let cells = cccd::report::cells_for(value, self.columns, self.excel);
                csv_row(cells.iter().map(String::as_str))
            }
            Format::Text => {
                let mut out = text(value, self.color);
                out.push('\n');
                Ok(out.into_bytes())
            }
        }
    }
}

fn csv_row<'a>(cells: impl Iterator<Item = &'a str>) -> io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    writer.write_record(cells)?;
    writer.into_inner().map_err(|e| e.into_error())
}

/// The readable form: a status line, then every field as an aligned `key  value` row.
fn text(value: &Value, color: bool) -> String {
    let paint = |style: Style, s: &str| {
        if color {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_owned()
        }
    };
    let ok = value.get("ok").and_then(Value::as_bool).unwrap_or(false);
    let mut rows = Vec::new();
    flatten("", value, &mut rows);
    rows.retain(|(k, _)| k != "ok");
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let status = if ok {
        paint(AnsiColor::Green.on_default().bold(), "ok")
    } else {
        let code = lookup(value, "error.code")
            .and_then(Value::as_str)
            .unwrap_or("error");
        paint(
            AnsiColor::Red.on_default().bold(),
            &format!("failed: {code}"),
        )
    };
    let _ = writeln!(out, "{:width$}  {status}", "status");
    for (key, val) in rows {
        let (key, val) = (escape(&key), escape(&val));
        let val = if key.starts_with("warnings") || key == "expired" && val == "true" {
            paint(AnsiColor::Yellow.on_default(), &val)
        } else {
            val
        };
        let _ = writeln!(
            out,
            "{}  {val}",
            paint(Style::new().dimmed(), &format!("{key:width$}"))
        );
    }
    out
}

/// `s` with what a terminal would act on shown as escapes: C0 and C1 controls, DEL, and
/// the format characters that reorder or hide text (bidi controls, zero-width characters,
/// U+2028/U+2029), as `\u{202e}`; a backslash is doubled so nothing is ambiguous.
pub fn escape(s: &str) -> String {
    let risky = |c: char| {
        c.is_control()
            || c == '\\'
            || matches!(c, '\u{ad}' | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
    };
    if !s.contains(risky) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if risky(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Leaf rows of a JSON value: nested keys joined with `.`, lists of scalars joined with `, `,
/// lists of objects numbered.
fn flatten(prefix: &str, value: &Value, rows: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&key(k), v, rows);
            }
        }
        Value::Array(items) if items.iter().any(Value::is_object) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), item, rows);
            }
        }
        Value::Array(items) => {
            let joined: Vec<String> = items.iter().map(|v| cell(Some(v))).collect();
            let shown = if joined.iter().all(String::is_empty) && !joined.is_empty() {
                format!("{} empty", joined.len())
            } else if joined.is_empty() {
                "-".to_owned()
            } else {
                joined.join(", ")
            };
            rows.push((prefix.to_owned(), shown));
        }
        Value::Null => rows.push((prefix.to_owned(), "-".to_owned())),
        other => rows.push((prefix.to_owned(), cell(Some(other)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_cells_flatten_and_join() {
        let v =
            json!({"a": {"b": 1}, "w": [{"code": "x"}, {"code": "y"}], "r": ["p", "q"], "n": null});
        assert_eq!(cell(lookup(&v, "a.b")), "1");
        assert_eq!(cell(lookup(&v, "w")), r#"["x","y"]"#);
        assert_eq!(cell(lookup(&v, "r")), r#"["p","q"]"#);
        assert_eq!(cell(lookup(&v, "n")), "");
        assert_eq!(cell(lookup(&v, "missing.key")), "");
    }

    #[test]
    fn text_escapes_controls_and_bidi_from_payloads_and_file_names() {
        let v = json!({"ok": true, "file": "a\u{1b}[2Jb\u{202e}.png", "card": {"full_name": "x\\y\u{7}"}});
        let t = text(&v, false);
        assert!(!t.contains(['\u{1b}', '\u{202e}', '\u{7}']), "{t}");
        assert!(t.contains(r"a\u{1b}[2Jb\u{202e}.png"), "{t}");
        assert!(t.contains(r"x\\y\u{7}"), "{t}");
        assert_eq!(escape("Nguyễn Văn Ánh"), "Nguyễn Văn Ánh");
    }

    #[test]
    fn text_is_aligned_and_plain_without_color() {
        let v = json!({"ok": true, "card": {"id_number": "0", "full_name": "A"}});
        let t = text(&v, false);
        assert_eq!(
            t,
            "status          ok\ncard.id_number  0\ncard.full_name  A\n"
        );
        assert!(!t.contains('\u{1b}'));
        assert!(text(&v, true).contains('\u{1b}'));
    }
}
