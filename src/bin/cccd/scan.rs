//! `cccd scan`: find the card's QR code in photos, in bulk.

use std::io::{self, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use cccd::{Card, Code, NaiveDate, Repair, ScanError, ScannedCard, Scanner};
use serde::Serialize;

use crate::batch::{self, Body, Emit, Job, Outcome};
use crate::input::{self, Line, IMAGE_EXTENSIONS};
use crate::output::{columns, knowledge, Knowledge};
use crate::{CheckArgs, OutputArgs};

/// Find the card's QR code in photos and parse it (PNG, JPEG, WebP, GIF, BMP).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each FILE is an image, or a directory searched recursively for images (by extension: png,
jpg, jpeg, webp, gif, bmp); `-` reads one image from standard input. With no FILE, standard
input lists the files, one path per line. Files are scanned in parallel; the output keeps the
input order.

Examples:
  cccd scan card.jpg
  cccd scan --format csv --redact kiosk-export/ > cards.csv
  find /data/photos -name '*.jpg' | cccd scan --raw
  cccd scan - < card.png")]
pub struct ScanArgs {
    /// Succeed when any QR code is found; do not require a card payload (no "card" key).
    #[arg(long)]
    raw: bool,
    #[command(flatten)]
    checks: CheckArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Image files or directories; with none, standard input lists the files.
    files: Vec<PathBuf>,
}

/// One code in the JSON output.
#[derive(Serialize)]
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
#[derive(Serialize)]
struct ErrorReport {
    code: &'static str,
    message: String,
}

/// The JSON object printed for one file.
#[derive(Serialize)]
struct FileReport<'a> {
    file: &'a str,
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
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    knowledge: Option<Knowledge>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorReport>,
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

/// What to scan.
enum Source {
    Path(PathBuf),
    /// An image read from standard input (`-`).
    Stdin(Vec<u8>),
    /// A path from standard input that could not be a path (too long).
    Unusable(usize),
}

pub fn run(args: &ScanArgs) -> io::Result<ExitCode> {
    quiet_engine_panics();
    let scanner = Scanner::new();
    let today = args.checks.today();
    let output = args.checks.output(&args.output);
    let job = Job {
        name: "scan",
        noun: "file",
        columns: columns(
            &["file", "ok", "elapsed_ms", "codes"],
            &["error.code", "error.message"],
        ),
    };
    let work = |source: Source, emit| scan_one(&scanner, args.raw, today, source, emit);
    if args.files.is_empty() {
        let stdin = io::stdin();
        let paths = input::lines(stdin.lock(), 64 * 1024).map(|line| {
            line.map(|line| match line {
                Line::Payload(bytes) => match String::from_utf8(bytes) {
                    Ok(path) => Source::Path(PathBuf::from(path)),
                    Err(e) => Source::Path(PathBuf::from(
                        String::from_utf8_lossy(e.as_bytes()).into_owned(),
                    )),
                },
                Line::TooLong(len) => Source::Unusable(len),
            })
        });
        return batch::run(&job, &output, paths, None, work);
    }
    let mut sources = Vec::new();
    for path in &args.files {
        if path.as_os_str() == "-" {
            let mut bytes = Vec::new();
            io::stdin().lock().read_to_end(&mut bytes)?;
            sources.push(Source::Stdin(bytes));
        } else if path.is_dir() {
            let found = input::files(std::slice::from_ref(path), IMAGE_EXTENSIONS)?;
            sources.extend(found.into_iter().map(Source::Path));
        } else {
            // A missing or unreadable file is that file's error, not the batch's.
            sources.push(Source::Path(path.clone()));
        }
    }
    let len = sources.len() as u64;
    batch::run(&job, &output, sources.into_iter().map(Ok), Some(len), work)
}

fn scan_one(scanner: &Scanner, raw: bool, today: NaiveDate, source: Source, emit: Emit) -> Outcome {
    let start = Instant::now();
    let (file, result) = match &source {
        Source::Path(path) => {
            let file = path.display().to_string();
            let result = if raw {
                scanner.codes(path).map(Found::Codes)
            } else {
                scanner.card(path).map(|c| Found::Card(Box::new(c)))
            };
            (file, result)
        }
        Source::Stdin(bytes) => {
            let result = if raw {
                scanner.codes(bytes).map(Found::Codes)
            } else {
                scanner.card(bytes).map(|c| Found::Card(Box::new(c)))
            };
            ("-".to_owned(), result)
        }
        Source::Unusable(len) => (
            String::new(),
            Err(ScanError::unreadable_input(
                "unusable_path",
                format!("a path of {len} bytes"),
            )),
        ),
    };
    let elapsed_ms = (start.elapsed().as_secs_f64() * 1e4).round() / 10.0;
    let (codes, card) = match &result {
        Ok(Found::Codes(codes)) => (Some(codes.as_slice()), None),
        Ok(Found::Card(found)) => (Some(found.codes.as_slice()), Some(found)),
        Err(_) => (None, None),
    };
    let report = FileReport {
        file: &file,
        ok: result.is_ok(),
        elapsed_ms,
        codes: codes.map(|codes| codes.iter().map(CodeReport::from).collect()),
        layout: card.map(|c| c.card.layout().as_str()),
        card: card.map(|c| &c.card),
        repairs: card.map(|c| c.repairs.as_slice()),
        knowledge: card.map(|c| knowledge(&c.card, today)),
        error: result.as_ref().err().map(|e| ErrorReport {
            code: e.code().as_str(),
            message: e.to_string(),
        }),
    };
    let warned = report
        .knowledge
        .as_ref()
        .is_some_and(Knowledge::has_warnings);
    Outcome {
        ok: result.is_ok(),
        repaired: card.is_some_and(|c| !c.repairs.is_empty()),
        warned,
        body: Body::new(&report, emit),
    }
}

enum Found {
    Codes(Vec<Code>),
    Card(Box<ScannedCard>),
}
