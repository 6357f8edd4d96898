//! The three output formats of one JSON object per input: `json` (the object on one line),
//! `csv` (a header row, then one row per input; nested keys joined with `.`) and `text`
//! (aligned, for people; coloured only when asked to).

use std::fmt::Write as _;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde_json::Value;

use crate::Format;

/// Writes outcomes in one format.
pub struct Renderer<W: Write> {
    kind: Kind<W>,
}

enum Kind<W: Write> {
    Json(W),
    Csv {
        writer: Box<csv::Writer<W>>,
        columns: &'static [&'static str],
        header_written: bool,
    },
    Text {
        out: W,
        color: bool,
        first: bool,
    },
}

impl<W: Write> Renderer<W> {
    /// A renderer; `columns` are the CSV columns, `color` whether text may be coloured.
    pub fn new(out: W, format: Format, columns: &'static [&'static str], color: bool) -> Self {
        let kind = match format {
            Format::Json => Kind::Json(out),
            Format::Csv => Kind::Csv {
                writer: Box::new(csv::Writer::from_writer(out)),
                columns,
                header_written: false,
            },
            Format::Text => Kind::Text {
                out,
                color,
                first: true,
            },
        };
        Renderer { kind }
    }

    /// Writes one outcome.
    pub fn write(&mut self, value: &Value) -> io::Result<()> {
        match &mut self.kind {
            Kind::Json(out) => {
                serde_json::to_writer(&mut *out, value)?;
                out.write_all(b"\n")
            }
            Kind::Csv {
                writer,
                columns,
                header_written,
            } => {
                if !*header_written {
                    writer.write_record(columns.iter())?;
                    *header_written = true;
                }
                writer.write_record(columns.iter().map(|c| cell(lookup(value, c))))?;
                Ok(())
            }
            Kind::Text { out, color, first } => {
                if !*first {
                    out.write_all(b"\n")?;
                }
                *first = false;
                out.write_all(text(value, *color).as_bytes())
            }
        }
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.kind {
            Kind::Json(out) | Kind::Text { out, .. } => out.flush(),
            Kind::Csv { writer, .. } => writer.flush(),
        }
    }

    /// Ends the output: a CSV file with no rows still gets its header.
    pub fn finish(&mut self) -> io::Result<()> {
        if let Kind::Csv {
            writer,
            columns,
            header_written: header_written @ false,
        } = &mut self.kind
        {
            writer.write_record(columns.iter())?;
            *header_written = true;
        }
        self.flush()
    }
}

/// The value at a dotted path (`card.id_number`), if any.
pub fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(value, |v, key| v.as_object()?.get(key))
}

/// One CSV cell: strings as they are, `null` and missing as empty, lists joined with `;`
/// (objects in a list by their `code`, e.g. warnings; else their `text`).
fn cell(value: Option<&Value>) -> String {
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
        assert_eq!(cell(lookup(&v, "w")), "x;y");
        assert_eq!(cell(lookup(&v, "r")), "p;q");
        assert_eq!(cell(lookup(&v, "n")), "");
        assert_eq!(cell(lookup(&v, "missing.key")), "");
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
