//! One vectorised pass over the whole payload before the grammar runs: where the `|`
//! separators are, and whether any byte needs a closer look (a control character, or a
//! character that may not be NFC). On a clean payload, the grammar then never looks at a
//! text field's bytes again.
//!
//! The pass works on 16 bytes at a time with [`wide`] (SSE2 on x86-64, NEON on aarch64, plain
//! arrays elsewhere), without `unsafe`.

use wide::u8x16;

/// The most separators a payload has (the 2024 layout's 11 fields).
pub(crate) const MAX_SEPARATORS: usize = 10;

/// What the pass found.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Prescan {
    /// Byte offsets of the first [`MAX_SEPARATORS`] separators, in order.
    separators: [usize; MAX_SEPARATORS],
    /// How many separators there are in all (may exceed [`MAX_SEPARATORS`]).
    pub(crate) count: usize,
    /// No byte anywhere needs a closer look: no C0 control, no DEL, no `0xC2` lead byte (C1
    /// controls and U+00A0–U+00BF), and no character at or above U+0300 outside Latin Extended
    /// Additional (U+1E00–U+1EFF). Every character such a payload holds is NFC on its own.
    pub(crate) clean: bool,
}

impl Prescan {
    /// The offsets of the recorded separators (at most [`MAX_SEPARATORS`]), in order.
    pub(crate) fn separators(&self) -> &[usize] {
        &self.separators[..self.count.min(MAX_SEPARATORS)]
    }

    /// The offset of the `n`th separator (from 0), if it is among the first
    /// [`MAX_SEPARATORS`].
    pub(crate) fn separator(&self, n: usize) -> Option<usize> {
        if n < self.count.min(MAX_SEPARATORS) {
            Some(self.separators[n])
        } else {
            None
        }
    }
}

/// Scans `b` (the bytes of a `str`).
pub(crate) fn prescan(b: &[u8]) -> Prescan {
    let mut out = Prescan {
        separators: [0; MAX_SEPARATORS],
        count: 0,
        clean: true,
    };
    let mut state = Masks::default();
    let n = b.len();
    let mut blocks = b.chunks_exact(16);
    for (k, block) in blocks.by_ref().enumerate() {
        let mut a = [0u8; 16];
        a.copy_from_slice(block);
        let seps = state.block(a, u32::MAX);
        record(&mut out, k * 16, seps);
    }
    let done = n - blocks.remainder().len();
    if done < n {
        if n >= 16 {
            // The last 16 bytes again, keeping only the bits of bytes not seen yet (at least
            // one byte is kept, so the carried E1 flag lines up).
            let start = n - 16;
            let mut a = [0u8; 16];
            a.copy_from_slice(&b[start..]);
            state.e1_carry = 0;
            let seps = state.block(a, u32::MAX << (done - start));
            record(&mut out, start, seps);
        } else {
            // Shorter than a block (never a card): pad with spaces, neither separators nor
            // special.
            let mut a = [b' '; 16];
            a[..n].copy_from_slice(b);
            let seps = state.block(a, u32::MAX);
            record(&mut out, 0, seps);
        }
    }
    out.clean = state.special == 0;
    out
}

fn record(out: &mut Prescan, base: usize, mut seps: u32) {
    let mut count = out.count;
    while seps != 0 {
        if count < MAX_SEPARATORS {
            out.separators[count] = base + seps.trailing_zeros() as usize;
        }
        count += 1;
        seps &= seps - 1;
    }
    out.count = count;
}

/// The running state of the pass.
#[derive(Default)]
struct Masks {
    /// Bits of bytes that need a closer look (see [`Prescan::clean`]); only zero matters.
    special: u32,
    /// Whether the byte before the current block was an `0xE1` lead byte.
    e1_carry: u32,
}

impl Masks {
    /// One block of 16 bytes; `keep` selects the bytes to account for. Returns the bit mask of
    /// separators among them.
    #[inline]
    fn block(&mut self, a: [u8; 16], keep: u32) -> u32 {
        let b = u8x16::new(a);
        let sep = b.simd_eq(u8x16::splat(b'|')).to_bitmask();
        let c0 = b.min(u8x16::splat(0x1f)).simd_eq(b);
        let del = b.simd_eq(u8x16::splat(0x7f));
        let c2 = b.simd_eq(u8x16::splat(0xc2));
        let e1 = b.simd_eq(u8x16::splat(0xe1));
        // Lead bytes 0xCC and up start U+0300 and above, except 0xE1 followed by 0xB8–0xBB:
        // U+1E00–U+1EFF, the precomposed Vietnamese letters. The follower is checked through
        // the E1 mask shifted by one byte.
        let high = b.max(u8x16::splat(0xcc)).simd_eq(b) & !e1;
        let follower_ok = (b & u8x16::splat(0xfc))
            .simd_eq(u8x16::splat(0xb8))
            .to_bitmask();
        let e1 = e1.to_bitmask();
        let after_e1 = ((e1 << 1) | self.e1_carry) & 0xffff;
        self.e1_carry = e1 >> 15;
        let bad = (c0 | del | c2 | high).to_bitmask() | (after_e1 & !follower_ok);
        self.special |= bad & keep;
        sep & keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-at-a-time version of the same pass, with the scalar clean-byte rule.
    fn reference(s: &str) -> (Vec<usize>, bool) {
        let b = s.as_bytes();
        let seps = (0..b.len()).filter(|&i| b[i] == b'|').collect();
        let clean = (0..b.len()).all(|i| {
            let next = b.get(i + 1).copied().unwrap_or(b' ');
            !crate::text::needs_look(b[i], next)
        });
        (seps, clean)
    }

    fn check(s: &str) {
        let p = prescan(s.as_bytes());
        let (seps, clean) = reference(s);
        assert_eq!(p.count, seps.len(), "{s:?}");
        assert_eq!(p.clean, clean, "{s:?}");
        for (n, &at) in seps.iter().take(MAX_SEPARATORS).enumerate() {
            assert_eq!(p.separator(n), Some(at), "{s:?}");
        }
    }

    #[test]
    fn agrees_with_byte_at_a_time_version() {
        let pieces = [
            "|",
            "a",
            "Nguyễn",
            "Đặng",
            "ư",
            "\u{301}",
            "\u{1}",
            "\u{7f}",
            "\u{85}",
            "\u{a0}",
            "\u{1f00}",
            "\u{1dc0}",
            "ể",
            "xyz0123456789",
            " ",
            "ㅎ",
            "😀",
        ];
        // Every length from 0 to 70 crosses the block and tail boundaries at every offset.
        for seed in 0..2000u32 {
            let mut s = String::new();
            let mut x = seed.wrapping_mul(2_654_435_761);
            while s.len() < (seed % 71) as usize {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                s.push_str(pieces[x as usize % pieces.len()]);
            }
            check(&s);
        }
    }

    #[test]
    fn counts_beyond_the_recorded_separators() {
        let s = "|".repeat(40);
        let p = prescan(s.as_bytes());
        assert_eq!(p.count, 40);
        assert_eq!(p.separator(9), Some(9));
        assert_eq!(p.separator(10), None);
    }
}
