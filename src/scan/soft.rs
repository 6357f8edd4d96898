//! Soft-decision decoding of a sampled QR module grid.
//!
//! A hard decoder (rxing's) sees each module as dark or light and corrects at most half as
//! many wrong codewords as a block has check codewords. The grid reader knows more: how
//! clearly each module stood out from its neighbourhood. Where glare washes out part of a
//! code, or blur and noise leave modules near their neighbours' mean, the modules are close
//! calls and the codewords holding them are likely the wrong ones; declared *erasures*
//! (position known, value not), a Reed–Solomon block corrects twice as many of them as of
//! errors. This module reads the format and version with rxing, walks the data modules
//! itself (so that each codeword keeps its modules' margins), splits the codewords into
//! blocks, and decodes each block by generalised minimum distance (Forney): erasing 0, 2,
//! 4, … of its least reliable codewords, with errors-and-erasures Reed–Solomon decoding,
//! until a correction is found.
//!
//! Erasures spend the code's power to detect wrong corrections: with every check codeword
//! erased, any word "decodes". Each correction is therefore accepted only when a random
//! word would decode that way with probability at most 2^−[`ACCEPT_LOG2`] (the volume of
//! the decoding sphere over the number of words), so the decoder never trades a missed
//! read for a wrong one; the bit stream and the card parser check the result again.
//!
//! The Reed–Solomon decoder is our own (below, with its tests): rxing's corrects errors
//! only, and erasures are the point here.

use std::panic::{catch_unwind, AssertUnwindSafe};

use rxing::common::BitMatrix;
use rxing::qrcode::common::{ErrorCorrectionLevel, VersionRef};
use rxing::qrcode::decoder::{decoded_bit_stream_parser, BitMatrixParser, DataMask};
use rxing::DecodeHints;

use super::prior::{most_likely_text, Bit};

/// A block's correction is accepted when a random word would be corrected the same way
/// (within as many errors, with as many erasures) with probability at most 2^−this.
const ACCEPT_LOG2: f64 = 32.0;

/// The payload of the `n` × `n` grid whose modules are `margins` (negative: dark; the
/// magnitude: how clear the decision was), decoded with the least clear codewords of each
/// block erased as needed; `None` when the format cannot be read or a block cannot be
/// corrected within [`ACCEPT_LOG2`].
#[cfg(test)]
pub(crate) fn decode(margins: &[f32], n: usize) -> Option<Vec<u8>> {
    Pool::new(n).add(margins)
}

/// Blocks corrected over several readings of one code. Each Reed–Solomon block of a QR code
/// is corrected on its own, so a block that one reading gets right can complete another
/// reading whose other blocks are right: readings of the same code (thresholds, blur
/// models, grids) each fix the blocks they can, and the code is read once every block has
/// been corrected by some reading.
pub(crate) struct Pool {
    n: usize,
    /// For each format read so far (version, error correction level, mask: a misread
    /// format must not shut out the readings of the right one), each block's data
    /// codewords once corrected.
    formats: Vec<(Format, Vec<Option<Vec<u8>>>)>,
}

/// A version, error correction level and mask.
type Format = (VersionRef, ErrorCorrectionLevel, u8);

impl Pool {
    /// An empty pool for a code of `n` × `n` modules.
    pub(crate) fn new(n: usize) -> Pool {
        Pool {
            n,
            formats: Vec::new(),
        }
    }

    /// The code's side, modules.
    pub(crate) fn side(&self) -> usize {
        self.n
    }

    /// Adds the reading whose modules are `margins` (negative: dark; the magnitude: how
    /// clear the decision was): each block not yet corrected is corrected from it if it can
    /// be ([`correct_gmd`]). The payload once every block is corrected and the bit stream
    /// parses; `None` before, or for a reading of another size or format.
    pub(crate) fn add(&mut self, margins: &[f32]) -> Option<Vec<u8>> {
        let n = self.n;
        if margins.len() != n * n || !(21..=177).contains(&n) || n % 4 != 1 {
            return None;
        }
        let found = catch_unwind(AssertUnwindSafe(|| self.add_inner(margins)));
        match found {
            Ok(found) => found,
            Err(panic) if cfg!(fuzzing) => std::panic::resume_unwind(panic),
            Err(_) => None,
        }
    }

    fn add_inner(&mut self, margins: &[f32]) -> Option<Vec<u8>> {
        let n = self.n;
        let (version, level, mask_bits) = format_of(margins, n)?;
        let same = |(v, l, m): &Format| {
            v.getVersionNumber() == version.getVersionNumber() && *l == level && *m == mask_bits
        };
        let at = match self.formats.iter().position(|(f, _)| same(f)) {
            Some(at) => at,
            None => {
                self.formats.push(((version, level, mask_bits), Vec::new()));
                self.formats.len() - 1
            }
        };
        let pooled = &mut self.formats[at].1;
        let mask = DataMask::try_from(mask_bits).ok()?;
        let (bytes, reliability, clarity) = codewords(margins, n, version, mask)?;

        let (layout, check) = layout(version, level);
        pooled.resize(layout.len(), None);
        for (positions, done) in layout.iter().zip(pooled.iter_mut()) {
            if done.is_some() {
                continue;
            }
            let mut block: Vec<u8> = positions.iter().map(|&i| bytes[i]).collect();
            let trust: Vec<f32> = positions.iter().map(|&i| reliability[i]).collect();
            if correct_gmd(&mut block, check, &trust).is_some() {
                block.truncate(block.len() - check);
                *done = Some(block);
            }
        }
        // The first block not corrected, when every block before it is: its data bits fitted
        // to a card payload's text, else to any repertoire text (the stream's segments known
        // up to it; one stream, fitted twice), then corrected again.
        'blocks: while let Some(k) = pooled.iter().position(Option::is_none) {
            let positions = &layout[k];
            let data_len = positions.len() - check;
            let trust: Vec<f32> = positions.iter().map(|&i| reliability[i]).collect();
            let read = Reading {
                bytes: &bytes,
                clarity: &clarity,
            };
            let stream = block_stream(pooled, &layout, check, k, read);
            let start = 8 * (0..k).map(|b| layout[b].len() - check).sum::<usize>();
            let mut tried: Vec<Vec<u8>> = Vec::new();
            for card in [true, false] {
                let mut fitted = stream.clone();
                if most_likely_text(&mut fitted, version.getVersionNumber(), card) == 0 {
                    continue;
                }
                let data: Vec<u8> = fitted[start..start + 8 * data_len]
                    .chunks_exact(8)
                    .map(|bits| {
                        bits.iter()
                            .fold(0u8, |a, b| a << 1 | u8::from(b.value() == Some(true)))
                    })
                    .collect();
                if tried.contains(&data) {
                    continue;
                }
                let mut block: Vec<u8> = data
                    .iter()
                    .copied()
                    .chain(positions[data_len..].iter().map(|&i| bytes[i]))
                    .collect();
                tried.push(data);
                if correct_gmd(&mut block, check, &trust).is_some() {
                    block.truncate(data_len);
                    pooled[k] = Some(block);
                    continue 'blocks;
                }
            }
            break;
        }
        if pooled.iter().any(Option::is_none) {
            return None;
        }
        let data: Vec<u8> = pooled.iter().flatten().flatten().copied().collect();
        let result =
            decoded_bit_stream_parser::decode(&data, version, level, &DecodeHints::default());
        Some(result.ok()?.getText().as_bytes().to_vec())
    }
}

/// The version (checked against the side `n`), error correction level and mask that the
/// grid whose modules are `margins` (negative: dark) says it has.
fn format_of(margins: &[f32], n: usize) -> Option<Format> {
    let mut bits = BitMatrix::new(n as u32, n as u32).ok()?;
    for (p, &m) in margins.iter().enumerate() {
        if m < 0.0 {
            bits.set((p % n) as u32, (p / n) as u32);
        }
    }
    let mut parser = BitMatrixParser::new(bits).ok()?;
    let version = parser.readVersion().ok()?;
    if version.getDimensionForVersion() as usize != n {
        return None;
    }
    let format = parser.readFormatInformation().ok()?;
    Some((
        version,
        format.getErrorCorrectionLevel(),
        format.getDataMask(),
    ))
}

/// One reading's codewords, unmasked, in reading order, and the clarity of each of their
/// bits (the module's margin over the grid's scale, [`codewords`]).
#[derive(Clone, Copy)]
struct Reading<'a> {
    bytes: &'a [u8],
    clarity: &'a [f32],
}

/// The data bit stream with block `k`'s bits as `read` (each with its clarity), the
/// corrected blocks' bits known (`pooled`) and the other blocks' unknown: what
/// [`most_likely_text`] fits.
fn block_stream(
    pooled: &[Option<Vec<u8>>],
    layout: &[Vec<usize>],
    check: usize,
    k: usize,
    read: Reading<'_>,
) -> Vec<Bit> {
    let mut stream = Vec::new();
    for (b, done) in pooled.iter().enumerate() {
        let data_len = layout[b].len() - check;
        match done {
            Some(data) => {
                for &c in data {
                    stream.extend((0..8).map(|j| Bit::Known(c << j & 0x80 != 0)));
                }
            }
            None if b == k => {
                for &i in &layout[k][..data_len] {
                    stream.extend((0..8).map(|j| {
                        Bit::Read(read.bytes[i] << j & 0x80 != 0, read.clarity[8 * i + j])
                    }));
                }
            }
            None => stream.extend(std::iter::repeat_n(Bit::Unknown, 8 * data_len)),
        }
    }
    stream
}

/// A code of `text` at level M made by the `qrcode` crate, as its side and its modules'
/// margins (−1 dark, 1 light): the real codes the fuzz target and the tests read wrongly.
#[cfg(feature = "synth-photo")]
pub(crate) fn synthetic_code(text: &[u8]) -> Option<(usize, Vec<f32>)> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let margins = code
        .to_colors()
        .into_iter()
        .map(|c| if c == qrcode::Color::Dark { -1.0 } else { 1.0 })
        .collect();
    Some((code.width(), margins))
}

/// The codewords of the grid, unmasked, in reading order, each with its reliability: minus
/// the sum of its eight modules' doubts (1 / (1 + (margin / scale)²), the scale half the
/// grid's median margin); and the clarity of each of their bits, |margin| / scale.
fn codewords(
    margins: &[f32],
    n: usize,
    version: VersionRef,
    mask: DataMask,
) -> Option<(Vec<u8>, Vec<f32>, Vec<f32>)> {
    let total = version.getTotalCodewords() as usize;
    let order = data_modules(n, version)?;
    if order.len() / 8 < total {
        return None;
    }
    let mut bytes = vec![0u8; total];
    let mut reliability = vec![0f32; total];
    let mut clarity = vec![0f32; 8 * total];
    let mut sorted: Vec<f32> = margins.iter().map(|m| m.abs()).collect();
    sorted.sort_by(f32::total_cmp);
    // Half the median margin: a module that far from its threshold is half in doubt.
    let scale = 0.5 * sorted[sorted.len() / 2].max(1e-6);
    for (k, &(col, row)) in order.iter().take(8 * total).enumerate() {
        let m = margins[row * n + col];
        let dark = (m < 0.0) != mask.isMasked(row as u32, col as u32);
        bytes[k / 8] |= u8::from(dark) << (7 - k % 8);
        // Doubt falls with the margin's square (arithmetic only, so that the WebAssembly
        // build ranks codewords exactly as the native one).
        let r = m / scale;
        reliability[k / 8] -= 1.0 / (1.0 + r * r);
        clarity[k] = r.abs();
    }
    Some((bytes, reliability, clarity))
}

/// The data modules of a code of `n` modules in reading order, as (column, row): column
/// pairs from the right, skipping the vertical timing column, alternately up and down,
/// past the function patterns.
fn data_modules(n: usize, version: VersionRef) -> Option<Vec<(usize, usize)>> {
    let function = version.buildFunctionPattern().ok()?;
    let mut order = Vec::with_capacity(n * n);
    let mut up = true;
    let mut right = n as isize - 1;
    while right > 0 {
        if right == 6 {
            right -= 1;
        }
        for count in 0..n {
            let row = if up { n - 1 - count } else { count };
            for col in [right as usize, right as usize - 1] {
                if !function.get(col as u32, row as u32) {
                    order.push((col, row));
                }
            }
        }
        up = !up;
        right -= 2;
    }
    Some(order)
}

/// The blocks of a code of `version` at `level`: each block's codeword indices
/// ([`interleaving`]) and the check codewords per block.
fn layout(version: VersionRef, level: ErrorCorrectionLevel) -> (Vec<Vec<usize>>, usize) {
    let blocks = version.getECBlocksForLevel(level);
    let check = blocks.getECCodewordsPerBlock() as usize;
    let data_lens: Vec<usize> = blocks
        .getECBlocks()
        .iter()
        .flat_map(|b| std::iter::repeat_n(b.getDataCodewords() as usize, b.getCount() as usize))
        .collect();
    (interleaving(&data_lens, check), check)
}

/// For each block (data lengths `data_lens`, `check` check codewords each), the indices of
/// its codewords in the symbol's codeword sequence: data codewords dealt out one block at a
/// time (the longer blocks, last, take one more), then the check codewords.
fn interleaving(data_lens: &[usize], check: usize) -> Vec<Vec<usize>> {
    let mut blocks: Vec<Vec<usize>> = data_lens
        .iter()
        .map(|&d| Vec::with_capacity(d + check))
        .collect();
    let longest = data_lens.iter().copied().max().unwrap_or(0);
    let mut next = 0usize;
    for i in 0..longest {
        for (b, &d) in blocks.iter_mut().zip(data_lens) {
            if i < d {
                b.push(next);
                next += 1;
            }
        }
    }
    for _ in 0..check {
        for b in &mut blocks {
            b.push(next);
            next += 1;
        }
    }
    blocks
}

/// Corrects `block` (data then `check` check codewords) by generalised minimum distance:
/// errors only, then with the 2, 4, … least trusted codewords erased, until a correction is
/// [`plausible`]. `None` when no attempt gives one.
fn correct_gmd(block: &mut [u8], check: usize, trust: &[f32]) -> Option<()> {
    let mut order: Vec<usize> = (0..block.len()).collect();
    order.sort_by(|&a, &b| trust[a].total_cmp(&trust[b]));
    // Two check codewords always left to check the correction.
    for erased in (0..=check.saturating_sub(2)).step_by(2) {
        let mut attempt = block.to_vec();
        let found = rs::correct(&mut attempt, check, &order[..erased]);
        if found.is_some_and(|errors| plausible(block, &attempt, check, erased, errors)) {
            block.copy_from_slice(&attempt);
            return Some(());
        }
    }
    None
}

/// Whether correcting `received` to `corrected` (`erased` codewords erased, `errors` errors
/// found) is trusted: a word with too many errors is corrected to a wrong codeword only by
/// chance, and then its changed codewords take random values; a real correction flips few
/// bits of each codeword it changes (a module or two misread). Accepted when the chance of
/// both — a random word decoding so ([`false_accept_log2`]) and the changed codewords
/// differing in so few bits ([`few_flips_log2`]) — is at most 2^−[`ACCEPT_LOG2`].
fn plausible(
    received: &[u8],
    corrected: &[u8],
    check: usize,
    erased: usize,
    errors: usize,
) -> bool {
    let (mut changed, mut flips) = (0usize, 0usize);
    for (a, b) in received.iter().zip(corrected) {
        if a != b {
            changed += 1;
            flips += (a ^ b).count_ones() as usize;
        }
    }
    false_accept_log2(received.len(), check, erased, errors) + few_flips_log2(changed, flips)
        <= -ACCEPT_LOG2
}

/// Log2 of the chance that `changed` random codewords differ from the received ones in at
/// most `flips` bits in all: the binomial tail of 8 × `changed` fair coins.
fn few_flips_log2(changed: usize, flips: usize) -> f64 {
    let bits = 8 * changed;
    let (mut term, mut tail) = (1f64, 1f64);
    for i in 1..=flips.min(bits) {
        term *= (bits - i + 1) as f64 / i as f64;
        tail += term;
    }
    tail.log2() - bits as f64
}

/// Log2 of the chance that a random word of `len` codewords, `erased` of them erased,
/// lies within `errors` errors of a codeword of a Reed–Solomon code with `check` check
/// codewords: the decoding sphere's volume over the 256^(check − erased) syndromes.
fn false_accept_log2(len: usize, check: usize, erased: usize, errors: usize) -> f64 {
    if erased + 2 * errors > check {
        return 0.0;
    }
    let free = (len - erased) as f64;
    let (mut term, mut volume) = (1f64, 1f64);
    for i in 1..=errors {
        term *= (free - i as f64 + 1.0) / i as f64 * 255.0;
        volume += term;
    }
    volume.log2() - 8.0 * (check - erased) as f64
}

/// Reed–Solomon decoding over GF(256) as QR codes use it: the field of x⁸ + x⁴ + x³ + x² + 1,
/// check polynomial roots α⁰ … α^(check − 1), the first codeword the highest power.
mod rs {
    /// Powers of α (twice over, so that sums of two logarithms need no reduction) and
    /// logarithms.
    struct Tables {
        exp: [u8; 512],
        log: [u8; 256],
    }

    const T: Tables = tables();

    const fn tables() -> Tables {
        let mut exp = [0u8; 512];
        let mut log = [0u8; 256];
        let mut x: u16 = 1;
        let mut i = 0;
        while i < 255 {
            exp[i] = x as u8;
            log[x as usize] = i as u8;
            x <<= 1;
            if x & 0x100 != 0 {
                x ^= 0x11d;
            }
            i += 1;
        }
        while i < 512 {
            exp[i] = exp[i - 255];
            i += 1;
        }
        Tables { exp, log }
    }

    pub(super) fn mul(a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            0
        } else {
            T.exp[T.log[a as usize] as usize + T.log[b as usize] as usize]
        }
    }

    /// `a / b`, `b` not zero.
    fn div(a: u8, b: u8) -> u8 {
        if a == 0 {
            0
        } else {
            T.exp[T.log[a as usize] as usize + 255 - T.log[b as usize] as usize]
        }
    }

    /// α^e.
    pub(super) fn alpha(e: usize) -> u8 {
        T.exp[e % 255]
    }

    /// The polynomial `p` (lowest power first) at `x`.
    fn eval(p: &[u8], x: u8) -> u8 {
        p.iter().rev().fold(0, |acc, &c| mul(acc, x) ^ c)
    }

    /// The product of `a` and `b`, lowest power first.
    fn product(a: &[u8], b: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; a.len() + b.len() - 1];
        for (i, &x) in a.iter().enumerate() {
            for (j, &y) in b.iter().enumerate() {
                out[i + j] ^= mul(x, y);
            }
        }
        out
    }

    /// The degree of `p` (trailing zeros ignored).
    fn degree(p: &[u8]) -> usize {
        p.iter().rposition(|&c| c != 0).unwrap_or(0)
    }

    /// The shortest linear recurrence (connection polynomial, lowest power first, and its
    /// length) that generates `s` (Berlekamp–Massey).
    fn recurrence(s: &[u8]) -> (Vec<u8>, usize) {
        let (mut c, mut b) = (vec![1u8], vec![1u8]);
        let (mut len, mut shift, mut last) = (0usize, 1usize, 1u8);
        for k in 0..s.len() {
            let mut d = s[k];
            for i in 1..=len.min(c.len() - 1) {
                d ^= mul(c[i], s[k - i]);
            }
            if d == 0 {
                shift += 1;
                continue;
            }
            let f = div(d, last);
            let mut next = c.clone();
            if next.len() < b.len() + shift {
                next.resize(b.len() + shift, 0);
            }
            for (i, &bi) in b.iter().enumerate() {
                next[i + shift] ^= mul(f, bi);
            }
            if 2 * len <= k {
                len = k + 1 - len;
                b = std::mem::replace(&mut c, next);
                last = d;
                shift = 1;
            } else {
                c = next;
                shift += 1;
            }
        }
        (c, len)
    }

    /// Corrects `word` (`check` of its codewords are check codewords) in place, the
    /// codewords at `erased` treated as unknown. The number of errors found outside the
    /// erasures, or `None` (word unchanged) when the errors and erasures are more than the
    /// code corrects (`erased + 2 × errors > check`) or no consistent correction exists.
    pub(crate) fn correct(word: &mut [u8], check: usize, erased: &[usize]) -> Option<usize> {
        let n = word.len();
        if n > 255 || erased.len() > check || erased.iter().any(|&p| p >= n) {
            return None;
        }
        let syndromes = |w: &[u8]| -> Vec<u8> {
            (0..check)
                .map(|j| w.iter().fold(0, |acc, &c| mul(acc, alpha(j)) ^ c))
                .collect()
        };
        let s = syndromes(word);
        if s.iter().all(|&v| v == 0) {
            return Some(0);
        }
        // The erasures' locator, Π (1 + X x) with X = α^(power of the position).
        let locator_of = |p: usize| alpha(n - 1 - p);
        let mut gamma = vec![1u8];
        for &p in erased {
            gamma = product(&gamma, &[1, locator_of(p)]);
        }
        // Forney syndromes: the erasures' share removed; their recurrence locates the errors.
        let f = erased.len();
        let mut xi = product(&s, &gamma);
        xi.truncate(check);
        let (sigma, errors) = recurrence(&xi[f..]);
        if f + 2 * errors > check || degree(&sigma) != errors {
            return None;
        }
        let mut lambda = product(&sigma, &gamma);
        lambda.truncate(degree(&lambda) + 1);
        let roots: Vec<usize> = (0..n)
            .filter(|&p| eval(&lambda, div(1, locator_of(p))) == 0)
            .collect();
        if roots.len() != degree(&lambda) {
            return None;
        }
        let mut omega = product(&s, &lambda);
        omega.truncate(check);
        // The formal derivative: the odd powers, each one lower.
        let derivative: Vec<u8> = lambda
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, &c)| if i % 2 == 1 { c } else { 0 })
            .collect();
        let mut fixed = word.to_vec();
        for &p in &roots {
            let x = locator_of(p);
            let xinv = div(1, x);
            let den = eval(&derivative, xinv);
            if den == 0 {
                return None;
            }
            fixed[p] ^= div(mul(x, eval(&omega, xinv)), den);
        }
        if syndromes(&fixed).iter().any(|&v| v != 0) {
            return None;
        }
        word.copy_from_slice(&fixed);
        Some(errors)
    }

    #[cfg(test)]
    pub(super) fn encode(data: &[u8], check: usize) -> Vec<u8> {
        // Generator Π (x − α^j), lowest power first; the remainder of data · x^check.
        let mut g = vec![1u8];
        for j in 0..check {
            g = product(&g, &[alpha(j), 1]);
        }
        let mut rem = vec![0u8; check];
        for &d in data {
            let factor = d ^ rem[0];
            rem.rotate_left(1);
            rem[check - 1] = 0;
            for i in 0..check {
                // g's coefficients from x^(check-1) down to x^0.
                rem[i] ^= mul(factor, g[check - 1 - i]);
            }
        }
        let mut out = data.to_vec();
        out.extend_from_slice(&rem);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    fn random_word(rng: &mut StdRng, data: usize, check: usize) -> Vec<u8> {
        let d: Vec<u8> = (0..data).map(|_| rng.r#gen()).collect();
        rs::encode(&d, check)
    }

    #[test]
    fn encoded_words_have_zero_syndromes() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut w = random_word(&mut rng, 30, 18);
        assert_eq!(rs::correct(&mut w.clone(), 18, &[]), Some(0));
        w[3] ^= 1;
        assert_ne!(rs::correct(&mut w.clone(), 18, &[]), Some(0));
    }

    #[test]
    fn corrects_errors_and_erasures_up_to_the_bound() {
        let mut rng = StdRng::seed_from_u64(2);
        for trial in 0..300 {
            let check = [10, 18, 26, 30][trial % 4];
            let good = random_word(&mut rng, 20 + trial % 60, check);
            let n = good.len();
            let erased_n = rng.gen_range(0..=check);
            let errors_n = rng.gen_range(0..=(check - erased_n) / 2);
            let mut positions: Vec<usize> = (0..n).collect();
            for i in 0..n {
                let j = rng.gen_range(i..n);
                positions.swap(i, j);
            }
            let mut bad = good.clone();
            for &p in &positions[..erased_n + errors_n] {
                bad[p] ^= rng.gen_range(1..=255u8);
            }
            // Erasures may also hold the right value.
            if erased_n > 0 {
                bad[positions[0]] = good[positions[0]];
            }
            let found = rs::correct(&mut bad, check, &positions[..erased_n]);
            assert_eq!(found, Some(errors_n), "trial {trial}");
            assert_eq!(bad, good, "trial {trial}");
        }
    }

    #[test]
    fn too_many_errors_are_refused_or_land_on_a_codeword() {
        let mut rng = StdRng::seed_from_u64(3);
        let check = 18;
        let mut refused = 0;
        for _ in 0..200 {
            let good = random_word(&mut rng, 30, check);
            let mut bad = good.clone();
            for p in 0..check / 2 + 3 {
                bad[p * 2] ^= rng.gen_range(1..=255u8);
            }
            let before = bad.clone();
            match rs::correct(&mut bad, check, &[]) {
                None => {
                    refused += 1;
                    assert_eq!(bad, before, "a refused word is left as it was");
                }
                // A miscorrection is a codeword too (zero syndromes), never the original.
                Some(_) => assert_eq!(rs::correct(&mut bad.clone(), check, &[]), Some(0)),
            }
        }
        assert!(refused > 190, "refused {refused} of 200");
    }

    #[test]
    fn gmd_erases_the_least_trusted_codewords() {
        let mut rng = StdRng::seed_from_u64(4);
        let check = 18;
        let good = random_word(&mut rng, 30, check);
        let n = good.len();
        let mut bad = good.clone();
        let mut trust = vec![1.0f32; n];
        // 12 wrong codewords: beyond the 9 errors alone would fix, but all of them the least
        // trusted.
        for p in 0..12 {
            bad[p * 3] ^= 0x5a;
            trust[p * 3] = 0.01 * p as f32;
        }
        let mut hard = bad.clone();
        assert_eq!(rs::correct(&mut hard, check, &[]), None);
        correct_gmd(&mut bad, check, &trust).expect("corrected");
        assert_eq!(bad, good);
        // The same errors on trusted codewords are not corrected, and nothing is guessed.
        let mut bad = good.clone();
        for p in 0..12 {
            bad[p * 3] ^= 0x5a;
        }
        let trust: Vec<f32> = (0..n).map(|p| if p % 3 == 0 { 1.0 } else { 0.1 }).collect();
        assert_eq!(correct_gmd(&mut bad, check, &trust), None);
    }

    #[test]
    fn acceptance_keeps_a_margin() {
        // Errors only, full power: far below the bound (what rxing accepts).
        assert!(false_accept_log2(48, 18, 0, 9) < -40.0);
        // Every check codeword erased: anything decodes.
        assert_eq!(false_accept_log2(48, 18, 18, 0), 0.0);
        // Three check codewords left unspent: not enough.
        assert!(false_accept_log2(48, 18, 15, 0) > -ACCEPT_LOG2);
        assert!(false_accept_log2(48, 18, 14, 0) <= -ACCEPT_LOG2);
    }

    #[test]
    fn interleaving_deals_codewords_out() {
        // Two blocks of 2 data codewords and two of 3, 2 check codewords each.
        let b = interleaving(&[2, 2, 3, 3], 2);
        assert_eq!(b[0], vec![0, 4, 10, 14]);
        assert_eq!(b[2], vec![2, 6, 8, 12, 16]);
        assert_eq!(b[3], vec![3, 7, 9, 13, 17]);
    }

    /// Two readings of one code, each with a different block damaged beyond repair (16 of
    /// its codewords wholly wrong, as clear as the right ones, so no erasure finds them):
    /// neither decodes alone; pooled, each supplies the block the other lacks.
    #[cfg(feature = "synth-photo")]
    #[test]
    fn a_pool_completes_blocks_across_readings() {
        let text = "pool test: a synthetic payload long enough to need four blocks at level M, \
                    made of nothing but these words and some padding to reach it";
        let (n, truth) = synthetic_code(text.as_bytes()).expect("fits");
        let version =
            rxing::qrcode::common::Version::getVersionForNumber(((n - 17) / 4) as u32).unwrap();
        let (layout, _) = layout(version, ErrorCorrectionLevel::M);
        assert!(layout.len() >= 2, "{} blocks", layout.len());
        let order = data_modules(n, version).unwrap();
        let damaged = |block: usize| {
            let mut m = truth.clone();
            for &cw in layout[block].iter().step_by(2).take(16) {
                for &(col, row) in &order[8 * cw..8 * cw + 8] {
                    m[row * n + col] = -m[row * n + col];
                }
            }
            m
        };
        let (a, b) = (damaged(0), damaged(1));
        assert_eq!(Pool::new(n).add(&truth).as_deref(), Some(text.as_bytes()));
        assert_eq!(Pool::new(n).add(&a), None);
        assert_eq!(Pool::new(n).add(&b), None);
        let mut pool = Pool::new(n);
        assert_eq!(pool.add(&a), None);
        // A reading of another size is not pooled.
        assert_eq!(pool.add(&vec![1.0; (n + 4) * (n + 4)]), None);
        assert_eq!(pool.add(&b).as_deref(), Some(text.as_bytes()));
    }

    /// A block with more wrong codewords than it can correct is read once the card's
    /// grammar puts back those of its wrong data codewords that made the payload no card.
    #[cfg(feature = "synth-photo")]
    #[test]
    fn the_card_prior_completes_a_block_beyond_its_bound() {
        let text = "070065376529|051527418284|Đặng Minh Thânh|27071965|Nam|Thôn Khếp (Mỡ), \
                    Phường Xớch Cùt, Quận Dửch-Tớnh, Hà Nội|27012025||||";
        assert!(crate::parse(text).is_ok());
        let (n, truth) = synthetic_code(text.as_bytes()).expect("fits");
        let (version, level, mask_bits) = format_of(&truth, n).unwrap();
        assert_eq!(level, ErrorCorrectionLevel::M);
        let (layout, check) = layout(version, level);
        let mask = DataMask::try_from(mask_bits).unwrap();
        let (clean, _, _) = codewords(&truth, n, version, mask).unwrap();
        let data_of = |bytes: &[u8]| -> Vec<u8> {
            layout
                .iter()
                .flat_map(|b| b[..b.len() - check].iter().map(|&i| bytes[i]))
                .collect()
        };
        // Single-bit errors in block 1's data that leave a payload of the same length but no
        // card, changing a character that is not a digit (digits are in numeric segments,
        // which the prior leaves alone).
        let order = data_modules(n, version).unwrap();
        let k = 1;
        let mut no_card = Vec::new();
        for &cw in &layout[k][..layout[k].len() - check] {
            for bit in 0..8 {
                let mut bytes = clean.clone();
                bytes[cw] ^= 0x80 >> bit;
                let data = data_of(&bytes);
                let decoded = decoded_bit_stream_parser::decode(
                    &data,
                    version,
                    ErrorCorrectionLevel::M,
                    &DecodeHints::default(),
                );
                let fits = |d: &str| {
                    d.len() == text.len()
                        && crate::parse(d).is_err()
                        && d.bytes()
                            .zip(text.bytes())
                            .any(|(a, b)| a != b && !(a.is_ascii_digit() && b.is_ascii_digit()))
                };
                if let Ok(d) = &decoded {
                    if fits(d.getText()) {
                        eprintln!("{cw} {bit} {}", d.getText());
                    }
                }
                if decoded.is_ok_and(|d| fits(d.getText())) {
                    no_card.push((cw, bit));
                    break;
                }
            }
        }
        assert!(no_card.len() >= 3, "{no_card:?}");
        // Those errors in three codewords, and one fewer than the block corrects among its
        // check codewords, every module as clear as the rest.
        let mut damaged = truth.clone();
        let mut flip = |cw: usize, bits: std::ops::Range<usize>| {
            for &(col, row) in &order[8 * cw + bits.start..8 * cw + bits.end] {
                damaged[row * n + col] = -damaged[row * n + col];
            }
        };
        for &(cw, bit) in no_card.iter().take(3) {
            flip(cw, bit..bit + 1);
        }
        let checks = &layout[k][layout[k].len() - check..];
        for &cw in checks.iter().rev().take(check / 2 - 1) {
            flip(cw, 0..8);
        }
        let (bytes, trust, _) = codewords(&damaged, n, version, mask).unwrap();
        let mut block: Vec<u8> = layout[k].iter().map(|&i| bytes[i]).collect();
        let trust: Vec<f32> = layout[k].iter().map(|&i| trust[i]).collect();
        assert_eq!(correct_gmd(&mut block, check, &trust), None);
        assert_eq!(Pool::new(n).add(&damaged).as_deref(), Some(text.as_bytes()));
    }

    #[test]
    fn random_grids_do_not_decode() {
        let mut rng = StdRng::seed_from_u64(5);
        for n in [29usize, 45, 57] {
            for _ in 0..20 {
                let m: Vec<f32> = (0..n * n).map(|_| rng.gen_range(-1.0..1.0)).collect();
                assert_eq!(decode(&m, n), None);
            }
        }
        assert_eq!(decode(&[0.0; 10], 3), None);
    }
}
