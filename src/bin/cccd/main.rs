//! `cccd`: read Vietnamese chip ID card payloads from the command line.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser as ClapParser, Subcommand, ValueEnum};

mod output;
mod parse;
mod scan;

/// Read Vietnamese chip ID cards (CCCD / thẻ căn cước): parse QR payloads, scan photos.
#[derive(Debug, ClapParser)]
#[command(name = "cccd", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Parse(parse::ParseArgs),
    Scan(scan::ScanArgs),
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object per line (the default when stdout is not a terminal).
    Json,
    /// A readable aligned summary (the default on a terminal).
    Text,
}

impl Format {
    /// The format asked for, or the default for where stdout goes.
    pub fn resolve(format: Option<Format>) -> Format {
        format.unwrap_or(if io::stdout().is_terminal() {
            Format::Text
        } else {
            Format::Json
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Scan(args) => scan::run(&args),
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
