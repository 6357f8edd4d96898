//! The JSON and text shapes of a parse outcome: the public contract of `cccd parse`.

use std::io::{self, Write};

use cccd::{Card, Error, Parsed, Repair};
use serde::Serialize;

/// The JSON object printed for one payload.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ParseReport<'a> {
    /// A parsed card.
    Ok {
        /// Always `true`.
        ok: bool,
        /// `"2021"` or `"2024"`.
        layout: &'static str,
        /// The card's fields.
        card: &'a Card<'a>,
        /// Repair codes, in the order applied.
        repairs: &'a [Repair],
    },
    /// A payload that did not parse.
    Failed {
        /// Always `false`.
        ok: bool,
        /// What went wrong.
        error: ErrorReport,
    },
}

/// The `"error"` object.
#[derive(Debug, Serialize)]
pub struct ErrorReport {
    /// Machine-readable code.
    pub code: &'static str,
    /// The field, or `null`.
    pub field: Option<&'static str>,
    /// Byte offset in the input.
    pub offset: usize,
    /// Human-readable message (never contains the payload).
    pub message: String,
}

impl From<&Error> for ErrorReport {
    fn from(e: &Error) -> Self {
        ErrorReport {
            code: e.code().as_str(),
            field: e.field().map(|f| f.as_str()),
            offset: e.offset(),
            message: e.to_string(),
        }
    }
}

impl<'a> ParseReport<'a> {
    pub fn new(result: &'a Result<Parsed<'a>, Error>) -> Self {
        match result {
            Ok(parsed) => ParseReport::Ok {
                ok: true,
                layout: parsed.card.layout().as_str(),
                card: &parsed.card,
                repairs: &parsed.repairs,
            },
            Err(e) => ParseReport::Failed {
                ok: false,
                error: e.into(),
            },
        }
    }
}

/// Writes one JSON object and a newline.
pub fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Writes a readable, aligned summary of one parse outcome, then a blank line.
pub fn write_text(out: &mut impl Write, result: &Result<Parsed<'_>, Error>) -> io::Result<()> {
    let row = |out: &mut dyn Write, key: &str, value: &dyn std::fmt::Display| {
        writeln!(out, "{key:<14} {value}")
    };
    match result {
        Ok(Parsed { card, repairs }) => {
            row(
                out,
                "status",
                &format_args!("ok (layout {})", card.layout()),
            )?;
            row(out, "id_number", card.id_number())?;
            let old = card
                .old_id_number()
                .map_or("(none)".to_owned(), |o| o.to_string());
            row(out, "old_id_number", &old)?;
            row(out, "full_name", &card.full_name())?;
            row(out, "date_of_birth", &card.date_of_birth())?;
            row(out, "sex", &card.sex())?;
            row(out, "address", &card.address())?;
            row(out, "issue_date", &card.issue_date())?;
            if card.extra_fields().len() > 0 {
                let extra: Vec<&str> = card.extra_fields().collect();
                row(out, "extra_fields", &format_args!("{extra:?}"))?;
            }
            if !repairs.is_empty() {
                let codes: Vec<&str> = repairs.iter().map(|r| r.code()).collect();
                row(out, "repairs", &codes.join(", "))?;
            }
        }
        Err(e) => {
            row(out, "status", &format_args!("error ({})", e.code()))?;
            row(out, "message", e)?;
        }
    }
    writeln!(out)
}
