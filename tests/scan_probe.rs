//! Probe (ignored): time of each cascade step alone on the adversarial set.
#![cfg(feature = "synth-photo")]
mod hostile;
use std::time::{Duration, Instant};

#[test]
#[ignore]
fn probe() {
    let only = std::env::var("PROBE").unwrap_or_default();
    let raw = std::env::var("RAW").is_ok();
    for (name, bytes) in hostile::adversarial_set() {
        if !only.is_empty() && !name.contains(&only) {
            continue;
        }
        if let Ok(img) = image::load_from_memory(&bytes) {
            if img.width() < 5000 {
                let m = cccd::__fuzz::finder_marks_of(&img.to_luma8());
                eprintln!("{name:40} marks {m:?}");
            }
        }
        for step in cccd::Step::CASCADE.iter().chain([&cccd::Step::Rqrr]) {
            let mut s = cccd::Scanner::new()
                .time_budget(Duration::from_secs(2))
                .steps(&[*step]);
            if raw {
                s = s.max_finder_patterns(usize::MAX);
            }
            let t = Instant::now();
            let r = s.codes(&bytes);
            eprintln!(
                "{name:40} {step:10} {:8.1} ms {:?}",
                t.elapsed().as_secs_f64() * 1e3,
                r.map(|c| c.len()).map_err(|e| e.to_string())
            );
        }
    }
}

#[test]
#[ignore]
fn marks() {
    let mut cards = cccd::synth::CardGenerator::new(42);
    let mut photos = cccd::synth::PhotoGenerator::new(42);
    for size in [(1280, 720), (1920, 1080), (2592, 1944), (4000, 3000)]
        .iter()
        .cycle()
        .take(12)
    {
        let photo = photos.photo_at(&cards.payload(), *size);
        let g = image::DynamicImage::ImageRgb8(photo.image).to_luma8();
        eprintln!(
            "photo {size:?} marks {:?}",
            cccd::__fuzz::finder_marks_of(&g)
        );
    }
    for (name, bytes) in hostile::adversarial_set() {
        if let Ok(img) = image::load_from_memory(&bytes) {
            if img.width() < 5000 {
                eprintln!(
                    "{name:40} marks {:?}",
                    cccd::__fuzz::finder_marks_of(&img.to_luma8())
                );
            }
        }
    }
}

/// Writes the scan fuzz target's seeds to `fuzz/seeds_scan/` (run once, then commit).
#[test]
#[ignore]
fn write_scan_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds_scan");
    std::fs::create_dir_all(&dir).unwrap();
    let code = hostile::codes_image(&[b"https://example.com/seed"], 2);
    let mut seeds: Vec<(&str, Vec<u8>)> = Vec::new();
    let encoded = |format: image::ImageFormat| {
        let mut out = std::io::Cursor::new(Vec::new());
        let rgba = image::DynamicImage::ImageLuma8(code.clone()).to_rgba8();
        rgba.write_to(&mut out, format).unwrap();
        out.into_inner()
    };
    seeds.push(("code.png", encoded(image::ImageFormat::Png)));
    seeds.push(("code.bmp", encoded(image::ImageFormat::Bmp)));
    seeds.push(("code.gif", encoded(image::ImageFormat::Gif)));
    seeds.push(("code.jpg", hostile::jpeg(&code, 40)));
    seeds.push((
        "flood.png",
        hostile::png(&hostile::finder_flood(64, 64, 1, 0, 255)),
    ));
    let tiny = hostile::codes_image(&[b"seed"], 1);
    let mut raw = vec![tiny.width() as u8];
    raw.extend_from_slice(tiny.as_raw());
    for (name, bytes) in seeds {
        let mut data = vec![0u8];
        data.extend_from_slice(&bytes);
        eprintln!("{name}: {} bytes", data.len());
        std::fs::write(dir.join(name), data).unwrap();
    }
    let mut data = vec![0x80u8];
    data.extend_from_slice(&raw);
    eprintln!("raw: {} bytes", data.len());
    std::fs::write(dir.join("code.raw"), data).unwrap();
}
