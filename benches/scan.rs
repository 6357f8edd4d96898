//! Scanner benchmark, against zxing-cpp in the same run:
//!
//! ```text
//! cargo bench --features synth --bench scan -- [--photos DIR] [--hard N] [--sets LIST]
//!     [--runs R] [--no-zxing] [--reuse] [--only CONFIG] [--techniques] [--verbose]
//! ```
//!
//! Sets (`--sets`, comma-separated; default `real,hard`):
//! - `real`: the public QR photos in DIR (default `../shared/qr-photos`), raw mode, exact text
//!   match against each `.txt` (CRLF compared as LF);
//! - `hard`: N (default 120) hard phone photos of generated cards,
//!   [`PhotoGenerator::hard`] with seed 17, payloads from [`CardGenerator`] seed 2024, written
//!   as JPEG files to `target/scan-bench/hard/` (`--reuse`: read the files already there
//!   when their payloads match instead of generating them again);
//! - `cards`, `far`: the milder sets of earlier versions ([`PhotoGenerator::new`]: N/2 photos
//!   at four resolutions, N/4 12 MP photos with the card 18–35 % of the frame).
//!
//! Configurations (names for `--only`): `decode only` (decoding the image, no step: the
//! floor every configuration pays), `rxing alone` ([`Step::Gray`]), `cascade` (the default
//! cascade without [`Step::Card`]: the scanner before card-aware scanning), `card-aware` (the
//! default [`Scanner`]) and `zxing-cpp` (the Python package in a virtual environment the
//! benchmark creates under `target/zxing-venv` with `python3 -m venv` and
//! `pip install zxing-cpp pillow numpy`; `--no-zxing` skips it).
//!
//! Every configuration's clock covers what a caller pays, single thread: from the file's
//! bytes in memory (decoding the image included) to the answer. Card sets use
//! [`Scanner::card`] (a card payload or nothing; for zxing-cpp, the first decoded
//! text that is the expected payload, and "wrong" when a decoded text is another card), the
//! real set [`Scanner::codes`]. Printed per set and configuration: decoded, wrong,
//! median / p90 / max ms per image and the total wall time (for R runs, each run's total);
//! with `--verbose`, on standard error, each image missed, how many each step read and the
//! eight slowest images of each configuration. `--techniques` (hard set): how many cards
//! [`cccd::find_cards`] outlines (within 3 % and 0.5 % of the frame's diagonal, every corner)
//! and, on each photo's true card outline (the `NNN.corners` file written beside it), what
//! each card-patch technique reads, how many of those no other technique read, and its
//! milliseconds (`TECH_VERBOSE=1`: per photo).
//!
//! Not run by CI.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use cccd::synth::{CardGenerator, PhotoGenerator};
use cccd::{Parser, Scanner, Step};

/// One image of a set.
struct Item {
    path: PathBuf,
    bytes: Vec<u8>,
    expected: String,
}

struct Set {
    name: String,
    card: bool,
    items: Vec<Item>,
}

#[derive(Default)]
struct Stats {
    ok: usize,
    wrong: usize,
    total: usize,
    times: Vec<f64>,
    totals: Vec<f64>,
}

impl Stats {
    fn quantile(&self, q: f64) -> f64 {
        let mut t = self.times.clone();
        t.sort_by(f64::total_cmp);
        if t.is_empty() {
            return 0.0;
        }
        t[((t.len() - 1) as f64 * q).round() as usize]
    }

    fn row(&self, set: &str, config: &str) {
        let walls: Vec<String> = self.totals.iter().map(|t| format!("{t:.2}")).collect();
        println!(
            "| {set} | {config} | {}/{} | {} | {:.1} | {:.1} | {:.0} | {} |",
            self.ok,
            self.total,
            self.wrong,
            self.quantile(0.5),
            self.quantile(0.9),
            self.quantile(1.0),
            walls.join(", ")
        );
    }
}

/// What a configuration found in one image.
enum Found {
    /// A card payload (card sets) or every decoded text (raw sets).
    Texts(Vec<String>),
    /// A card payload, and the step that read it.
    Card(String, &'static str),
    /// Every decoded text (raw sets, ours), and the step that read them.
    Codes(Vec<String>, &'static str),
    Nothing,
}

fn lf(s: &str) -> String {
    s.replace("\r\n", "\n")
}

fn real_photos(dir: &Path) -> Vec<Item> {
    let mut out = Vec::new();
    let mut sets: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    sets.sort();
    for set in sets.iter().filter(|p| p.is_dir()) {
        let mut files: Vec<_> = std::fs::read_dir(set)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "png" | "jpg" | "jpeg" | "webp" | "gif" | "bmp") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(f.with_extension("txt")) else {
                continue;
            };
            let bytes = std::fs::read(&f).expect("photo readable");
            out.push(Item {
                path: f.canonicalize().unwrap_or(f),
                bytes,
                expected: lf(&text),
            });
        }
    }
    out
}

/// Writes `n` photos from `photo` into `dir` (JPEG, the payload beside each in `.txt`), or
/// with `reuse` reads those already there (the same seeds give the same files).
fn generated(
    dir: &Path,
    n: usize,
    reuse: bool,
    cards: &mut CardGenerator,
    mut photo: impl FnMut(usize, &str) -> Vec<u8>,
) -> Vec<Item> {
    std::fs::create_dir_all(dir).expect("bench directory");
    (0..n)
        .map(|i| {
            let payload = cards.payload();
            let path = dir.join(format!("{i:03}.jpg"));
            if reuse {
                if let (Ok(bytes), Ok(text)) = (
                    std::fs::read(&path),
                    std::fs::read_to_string(path.with_extension("txt")),
                ) {
                    if text == payload {
                        return Item {
                            path,
                            bytes,
                            expected: payload,
                        };
                    }
                }
            }
            let jpeg = photo(i, &payload);
            std::fs::write(&path, &jpeg).expect("write photo");
            std::fs::write(path.with_extension("txt"), &payload).expect("write payload");
            Item {
                path,
                bytes: jpeg,
                expected: payload,
            }
        })
        .collect()
}

/// The virtual environment's Python with zxing-cpp, created on first use.
fn zxing_python(target: &Path) -> Option<PathBuf> {
    let venv = target.join("zxing-venv");
    let python = venv.join("bin/python");
    let ready = |p: &Path| {
        Command::new(p)
            .args(["-c", "import zxingcpp, PIL, numpy"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if python.exists() && ready(&python) {
        return Some(python);
    }
    eprintln!("creating {} with zxing-cpp (pip) ...", venv.display());
    let ok = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .is_ok_and(|s| s.success())
        && Command::new(venv.join("bin/pip"))
            .args(["install", "-q", "zxing-cpp", "pillow", "numpy"])
            .status()
            .is_ok_and(|s| s.success());
    (ok && ready(&python)).then_some(python)
}

fn zxing_version(python: &Path) -> String {
    Command::new(python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('zxing-cpp'))",
        ])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| "?".into(), |v| v.trim().to_owned())
}

/// Runs zxing-cpp over the set's files: (ms, texts) per item.
fn zxing_run(python: &Path, items: &[Item]) -> Vec<(f64, Vec<String>)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/zxing_bench.py");
    let mut child = Command::new(python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the zxing-cpp script");
    let mut stdin = child.stdin.take().expect("stdin");
    let paths: String = items
        .iter()
        .map(|i| format!("{}\n", i.path.display()))
        .collect();
    let writer = std::thread::spawn(move || {
        stdin.write_all(paths.as_bytes()).expect("write paths");
    });
    let mut out = Vec::new();
    for line in BufReader::new(child.stdout.take().expect("stdout")).lines() {
        let v: serde_json::Value = serde_json::from_str(&line.expect("line")).expect("JSON line");
        let ms = v["ms"].as_f64().unwrap_or(f64::NAN);
        let texts = v["texts"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        out.push((ms, texts));
    }
    writer.join().expect("writer");
    assert!(child.wait().expect("zxing script").success());
    assert_eq!(
        out.len(),
        items.len(),
        "zxing-cpp script answered every file"
    );
    out
}

/// Scores one answer: (ok, wrong).
fn score(card: bool, expected: &str, found: &Found) -> (bool, bool) {
    let lenient = Parser::new().lenient(true);
    match found {
        Found::Nothing => (false, false),
        Found::Card(c, _) => (c == expected, c != expected),
        Found::Texts(t) if card => {
            let cards: Vec<String> = t
                .iter()
                .filter_map(|s| lenient.parse(s).ok().map(|p| p.card.to_string()))
                .collect();
            let ok = cards.iter().any(|c| c == expected);
            (ok, !ok && !cards.is_empty())
        }
        Found::Texts(t) | Found::Codes(t, _) => (t.iter().any(|s| lf(s) == expected), false),
    }
}

fn ours(scanner: &Scanner, card: bool, bytes: &[u8]) -> Found {
    if card {
        match scanner.card(bytes) {
            Ok(c) => Found::Card(c.card.to_string(), c.code.step.as_str()),
            Err(_) => Found::Nothing,
        }
    } else {
        match scanner.codes(bytes) {
            Ok(codes) => {
                let step = codes.first().map_or("", |c| c.step.as_str());
                Found::Codes(codes.into_iter().map(|c| c.text).collect(), step)
            }
            Err(_) => Found::Nothing,
        }
    }
}

/// `--techniques`: every card-patch technique on the true card outline of each hard photo
/// (read from the `.corners` file beside it): reads, wrong cards, reads no other technique
/// made, and milliseconds, per technique.
fn technique_counts(items: &[Item]) {
    let lenient = Parser::new().lenient(true);
    let mut rows: Vec<(&str, usize, usize, usize, f64)> = Vec::new();
    let mut any = 0;
    let mut outlined = 0;
    let mut precise = 0;
    for item in items {
        let corners = std::fs::read_to_string(item.path.with_extension("corners"))
            .expect("corners file (generate the set without --reuse once)");
        let v: Vec<f32> = corners
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .map(|t| t.parse().expect("corner"))
            .collect();
        let front = [(v[0], v[1]), (v[2], v[3]), (v[4], v[5]), (v[6], v[7])];
        let gray = image::load_from_memory(&item.bytes)
            .expect("photo")
            .to_luma8();
        let reads = cccd::__fuzz::patch_reads(&gray, &front);
        // Whether the card finder outlines the card: every corner within 3 % of the frame's
        // diagonal, in some starting corner.
        let diag = (gray.width() as f32).hypot(gray.height() as f32);
        let found = cccd::find_cards(&gray);
        let within = |tol: f32| {
            found.iter().any(|q| {
                (0..4).any(|s| {
                    (0..4).all(|i| {
                        let (a, b) = (q[(i + s) % 4], front[i]);
                        (a.0 - b.0).hypot(a.1 - b.1) < tol
                    })
                })
            })
        };
        let hit = within(diag * 0.03);
        outlined += usize::from(hit);
        precise += usize::from(within(diag * 0.005));
        let oks: Vec<bool> = reads
            .iter()
            .map(|(_, b, _)| {
                b.as_ref().is_some_and(|b| {
                    lenient
                        .parse_bytes(b)
                        .is_ok_and(|p| p.card.to_string() == item.expected)
                })
            })
            .collect();
        any += usize::from(oks.iter().any(|&o| o));
        if std::env::var_os("TECH_VERBOSE").is_some() {
            let by: Vec<&str> = reads
                .iter()
                .zip(&oks)
                .filter(|(_, &o)| o)
                .map(|(r, _)| r.0)
                .collect();
            let about = corners.lines().find(|l| l.starts_with('#')).unwrap_or("");
            eprintln!("{}: {by:?} outlined {hit} {about}", item.path.display());
        }
        for (k, ((name, bytes, ms), &ok)) in reads.iter().zip(&oks).enumerate() {
            if rows.len() <= k {
                rows.push((name, 0, 0, 0, 0.0));
            }
            let r = &mut rows[k];
            r.1 += usize::from(ok);
            r.2 += usize::from(
                !ok && bytes
                    .as_ref()
                    .is_some_and(|b| lenient.parse_bytes(b).is_ok()),
            );
            r.3 += usize::from(ok && oks.iter().filter(|&&o| o).count() == 1);
            r.4 += ms;
        }
    }
    eprintln!(
        "card finder: outlined {outlined} of {} cards ({precise} within 0.5 % of the \
         diagonal); patch techniques on the true outline: any {any}",
        items.len()
    );
    for (name, ok, wrong, only, ms) in rows {
        eprintln!("  {name}: {ok} read, {wrong} wrong, {only} only by it, {ms:.0} ms in all");
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut dir = root.join("../shared/qr-photos");
    let mut hard = 120usize;
    let mut runs = 1usize;
    let mut sets = String::from("real,hard");
    let mut zxing = true;
    let mut verbose = false;
    let mut reuse = false;
    let mut only: Option<String> = None;
    let mut techniques = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().unwrap_or_default();
        match a.as_str() {
            "--photos" => dir = PathBuf::from(value()),
            "--hard" => hard = value().parse().expect("--hard N"),
            "--runs" => runs = value().parse::<usize>().expect("--runs R").max(1),
            "--sets" => sets = value(),
            "--no-zxing" => zxing = false,
            "--verbose" => verbose = true,
            "--reuse" => reuse = true,
            "--only" => only = Some(value()),
            "--techniques" => techniques = true,
            other => panic!("unknown argument {other:?}"),
        }
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let bench_dir = target.join("scan-bench");

    let mut all: Vec<Set> = Vec::new();
    let mut cards = CardGenerator::new(2024);
    for set in sets.split(',') {
        match set {
            "real" => {
                let items = real_photos(&dir);
                all.push(Set {
                    name: format!("real QR photos ({})", items.len()),
                    card: false,
                    items,
                });
            }
            "hard" => {
                let t = Instant::now();
                let mut gen = PhotoGenerator::hard(17);
                let hard_dir = bench_dir.join("hard");
                let items = generated(&hard_dir, hard, reuse, &mut cards, |i, p| {
                    let photo = gen.photo(p);
                    // The true card corners, for `--techniques`.
                    let corners: Vec<String> = photo
                        .meta
                        .card_corners
                        .iter()
                        .map(|c| format!("{} {}", c.0, c.1))
                        .collect();
                    let m = &photo.meta;
                    let extra = format!(
                        "\n# {}x{} module {:.2} px, defocus {:.2} px, motion {:.2} px, light {:.2}, glare {}, shadow {}",
                        m.width, m.height, m.module_px, m.blur, m.motion_blur, m.light, m.glare, m.shadow
                    );
                    std::fs::write(
                        hard_dir.join(format!("{i:03}.corners")),
                        corners.join("\n") + &extra,
                    )
                    .expect("write corners");
                    photo.jpeg
                });
                if techniques {
                    technique_counts(&items);
                }
                eprintln!(
                    "generated {hard} hard photos in {:.1} s",
                    t.elapsed().as_secs_f64()
                );
                all.push(Set {
                    name: format!("hard card photos ({hard})"),
                    card: true,
                    items,
                });
            }
            "cards" => {
                let mut gen = PhotoGenerator::new(7);
                let n = hard / 2;
                let items = generated(&bench_dir.join("cards"), n, reuse, &mut cards, |i, p| {
                    let sizes = PhotoGenerator::RESOLUTIONS;
                    gen.photo_at(p, sizes[i % sizes.len()]).jpeg
                });
                all.push(Set {
                    name: format!("mild card photos ({n})"),
                    card: true,
                    items,
                });
            }
            "far" => {
                let mut gen = PhotoGenerator::new(8).card_width(0.18, 0.35);
                let n = hard / 4;
                let items = generated(&bench_dir.join("far"), n, reuse, &mut cards, |_, p| {
                    gen.photo_at(p, (4000, 3000)).jpeg
                });
                all.push(Set {
                    name: format!("far card photos, 12 MP ({n})"),
                    card: true,
                    items,
                });
            }
            other => panic!("unknown set {other:?}"),
        }
    }

    let zxing = zxing && only.as_deref().is_none_or(|o| o == "zxing-cpp");
    let python = if zxing { zxing_python(&target) } else { None };
    if zxing && python.is_none() {
        eprintln!("zxing-cpp unavailable: python3 -m venv or pip install failed");
    }
    let zxing_name = python
        .as_ref()
        .map(|p| format!("zxing-cpp {}", zxing_version(p)));

    let configs: Vec<(&str, Scanner)> = vec![
        ("decode only", Scanner::new().steps(&[])),
        ("rxing alone", Scanner::new().steps(&[Step::Gray])),
        ("cascade", Scanner::new().steps(&Step::CASCADE[1..])),
        ("card-aware", Scanner::new()),
    ];

    let configs: Vec<(&str, Scanner)> = configs
        .into_iter()
        .filter(|(name, _)| only.as_deref().is_none_or(|o| o == *name))
        .collect();
    println!("| set | configuration | decoded | wrong | median ms | p90 ms | max ms | total s |");
    println!("|---|---|---|---|---|---|---|---|");
    for set in &all {
        for (name, scanner) in &configs {
            let mut s = Stats::default();
            let mut by_step: Vec<(&str, usize)> = Vec::new();
            for run in 0..runs {
                let t0 = Instant::now();
                for item in &set.items {
                    let t = Instant::now();
                    let found = ours(scanner, set.card, &item.bytes);
                    let dt = t.elapsed();
                    if run > 0 {
                        continue;
                    }
                    let (ok, wrong) = score(set.card, &item.expected, &found);
                    if let (true, Found::Card(_, step) | Found::Codes(_, step)) = (ok, &found) {
                        match by_step.iter_mut().find(|(s, _)| s == step) {
                            Some((_, n)) => *n += 1,
                            None => by_step.push((step, 1)),
                        }
                    }
                    s.total += 1;
                    s.ok += usize::from(ok);
                    s.wrong += usize::from(wrong);
                    s.times.push(dt.as_secs_f64() * 1e3);
                    if verbose && !ok {
                        eprintln!(
                            "{name}: missed {} ({:.0} ms)",
                            item.path.display(),
                            s.times.last().unwrap_or(&0.0)
                        );
                    }
                }
                s.totals.push(t0.elapsed().as_secs_f64());
            }
            s.row(&set.name, name);
            if verbose && !by_step.is_empty() {
                eprintln!("{name}: read by step {by_step:?}");
                // Where the time goes: the slowest images of the first run.
                let mut slow: Vec<(f64, &Path)> = s
                    .times
                    .iter()
                    .zip(&set.items)
                    .map(|(&t, i)| (t, i.path.as_path()))
                    .collect();
                slow.sort_by(|a, b| b.0.total_cmp(&a.0));
                for (t, path) in slow.iter().take(8) {
                    eprintln!("{name}: {t:.1} ms {}", path.display());
                }
            }
        }
        if let (Some(python), Some(zname)) = (&python, &zxing_name) {
            let mut s = Stats::default();
            for run in 0..runs {
                let answers = zxing_run(python, &set.items);
                s.totals
                    .push(answers.iter().map(|a| a.0).sum::<f64>() / 1e3);
                if run > 0 {
                    continue;
                }
                for (item, (ms, texts)) in set.items.iter().zip(answers) {
                    let found = if texts.is_empty() {
                        Found::Nothing
                    } else {
                        Found::Texts(texts)
                    };
                    let (ok, wrong) = score(set.card, &item.expected, &found);
                    s.total += 1;
                    s.ok += usize::from(ok);
                    s.wrong += usize::from(wrong);
                    s.times.push(ms);
                    if verbose && !ok {
                        eprintln!("{zname}: missed {} ({ms:.0} ms)", item.path.display());
                    }
                }
            }
            s.row(&set.name, zname);
        }
    }
}
