//! `cccd chip`: read and verify chip dumps (one folder of files per chip).

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use cccd::report::{ChipReport, CHIP_COLUMNS};
use cccd::{Chip, TrustAnchors};

use crate::batch::{self, Body, Job, Outcome};
use crate::OutputArgs;

/// Read the files an NFC or PC/SC reader dumped from a card's chip, check them against each
/// other and run passive authentication.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Each DIR holds one chip's files as a reader dumps them: com.bin, dg1.bin, dg2.bin, dg13.bin,
sod.bin (dg14.bin, dg15.bin, … if read). Passive authentication checks every data group's hash
against sod.bin, the signature with the document signer certificate inside it, and that
certificate against the CSCA certificates given with --csca (DER or PEM; none is bundled).
Without --csca the best outcome is chain_not_verified. A verified chip proves the data was
signed by the holder of the CSCA you gave, nothing about who holds the card.

With --fail-on warnings, any outcome other than verified, or a DG1/DG13 disagreement, exits 1.

Examples:
  cccd gen --format chip --count 3 --out chips/
  cccd chip --csca chips/csca.der chips/000001 chips/000002
  cccd chip --csca csca.pem --redact --format csv dumps/*")]
pub struct ChipArgs {
    /// A trusted CSCA certificate file (DER or PEM, one or more certificates); repeatable.
    #[arg(long, value_name = "FILE")]
    csca: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Folders of chip files.
    #[arg(required = true, value_name = "DIR")]
    dirs: Vec<PathBuf>,
}

pub fn run(args: &ChipArgs) -> io::Result<ExitCode> {
    let anchors = trust_anchors(&args.csca)?;
    let job = Job {
        name: "chip",
        noun: "chip",
        columns: CHIP_COLUMNS,
    };
    let work = |dir: PathBuf, emit| {
        let chip = Chip::from_dir(&dir);
        let report = ChipReport::new(
            Some(dir.display().to_string()),
            chip.as_ref(),
            &anchors,
            args.output.redact,
        );
        Outcome {
            body: Body::new(&report, emit),
            ok: report.is_ok(),
            repaired: false,
            warned: report.has_warnings(),
        }
    };
    let len = args.dirs.len() as u64;
    batch::run(
        &job,
        &args.output,
        || args.dirs.iter().cloned().map(Ok),
        Some(len),
        work,
    )
}

/// The trust anchors in the CSCA certificate files `paths` (DER or PEM).
pub fn trust_anchors(paths: &[PathBuf]) -> io::Result<TrustAnchors> {
    let mut anchors = TrustAnchors::new();
    for path in paths {
        anchors.add_file(path).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?;
    }
    Ok(anchors)
}
