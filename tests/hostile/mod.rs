//! Images made to hurt a QR scanner, generated (nothing large in the repository). Shared by
//! `tests/scan_hostile.rs` and `benches/scan_hostile.rs`.
#![allow(dead_code)]

use image::{GrayImage, Luma};

/// A deterministic xorshift generator (no dependency, same images on every machine).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Whether module (mx, my) of a 7 × 7 finder pattern is dark.
fn finder_dark(mx: u32, my: u32) -> bool {
    let ring = mx.min(my).min(6 - mx).min(6 - my);
    ring != 1
}

/// The image tiled with finder patterns (7 modules and a 1-module gap), dark on light.
pub fn finder_flood(width: u32, height: u32, module: u32, dark: u8, light: u8) -> GrayImage {
    let period = 8 * module;
    GrayImage::from_fn(width, height, |x, y| {
        let (mx, my) = ((x % period) / module, (y % period) / module);
        let on = mx < 7 && my < 7 && finder_dark(mx, my);
        Luma([if on { dark } else { light }])
    })
}

/// A checkerboard of `cell`-pixel squares.
pub fn checkerboard(side: u32, cell: u32) -> GrayImage {
    GrayImage::from_fn(side, side, |x, y| {
        Luma([if ((x / cell) + (y / cell)) % 2 == 0 {
            0
        } else {
            255
        }])
    })
}

/// Random cells of `cell` pixels, each a grey level in `lo..=hi`.
pub fn noise(side: u32, cell: u32, lo: u8, hi: u8, seed: u64) -> GrayImage {
    let mut rng = Rng::new(seed);
    let cols = side.div_ceil(cell);
    let levels: Vec<u8> = (0..cols * cols)
        .map(|_| lo + (rng.next() % (u64::from(hi - lo) + 1)) as u8)
        .collect();
    GrayImage::from_fn(side, side, |x, y| {
        Luma([levels[((y / cell) * cols + x / cell) as usize]])
    })
}

/// The modules of a QR code holding `payload` (true = dark), and its side in modules.
pub fn qr_modules(payload: &[u8]) -> (Vec<bool>, u32) {
    let code = qrcode::QrCode::new(payload).expect("payload fits a qr code");
    let side = code.width() as u32;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    (dark, side)
}

/// Draws a QR code with `module`-pixel modules at (x0, y0) (no quiet zone drawn).
pub fn draw_code(img: &mut GrayImage, payload: &[u8], x0: u32, y0: u32, module: u32) {
    let (dark, side) = qr_modules(payload);
    for my in 0..side {
        for mx in 0..side {
            if dark[(my * side + mx) as usize] {
                for dy in 0..module {
                    for dx in 0..module {
                        img.put_pixel(x0 + mx * module + dx, y0 + my * module + dy, Luma([0]));
                    }
                }
            }
        }
    }
}

/// A white image holding one code per payload, side by side.
pub fn codes_image(payloads: &[&[u8]], module: u32) -> GrayImage {
    let sides: Vec<u32> = payloads.iter().map(|p| qr_modules(p).1).collect();
    let quiet = 6 * module;
    let width = sides.iter().map(|s| s * module + quiet).sum::<u32>() + quiet;
    let height = sides.iter().max().copied().unwrap_or(21) * module + 2 * quiet;
    let mut img = GrayImage::from_pixel(width, height, Luma([255]));
    let mut x = quiet;
    for (p, s) in payloads.iter().zip(&sides) {
        draw_code(&mut img, p, x, quiet, module);
        x += s * module + quiet;
    }
    img
}

pub fn png<P: image::PixelWithColorType>(img: &image::ImageBuffer<P, Vec<P::Subpixel>>) -> Vec<u8>
where
    [P::Subpixel]: image::EncodableLayout,
{
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub fn jpeg(img: &GrayImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .unwrap();
    out
}

/// A JPEG with an Exif APP1 segment holding only the orientation tag (1–8).
pub fn jpeg_with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    // TIFF header (little endian), one IFD entry: 0x0112 SHORT 1 = orientation.
    let mut tiff = vec![b'I', b'I', 42, 0, 8, 0, 0, 0, 1, 0];
    tiff.extend_from_slice(&0x0112u16.to_le_bytes());
    tiff.extend_from_slice(&3u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// CRC-32 as PNG chunks use it.
pub fn crc32(bytes: &[u8]) -> u32 {
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

/// A PNG whose header claims `width` × `height` (the data is a 1 × 1 image's).
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = png(&GrayImage::new(1, 1));
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

/// The adversarial set: name and encoded bytes.
pub fn adversarial_set() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "finder flood 400 px png",
            png(&finder_flood(400, 400, 1, 0, 255)),
        ),
        (
            "finder flood 1000 px, 2 px modules",
            png(&finder_flood(1000, 1000, 2, 0, 255)),
        ),
        (
            "finder flood 3000 px png",
            png(&finder_flood(3000, 3000, 2, 0, 255)),
        ),
        (
            "finder flood 2400 px jpeg",
            jpeg(&finder_flood(2400, 2400, 1, 0, 255), 90),
        ),
        (
            "low-contrast finder flood 1200 px",
            png(&finder_flood(1200, 1200, 2, 120, 136)),
        ),
        ("checkerboard 2000 px, 1 px", png(&checkerboard(2000, 1))),
        ("checkerboard 2000 px, 3 px", png(&checkerboard(2000, 3))),
        (
            "low-contrast noise 1000 px",
            png(&noise(1000, 1, 120, 136, 7)),
        ),
        (
            "low-contrast noise 2000 px, 2 px",
            png(&noise(2000, 2, 112, 144, 8)),
        ),
        ("noise 1500 px, 2 px", png(&noise(1500, 2, 0, 255, 9))),
        (
            "white 7000 px png bomb",
            png(&GrayImage::from_pixel(7000, 7000, Luma([255]))),
        ),
        (
            "white 7000 px jpeg bomb",
            jpeg(&GrayImage::from_pixel(7000, 7000, Luma([255])), 50),
        ),
        ("header claims 100000 px", png_claiming(100_000, 100_000)),
    ]
}
