//! The card's text as a prior on a block's data bits.
//!
//! A card payload is UTF-8 text drawn from a small repertoire: the Vietnamese letters,
//! ASCII digits, the space, a little punctuation and the `|` separators
//! ([`crate::text::is_vietnamese_text_char`]). Of the 2^16 and 2^24 two- and three-byte
//! sequences only about 140 are such characters, and of the 128 ASCII bytes about 75; a
//! misread module often turns a character into a byte sequence outside the repertoire.
//!
//! When the blocks before one block of a code are corrected, the bit stream up to it is
//! known: its segment headers say where a byte segment runs and how its bytes sit in the
//! block's codewords. [`most_likely_text`] then replaces the block's bits inside byte
//! segments by the repertoire text that differs least from them, each bit weighted by how
//! clearly its module was read (a dynamic programme over characters, the known blocks'
//! bits held fixed). The Reed–Solomon decoder is then left fewer wrong codewords; it still
//! decides, under the same acceptance bound, so a prior that fits a code badly (a code of
//! other text) costs a wasted attempt, never a wrong read.

use crate::text::is_vietnamese_text_char;
#[cfg(doc)]
use crate::Layout;
use crate::Sex;

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
    /// module was read; finite, not negative).
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

/// Where a payload's text stands, for the characters that may come next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Within field `field` (0-based, of [`Layout::V2024`]'s 11) after `done` characters
    /// (digits counted up to 13; for the sex word, an index into `Nam`/`Nữ`; for text, 0
    /// or 1).
    Card { field: u8, done: u8 },
    /// Not following the card's fields (the text before did not fit them): any
    /// repertoire character or `|`.
    Free,
}

/// The fields of a card payload ([`crate::text`]'s repertoire, the ID numbers' lengths, the
/// `ddmmyyyy` dates, [`Sex::as_card_str`]).
#[derive(Clone, Copy)]
enum Field {
    /// ASCII digits, as many as one of the lengths.
    Digits(&'static [u8]),
    /// `Nam` or `Nữ`.
    Sex,
    /// Repertoire text without `|`, at least `min` characters.
    Text { min: u8 },
}

const FIELDS: [Field; 11] = [
    Field::Digits(&[12]),
    Field::Digits(&[0, 9, 12]),
    Field::Text { min: 1 },
    Field::Digits(&[8]),
    Field::Sex,
    Field::Text { min: 1 },
    Field::Digits(&[8]),
    Field::Text { min: 0 },
    Field::Text { min: 0 },
    Field::Text { min: 0 },
    Field::Text { min: 0 },
];

impl State {
    const START: State = State::Card { field: 0, done: 0 };

    /// The state after `c`, `None` when `c` cannot come here.
    fn step(self, c: char) -> Option<State> {
        let State::Card { field, done } = self else {
            return (c == '|' || is_vietnamese_text_char(c)).then_some(State::Free);
        };
        let next = State::Card {
            field: field + 1,
            done: 0,
        };
        let (male, female) = (Sex::Male.as_card_str(), Sex::Female.as_card_str());
        match FIELDS[usize::from(field)] {
            Field::Digits(lens) => match c {
                '0'..='9' if lens.iter().any(|&l| l > done) => Some(State::Card {
                    field,
                    done: done + 1,
                }),
                '|' if lens.contains(&done) && usize::from(field) + 1 < FIELDS.len() => Some(next),
                _ => None,
            },
            Field::Sex => {
                // `done`: characters of `Nam` matched (0–3), or 4 + characters of `Nữ`.
                let (word, at) = if done >= 4 {
                    (female, done - 4)
                } else {
                    (male, done)
                };
                let mut chars = word.chars().skip(usize::from(at));
                match chars.next() {
                    Some(w) if w == c => Some(State::Card {
                        field,
                        done: done + 1,
                    }),
                    // Both words start with `N`: after it, `ữ` switches to `Nữ`.
                    Some(_) if done == 1 && female.chars().nth(1) == Some(c) => {
                        Some(State::Card { field, done: 6 })
                    }
                    None if c == '|' => Some(next),
                    _ => None,
                }
            }
            Field::Text { min } => {
                if c == '|' {
                    (done >= min && usize::from(field) + 1 < FIELDS.len()).then_some(next)
                } else {
                    is_vietnamese_text_char(c).then_some(State::Card { field, done: 1 })
                }
            }
        }
    }

    /// The state after `count` digits (a numeric segment), `None` when they cannot come
    /// here.
    fn digits(self, count: usize) -> Option<State> {
        (0..count).try_fold(self, |s, _| s.step('0'))
    }
}

/// Replaces the `Read` bits of `stream` (a code of `version`'s data bit stream, segment
/// headers first) that lie in byte segments by the text that differs least from them (the
/// sum of the flipped bits' costs): a card payload's fields where the text so far is one,
/// else any repertoire text; `Known` bits are held. Segments are followed from the first
/// bit while their headers can be read (headers in `Read` bits are taken as read); it stops
/// at the first `Unknown` bit, a terminator or a header it does not know. With `card`
/// false, any repertoire text throughout. Codes above version [`MAX_VERSION`] (no card
/// payload needs one) are left alone. How many bits were flipped.
pub(super) fn most_likely_text(stream: &mut [Bit], version: u32, card: bool) -> usize {
    if version > MAX_VERSION {
        return 0;
    }
    // Character count widths for versions 1–9, 10–26, 27–40.
    let class = match version {
        1..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    let mut pos = 0usize;
    let mut flipped = 0usize;
    let mut state = if card { State::START } else { State::Free };
    let read = |stream: &[Bit], pos: usize, bits: usize| -> Option<usize> {
        let slice = stream.get(pos..pos + bits)?;
        slice
            .iter()
            .try_fold(0usize, |acc, b| Some(acc << 1 | usize::from(b.value()?)))
    };
    loop {
        let Some(mode) = read(stream, pos, 4) else {
            return flipped;
        };
        pos += 4;
        let (count_bits, unit): (usize, fn(usize) -> usize) = match mode {
            0b0001 => ([10, 12, 14][class], |n| 10 * (n / 3) + [0, 4, 7][n % 3]),
            0b0010 => ([9, 11, 13][class], |n| 11 * (n / 2) + 6 * (n % 2)),
            0b0100 => ([8, 16, 16][class], |n| 8 * n),
            0b1000 | 0b1101 => ([8, 10, 12][class], |n| 13 * n),
            0b0111 => {
                // ECI designator: 1, 2 or 3 bytes by its leading bits.
                let Some(first) = read(stream, pos, 8) else {
                    return flipped;
                };
                pos += match first {
                    0..=0x7f => 8,
                    0x80..=0xbf => 16,
                    _ => 24,
                };
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
            _ => return flipped,
        };
        let Some(count) = read(stream, pos, count_bits) else {
            return flipped;
        };
        pos += count_bits;
        let end = pos + unit(count);
        if end > stream.len() {
            return flipped;
        }
        match mode {
            0b0100 => {
                let segment = &mut stream[pos..end];
                let (bits, after) = fit_bytes(segment, state);
                flipped += bits;
                if segment.contains(&Bit::Unknown) {
                    return flipped;
                }
                state = after.unwrap_or(State::Free);
            }
            0b0001 => state = state.digits(count).unwrap_or(State::Free),
            _ => state = State::Free,
        }
        pos = end;
    }
}

/// The highest version [`most_likely_text`] works on: a card payload (a few hundred bytes)
/// fits version 15 at any level, and the fit's time grows with the code.
const MAX_VERSION: u32 = 15;

/// Fits the bytes of one byte segment (8 bits each, the segment starting on a character,
/// the text before it in `state`), up to its first byte holding an `Unknown` bit (a
/// character may run past that point: only its bytes before it count): to the card's
/// fields, else (when none fits the `Known` bits) to any repertoire text. How many bits were
/// flipped, and the state after the segment; none and `None` when no text fits.
fn fit_bytes(segment: &mut [Bit], state: State) -> (usize, Option<State>) {
    if let Some(fit) = fit_bytes_from(segment, state) {
        return fit;
    }
    match state {
        State::Free => (0, None),
        _ => fit_bytes_from(segment, State::Free).unwrap_or((0, None)),
    }
}

/// One way through a segment's bytes: the least cost to reach a byte position in a state,
/// and the step before.
#[derive(Clone, Copy)]
struct Step {
    state: State,
    cost: f32,
    /// The slot of the step before, at the position before the character.
    from: u16,
    /// The character (index into the repertoire).
    char: u16,
}

fn fit_bytes_from(segment: &mut [Bit], start: State) -> Option<(usize, Option<State>)> {
    let r = repertoire();
    let len = segment
        .chunks_exact(8)
        .position(|b| b.contains(&Bit::Unknown))
        .unwrap_or(segment.len() / 8);
    // Each byte's value as read, which bits are held, and the cost of flipping each.
    let bytes: Vec<(u8, u8, [f32; 8])> = segment
        .chunks_exact(8)
        .take(len)
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
    // steps[p]: the ways to reach byte p, one per state.
    let mut steps: Vec<Vec<Step>> = vec![Vec::new(); len + 1];
    steps[0].push(Step {
        state: start,
        cost: 0.0,
        from: 0,
        char: 0,
    });
    // The best way that ends in a character cut off by the end: its start, slot, character.
    let mut cut: (f32, usize, u16, u16) = (f32::INFINITY, 0, 0, 0);
    for p in 0..len {
        let (read, held, _) = bytes[p];
        let candidates: &mut dyn Iterator<Item = u16> = if held == 0xff {
            &mut r.by_lead[usize::from(read)].iter().copied()
        } else {
            &mut (0..r.chars.len() as u16)
        };
        for k in candidates {
            let (enc, n, c) = r.chars[usize::from(k)];
            let mut cost = 0f32;
            let mut whole = true;
            for (i, &b) in enc[..n].iter().enumerate() {
                if p + i >= len {
                    whole = false;
                    break;
                }
                cost += byte_cost(p + i, b);
                if !cost.is_finite() {
                    break;
                }
            }
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
                    if total < cut.0 {
                        cut = (total, p, slot as u16, k);
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
    // Walk back from the best end (or the cut character) and write the chosen bytes.
    let end = steps[len]
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost));
    let mut chosen: Vec<(usize, u16)> = Vec::new();
    let (mut p, mut slot, after) = match end {
        Some((slot, s)) if s.cost <= cut.0 => (len, slot, Some(s.state)),
        _ if cut.0.is_finite() => {
            chosen.push((cut.1, cut.3));
            (cut.1, usize::from(cut.2), None)
        }
        _ => return None,
    };
    while p > 0 {
        let step = steps[p][slot];
        let start = p - r.chars[usize::from(step.char)].1;
        chosen.push((start, step.char));
        (p, slot) = (start, usize::from(step.from));
    }
    let mut flipped = 0;
    for (start, k) in chosen {
        let (enc, n, _) = r.chars[usize::from(k)];
        for (i, &b) in enc[..n].iter().enumerate().filter(|(i, _)| start + i < len) {
            for (bit, slot) in segment[8 * (start + i)..8 * (start + i + 1)]
                .iter_mut()
                .enumerate()
            {
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
    Some((flipped, after))
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

    #[test]
    fn the_card_grammar_follows_the_layouts() {
        let run = |s: &str| s.chars().try_fold(State::START, State::step);
        let v2021 = "070065376529||Đặng Minh|27071965|Nữ|Hà Nội|27012025";
        assert!(run(v2021).is_some());
        assert!(run(&format!("{v2021}||||")).is_some());
        assert!(run(&format!("{v2021}|||||")).is_none(), "at most 11 fields");
        for bad in [
            "07006537652|",
            "070065376529|1234|",
            "070065376529||Minh|2707196|",
            "070065376529||Minh|27071965|Na|",
            "070065376529||Minh|27071965|Nữm",
            "070065376529|||",
            "070065376529||Minh#",
        ] {
            assert!(run(bad).is_none(), "{bad}");
        }
        assert_eq!(State::START.digits(12), run("070065376529"));
        assert_eq!(State::START.digits(13), None);
    }
}
