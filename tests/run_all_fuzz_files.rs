//! Replays every saved fuzz input — the seed corpus in `fuzz/seeds/` (MRZ seeds in
//! `fuzz/seeds/mrz/`) and every crash or regression saved in `fuzz/regressions/<target>/` —
//! through every fuzz target's checks (QR payload and MRZ alike), so
//! `cargo test` guards what fuzzing found without building the fuzz crate.

use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n != "README.md" && !n.starts_with('.'))
        {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn every_saved_fuzz_input_passes_the_fuzz_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let seeds = files(&root.join("seeds"));
    let regressions = files(&root.join("regressions"));
    assert!(
        seeds.len() >= 100,
        "the seed corpus is missing ({} files)",
        seeds.len()
    );
    let mrz_seeds = seeds
        .iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("mrz")));
    assert!(mrz_seeds.count() >= 100, "the MRZ seed corpus is missing");
    for path in seeds.iter().chain(&regressions) {
        let data = fs::read(path).unwrap();
        cccd::__fuzz::parse_bytes(&data);
        cccd::__fuzz::mrz(&data);
        #[cfg(feature = "synth-photo")]
        cccd::__fuzz::soft_pool(&data);
        if let Some(card) = cccd::__fuzz::roundtrip(&data) {
            let json = serde_json::to_string(&card).unwrap();
            let back: cccd::Card<'static> = serde_json::from_str(&json).unwrap();
            assert_eq!(back, card, "{}", path.display());
        }
    }
}
