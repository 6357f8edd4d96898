//! Card-aware scanning: find the ID-1 card in the photo, rectify the region where its QR code
//! is printed, and decode that region at a resolution chosen from the card's size.
//!
//! A CCCD is an ID-1 card (85.6 × 54 mm) with a QR code of about 15 mm in the top right corner
//! of the front. General QR decoders search the whole frame for finder patterns and fail when
//! the modules are under 2–3 px; knowing where the card is, we cut out a small patch around the
//! code, map it through the card's homography onto a square grid of about 16 px per mm (4–6
//! px per module for card payloads), and decode only that patch: a few milliseconds, whatever
//! the photo's size.
//!
//! The card finder works on a copy of at most [`FIND_SIDE`] px: Canny edges (imageproc),
//! in three passes (thresholds, dilation), their outer contours, each contour's convex hull
//! reduced to a quadrilateral with a card's proportions (long / short side 1.25–2.1
//! allowing for perspective) covering most of its hull; then each side is fitted again on
//! the full-resolution image (the strongest step across it, a line through those points),
//! and the corners are where the lines cross ([`refine_quad`]).
//!
//! On each patch, [`Technique`]s in order of measured value per millisecond; the cascade's
//! general steps follow when the card step reads nothing.

use std::time::Duration;

use image::{GrayImage, Luma};
use imageproc::contours::{find_contours, BorderType};
use imageproc::geometric_transformations::Projection;
use imageproc::geometry::{contour_area, convex_hull};
use imageproc::point::Point;

use super::budget::Deadline;
use super::edges::{canny, dilate};
use super::engines::rxing;
use super::warp;
use super::{Code, Step};

/// ID-1 card width, millimetres.
pub(crate) const CARD_W: f32 = 85.6;
/// ID-1 card height, millimetres.
pub(crate) const CARD_H: f32 = 54.0;
/// Where the code patch is cut from the card's front, millimetres from the top-left corner
/// (x0, y0, x1, y1): the 15 mm code sits about 4 mm from the top and right edges; the patch
/// adds a margin for the quiet zone and the card finder's error.
const PATCH_MM: (f32, f32, f32, f32) = (59.0, -1.5, 87.1, 26.6);
/// The side of the card's code, millimetres (about; the grid reader allows ±15 %).
const CODE_MM: f32 = 15.0;
/// Long side of the copy the card finder works on, pixels.
pub(crate) const FIND_SIDE: u32 = 480;

/// A quadrilateral in image coordinates, clockwise (y down), starting at a corner of one of
/// its long sides: `q[0]`→`q[1]` is a long side.
pub(crate) type Quad = [(f32, f32); 4];

/// Shrinks `image` by an integer factor `f` (mean of each `f` × `f` block, truncated; the
/// last `width % f` columns and `height % f` rows dropped). Each block row's `f` source
/// rows are added column by column first (a loop the compiler vectorises), then each
/// block's `f` column sums.
pub(crate) fn shrink(image: &GrayImage, f: u32) -> GrayImage {
    if f <= 1 {
        return image.clone();
    }
    let (w, h) = (image.width() / f, image.height() / f);
    if w == 0 || h == 0 {
        // Smaller than one block: one pixel, the mean of the whole image.
        let n = u64::from(image.width()) * u64::from(image.height());
        let sum: u64 = image.as_raw().iter().map(|&v| u64::from(v)).sum();
        return GrayImage::from_pixel(1, 1, Luma([(sum / n.max(1)) as u8]));
    }
    let src = image.as_raw();
    let (sw, fu, wu) = (image.width() as usize, f as usize, w as usize);
    let n = u64::from(f) * u64::from(f);
    let mut cols = vec![0u32; wu * fu];
    let mut out = GrayImage::new(w, h);
    for (y, row) in out.as_mut().chunks_exact_mut(wu).enumerate() {
        cols.iter_mut().for_each(|c| *c = 0);
        for sy in y * fu..(y + 1) * fu {
            let line = &src[sy * sw..sy * sw + wu * fu];
            cols.iter_mut()
                .zip(line)
                .for_each(|(c, &p)| *c += u32::from(p));
        }
        for (o, block) in row.iter_mut().zip(cols.chunks_exact(fu)) {
            let sum: u64 = block.iter().map(|&c| u64::from(c)).sum();
            *o = (sum / n) as u8;
        }
    }
    out
}

/// The factor [`find_quads`] shrinks `image` by.
pub(crate) fn find_factor(image: &GrayImage) -> u32 {
    image.width().max(image.height()).div_ceil(FIND_SIDE).max(1)
}

/// Candidate card outlines in `image`, most likely first (at most `max`), each with whether
/// it joins two pieces of outline (weaker evidence of a card: see [`quads_with`]).
pub(crate) fn find_quads(image: &GrayImage, max: usize) -> Vec<(Quad, bool)> {
    let f = find_factor(image);
    let small = shrink(image, f);
    let mut quads = find_in_small(&small, max);
    let (off, fs) = (f as f32 / 2.0, f as f32);
    for (q, _) in &mut quads {
        for p in q.iter_mut() {
            *p = (p.0 * fs + off, p.1 * fs + off);
        }
        if f > 1 {
            let reach = 4.0 * fs;
            let refined = refine_quad(image, q, reach);
            *q = match refine_wide(image, q, reach) {
                Some(wide)
                    if edge_support(image, &wide, reach) > edge_support(image, &refined, reach) =>
                {
                    wide
                }
                _ => refined,
            };
        }
    }
    quads
}

/// Points sampled along each side by [`refine_quad`].
const SIDE_SAMPLES: usize = 24;

/// The quad with each side moved onto the card's edge in the full-resolution image: along
/// each side, the strongest grey-level step within `reach` px across it (the sign most
/// points agree on), a least-squares line through those points (twice, dropping points far
/// from the first line), and the corners where adjacent lines cross. A corner found from the
/// small copy's convex hull is off when glare or a finger hides it; the sides' lines, fitted
/// over their whole length, are not. Unchanged when a side finds too few points or a corner
/// moves by more than `2 reach`.
fn refine_quad(image: &GrayImage, q: &Quad, reach: f32) -> Quad {
    let px = |x: f32, y: f32| bilinear(image, x, y);
    let steps = reach.ceil() as i32;
    // Each side as a line: a point on it and its direction.
    let mut lines: Vec<Line> = Vec::with_capacity(4);
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        if len < 8.0 {
            return *q;
        }
        let u = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        let nrm = (-u.1, u.0);
        // (t along the side, offset across it, signed step)
        let mut pts: Vec<(f32, f32, f32)> = Vec::with_capacity(SIDE_SAMPLES);
        for k in 0..SIDE_SAMPLES {
            let t = len * (0.08 + 0.84 * k as f32 / (SIDE_SAMPLES - 1) as f32);
            let base = (a.0 + u.0 * t, a.1 + u.1 * t);
            let mut best: Option<(f32, f32)> = None;
            for s in -steps..=steps {
                let s = s as f32;
                let at = |d: f32| px(base.0 + nrm.0 * (s + d), base.1 + nrm.1 * (s + d));
                let (Some(lo), Some(hi)) = (at(-1.0), at(1.0)) else {
                    continue;
                };
                let g = hi - lo;
                if best.is_none_or(|(_, bg)| g.abs() > bg.abs()) {
                    best = Some((s, g));
                }
            }
            if let Some((s, g)) = best {
                pts.push((t, s, g));
            }
        }
        // The card's edge steps the same way all along the side.
        let pos = pts.iter().filter(|p| p.2 > 0.0).count();
        let sign = if 2 * pos >= pts.len() { 1.0 } else { -1.0 };
        pts.retain(|p| p.2 * sign > 8.0);
        let fit = |pts: &[(f32, f32, f32)]| -> Option<(f32, f32)> {
            let n = pts.len() as f32;
            if pts.len() < SIDE_SAMPLES / 3 {
                return None;
            }
            let (st, ss) = pts
                .iter()
                .fold((0.0, 0.0), |acc, p| (acc.0 + p.0, acc.1 + p.1));
            let (mt, ms) = (st / n, ss / n);
            let (mut num, mut den) = (0.0, 0.0);
            for p in pts {
                num += (p.0 - mt) * (p.1 - ms);
                den += (p.0 - mt) * (p.0 - mt);
            }
            let slope = if den > 0.0 { num / den } else { 0.0 };
            Some((ms - slope * mt, slope))
        };
        let Some((c0, c1)) = fit(&pts) else {
            return *q;
        };
        let tol = (reach / 4.0).max(1.5);
        pts.retain(|p| (p.1 - (c0 + c1 * p.0)).abs() <= tol);
        let Some((c0, c1)) = fit(&pts) else {
            return *q;
        };
        // offset(t) = c0 + c1 t: the line through a + c0 nrm with direction u + c1 nrm.
        let p0 = (a.0 + nrm.0 * c0, a.1 + nrm.1 * c0);
        let d = (u.0 + nrm.0 * c1, u.1 + nrm.1 * c1);
        lines.push((p0, d));
    }
    meeting(&lines, q, 2.0 * reach).unwrap_or(*q)
}

/// A straight line: a point on it and its direction.
type Line = ((f32, f32), (f32, f32));

/// The quad whose sides lie on `lines` (a point and a direction each; side i from corner i
/// to corner i + 1): corner i where side i − 1 meets side i. `None` when adjacent sides are
/// parallel or a corner lands more than `limit` px from `q`'s.
fn meeting(lines: &[Line], q: &Quad, limit: f32) -> Option<Quad> {
    let mut out = *q;
    for i in 0..4 {
        let (p, r) = lines[(i + 3) % 4];
        let (o, s) = lines[i];
        let den = r.0 * s.1 - r.1 * s.0;
        if den.abs() < 1e-6 {
            return None;
        }
        let t = ((o.0 - p.0) * s.1 - (o.1 - p.1) * s.0) / den;
        let c = (p.0 + r.0 * t, p.1 + r.1 * t);
        if !c.0.is_finite() || !c.1.is_finite() || (c.0 - q[i].0).hypot(c.1 - q[i].1) > limit {
            return None;
        }
        out[i] = c;
    }
    Some(out)
}

/// The grey level of `image` at (`x`, `y`), bilinear; `None` outside (or on the last row or
/// column).
fn bilinear(image: &GrayImage, x: f32, y: f32) -> Option<f32> {
    let (w, h) = (image.width() as f32, image.height() as f32);
    (x >= 0.0 && y >= 0.0 && x <= w - 2.0 && y <= h - 2.0).then(|| warp::interpolate(image, x, y))
}

/// Points sampled along each side by [`refine_wide`].
const WIDE_SAMPLES: usize = 32;

/// [`refine_quad`] for a quad with a corner cut off (glare hides a corner of the card, and
/// the small copy's hull cuts across it, so one or two sides are chords, far from the
/// card's edge at one end): at 32 points along each side, the three strongest steps within
/// 15 % of the side's length across it (levels read `reach / 8` px apart); every line
/// through two of those points, supported by the samples with a point of the same sign
/// within `reach / 4` px of it; of the lines with at least 80 % of the best support, the
/// outermost (the card's print steps too, inside its edge), fitted again by least squares
/// through its points; the corners where the lines meet, polished by [`refine_quad`].
/// `None` when a side has no line supported by a third of its samples, or a corner moves by
/// more than a quarter of the quad's shortest side, or the result is not card-like.
fn refine_wide(image: &GrayImage, q: &Quad, reach: f32) -> Option<Quad> {
    let px = |x: f32, y: f32| bilinear(image, x, y);
    let side = |i: usize| (q[i].0 - q[(i + 1) % 4].0).hypot(q[i].1 - q[(i + 1) % 4].1);
    let short = (0..4).map(side).fold(f32::MAX, f32::min);
    let tol = (reach / 4.0).max(1.5);
    // The spacing of the levels read across each side, half the baseline of a step: wider
    // on large photos (blur spans more pixels).
    let step = (reach / 8.0).max(1.0);
    let centre = q
        .iter()
        .fold((0.0, 0.0), |c, p| (c.0 + p.0 / 4.0, c.1 + p.1 / 4.0));
    let mut lines: Vec<Line> = Vec::with_capacity(4);
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        let len = side(i);
        if len < 8.0 {
            return None;
        }
        let u = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        let nrm = (-u.1, u.0);
        let reach_steps = ((0.15 * len).max(reach) / step).ceil() as i32;
        // Edge points in image coordinates (the three strongest steps across the side at
        // each sample: the card's edge need not be the strongest, its print steps too),
        // with their sample and the sign of their step.
        let mut pts: Vec<(f32, f32, bool, usize)> = Vec::with_capacity(3 * WIDE_SAMPLES);
        let mut steps: Vec<(f32, f32)> = Vec::with_capacity(2 * reach_steps as usize + 1);
        for k in 0..WIDE_SAMPLES {
            let t = len * (0.05 + 0.9 * k as f32 / (WIDE_SAMPLES - 1) as f32);
            let base = (a.0 + u.0 * t, a.1 + u.1 * t);
            // Levels `step` px apart across the side; each step the difference of the levels
            // on either side.
            let levels: Vec<Option<f32>> = (-reach_steps - 1..=reach_steps + 1)
                .map(|m| {
                    let s = m as f32 * step;
                    px(base.0 + nrm.0 * s, base.1 + nrm.1 * s)
                })
                .collect();
            steps.clear();
            steps.extend(levels.windows(3).enumerate().filter_map(|(m, v)| {
                let s = (m as i32 - reach_steps) as f32 * step;
                Some((s, v[2]? - v[0]?))
            }));
            let mut peaks: Vec<(f32, f32)> = (1..steps.len().saturating_sub(1))
                .filter(|&m| {
                    let g = steps[m].1.abs();
                    g > 8.0 && g >= steps[m - 1].1.abs() && g >= steps[m + 1].1.abs()
                })
                .map(|m| steps[m])
                .collect();
            peaks.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()));
            // One point per step (a step's peak can be a plateau of equal differences).
            let mut kept: Vec<f32> = Vec::with_capacity(3);
            for &(s, g) in &peaks {
                if kept.len() == 3 {
                    break;
                }
                if kept.iter().all(|&o| (o - s).abs() > 2.0 * step) {
                    kept.push(s);
                    pts.push((base.0 + nrm.0 * s, base.1 + nrm.1 * s, g > 0.0, k));
                }
            }
        }
        // The line through two of the points that points of the most samples (stepping the
        // same way) lie on.
        // Whether point `o` steps as `p` does and lies within `tol` of the line through `p`
        // along (`dx`, `dy`).
        let on_line =
            |o: &(f32, f32, bool, usize), p: (f32, f32, bool, usize), dx: f32, dy: f32| {
                o.2 == p.2 && ((o.0 - p.0) * dy - (o.1 - p.1) * dx).abs() <= tol
            };
        let support = |p: (f32, f32, bool, usize), dx: f32, dy: f32| {
            let mut seen = [false; WIDE_SAMPLES];
            for o in pts.iter().filter(|o| on_line(o, p, dx, dy)) {
                seen[o.3] = true;
            }
            seen.iter().filter(|&&x| x).count()
        };
        // Each candidate line: its two points, support, and distance from the quad's centre.
        let mut candidates: Vec<(usize, usize, usize, f32)> = Vec::new();
        for (j, p) in pts.iter().enumerate() {
            for (k, r) in pts.iter().enumerate().skip(j + 1) {
                let d = (r.0 - p.0).hypot(r.1 - p.1);
                if p.2 != r.2 || d < len / 4.0 {
                    continue;
                }
                let (dx, dy) = ((r.0 - p.0) / d, (r.1 - p.1) / d);
                let on = support(*p, dx, dy);
                if on >= WIDE_SAMPLES / 3 {
                    let away = ((centre.0 - p.0) * dy - (centre.1 - p.1) * dx).abs();
                    candidates.push((j, k, on, away));
                }
            }
        }
        // The card's edge is the outermost of the well-supported lines (its print is inside).
        let most = candidates.iter().map(|c| c.2).max()?;
        let (j, k, _, _) = candidates
            .into_iter()
            .filter(|c| 5 * c.2 >= 4 * most)
            .max_by(|x, y| x.3.total_cmp(&y.3))?;
        let (p, r) = (pts[j], pts[k]);
        let d = (r.0 - p.0).hypot(r.1 - p.1);
        let (dx, dy) = ((r.0 - p.0) / d, (r.1 - p.1) / d);
        let inliers: Vec<(f32, f32)> = pts
            .iter()
            .filter(|o| on_line(o, p, dx, dy))
            .map(|o| (o.0, o.1))
            .collect();
        lines.push(fit_line(&inliers)?);
    }
    let out = meeting(&lines, q, short / 4.0)?;
    // The points were found `step` px apart: the narrow fit polishes the lines.
    card_like(&out).then(|| refine_quad(image, &out, reach))
}

/// How much of `q`'s outline lies on a grey-level step in `image`: along each side, the
/// share of 32 points where the step across the side (levels `reach / 8`, at least 2 px, to
/// either side) exceeds 8 levels, the same sign as most of the side's; summed over the
/// sides (0–4).
fn edge_support(image: &GrayImage, q: &Quad, reach: f32) -> f32 {
    let base = (reach / 8.0).max(2.0);
    let (w, h) = (image.width() as f32, image.height() as f32);
    let px = |x: f32, y: f32| -> Option<f32> {
        (x >= 0.0 && y >= 0.0 && x < w && y < h)
            .then(|| f32::from(image.get_pixel(x as u32, y as u32).0[0]))
    };
    let mut total = 0.0;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        let len = (b.0 - a.0).hypot(b.1 - a.1).max(1.0);
        let nrm = (-(b.1 - a.1) / len, (b.0 - a.0) / len);
        let (mut pos, mut neg) = (0u32, 0u32);
        for k in 0..WIDE_SAMPLES {
            let t = 0.05 + 0.9 * k as f32 / (WIDE_SAMPLES - 1) as f32;
            let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            // The strongest step within a pixel of the line.
            let g = [-1.0f32, 0.0, 1.0]
                .iter()
                .filter_map(|&s| {
                    let (x, y) = (x + nrm.0 * s, y + nrm.1 * s);
                    Some(
                        px(x + nrm.0 * base, y + nrm.1 * base)?
                            - px(x - nrm.0 * base, y - nrm.1 * base)?,
                    )
                })
                .max_by(|p, q| p.abs().total_cmp(&q.abs()))
                .unwrap_or(0.0);
            if g > 8.0 {
                pos += 1;
            } else if g < -8.0 {
                neg += 1;
            }
        }
        total += pos.max(neg) as f32 / WIDE_SAMPLES as f32;
    }
    total
}

/// The least-squares line through `pts` (total least squares: a point on it and its unit
/// direction); `None` for fewer than two distinct points.
fn fit_line(pts: &[(f32, f32)]) -> Option<Line> {
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f32;
    let (mx, my) = pts
        .iter()
        .fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
    let (mut sxx, mut sxy, mut syy) = (0f32, 0f32, 0f32);
    for p in pts {
        let (dx, dy) = (p.0 - mx, p.1 - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    // The direction of largest spread: the covariance's leading eigenvector, by arithmetic
    // and a square root only (exactly rounded everywhere, so native and WebAssembly builds
    // agree to the bit; `atan2`, `sin` and `cos` come from different maths libraries).
    let half = (sxx - syy) / 2.0;
    let top = (sxx + syy) / 2.0 + (half * half + sxy * sxy).sqrt();
    let (dx, dy) = if sxx >= syy {
        (top - syy, sxy)
    } else {
        (sxy, top - sxx)
    };
    let norm = (dx * dx + dy * dy).sqrt();
    if norm.is_nan() || norm <= 0.0 {
        return None;
    }
    Some(((mx, my), (dx / norm, dy / norm)))
}

/// Whether `q` has a card's proportions: [`orient`]ed, long / short side 1.25–2.1 and
/// opposite sides within a factor of two (a card seen in perspective stays within it).
fn card_like(q: &Quad) -> bool {
    if signed_area(q) <= 0.0 {
        return false;
    }
    let d = |a: (f32, f32), b: (f32, f32)| (a.0 - b.0).hypot(a.1 - b.1);
    let long = d(q[0], q[1]) + d(q[2], q[3]);
    let short = d(q[1], q[2]) + d(q[3], q[0]);
    let par = |a: f32, b: f32| a.max(b) / a.min(b).max(1.0);
    (1.25..=2.1).contains(&(long / short.max(1.0)))
        && par(d(q[0], q[1]), d(q[2], q[3])) <= 2.0
        && par(d(q[1], q[2]), d(q[3], q[0])) <= 2.0
}

/// Canny thresholds and dilation tried in turn by [`find_in_small`] (measured on the hard
/// photo set: each pass finds cards the others miss).
const EDGE_PASSES: [(f32, f32, u8); 3] = [(30.0, 80.0, 1), (15.0, 40.0, 1), (50.0, 120.0, 0)];

/// [`find_quads`] on the working copy: quads in its coordinates.
pub(crate) fn find_in_small(small: &GrayImage, max: usize) -> Vec<(Quad, bool)> {
    let mut found: Vec<(f64, (Quad, bool))> = Vec::new();
    for &(low, high, k) in &EDGE_PASSES {
        for (q, joined) in quads_with(small, low, high, k) {
            if !found.iter().any(|(_, o)| similar(&o.0, &q)) {
                found.push((quad_area(&q), (q, joined)));
            }
        }
        // Later passes only when this one found nothing: each pass costs a Canny.
        if !found.is_empty() || found.len() >= max {
            break;
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    // Joined pieces only when no outline is whole (measured on the hard card photos: the
    // same reads, 10–20 % less time than trying them after whole outlines).
    if found.iter().any(|(_, (_, joined))| !joined) {
        found.retain(|(_, (_, joined))| !joined);
    }
    found.truncate(max);
    found.into_iter().map(|(_, q)| q).collect()
}

/// Card-like quads from one edge pass: Canny (`low`, `high`), dilation by `k` px; each
/// with whether it joins two pieces of outline.
pub(crate) fn quads_with(small: &GrayImage, low: f32, high: f32, k: u8) -> Vec<(Quad, bool)> {
    let (w, h) = small.dimensions();
    if w < 16 || h < 16 {
        return Vec::new();
    }
    let frame_area = f64::from(w) * f64::from(h);
    let mut edges = canny(small, low, high);
    if k > 0 {
        edges = dilate(&edges, k);
    }
    let contours = find_contours::<i32>(&edges);
    let mut found = Vec::new();
    let mut pieces: Vec<(f64, Vec<Point<i32>>)> = Vec::new();
    let consider = |hull: &[Point<i32>], hull_area: f64, joined: bool, found: &mut Vec<_>| {
        let cover = if joined { JOINED_COVER } else { 0.88 };
        if let Some(q) = quad_of(hull, hull_area, cover) {
            // The frame's own border (edges everywhere) is not a card.
            let on_border = q
                .iter()
                .filter(|p| p.0 < 2.0 || p.1 < 2.0 || p.0 > w as f32 - 3.0 || p.1 > h as f32 - 3.0)
                .count();
            if on_border < 2 {
                found.push((q, joined));
            }
        }
    };
    for c in &contours {
        if c.border_type != BorderType::Outer || c.points.len() < 40 {
            continue;
        }
        let hull = convex_hull(c.points.as_slice());
        let hull_area = contour_area(&hull);
        if hull_area > frame_area * 0.97 {
            continue;
        }
        if hull_area >= frame_area * PIECE_MIN {
            pieces.push((hull_area, hull.clone()));
        }
        if hull_area >= frame_area * 0.015 {
            consider(&hull, hull_area, false, &mut found);
        }
    }
    // A shadow's edge across the card splits its outline in two: the hull of two touching
    // pieces (the largest first), glare beside a corner allowed for (the wide refit finds
    // the sides).
    pieces.sort_by(|a, b| b.0.total_cmp(&a.0));
    pieces.truncate(MAX_PIECES);
    for (i, a) in pieces.iter().enumerate() {
        for b in &pieces[i + 1..] {
            if !touching(&a.1, &b.1) {
                continue;
            }
            let both: Vec<Point<i32>> = a.1.iter().chain(&b.1).copied().collect();
            let hull = convex_hull(both.as_slice());
            let hull_area = contour_area(&hull);
            if (frame_area * 0.015..=frame_area * 0.97).contains(&hull_area) {
                consider(&hull, hull_area, true, &mut found);
            }
        }
    }
    found
}

/// Smallest outline piece [`quads_with`] joins to another, share of the frame's area.
const PIECE_MIN: f64 = 0.004;
/// Outline pieces (the largest) [`quads_with`] tries in pairs.
const MAX_PIECES: usize = 8;
/// Share of a joined hull its quad must cover (a whole outline's: 88 %).
const JOINED_COVER: f64 = 0.8;

/// Whether the bounding boxes of two hulls overlap or come closer than a fifth of the larger
/// box's longer side (a glare spot's gap in the outline).
fn touching(a: &[Point<i32>], b: &[Point<i32>]) -> bool {
    let bounds = |h: &[Point<i32>]| {
        h.iter().fold(
            (i32::MAX, i32::MAX, i32::MIN, i32::MIN),
            |(x0, y0, x1, y1), p| (x0.min(p.x), y0.min(p.y), x1.max(p.x), y1.max(p.y)),
        )
    };
    let (a, b) = (bounds(a), bounds(b));
    let gap = [a, b]
        .iter()
        .map(|r| (r.2 - r.0).max(r.3 - r.1))
        .max()
        .unwrap_or(0)
        / 5;
    a.0 <= b.2 + gap && b.0 <= a.2 + gap && a.1 <= b.3 + gap && b.1 <= a.3 + gap
}

/// A card-like quadrilateral from a convex hull, if there is one: the hull reduced to four
/// corners by dropping, one at a time, the corner whose triangle with its neighbours is
/// smallest (Visvalingam), kept when it still covers 88 % of the hull and has a card's
/// proportions.
fn quad_of(hull: &[Point<i32>], hull_area: f64, cover: f64) -> Option<Quad> {
    let mut poly: Vec<(f32, f32)> = hull.iter().map(|p| (p.x as f32, p.y as f32)).collect();
    if poly.len() < 4 {
        return None;
    }
    while poly.len() > 4 {
        let n = poly.len();
        let tri = |i: usize| {
            let (a, b, c) = (poly[(i + n - 1) % n], poly[i], poly[(i + 1) % n]);
            ((b.0 - a.0) * (c.1 - a.1) - (c.0 - a.0) * (b.1 - a.1)).abs()
        };
        let drop = (0..n)
            .min_by(|&i, &j| tri(i).total_cmp(&tri(j)))
            .unwrap_or(0);
        poly.remove(drop);
    }
    let q: Quad = [poly[0], poly[1], poly[2], poly[3]];
    let area = quad_area(&q);
    if area < hull_area * cover {
        return None;
    }
    let q = orient(q);
    card_like(&q).then_some(q)
}

/// Clockwise order (y down), starting so that side 0→1 is a long side.
fn orient(mut q: Quad) -> Quad {
    if signed_area(&q) < 0.0 {
        q.reverse();
    }
    let d = |a: (f32, f32), b: (f32, f32)| (a.0 - b.0).hypot(a.1 - b.1);
    if d(q[0], q[1]) + d(q[2], q[3]) < d(q[1], q[2]) + d(q[3], q[0]) {
        q.rotate_left(1);
    }
    q
}

/// Twice the shoelace sum / 2: positive for clockwise order in image coordinates (y down).
fn signed_area(q: &Quad) -> f64 {
    let mut s = 0.0f64;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        s += f64::from(a.0) * f64::from(b.1) - f64::from(b.0) * f64::from(a.1);
    }
    s / 2.0
}

fn quad_area(q: &Quad) -> f64 {
    signed_area(q).abs()
}

/// Whether two quads outline the same thing (every corner within 5 % of the first's extent).
fn similar(a: &Quad, b: &Quad) -> bool {
    let ext = (quad_area(a).sqrt() * 0.05) as f32;
    a.iter().all(|p| {
        b.iter()
            .any(|r| (p.0 - r.0).abs() < ext && (p.1 - r.1).abs() < ext)
    })
}

/// The card's two upright readings of a quad: front corners (top-left, top-right,
/// bottom-right, bottom-left) for the card upright and turned by 180°, the one with its top
/// edge higher in the image first.
pub(crate) fn orientations(q: &Quad) -> [Quad; 2] {
    let a = *q;
    let b = [q[2], q[3], q[0], q[1]];
    if a[0].1 + a[1].1 <= b[0].1 + b[1].1 {
        [a, b]
    } else {
        [b, a]
    }
}

/// The card's scale in image pixels per millimetre, from its corners.
pub(crate) fn px_per_mm(card: &Quad) -> f32 {
    let d = |a: (f32, f32), b: (f32, f32)| (a.0 - b.0).hypot(a.1 - b.1);
    let w = (d(card[0], card[1]) + d(card[3], card[2])) / 2.0 / CARD_W;
    let h = (d(card[0], card[3]) + d(card[1], card[2])) / 2.0 / CARD_H;
    (w + h) / 2.0
}

/// A rectified patch of the card's code region and the map from patch to image coordinates.
pub(crate) struct Patch {
    /// The patch, `ppm` pixels per millimetre of the card.
    pub image: GrayImage,
    /// Maps patch pixels to image pixels.
    pub to_image: Projection,
}

impl Patch {
    /// A patch point in image coordinates.
    pub(crate) fn map(&self, p: (f32, f32)) -> (f32, f32) {
        self.to_image * p
    }
}

/// Cuts the code's region out of `image` for a card whose front corners are `card`
/// (top-left, top-right, bottom-right, bottom-left), at `ppm` pixels per millimetre.
pub(crate) fn patch(
    image: &GrayImage,
    card: &Quad,
    ppm: f32,
    deadline: &Deadline,
) -> Option<Patch> {
    Geometry::of(card, ppm, PATCH_MM)?.cut(image, deadline)
}

/// Where a patch of a card region lies in the image: its size and its maps.
struct Geometry {
    size: (u32, u32),
    /// Patch pixels to image pixels, for [`warp`].
    map: warp::Matrix,
    /// The same map, for [`Patch::map`].
    to_image: Projection,
}

impl Geometry {
    /// The patch of the card region `(x0, y0, x1, y1)` (millimetres from the card's
    /// top-left) at `ppm` pixels per millimetre; `None` for a degenerate card or a patch
    /// over 4096 px.
    fn of(card: &Quad, ppm: f32, (x0, y0, x1, y1): (f32, f32, f32, f32)) -> Option<Geometry> {
        let mm = [(0.0, 0.0), (CARD_W, 0.0), (CARD_W, CARD_H), (0.0, CARD_H)];
        let card_to_image = Projection::from_control_points(mm, *card)?;
        let (w, h) = (
            ((x1 - x0) * ppm).round() as u32,
            ((y1 - y0) * ppm).round() as u32,
        );
        if w == 0 || h == 0 || w > 4096 || h > 4096 {
            return None;
        }
        // patch pixel -> card mm -> image pixel
        let patch_to_card = Projection::translate(x0, y0) * Projection::scale(1.0 / ppm, 1.0 / ppm);
        // The same for the warp: patch pixel -> the card as a unit square -> image pixel.
        let (cw, ch, p) = (f64::from(CARD_W), f64::from(CARD_H), f64::from(ppm));
        let patch_to_unit = [
            1.0 / (p * cw),
            0.0,
            f64::from(x0) / cw,
            0.0,
            1.0 / (p * ch),
            f64::from(y0) / ch,
            0.0,
            0.0,
            1.0,
        ];
        Some(Geometry {
            size: (w, h),
            map: warp::mul(&warp::square_to_quad(card)?, &patch_to_unit),
            to_image: card_to_image * patch_to_card,
        })
    }

    /// The patch, white outside the image; `None` when the deadline passes first.
    fn cut(&self, image: &GrayImage, deadline: &Deadline) -> Option<Patch> {
        Some(Patch {
            image: warp::warp(image, &self.map, self.size, 255, deadline)?,
            to_image: self.to_image,
        })
    }

    /// The texture of the patch [`Geometry::cut`] would make (the mean absolute difference
    /// between horizontal and vertical neighbours: a QR code's patch scores far above the
    /// card's plain or printed corners), estimated on one pixel in 36.
    fn texture(&self, image: &GrayImage, deadline: &Deadline) -> Option<f32> {
        warp::texture(image, &self.map, self.size, 255, TEXTURE_STEP, deadline)
    }
}

/// Rows and columns [`Geometry::texture`] steps by: on the 120 hard card photos, the same
/// most textured patch as the texture of every pixel in all 119 photos with an outline, the
/// same order of all patches in 115 (the other four swap two patches of nearly equal
/// texture); so do steps of 4 px, and steps of 8 px but for one more swap.
const TEXTURE_STEP: usize = 6;

/// Sharpens in place with an unsharp mask (Gaussian `sigma`, `amount` of the detail added).
pub(crate) fn unsharp(image: &GrayImage, sigma: f32, amount: f32) -> GrayImage {
    let blurred = imageproc::filter::gaussian_blur_f32(image, sigma);
    let mut out = image.clone();
    for (o, b) in out.pixels_mut().zip(blurred.pixels()) {
        let v = f32::from(o.0[0]);
        o.0[0] = (v + amount * (v - f32::from(b.0[0]))).clamp(0.0, 255.0) as u8;
    }
    out
}

/// Modules across a card's code, for the blur estimate (version 8; card payloads give
/// versions 6–11).
const TYPICAL_MODULES: f32 = 49.0;

/// Estimated blur of the code region of `card` (a quad as from [`find_quads`]), as a
/// Gaussian sigma in module widths: the contrast of the region (5th to 95th percentile)
/// over its steepest gradients (99th percentile), which for a blurred step edge is
/// `sigma * sqrt(2 pi)`. Of the two possible code corners, the sharper.
pub(crate) fn blur_at(image: &GrayImage, quad: &Quad) -> f32 {
    let mut best = f32::INFINITY;
    for card in orientations(&orient(*quad)) {
        let module = px_per_mm(&card) * 15.0 / TYPICAL_MODULES;
        let Some(to_image) = Projection::from_control_points(
            [(0.0, 0.0), (CARD_W, 0.0), (CARD_W, CARD_H), (0.0, CARD_H)],
            card,
        ) else {
            continue;
        };
        let (x0, y0, x1, y1) = PATCH_MM;
        let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)].map(|p| to_image * p);
        let clampx = |v: f32| v.clamp(0.0, image.width() as f32 - 1.0) as u32;
        let clampy = |v: f32| v.clamp(0.0, image.height() as f32 - 1.0) as u32;
        let bx0 = clampx(corners.iter().map(|p| p.0).fold(f32::MAX, f32::min));
        let bx1 = clampx(corners.iter().map(|p| p.0).fold(f32::MIN, f32::max));
        let by0 = clampy(corners.iter().map(|p| p.1).fold(f32::MAX, f32::min));
        let by1 = clampy(corners.iter().map(|p| p.1).fold(f32::MIN, f32::max));
        if bx1 < bx0 + 8 || by1 < by0 + 8 || module <= 0.0 {
            continue;
        }
        let sigma = edge_sigma(image, (bx0, by0, bx1, by1));
        best = best.min(sigma / module);
    }
    best
}

/// Blur sigma in pixels of the region (x0, y0, x1, y1) (inclusive), from its contrast and
/// steepest gradients.
fn edge_sigma(image: &GrayImage, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> f32 {
    let mut levels = [0u32; 256];
    let mut grads = [0u32; 256];
    // At most about 400 × 400 samples: a stride over rows and columns of large regions.
    let step = ((x1 - x0).max(y1 - y0) / 400).max(1);
    let px = |x: u32, y: u32| f32::from(image.get_pixel(x, y).0[0]);
    let mut y = y0 + 1;
    while y < y1 {
        let mut x = x0 + 1;
        while x < x1 {
            levels[px(x, y) as usize] += 1;
            let dx = (px(x + 1, y) - px(x - 1, y)) / 2.0;
            let dy = (px(x, y + 1) - px(x, y - 1)) / 2.0;
            grads[(dx.hypot(dy) as usize).min(255)] += 1;
            x += step;
        }
        y += step;
    }
    let pct = |h: &[u32; 256], q: f32| {
        let total: u32 = h.iter().sum();
        let want = (total as f32 * q) as u32;
        let mut seen = 0;
        for (i, &n) in h.iter().enumerate() {
            seen += n;
            if seen > want {
                return i as f32;
            }
        }
        255.0
    };
    let contrast = pct(&levels, 0.95) - pct(&levels, 0.05);
    let steepest = pct(&grads, 0.99).max(1.0);
    contrast / (steepest * 2.5066)
}

/// Techniques tried on each rectified patch, in order (measured value per millisecond on the
/// hard card set; see the README's performance section).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Technique {
    /// rxing on the patch as sampled.
    Plain,
    /// rxing on an unsharp-masked patch (defocus and motion blur).
    Sharpened,
    /// rxing on the patch binarised with imageproc's adaptive threshold.
    Adaptive,
    /// rxing on the unsharp-masked patch binarised with the adaptive threshold.
    SharpAdaptive,
    /// The module grid fitted to finder patterns found on grey levels, sampled at
    /// sub-pixel accuracy and sharpened in the module domain ([`grid`](super::grid)).
    Grid,
}

impl Technique {
    /// The techniques the card step runs, in order. The grid reader read 103 of the 120
    /// hard photos on their true outline, 21 of them read by no other technique (106 and
    /// 26 with its second blur model and five spots per module); after it,
    /// the unsharp mask and unsharp mask + adaptive threshold read none it missed and were
    /// dropped (see the README's performance section).
    pub(crate) const ALL: [Technique; 3] = [Technique::Plain, Technique::Grid, Technique::Adaptive];

    /// Every technique, for the benchmark's diagnostics.
    pub(crate) const MEASURED: [Technique; 5] = [
        Technique::Plain,
        Technique::Grid,
        Technique::Adaptive,
        Technique::Sharpened,
        Technique::SharpAdaptive,
    ];

    /// A short name, for the benchmark's diagnostics.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Technique::Plain => "plain",
            Technique::Sharpened => "sharpened",
            Technique::Adaptive => "adaptive",
            Technique::SharpAdaptive => "sharp+adaptive",
            Technique::Grid => "grid",
        }
    }
}

/// What [`scan`] did, for the cascade and for the video scanner.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// The accepted code, in image coordinates.
    pub code: Option<Code>,
    /// Every other code decoded on the way (image coordinates).
    pub others: Vec<Code>,
    /// The card outline the code was found on (front corners), if any.
    pub card: Option<Quad>,
    /// Card outlines found whole (not joined from pieces: a bare QR code's modules can join
    /// into a card-like shape, so those do not count as a card seen).
    pub quads: usize,
}

/// Tries card-aware decoding: find card outlines (or use `hint`, a card seen before in the
/// same coordinates), rectify the code's region for both readings of each, and decode it
/// with the [`Technique`]s in `techniques` order, stopping at the first code `accept`s or
/// at `deadline`.
pub(crate) fn scan(
    image: &GrayImage,
    hint: Option<&Quad>,
    techniques: &[Technique],
    deadline: &Deadline,
    accept: &dyn Fn(&Code) -> bool,
) -> Outcome {
    let mut out = Outcome::default();
    let mut quads: Vec<(Quad, bool)> = hint.map(|h| (orient(*h), false)).into_iter().collect();
    if hint.is_none() {
        quads.extend(find_quads(image, 2));
    }
    out.quads = quads.iter().filter(|(_, joined)| !joined).count();
    let quads: Vec<Quad> = quads.into_iter().map(|(q, _)| q).collect();
    // Texture first (cheap: one pixel in 36 of each patch), then the techniques in
    // [`schedule`]'s order. Each patch is cut when a technique first needs it (the grid
    // cuts its own, wider one).
    let mut cands: Vec<(f32, Quad, Geometry)> = Vec::new();
    for q in &quads {
        for card in orientations(q) {
            let ppm = px_per_mm(&card).clamp(PPM_MIN, PPM_MAX);
            if let Some(g) = Geometry::of(&card, ppm, PATCH_MM) {
                match g.texture(image, deadline) {
                    Some(t) => cands.push((t, card, g)),
                    None => return out,
                }
            }
        }
    }
    // The code is the busiest corner of the card: the most textured patches first.
    cands.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut patches: Vec<Option<Patch>> = cands.iter().map(|_| None).collect();
    for (t, i) in schedule(techniques, cands.len()) {
        let ((_, card, g), cut) = (&cands[i], &mut patches[i]);
        if deadline.passed() {
            return out;
        }
        let p = if t == Technique::Grid {
            None
        } else {
            if cut.is_none() {
                *cut = g.cut(image, deadline);
            }
            match cut {
                Some(p) => Some(&*p),
                None => return out,
            }
        };
        for mut c in decode_patch(image, card, p, t, deadline) {
            c.step = Step::Card;
            if accept(&c) {
                out.code = Some(c);
                out.card = Some(*card);
                return out;
            }
            if !out.others.iter().any(|o| o.bytes == c.bytes) {
                out.others.push(c);
            }
        }
    }
    out
}

/// The order [`scan`] tries `techniques` on `n` patches (most textured first), as
/// (technique, patch) pairs: the first technique on the first patch, the second on the
/// first patch, the first on every other patch, the grid reader on the second patch, then
/// the others on the first patch. On the 120 hard card photos the most textured patch held
/// every code read but one (read plain on the second patch): the grid reader on it reads 51
/// photos for 1.5 s, the plain read on the other patches 1 for 0.4 s, so the grid comes
/// first. The grid on the second most textured patch (a code whose texture under glare or
/// blur falls below the card's printing) read none with the card finder of the time, and
/// two photos (106 against 104, about 0.1 s more) once outlines broken by glare were
/// refitted and joined.
fn schedule(techniques: &[Technique], n: usize) -> Vec<(Technique, usize)> {
    let mut order = Vec::new();
    if n == 0 {
        return order;
    }
    let mut rest = techniques.iter().copied();
    let first = rest.next();
    order.extend(first.map(|t| (t, 0)));
    order.extend(rest.next().map(|t| (t, 0)));
    order.extend(first.into_iter().flat_map(|t| (1..n).map(move |i| (t, i))));
    if n > 1 && techniques.contains(&Technique::Grid) && !order.contains(&(Technique::Grid, 1)) {
        order.push((Technique::Grid, 1));
    }
    order.extend(rest.map(|t| (t, 0)));
    order
}

/// [`Step::Card`] in the cascade: the codes decoded on the card's code patch (the first
/// one decoded ends the step), and whether a card outline was seen.
pub(crate) fn step(image: &GrayImage, deadline: &Deadline) -> (Vec<Code>, bool) {
    let out = scan(image, None, &Technique::ALL, deadline, &|_| true);
    let saw = out.quads > 0;
    (out.code.into_iter().chain(out.others).collect(), saw)
}

/// How long the general steps may run after the card step saw a card but could not read
/// its code (the cascade stops at the first step boundary past it): none. Measured on the
/// 120 hard card photos (interleaved runs, the same machine): with 300 ms on images up to
/// 2.1 MP the general steps read 2 more photos (96 against 94) for 40–50 % more total time
/// (10.8–11.5 s against 7.6–8.0 s; zxing-cpp 7.5–8.8 s); above 2.1 MP one full-resolution
/// step costs 0.3–1 s and read nothing the card step missed. When no card outline is seen,
/// the general steps run with the call's whole budget.
pub(crate) fn fallback(_image: &GrayImage) -> Duration {
    Duration::ZERO
}

/// Outlines of ID-1 cards in `image`, most likely first (at most three): each the card's
/// four corners, clockwise, starting at a corner of a long side (which way up the card is
/// is not known until its code is read).
///
/// The finder works on a copy of at most 480 px (Canny edges, their contours' convex hulls
/// simplified to quadrilaterals with a card's proportions), then fits each side's line on
/// the full image; a few milliseconds at any size.
pub fn find_cards(image: &GrayImage) -> Vec<[(f32, f32); 4]> {
    find_quads(image, 3).into_iter().map(|(q, _)| q).collect()
}

/// Smallest and largest patch resolution, pixels per card millimetre: 16 px/mm gives 4–6 px
/// per module for card payloads (41–61 modules in 15 mm).
const PPM_MIN: f32 = 16.0;
const PPM_MAX: f32 = 18.0;

/// Grids [`Technique::Grid`] samples at most per patch (on the hard set every read came
/// from one of the first seven).
const MAX_GRIDS: usize = 8;

/// The wider card region [`Technique::Grid`] searches (millimetres, as [`PATCH_MM`]): the
/// card outline can be a few millimetres off at the code's corner (glare, a finger), and the
/// grid reader finds the code anywhere in its patch.
const GRID_MM: (f32, f32, f32, f32) = (53.0, -5.0, 91.0, 31.0);
/// Resolution of the grid reader's patch, pixels per card millimetre (3–5 px per module).
const GRID_PPM: f32 = 13.0;

/// Codes `t` decodes on the code patch `p` of the card whose front corners in `image` are
/// `card`, in image coordinates ([`Technique::Grid`] cuts its own patch; the others read
/// nothing without `p`).
fn decode_patch(
    image: &GrayImage,
    card: &Quad,
    p: Option<&Patch>,
    t: Technique,
    deadline: &Deadline,
) -> Vec<Code> {
    let wide;
    let (p, mut codes) = if t == Technique::Grid {
        let Some(g) = Geometry::of(card, GRID_PPM, GRID_MM) else {
            return Vec::new();
        };
        let Some(cut) = g.cut(image, deadline) else {
            return Vec::new();
        };
        wide = cut;
        let codes = super::grid::read(&wide.image, GRID_PPM, CODE_MM, MAX_GRIDS, deadline);
        (&wide, codes)
    } else {
        let Some(p) = p else {
            return Vec::new();
        };
        (p, rxing_on(p, t, deadline))
    };
    for c in &mut codes {
        for corner in &mut c.corners {
            *corner = p.map(*corner);
        }
    }
    codes
}

/// rxing on the patch prepared for technique `t` (not [`Technique::Grid`]).
fn rxing_on(p: &Patch, t: Technique, deadline: &Deadline) -> Vec<Code> {
    let patch = &p.image;
    let image = match t {
        Technique::Grid => None,
        Technique::Plain => None,
        Technique::Sharpened => Some(unsharp(patch, 2.0, 1.5)),
        Technique::Adaptive => Some(imageproc::contrast::adaptive_threshold(patch, 24, 4)),
        Technique::SharpAdaptive => Some(imageproc::contrast::adaptive_threshold(
            &unsharp(patch, 2.0, 1.5),
            24,
            4,
        )),
    };
    rxing(image.as_ref().unwrap_or(patch), 1.0, Step::Card, deadline).unwrap_or_default()
}

/// Every card-patch technique (plain, grid, adaptive, sharpened, sharp+adaptive) on the
/// code patch of a card whose front corners (top-left, top-right, bottom-right,
/// bottom-left) are `front`: each technique's name, the payload it decoded, and its
/// milliseconds. For the benchmark's diagnostics (hidden).
pub fn patch_reads(image: &GrayImage, front: &Quad) -> Vec<(&'static str, Option<Vec<u8>>, f64)> {
    let never = Deadline::new(web_time::Instant::now(), Duration::MAX);
    let ppm = px_per_mm(front).clamp(PPM_MIN, PPM_MAX);
    let Some(p) = patch(image, front, ppm, &never) else {
        return Vec::new();
    };
    Technique::MEASURED
        .iter()
        .map(|&t| {
            let start = web_time::Instant::now();
            let codes = decode_patch(image, front, Some(&p), t, &never);
            let ms = start.elapsed().as_secs_f64() * 1e3;
            (t.as_str(), codes.into_iter().next().map(|c| c.bytes), ms)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orient_puts_a_long_side_first_clockwise() {
        // A portrait-held card: long sides vertical, given anticlockwise.
        let q = orient([(0.0, 0.0), (0.0, 86.0), (54.0, 86.0), (54.0, 0.0)]);
        assert!(signed_area(&q) > 0.0);
        let d = (q[0].0 - q[1].0).hypot(q[0].1 - q[1].1);
        assert!((d - 86.0).abs() < 1e-3);
    }

    /// A light card on a dark table, its outline given 6 px off at one corner (as from the
    /// small copy's hull when glare hides the corner): the sides' lines put every corner
    /// back within a pixel; a quad over a flat image is left as it was.
    #[test]
    fn refine_quad_fits_the_sides() {
        let truth: Quad = [(100.0, 80.0), (528.0, 110.0), (510.0, 380.0), (82.0, 350.0)];
        let inside = |x: f32, y: f32| {
            (0..4).all(|i| {
                let (a, b) = (truth[i], truth[(i + 1) % 4]);
                (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0) >= 0.0
            })
        };
        let img = GrayImage::from_fn(640, 480, |x, y| {
            Luma([if inside(x as f32 + 0.5, y as f32 + 0.5) {
                200
            } else {
                50
            }])
        });
        let mut off = truth;
        off[1] = (off[1].0 - 6.0, off[1].1 + 4.0);
        off[3] = (off[3].0 + 2.0, off[3].1 - 2.0);
        let fixed = refine_quad(&img, &off, 12.0);
        for (f, t) in fixed.iter().zip(&truth) {
            assert!((f.0 - t.0).hypot(f.1 - t.1) < 1.0, "{fixed:?}");
        }
        let flat = GrayImage::from_pixel(640, 480, Luma([128]));
        assert_eq!(refine_quad(&flat, &off, 12.0), off);
    }

    /// The first technique on the most textured patch, the second there too, then the first
    /// on the others, the grid on the second, then the rest on the most textured.
    #[test]
    fn schedule_reads_the_best_patch_first() {
        use Technique::{Adaptive, Grid, Plain};
        assert_eq!(
            schedule(&Technique::ALL, 3),
            vec![
                (Plain, 0),
                (Grid, 0),
                (Plain, 1),
                (Plain, 2),
                (Grid, 1),
                (Adaptive, 0)
            ]
        );
        assert_eq!(schedule(&[Plain, Grid], 1), vec![(Plain, 0), (Grid, 0)]);
        assert_eq!(schedule(&[Grid], 2), vec![(Grid, 0), (Grid, 1)]);
        assert!(schedule(&Technique::ALL, 0).is_empty());
    }

    #[test]
    fn refine_wide_recovers_a_cut_corner() {
        // A light card on a dark ground, a dark print line inside along its top side, and
        // a glare spot (white) over its top-right corner.
        let truth: Quad = [(100.0, 80.0), (528.0, 110.0), (510.0, 380.0), (82.0, 350.0)];
        let inside = |q: &Quad, x: f32, y: f32| {
            (0..4).all(|i| {
                let (a, b) = (q[i], q[(i + 1) % 4]);
                (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0) >= 0.0
            })
        };
        let print: Quad = [
            (140.0, 110.0),
            (400.0, 128.0),
            (399.0, 136.0),
            (139.0, 118.0),
        ];
        let img = GrayImage::from_fn(640, 480, |x, y| {
            let (x, y) = (x as f32 + 0.5, y as f32 + 0.5);
            Luma([if (x - 528.0).hypot(y - 110.0) < 70.0 {
                250
            } else if inside(&print, x, y) {
                40
            } else if inside(&truth, x, y) {
                200
            } else {
                50
            }])
        });
        // The hull cut across the glare: the top-right corner 45 px down the right side.
        let cut: Quad = [(100.0, 80.0), (525.0, 155.0), (510.0, 380.0), (82.0, 350.0)];
        assert_eq!(
            refine_quad(&img, &cut, 12.0),
            cut,
            "the narrow fit gives up"
        );
        let wide = refine_wide(&img, &cut, 12.0).expect("a quad");
        // Within 3 px (steps are found to the pixel) of the truth; the cut corner was 45 px off.
        for (f, t) in wide.iter().zip(&truth) {
            assert!((f.0 - t.0).hypot(f.1 - t.1) < 3.0, "{wide:?}");
        }
        assert!(edge_support(&img, &wide, 12.0) > edge_support(&img, &cut, 12.0));
        // Nothing to fit on a flat image.
        let flat = GrayImage::from_pixel(640, 480, Luma([128]));
        assert_eq!(refine_wide(&flat, &cut, 12.0), None);
        assert_eq!(edge_support(&flat, &truth, 12.0), 0.0);
    }

    #[test]
    fn a_card_split_by_glare_is_found_whole() {
        // A light card on a dark ground (a 960 × 680 photo: the finder works on a half-size
        // copy), a soft band of glare across it that washes its top and bottom edges out: the
        // edges fall into two pieces, left and right, neither card-like.
        let truth: Quad = [
            (120.0, 120.0),
            (800.0, 160.0),
            (780.0, 580.0),
            (100.0, 540.0),
        ];
        let inside = |x: f32, y: f32| {
            (0..4).all(|i| {
                let (a, b) = (truth[i], truth[(i + 1) % 4]);
                (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0) >= 0.0
            })
        };
        let photo = |glare: bool| {
            GrayImage::from_fn(960, 680, |x, y| {
                let (x, y) = (x as f32 + 0.5, y as f32 + 0.5);
                let base: f32 = if inside(x, y) { 190.0 } else { 50.0 };
                let band = (-((x - 280.0) / 80.0).powi(2) - ((y - 350.0) / 300.0).powi(8)).exp();
                Luma([base.max(if glare { 235.0 * band } else { 0.0 }) as u8])
            })
        };
        // The joined quad, refitted on the full image, is the whole card.
        let found = find_quads(&photo(true), 2);
        assert_eq!(found.len(), 1, "{found:?}");
        let (q, joined) = found[0];
        assert!(joined);
        for (p, t) in q.iter().zip(&truth) {
            assert!((p.0 - t.0).hypot(p.1 - t.1) < 4.0, "{q:?}");
        }
        // Without the glare, one whole outline.
        let found = find_quads(&photo(false), 2);
        assert_eq!(found.len(), 1);
        assert!(!found[0].1);
    }

    /// A grey image of random blocks (up to 32 px, from `seed`), with some edges to find.
    fn blocks(w: u32, h: u32, seed: u64) -> GrayImage {
        let mix = |x: u64| {
            let x = (x ^ seed).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 56
        };
        let size = 1 + (seed % 32) as u32;
        GrayImage::from_fn(w, h, |x, y| {
            Luma([mix(u64::from(x / size) << 32 | u64::from(y / size)) as u8])
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// The refits and the finder on arbitrary images and quads (corners off the image,
        /// crossed, collapsed): no panic, finite corners, card-like when the wide refit
        /// answers.
        #[test]
        fn refits_hold_on_any_quad(
            seed in proptest::prelude::any::<u64>(),
            w in 16u32..400,
            h in 16u32..400,
            c in proptest::array::uniform8(-100f32..500.0),
            reach in 1f32..40.0,
        ) {
            let img = blocks(w, h, seed);
            let q: Quad = [(c[0], c[1]), (c[2], c[3]), (c[4], c[5]), (c[6], c[7])];
            let narrow = refine_quad(&img, &q, reach);
            proptest::prop_assert!(narrow.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
            if let Some(wide) = refine_wide(&img, &q, reach) {
                proptest::prop_assert!(wide.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
                proptest::prop_assert!(card_like(&wide));
            }
            let support = edge_support(&img, &q, reach);
            proptest::prop_assert!((0.0..=4.0).contains(&support));
            for (quad, _) in find_quads(&img, 3) {
                proptest::prop_assert!(quad.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
            }
        }
    }

    #[test]
    fn fit_line_follows_the_points() {
        let pts: Vec<(f32, f32)> = (0..10).map(|i| (i as f32, 3.0 + 0.5 * i as f32)).collect();
        let (p, d) = fit_line(&pts).expect("a line");
        assert!((d.1 / d.0 - 0.5).abs() < 1e-4, "{d:?}");
        assert!((p.1 - (3.0 + 0.5 * p.0)).abs() < 1e-4);
        assert_eq!(fit_line(&pts[..1]), None);
        assert_eq!(fit_line(&[(2.0, 2.0), (2.0, 2.0)]), None);
        // Vertical and horizontal lines.
        let (_, d) = fit_line(&[(1.0, 0.0), (1.0, 5.0), (1.0, 9.0)]).expect("a line");
        assert!(d.0.abs() < 1e-6 && (d.1.abs() - 1.0).abs() < 1e-6, "{d:?}");
        let (_, d) = fit_line(&[(0.0, 4.0), (5.0, 4.0)]).expect("a line");
        assert!((d.0.abs() - 1.0).abs() < 1e-6 && d.1.abs() < 1e-6, "{d:?}");
    }

    #[test]
    fn shrink_averages_blocks() {
        let img = GrayImage::from_fn(4, 2, |x, _| Luma([if x < 2 { 0 } else { 200 }]));
        let s = shrink(&img, 2);
        assert_eq!(s.dimensions(), (2, 1));
        assert_eq!(s.as_raw(), &[0, 200]);
        // Means truncated; the last column and row (7 % 3, 5 % 3 = 1, 2) dropped.
        let img = GrayImage::from_fn(7, 5, |x, y| Luma([(x * 30 + y * 7) as u8]));
        let s = shrink(&img, 3);
        assert_eq!(s.dimensions(), (2, 1));
        let mean = |x0: u32| {
            let sum: u32 = (0..3)
                .flat_map(|y| (x0..x0 + 3).map(move |x| x * 30 + y * 7))
                .sum();
            (sum / 9) as u8
        };
        assert_eq!(s.as_raw(), &[mean(0), mean(3)]);
        assert_eq!(shrink(&img, 8).dimensions(), (1, 1));
    }
}
