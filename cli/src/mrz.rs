//! `cccd mrz`.

use std::ffi::OsString;
use std::io;
use std::process::ExitCode;

use cccd::mrz::{Error, MAX_LEN};
use cccd::report::{MrzReport, Options, MRZ_COLUMNS};

use crate::batch::{self, Body, Emit, Job, Outcome};
use crate::input::{self, Line};
use crate::{CheckArgs, OutputArgs};

/// Read the MRZ on the back of cards (3 lines of 30 characters, or the 90 characters of the
/// chip's DG1 on one line).
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each argument is one MRZ, its lines separated by newlines. With no argument, or `-`, standard
input holds the MRZs, separated by blank lines. The output keeps the input order.

Examples:
  cccd mrz \"$(printf 'IDVNM2030123450079203012345<<0\\n0302014M2802013VNM<<<<<<<<<<<4\\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<')\"
  cccd mrz --lenient < ocr-output.txt > mrz.jsonl
  cccd mrz --lenient --format csv --redact - < ocr-output.txt")]
pub struct MrzArgs {
    /// Repair what OCR and keyboard-wedge readers produce (whitespace, CR LF, lower case,
    /// lines cut differently, O/I/B/S for 0/1/8/5 where a check digit confirms it); each
    /// repair is reported.
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    checks: CheckArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// MRZs to read (`-`: standard input); with none, standard input.
    #[arg(value_name = "LINES")]
    mrzs: Vec<OsString>,
}

pub fn run(args: &MrzArgs) -> io::Result<ExitCode> {
    let output = &args.checks.output(&args.output);
    let opts = Options::new(args.checks.today())
        .lenient(args.lenient)
        .redact(output.redact);
    let parser = opts.mrz_parser();
    let job = Job {
        name: "mrz",
        noun: "MRZ",
        columns: MRZ_COLUMNS,
    };
    let work = |line: Line, emit| match line {
        Line::Payload(bytes) => outcome(&MrzReport::new(parser.parse_bytes(&bytes), &opts), emit),
        Line::TooLong(len) => outcome(&MrzReport::new(Err(Error::too_long(len)), &opts), emit),
    };
    let stdin_only = args.mrzs.is_empty() || args.mrzs.iter().all(|m| m == "-");
    if stdin_only {
        let blocks = || input::blocks(io::stdin().lock(), MAX_LEN);
        batch::run(&job, output, blocks, None, work)
    } else if args.mrzs.iter().any(|m| m == "-") {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "`-` (standard input) cannot be mixed with MRZ arguments",
        ))
    } else {
        let mrzs = || {
            args.mrzs
                .iter()
                .map(|m| Ok(Line::Payload(m.as_encoded_bytes().to_vec())))
        };
        let len = args.mrzs.len() as u64;
        batch::run(&job, output, mrzs, Some(len), work)
    }
}

/// The outcome of one MRZ, for the batch runner.
fn outcome(report: &MrzReport, emit: Emit) -> Outcome {
    Outcome {
        body: Body::new(report, emit),
        ok: report.is_ok(),
        repaired: report.is_repaired(),
        warned: report.has_warnings(),
    }
}
