//! Synthetic MRZs: the MRZ a generated card carries, and the damage OCR and keyboard-wedge
//! readers do to it.

use chrono::{Datelike, NaiveDate};

use crate::mrz::{check_digit, Mrz, Repair};
use crate::synth::CardGenerator;
use crate::{Card, Sex};

/// The three MRZ lines a card with this QR payload carries (`\n`-separated, no final line
/// break): document number = the ID number's last 9 digits, expiry by law
/// ([`Card::expiry`], `991231` when it never expires), the name folded to ASCII with the
/// first word as the surname, cut at 30 characters. Every check digit is computed.
///
/// The birth year's century is not written: a reader takes it from the ID number, so the
/// MRZ only reads back to the card's date of birth when the ID number's century digit
/// agrees with it (always so for generated cards).
///
/// ```
/// let card = cccd::parse("079203012345||Nguyễn Văn An|01022003|Nam|Hà Nội|15082021")?;
/// assert_eq!(cccd::synth::mrz_text(&card), "IDVNM2030123450079203012345<<0\n0302014M2802013VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<");
/// # Ok::<(), cccd::Error>(())
/// ```
pub fn mrz_text(card: &Card<'_>) -> String {
    let id = card.id_number().as_str();
    let document_number = &id[3..];
    let mut line1 = format!("IDVNM{document_number}{}", digit(document_number));
    line1.push_str(id);
    line1.push_str("<<");
    line1.push(digit(id));
    let birth = yymmdd(card.date_of_birth());
    let expiry = card
        .expiry()
        .date()
        .map_or_else(|| "991231".to_owned(), yymmdd);
    let sex = match card.sex() {
        Sex::Female => 'F',
        _ => 'M',
    };
    let mut line2 = format!(
        "{birth}{}{sex}{expiry}{}VNM<<<<<<<<<<<",
        digit(&birth),
        digit(&expiry)
    );
    let composite = format!(
        "{}{}{}{}",
        &line1[5..30],
        &line2[..7],
        &line2[8..15],
        &line2[18..29]
    );
    line2.push(digit(&composite));
    format!("{line1}\n{line2}\n{}", name_line(card.full_name()))
}

/// The MRZ a card with this QR payload carries ([`mrz_text`]), parsed. `None` only when the
/// text does not read back (a card whose ID number's century disagrees with its date of
/// birth so much that the date does not exist in the ID's century, e.g. 29 February).
pub fn mrz_for(card: &Card<'_>) -> Option<Mrz> {
    crate::mrz::parse(&mrz_text(card)).ok()
}

fn digit(s: &str) -> char {
    check_digit(s).unwrap_or('<')
}

fn yymmdd(d: NaiveDate) -> String {
    format!(
        "{:02}{:02}{:02}",
        d.year().rem_euclid(100),
        d.month(),
        d.day()
    )
}

/// `SURNAME<<GIVEN<NAMES` from a full name: folded to ASCII, words of letters, the first
/// word the surname, padded or cut to 30 characters.
fn name_line(full_name: &str) -> String {
    let words = crate::mrz::cross::name_words(full_name);
    let words: Vec<String> = words
        .iter()
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_uppercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut line = match words.split_first() {
        Some((surname, given)) if !given.is_empty() => format!("{surname}<<{}", given.join("<")),
        Some((surname, _)) => surname.clone(),
        None => "X".to_owned(),
    };
    line.truncate(30);
    while line.len() < 30 {
        line.push('<');
    }
    line
}

/// A deterministic generator of cards with their MRZ.
///
/// ```
/// let mut gen = cccd::synth::MrzGenerator::new(7);
/// let (card, mrz) = gen.next_pair();
/// assert!(cccd::mrz::cross_check(&card, &mrz).is_empty());
/// assert_eq!(cccd::mrz::parse(&mrz.to_string()), Ok(mrz));
/// ```
#[derive(Clone, Debug)]
pub struct MrzGenerator {
    cards: CardGenerator,
}

impl MrzGenerator {
    /// A generator seeded with `seed` (the cards are [`CardGenerator::new`]`(seed)`'s).
    pub fn new(seed: u64) -> Self {
        MrzGenerator {
            cards: CardGenerator::new(seed),
        }
    }

    /// The next card and its MRZ.
    pub fn next_pair(&mut self) -> (Card<'static>, Mrz) {
        loop {
            let card = self.cards.card();
            // Generated cards always agree with their ID number; a test pins it.
            if let Some(mrz) = mrz_for(&card) {
                return (card, mrz);
            }
        }
    }
}

/// `mrz` damaged the way `repair` undoes, so that the lenient parser reads it back with
/// exactly that repair (for a digit confusion: the digit at the repair's position replaced
/// by the repair's letter). `None` when the MRZ cannot carry that damage recognisably (another
/// character at that position, or a name line without trailing fillers to drop).
///
/// ```
/// use cccd::mrz::{Parser, Repair};
/// let mut gen = cccd::synth::MrzGenerator::new(1);
/// let (_, mrz) = gen.next_pair();
/// let damaged = cccd::synth::damage_mrz(&mrz, Repair::Uppercased).unwrap();
/// let parsed = Parser::new().lenient(true).parse(&damaged).unwrap();
/// assert_eq!((parsed.mrz, parsed.repairs), (mrz, vec![Repair::Uppercased]));
/// ```
pub fn damage_mrz(mrz: &Mrz, repair: Repair) -> Option<String> {
    let text = mrz.to_string();
    let lines: Vec<&str> = text.split('\n').collect();
    match repair {
        Repair::WhitespaceTrimmed => Some(format!("  {text} \n")),
        Repair::LineEndingsNormalized => Some(text.replace('\n', "\r\n")),
        Repair::SpacesRemoved => Some(format!(
            "{} {}\n{}\n{}",
            &lines[0][..5],
            &lines[0][5..],
            lines[1],
            lines[2]
        )),
        Repair::Uppercased => Some(text.to_ascii_lowercase()),
        Repair::LinesRejoined => Some(format!("{}{}\n{}", lines[0], &lines[1][..10], &text[41..])),
        Repair::FillerPadded => {
            let name = lines[2].trim_end_matches('<');
            (name.len() < 30).then(|| format!("{}\n{}\n{name}", lines[0], lines[1]))
        }
        Repair::DigitConfusion {
            letter,
            digit,
            line,
            column,
        } => {
            if !(1..=2).contains(&line) || !(1..=30).contains(&column) {
                return None;
            }
            let index = (line - 1) * 30 + column - 1;
            let mut grid: Vec<u8> = mrz.to_single_line().into_bytes();
            let at = grid.get(index).copied()?;
            if char::from(at) != digit || !letter.is_ascii_uppercase() {
                return None;
            }
            grid[index] = letter as u8;
            let damaged = String::from_utf8(grid).ok()?;
            Some(format!(
                "{}\n{}\n{}",
                &damaged[..30],
                &damaged[30..60],
                &damaged[60..]
            ))
        }
    }
}
