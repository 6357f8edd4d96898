//! `cccd verify`: one card read through several records, cross-checked.

use std::ffi::OsString;
use std::io::{self, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use cccd::report::{self, Options, Records, VERIFY_COLUMNS};

use crate::batch::{self, Body, Job, Outcome};
use crate::{CheckArgs, OutputArgs};

/// The most `-` reads from standard input (a payload or an MRZ is far shorter; what is
/// longer is refused, not read).
const STDIN_MAX: u64 = 64 * 1024;

/// Cross-check the records of one card: its QR payload, the MRZ printed on its back and the
/// files of its chip.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Give any of --qr, --mrz and --chip for the same card (at least one). Each record is reported
as `cccd parse`, `cccd mrz` and `cccd chip` report it, under the keys qr, mrz and chip; then
cross_checks lists every disagreement between two records (code, message, between), and
consistent says whether every record was read and none disagree. Passive authentication of
the chip is in chip.passive_authentication (verified only with --csca). A verified chip
proves the data was signed by the holder of the CSCA you gave, nothing about who holds the
card.

`-` reads the value of --qr or --mrz from standard input (one of them), which keeps personal
data out of the process list.

With --fail-on warnings, a disagreement, a record's warning or a chip not verified exits 1.

Examples:
  cccd verify --qr \"$(cat payload.txt)\" --mrz - --chip dump/ --csca csca.der < mrz.txt
  cccd verify --qr - --chip chips/000001 --csca chips/csca.der --redact < payload.txt")]
pub struct VerifyArgs {
    /// The QR payload (`-`: standard input).
    #[arg(long, value_name = "PAYLOAD")]
    qr: Option<OsString>,
    /// The MRZ printed on the back, its three lines separated by newlines (`-`: standard
    /// input).
    #[arg(long, value_name = "LINES")]
    mrz: Option<OsString>,
    /// A folder of the chip's files (com.bin, dg1.bin, dg2.bin, dg13.bin, sod.bin, …).
    #[arg(long, value_name = "DIR")]
    chip: Option<PathBuf>,
    /// A trusted CSCA certificate file (DER or PEM); repeatable.
    #[arg(long, value_name = "FILE", requires = "chip")]
    csca: Vec<PathBuf>,
    /// Read the QR payload and the MRZ leniently, reporting each repair.
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    checks: CheckArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: &VerifyArgs) -> io::Result<ExitCode> {
    let invalid = |msg: &str| io::Error::new(io::ErrorKind::InvalidInput, msg.to_owned());
    if args.qr.is_none() && args.mrz.is_none() && args.chip.is_none() {
        return Err(invalid("give at least one of --qr, --mrz and --chip"));
    }
    if args.qr.as_deref() == Some("-".as_ref()) && args.mrz.as_deref() == Some("-".as_ref()) {
        return Err(invalid(
            "only one of --qr and --mrz can read standard input (`-`)",
        ));
    }
    let qr = args.qr.as_ref().map(value).transpose()?;
    let mrz = args.mrz.as_ref().map(value).transpose()?;
    let anchors = crate::chip::trust_anchors(&args.csca)?;
    let output = &args.checks.output(&args.output);
    let opts = Options::new(args.checks.today())
        .lenient(args.lenient)
        .redact(output.redact);
    let job = Job {
        name: "verify",
        noun: "card",
        columns: VERIFY_COLUMNS,
    };
    let work = |(): (), emit| {
        let mut records = Records::new().qr(qr.as_deref()).mrz(mrz.as_deref());
        if let Some(dir) = &args.chip {
            records = records.chip_dir(dir);
        }
        let report = report::verify(records, &anchors, &opts);
        Outcome {
            body: Body::new(&report, emit),
            ok: report.ok,
            repaired: report.is_repaired(),
            warned: report.has_warnings(),
        }
    };
    batch::run(&job, output, || std::iter::once(Ok(())), Some(1), work)
}

/// The bytes of an argument, or of standard input for `-` (at most [`STDIN_MAX`] bytes,
/// without the final line end).
fn value(arg: &OsString) -> io::Result<Vec<u8>> {
    if arg != "-" {
        return Ok(arg.as_encoded_bytes().to_vec());
    }
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(STDIN_MAX + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > STDIN_MAX {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("standard input: more than {STDIN_MAX} bytes"),
        ));
    }
    while bytes.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
        bytes.pop();
    }
    Ok(bytes)
}
