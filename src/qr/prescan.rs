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
    /// Every character is in the repertoire of names and addresses
    /// ([`crate::text::is_vietnamese_text_char`]) or is a separator: ASCII bytes by one
    /// vectorised set test, three-byte characters (`0xE1` and two followers) by shifted
    /// masks, two-byte characters (`0xC3`–`0xC6` leads, a few per payload) by one table look
    /// each. Such a payload is NFC and free of controls; its text fields need no other look
    /// (but blankness).
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
        let (seps, leads) = state.block(a, u32::MAX);
        record(&mut out, k * 16, seps);
        state.leads(b, k * 16, leads);
    }
    let done = n - blocks.remainder().len();
    if done < n {
        if n >= 16 {
            // The last 16 bytes again, keeping only the bits of bytes not seen yet.
            let start = n - 16;
            let mut a = [0u8; 16];
            a.copy_from_slice(&b[start..]);
            let (seps, leads) = state.block(a, u32::MAX << (done - start));
            record(&mut out, start, seps);
            state.leads(b, start, leads);
        } else {
            // Shorter than a block (never a card): pad with spaces, neither separators nor
            // special.
            let mut a = [b' '; 16];
            a[..n].copy_from_slice(b);
            let (seps, leads) = state.block(a, u32::MAX);
            record(&mut out, 0, seps);
            state.leads(b, 0, leads);
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
}

impl Masks {
    /// One block of 16 bytes; `keep` selects the bytes to account for. Returns the bit mask
    /// of separators among them, and that of the lead bytes `0xC3`–`0xC6` and `0xE1`
    /// (for [`Masks::leads`]).
    #[inline]
    fn block(&mut self, a: [u8; 16], keep: u32) -> (u32, u32) {
        let b = u8x16::new(a);
        let sep = b.simd_eq(u8x16::splat(b'|'));
        // `x` in `lo..=hi`, as one wrapping subtraction and one unsigned minimum.
        let within = |x: u8x16, lo: u8, hi: u8| {
            let d = x - u8x16::splat(lo);
            d.min(u8x16::splat(hi - lo)).simd_eq(d)
        };
        // Bytes that may stand in a clean payload: the ASCII repertoire (see
        // `text::ascii_allowed`: letters, case folded, space, `'()`, `+,-./0-9:;`), the
        // separator, continuation bytes, and the lead bytes the repertoire uses (0xC3–0xC6
        // and 0xE1), whose characters the scalar pass over `leads` checks in full.
        let leads = within(b, 0xc3, 0xc6) | b.simd_eq(u8x16::splat(0xe1));
        let allowed = within(b | u8x16::splat(0x20), b'a', b'z')
            | b.simd_eq(u8x16::splat(b' '))
            | within(b, b'\'', b')')
            | within(b, b'+', b';')
            | sep
            | within(b, 0x80, 0xbf)
            | leads;
        self.special |= (!allowed).to_bitmask() & keep;
        let leads = leads.to_bitmask() & keep;
        (sep.to_bitmask() & keep, leads)
    }

    /// Checks the characters whose lead bytes are `leads` (bits from `base` in `b`)
    /// against the repertoire: a few per payload, one table look or range test each.
    #[inline]
    fn leads(&mut self, b: &[u8], base: usize, mut leads: u32) {
        while leads != 0 {
            let i = base + leads.trailing_zeros() as usize;
            let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
            if !crate::text::lead_fits(at(0), at(1), at(2)) {
                self.special |= 1;
            }
            leads &= leads - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-at-a-time version of the same pass, with the repertoire's own test.
    fn reference(s: &str) -> (Vec<usize>, bool) {
        let b = s.as_bytes();
        let seps = (0..b.len()).filter(|&i| b[i] == b'|').collect();
        let clean = crate::text::payload_fits(s);
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
            "=",
            "@",
            "\"",
            "<",
            "~",
            "'",
            "(",
            ";",
            "Ä",
            "Ḁ",
            "Ạ",
            "ỹ",
            "Ỻ",
            "ẟ",
            "\u{fffd}",
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
