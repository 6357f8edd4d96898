//! `cccd scan`: find the card's QR code in photos, in bulk.

use std::io::{self, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use cccd::report::{Options, ScanReport, Scanned, SCAN_COLUMNS};
use cccd::{ScanError, Scanner};

use crate::batch::{self, Body, Emit, Job, Outcome};
use crate::input::{self, Line, IMAGE_EXTENSIONS};
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
    let output = args.checks.output(&args.output);
    let opts = Options::new(args.checks.today())
        .raw(args.raw)
        .redact(output.redact);
    let job = Job {
        name: "scan",
        noun: "file",
        columns: SCAN_COLUMNS,
    };
    let work = |source: Source, emit| scan_one(&scanner, &opts, source, emit);
    if args.files.is_empty() {
        let paths = || {
            input::lines(io::stdin().lock(), 64 * 1024).map(|line| {
                line.map(|line| match line {
                    Line::Payload(bytes) => match String::from_utf8(bytes) {
                        Ok(path) => Source::Path(PathBuf::from(path)),
                        Err(e) => Source::Path(PathBuf::from(
                            String::from_utf8_lossy(e.as_bytes()).into_owned(),
                        )),
                    },
                    Line::TooLong(len) => Source::Unusable(len),
                })
            })
        };
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
    batch::run(
        &job,
        &output,
        || sources.into_iter().map(Ok),
        Some(len),
        work,
    )
}

fn scan_one(scanner: &Scanner, opts: &Options, source: Source, emit: Emit) -> Outcome {
    let start = Instant::now();
    let scan = |bytes: Option<&[u8]>, path: Option<&std::path::Path>| {
        let result = match (opts.raw, bytes, path) {
            (true, Some(b), _) => scanner.scan_bytes(b).map(Scanned::Codes),
            (true, None, Some(p)) => scanner.scan_path(p).map(Scanned::Codes),
            (false, Some(b), _) => scanner
                .scan_card_bytes(b)
                .map(|c| Scanned::Card(Box::new(c))),
            (false, None, Some(p)) => scanner
                .scan_card_path(p)
                .map(|c| Scanned::Card(Box::new(c))),
            (_, None, None) => Err(ScanError::NotFound),
        };
        ScanReport::new(result, start.elapsed(), opts)
    };
    let mut report = match &source {
        Source::Path(path) => {
            let mut report = scan(None, Some(path));
            report.file = Some(path.display().to_string());
            report
        }
        Source::Stdin(bytes) => {
            let mut report = scan(Some(bytes), None);
            report.file = Some("-".to_owned());
            report
        }
        Source::Unusable(len) => {
            let result = Err(ScanError::UnreadableImage {
                reason: format!("a path of {len} bytes"),
            });
            ScanReport::new(result, start.elapsed(), opts)
        }
    };
    if report.file.is_none() {
        report.file = Some(String::new());
    }
    Outcome {
        ok: report.is_ok(),
        repaired: report.is_repaired(),
        warned: report.has_warnings(),
        body: Body::new(&report, emit),
    }
}
