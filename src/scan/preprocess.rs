//! Image processing for the cascade: scaling, framing, thresholds.

use image::GrayImage;

use super::budget::Deadline;

/// A working copy and the factor from its coordinates back to the original's.
pub(super) type Scaled = (GrayImage, f32);

/// A copy whose long side is at most `max_side`, each pixel the mean of a k × k block (one
/// pass, far cheaper than a filtered resize on large photos); `None` when the image is not
/// larger, or (`Some(None)`) when the deadline passes first.
pub(super) fn shrink(
    image: &GrayImage,
    max_side: u32,
    deadline: &Deadline,
) -> Option<Option<Scaled>> {
    let long = image.width().max(image.height());
    if long <= max_side {
        return None;
    }
    let k = long.div_ceil(max_side.max(1));
    let (w, h) = ((image.width() / k).max(1), (image.height() / k).max(1));
    let src = image.as_raw();
    let sw = image.width() as usize;
    let ku = k as usize;
    let mut out = GrayImage::new(w, h);
    let mut sums = vec![0u32; w as usize];
    for (oy, row) in out.as_mut().chunks_exact_mut(w as usize).enumerate() {
        if oy % 16 == 0 && deadline.passed() {
            return Some(None);
        }
        sums.iter_mut().for_each(|v| *v = 0);
        for y in oy * ku..(oy + 1) * ku {
            let line = &src[y * sw..y * sw + w as usize * ku];
            for (sum, block) in sums.iter_mut().zip(line.chunks_exact(ku)) {
                *sum += block.iter().map(|&p| u32::from(p)).sum::<u32>();
            }
        }
        let n = k * k;
        for (o, &sum) in row.iter_mut().zip(&sums) {
            *o = ((sum + n / 2) / n) as u8;
        }
    }
    Some(Some((out, k as f32)))
}

/// The inverted image (light modules on dark read as dark on light); `None` when the
/// deadline passes first.
pub(super) fn inverted(image: &GrayImage, deadline: &Deadline) -> Option<GrayImage> {
    let mut out = GrayImage::new(image.width(), image.height());
    let chunk = (image.width() as usize * 64).max(1);
    for (o, i) in out
        .as_mut()
        .chunks_mut(chunk)
        .zip(image.as_raw().chunks(chunk))
    {
        if deadline.passed() {
            return None;
        }
        o.iter_mut().zip(i).for_each(|(o, &i)| *o = 255 - i);
    }
    Some(out)
}

/// A white margin around a tiny image (an eighth of its long side, at least 4 px); returns
/// the framed copy and the margin.
pub(super) fn frame(image: &GrayImage) -> (GrayImage, u32) {
    let long = image.width().max(image.height());
    let pad = (long / 8).max(4);
    let mut framed = GrayImage::from_pixel(
        image.width() + 2 * pad,
        image.height() + 2 * pad,
        image::Luma([255]),
    );
    image::imageops::replace(&mut framed, image, i64::from(pad), i64::from(pad));
    (framed, pad)
}

/// A blurred copy binarised with one global threshold, Otsu's level (imageproc's). The blur
/// stays `image`'s: imageproc's `gaussian_blur_f32` took 2–3 times as long on 320 px to
/// 1280 px images (`image` 0.5 ms, imageproc 1.0 ms at 320 × 320, σ = 1.5).
pub(super) fn otsu_binarise(image: &GrayImage) -> GrayImage {
    let mut bin = image::imageops::blur(image, 1.5);
    let level = imageproc::contrast::otsu_level(&bin);
    imageproc::contrast::threshold_mut(&mut bin, level, imageproc::contrast::ThresholdType::Binary);
    bin
}

/// Binarises with the mean of a square window (side about 1/8 of the short side), a few
/// levels below the mean counting as dark: robust to uneven light and soft glare. Box sums
/// come from running column sums, so the extra memory is two rows, whatever the image size.
/// `None` when the deadline passes first.
///
/// Kept by hand rather than imageproc's `adaptive_threshold`: that one took 2.3–2.5 times as
/// long (1280 × 720: 4.9 ms against 2.2 ms; 12 MP: 127 ms against 51 ms), builds a `u32`
/// integral image of 4 bytes per pixel (over the cascade's memory bound on large images, and
/// its sums overflow past 16.8 megapixels) and cannot be stopped at the deadline.
pub(super) fn threshold(image: &GrayImage, deadline: &Deadline) -> Option<GrayImage> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let r = (w.min(h) / 16).clamp(4, 64);
    let px = image.as_raw();
    // Column sums over rows [top, bottom); at most 129 rows × 255 fit in u32, and so does
    // their prefix over at most 16 384 columns (5.4e8).
    let mut col = vec![0u32; w];
    let mut prefix = vec![0u32; w + 1];
    let (mut top, mut bottom) = (0usize, 0usize);
    let mut out = GrayImage::new(image.width(), image.height());
    let o = out.as_mut();
    for y in 0..h {
        if y % 32 == 0 && deadline.passed() {
            return None;
        }
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        while bottom < y1 {
            let row = &px[bottom * w..(bottom + 1) * w];
            col.iter_mut()
                .zip(row)
                .for_each(|(c, &p)| *c += u32::from(p));
            bottom += 1;
        }
        while top < y0 {
            let row = &px[top * w..(top + 1) * w];
            col.iter_mut()
                .zip(row)
                .for_each(|(c, &p)| *c -= u32::from(p));
            top += 1;
        }
        for x in 0..w {
            prefix[x + 1] = prefix[x] + col[x];
        }
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let total = u64::from(prefix[x1] - prefix[x0]);
            let n = ((y1 - y0) * (x1 - x0)) as u64;
            let v = u64::from(px[y * w + x]) * n;
            o[y * w + x] = if v + 8 * n < total { 0 } else { 255 };
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_is_binary() {
        let img = GrayImage::from_fn(40, 30, |x, y| image::Luma([((x * 5 + y * 3) % 256) as u8]));
        let never = Deadline::new(web_time::Instant::now(), std::time::Duration::MAX);
        let t = threshold(&img, &never).unwrap();
        assert!(t.pixels().all(|p| p.0[0] == 0 || p.0[0] == 255));
        assert!(t.pixels().any(|p| p.0[0] == 0));
        // The same as a direct box mean at every pixel.
        let r = 4i64;
        for y in 0..30i64 {
            for x in 0..40i64 {
                let (mut total, mut n) = (0u64, 0u64);
                for yy in (y - r).max(0)..(y + r + 1).min(30) {
                    for xx in (x - r).max(0)..(x + r + 1).min(40) {
                        total += u64::from(img.get_pixel(xx as u32, yy as u32).0[0]);
                        n += 1;
                    }
                }
                let v = u64::from(img.get_pixel(x as u32, y as u32).0[0]) * n;
                let dark = v + 8 * n < total;
                assert_eq!(
                    t.get_pixel(x as u32, y as u32).0[0] == 0,
                    dark,
                    "({x}, {y})"
                );
            }
        }
        let spent = Deadline::new(web_time::Instant::now(), std::time::Duration::ZERO);
        assert!(threshold(&img, &spent).is_none());
    }

    #[test]
    fn shrink_averages_blocks() {
        let never = Deadline::new(web_time::Instant::now(), std::time::Duration::MAX);
        let img = GrayImage::from_fn(9, 6, |x, _| image::Luma([if x % 2 == 0 { 0 } else { 200 }]));
        assert!(shrink(&img, 9, &never).is_none());
        let (small, f) = shrink(&img, 4, &never).unwrap().unwrap();
        assert_eq!((small.dimensions(), f), ((3, 2), 3.0));
        // Blocks of columns 0-2 (0, 200, 0), 3-5 (200, 0, 200), 6-8 (0, 200, 0).
        assert_eq!(small.as_raw(), &[67, 133, 67, 67, 133, 67]);
        let inv = inverted(&img, &never).unwrap();
        assert_eq!(inv.get_pixel(0, 0).0[0], 255);
        assert_eq!(inv.get_pixel(1, 0).0[0], 55);
    }
}
