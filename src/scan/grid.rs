//! Grid fitting on the rectified code patch: find the code's three finder patterns by
//! correlation with their 1:1:3:1:1 profile at the module sizes a card's code can have,
//! fit the module grid to them (and to the bottom-right alignment pattern when there is
//! one), sample every module at sub-pixel accuracy against a local threshold, and hand the
//! bit matrix to rxing's QR decoder (Reed–Solomon decides; the lenient parser and the card's
//! checks follow in the caller).
//!
//! General decoders find the grid from the binarised image; on a blurred code under 2 px per
//! module in the photo, binarisation loses the finder patterns' 1:1:3:1:1 runs before any
//! grid is fitted. Here the finders are found on grey levels (box sums on an integral
//! image), several versions are tried for each finder triple (the module count is only
//! known to within a version or two from the finders' spacing), and the sampled module
//! levels are sharpened in the module domain (each module minus a share of its
//! neighbours: a deconvolution of the blur spread over one module) before thresholding.
//! When no reading decodes, the readings go to the soft decoder ([`super::soft`]), which
//! erases the codewords whose modules stand least clear of their neighbourhood and pools
//! the blocks every reading and grid of the code corrects.

use std::panic::{catch_unwind, AssertUnwindSafe};

use image::GrayImage;
use imageproc::geometric_transformations::Projection;

use super::budget::Deadline;
use super::soft::Pool;
use super::text::decode_text;
use super::{Code, Engine, Step};

/// Box sums over a grey image.
struct Integral {
    w: usize,
    h: usize,
    s: Vec<i64>,
    /// Sums of squares.
    q: Vec<i64>,
}

impl Integral {
    fn new(img: &GrayImage) -> Self {
        let (w, h) = (img.width() as usize, img.height() as usize);
        let mut s = vec![0i64; (w + 1) * (h + 1)];
        let mut q = vec![0i64; (w + 1) * (h + 1)];
        let px = img.as_raw();
        for y in 0..h {
            let (mut row, mut row2) = (0i64, 0i64);
            for x in 0..w {
                let v = i64::from(px[y * w + x]);
                row += v;
                row2 += v * v;
                s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
                q[(y + 1) * (w + 1) + x + 1] = q[y * (w + 1) + x + 1] + row2;
            }
        }
        Integral { w, h, s, q }
    }

    /// The box centred on (`cx`, `cy`) reaching `r` px each way, clipped to the image:
    /// (x0, x1, y0, y1), each edge rounded to the nearest pixel boundary.
    #[inline]
    fn bounds(&self, cx: f32, cy: f32, r: f32) -> (usize, usize, usize, usize) {
        (
            clip(cx - r, self.w),
            clip(cx + r, self.w),
            clip(cy - r, self.h),
            clip(cy + r, self.h),
        )
    }

    /// The sum of table `t` over the box `b` from [`Integral::bounds`].
    #[inline]
    fn sum(&self, t: &[i64], (x0, x1, y0, y1): (usize, usize, usize, usize)) -> i64 {
        let at = |x: usize, y: usize| t[y * (self.w + 1) + x];
        at(x1, y1) - at(x0, y1) - at(x1, y0) + at(x0, y0)
    }

    /// Sum and pixel count of the box centred on (`cx`, `cy`) reaching `r` px each way,
    /// clipped to the image.
    fn boxed(&self, cx: f32, cy: f32, r: f32) -> (i64, i64) {
        let b = self.bounds(cx, cy, r);
        let (x0, x1, y0, y1) = b;
        if x1 <= x0 || y1 <= y0 {
            return (0, 0);
        }
        (self.sum(&self.s, b), ((x1 - x0) * (y1 - y0)) as i64)
    }

    /// Score of a pattern of concentric squares centred on (`cx`, `cy`): a dark core of
    /// half-width `a`, a light ring to `b`, a dark ring to `c` (pixels). Positive when the
    /// light ring is lighter than both its neighbours.
    fn rings(&self, cx: f32, cy: f32, a: f32, b: f32, c: f32) -> f32 {
        let (s1, n1) = self.boxed(cx, cy, a);
        let (s2, n2) = self.boxed(cx, cy, b);
        let (s3, n3) = self.boxed(cx, cy, c);
        if n1 == 0 || n2 <= n1 || n3 <= n2 {
            return f32::MIN;
        }
        let core = s1 as f32 / n1 as f32;
        let light = (s2 - s1) as f32 / (n2 - n1) as f32;
        let outer = (s3 - s2) as f32 / (n3 - n2) as f32;
        ring_contrast(core, light, outer)
    }

    /// Finder pattern score at (`cx`, `cy`) for modules of `m` px, relative to the local
    /// contrast (glare and shadow change the contrast across one code): [`Integral::rings`]
    /// for a core of 1.5 `m`, rings to 2.5 `m` and 3.5 `m`, over 8 plus the standard
    /// deviation of the outer box (the outer box's bounds computed once for both).
    fn finder(&self, cx: f32, cy: f32, m: f32) -> f32 {
        let (b1, b2, b3) = (
            self.bounds(cx, cy, 1.5 * m),
            self.bounds(cx, cy, 2.5 * m),
            self.bounds(cx, cy, 3.5 * m),
        );
        let area = |(x0, x1, y0, y1): (usize, usize, usize, usize)| {
            if x1 <= x0 || y1 <= y0 {
                0
            } else {
                ((x1 - x0) * (y1 - y0)) as i64
            }
        };
        let (n1, n2, n3) = (area(b1), area(b2), area(b3));
        if n1 == 0 || n2 <= n1 || n3 <= n2 {
            return f32::MIN;
        }
        let (s1, s2, s3) = (
            self.sum(&self.s, b1),
            self.sum(&self.s, b2),
            self.sum(&self.s, b3),
        );
        let core = s1 as f32 / n1 as f32;
        let light = (s2 - s1) as f32 / (n2 - n1) as f32;
        let outer = (s3 - s2) as f32 / (n3 - n2) as f32;
        let r = ring_contrast(core, light, outer);
        if r <= 0.0 {
            return r;
        }
        let n = n3 as f64;
        let (sum, sq) = (s3 as f64, self.sum(&self.q, b3) as f64);
        let spread = (sq / n - (sum / n).powi(2)).max(0.0).sqrt() as f32;
        100.0 * r / (spread + 8.0)
    }

    /// Alignment pattern score at (`cx`, `cy`) for modules of `m` px.
    fn alignment(&self, cx: f32, cy: f32, m: f32) -> f32 {
        self.rings(cx, cy, 0.5 * m, 1.5 * m, 2.5 * m)
    }
}

/// How much a light ring of mean level `light` stands out between a dark core (`core`) and
/// a dark outer ring (`outer`): positive when lighter than both.
#[inline]
fn ring_contrast(core: f32, light: f32, outer: f32) -> f32 {
    (light - core).min(light - outer) + 0.25 * (2.0 * light - core - outer)
}

/// `v` rounded to the nearest integer (halves away from zero, as `f32::round`), at least 0
/// and at most `max`; without a call to the C library's `roundf` (a box edge is rounded
/// for every score).
#[inline]
fn clip(v: f32, max: usize) -> usize {
    if v.is_nan() || v <= 0.0 {
        return 0;
    }
    if v >= max as f32 {
        return max;
    }
    // v - trunc(v) is exact below 2^23.
    let t = v as usize;
    let up = usize::from(v - t as f32 >= 0.5);
    (t + up).min(max)
}

/// [`Integral::finder`] at whole pixels for integer box half-widths `r1 < r2 < r3`, the
/// outer box inside the image (no clipping): the finder search's inner loop, with the
/// table offsets of each box's corners and the reciprocals of the rings' areas computed
/// once per module size.
struct FastFinder {
    /// Offsets of the bottom-right and bottom-left corners of each box from its centre
    /// (the top-left and top-right are their opposites).
    corners: [(usize, usize); 3],
    /// 1 / area of the core, the light ring, the dark ring and the outer box.
    inv: [f32; 4],
}

impl FastFinder {
    fn new(ii: &Integral, r1: usize, r2: usize, r3: usize) -> Self {
        let stride = ii.w + 1;
        let corner = |r: usize| (r * stride + r, r * stride - r);
        let area = |r: usize| (4 * r * r) as f32;
        FastFinder {
            corners: [corner(r1), corner(r2), corner(r3)],
            inv: [
                1.0 / area(r1),
                1.0 / (area(r2) - area(r1)),
                1.0 / (area(r3) - area(r2)),
                1.0 / area(r3),
            ],
        }
    }

    /// The score at table index `c` (the centre's row times the stride plus its column).
    #[inline]
    fn score(&self, ii: &Integral, c: usize) -> f32 {
        let sum = |t: &[i64], (a, b): (usize, usize)| t[c + a] - t[c + b] - t[c - b] + t[c - a];
        let [k1, k2, k3] = self.corners;
        let (s1, s2, s3) = (sum(&ii.s, k1), sum(&ii.s, k2), sum(&ii.s, k3));
        let core = s1 as f32 * self.inv[0];
        let light = (s2 - s1) as f32 * self.inv[1];
        let outer = (s3 - s2) as f32 * self.inv[2];
        let r = ring_contrast(core, light, outer);
        if r <= 0.0 {
            return r;
        }
        let q3 = sum(&ii.q, k3) as f32 * self.inv[3];
        let mean = s3 as f32 * self.inv[3];
        let sd = (q3 - mean * mean).max(0.0).sqrt();
        100.0 * r / (sd + 8.0)
    }
}

/// A finder pattern candidate: centre, module size, score.
#[derive(Debug, Clone, Copy)]
struct Finder {
    x: f32,
    y: f32,
    m: f32,
    score: f32,
}

/// Grids of a patch every one of [`MODELS`] is tried on (later grids: the first model only).
/// Measured on the 120 hard card photos: the same reads as every model on every grid, the
/// photos read by none costing about a fifth less.
const FULL_GRIDS: usize = 1;

/// Finder triples [`read`] samples grids for, at most.
const MAX_TRIPLES: usize = 6;

/// Ratio between the module sizes the finder search tries. Measured with the grid reader
/// on the true outlines of the 120 hard card photos: 1.2 and 1.25 read 106, 1.3 106 and 1.4
/// 99; 1.25 tries six sizes for card codes where 1.2 tried seven.
const SCALE_STEP: f32 = 1.25;

/// Finder pattern candidates in the patch for module sizes `m_lo..=m_hi` px, best first.
fn finders(ii: &Integral, m_lo: f32, m_hi: f32, deadline: &Deadline) -> Vec<Finder> {
    let mut all: Vec<Finder> = Vec::new();
    let mut m = m_lo;
    while m <= m_hi * 1.001 {
        if deadline.passed() {
            break;
        }
        let step = (m / 2.0).round().max(2.0) as usize;
        // Integer box half-widths: the scan needs no clipping inside `margin`.
        let (r1, r2, r3) = (
            (1.5 * m).round() as usize,
            (2.5 * m).round() as usize,
            (3.5 * m).round() as usize,
        );
        let margin = r3 + 1;
        let (w, h) = (ii.w, ii.h);
        if w <= 2 * margin + step || h <= 2 * margin + step || r1 == 0 || r2 <= r1 || r3 <= r2 {
            m *= SCALE_STEP;
            continue;
        }
        let (gw, gh) = ((w - 2 * margin) / step, (h - 2 * margin) / step);
        let fast = FastFinder::new(ii, r1, r2, r3);
        let stride = w + 1;
        let mut grid = vec![f32::MIN; gw * gh];
        for (gy, row) in grid.chunks_exact_mut(gw).enumerate() {
            let cy = margin + gy * step;
            for (gx, v) in row.iter_mut().enumerate() {
                *v = fast.score(ii, cy * stride + margin + gx * step);
            }
        }
        // Local maxima over the 5 × 5 neighbourhood of the grid, the best few.
        let mut peaks: Vec<Finder> = Vec::new();
        for gy in 0..gh {
            for gx in 0..gw {
                let v = grid[gy * gw + gx];
                if v <= 10.0 {
                    continue;
                }
                let mut top = true;
                'n: for ny in gy.saturating_sub(2)..(gy + 3).min(gh) {
                    for nx in gx.saturating_sub(2)..(gx + 3).min(gw) {
                        let o = grid[ny * gw + nx];
                        if o > v || (o == v && (ny, nx) < (gy, gx)) {
                            top = false;
                            break 'n;
                        }
                    }
                }
                if top {
                    peaks.push(Finder {
                        x: (margin + gx * step) as f32,
                        y: (margin + gy * step) as f32,
                        m,
                        score: v,
                    });
                }
            }
        }
        peaks.sort_by(|a, b| b.score.total_cmp(&a.score));
        peaks.truncate(6);
        for p in &mut peaks {
            refine(ii, p, step as f32);
        }
        all.extend(peaks);
        m *= SCALE_STEP;
    }
    all.sort_by(|a, b| b.score.total_cmp(&a.score));
    // One candidate per place: the best scale wins.
    let mut kept: Vec<Finder> = Vec::new();
    for f in all {
        if !kept
            .iter()
            .any(|k| (k.x - f.x).hypot(k.y - f.y) < 2.5 * k.m.min(f.m))
        {
            kept.push(f);
        }
        if kept.len() >= 8 {
            break;
        }
    }
    kept
}

/// Moves a finder candidate to the best score within `r` px (1 px steps), then to the
/// vertex of a parabola through the scores either side, and tries its scale ±7 %.
fn refine(ii: &Integral, f: &mut Finder, r: f32) {
    let score = |x: f32, y: f32, m: f32| ii.finder(x, y, m);
    let mut best = (f.x, f.y, f.score);
    let ri = r as i32;
    for dy in -ri..=ri {
        for dx in -ri..=ri {
            let (x, y) = (f.x + dx as f32, f.y + dy as f32);
            let s = score(x, y, f.m);
            if s > best.2 {
                best = (x, y, s);
            }
        }
    }
    let (x, y, s) = best;
    let vertex = |a: f32, b: f32, c: f32| {
        let d = a - 2.0 * b + c;
        if d < 0.0 {
            (0.5 * (a - c) / d).clamp(-0.5, 0.5)
        } else {
            0.0
        }
    };
    let ox = vertex(score(x - 1.0, y, f.m), s, score(x + 1.0, y, f.m));
    let oy = vertex(score(x, y - 1.0, f.m), s, score(x, y + 1.0, f.m));
    f.x = x + ox;
    f.y = y + oy;
    f.score = s;
    for k in [0.93, 1.07] {
        let sk = score(f.x, f.y, f.m * k);
        if sk > f.score {
            f.score = sk;
            f.m *= k;
        }
    }
}

/// The best finder score within `2 m` of (`x`, `y`) at module size `m`, refined.
fn search(ii: &Integral, x: f32, y: f32, m: f32) -> Finder {
    let mut f = Finder {
        x,
        y,
        m,
        score: ii.finder(x, y, m),
    };
    refine(ii, &mut f, (2.0 * m).round());
    f
}

/// The best finder score within `r` px of (`x`, `y`) at module size `m` (steps of a module,
/// then refined within a module): a code sheared by an imprecise card outline puts its
/// third finder further from the square's corner than [`search`] looks. (Steps of half a
/// module read the same 106 of the 120 hard photos' true outlines, at four times the
/// scores: the finder search's triples took 5.2 ms a patch, 3.2 ms with whole modules.)
fn search_wide(ii: &Integral, x: f32, y: f32, m: f32, r: f32) -> Finder {
    let step = m.max(1.0);
    let k = (r / step).ceil() as i32;
    let mut f = Finder {
        x,
        y,
        m,
        score: ii.finder(x, y, m),
    };
    for dy in -k..=k {
        for dx in -k..=k {
            let (cx, cy) = (x + dx as f32 * step, y + dy as f32 * step);
            let s = ii.finder(cx, cy, m);
            if s > f.score {
                f = Finder {
                    x: cx,
                    y: cy,
                    m,
                    score: s,
                };
            }
        }
    }
    refine(ii, &mut f, step.ceil());
    f
}

/// Finder triples that could be one code's (top-left, top-right, bottom-left), best first:
/// every pair of candidates a plausible code size apart, read as two of the three finders
/// (a side or the diagonal), completed by the best finder score where the third would be.
fn triples(
    ii: &Integral,
    f: &[Finder],
    d_lo: f32,
    d_hi: f32,
    deadline: &Deadline,
) -> Vec<[Finder; 3]> {
    let mut out: Vec<(f32, [Finder; 3])> = Vec::new();
    let push = |out: &mut Vec<(f32, [Finder; 3])>, t: [Finder; 3]| {
        // The patch is rectified: the code stands upright, give or take the card
        // outline's error (top-right within 25° of the top-left's right, clockwise).
        let (ux, uy) = (t[1].x - t[0].x, t[1].y - t[0].y);
        if ux <= 0.0 || uy.abs() > 0.47 * ux {
            return;
        }
        // The same triple from another pair: keep the better.
        let same = |o: &[Finder; 3]| {
            o.iter()
                .zip(&t)
                .all(|(a, b)| (a.x - b.x).hypot(a.y - b.y) < 1.5 * a.m)
        };
        let score: f32 = t.iter().map(|f| f.score.max(0.0)).sum();
        if let Some(o) = out.iter_mut().find(|o| same(&o.1)) {
            if score > o.0 {
                *o = (score, t);
            }
            return;
        }
        out.push((score, t));
    };
    for (i, &p) in f.iter().enumerate() {
        for &q in &f[i + 1..] {
            if deadline.passed() {
                break;
            }
            if p.m.max(q.m) / p.m.min(q.m) > 1.5 {
                continue;
            }
            let m = (p.m + q.m) / 2.0;
            let (dx, dy) = (q.x - p.x, q.y - p.y);
            let d = dx.hypot(dy);
            for (a, b) in [(p, q), (q, p)] {
                let (dx, dy) = (b.x - a.x, b.y - a.y);
                // The third finder where the other two put it, and the best score near
                // there (a glare spot or the code's data can pull the search away).
                let third = |x: f32, y: f32| {
                    let at = Finder {
                        x,
                        y,
                        m,
                        score: ii.finder(x, y, m),
                    };
                    let near = search(ii, x, y, m);
                    // Nothing like a finder near the square's corner: look further.
                    let far = (near.score < 0.5 * a.score.min(b.score))
                        .then(|| search_wide(ii, x, y, m, 0.25 * d));
                    [Some(near), Some(at), far].into_iter().flatten()
                };
                if (d_lo..=d_hi).contains(&d) {
                    // a top-left, b top-right: bottom-left a quarter turn clockwise.
                    for c in third(a.x - dy, a.y + dx) {
                        push(&mut out, [a, b, c]);
                    }
                    // a top-left, b bottom-left: top-right a quarter turn the other way.
                    for c in third(a.x + dy, a.y - dx) {
                        push(&mut out, [a, c, b]);
                    }
                }
                let diag = d / std::f32::consts::SQRT_2;
                if (d_lo..=d_hi).contains(&diag) {
                    // a top-right, b bottom-left: top-left off the diagonal's middle.
                    let (mx, my) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
                    let (hx, hy) = (dx / 2.0, dy / 2.0);
                    for c in third(mx - hy, my + hx) {
                        push(&mut out, [c, a, b]);
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    out.into_iter().map(|(_, t)| t).collect()
}

/// Versions whose module count fits the finder spacing `d` (between finder centres) and
/// module size `m`, closest first (at most `max`).
fn versions(d: f32, m: f32, max: usize) -> Vec<u32> {
    let mut v: Vec<(f32, u32)> = (1..=20u32)
        .filter_map(|ver| {
            let n = 17 + 4 * ver;
            let mv = d / (n - 7) as f32;
            let off = (mv / m).ln().abs();
            (off < 0.35).then_some((off, ver))
        })
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    v.into_iter().take(max).map(|(_, ver)| ver).collect()
}

/// Bilinear grey level at (`x`, `y`) (pixel centres at half numbers), clamped to the image.
fn level(img: &GrayImage, x: f32, y: f32) -> f32 {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let x = (x - 0.5).clamp(0.0, w - 1.001);
    let y = (y - 0.5).clamp(0.0, h - 1.001);
    super::warp::interpolate(img, x, y)
}

/// Module-domain sharpening strengths tried on each grid: none, then subtracting a share of
/// the neighbours' deviation (the blur's spread into each module).
const SHARPEN: [f32; 3] = [0.0, 0.6, 1.4];

/// Where [`sample`] reads each module, module widths from its centre: the centre and a
/// fifth of a module each way along both axes. Measured on the 120 hard card photos: one
/// photo more than the centre alone (100 against 99; a third of a module or a 3 × 3 set of
/// spots read no more).
const SPOTS: [(f32, f32); 5] = [(0.0, 0.0), (-0.2, 0.0), (0.2, 0.0), (0.0, -0.2), (0.0, 0.2)];

/// Grey levels of the `n` × `n` module centres through `map` (module coordinates to patch
/// pixels); each the mean of five samples within a fifth of a module of the centre.
fn sample(img: &GrayImage, map: &Projection, n: usize) -> Vec<f32> {
    let mut v = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            let (u, w) = (i as f32 + 0.5, j as f32 + 0.5);
            let level_at = |(a, b): &(f32, f32)| {
                let (x, y) = *map * (u + a, w + b);
                level(img, x, y)
            };
            v.push(SPOTS.iter().map(level_at).sum::<f32>() / SPOTS.len() as f32);
        }
    }
    v
}

/// The dark modules of `levels` (`n` × `n`): each module, sharpened by `k`, against the mean
/// of the modules within four of it.
fn threshold(levels: &[f32], n: usize, k: f32) -> Vec<bool> {
    let at = |i: isize, j: isize| {
        let (i, j) = (i.clamp(0, n as isize - 1), j.clamp(0, n as isize - 1));
        levels[j as usize * n + i as usize]
    };
    let sharp: Vec<f32> = (0..n * n)
        .map(|p| {
            let (i, j) = ((p % n) as isize, (p / n) as isize);
            let v = at(i, j);
            if k == 0.0 {
                return v;
            }
            let near = (at(i - 1, j) + at(i + 1, j) + at(i, j - 1) + at(i, j + 1)) / 4.0;
            let diag =
                (at(i - 1, j - 1) + at(i + 1, j - 1) + at(i - 1, j + 1) + at(i + 1, j + 1)) / 4.0;
            v + k * (v - (0.7 * near + 0.3 * diag))
        })
        .collect();
    local_means(&sharp, n, 4)
        .into_iter()
        .zip(&sharp)
        .map(|(mean, &v)| f64::from(v) < mean)
        .collect()
}

/// The mean of the `n` × `n` values around each, over the modules within `r` of it (clipped
/// at the code's edges), from a summed table.
fn local_means(values: &[f32], n: usize, r: usize) -> Vec<f64> {
    let mut s = vec![0f64; (n + 1) * (n + 1)];
    for j in 0..n {
        let mut row = 0f64;
        for i in 0..n {
            row += f64::from(values[j * n + i]);
            s[(j + 1) * (n + 1) + i + 1] = s[j * (n + 1) + i + 1] + row;
        }
    }
    (0..n * n)
        .map(|p| {
            let (i, j) = (p % n, p / n);
            let (i0, i1) = (i.saturating_sub(r), (i + r + 1).min(n));
            let (j0, j1) = (j.saturating_sub(r), (j + r + 1).min(n));
            let sum = s[j1 * (n + 1) + i1] - s[j0 * (n + 1) + i1] - s[j1 * (n + 1) + i0]
                + s[j0 * (n + 1) + i0];
            sum / ((i1 - i0) * (j1 - j0)) as f64
        })
        .collect()
}

/// Modules each way over which [`soft_margins`] measures a module's contrast. Measured on
/// the 120 hard card photos: 3 and 5 read one photo more, 2 and 4 none.
const SOFT_REACH: usize = 3;

/// The soft decoder's margins for the decisions `dark`: each module's distance, in grey
/// levels, from the mean of the modules within [`SOFT_REACH`] of it (small where glare or
/// shadow flattens the code, or blur and noise leave a module near its surroundings),
/// negative for a dark module.
fn soft_margins(levels: &[f32], n: usize, dark: &[bool]) -> Vec<f32> {
    local_means(levels, n, SOFT_REACH)
        .into_iter()
        .zip(levels)
        .zip(dark)
        .map(|((mean, &v), &d)| {
            let m = ((f64::from(v) - mean).abs() as f32).max(1e-3);
            if d {
                -m
            } else {
                m
            }
        })
        .collect()
}

/// Iterations of [`equalise`] decoded (each refits the blur model).
const EQUALISE_ROUNDS: usize = 3;

/// The equaliser's blur models: neighbour offsets, each standing for the pair it and its
/// opposite make when paired. The 3 × 3 neighbourhood in symmetric pairs (defocus, or
/// straight motion blur centred on the module), then its eight neighbours one at a time
/// (blur off the module's centre: the grid half a module off along the motion, or a
/// motion streak from one side). Measured on the 120 hard card photos: the second model
/// read one photo the first did not; a 5 × 5 neighbourhood (24 weights, or 12 in
/// symmetric pairs) read the same photo for 10–25 % more total time.
const MODELS: [(&[(isize, isize)], bool); 2] = [
    (&[(1, 0), (0, 1), (1, 1), (1, -1)], true),
    (
        &[
            (1, 0),
            (0, 1),
            (1, 1),
            (1, -1),
            (-1, 0),
            (0, -1),
            (-1, -1),
            (-1, 1),
        ],
        false,
    ),
];

/// Decision-feedback equalisation of the sampled levels: the blur mixes each module's ink
/// with its neighbours'. Fits, by least squares over the whole code, each module's
/// contrast-normalised level as a constant plus its own darkness plus the darkness of its
/// neighbours at `offsets` (with their opposites when `paired`), then decides each module
/// again with its neighbours' share taken away; `rounds` times, starting from `dark`.
/// Returns each round's decisions.
fn equalise(
    levels: &[f32],
    n: usize,
    dark: &[bool],
    rounds: usize,
    (offsets, paired): (&[(isize, isize)], bool),
) -> Vec<Vec<bool>> {
    // Levels relative to their neighbourhood (4 modules each way): shadow and glare out.
    let r = 4usize;
    let mut s = vec![0f64; (n + 1) * (n + 1)];
    let mut q = vec![0f64; (n + 1) * (n + 1)];
    for j in 0..n {
        let (mut row, mut row2) = (0f64, 0f64);
        for i in 0..n {
            let v = f64::from(levels[j * n + i]);
            row += v;
            row2 += v * v;
            s[(j + 1) * (n + 1) + i + 1] = s[j * (n + 1) + i + 1] + row;
            q[(j + 1) * (n + 1) + i + 1] = q[j * (n + 1) + i + 1] + row2;
        }
    }
    let z: Vec<f64> = (0..n * n)
        .map(|p| {
            let (i, j) = (p % n, p / n);
            let (i0, i1) = (i.saturating_sub(r), (i + r + 1).min(n));
            let (j0, j1) = (j.saturating_sub(r), (j + r + 1).min(n));
            let bx = |t: &[f64]| {
                t[j1 * (n + 1) + i1] - t[j0 * (n + 1) + i1] - t[j1 * (n + 1) + i0]
                    + t[j0 * (n + 1) + i0]
            };
            let cnt = ((i1 - i0) * (j1 - j0)) as f64;
            let mean = bx(&s) / cnt;
            let sd = (bx(&q) / cnt - mean * mean).max(0.0).sqrt();
            (f64::from(levels[p]) - mean) / (sd + 2.0)
        })
        .collect();
    let k = offsets.len() + 2;
    let mut b: Vec<f64> = dark.iter().map(|&d| f64::from(u8::from(d))).collect();
    let mut out = Vec::new();
    let mut f = vec![0f64; k];
    for _ in 0..rounds {
        let at = |b: &[f64], i: isize, j: isize| {
            if i < 0 || j < 0 || i >= n as isize || j >= n as isize {
                0.0 // the quiet zone is light
            } else {
                b[j as usize * n + i as usize]
            }
        };
        let features = |b: &[f64], p: usize, f: &mut [f64]| {
            let (i, j) = ((p % n) as isize, (p / n) as isize);
            f[0] = 1.0;
            f[1] = b[p];
            for (fk, &(di, dj)) in f[2..].iter_mut().zip(offsets) {
                *fk = at(b, i + di, j + dj);
                if paired {
                    *fk += at(b, i - di, j - dj);
                }
            }
        };
        // Normal equations of the least-squares fit.
        let mut a = vec![vec![0f64; k + 1]; k];
        // The features are small counts, mostly zero: only the non-zero ones are summed.
        let mut nz: Vec<(usize, f64)> = Vec::with_capacity(k);
        for (p, &zp) in z.iter().enumerate() {
            features(&b, p, &mut f);
            nz.clear();
            nz.extend(f.iter().copied().enumerate().filter(|&(_, v)| v != 0.0));
            for &(r, fr) in &nz {
                let row = &mut a[r];
                for &(c, fc) in &nz {
                    row[c] += fr * fc;
                }
                row[k] += fr * zp;
            }
        }
        let Some(w) = solve(a) else {
            break;
        };
        // Dark modules must read darker, and by more than their neighbours' share.
        if w[1] >= -0.1 {
            break;
        }
        let next: Vec<f64> = (0..n * n)
            .map(|p| {
                features(&b, p, &mut f);
                let rest: f64 = w[0] + f[2..].iter().zip(&w[2..]).map(|(x, y)| x * y).sum::<f64>();
                f64::from(u8::from(z[p] - rest < w[1] / 2.0))
            })
            .collect();
        b = next;
        out.push(b.iter().map(|&v| v > 0.5).collect());
    }
    out
}

/// Solves the linear equations of the augmented rows `a` (`k` rows of `k + 1`) by
/// Gaussian elimination with partial pivoting; `None` when singular.
fn solve(mut a: Vec<Vec<f64>>) -> Option<Vec<f64>> {
    let k = a.len();
    for c in 0..k {
        let piv = (c..k).max_by(|&x, &y| a[x][c].abs().total_cmp(&a[y][c].abs()))?;
        if a[piv][c].abs() < 1e-9 {
            return None;
        }
        a.swap(c, piv);
        let pivot = a[c].clone();
        for (r, row) in a.iter_mut().enumerate() {
            if r != c {
                let f = row[c] / pivot[c];
                for (v, p) in row.iter_mut().zip(&pivot).skip(c) {
                    *v -= f * p;
                }
            }
        }
    }
    Some((0..k).map(|i| a[i][k] / a[i][i]).collect())
}

/// rxing's QR decoder on an `n` × `n` module matrix: the payload bytes.
fn decode_bits(dark: &[bool], n: usize) -> Option<Vec<u8>> {
    use rxing::common::BitMatrix;
    use rxing::qrcode::decoder::qrcode_decoder::decode_bitmatrix;
    let found = catch_unwind(AssertUnwindSafe(|| {
        let mut bits = BitMatrix::new(n as u32, n as u32).ok()?;
        for (p, &d) in dark.iter().enumerate() {
            if d {
                bits.set((p % n) as u32, (p / n) as u32);
            }
        }
        let r = decode_bitmatrix(&bits).ok()?;
        // The whole content as text (numeric and alphanumeric segments included; the byte
        // segments alone would drop a card's digits).
        Some(r.getText().as_bytes().to_vec())
    }));
    match found {
        Ok(found) => found,
        Err(panic) if cfg!(fuzzing) => std::panic::resume_unwind(panic),
        Err(_) => None,
    }
}

/// Maps from module coordinates to patch pixels for a code of `n` modules whose finder
/// centres are `t` (top-left, top-right, bottom-left): the affine map the finders give, then,
/// when `n` has a bottom-right alignment pattern and one is found more than a third of a
/// module from where the affine map puts it, the projective map through it too.
fn grid_maps(ii: &Integral, t: &[Finder; 3], n: usize) -> Vec<Projection> {
    let nf = n as f32;
    let (a, b, c) = (t[0], t[1], t[2]);
    let d = nf - 7.0;
    let (ux, uy) = ((b.x - a.x) / d, (b.y - a.y) / d);
    let (vx, vy) = ((c.x - a.x) / d, (c.y - a.y) / d);
    let (ox, oy) = (a.x - 3.5 * (ux + vx), a.y - 3.5 * (uy + vy));
    let Some(affine) = Projection::from_matrix([ux, vx, ox, uy, vy, oy, 0.0, 0.0, 1.0]) else {
        return Vec::new();
    };
    let mut maps = vec![affine];
    if n >= 25 {
        let m = (ux.hypot(uy) + vx.hypot(vy)) / 2.0;
        // The alignment pattern's centre is 6.5 modules in from the far corner.
        let (px, py) = affine * (nf - 6.5, nf - 6.5);
        let r = (2.0 * m).round() as i32;
        let mut best = (f32::MIN, px, py);
        for dy in -r..=r {
            for dx in -r..=r {
                let (x, y) = (px + dx as f32, py + dy as f32);
                let s = ii.alignment(x, y, m);
                if s > best.0 {
                    best = (s, x, y);
                }
            }
        }
        if best.0 > 4.0 && (best.1 - px).hypot(best.2 - py) > m / 3.0 {
            let from = [
                (3.5, 3.5),
                (nf - 3.5, 3.5),
                (3.5, nf - 3.5),
                (nf - 6.5, nf - 6.5),
            ];
            let to = [(a.x, a.y), (b.x, b.y), (c.x, c.y), (best.1, best.2)];
            maps.extend(Projection::from_control_points(from, to));
        }
    }
    maps
}

/// Codes read by fitting the module grid on `patch`, a rectified code region at `ppm`
/// pixels per card millimetre holding a code of about `code_mm` millimetres; corners in
/// patch coordinates. At most `max_grids` grids are sampled.
pub(crate) fn read(
    patch: &GrayImage,
    ppm: f32,
    code_mm: f32,
    max_grids: usize,
    deadline: &Deadline,
) -> Vec<Code> {
    if patch.width() < 32 || patch.height() < 32 || deadline.passed() {
        return Vec::new();
    }
    let ii = Integral::new(patch);
    // Card codes: versions 3–13 (29–69 modules), printed 13–17 mm wide.
    let (m_lo, m_hi) = (ppm * code_mm * 0.85 / 69.0, ppm * code_mm * 1.15 / 29.0);
    let found = finders(&ii, m_lo.max(1.5), m_hi, deadline);
    // Finder centres are (n - 7) modules apart: 0.75–0.9 of the code's side.
    let (d_lo, d_hi) = (ppm * code_mm * 0.85 * 0.75, ppm * code_mm * 1.15 * 0.9);
    let candidates = triples(&ii, &found, d_lo, d_hi, deadline);
    let mut grids = 0;
    // One pool of corrected blocks per code size, shared by every grid of that size.
    let mut pools: Vec<Pool> = Vec::new();
    for t in candidates.into_iter().take(MAX_TRIPLES) {
        let d = ((t[1].x - t[0].x).hypot(t[1].y - t[0].y)
            + (t[2].x - t[0].x).hypot(t[2].y - t[0].y))
            / 2.0;
        let m = (t[0].m + t[1].m + t[2].m) / 3.0;
        for ver in versions(d, m, 3) {
            let n = (17 + 4 * ver) as usize;
            if deadline.passed() || grids >= max_grids {
                return Vec::new();
            }
            grids += 1;
            let at = match pools.iter().position(|p| p.side() == n) {
                Some(at) => at,
                None => {
                    pools.push(Pool::new(n));
                    pools.len() - 1
                }
            };
            for map in grid_maps(&ii, &t, n) {
                // Every blur model on the first grids, the first model only after them.
                let models = if grids <= FULL_GRIDS { MODELS.len() } else { 1 };
                if let Some(bytes) = decode_grid(patch, &map, n, models, &mut pools[at], deadline) {
                    let nf = n as f32;
                    let corners = [(0.0, 0.0), (nf, 0.0), (nf, nf), (0.0, nf)].map(|p| map * p);
                    return vec![Code {
                        text: decode_text(&bytes),
                        bytes,
                        corners,
                        engine: Engine::Rxing,
                        step: Step::Card,
                    }];
                }
            }
        }
    }
    Vec::new()
}

/// Samples the `n` × `n` grid `map` puts on `patch` and decodes it: thresholded as
/// sampled, sharpened by each of [`SHARPEN`], and equalised ([`equalise`]); the first
/// reading rxing's decoder accepts, else the payload once `pool` (the corrected blocks of
/// earlier grids of the same size) has every block corrected by some reading, each reading
/// given with the margins of [`soft_margins`].
fn decode_grid(
    patch: &GrayImage,
    map: &Projection,
    n: usize,
    models: usize,
    pool: &mut Pool,
    deadline: &Deadline,
) -> Option<Vec<u8>> {
    let levels = sample(patch, map, n);
    let plain = threshold(&levels, n, 0.0);
    let decode = |tries: &[Vec<bool>]| {
        tries
            .iter()
            .take_while(|_| !deadline.passed())
            .find_map(|dark| decode_bits(dark, n))
    };
    let mut readings: Vec<Vec<bool>> = std::iter::once(plain.clone())
        .chain(SHARPEN.iter().skip(1).map(|&k| threshold(&levels, n, k)))
        .collect();
    if let Some(bytes) = decode(&readings) {
        return Some(bytes);
    }
    // Each blur model only when the ones before it read nothing (each fit costs more than
    // a decode).
    for model in MODELS.into_iter().take(models) {
        if deadline.passed() {
            return None;
        }
        let equalised = equalise(&levels, n, &plain, EQUALISE_ROUNDS, model);
        if let Some(bytes) = decode(&equalised) {
            return Some(bytes);
        }
        readings.extend(equalised);
    }
    // Then every reading again into the pool, block by block, its least clear codewords
    // erased.
    readings
        .iter()
        .take_while(|_| !deadline.passed())
        .find_map(|dark| pool.add(&soft_margins(&levels, n, dark)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The box edges round as `f32::round` does, clipped to the image.
    #[test]
    fn clip_rounds_as_round() {
        let mut seed = 3u32;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let v = (seed >> 8) as f32 / 256.0 - 100.0;
            let want = (v.round().max(0.0) as usize).min(60_000);
            assert_eq!(clip(v, 60_000), want, "{v}");
        }
        for v in [
            0.5f32,
            1.5,
            2.5,
            0.499_999_97,
            2.499_999_8,
            -0.5,
            1e30,
            f32::NAN,
        ] {
            assert_eq!(
                clip(v, 1000),
                (v.round().max(0.0) as usize).min(1000),
                "{v}"
            );
        }
    }

    /// The search's fast score is the clipped one's inside the image.
    #[test]
    fn fast_finder_is_finder() {
        let mut seed = 8u32;
        let img = GrayImage::from_fn(90, 70, |x, y| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let ring = ((x as i32 - 40).abs()).max((y as i32 - 30).abs()) / 4;
            image::Luma([(if ring % 2 == 1 { 200 } else { 40 }) + (seed >> 28) as u8])
        });
        let ii = Integral::new(&img);
        let fast = FastFinder::new(&ii, 6, 10, 14);
        let mut positive = 0;
        for (cx, cy) in [(40, 30), (41, 30), (20, 20), (60, 50), (15, 55)] {
            let want = ii.finder(cx as f32, cy as f32, 4.0);
            let got = fast.score(&ii, cy * (ii.w + 1) + cx);
            assert!(
                (got - want).abs() <= 1e-3 * want.abs().max(1.0),
                "{cx} {cy}: {got} {want}"
            );
            positive += usize::from(got > 10.0);
        }
        assert!(positive >= 1);
    }

    /// The finder score as the boxes and their spread give it, clipped at the borders.
    #[test]
    fn finder_is_rings_over_spread() {
        let mut seed = 5u32;
        let img = GrayImage::from_fn(90, 70, |_, _| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            image::Luma([(seed >> 24) as u8])
        });
        let ii = Integral::new(&img);
        for (cx, cy, m) in [
            (45.0, 35.0, 4.0),
            (3.3, 2.7, 5.0),
            (88.6, 69.2, 3.1),
            (20.5, 60.0, 2.2),
        ] {
            let r = ii.rings(cx, cy, 1.5 * m, 2.5 * m, 3.5 * m);
            let want = if r <= 0.0 {
                r
            } else {
                let (s, n) = ii.boxed(cx, cy, 3.5 * m);
                let (x0, x1, y0, y1) = ii.bounds(cx, cy, 3.5 * m);
                let sq = ii.sum(&ii.q, (x0, x1, y0, y1)) as f64;
                let mean = s as f64 / n as f64;
                let sd = (sq / n as f64 - mean * mean).max(0.0).sqrt() as f32;
                100.0 * r / (sd + 8.0)
            };
            assert_eq!(ii.finder(cx, cy, m), want, "{cx} {cy} {m}");
        }
    }

    #[test]
    fn versions_follow_the_spacing() {
        // Version 8 (49 modules): finder centres 42 modules apart.
        let v = versions(42.0 * 5.0, 5.0, 3);
        assert_eq!(v[0], 8);
        assert!(v.len() <= 3);
    }

    /// Noise, a flat patch and a patch of finder-like blocks: nothing decoded, quickly;
    /// a spent deadline: nothing tried.
    #[test]
    fn no_code_no_read() {
        let never = Deadline::new(web_time::Instant::now(), std::time::Duration::MAX);
        let mut seed = 7u32;
        let noise = GrayImage::from_fn(480, 460, |_, _| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            image::Luma([(seed >> 24) as u8])
        });
        let flat = GrayImage::from_pixel(480, 460, image::Luma([128]));
        let blocks = GrayImage::from_fn(480, 460, |x, y| {
            let (u, v) = ((x / 5) % 7, (y / 5) % 7);
            let ring = u.min(v).min(6 - u).min(6 - v);
            image::Luma([if ring == 1 { 230 } else { 20 }])
        });
        for img in [&noise, &flat, &blocks] {
            let start = web_time::Instant::now();
            assert!(read(img, 13.0, 15.0, 18, &never).is_empty());
            assert!(start.elapsed() < std::time::Duration::from_secs(5));
        }
        let spent = Deadline::new(web_time::Instant::now(), std::time::Duration::ZERO);
        assert!(read(&blocks, 13.0, 15.0, 18, &spent).is_empty());
        assert!(read(&GrayImage::new(8, 8), 13.0, 15.0, 18, &never).is_empty());
    }

    /// A one-sided blur (each module carries 45 % of its left neighbour's ink): thresholding
    /// as sampled misreads modules, the symmetric model cannot fit the blur, the
    /// one-weight-per-neighbour model takes it away round by round.
    #[test]
    fn equaliser_undoes_a_one_sided_blur() {
        let n = 41;
        let mut seed = 11u32;
        let truth: Vec<bool> = (0..n * n)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (seed >> 16) & 1 == 1
            })
            .collect();
        let ink = |i: isize, j: isize| {
            if i < 0 || j < 0 {
                0.0
            } else {
                f32::from(u8::from(truth[j as usize * n + i as usize]))
            }
        };
        let levels: Vec<f32> = (0..n * n)
            .map(|p| {
                let (i, j) = ((p % n) as isize, (p / n) as isize);
                220.0 - 160.0 * (0.55 * ink(i, j) + 0.45 * ink(i - 1, j))
            })
            .collect();
        let errors = |d: &[bool]| d.iter().zip(&truth).filter(|(a, b)| a != b).count();
        let plain = threshold(&levels, n, 0.0);
        assert!(errors(&plain) > n, "plain errors {}", errors(&plain));
        let one = equalise(&levels, n, &plain, EQUALISE_ROUNDS, MODELS[1]);
        assert_eq!(one.len(), EQUALISE_ROUNDS);
        let sym = equalise(&levels, n, &plain, EQUALISE_ROUNDS, MODELS[0]);
        let best_sym = sym.iter().map(|d| errors(d)).min().unwrap_or(usize::MAX);
        // Each round fewer errors; the last a tenth of the others' (153, 127 and 8 here).
        let e: Vec<usize> = one.iter().map(|d| errors(d)).collect();
        assert!(e.windows(2).all(|w| w[1] < w[0]), "{e:?}");
        assert!(
            10 * e[e.len() - 1] < errors(&plain).min(best_sym),
            "{e:?} {best_sym}"
        );
    }

    /// Glare washing out a disc of the code: the decisions there are noise. The hard
    /// decoder fails once the disc spoils more codewords of a block than its check
    /// codewords can fix; the soft decoder, which erases the codewords of flat modules, reads
    /// larger discs; and no disc, however large, gives another text.
    #[cfg(feature = "synth-photo")]
    #[test]
    fn soft_decoding_reads_through_a_washed_out_disc() {
        let text = "soft-decision test: a synthetic payload of about one hundred and forty bytes, \
                    long enough for a version 7 or 8 code at level M, nothing more";
        let (n, truth) = crate::scan::soft::synthetic_code(text.as_bytes()).expect("fits");
        let dark: Vec<bool> = truth.iter().map(|&m| m < 0.0).collect();
        let (mut hard_fails_soft_reads, mut soft_beyond) = (0, 0);
        for radius in 4..=16 {
            let mut seed = 7u32 + radius;
            let mut noise = || {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((seed >> 16) % 9) as f32 - 4.0
            };
            let (cx, cy, r) = (n as f32 * 0.6, n as f32 * 0.55, radius as f32);
            let levels: Vec<f32> = (0..n * n)
                .map(|p| {
                    let (i, j) = ((p % n) as f32 + 0.5, (p / n) as f32 + 0.5);
                    if (i - cx).hypot(j - cy) < r {
                        246.0 + noise()
                    } else {
                        (if dark[p] { 50.0 } else { 200.0 }) + noise()
                    }
                })
                .collect();
            let plain = threshold(&levels, n, 0.0);
            let hard = decode_bits(&plain, n);
            let soft = Pool::new(n).add(&soft_margins(&levels, n, &plain));
            for read in [&hard, &soft].into_iter().flatten() {
                assert_eq!(read.as_slice(), text.as_bytes(), "radius {radius}");
            }
            if hard.is_none() && soft.is_some() {
                hard_fails_soft_reads += 1;
            }
            if soft.is_none() {
                soft_beyond += 1;
            }
        }
        assert!(hard_fails_soft_reads >= 2, "{hard_fails_soft_reads}");
        assert!(soft_beyond >= 2, "the largest discs are beyond any decoder");
    }

    #[test]
    fn solve_finds_the_solution_or_none() {
        let a = vec![vec![2.0, 1.0, 5.0], vec![1.0, 3.0, 10.0]];
        let x = solve(a).unwrap();
        assert!((x[0] - 1.0).abs() < 1e-9 && (x[1] - 3.0).abs() < 1e-9);
        assert!(solve(vec![vec![1.0, 2.0, 1.0], vec![2.0, 4.0, 2.0]]).is_none());
    }

    #[test]
    fn threshold_separates_a_checkerboard() {
        let n = 9;
        let levels: Vec<f32> = (0..n * n)
            .map(|p| {
                if (p % n + p / n) % 2 == 0 {
                    60.0
                } else {
                    200.0
                }
            })
            .collect();
        for k in SHARPEN {
            let dark = threshold(&levels, n, k);
            for (p, &d) in dark.iter().enumerate() {
                assert_eq!(d, (p % n + p / n) % 2 == 0);
            }
        }
    }
}
