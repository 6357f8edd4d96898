//! Synthetic photos of ID cards: a card payload rendered into a QR code on an ID-1 card,
//! placed in a larger frame with rotation, perspective, uneven light, glare, blur, noise and
//! JPEG compression, optionally with a second, unrelated QR code in the frame.
//!
//! Two presets: [`PhotoGenerator::new`] (the original, milder conditions the scanner's tests
//! were written against) and [`PhotoGenerator::hard`], phone photos as people take them (see
//! its docs for the exact conditions).

use image::{Rgb, RgbImage};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// ID-1 card width in millimetres.
const CARD_W: f64 = 85.6;
/// ID-1 card height in millimetres.
const CARD_H: f64 = 54.0;
/// Side of the QR code on the card (without quiet zone), millimetres.
const CODE_MM: f64 = 15.0;
/// Margin of the code from the card's top and right edges, millimetres.
const CODE_MARGIN: f64 = 4.0;

/// Generates card photos, deterministically from a seed.
///
/// ```
/// let mut cards = cccd::synth::CardGenerator::new(1);
/// let mut photos = cccd::synth::PhotoGenerator::new(1);
/// let photo = photos.photo_at(&cards.payload(), (640, 480));
/// assert_eq!(photo.image.dimensions(), (640, 480));
/// assert!(photo.jpeg.starts_with(&[0xff, 0xd8]));
/// ```
#[derive(Debug, Clone)]
pub struct PhotoGenerator {
    rng: ChaCha8Rng,
    second_code: f64,
    card_width: (f64, f64),
    hard: bool,
}

/// A generated photo.
#[derive(Clone)]
pub struct Photo {
    /// The rendered frame before JPEG compression.
    pub image: RgbImage,
    /// The frame as JPEG (quality in [`PhotoMeta::jpeg_quality`]): what a scanner would see.
    pub jpeg: Vec<u8>,
    /// How the photo was made.
    pub meta: PhotoMeta,
}

impl std::fmt::Debug for Photo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Photo")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

/// The parameters a photo was generated with (no payload text).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PhotoMeta {
    /// Frame width in pixels.
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// In-plane rotation of the card, degrees.
    pub rotation_deg: f32,
    /// Perspective: the largest corner displacement, as a fraction of the card's width.
    pub perspective: f32,
    /// The card's corners in the frame (top-left, top-right, bottom-right, bottom-left of
    /// its front).
    pub card_corners: [(f32, f32); 4],
    /// The card's code corners in the frame (top-left, top-right, bottom-right, bottom-left).
    pub code_corners: [(f32, f32); 4],
    /// Approximate size of one QR module in frame pixels.
    pub module_px: f32,
    /// Gaussian blur sigma in pixels (0 = none).
    pub blur: f32,
    /// Sensor noise standard deviation, in 8-bit levels.
    pub noise: f32,
    /// Light falloff across the frame: darkest / brightest, 0–1.
    pub light: f32,
    /// Whether a glare spot was added.
    pub glare: bool,
    /// JPEG quality, 1–100.
    pub jpeg_quality: u8,
    /// Whether a second, unrelated QR code is in the frame.
    pub second_code: bool,
    /// Motion blur: length of the smear in pixels (0 = none; [`PhotoGenerator::hard`] only).
    pub motion_blur: f32,
    /// Whether a shadow band crosses the frame ([`PhotoGenerator::hard`] only).
    pub shadow: bool,
}

impl PhotoGenerator {
    /// Frame sizes [`PhotoGenerator::photo`] picks from: 1280×720, 1920×1080, 2592×1944
    /// (5 MP) and 4000×3000 (12 MP).
    pub const RESOLUTIONS: [(u32, u32); 4] =
        [(1280, 720), (1920, 1080), (2592, 1944), (4000, 3000)];

    /// A generator seeded with `seed`; one photo in four has a second QR code.
    pub fn new(seed: u64) -> Self {
        PhotoGenerator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            second_code: 0.25,
            card_width: (0.35, 0.85),
            hard: false,
        }
    }

    /// Frame sizes [`PhotoGenerator::hard`]'s [`photo`](PhotoGenerator::photo) picks from:
    /// 720p, 1080p, 5 MP and 12 MP, each landscape and portrait.
    pub const HARD_RESOLUTIONS: [(u32, u32); 8] = [
        (1280, 720),
        (1920, 1080),
        (2592, 1944),
        (4000, 3000),
        (720, 1280),
        (1080, 1920),
        (1944, 2592),
        (3000, 4000),
    ];

    /// A generator of hard phone photos, seeded with `seed`:
    ///
    /// - frame: one of [`PhotoGenerator::HARD_RESOLUTIONS`] (720p to 12 MP, landscape or
    ///   portrait, uniformly);
    /// - the card 38–75 % of the frame's width (no lower limit on the module size: small
    ///   portrait frames give codes under 2 px per module), rotated uniformly within ±35°,
    ///   each corner displaced by up to 15 % of the card's width (perspective);
    /// - light falling off to 35–100 % across the frame; a shadow band (a soft-edged band
    ///   across the frame at 40–75 % of the light) in 60 % of photos; always one glare spot
    ///   (radius 4–14 % of the card's width, often over or beside the code);
    /// - ink 10–90 levels (lower contrast than [`PhotoGenerator::new`]);
    /// - blur: defocus (Gaussian, sigma 20–60 % of a module, at least 0.5 px) in 45 % of
    ///   photos, motion blur (a straight smear of 50–150 % of a module, at least 1.5 px, in a
    ///   random direction) in 35 %, only lens softness (sigma 0.3–0.5 px) in the rest;
    /// - sensor noise of 2–10 levels standard deviation; JPEG quality 60–92;
    /// - one photo in five with an unrelated QR code (a URL on a sticker) beside the card.
    ///
    /// The same seed gives the same photos.
    pub fn hard(seed: u64) -> Self {
        PhotoGenerator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            second_code: 0.2,
            card_width: (0.38, 0.75),
            hard: true,
        }
    }

    /// The probability (0–1) that a photo has a second, unrelated QR code.
    pub fn second_code(mut self, probability: f64) -> Self {
        self.second_code = probability.clamp(0.0, 1.0);
        self
    }

    /// The card's width as a fraction of the frame's width, drawn uniformly from
    /// `min..max` (default 0.35–0.85; at most 0.55 with a second code). Small fractions are
    /// a card held far from the camera; modules never get smaller than 2.5 px.
    pub fn card_width(mut self, min: f64, max: f64) -> Self {
        let min = min.clamp(0.05, 0.95);
        self.card_width = (min, max.clamp(min, 0.95));
        self
    }

    /// A photo of a card holding `payload`, at a resolution from
    /// [`PhotoGenerator::RESOLUTIONS`] (or [`PhotoGenerator::HARD_RESOLUTIONS`] for
    /// [`PhotoGenerator::hard`]).
    pub fn photo(&mut self, payload: &str) -> Photo {
        let sizes: &[(u32, u32)] = if self.hard {
            &Self::HARD_RESOLUTIONS
        } else {
            &Self::RESOLUTIONS
        };
        let i = self.rng.gen_range(0..sizes.len());
        self.photo_at(payload, sizes[i])
    }

    /// A photo of a card holding `payload`, `size` = (width, height) pixels (each at least
    /// 64, at most 8192).
    pub fn photo_at(&mut self, payload: &str, size: (u32, u32)) -> Photo {
        let (w, h) = (size.0.clamp(64, 8192), size.1.clamp(64, 8192));
        let hard = self.hard;
        let rng = &mut self.rng;
        let code = Modules::new(payload.as_bytes());
        let second = rng.gen_bool(self.second_code);

        // Card size: the code's modules at least 2.5 px, the card at most 90 % of the frame.
        let (fw, fh) = (f64::from(w), f64::from(h));
        let fit = (0.9 * fw / CARD_W).min(0.9 * fh / CARD_H); // px per mm
        let min_scale = if hard {
            0.5 * code.n as f64 / CODE_MM
        } else {
            2.5 * code.n as f64 / CODE_MM
        };
        let (lo, hi) = self.card_width;
        let hi = if second && !hard { hi.min(0.55) } else { hi }.max(lo + 0.01);
        let want = rng.gen_range(lo..hi) * fw / CARD_W;
        let scale = want.max(min_scale).min(fit.max(min_scale));
        let (cw, ch) = (CARD_W * scale, CARD_H * scale);

        let rotation = if hard {
            rng.gen_range(-35.0..35.0f64)
        } else if rng.gen_bool(0.15) {
            rng.gen_range(-180.0..180.0)
        } else {
            rng.gen_range(-25.0..25.0f64)
        };
        let perspective = rng.gen_range(0.0..if hard { 0.15 } else { 0.12f64 });
        let (sin, cos) = rotation.to_radians().sin_cos();
        // Centre: leave room for the second code on one side.
        let side = if rng.gen_bool(0.5) { 1.0 } else { -1.0 };
        let half_extent_x = (cw * cos.abs() + ch * sin.abs()) / 2.0;
        let half_extent_y = (cw * sin.abs() + ch * cos.abs()) / 2.0;
        let slack_x = (fw / 2.0 - half_extent_x).max(0.0);
        let slack_y = (fh / 2.0 - half_extent_y).max(0.0);
        let cx = if second {
            fw / 2.0 + side * slack_x * 0.9
        } else {
            fw / 2.0 + rng.gen_range(-0.8..0.8) * slack_x
        };
        let cy = fh / 2.0 + rng.gen_range(-0.8..0.8) * slack_y;
        let mut corners = [(0.0, 0.0); 4];
        for (i, (u, v)) in [(0.0, 0.0), (CARD_W, 0.0), (CARD_W, CARD_H), (0.0, CARD_H)]
            .into_iter()
            .enumerate()
        {
            let (x, y) = ((u - CARD_W / 2.0) * scale, (v - CARD_H / 2.0) * scale);
            let j = perspective * cw;
            corners[i] = (
                cx + x * cos - y * sin + rng.gen_range(-j..=j) * 0.5,
                cy + x * sin + y * cos + rng.gen_range(-j..=j) * 0.5,
            );
        }
        // Keep the whole card inside the frame (2 % margin): shrink, then shift.
        let (mx, my) = (fw * 0.02, fh * 0.02);
        let bbox = |c: &[(f64, f64); 4]| {
            c.iter()
                .fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, p| {
                    (b.0.min(p.0), b.1.min(p.1), b.2.max(p.0), b.3.max(p.1))
                })
        };
        let (x0, y0, x1, y1) = bbox(&corners);
        let shrink = ((fw - 2.0 * mx) / (x1 - x0))
            .min((fh - 2.0 * my) / (y1 - y0))
            .min(1.0);
        let (ccx, ccy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        for p in &mut corners {
            *p = (ccx + (p.0 - ccx) * shrink, ccy + (p.1 - ccy) * shrink);
        }
        let (x0, y0, x1, y1) = bbox(&corners);
        let dx = (mx - x0).max(0.0) - (x1 - (fw - mx)).max(0.0);
        let dy = (my - y0).max(0.0) - (y1 - (fh - my)).max(0.0);
        for p in &mut corners {
            *p = (p.0 + dx, p.1 + dy);
        }
        let scale = scale * shrink;
        let card = Homography::from_rect(CARD_W, CARD_H, corners);
        let card_inv = card.inverse();

        // The second code: a white sticker on the other side of the frame.
        let sticker = if second {
            let url = format!(
                "https://example.com/t/{:08x}{:08x}",
                rng.gen::<u32>(),
                rng.gen::<u32>()
            );
            let other = Modules::new(url.as_bytes());
            let room = (fw / 2.0 - half_extent_x).max(0.0);
            let (side_px, sx) = if hard {
                // Beside the card where there is room, else overlapping the frame's edge
                // below or above the card (a sticker on the table).
                let (bx0, _, bx1, _) = bbox(&corners);
                let (left, right) = (bx0, fw - bx1);
                let s = (left.max(right) * 0.8)
                    .min(fh * 0.35)
                    .max(fw.min(fh) * 0.18);
                (s, if right > left { fw - s * 0.6 } else { s * 0.6 })
            } else {
                (
                    (room * 0.7).min(fh * 0.5),
                    fw / 2.0 - side * (fw / 2.0 - room / 2.0),
                )
            };
            if side_px >= (other.n + 8) as f64 * if hard { 1.5 } else { 2.0 } {
                let a = rng.gen_range(-20.0..20.0f64).to_radians();
                let (s2, c2) = a.sin_cos();
                let half = side_px / 2.0;
                let sy = if hard {
                    rng.gen_range(half..(fh - half).max(half + 1.0))
                } else {
                    fh / 2.0
                };
                let pts = [(-half, -half), (half, -half), (half, half), (-half, half)]
                    .map(|(x, y)| (sx + x * c2 - y * s2, sy + x * s2 + y * c2));
                let hom = Homography::from_rect(1.0, 1.0, pts);
                Some((other, hom.inverse()))
            } else {
                None
            }
        } else {
            None
        };

        // Background, light and glare.
        let bg = [
            rng.gen_range(40..200) as f32,
            rng.gen_range(40..200) as f32,
            rng.gen_range(40..200) as f32,
        ];
        let stripe = rng.gen_range(0.005..0.05f32);
        let light = rng.gen_range(if hard { 0.35 } else { 0.45 }..1.0f32);
        let light_dir = rng.gen_range(0.0..std::f32::consts::TAU);
        let glare = hard || rng.gen_bool(0.3);
        let glare_at = {
            // Often near the code, where it hurts.
            let m = card.map(
                CARD_W - CODE_MARGIN - CODE_MM / 2.0,
                CODE_MARGIN + CODE_MM / 2.0,
            );
            let r = cw * 0.15;
            (
                m.0 as f32 + rng.gen_range(-r..=r) as f32,
                m.1 as f32 + rng.gen_range(-r..=r) as f32,
            )
        };
        let glare_r = (cw * rng.gen_range(0.04..0.12)) as f32;
        let glare_k = rng.gen_range(0.4..0.9f32);
        let card_tint = [
            rng.gen_range(215..245) as f32,
            rng.gen_range(225..250) as f32,
            rng.gen_range(225..250) as f32,
        ];
        let ink = rng.gen_range(10..if hard { 90 } else { 60 }) as f32;
        // A shadow band: distance from a line through the frame, soft edges.
        let shadow = hard && rng.gen_bool(0.6);
        let shadow_band = if shadow {
            let a = rng.gen_range(0.0..std::f32::consts::PI);
            let diag = (fw * fw + fh * fh).sqrt() as f32;
            (
                (a.cos(), a.sin()),
                rng.gen_range(-0.3..0.3f32) * diag,
                rng.gen_range(0.05..0.18f32) * diag,
                rng.gen_range(0.02..0.08f32) * diag,
                rng.gen_range(0.40..0.75f32),
            )
        } else {
            ((1.0, 0.0), 0.0, 0.0, 1.0, 1.0)
        };

        let code_x0 = CARD_W - CODE_MARGIN - CODE_MM;
        let code_y0 = CODE_MARGIN;
        let module_mm = CODE_MM / code.n as f64;
        let (ldx, ldy) = (light_dir.cos(), light_dir.sin());
        let diag = ((fw * fw + fh * fh).sqrt() / 2.0) as f32;
        let mut img = RgbImage::new(w, h);
        for (x, y, px) in img.enumerate_pixels_mut() {
            let (xf, yf) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
            let (u, v) = card_inv.map(xf, yf);
            let mut c = if (0.0..CARD_W).contains(&u) && (0.0..CARD_H).contains(&v) {
                let (qu, qv) = ((u - code_x0) / module_mm, (v - code_y0) / module_mm);
                if code.dark(qu, qv) {
                    [ink; 3]
                } else {
                    card_face(u, v, card_tint, ink)
                }
            } else if let Some((other, inv)) = &sticker {
                let (su, sv) = inv.map(xf, yf);
                if (0.0..1.0).contains(&su) && (0.0..1.0).contains(&sv) {
                    let m = (other.n + 8) as f64;
                    if other.dark(su * m - 4.0, sv * m - 4.0) {
                        [ink; 3]
                    } else {
                        [235.0; 3]
                    }
                } else {
                    background(xf, yf, bg, stripe)
                }
            } else {
                background(xf, yf, bg, stripe)
            };
            // Linear light falloff along a random direction.
            let (dx, dy) = (xf as f32 - fw as f32 / 2.0, yf as f32 - fh as f32 / 2.0);
            let t = ((dx * ldx + dy * ldy) / diag).clamp(-1.0, 1.0) * 0.5 + 0.5;
            let mut l = light + (1.0 - light) * t;
            if shadow {
                let ((nx, ny), off, half, soft, depth) = shadow_band;
                let d = (dx * nx + dy * ny - off).abs() - half;
                let inside = (0.5 - d / soft).clamp(0.0, 1.0);
                l *= 1.0 - (1.0 - depth) * inside;
            }
            let g = if glare {
                let (gx, gy) = (xf as f32 - glare_at.0, yf as f32 - glare_at.1);
                glare_k * (-(gx * gx + gy * gy) / (2.0 * glare_r * glare_r)).exp()
            } else {
                0.0
            };
            for ch in &mut c {
                *ch = *ch * l + g * 255.0;
            }
            *px = Rgb(c.map(|v| v.clamp(0.0, 255.0) as u8));
        }

        // Blur relative to the module size, then sensor noise.
        let module_px = (scale * module_mm) as f32;
        let mut motion_blur = 0.0;
        let blur = if hard {
            let kind = rng.gen_range(0.0..1.0f32);
            if kind < 0.45 {
                (rng.gen_range(0.2..0.6f32) * module_px).max(0.5)
            } else if kind < 0.8 {
                motion_blur = (rng.gen_range(0.5..1.5f32) * module_px).max(1.5);
                let angle = rng.gen_range(0.0..std::f32::consts::PI);
                motion(&mut img, motion_blur, angle);
                0.0
            } else {
                rng.gen_range(0.3..0.5f32)
            }
        } else if rng.gen_bool(0.7) {
            rng.gen_range(0.1..0.35f32) * module_px.min(6.0)
        } else {
            0.0
        };
        if blur > 0.25 {
            gaussian_blur(&mut img, blur);
        }
        let noise = if hard {
            rng.gen_range(2.0..10.0f32)
        } else {
            rng.gen_range(1.0..8.0f32)
        };
        let mut noise_rng = ChaCha8Rng::seed_from_u64(rng.gen());
        for p in img.pixels_mut() {
            // Sum of three uniforms: close enough to Gaussian.
            let n: f32 = (0..3)
                .map(|_| noise_rng.gen_range(-1.0..1.0f32))
                .sum::<f32>()
                * noise;
            for c in &mut p.0 {
                *c = (f32::from(*c) + n).clamp(0.0, 255.0) as u8;
            }
        }

        let jpeg_quality = if hard {
            rng.gen_range(60..=92u8)
        } else {
            rng.gen_range(55..=95u8)
        };
        let mut jpeg = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, jpeg_quality);
        img.write_with_encoder(encoder)
            .expect("JPEG encoding into memory cannot fail");

        let code_corners = [
            (code_x0, code_y0),
            (code_x0 + CODE_MM, code_y0),
            (code_x0 + CODE_MM, code_y0 + CODE_MM),
            (code_x0, code_y0 + CODE_MM),
        ]
        .map(|(u, v)| {
            let (x, y) = card.map(u, v);
            (x as f32, y as f32)
        });
        Photo {
            image: img,
            jpeg,
            meta: PhotoMeta {
                width: w,
                height: h,
                rotation_deg: rotation as f32,
                perspective: perspective as f32,
                card_corners: corners.map(|(x, y)| (x as f32, y as f32)),
                code_corners,
                module_px,
                blur,
                noise,
                light,
                glare,
                jpeg_quality,
                second_code: sticker.is_some(),
                motion_blur,
                shadow,
            },
        }
    }
}

/// Separable Gaussian blur with standard deviation `sigma` pixels, in place.
fn gaussian_blur(img: &mut RgbImage, sigma: f32) {
    let r = (sigma * 3.0).ceil() as usize;
    let kernel: Vec<f32> = (0..=2 * r)
        .map(|i| (-((i as f32 - r as f32).powi(2)) / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f32 = kernel.iter().sum();
    let kernel: Vec<f32> = kernel.iter().map(|k| k / total).collect();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let pass = |src: &[u8], dst: &mut [u8], horizontal: bool| {
        let (outer, inner) = if horizontal { (h, w) } else { (w, h) };
        for o in 0..outer {
            for i in 0..inner {
                let mut acc = [0.0f32; 3];
                for (k, weight) in kernel.iter().enumerate() {
                    let j = (i + k).saturating_sub(r).min(inner - 1);
                    let idx = if horizontal { o * w + j } else { j * w + o };
                    for (c, a) in acc.iter_mut().enumerate() {
                        *a += f32::from(src[idx * 3 + c]) * weight;
                    }
                }
                let idx = if horizontal { o * w + i } else { i * w + o };
                for (c, a) in acc.iter().enumerate() {
                    dst[idx * 3 + c] = a.round().clamp(0.0, 255.0) as u8;
                }
            }
        }
    };
    let mut tmp = vec![0u8; w * h * 3];
    pass(img.as_raw(), &mut tmp, true);
    pass(&tmp, img.as_mut(), false);
}

/// Motion blur in place: the mean of samples along a straight smear of `length` pixels in
/// direction `angle` (radians), nearest-pixel sampling.
fn motion(img: &mut RgbImage, length: f32, angle: f32) {
    let n = (length.ceil() as i64).max(2);
    let (dx, dy) = (angle.cos(), angle.sin());
    let offsets: Vec<(i64, i64)> = (0..n)
        .map(|i| {
            let t = (i as f32 / (n - 1) as f32 - 0.5) * length;
            ((t * dx).round() as i64, (t * dy).round() as i64)
        })
        .collect();
    let (w, h) = (i64::from(img.width()), i64::from(img.height()));
    let src = img.as_raw().clone();
    let dst = img.as_mut();
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0u32; 3];
            for &(ox, oy) in &offsets {
                let (sx, sy) = ((x + ox).clamp(0, w - 1), (y + oy).clamp(0, h - 1));
                let i = ((sy * w + sx) * 3) as usize;
                for (c, a) in acc.iter_mut().enumerate() {
                    *a += u32::from(src[i + c]);
                }
            }
            let i = ((y * w + x) * 3) as usize;
            for (c, a) in acc.iter().enumerate() {
                dst[i + c] = (*a / n as u32) as u8;
            }
        }
    }
}

/// The card's printed face (without the code): pale tint, an emblem, a portrait, text lines.
fn card_face(u: f64, v: f64, tint: [f32; 3], ink: f32) -> [f32; 3] {
    // Emblem at the top left.
    let (eu, ev) = (u - 9.0, v - 9.0);
    if eu * eu + ev * ev < 36.0 {
        return [200.0, 40.0, 40.0];
    }
    // Portrait.
    if (4.0..24.0).contains(&u) && (20.0..46.0).contains(&v) {
        return [150.0, 140.0, 135.0];
    }
    // Title and text lines: dark bars of "glyphs".
    let line = |top: f64, left: f64, right: f64| {
        (top..top + 2.2).contains(&v) && (left..right).contains(&u) && (u * 3.1).fract() < 0.7
    };
    if line(5.0, 20.0, 62.0) || line(9.0, 24.0, 58.0) {
        return [ink + 20.0, ink + 20.0, ink + 60.0];
    }
    for i in 0..6 {
        let top = 23.0 + f64::from(i) * 4.5;
        if line(top, 28.0, 80.0 - f64::from(i % 3) * 9.0) {
            return [ink + 10.0; 3];
        }
    }
    // Guilloche-like pale waves.
    let wave = ((u * 0.9 + (v * 0.7).sin() * 3.0).sin() * 6.0) as f32;
    [tint[0] + wave, tint[1] + wave, tint[2]]
}

/// A textured background (table, fabric).
fn background(x: f64, y: f64, bg: [f32; 3], stripe: f32) -> [f32; 3] {
    let s = ((x as f32 * stripe + (y as f32 * stripe * 0.3).sin() * 4.0).sin()) * 18.0;
    [bg[0] + s, bg[1] + s * 0.8, bg[2] + s * 0.6]
}

/// QR modules of one code.
struct Modules {
    n: usize,
    dark: Vec<bool>,
}

impl Modules {
    fn new(data: &[u8]) -> Self {
        let code = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M)
            .or_else(|_| qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::L))
            .unwrap_or_else(|_| {
                qrcode::QrCode::new(b"payload too long").expect("short payload fits")
            });
        Modules {
            n: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect(),
        }
    }

    /// Whether module coordinates (`x`, `y`, in modules from the code's corner) are dark.
    fn dark(&self, x: f64, y: f64) -> bool {
        if x < 0.0 || y < 0.0 {
            return false;
        }
        let (i, j) = (x as usize, y as usize);
        i < self.n && j < self.n && self.dark[j * self.n + i]
    }
}

/// A projective map from a `w` × `h` rectangle to a quadrilateral.
#[derive(Debug, Clone, Copy)]
struct Homography([f64; 9]);

impl Homography {
    fn from_rect(w: f64, h: f64, to: [(f64, f64); 4]) -> Self {
        let from = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
        // Solve the 8×8 system for h11..h32 (h33 = 1).
        let mut a = [[0.0f64; 9]; 8];
        for i in 0..4 {
            let ((x, y), (u, v)) = (from[i], to[i]);
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        for col in 0..8 {
            let pivot = (col..8)
                .max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))
                .unwrap_or(col);
            a.swap(col, pivot);
            let d = a[col][col];
            if d.abs() < 1e-12 {
                continue;
            }
            for v in a[col].iter_mut().skip(col) {
                *v /= d;
            }
            let pivot_row = a[col];
            for (r, row) in a.iter_mut().enumerate() {
                if r != col {
                    let f = row[col];
                    for (v, p) in row.iter_mut().zip(pivot_row).skip(col) {
                        *v -= f * p;
                    }
                }
            }
        }
        let s: Vec<f64> = a.iter().map(|r| r[8]).collect();
        Homography([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], 1.0])
    }

    fn map(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.0;
        let d = m[6] * x + m[7] * y + m[8];
        (
            (m[0] * x + m[1] * y + m[2]) / d,
            (m[3] * x + m[4] * y + m[5]) / d,
        )
    }

    fn inverse(&self) -> Self {
        let m = &self.0;
        let (a, b, c, d, e, f, g, h, i) = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]);
        let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
        let inv = [
            e * i - f * h,
            c * h - b * i,
            b * f - c * e,
            f * g - d * i,
            a * i - c * g,
            c * d - a * f,
            d * h - e * g,
            b * g - a * h,
            a * e - b * d,
        ];
        Homography(inv.map(|v| v / det))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homography_maps_corners() {
        let to = [(10.0, 20.0), (110.0, 25.0), (105.0, 90.0), (5.0, 80.0)];
        let hom = Homography::from_rect(85.6, 54.0, to);
        let (x, y) = hom.map(85.6, 54.0);
        assert!((x - 105.0).abs() < 1e-6 && (y - 90.0).abs() < 1e-6);
        let (u, v) = hom.inverse().map(5.0, 80.0);
        assert!(u.abs() < 1e-6 && (v - 54.0).abs() < 1e-6);
    }

    #[test]
    fn hard_preset_is_deterministic_and_bounded() {
        let a = PhotoGenerator::hard(3).photo_at("abc", (120, 200));
        let b = PhotoGenerator::hard(3).photo_at("abc", (120, 200));
        assert_eq!(a.jpeg, b.jpeg);
        assert_eq!(a.image.dimensions(), (120, 200));
        assert!((60..=92).contains(&a.meta.jpeg_quality));
        assert!(a.meta.glare && a.meta.rotation_deg.abs() <= 35.0);
        let mut gen = PhotoGenerator::hard(4);
        for _ in 0..6 {
            let p = gen.photo_at("abc", (96, 64));
            assert!(p
                .meta
                .card_corners
                .iter()
                .all(|&(x, y)| { (0.0..=96.0).contains(&x) && (0.0..=64.0).contains(&y) }));
        }
    }

    #[test]
    fn deterministic() {
        let a = PhotoGenerator::new(5).photo_at("abc", (200, 150));
        let b = PhotoGenerator::new(5).photo_at("abc", (200, 150));
        let c = PhotoGenerator::new(6).photo_at("abc", (200, 150));
        assert_eq!(a.jpeg, b.jpeg);
        assert_ne!(a.jpeg, c.jpeg);
    }
}
