//! `cccd scan`: find the card's QR code in photos, in bulk.

use std::ffi::OsStr;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use cccd::report::{Options, ScanReport, Scanned, SCAN_COLUMNS};
use cccd::{ScanError, Scanner, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_MEMORY};

use crate::batch::{self, Body, Emit, Job, Outcome};
use crate::input::{self, Line, IMAGE_EXTENSIONS};
use crate::{CheckArgs, OutputArgs};

/// Find the card's QR code in photos and parse it (PNG, JPEG, WebP, GIF, BMP).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each FILE is an image, or a directory searched recursively for images (by extension: png,
jpg, jpeg, webp, gif, bmp); `-` reads one image from standard input. With no FILE, standard
input lists the files, one path per line (any bytes but newline; names that are not UTF-8 are
opened as given and printed with each such byte as \\xHH, and each backslash as \\\\). Only
regular files are read: a directory, FIFO, device or socket named directly is its own error
line, as is a folder that cannot be read; the run goes on. Files are scanned in parallel, as
many at a time as --max-memory allows at 300 MiB each; the output keeps the input order.

Examples:
  cccd scan card.jpg
  cccd scan --format csv --redact kiosk-export/ > cards.csv
  find /data/photos -name '*.jpg' | cccd scan --raw
  cccd scan - < card.png")]
pub struct ScanArgs {
    /// Succeed when any QR code is found; do not require a card payload (no "card" key).
    #[arg(long)]
    raw: bool,
    /// When a photo holds two or more different card payloads, print one object per card
    /// (each with the photo's "file") instead of the `multiple_cards` error.
    #[arg(long, conflicts_with = "raw")]
    all_cards: bool,
    /// Bound on the memory of the whole command, in MiB: images are scanned at most
    /// MAX_MEMORY / 300 at a time (at least one), each within 300 MiB, or within
    /// MAX_MEMORY when that is smaller.
    #[arg(long, value_name = "MiB", default_value_t = 1024)]
    max_memory: u64,
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
    /// A folder (or an entry in one) that could not be read.
    Unreadable(PathBuf, io::Error),
    /// Standard input over the size cap: bytes seen, cap.
    TooLarge(u64, u64),
}

/// The scanner within a share of the command's memory bound, and how many images may be
/// in flight: the bound divided into 300 MiB shares (at least one image, each within the
/// whole bound when that is smaller).
fn scanner_within(max_memory_mib: u64) -> (Scanner, usize) {
    let total = max_memory_mib.saturating_mul(1 << 20);
    let per_image = DEFAULT_MAX_MEMORY.min(total);
    let jobs = usize::try_from(total / per_image.max(1))
        .unwrap_or(usize::MAX)
        .clamp(
            1,
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        );
    (Scanner::new().max_memory(per_image), jobs)
}

pub fn run(args: &ScanArgs) -> io::Result<ExitCode> {
    quiet_engine_panics();
    let (scanner, jobs) = scanner_within(args.max_memory);
    // The command runs one subcommand: the global pool is this one's. (When a pool exists
    // already, as in tests calling `run` twice, it is kept.)
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build_global();
    let output = args.checks.output(&args.output);
    let opts = Options::new(args.checks.today())
        .raw(args.raw)
        .redact(output.redact);
    let job = Job {
        name: "scan",
        noun: "file",
        columns: SCAN_COLUMNS,
    };
    let all_cards = args.all_cards;
    let work = |source: Source, emit| scan_one(&scanner, &opts, all_cards, source, emit);
    if args.files.is_empty() {
        let paths = || {
            input::lines(io::stdin().lock(), 64 * 1024).map(|line| {
                line.map(|line| match line {
                    Line::Payload(bytes) => Source::Path(path_from_bytes(bytes)),
                    Line::TooLong(len) => Source::Unusable(len),
                })
            })
        };
        return batch::run(&job, &output, paths, None, work);
    }
    let mut sources = Vec::new();
    for path in &args.files {
        if path.as_os_str() == "-" {
            // Capped like a file: `cccd scan - < /dev/zero` ends.
            let cap = DEFAULT_MAX_FILE_SIZE;
            let mut bytes = Vec::new();
            io::stdin().lock().take(cap + 1).read_to_end(&mut bytes)?;
            if bytes.len() as u64 > cap {
                sources.push(Source::TooLarge(bytes.len() as u64, cap));
            } else {
                sources.push(Source::Stdin(bytes));
            }
        } else if path.is_dir() {
            walk(path, &mut sources);
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

fn scan_one(
    scanner: &Scanner,
    opts: &Options,
    all_cards: bool,
    source: Source,
    emit: Emit,
) -> Outcome {
    let start = Instant::now();
    if all_cards {
        let (input, file): (cccd::ScanInput<'_>, String) = match &source {
            Source::Path(path) => (path.as_path().into(), printable(path)),
            Source::Stdin(bytes) => (bytes.into(), "-".to_owned()),
            _ => return scan_one(scanner, opts, false, source, emit),
        };
        match scanner.cards(input) {
            Ok(cards) => {
                let elapsed = start.elapsed();
                let reports: Vec<ScanReport> = cards
                    .into_iter()
                    .map(|card| {
                        let found = Ok(Scanned::Card(Box::new(card)));
                        let mut report = ScanReport::new(found, elapsed, opts);
                        report.file = Some(file.clone());
                        report
                    })
                    .collect();
                return Outcome {
                    ok: true,
                    repaired: reports.iter().any(ScanReport::is_repaired),
                    warned: reports.iter().any(ScanReport::has_warnings),
                    body: Body::Many(reports.iter().map(|r| Body::new(r, emit)).collect()),
                };
            }
            Err(e) => {
                let mut report = ScanReport::new(Err(e), start.elapsed(), opts);
                report.file = Some(file);
                return Outcome {
                    ok: false,
                    repaired: false,
                    warned: false,
                    body: Body::new(&report, emit),
                };
            }
        }
    }
    let scan = |bytes: Option<&[u8]>, path: Option<&std::path::Path>| {
        let result = match (opts.raw, bytes, path) {
            (true, Some(b), _) => scanner.codes(b).map(Scanned::Codes),
            (true, None, Some(p)) => scanner.codes(p).map(Scanned::Codes),
            (false, Some(b), _) => scanner.card(b).map(|c| Scanned::Card(Box::new(c))),
            (false, None, Some(p)) => scanner.card(p).map(|c| Scanned::Card(Box::new(c))),
            (_, None, None) => Err(ScanError::unreadable_input("no_input", "no input")),
        };
        ScanReport::new(result, start.elapsed(), opts)
    };
    let mut report = match &source {
        Source::Path(path) => {
            let mut report = scan(None, Some(path));
            report.file = Some(printable(path));
            report
        }
        Source::Stdin(bytes) => {
            let mut report = scan(Some(bytes), None);
            report.file = Some("-".to_owned());
            report
        }
        Source::Unusable(len) => {
            let result = Err(ScanError::unreadable_input(
                "unusable_path",
                format!("a path of {len} bytes"),
            ));
            ScanReport::new(result, start.elapsed(), opts)
        }
        Source::TooLarge(len, cap) => {
            let result = Err(ScanError::file_too_large(*len, *cap));
            let mut report = ScanReport::new(result, start.elapsed(), opts);
            report.file = Some("-".to_owned());
            report
        }
        Source::Unreadable(path, e) => {
            let reason = match e.kind() {
                io::ErrorKind::NotFound => "file_not_found",
                io::ErrorKind::PermissionDenied => "permission_denied",
                _ => "io_error",
            };
            let result = Err(ScanError::unreadable_input(
                reason,
                format!("folder: {}", e.kind()),
            ));
            let mut report = ScanReport::new(result, start.elapsed(), opts);
            report.file = Some(printable(path));
            report
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

/// Adds the images under `dir` (by extension, recursively, in path order; symbolic links to
/// folders are not followed) to `out`; a folder or entry that cannot be read becomes one
/// error line and the walk goes on.
fn walk(dir: &Path, out: &mut Vec<Source>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return out.push(Source::Unreadable(dir.to_path_buf(), e)),
    };
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(e) => out.push(Source::Unreadable(dir.to_path_buf(), e)),
        }
    }
    paths.sort();
    for path in paths {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, out),
            Ok(_) if is_image_name(&path) => out.push(Source::Path(path)),
            Ok(_) => {}
            Err(e) => out.push(Source::Unreadable(path, e)),
        }
    }
}

fn is_image_name(path: &Path) -> bool {
    path.extension()
        .and_then(OsStr::to_str)
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// A path read from standard input: its bytes as they are (on Unix; elsewhere names that
/// are not UTF-8 cannot be opened and are read lossily).
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// A path for output, without loss: UTF-8 as it is, each backslash doubled, each byte that
/// is not UTF-8 as `\xHH`; two different names never print the same.
fn printable(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(&chunk.valid().replace('\\', "\\\\"));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_paths_stay_distinct() {
        assert_eq!(printable(Path::new("kiosk/card 1.jpg")), "kiosk/card 1.jpg");
        assert_eq!(printable(Path::new("a\\b.png")), "a\\\\b.png");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let ff = printable(Path::new(OsStr::from_bytes(b"x\xff.png")));
            let fe = printable(Path::new(OsStr::from_bytes(b"x\xfe.png")));
            assert_eq!((ff.as_str(), fe.as_str()), ("x\\xFF.png", "x\\xFE.png"));
            // A UTF-8 name spelling the escape differs from the byte it spells.
            assert_ne!(printable(Path::new("x\\xFF.png")), ff);
        }
    }

    #[test]
    fn walks_folders_for_images_in_name_order_and_reports_unreadable_ones() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/c")).unwrap();
        for f in ["a.PNG", "b/c/z.jpg", "b/c/notes.txt", "b/y.webp", "readme"] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let mut found = Vec::new();
        walk(d, &mut found);
        walk(&d.join("nope"), &mut found);
        let names: Vec<String> = found
            .iter()
            .map(|s| match s {
                Source::Path(p) => p.strip_prefix(d).unwrap().to_string_lossy().into_owned(),
                Source::Unreadable(p, e) => format!("{} {:?}", p.display(), e.kind()),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(names[..3], ["a.PNG", "b/c/z.jpg", "b/y.webp"]);
        assert_eq!(names[3], format!("{} NotFound", d.join("nope").display()));
    }

    #[test]
    fn memory_bound_sets_the_images_in_flight() {
        assert_eq!(scanner_within(100).1, 1);
        assert!(scanner_within(1024).1 <= 3);
    }
}
