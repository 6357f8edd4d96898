//! Image processing for the cascade: scaling, framing, thresholds.

use image::GrayImage;

/// A working copy and the factor from its coordinates back to the original's.
pub(super) type Scaled = (GrayImage, f32);

/// A copy with a long side of `max_side`, or `None` when the image is not larger.
pub(super) fn scaled(image: &GrayImage, max_side: u32) -> Option<Scaled> {
    let long = image.width().max(image.height());
    if long <= max_side {
        return None;
    }
    let f = max_side as f32 / long as f32;
    let w = ((image.width() as f32 * f).round() as u32).max(1);
    let h = ((image.height() as f32 * f).round() as u32).max(1);
    let small = image::imageops::resize(image, w, h, image::imageops::FilterType::Triangle);
    Some((small, image.width() as f32 / w as f32))
}

/// A white margin around a tiny image, then a 4× nearest-neighbour copy; returns the copy
/// and the margin in original pixels.
pub(super) fn frame(image: &GrayImage) -> (GrayImage, u32) {
    let long = image.width().max(image.height());
    let pad = (long / 8).max(4);
    let mut framed = GrayImage::from_pixel(
        image.width() + 2 * pad,
        image.height() + 2 * pad,
        image::Luma([255]),
    );
    image::imageops::replace(&mut framed, image, i64::from(pad), i64::from(pad));
    let big = image::imageops::resize(
        &framed,
        framed.width() * 4,
        framed.height() * 4,
        image::imageops::FilterType::Nearest,
    );
    (big, pad)
}

/// A blurred copy binarised with one global (Otsu) threshold.
pub(super) fn otsu_binarise(image: &GrayImage) -> GrayImage {
    let mut bin = image::imageops::blur(image, 2.0);
    let t = otsu(&bin);
    bin.pixels_mut()
        .for_each(|p| p.0[0] = if p.0[0] <= t { 0 } else { 255 });
    bin
}

/// Otsu's global threshold: the level that best separates the histogram into two classes.
fn otsu(image: &GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for p in image.pixels() {
        hist[usize::from(p.0[0])] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0u64, 0f64, -1f64, 127u8);
    for (t, &n) in hist.iter().enumerate() {
        w0 += n;
        sum0 += t as f64 * n as f64;
        let w1 = total - w0;
        if w0 == 0 || w1 == 0 {
            continue;
        }
        let (m0, m1) = (sum0 / w0 as f64, (sum - sum0) / w1 as f64);
        let between = w0 as f64 * w1 as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

/// Binarises with the mean of a square window (side about 1/8 of the short side), a few
/// levels below the mean counting as dark: robust to uneven light and soft glare.
pub(super) fn threshold(image: &GrayImage) -> GrayImage {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let r = (w.min(h) / 16).clamp(4, 64);
    // Integral image with a zero row and column; u64 so any image size is fine.
    let mut sum = vec![0u64; (w + 1) * (h + 1)];
    let px = image.as_raw();
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(px[y * w + x]);
            sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
        }
    }
    let mut out = GrayImage::new(image.width(), image.height());
    let o = out.as_mut();
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let total = sum[y1 * (w + 1) + x1] + sum[y0 * (w + 1) + x0]
                - sum[y0 * (w + 1) + x1]
                - sum[y1 * (w + 1) + x0];
            let n = ((y1 - y0) * (x1 - x0)) as u64;
            let v = u64::from(px[y * w + x]) * n;
            o[y * w + x] = if v + 8 * n < total { 0 } else { 255 };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_is_binary() {
        let img = GrayImage::from_fn(40, 30, |x, y| image::Luma([((x * 5 + y * 3) % 256) as u8]));
        let t = threshold(&img);
        assert!(t.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
        assert!(t.pixels().any(|p| p.0[0] == 0));
    }
}
