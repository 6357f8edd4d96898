//! `cccd parse`.

use std::ffi::OsString;
use std::io;
use std::process::ExitCode;

use cccd::{Error, NaiveDate, Parser, MAX_PAYLOAD_LEN};

use crate::batch::{self, Job};
use crate::input::{self, Line};
use crate::output::parse_outcome;
use crate::{FailOn, OutputArgs};

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
    /// The reference date for the checks and `expired` [default: today's local date].
    #[arg(long, value_name = "YYYY-MM-DD")]
    today: Option<NaiveDate>,
    /// Exit with status 1 when any card has a warning (the same as `--fail-on warnings`).
    #[arg(long)]
    strict_checks: bool,
    #[command(flatten)]
    output: OutputArgs,
    /// Payloads to parse; with none, each line of standard input is one payload.
    payloads: Vec<OsString>,
}

/// The CSV columns of `cccd parse`: the JSON keys, nested ones joined with `.`.
pub const COLUMNS: &[&str] = &[
    "ok",
    "layout",
    "card.id_number",
    "card.old_id_number",
    "card.full_name",
    "card.date_of_birth",
    "card.sex",
    "card.address",
    "card.issue_date",
    "card.extra_fields",
    "repairs",
    "id_info.birthplace.kind",
    "id_info.birthplace.code",
    "id_info.birthplace.name",
    "id_info.birthplace.province_since_2025",
    "id_info.birthplace.iso",
    "id_info.century",
    "id_info.sex",
    "id_info.birth_year",
    "expiry.date",
    "expiry.never",
    "expiry.law",
    "expired",
    "full_name_ascii",
    "warnings",
    "error.code",
    "error.field",
    "error.offset",
    "error.message",
];

const JOB: Job = Job {
    name: "parse",
    noun: "payload",
    columns: COLUMNS,
};

pub fn run(args: &ParseArgs) -> io::Result<ExitCode> {
    let parser = Parser::new().lenient(args.lenient);
    let today = args
        .today
        .unwrap_or_else(|| cccd::chrono::Local::now().date_naive());
    let mut output = args.output.clone();
    if args.strict_checks {
        output.fail_on = FailOn::Warnings;
    }
    let output = &output;
    let work = |line: Line, emit| match line {
        Line::Payload(bytes) => parse_outcome(&parser.parse_bytes(&bytes), today, emit),
        Line::TooLong(len) => parse_outcome(&Err(Error::too_long(len)), today, emit),
    };
    if args.payloads.is_empty() {
        let stdin = io::stdin();
        let lines = input::lines(stdin.lock(), MAX_PAYLOAD_LEN);
        batch::run(&JOB, output, lines, None, work)
    } else {
        let payloads = args
            .payloads
            .iter()
            .map(|p| Ok(Line::Payload(p.as_encoded_bytes().to_vec())));
        let len = args.payloads.len() as u64;
        batch::run(&JOB, output, payloads, Some(len), work)
    }
}
