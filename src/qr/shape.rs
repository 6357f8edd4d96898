//! The payload's shape character by character, for readers that must guess characters: the
//! photo scanner's text prior (`scan/prior.rs`) fits misread bits to the nearest text of this
//! shape. It states what the grammar (`grammar.rs`) reads, field by field, and no more: a
//! test checks that every prefix of every valid payload the generator makes keeps to it.

use crate::text::{is_vietnamese_text_char, unfit, Unfit};
use crate::{Layout, Sex};

/// Where a payload's text stands, for the characters that may come next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Within field `field` (0-based, of [`Layout::V2024`]'s 11) after `done` characters
    /// (digits counted up to 12; for the sex word, 0–3 characters of `Nam`, or 4 + those of
    /// `Nữ`; for text, 0 or 1).
    Card { field: u8, done: u8 },
    /// Not a card payload's fields (the text before did not fit them): any character of the
    /// name-and-address repertoire, or `|`.
    Free,
}

/// What one field holds.
#[derive(Clone, Copy)]
enum Field {
    /// ASCII digits, as many as one of the lengths: the ID number (12), the old ID number
    /// (none, 9 or 12), the dates (`ddmmyyyy`).
    Digits(&'static [u8]),
    /// [`Sex::as_card_str`]: `Nam` or `Nữ`.
    Sex,
    /// Repertoire text without `|` ([`is_vietnamese_text_char`]), at least one character:
    /// the name and the address.
    Text,
    /// Any text without `|`, control or format characters or U+FFFD, possibly empty: the
    /// four extra fields (opaque).
    Extra,
}

/// The fields in order: [`Layout::V2021`]'s 7, then the 4 more of [`Layout::V2024`].
const FIELDS: [Field; Layout::V2024.field_count()] = [
    Field::Digits(&[12]),
    Field::Digits(&[0, 9, 12]),
    Field::Text,
    Field::Digits(&[8]),
    Field::Sex,
    Field::Text,
    Field::Digits(&[8]),
    Field::Extra,
    Field::Extra,
    Field::Extra,
    Field::Extra,
];

impl Shape {
    /// Before the first character.
    pub(crate) const START: Shape = Shape::Card { field: 0, done: 0 };

    /// The state after `c`, `None` when `c` cannot come here.
    pub(crate) fn step(self, c: char) -> Option<Shape> {
        let Shape::Card { field, done } = self else {
            return (c == '|' || is_vietnamese_text_char(c)).then_some(Shape::Free);
        };
        let has_next = usize::from(field) + 1 < FIELDS.len();
        let next = Shape::Card {
            field: field + 1,
            done: 0,
        };
        let here = |done| Some(Shape::Card { field, done });
        match FIELDS[usize::from(field)] {
            Field::Digits(lens) => match c {
                '0'..='9' if lens.iter().any(|&l| l > done) => here(done + 1),
                '|' if has_next && lens.contains(&done) => Some(next),
                _ => None,
            },
            Field::Sex => {
                let (male, female) = (Sex::Male.as_card_str(), Sex::Female.as_card_str());
                let (word, at) = if done >= 4 {
                    (female, done - 4)
                } else {
                    (male, done)
                };
                match word.chars().nth(usize::from(at)) {
                    Some(w) if w == c => here(done + 1),
                    // `Nam` and `Nữ` share their first letter: after it, `Nữ`'s second.
                    Some(_) if done == 1 && female.chars().nth(1) == Some(c) => here(6),
                    None if c == '|' && has_next => Some(next),
                    _ => None,
                }
            }
            Field::Text => match c {
                '|' => (has_next && done > 0).then_some(next),
                _ => is_vietnamese_text_char(c).then_some(Shape::Card { field, done: 1 }),
            },
            Field::Extra => match c {
                '|' => has_next.then_some(next),
                '\u{fffd}' => None,
                _ => (unfit(c) != Unfit::ControlOrFormat || is_vietnamese_text_char(c))
                    .then_some(self),
            },
        }
    }

    /// The state after `count` digits (a numeric segment), `None` when they cannot come
    /// here.
    pub(crate) fn digits(self, count: usize) -> Option<Shape> {
        (0..count).try_fold(self, |s, _| s.step('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The state after `s`, `None` when it leaves the shape.
    fn run(s: &str) -> Option<Shape> {
        s.chars().try_fold(Shape::START, Shape::step)
    }

    #[test]
    fn the_shape_follows_the_layouts() {
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
            "070065376529||Minh|27071965|Nam|Huế|01012020|\u{7}",
        ] {
            assert!(run(bad).is_none(), "{bad}");
        }
        assert_eq!(Shape::START.digits(12), run("070065376529"));
        assert_eq!(Shape::START.digits(13), None);
        let extra = run("070065376529||Minh|27071965|Nam|Huế|01012020|");
        assert!(
            extra.is_some_and(|s| s.step('#') == Some(s)),
            "extra fields are opaque"
        );
        assert_eq!(Shape::Free.step('#'), None);
        assert_eq!(Shape::Free.step('|'), Some(Shape::Free));
    }

    /// Every prefix of every valid payload keeps to the shape: the prior never pushes a card
    /// away from what the grammar reads.
    #[cfg(feature = "synth")]
    #[test]
    fn valid_payloads_keep_to_the_shape() {
        let mut cards = crate::synth::CardGenerator::new(7);
        for _ in 0..2000 {
            let payload = cards.payload();
            assert!(crate::parse(&payload).is_ok(), "{payload}");
            let mut state = Some(Shape::START);
            for (i, c) in payload.char_indices() {
                state = state.and_then(|s| s.step(c));
                assert!(state.is_some(), "{payload} at byte {i}");
            }
        }
    }
}
