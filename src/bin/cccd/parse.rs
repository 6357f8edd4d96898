//! `cccd parse`.

use std::ffi::OsString;
use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use cccd::{NaiveDate, Parser};

use crate::output::{write_json, write_text, ParseReport};
use crate::Format;

/// Parse card payloads given as arguments, or one per line of standard input.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cccd parse '079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021'\n  cccd parse --lenient --format json < payloads.txt"
)]
pub struct ParseArgs {
    /// Repair BOMs, whitespace, line endings, NFD text and mojibake (each repair is reported).
    #[arg(long)]
    lenient: bool,
    /// Output format [default: json when stdout is not a terminal, else text].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The reference date for the checks and `expired` (YYYY-MM-DD) [default: today's local
    /// date].
    #[arg(long, value_name = "YYYY-MM-DD")]
    today: Option<NaiveDate>,
    /// Exit with status 1 when any card has a warning (for batch validation).
    #[arg(long)]
    strict_checks: bool,
    /// Payloads to parse; with none, each line of standard input is one payload (blank lines
    /// are skipped).
    payloads: Vec<OsString>,
}

pub fn run(args: &ParseArgs) -> io::Result<ExitCode> {
    let parser = Parser::new().lenient(args.lenient);
    let format = Format::resolve(args.format);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut failed = false;
    let mut one = |bytes: &[u8]| -> io::Result<()> {
        let result = parser.parse_bytes(bytes);
        failed |= match &result {
            Err(_) => true,
            Ok(parsed) => args.strict_checks && !parsed.card.check(today).is_empty(),
        };
        match format {
            Format::Json => write_json(&mut out, &ParseReport::new(&result, today)),
            Format::Text => write_text(&mut out, &result, today),
        }
    };
    if args.payloads.is_empty() {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        let mut line = Vec::new();
        loop {
            line.clear();
            if input.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            let payload = strip_line_end(&line);
            if !payload.is_empty() {
                one(payload)?;
            }
        }
    } else {
        for payload in &args.payloads {
            one(payload.as_encoded_bytes())?;
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A line without its final `\n` or `\r\n`.
fn strip_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}
