//! The card step's grid reader (finder patterns on grey levels, a fitted module grid,
//! module-domain equalisation) on generated hard photos: it reads codes the earlier patch
//! techniques (rxing on the patch as sampled, adaptive threshold, unsharp mask, both) could
//! not, and never a wrong card.
#![cfg(feature = "synth-photo")]

use cccd::synth::{CardGenerator, PhotoGenerator};
use cccd::Parser;

/// On the true card outline of each photo, every patch technique: the grid reader reads at
/// least as many as the best of the others, some that none of the others read, and no
/// wrong card.
#[test]
fn grid_reads_what_the_patch_techniques_could_not() {
    let mut cards = CardGenerator::new(31);
    let mut photos = PhotoGenerator::hard(31);
    let lenient = Parser::new().lenient(true);
    let sizes = [(1920, 1080), (1080, 1920), (1944, 2592), (1280, 720)];
    let total = 16;
    let mut reads: Vec<(&str, usize)> = Vec::new();
    let mut grid_only = 0;
    for i in 0..total {
        let payload = cards.payload();
        let photo = photos.photo_at(&payload, sizes[i % sizes.len()]);
        let gray = image::load_from_memory(&photo.jpeg)
            .expect("generated JPEG")
            .to_luma8();
        let found = cccd::__fuzz::patch_reads(&gray, &photo.meta.card_corners);
        assert!(found.iter().any(|(name, _, _)| *name == "grid"));
        let mut others = false;
        let mut grid = false;
        for (name, bytes, _) in &found {
            let ok = match bytes {
                Some(b) => {
                    let card = lenient.parse_bytes(b).expect("a card payload");
                    assert_eq!(
                        card.card.to_string(),
                        payload,
                        "{name}: wrong card, photo {i}"
                    );
                    true
                }
                None => false,
            };
            match reads.iter_mut().find(|(n, _)| n == name) {
                Some((_, n)) => *n += usize::from(ok),
                None => reads.push((name, usize::from(ok))),
            }
            if *name == "grid" {
                grid = ok;
            } else {
                others |= ok;
            }
        }
        grid_only += usize::from(grid && !others);
    }
    eprintln!("reads on {total} photos: {reads:?}; grid only: {grid_only}");
    let grid = reads.iter().find(|(n, _)| *n == "grid").map_or(0, |r| r.1);
    let best_other = reads
        .iter()
        .filter(|(n, _)| *n != "grid")
        .map(|r| r.1)
        .max()
        .unwrap_or(0);
    // Measured: grid 15 of 16, the best other technique 10, four read by the grid alone.
    assert!(
        grid >= best_other + 3,
        "grid {grid} vs best other {best_other}"
    );
    assert!(grid_only >= 2, "grid alone read {grid_only}");
}
