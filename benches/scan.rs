//! Scanner benchmark:
//! `cargo bench --features synth --bench scan [-- PHOTO_DIR] [--cards N] [--verbose] [--dump DIR]`.
//!
//! Runs three configurations (rqrr alone, rxing alone, the cascade) over the public QR photos
//! in PHOTO_DIR (default `../shared/qr-photos`; raw mode, exact text match against each
//! `.txt`, CRLF compared as LF), over N generated card photos at four resolutions up to 12 MP
//! and over N/4 12 MP photos each with the card far and very far from the camera, and prints decoded counts and
//! median / p90 / max scan time per image, then which cascade step found each code. Images
//! are decoded before the clock starts: the times are the scanner's alone. Not run by CI.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cccd::synth::{CardGenerator, PhotoGenerator};
use cccd::{Scanner, Step};

struct Stats {
    ok: usize,
    wrong: usize,
    total: usize,
    times: Vec<Duration>,
}

impl Stats {
    fn new() -> Self {
        Stats {
            ok: 0,
            wrong: 0,
            total: 0,
            times: Vec::new(),
        }
    }
    fn quantile(&self, q: f64) -> f64 {
        let mut t: Vec<f64> = self.times.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        t.sort_by(f64::total_cmp);
        if t.is_empty() {
            return 0.0;
        }
        t[((t.len() - 1) as f64 * q).round() as usize]
    }
    fn row(&self, set: &str, config: &str) {
        println!(
            "| {set} | {config} | {}/{} | {} | {:.2} | {:.2} | {:.1} |",
            self.ok,
            self.total,
            self.wrong,
            self.quantile(0.5),
            self.quantile(0.9),
            self.quantile(1.0)
        );
    }
}

fn configs() -> Vec<(&'static str, Scanner)> {
    vec![
        ("rqrr alone", Scanner::new().steps(&[Step::Rqrr])),
        ("rxing alone", Scanner::new().steps(&[Step::Gray])),
        ("cascade", Scanner::new()),
    ]
}

fn lf(s: &str) -> String {
    s.replace("\r\n", "\n")
}

fn shared_photos(dir: &Path) -> Vec<(PathBuf, image::DynamicImage, String)> {
    let mut out = Vec::new();
    let mut sets: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    sets.sort();
    for set in sets.iter().filter(|p| p.is_dir()) {
        let mut files: Vec<_> = std::fs::read_dir(set)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files {
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "png" | "jpg" | "jpeg" | "webp" | "gif" | "bmp") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(f.with_extension("txt")) else {
                continue;
            };
            match image::open(&f) {
                Ok(img) => out.push((f, img, lf(&text))),
                Err(e) => eprintln!("skipping {}: {e}", f.display()),
            }
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/qr-photos");
    let mut cards = 72usize;
    let mut verbose = false;
    let mut dump: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--cards" => cards = it.next().and_then(|n| n.parse().ok()).expect("--cards N"),
            "--verbose" => verbose = true,
            "--dump" => dump = it.next().map(PathBuf::from),
            p => dir = PathBuf::from(p),
        }
    }
    println!("| set | configuration | decoded | wrong | median ms | p90 ms | max ms |");
    println!("|---|---|---|---|---|---|---|");

    let photos = shared_photos(&dir);
    let mut steps: Vec<String> = Vec::new();
    for (name, scanner) in configs() {
        let mut s = Stats::new();
        for (path, img, expected) in &photos {
            let gray = img.to_luma8();
            let t = Instant::now();
            let result = scanner.codes(&gray);
            s.times.push(t.elapsed());
            s.total += 1;
            let hit = match &result {
                Ok(codes) => codes.iter().find(|c| lf(&c.text) == *expected),
                Err(_) => None,
            };
            let ok = hit.is_some();
            if let (Some(c), "cascade") = (hit, name) {
                steps.push(format!("qr-photos:{}/{}", c.step, c.engine));
            }
            if ok {
                s.ok += 1;
            } else if verbose {
                let got: Vec<String> = result
                    .iter()
                    .flatten()
                    .map(|c| format!("{:?}", c.text))
                    .collect();
                eprintln!("{name}: missed {} {:?}", path.display(), got);
            }
        }
        s.row(&format!("qr-photos ({})", photos.len()), name);
    }

    // Generated card photos: the same photos for every configuration.
    let mut gen = CardGenerator::new(2024);
    let mut photo_gen = PhotoGenerator::new(7);
    let mut set = Vec::new();
    for i in 0..cards {
        let payload = gen.payload();
        let photo = photo_gen.photo_at(
            &payload,
            PhotoGenerator::RESOLUTIONS[i % PhotoGenerator::RESOLUTIONS.len()],
        );
        let img = image::load_from_memory(&photo.jpeg).expect("generated JPEG");
        if let Some(d) = &dump {
            std::fs::create_dir_all(d).expect("dump dir");
            std::fs::write(d.join(format!("card-{i:03}.jpg")), &photo.jpeg).expect("dump");
            let c = photo.meta.code_corners;
            let xs = c.map(|p| p.0);
            let ys = c.map(|p| p.1);
            let x0 = xs.iter().copied().fold(f32::MAX, f32::min).max(0.0) as u32;
            let y0 = ys.iter().copied().fold(f32::MAX, f32::min).max(0.0) as u32;
            let x1 = (xs.iter().copied().fold(0.0, f32::max) as u32).min(img.width());
            let y1 = (ys.iter().copied().fold(0.0, f32::max) as u32).min(img.height());
            if x1 > x0 && y1 > y0 {
                img.crop_imm(x0, y0, x1 - x0, y1 - y0)
                    .save(d.join(format!("code-{i:03}.png")))
                    .expect("dump");
            }
            img.thumbnail(960, 960)
                .save(d.join(format!("card-{i:03}.png")))
                .expect("dump");
        }
        set.push((payload, img.to_luma8(), photo.meta));
    }
    // Harder: 12 MP with the card far from the camera (18–35 % of the frame's width), and
    // very far (10–18 %: 1.5–3 px per module), where decoders start to miss.
    for (label, key, seed, width) in [
        ("far card photos, 12 MP", "far", 8, (0.18, 0.35)),
        ("very far card photos, 12 MP", "very-far", 9, (0.10, 0.18)),
    ] {
        let mut far = Vec::new();
        let mut far_gen = PhotoGenerator::new(seed).card_width(width.0, width.1);
        for _ in 0..cards / 4 {
            let payload = gen.payload();
            let photo = far_gen.photo_at(&payload, (4000, 3000));
            let img = image::load_from_memory(&photo.jpeg).expect("generated JPEG");
            far.push((payload, img.to_luma8(), photo.meta));
        }
        for (name, scanner) in configs() {
            let mut s = Stats::new();
            for (payload, gray, meta) in &far {
                let t = Instant::now();
                let result = scanner.card(gray);
                s.times.push(t.elapsed());
                s.total += 1;
                if let (Ok(c), "cascade") = (&result, name) {
                    steps.push(format!("{key}:{}/{}", c.code.step, c.code.engine));
                }
                match &result {
                    Ok(c) if c.card.to_string() == *payload => s.ok += 1,
                    Ok(_) => s.wrong += 1,
                    Err(e) if verbose => eprintln!("{name}: missed {key} photo {meta:?}: {e:?}"),
                    Err(_) => {}
                }
            }
            s.row(&format!("{label} ({})", far.len()), name);
        }
    }
    for (name, scanner) in configs() {
        let mut all = Stats::new();
        let mut big = Stats::new();
        for (payload, gray, meta) in &set {
            let t = Instant::now();
            let result = scanner.card(gray);
            let dt = t.elapsed();
            let (ok, wrong) = match &result {
                Ok(c) => (
                    c.card.to_string() == *payload,
                    c.card.to_string() != *payload,
                ),
                Err(_) => (false, false),
            };
            if let (Ok(c), "cascade") = (&result, name) {
                steps.push(format!("cards:{}/{}", c.code.step, c.code.engine));
            }
            if verbose && !ok {
                eprintln!(
                    "{name}: missed card photo {meta:?}: {:?}",
                    result.as_ref().err()
                );
            }
            for s in [&mut all].into_iter().chain(
                (gray.width() as u64 * gray.height() as u64 >= 11_000_000).then_some(&mut big),
            ) {
                s.total += 1;
                s.ok += usize::from(ok);
                s.wrong += usize::from(wrong);
                s.times.push(dt);
            }
        }
        all.row(&format!("card photos ({})", set.len()), name);
        big.row(&format!("card photos, 12 MP ({})", big.total), name);
    }
    steps.sort();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for s in steps {
        match counts.last_mut() {
            Some((last, n)) if *last == s => *n += 1,
            _ => counts.push((s, 1)),
        }
    }
    println!();
    println!("cascade decodes by step/engine:");
    for (s, n) in counts {
        println!("  {s}: {n}");
    }
}
