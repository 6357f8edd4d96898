//! The photo scanner: generated card photos, a few public QR photos, corrupt input.
#![cfg(feature = "synth-photo")]

use std::path::{Path, PathBuf};
use std::time::Duration;

use cccd::synth::{CardGenerator, PhotoGenerator};
use cccd::{Code, Engine, ScanError, ScanErrorCode, ScannedCard, Scanner, Step};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<Scanner>();
    assert_send_sync::<Code>();
    assert_send_sync::<ScannedCard>();
    assert_send_sync::<ScanError>();
    assert_send_sync::<Engine>();
    assert_send_sync::<Step>();
}

/// Generated card photos: a minimum decode rate, never a wrong card, corners where the code is.
#[test]
fn generated_card_photos() {
    let mut cards = CardGenerator::new(11);
    let mut photos = PhotoGenerator::new(11);
    let sizes = [(800, 600), (1024, 768), (1280, 960)];
    // A generous budget: the outcome must not depend on the machine's speed.
    let scanner = Scanner::new().time_budget(Duration::from_secs(120));
    let (mut decoded, total) = (0, 9);
    for i in 0..total {
        let payload = cards.payload();
        let photo = photos.photo_at(&payload, sizes[i % sizes.len()]);
        let Ok(found) = scanner.card(&photo.jpeg) else {
            continue;
        };
        assert_eq!(found.card.to_string(), payload, "wrong card in photo {i}");
        assert!(found.codes.contains(&found.code));
        // Every corner the engine reports is near one of the code's true corners.
        let tol = photo.meta.module_px * 4.0 + 3.0;
        for (x, y) in found.code.corners {
            let near = photo
                .meta
                .code_corners
                .iter()
                .any(|&(cx, cy)| (cx - x).hypot(cy - y) < tol);
            assert!(near, "photo {i}: corner ({x}, {y}) far from the code");
        }
        decoded += 1;
    }
    eprintln!("decoded {decoded} of {total} generated card photos");
    assert!(
        decoded >= 8,
        "decoded {decoded} of {total} generated card photos"
    );
}

/// A second, unrelated QR code in the frame is ignored by `Scanner::card`.
#[test]
fn second_code_is_ignored() {
    let mut cards = CardGenerator::new(3);
    let mut photos = PhotoGenerator::new(3).second_code(1.0);
    let mut with_second = 0;
    for _ in 0..3 {
        let payload = cards.payload();
        let photo = photos.photo_at(&payload, (1280, 960));
        with_second += usize::from(photo.meta.second_code);
        let scanner = Scanner::new().time_budget(Duration::from_secs(120));
        if let Ok(found) = scanner.card(&photo.jpeg) {
            assert_eq!(found.card.to_string(), payload);
        }
    }
    assert!(with_second >= 2, "the generator should place a second code");
}

#[test]
fn not_a_card_in_raw_and_card_mode() {
    let photo = PhotoGenerator::new(9)
        .second_code(0.0)
        .photo_at("https://example.com/not-a-card", (640, 480));
    let scanner = Scanner::new().time_budget(Duration::from_secs(120));
    let codes = scanner.codes(&photo.jpeg).expect("a code");
    assert_eq!(codes[0].text, "https://example.com/not-a-card");
    assert_eq!(codes[0].bytes, b"https://example.com/not-a-card");
    let err = scanner.card(&photo.jpeg).unwrap_err();
    assert_eq!(err.code().as_str(), "not_a_card");
    assert_eq!(
        err.to_string(),
        "1 qr code(s) found, none holds a card payload"
    );
    // Debug never shows the payload.
    assert!(!format!("{:?}", codes[0]).contains("example"));
}

#[test]
fn blank_image_is_not_found() {
    let img =
        image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(300, 200, image::Luma([200])));
    let err = Scanner::new().codes(&img).unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.to_string()),
        ("not_found", "no qr code found".into())
    );
    let err = Scanner::new()
        .time_budget(Duration::ZERO)
        .codes(&img)
        .unwrap_err();
    assert_eq!(err.code().as_str(), "time_budget");
    assert_eq!(err.code(), ScanErrorCode::TimeBudget);
    // The budget covers the whole call: spent before the first step, none was tried.
    assert!(err.tried().is_empty());
}

/// CRC-32 as PNG chunks use it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png(img: &image::GrayImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn corrupt_and_truncated_input() {
    let s = Scanner::new();
    for bytes in [
        &b""[..],
        b"not an image at all",
        &[0x89, b'P', b'N', b'G', 13, 10, 26, 10, 0, 0],
    ] {
        let err = s.codes(bytes).unwrap_err();
        assert_eq!(err.code().as_str(), "unreadable_image", "{err}");
    }
    let photo = PhotoGenerator::new(1).photo_at("x", (320, 240));
    // A truncated PNG fails cleanly.
    let full = png(&image::DynamicImage::ImageRgb8(photo.image).to_luma8());
    let err = s.codes(&full[..full.len() / 2]).unwrap_err();
    assert_eq!(err.code().as_str(), "unreadable_image", "{err}");
    // A truncated JPEG either fails to decode or decodes to a grey half without a code.
    let err = s.codes(&photo.jpeg[..photo.jpeg.len() / 3]).unwrap_err();
    assert!(
        matches!(err.code().as_str(), "unreadable_image" | "not_found"),
        "{err}"
    );
    // Garbage after a valid header, every prefix length class: never a panic.
    for n in [8, 16, 33, 100, 400] {
        let _ = s.codes(&full[..n.min(full.len())]);
        let _ = s.codes(&photo.jpeg[..n.min(photo.jpeg.len())]);
    }
    let err = s.codes(Path::new("/nonexistent/photo.jpg")).unwrap_err();
    assert_eq!(err.code().as_str(), "unreadable_image");
}

#[test]
fn size_limits() {
    // A PNG header claiming 100 000 × 100 000 pixels: rejected before any allocation.
    let mut bomb = png(&image::GrayImage::new(1, 1));
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    let err = Scanner::new().codes(&bomb).unwrap_err();
    assert_eq!(err.code(), ScanErrorCode::TooLarge);
    assert_eq!(err.dimensions(), Some((100_000, 100_000)));
    assert_eq!(
        err.to_string(),
        "image too large: 100000x100000 exceeds the limit"
    );
    let small = png(&image::GrayImage::new(200, 100));
    let err = Scanner::new().max_pixels(10_000).codes(&small).unwrap_err();
    assert_eq!(err.code().as_str(), "too_large");
    let err = Scanner::new().max_dimension(150).codes(&small).unwrap_err();
    assert_eq!(err.code().as_str(), "too_large");
    assert!(
        Scanner::new()
            .max_dimension(200)
            .codes(&small)
            .is_err_and(|e| e.code().as_str() == "not_found"),
        "{:?}",
        Scanner::new().max_dimension(200).codes(&small)
    );
}

/// A few of the public photos in `../shared/qr-photos` (CI has them beside the repository).
/// Without them the test fails, unless `CCCD_NO_SHARED_PHOTOS=1` says they are knowingly absent.
#[test]
fn shared_photos() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/qr-photos");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CCCD_NO_SHARED_PHOTOS").is_some(),
            "{} not found: put ../shared beside the repository, or set CCCD_NO_SHARED_PHOTOS=1",
            dir.display()
        );
        return;
    }
    let names = [
        "qrcode-1/1.webp",
        "qrcode-1/7.webp",
        "qrcode-2/1.png",
        "qrcode-2/qr-inv-1.webp",
        "qrcode-6/1.png",
    ];
    let mut checked = 0;
    for name in names {
        let path = dir.join(name);
        let expected = std::fs::read_to_string(path.with_extension("txt"))
            .unwrap()
            .replace("\r\n", "\n");
        let codes = Scanner::new()
            .codes(&path)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            codes
                .iter()
                .any(|c| c.text.replace("\r\n", "\n") == expected),
            "{name}"
        );
        checked += 1;
    }
    assert!(
        checked == names.len(),
        "expected photos missing from {}",
        dir.display()
    );

    // rqrr 0.11 panics on this photo (`x <= i32::MAX as f64` in its perspective code): the
    // panic is caught and the cascade still reads the code with rxing.
    let path = dir.join("qrcode-6/7.png");
    {
        let rqrr_only = Scanner::new().steps(&[Step::Rqrr]).codes(&path);
        assert_eq!(rqrr_only.unwrap_err().code().as_str(), "not_found");
        let expected = std::fs::read_to_string(path.with_extension("txt")).unwrap();
        let codes = Scanner::new().codes(&path).unwrap();
        assert_eq!(
            codes[0].text.replace("\r\n", "\n"),
            expected.replace("\r\n", "\n")
        );
        assert_eq!(codes[0].engine, Engine::Rxing);
    }
}
