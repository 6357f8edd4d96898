//! `cccd scan`: find the card's QR code in photos.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use cccd::{Card, Code, Repair, ScanError, Scanner};
use serde::Serialize;

use crate::output::write_json;
use crate::Format;

/// Find the card's QR code in photos and parse it (PNG, JPEG, WebP, GIF, BMP).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cccd scan card.jpg\n  cccd scan --raw --format json photos/*.png\n\nExit status: 0 when every file succeeded, 1 otherwise."
)]
pub struct ScanArgs {
    /// Succeed when any QR code is found; do not require a card payload (no "card" key).
    #[arg(long)]
    raw: bool,
    /// Output format [default: json when stdout is not a terminal, else text].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Image files, reported in this order.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// The library catches panics inside the QR engines (rqrr has known ones) and goes on with
/// the next step; keep their messages off the terminal. Any other panic is reported as usual.
fn quiet_engine_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let engine = info.location().is_some_and(|l| {
            let file = l.file().replace('\\', "/");
            file.contains("/rqrr-") || file.contains("/rxing-")
        });
        if !engine {
            default(info);
        }
    }));
}

/// One code in the JSON output.
#[derive(Debug, Serialize)]
struct CodeReport<'a> {
    text: &'a str,
    corners: [[f32; 2]; 4],
    engine: &'static str,
    step: &'static str,
}

impl<'a> From<&'a Code> for CodeReport<'a> {
    fn from(c: &'a Code) -> Self {
        CodeReport {
            text: &c.text,
            corners: c.corners.map(|(x, y)| [x, y]),
            engine: c.engine.as_str(),
            step: c.step.as_str(),
        }
    }
}

/// The `"error"` object.
#[derive(Debug, Serialize)]
struct ErrorReport {
    code: &'static str,
    message: String,
}

/// The JSON object printed for one file.
#[derive(Debug, Serialize)]
struct FileReport<'a> {
    file: String,
    ok: bool,
    elapsed_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    codes: Option<Vec<CodeReport<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<&'a Card<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repairs: Option<&'a [Repair]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorReport>,
}

pub fn run(args: &ScanArgs) -> io::Result<ExitCode> {
    quiet_engine_panics();
    let scanner = Scanner::new();
    let format = Format::resolve(args.format);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut failed = false;
    for path in &args.files {
        let start = Instant::now();
        let (codes, card, error) = if args.raw {
            match scanner.scan_path(path) {
                Ok(codes) => (codes, None, None),
                Err(e) => (Vec::new(), None, Some(e)),
            }
        } else {
            match scanner.scan_card_path(path) {
                Ok(found) => (found.codes.clone(), Some(found), None),
                Err(e) => (Vec::new(), None, Some(e)),
            }
        };
        let elapsed_ms = (start.elapsed().as_secs_f64() * 1e4).round() / 10.0;
        failed |= error.is_some();
        let file = path.display().to_string();
        match format {
            Format::Json => {
                let report = FileReport {
                    file,
                    ok: error.is_none(),
                    elapsed_ms,
                    codes: error
                        .is_none()
                        .then(|| codes.iter().map(CodeReport::from).collect()),
                    layout: card.as_ref().map(|c| c.parsed.card.layout().as_str()),
                    card: card.as_ref().map(|c| &c.parsed.card),
                    repairs: card.as_ref().map(|c| c.parsed.repairs.as_slice()),
                    error: error.as_ref().map(|e: &ScanError| ErrorReport {
                        code: e.code(),
                        message: e.to_string(),
                    }),
                };
                write_json(&mut out, &report)?;
            }
            Format::Text => {
                writeln!(out, "{:<14} {file}", "file")?;
                writeln!(out, "{:<14} {elapsed_ms} ms", "elapsed")?;
                if let Some(e) = &error {
                    writeln!(out, "{:<14} error ({})", "status", e.code())?;
                    writeln!(out, "{:<14} {e}", "message")?;
                    writeln!(out)?;
                    continue;
                }
                for c in &codes {
                    writeln!(out, "{:<14} {} / {}", "code", c.engine, c.step)?;
                    if args.raw {
                        writeln!(out, "{:<14} {}", "text", c.text.escape_debug())?;
                    }
                }
                match card {
                    Some(found) => crate::output::write_text(&mut out, &Ok(found.parsed))?,
                    None => writeln!(out)?,
                }
            }
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
