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
skipped. Payloads are parsed in parallel; the output keeps the input order.

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

pub fn run(args: &ParseArgs) -> io::Result<ExitCode> {
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
    let work = |line: Line, emit| match line {
        Line::Payload(bytes) => outcome(&ParseReport::new(parser.parse_bytes(&bytes), &opts), emit),
        Line::TooLong(len) => outcome(&ParseReport::new(Err(Error::too_long(len)), &opts), emit),
    };
    if args.payloads.is_empty() {
        let stdin = io::stdin();
        let lines = input::lines(stdin.lock(), MAX_PAYLOAD_LEN);
        batch::run(&job, output, lines, None, work)
    } else {
        let payloads = args
            .payloads
            .iter()
            .map(|p| Ok(Line::Payload(p.as_encoded_bytes().to_vec())));
        let len = args.payloads.len() as u64;
        batch::run(&job, output, payloads, Some(len), work)
    }
}

/// The outcome of one payload, for the batch runner.
fn outcome(report: &ParseReport<'_>, emit: Emit) -> Outcome {
    Outcome {
        body: Body::new(report, emit),
        ok: report.is_ok(),
        repaired: report.is_repaired(),
        warned: report.has_warnings(),
    }
}
