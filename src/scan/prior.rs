//! The card's text as a prior on a block's data bits.
//!
//! A card payload is UTF-8 text of a known shape ([`crate::qr::Shape`]): 12 digits, the old
//! ID number, a name, a date, `Nam` or `Nữ`, an address, a date, up to four more fields,
//! separated by `|`; names and addresses drawn from a small repertoire
//! ([`crate::text::is_vietnamese_text_char`]: of the 2^16 and 2^24 two- and three-byte
//! sequences about 140 are its characters, and of the 128 ASCII bytes about 75). A misread
//! module often turns a character into bytes outside the repertoire, or a separator or the
//! sex word into another letter.
//!
//! When the blocks before one block of a code are corrected, the bit stream up to it is
//! known: its segment headers say where a byte segment runs and how its bytes sit in the
//! block's codewords. [`most_likely_text`] then replaces the block's bits inside byte
//! segments by the text of that shape (or, failing that, any repertoire text) that differs
//! least from them, each bit weighted by how clearly its module was read: a dynamic
//! programme over characters across all segments, the known blocks' bits held fixed. The
//! Reed–Solomon decoder is then left fewer wrong codewords; it still decides, under the
//! same acceptance bound, so a prior that fits a code badly (a code of other text) costs a
//! wasted attempt, never a wrong read.

use crate::qr::Shape as State;
use crate::text::is_vietnamese_text_char;

/// The UTF-8 encodings of the repertoire's characters and `|`, indexed by first byte.
struct Repertoire {
    /// Encodings (up to three bytes, and the length) and characters.
    chars: Vec<([u8; 3], usize, char)>,
    /// For each first byte, the indices of the encodings that start with it.
    by_lead: Vec<Vec<u16>>,
}

impl Repertoire {
    fn new() -> Repertoire {
        let mut chars = Vec::new();
        let mut by_lead = vec![Vec::new(); 256];
        for c in ('\0'..='\u{1eff}').filter(|&c| c == '|' || is_vietnamese_text_char(c)) {
            let mut buf = [0u8; 4];
            let len = c.encode_utf8(&mut buf).len();
            by_lead[usize::from(buf[0])].push(chars.len() as u16);
            chars.push(([buf[0], buf[1], buf[2]], len, c));
        }
        Repertoire { chars, by_lead }
    }
}

fn repertoire() -> &'static Repertoire {
    static R: std::sync::OnceLock<Repertoire> = std::sync::OnceLock::new();
    R.get_or_init(Repertoire::new)
}

/// The state of one bit of a code's data bit stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Bit {
    /// From a corrected block: certain.
    Known(bool),
    /// Read from the block being corrected, with the cost of flipping it (how clearly its
    /// module was read, not negative; a bit whose cost is not finite is never flipped).
    Read(bool, f32),
    /// From a block not corrected yet (and not being corrected).
    Unknown,
}

impl Bit {
    pub(super) fn value(self) -> Option<bool> {
        match self {
            Bit::Known(v) | Bit::Read(v, _) => Some(v),
            Bit::Unknown => None,
        }
    }
}

/// Replaces the `Read` bits of `stream` (a code of `version`'s data bit stream, segment
/// headers first) that lie in byte segments by the text that differs least from them (the
/// sum of the flipped bits' costs): with `card`, a card payload's fields (the digits of
/// numeric segments counted in them), else any repertoire text; `Known` bits are held.
/// Segments are followed from the first bit while their headers can be read (headers in
/// `Read` bits are taken as read), up to the first `Unknown` bit, a terminator or a header
/// it does not know. Codes above version [`MAX_VERSION`] (no card payload needs one) are
/// left alone. How many bits were flipped; none when no text fits the `Known` bits.
pub(super) fn most_likely_text(stream: &mut [Bit], version: u32, card: bool) -> usize {
    if version > MAX_VERSION {
        return 0;
    }
    let start = if card { State::START } else { State::Free };
    let pieces = segments(stream, version);
    // The ways through each piece, kept for the walk back.
    let mut ways: Vec<Ways> = Vec::with_capacity(pieces.len());
    let mut frontier = vec![Step {
        state: start,
        cost: 0.0,
        from: 0,
        char: NO_CHAR,
    }];
    let mut cut = None;
    for piece in &pieces {
        let through = match *piece {
            Piece::Bytes(ref range, truncated) => {
                let table = Table::fill(&stream[range.clone()], &frontier);
                // A character may run past the bytes only where an unknown bit cut them.
                cut = table.cut.filter(|_| truncated);
                Ways::Bytes(table)
            }
            Piece::Digits(count) => {
                let from = frontier.iter().enumerate();
                Ways::Out(merge(
                    from.filter_map(|(i, s)| Some((s.state.digits(count)?, s.cost, i))),
                ))
            }
            Piece::Other => {
                let from = frontier.iter().enumerate();
                Ways::Out(merge(from.map(|(i, s)| (State::Free, s.cost, i))))
            }
        };
        if !matches!(through, Ways::Bytes(_)) {
            cut = None;
        }
        frontier = through.out().to_vec();
        ways.push(through);
    }
    // The best end: a way out of the last piece, or a character cut off by an unknown bit.
    let best = frontier
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
        .map(|(i, s)| (s.cost, i));
    let cut = cut.filter(|c: &Cut| best.is_none_or(|(cost, _)| c.cost < cost));
    if best.is_none() && cut.is_none() {
        return 0;
    }
    // Walk back through the pieces, writing the chosen characters of byte pieces.
    let mut flipped = 0;
    let mut slot = best.map_or(0, |(_, i)| i);
    // Only the last piece's cut survives the loop above, and the walk meets it first.
    let mut cut = cut;
    for (piece, through) in pieces.iter().zip(&ways).rev() {
        match (piece, through) {
            (Piece::Bytes(range, _), Ways::Bytes(table)) => {
                let (chosen, first) = table.walk(slot, cut.take());
                flipped += write(&mut stream[range.clone()], table.len, &chosen);
                slot = first;
            }
            (_, through) => slot = usize::from(through.out()[slot].from),
        }
    }
    flipped
}

/// The ways through one piece: a byte piece's table, or the ways out of another piece.
enum Ways {
    Bytes(Table),
    Out(Vec<Step>),
}

impl Ways {
    /// The ways out of the piece.
    fn out(&self) -> &[Step] {
        match self {
            Ways::Bytes(table) => &table.steps[table.len],
            Ways::Out(out) => out,
        }
    }
}

/// The highest version [`most_likely_text`] works on: a card payload (a few hundred bytes)
/// fits version 15 at any level, and the fit's time grows with the code.
const MAX_VERSION: u32 = 15;

/// A stretch of the data bit stream, as [`segments`] finds them.
enum Piece {
    /// The bits of a byte segment's bytes, up to the first byte holding an `Unknown` bit
    /// (then `true`: the segment is cut short).
    Bytes(std::ops::Range<usize>, bool),
    /// A numeric segment's count of digits.
    Digits(usize),
    /// Any other segment (its characters not followed).
    Other,
}

/// The segments of the data bit stream of a code of `version`, from the first bit, while
/// their headers can be read (`Read` header bits taken as read); the last ends at the first
/// `Unknown` bit.
fn segments(stream: &[Bit], version: u32) -> Vec<Piece> {
    // Character count widths for versions 1–9, 10–26, 27–40.
    let class = match version {
        1..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    let read = |pos: usize, bits: usize| -> Option<usize> {
        let slice = stream.get(pos..pos + bits)?;
        slice
            .iter()
            .try_fold(0usize, |acc, b| Some(acc << 1 | usize::from(b.value()?)))
    };
    let mut pieces = Vec::new();
    let mut pos = 0usize;
    loop {
        let Some(mode) = read(pos, 4) else {
            return pieces;
        };
        pos += 4;
        let (count_bits, unit): (usize, fn(usize) -> usize) = match mode {
            0b0001 => ([10, 12, 14][class], |n| 10 * (n / 3) + [0, 4, 7][n % 3]),
            0b0010 => ([9, 11, 13][class], |n| 11 * (n / 2) + 6 * (n % 2)),
            0b0100 => ([8, 16, 16][class], |n| 8 * n),
            0b1000 | 0b1101 => ([8, 10, 12][class], |n| 13 * n),
            0b0111 => {
                // ECI designator: 1, 2 or 3 bytes by its leading bits.
                let Some(first) = read(pos, 8) else {
                    return pieces;
                };
                pos += match first {
                    0..=0x7f => 8,
                    0x80..=0xbf => 16,
                    _ => 24,
                };
                pieces.push(Piece::Other);
                continue;
            }
            0b0101 => continue,
            0b1001 => {
                pos += 8;
                continue;
            }
            0b0011 => {
                pos += 16;
                continue;
            }
            _ => return pieces,
        };
        let Some(count) = read(pos, count_bits) else {
            return pieces;
        };
        pos += count_bits;
        let end = pos + unit(count);
        if end > stream.len() {
            return pieces;
        }
        let unknown = stream[pos..end].iter().position(|b| *b == Bit::Unknown);
        match mode {
            0b0100 => {
                let stop = unknown.map_or(end, |u| pos + u / 8 * 8);
                pieces.push(Piece::Bytes(pos..stop, unknown.is_some()));
            }
            0b0001 if unknown.is_none() => pieces.push(Piece::Digits(count)),
            _ => pieces.push(Piece::Other),
        }
        if unknown.is_some() {
            return pieces;
        }
        pos = end;
    }
}

/// One way to reach a point of the text: its state, its cost, and where it came from (the
/// slot at the position before its character, or, at a piece's start, in the ways out of
/// the piece before).
#[derive(Clone, Copy, Debug)]
struct Step {
    state: State,
    cost: f32,
    from: u16,
    /// The character (index into the repertoire), [`NO_CHAR`] at a piece's start.
    char: u16,
}

const NO_CHAR: u16 = u16::MAX;

/// The best way for each state among `ways` (state, cost, where from).
fn merge(ways: impl Iterator<Item = (State, f32, usize)>) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::new();
    for (state, cost, from) in ways {
        let step = Step {
            state,
            cost,
            from: from as u16,
            char: NO_CHAR,
        };
        match out.iter_mut().find(|s| s.state == state) {
            Some(s) if s.cost <= cost => {}
            Some(s) => *s = step,
            None => out.push(step),
        }
    }
    out
}

/// A character cut off by the end of the bytes: the way's cost, the character's start, the
/// slot there and the character.
#[derive(Clone, Copy)]
struct Cut {
    cost: f32,
    at: usize,
    slot: usize,
    char: u16,
}

/// The ways through one byte piece: for each byte position, the best way to reach it in
/// each state.
struct Table {
    /// How many whole bytes the piece has.
    len: usize,
    steps: Vec<Vec<Step>>,
    /// The best way that ends in a character cut off by the end.
    cut: Option<Cut>,
}

impl Table {
    /// The ways through `bits` (whole bytes) from the ways in, `frontier`.
    fn fill(bits: &[Bit], frontier: &[Step]) -> Table {
        let r = repertoire();
        let len = bits.len() / 8;
        // Each byte's value as read, which bits are held, and the cost of flipping each.
        let bytes: Vec<(u8, u8, [f32; 8])> = bits
            .chunks_exact(8)
            .map(|bits| {
                let (mut value, mut held, mut cost) = (0u8, 0u8, [0f32; 8]);
                for (i, b) in bits.iter().enumerate() {
                    let mask = 0x80 >> i;
                    match *b {
                        Bit::Known(v) => {
                            value |= if v { mask } else { 0 };
                            held |= mask;
                        }
                        Bit::Read(v, c) => {
                            value |= if v { mask } else { 0 };
                            cost[i] = c;
                        }
                        Bit::Unknown => {}
                    }
                }
                (value, held, cost)
            })
            .collect();
        let byte_cost = |j: usize, v: u8| -> f32 {
            let (read, held, cost) = &bytes[j];
            let diff = read ^ v;
            if diff & held != 0 {
                return f32::INFINITY;
            }
            (0..8)
                .filter(|i| diff & (0x80 >> i) != 0)
                .map(|i| cost[i])
                .sum()
        };
        let mut steps: Vec<Vec<Step>> = vec![Vec::new(); len + 1];
        steps[0] = frontier
            .iter()
            .enumerate()
            .map(|(i, s)| Step {
                from: i as u16,
                char: NO_CHAR,
                ..*s
            })
            .collect();
        let mut cut: Option<Cut> = None;
        for p in 0..len {
            if steps[p].is_empty() {
                continue;
            }
            let (read, held, _) = bytes[p];
            let candidates: &mut dyn Iterator<Item = u16> = if held == 0xff {
                &mut r.by_lead[usize::from(read)].iter().copied()
            } else {
                &mut (0..r.chars.len() as u16)
            };
            for k in candidates {
                let (enc, n, c) = r.chars[usize::from(k)];
                let whole = p + n <= len;
                let cost: f32 = enc[..n]
                    .iter()
                    .enumerate()
                    .take_while(|(i, _)| p + i < len)
                    .map(|(i, &b)| byte_cost(p + i, b))
                    .sum();
                if !cost.is_finite() {
                    continue;
                }
                for slot in 0..steps[p].len() {
                    let here = steps[p][slot];
                    let Some(state) = here.state.step(c) else {
                        continue;
                    };
                    let total = here.cost + cost;
                    if !whole {
                        if cut.is_none_or(|c| total < c.cost) {
                            cut = Some(Cut {
                                cost: total,
                                at: p,
                                slot,
                                char: k,
                            });
                        }
                        continue;
                    }
                    let step = Step {
                        state,
                        cost: total,
                        from: slot as u16,
                        char: k,
                    };
                    let there = &mut steps[p + n];
                    match there.iter_mut().find(|s| s.state == state) {
                        Some(s) if s.cost <= total => {}
                        Some(s) => *s = step,
                        None => there.push(step),
                    }
                }
            }
        }
        Table { len, steps, cut }
    }

    /// The characters (start, index) of the way that ends in slot `slot` of the last
    /// position, or in `cut`; and the way in it started from.
    fn walk(&self, slot: usize, cut: Option<Cut>) -> (Vec<(usize, u16)>, usize) {
        let r = repertoire();
        let mut chosen = Vec::new();
        let (mut p, mut slot) = match cut {
            Some(c) => {
                chosen.push((c.at, c.char));
                (c.at, c.slot)
            }
            None => (self.len, slot),
        };
        while p > 0 {
            let step = self.steps[p][slot];
            let start = p - r.chars[usize::from(step.char)].1;
            chosen.push((start, step.char));
            (p, slot) = (start, usize::from(step.from));
        }
        (chosen, usize::from(self.steps[0][slot].from))
    }
}

/// Writes the characters `chosen` (start, index) into `bits` (`len` whole bytes; a cut
/// character's bytes past them are not written). How many bits were flipped.
fn write(bits: &mut [Bit], len: usize, chosen: &[(usize, u16)]) -> usize {
    let r = repertoire();
    let mut flipped = 0;
    for &(start, k) in chosen {
        let (enc, n, _) = r.chars[usize::from(k)];
        for (i, &b) in enc[..n].iter().enumerate().filter(|(i, _)| start + i < len) {
            let byte = &mut bits[8 * (start + i)..8 * (start + i + 1)];
            for (bit, slot) in byte.iter_mut().enumerate() {
                if let Bit::Read(v, c) = *slot {
                    let want = b & (0x80 >> bit) != 0;
                    if want != v {
                        *slot = Bit::Read(want, c);
                        flipped += 1;
                    }
                }
            }
        }
    }
    flipped
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A byte-mode stream (header, count, bytes) of `text` for a version 1–9 code.
    fn stream_of(text: &[u8]) -> Vec<Bit> {
        let mut bits = Vec::new();
        let mut push = |v: usize, n: usize| {
            for i in (0..n).rev() {
                bits.push(Bit::Known(v >> i & 1 == 1));
            }
        };
        push(0b0100, 4);
        push(text.len(), 8);
        for &b in text {
            push(usize::from(b), 8);
        }
        push(0, 4);
        bits
    }

    fn text_of(stream: &[Bit]) -> Vec<u8> {
        stream[12..]
            .chunks_exact(8)
            .map(|b| {
                b.iter()
                    .fold(0u8, |a, b| a << 1 | u8::from(b.value().unwrap()))
            })
            .collect()
    }

    #[test]
    fn misread_bits_are_fitted_back_to_the_repertoire() {
        let text = "Thôn Khếp, Hà Nội|27012025".as_bytes();
        let mut stream = stream_of(text);
        // The text read clearly, except for three flipped bits.
        for b in stream.iter_mut().skip(12) {
            let v = b.value().unwrap();
            *b = Bit::Read(v, 3.0);
        }
        // 'ô' (C3 B4) → C3 34: the continuation's top bit; 'ế' (E1 BA BF) → E1 3A BF;
        // '|' (7C) → FC.
        let at = |s: &str| {
            12 + 8 * text
                .windows(s.len())
                .position(|w| w == s.as_bytes())
                .unwrap()
        };
        for bit in [at("ô") + 8, at("ế") + 8, at("|")] {
            let Bit::Read(v, _) = stream[bit] else {
                panic!()
            };
            stream[bit] = Bit::Read(!v, 0.5);
        }
        assert_eq!(most_likely_text(&mut stream, 5, false), 3);
        assert_eq!(text_of(&stream), text);
    }

    #[test]
    fn known_bits_are_held_and_unknown_bits_stop_the_fit() {
        let text = b"Xom 2, Thanh Hoa";
        let mut stream = stream_of(text);
        // A known byte outside the repertoire ('#'): no text fits, nothing changes.
        let mut bad = stream_of(b"Xom #2");
        for b in bad.iter_mut().skip(12 + 8) {
            *b = Bit::Read(b.value().unwrap(), 1.0);
        }
        let hash = 12 + 8 * 4;
        for b in &mut bad[hash..hash + 8] {
            *b = Bit::Known(b.value().unwrap());
        }
        let held = bad.clone();
        assert_eq!(most_likely_text(&mut bad, 1, false), 0);
        assert_eq!(bad, held);
        // Bits after an unknown byte are left as read, even when they are not text.
        for b in stream.iter_mut().skip(12) {
            *b = Bit::Read(b.value().unwrap(), 1.0);
        }
        stream[12 + 8 * 3] = Bit::Unknown;
        stream[12 + 8 * 10] = Bit::Read(true, 0.1); // 'h' 0x68 → 0xE8
        let after = stream.clone();
        assert_eq!(most_likely_text(&mut stream, 1, false), 0);
        assert_eq!(stream, after);
    }

    #[test]
    fn headers_lead_to_later_byte_segments() {
        // A numeric segment of 12 digits, then a byte segment.
        let mut bits = Vec::new();
        let mut push = |v: usize, n: usize| {
            for i in (0..n).rev() {
                bits.push(Bit::Known(v >> i & 1 == 1));
            }
        };
        push(0b0001, 4);
        push(12, 10);
        for g in [70, 65, 376, 529] {
            push(g, 10);
        }
        push(0b0100, 4);
        push(7, 8);
        for &b in b"||Minh|" {
            push(usize::from(b), 8);
        }
        let start = bits.len() - 56;
        for b in &mut bits[start..] {
            *b = Bit::Read(b.value().unwrap(), 2.0);
        }
        // 'i' (0x69) → 0xE9: a lead byte with nothing after it.
        bits[start + 24] = Bit::Read(true, 0.3);
        let mut free = bits.clone();
        assert_eq!(most_likely_text(&mut bits, 1, true), 1);
        assert_eq!(bits[start + 24], Bit::Read(false, 0.3));
        assert_eq!(most_likely_text(&mut free, 1, false), 1);
        assert_eq!(free, bits);
    }

    #[test]
    fn the_card_fields_fix_what_the_repertoire_allows() {
        let text = "070065376529|051527418284|Đặng Minh|27071965|Nam|Thôn Khếp, Hà Nội|27012025";
        let mut card = stream_of(text.as_bytes());
        for b in card.iter_mut().skip(12) {
            *b = Bit::Read(b.value().unwrap(), 2.0);
        }
        // The '|' after the date (0x7C) read as 'l' (0x6C), "Nam" as "Ncm" (0x61 → 0x63),
        // a digit of the ID (0x35) as 'u' (0x75): all in the repertoire.
        let at = |s: &str| 12 + 8 * text.find(s).unwrap();
        for bit in [at("|Nam") + 3, at("am|") + 6, at("5376") + 1] {
            let Bit::Read(v, _) = card[bit] else { panic!() };
            card[bit] = Bit::Read(!v, 0.5);
        }
        let mut free = card.clone();
        assert_eq!(most_likely_text(&mut free, 8, false), 0);
        assert_eq!(most_likely_text(&mut card, 8, true), 3);
        assert_eq!(text_of(&card), text.as_bytes());
        // Codes too large for a card are left alone.
        let mut big = free.clone();
        assert_eq!(most_likely_text(&mut big, MAX_VERSION + 1, true), 0);
    }
}
