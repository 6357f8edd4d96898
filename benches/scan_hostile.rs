//! The scanner under hostile input: worst-case wall time and peak memory over a generated
//! adversarial set (finder floods, checkerboards, low contrast, noise, decompression bombs)
//! next to normal card photos, each input scanned once in a fresh child process so that its
//! peak resident memory (`VmHWM`, Linux) is its own, process included.
//!
//! `cargo bench --features synth-photo --bench scan_hostile [-- --verbose]`. Not run by CI
//! (about a minute).
#![allow(clippy::print_stdout)]

#[path = "../tests/hostile/mod.rs"]
mod hostile;

use std::path::Path;
use std::time::{Duration, Instant};

use cccd::synth::{CardGenerator, PhotoGenerator};
use cccd::Scanner;

/// Child mode: scan the file once with the budget, print `wall_ms peak_kb outcome`.
fn child(path: &Path, budget_ms: u64) {
    let scanner = Scanner::new().time_budget(Duration::from_millis(budget_ms));
    let t = Instant::now();
    let outcome = match scanner.card(path) {
        Ok(_) => "ok".to_owned(),
        Err(e) => format!("{}/{}", e.code(), e.reason()),
    };
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    println!("{ms:.1} {kb} {outcome}");
}

struct Run {
    ms: f64,
    mb: f64,
    outcome: String,
}

fn run_child(file: &Path, budget_ms: u64) -> Run {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env("CCCD_HOSTILE_CHILD", file)
        .env("CCCD_HOSTILE_BUDGET_MS", budget_ms.to_string())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace();
    let ms = it.next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
    let kb: f64 = it.next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
    let outcome = it.next().unwrap_or("crashed").to_owned();
    Run {
        ms,
        mb: kb / 1024.0,
        outcome,
    }
}

fn main() {
    if let Some(path) = std::env::var_os("CCCD_HOSTILE_CHILD") {
        let budget = std::env::var("CCCD_HOSTILE_BUDGET_MS")
            .unwrap()
            .parse()
            .unwrap();
        child(Path::new(&path), budget);
        return;
    }
    let verbose = std::env::args().any(|a| a == "--verbose");
    let dir = std::env::temp_dir().join(format!("cccd-scan-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let mut normal = Vec::new();
    let mut cards = CardGenerator::new(42);
    let mut photos = PhotoGenerator::new(42);
    for (i, size) in [(1280, 720), (1920, 1080), (2592, 1944), (4000, 3000)]
        .iter()
        .cycle()
        .take(8)
        .enumerate()
    {
        let photo = photos.photo_at(&cards.payload(), *size);
        let (_, patterns) =
            cccd::__fuzz::finder_marks_of(&image::DynamicImage::ImageRgb8(photo.image).to_luma8());
        normal.push((
            format!(
                "card photo {}x{} #{i} ({patterns} patterns)",
                size.0, size.1
            ),
            photo.jpeg,
        ));
    }
    let hostile: Vec<(String, Vec<u8>)> = hostile::adversarial_set()
        .into_iter()
        .map(|(name, bytes)| {
            let marks = image::load_from_memory(&bytes)
                .ok()
                .filter(|i| u64::from(i.width()) * u64::from(i.height()) < 10_000_000)
                .map(|i| {
                    let (_, patterns) = cccd::__fuzz::finder_marks_of(&i.to_luma8());
                    format!(" ({patterns} patterns)")
                })
                .unwrap_or_default();
            (format!("{name}{marks}"), bytes)
        })
        .collect();

    println!("scan_hostile: one child process per input and budget; wall time of the call, peak RSS of the process");
    for budget_ms in [2000u64, 200] {
        for (set, inputs) in [
            ("normal card photos", &normal),
            ("adversarial set", &hostile),
        ] {
            let (mut worst_ms, mut worst_mb) = (0f64, 0f64);
            let (mut worst_ms_name, mut worst_mb_name) = (String::new(), String::new());
            for (i, (name, bytes)) in inputs.iter().enumerate() {
                let file = dir.join(format!("input-{i}"));
                std::fs::write(&file, bytes).unwrap();
                let r = run_child(&file, budget_ms);
                if verbose {
                    println!(
                        "  {budget_ms:5} ms budget  {name:55} {:>7} B  {:8.1} ms  {:6.1} MB  {}",
                        bytes.len(),
                        r.ms,
                        r.mb,
                        r.outcome
                    );
                }
                if r.ms.total_cmp(&worst_ms).is_gt() {
                    worst_ms = r.ms;
                    worst_ms_name.clone_from(name);
                }
                if r.mb.total_cmp(&worst_mb).is_gt() {
                    worst_mb = r.mb;
                    worst_mb_name.clone_from(name);
                }
            }
            println!(
                "budget {budget_ms:4} ms  {set:20} ({:2} inputs): worst wall {worst_ms:7.1} ms ({worst_ms_name}); worst peak {worst_mb:6.1} MB ({worst_mb_name})",
                inputs.len()
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
