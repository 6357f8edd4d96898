//! `cccd`: read Vietnamese chip ID cards from the command line.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser as ClapParser, Subcommand, ValueEnum};

mod batch;
mod chip;
mod gen;
mod input;
mod mrz;
mod parse;
mod render;
mod scan;
mod verify;

const AFTER_HELP: &str = "\
Exit status:
  0  every input succeeded (see --fail-on)
  1  an input failed (or had warnings, with --fail-on warnings)
  2  usage error, or an input/output error (unreadable file, full disk)

Examples:
  cccd parse < payloads.txt > results.jsonl
  cccd parse --lenient --format csv --redact < payloads.txt > results.csv
  cccd scan --format csv --redact kiosk-photos/ > cards.csv
  cccd mrz --lenient < ocr-output.txt > mrz.jsonl
  cccd gen --count 1000 --kind mixed --out corpus/
  cccd chip --csca csca.der chip-dumps/*
  cccd verify --qr - --chip chip-dump/ --csca csca.der < payload.txt";

/// Read Vietnamese chip ID cards (CCCD / thẻ căn cước): parse QR payloads and scan photos,
/// validate them in bulk, and generate synthetic samples for testing.
#[derive(Debug, ClapParser)]
#[command(name = "cccd", version, about, long_about = None, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Parse(parse::ParseArgs),
    Scan(scan::ScanArgs),
    Mrz(mrz::MrzArgs),
    Chip(chip::ChipArgs),
    Verify(verify::VerifyArgs),
    Gen(gen::GenArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// Print a shell completion script.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  cccd completions bash > /etc/bash_completion.d/cccd")]
struct CompletionsArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

/// Print the manual page (roff).
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  cccd man > cccd.1 && man ./cccd.1")]
struct ManArgs {}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per line (the default when stdout is not a terminal).
    Json,
    /// A header row, then one row per input; nested keys joined with `.`.
    Csv,
    /// A readable aligned summary (the default on a terminal).
    Text,
}

/// When the exit status is 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// When any input failed (the default).
    Errors,
    /// When any input failed or had warnings.
    Warnings,
    /// Never: 0 unless a usage or I/O error.
    Never,
}

/// Output options shared by `parse` and `scan`.
#[derive(Clone, Debug, Args)]
pub struct OutputArgs {
    /// Output format [default: json when stdout is not a terminal, else text].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Mask personal data in every format: ID numbers keep their first 3 digits (the
    /// birthplace), names become initials, addresses keep only a province named at their
    /// start or end, dates of birth and expiry dates and `id_info.birth_year` are withheld.
    /// File paths (`file`) are the operator's own and are kept; add --no-paths to drop them.
    #[arg(long)]
    pub redact: bool,
    /// Leave out the `file` key (photo paths) from every result.
    #[arg(long)]
    pub no_paths: bool,
    /// CSV for Excel: a UTF-8 byte-order mark first, and digit-only cells that a spreadsheet
    /// would damage (ID numbers, codes with a leading zero) written as text (`="079…"`).
    /// Formula-like cells are neutralised with `'` in every CSV, with or without this.
    #[arg(long)]
    pub excel: bool,
    /// When to exit with status 1.
    #[arg(long, value_enum, default_value = "errors")]
    pub fail_on: FailOn,
    /// No summary line on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The reference date of the card checks, shared by `parse` and `scan`.
#[derive(Clone, Debug, Args)]
pub struct CheckArgs {
    /// The reference date for the checks and `expired` [default: today's local date].
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<cccd::NaiveDate>,
    /// Exit with status 1 when any card has a warning (the same as `--fail-on warnings`).
    #[arg(long)]
    pub strict_checks: bool,
}

impl CheckArgs {
    /// `--today`, or the local date.
    pub fn today(&self) -> cccd::NaiveDate {
        self.today
            .unwrap_or_else(|| cccd::chrono::Local::now().date_naive())
    }

    /// `output` with `--strict-checks` applied.
    pub fn output(&self, output: &OutputArgs) -> OutputArgs {
        let mut output = output.clone();
        if self.strict_checks {
            output.fail_on = FailOn::Warnings;
        }
        output
    }
}

impl OutputArgs {
    /// The format asked for, or the default for where stdout goes.
    pub fn format(&self) -> Format {
        self.format.unwrap_or(if io::stdout().is_terminal() {
            Format::Text
        } else {
            Format::Json
        })
    }
}

/// Whether text on stdout may be coloured: a terminal, and `NO_COLOR` unset or empty.
pub fn color_stdout() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Scan(args) => scan::run(&args),
        Command::Mrz(args) => mrz::run(&args),
        Command::Chip(args) => chip::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Gen(args) => gen::run(&args),
        Command::Completions(args) => {
            let mut cmd = Cli::command();
            clap_complete::generate(args.shell, &mut cmd, "cccd", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man(_) => clap_mangen::Man::new(Cli::command())
            .render(&mut io::stdout())
            .map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`cccd parse | head`) is not an error worth a message.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "cccd: {e}");
            ExitCode::from(2)
        }
    }
}
