//! `cccd gen`: synthetic samples for QA, deterministic for a seed.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cccd::synth::{Expected, Sample, SampleGenerator, SampleKind};
use clap::ValueEnum;
use serde_json::{json, Value};

/// Write synthetic card samples (all data generated, no real person): valid cards, payloads
/// that break exactly one rule, and damaged but repairable payloads, each with the outcome
/// `cccd parse --lenient` must give.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Without --out, payload and json samples go to standard output; qr-png, photo and chip need
--out. With --format chip, DIR gets one folder per chip (000001/com.bin, dg1.bin, dg2.bin,
dg13.bin, sod.bin), the CSCA certificate DIR/csca.der and DIR/manifest.jsonl (folder, kind,
the card's QR payload, the expected passive-authentication outcome with --csca DIR/csca.der).
With --out DIR, the samples go to DIR (payloads.txt, samples.jsonl, qr/*.png or photos/*.jpg),
with DIR/manifest.jsonl (file, line, kind, expected outcome of `cccd parse --lenient`), and
with --fuzz-seeds DIR/fuzz-seeds/ (one raw payload per file, a seed corpus for fuzz/). DIR
must be empty or new; --clean empties it first.

Payload lines end in CR LF; line-ending damage is a lone CR before it.

Examples:
  cccd gen --count 5 --seed 42
  cccd gen --count 1000 --kind mixed --out corpus/
  cccd parse --lenient < corpus/payloads.txt   # reproduces corpus/manifest.jsonl
  cccd gen --count 20 --kind invalid --format json
  cccd gen --format chip --kind mixed --count 10 --out chips/")]
pub struct GenArgs {
    /// How many samples.
    #[arg(long, short = 'n', default_value_t = 10)]
    count: u64,
    /// The seed: the same seed gives the same samples.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// What kind of samples.
    #[arg(long, value_enum, default_value = "valid")]
    kind: Kind,
    /// How to write each sample.
    #[arg(long, value_enum, default_value = "payload")]
    format: GenFormat,
    /// Write the samples and a manifest into this directory (new or empty).
    #[arg(long)]
    out: Option<PathBuf>,
    /// With --out: also write one raw payload per file into DIR/fuzz-seeds/.
    #[arg(long, requires = "out")]
    fuzz_seeds: bool,
    /// With --out: remove what DIR holds first, instead of refusing a non-empty DIR.
    #[arg(long, requires = "out")]
    clean: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// Consistent valid cards of both layouts.
    Valid,
    /// Each sample breaks exactly one rule.
    Invalid,
    /// Valid cards with repairable damage.
    Damaged,
    /// Valid, invalid and damaged in equal shares.
    Mixed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum GenFormat {
    /// The raw payload, one per line (CR LF).
    Payload,
    /// One JSON object per line: the payload, its kind and the expected outcome.
    Json,
    /// Each payload as a QR code image (PNG).
    QrPng,
    /// Each payload on a synthetic photo of a card (JPEG).
    Photo,
    /// A synthetic chip per card: one folder of files as a reader dumps them (com.bin,
    /// dg1.bin, dg2.bin, dg13.bin, sod.bin), signed by a generated CSCA written beside the
    /// folders (csca.der). Kinds: valid (genuine chips), invalid (each tampered one way),
    /// mixed (both).
    Chip,
}

pub fn run(args: &GenArgs) -> io::Result<ExitCode> {
    if args.format == GenFormat::Chip {
        return chips(args);
    }
    let image = matches!(args.format, GenFormat::QrPng | GenFormat::Photo);
    let Some(out) = &args.out else {
        if image {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "--format qr-png and --format photo write files: give --out DIR",
            ));
        }
        let stdout = io::stdout();
        let mut w = io::BufWriter::new(stdout.lock());
        for (i, sample) in samples(args).enumerate() {
            match args.format {
                GenFormat::Json => {
                    serde_json::to_writer(&mut w, &sample_json(i, &sample))?;
                    w.write_all(b"\n")?;
                }
                _ => {
                    w.write_all(&sample.payload)?;
                    w.write_all(b"\r\n")?;
                }
            }
        }
        w.flush()?;
        return Ok(ExitCode::SUCCESS);
    };
    if let Ok(mut entries) = fs::read_dir(out) {
        if entries.next().is_some() {
            if !args.clean {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{} is not empty; choose a new directory or add --clean to empty it",
                        out.display()
                    ),
                ));
            }
            for entry in fs::read_dir(out)? {
                let path = entry?.path();
                if path.is_dir() && !path.is_symlink() {
                    fs::remove_dir_all(&path)?;
                } else {
                    fs::remove_file(&path)?;
                }
            }
        }
    }
    fs::create_dir_all(out)?;
    if args.fuzz_seeds {
        fs::create_dir_all(out.join("fuzz-seeds"))?;
    }
    let mut manifest = io::BufWriter::new(fs::File::create(out.join("manifest.jsonl"))?);
    let mut lines = match args.format {
        GenFormat::Payload => Some(("payloads.txt", create(&out.join("payloads.txt"))?)),
        GenFormat::Json => Some(("samples.jsonl", create(&out.join("samples.jsonl"))?)),
        _ => None,
    };
    let dir = match args.format {
        GenFormat::QrPng => "qr",
        _ => "photos",
    };
    if image {
        fs::create_dir_all(out.join(dir))?;
    }
    for (i, sample) in samples(args).enumerate() {
        let number = i + 1;
        let described = sample_json(i, &sample);
        let file = match (&mut lines, args.format) {
            (Some((name, w)), GenFormat::Json) => {
                serde_json::to_writer(&mut *w, &described)?;
                w.write_all(b"\n")?;
                json!({"file": name, "line": number})
            }
            (Some((name, w)), _) => {
                w.write_all(&sample.payload)?;
                w.write_all(b"\r\n")?;
                json!({"file": name, "line": number})
            }
            (None, GenFormat::QrPng) => {
                let name = format!("{dir}/{number:06}.png");
                qr_png(&sample.payload)?
                    .save(out.join(&name))
                    .map_err(io::Error::other)?;
                json!({"file": name})
            }
            (None, _) => {
                let name = format!("{dir}/{number:06}.jpg");
                photo(args.seed, i as u64, &sample.payload, &out.join(&name))?;
                json!({"file": name})
            }
        };
        if args.fuzz_seeds {
            fs::write(out.join(format!("fuzz-seeds/{number:06}")), &sample.payload)?;
        }
        let mut entry = file;
        if let (Value::Object(entry), Value::Object(rest)) = (&mut entry, described) {
            for (k, v) in rest {
                if k != "index" && k != "payload" && k != "payload_hex" {
                    entry.insert(k, v);
                }
            }
        }
        serde_json::to_writer(&mut manifest, &entry)?;
        manifest.write_all(b"\n")?;
    }
    if let Some((_, mut w)) = lines {
        w.flush()?;
    }
    manifest.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn create(path: &Path) -> io::Result<io::BufWriter<fs::File>> {
    Ok(io::BufWriter::new(fs::File::create(path)?))
}

/// The samples asked for. Line-safe always (every format may be read back line by line), and
/// for images, only payloads a QR code can hold.
fn samples(args: &GenArgs) -> impl Iterator<Item = Sample> + '_ {
    let mut gen = SampleGenerator::new(args.seed).line_safe(true);
    let image = matches!(args.format, GenFormat::QrPng | GenFormat::Photo);
    let mut left = args.count;
    std::iter::from_fn(move || {
        if left == 0 {
            return None;
        }
        loop {
            let sample = match args.kind {
                Kind::Valid => gen.sample(SampleKind::Valid),
                Kind::Invalid => gen.sample(SampleKind::Invalid),
                Kind::Damaged => gen.sample(SampleKind::Damaged),
                Kind::Mixed => gen.mixed(),
            };
            if image && sample.payload.len() > QR_MAX_BYTES {
                continue;
            }
            if args.format == GenFormat::Photo && std::str::from_utf8(&sample.payload).is_err() {
                continue;
            }
            left -= 1;
            return Some(sample);
        }
    })
}

/// What a version 40 QR code holds in byte mode at error correction level L.
const QR_MAX_BYTES: usize = 2953;

/// A sample as JSON: its number, kind, payload (as text, or as hex when it is not UTF-8), and
/// the outcome `cccd parse --lenient` must give, in the shape `cccd parse` prints.
fn sample_json(index: usize, sample: &Sample) -> Value {
    let mut v = json!({"index": index, "kind": sample.kind.as_str()});
    let map = v.as_object_mut().expect("an object");
    match std::str::from_utf8(&sample.payload) {
        Ok(text) => map.insert("payload".into(), text.into()),
        Err(_) => map.insert("payload_hex".into(), hex(&sample.payload).into()),
    };
    map.insert("lenient".into(), true.into());
    let expected = match &sample.expected {
        Expected::Card { card, repairs } => json!({
            "ok": true,
            "layout": card.layout().as_str(),
            "card": card,
            "repairs": repairs,
        }),
        Expected::Error { code, field, rule } => json!({
            "ok": false,
            "error": {"code": code.as_str(), "field": field.map(|f| f.as_str())},
            "rule": rule.as_str(),
        }),
        _ => Value::Null,
    };
    map.insert("expected".into(), expected);
    v
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The payload as a QR code: 8 pixels per module, a quiet zone of 4 modules.
fn qr_png(payload: &[u8]) -> io::Result<image::GrayImage> {
    let code = qrcode::QrCode::new(payload).map_err(io::Error::other)?;
    let width = code.width();
    let colors = code.to_colors();
    let (scale, quiet) = (8u32, 4u32);
    let side = (width as u32 + 2 * quiet) * scale;
    Ok(image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let dark = mx >= quiet
            && my >= quiet
            && mx < quiet + width as u32
            && my < quiet + width as u32
            && colors[(my - quiet) as usize * width + (mx - quiet) as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    }))
}

/// The payload on a synthetic card photo (JPEG), from its own seeded generator so every photo
/// depends only on the seed and its number.
fn photo(seed: u64, index: u64, payload: &[u8], path: &Path) -> io::Result<()> {
    // `samples` only lets UTF-8 payloads through for photos.
    let text = std::str::from_utf8(payload).map_err(io::Error::other)?;
    let mut gen =
        cccd::synth::PhotoGenerator::new(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    fs::write(path, gen.photo(text).jpeg)
}

/// `--format chip`: one folder per synthetic chip, the CSCA beside them, and a manifest.
fn chips(args: &GenArgs) -> io::Result<ExitCode> {
    use cccd::synth::{ChipGenerator, Tamper};
    let Some(out) = &args.out else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "--format chip writes folders: give --out DIR",
        ));
    };
    if args.kind == Kind::Damaged {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "--format chip takes --kind valid, invalid or mixed",
        ));
    }
    fs::create_dir_all(out)?;
    let mut gen = ChipGenerator::new(args.seed);
    fs::write(out.join("csca.der"), gen.csca_der())?;
    let mut manifest = create(&out.join("manifest.jsonl"))?;
    let mut tampers = Tamper::ALL.iter().copied().cycle();
    for i in 0..args.count {
        let tamper = match args.kind {
            Kind::Valid => None,
            Kind::Invalid => tampers.next(),
            _ if i % 2 == 0 => None,
            _ => tampers.next(),
        };
        let (sample, expected, tamper_name) = match tamper {
            None => (gen.chip(), "verified", Value::Null),
            Some(t) => {
                let (name, expected) = match t {
                    Tamper::Dg13Byte => ("dg13_byte", "dg_hash_mismatch"),
                    Tamper::ForeignCsca => ("foreign_csca", "chain_not_verified"),
                    Tamper::TruncatedSod => ("truncated_sod", "malformed_sod"),
                    Tamper::BadSignature => ("bad_signature", "bad_signature"),
                    _ => ("unsupported_digest", "unsupported_algorithm"),
                };
                (gen.tampered(t), expected, Value::from(name))
            }
        };
        let name = format!("{:06}", i + 1);
        sample.write_dir(out.join(&name))?;
        let entry = json!({
            "dir": name,
            "kind": if tamper.is_some() { "invalid" } else { "valid" },
            "tamper": tamper_name,
            "payload": sample.card.to_string(),
            "expected": {"passive_authentication": expected},
        });
        serde_json::to_writer(&mut manifest, &entry)?;
        manifest.write_all(b"\n")?;
    }
    manifest.flush()?;
    Ok(ExitCode::SUCCESS)
}
