//! `cccd parse`.

use std::ffi::OsString;
use std::io;
use std::process::ExitCode;

use cccd::report::{Options, ParseReport, PARSE_COLUMNS};
use cccd::{Error, MAX_PAYLOAD_LEN};

use crate::batch::{self, Body, Emit, Job, Outcome};
use crate::input::{self, Line};
use crate::{CheckArgs, OutputArgs};

/// Parse card payloads given as arguments, or one per line of standard input.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each line of standard input is one payload: a final LF or CR LF ends a line, blank lines are
skipped. Payloads are parsed in parallel; the output keeps the input order, each result
written as soon as it and all before it are ready, with `line` (its input line). A file is
read from standard input (`cccd parse < payloads.txt`); naming it as an argument is a usage
error.

Examples:
  cccd parse '079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021'
  cccd parse --lenient < payloads.txt > results.jsonl
  cccd parse --lenient --format csv --redact --fail-on warnings < payloads.txt
  cccd parse --today 2026-01-01 --strict-checks < payloads.txt")]
pub struct ParseArgs {
    /// Repair BOMs, whitespace, line endings, NFD text and mojibake (each repair is reported).
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    checks: CheckArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Payloads to parse; with none, each line of standard input is one payload.
    payloads: Vec<OsString>,
}

/// A report with the input line it answers (standard input only).
#[derive(serde::Serialize)]
struct Numbered<'r, 'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(flatten)]
    report: &'r ParseReport<'a>,
}

/// A usage error when an argument names an existing file: payloads never look like paths, and
/// the operator surely meant to read the file.
fn refuse_file_arguments(payloads: &[OsString]) -> io::Result<()> {
    for p in payloads {
        let path = std::path::Path::new(p);
        if !p.as_encoded_bytes().contains(&b'|') && path.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is a file, not a payload; to parse one payload per line, run: cccd parse < {}",
                    path.display(),
                    path.display()
                ),
            ));
        }
    }
    Ok(())
}

pub fn run(args: &ParseArgs) -> io::Result<ExitCode> {
    refuse_file_arguments(&args.payloads)?;
    let output = &args.checks.output(&args.output);
    let opts = Options::new(args.checks.today())
        .lenient(args.lenient)
        .redact(output.redact);
    let parser = opts.parser();
    let job = Job {
        name: "parse",
        noun: "payload",
        columns: PARSE_COLUMNS,
    };
    let work = |(line, input): (Option<u64>, Line), emit| match input {
        Line::Payload(bytes) => outcome(
            line,
            &ParseReport::new(parser.parse_bytes(&bytes), &opts),
            emit,
        ),
        Line::TooLong(len) => outcome(
            line,
            &ParseReport::new(Err(Error::too_long(len)), &opts),
            emit,
        ),
    };
    if args.payloads.is_empty() {
        let lines = || {
            input::numbered_lines(io::stdin().lock(), MAX_PAYLOAD_LEN)
                .map(|r| r.map(|(n, line)| (Some(n), line)))
        };
        batch::run(&job, output, lines, None, work)
    } else {
        let payloads = || {
            args.payloads
                .iter()
                .map(|p| Ok((None, Line::Payload(p.as_encoded_bytes().to_vec()))))
        };
        let len = args.payloads.len() as u64;
        batch::run(&job, output, payloads, Some(len), work)
    }
}

/// The outcome of one payload, for the batch runner.
fn outcome(line: Option<u64>, report: &ParseReport<'_>, emit: Emit) -> Outcome {
    Outcome {
        body: Body::new(&Numbered { line, report }, emit),
        ok: report.is_ok(),
        repaired: report.is_repaired(),
        warned: report.has_warnings(),
    }
}
