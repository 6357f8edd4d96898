//! From input text to the 3 × 30 grid: the strict reader and the lenient repairs.

use std::fmt;

use super::check_digit::CheckDigit;
use super::error::{Error, Problem};

/// A repair the lenient MRZ parser applied. Every repair is reported to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Repair {
    /// Whitespace (or a byte-order mark) around the MRZ or around one of its lines was
    /// removed.
    WhitespaceTrimmed,
    /// CR LF or CR line breaks were read as LF.
    LineEndingsNormalized,
    /// Spaces or tabs inside a line were removed (OCR output).
    SpacesRemoved,
    /// Lower-case letters were upper-cased.
    Uppercased,
    /// The lines were broken elsewhere than after every 30 characters (a keyboard-wedge
    /// reader's single line, blank lines, a line split in two): the 90 characters were
    /// re-cut into 3 lines of 30.
    LinesRejoined,
    /// The name line was shorter than 30 characters (OCR drops trailing fillers) and was
    /// padded with `<`.
    FillerPadded,
    /// A letter stood where the card prints a digit (`O` for `0`, `I` for `1`, `B` for `8`,
    /// `S` for `5`) and was replaced, because the field's check digit matches only with the
    /// digit. Inside the grid, 1-based.
    DigitConfusion {
        /// The letter read.
        letter: char,
        /// The digit put in its place.
        digit: char,
        /// The line, from 1.
        line: usize,
        /// The column, from 1.
        column: usize,
    },
}

impl Repair {
    /// The code as used in JSON: `whitespace_trimmed`, `line_endings_normalized`,
    /// `spaces_removed`, `uppercased`, `lines_rejoined`, `filler_padded`, and for digit
    /// confusions `o_to_0`, `i_to_1`, `b_to_8`, `s_to_5`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Repair::WhitespaceTrimmed => "whitespace_trimmed",
            Repair::LineEndingsNormalized => "line_endings_normalized",
            Repair::SpacesRemoved => "spaces_removed",
            Repair::Uppercased => "uppercased",
            Repair::LinesRejoined => "lines_rejoined",
            Repair::FillerPadded => "filler_padded",
            Repair::DigitConfusion { letter: 'O', .. } => "o_to_0",
            Repair::DigitConfusion { letter: 'I', .. } => "i_to_1",
            Repair::DigitConfusion { letter: 'B', .. } => "b_to_8",
            Repair::DigitConfusion { .. } => "s_to_5",
        }
    }

    /// Where in the grid the repair was made (line, column), for digit confusions.
    pub const fn position(&self) -> Option<(usize, usize)> {
        match *self {
            Repair::DigitConfusion { line, column, .. } => Some((line, column)),
            _ => None,
        }
    }
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Repair {
    /// `{"code": "o_to_0", "line": 1, "column": 20}`; `line` and `column` only for digit
    /// confusions.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("code", self.as_str())?;
        if let Some((line, column)) = self.position() {
            m.serialize_entry("line", &line)?;
            m.serialize_entry("column", &column)?;
        }
        m.end()
    }
}

const fn is_mrz_char(c: char) -> bool {
    matches!(c, 'A'..='Z' | '0'..='9' | '<')
}

/// Strict reading: 3 lines of 30 characters separated by `\n`, or 90 characters on one line,
/// each from the MRZ alphabet.
pub(crate) fn strict_grid(input: &str) -> Result<[u8; 90], Error> {
    let lines: Vec<&str> = input.split('\n').collect();
    match lines.len() {
        1 => {
            let n = input.chars().count();
            if n != 90 {
                return Err(Error::shape(
                    1,
                    n.min(90) + 1,
                    Problem::LineLength {
                        found: n,
                        single: true,
                    },
                ));
            }
            grid_of(input.chars())
        }
        3 => {
            for (k, line) in lines.iter().enumerate() {
                let mut n = 0;
                for (j, c) in line.chars().enumerate() {
                    if !is_mrz_char(c) {
                        return Err(char_error(k, j, c));
                    }
                    n = j + 1;
                }
                if n != 30 {
                    return Err(Error::shape(
                        k + 1,
                        n.min(30) + 1,
                        Problem::LineLength {
                            found: n,
                            single: false,
                        },
                    ));
                }
            }
            grid_of(lines.iter().flat_map(|l| l.chars()))
        }
        n => Err(count_error(n)),
    }
}

fn count_error(found: usize) -> Error {
    Error::shape(found.min(4), 1, Problem::LineCount { found })
}

/// A bad character at line `k` (0-based), column `j` (0-based).
fn char_error(k: usize, j: usize, c: char) -> Error {
    if j < 30 {
        Error::at(k * 30 + j, Problem::NotMrzChar(c))
    } else {
        Error::shape(k + 1, j + 1, Problem::NotMrzChar(c))
    }
}

/// The grid of exactly 90 characters, or the first one not in the MRZ alphabet.
fn grid_of(chars: impl Iterator<Item = char>) -> Result<[u8; 90], Error> {
    let mut grid = [b'<'; 90];
    for (i, c) in chars.enumerate().take(90) {
        if !is_mrz_char(c) {
            return Err(Error::at(i, Problem::NotMrzChar(c)));
        }
        // An MRZ character is ASCII.
        grid[i] = c as u8;
    }
    Ok(grid)
}

/// Lenient reading: the layout repairs, then the character repairs a check digit confirms.
pub(crate) fn lenient_grid(input: &str, repairs: &mut Vec<Repair>) -> Result<[u8; 90], Error> {
    let ws = |c: char| c.is_whitespace() || c == '\u{feff}';
    let text = input.trim_matches(ws);
    let mut trimmed = text.len() != input.len();
    if text.is_empty() {
        return Err(Error::shape(1, 1, Problem::Empty));
    }
    let crlf = text.contains('\r');
    let text = if crlf {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let (mut blank, mut spaces, mut lower) = (false, false, false);
    let mut lines: Vec<Vec<char>> = Vec::with_capacity(3);
    for raw in text.split('\n') {
        let line = raw.trim_matches(ws);
        trimmed |= line.len() != raw.len();
        if line.is_empty() {
            blank = true;
            continue;
        }
        let mut chars = Vec::with_capacity(line.len());
        for c in line.chars() {
            if c == ' ' || c == '\t' {
                spaces = true;
            } else if c.is_ascii_lowercase() {
                lower = true;
                chars.push(c.to_ascii_uppercase());
            } else {
                chars.push(c);
            }
        }
        lines.push(chars);
    }
    let lens: Vec<usize> = lines.iter().map(Vec::len).collect();
    let total: usize = lens.iter().sum();
    let mut chars: Vec<char> = lines.concat();
    let (mut rejoined, mut padded) = (blank, false);
    match lens.as_slice() {
        [30, 30, 30] | [90] => {}
        [30, 30, n] if *n < 30 => {
            chars.resize(90, '<');
            padded = true;
        }
        _ if total == 90 => rejoined = true,
        [n] => {
            return Err(Error::shape(
                1,
                (*n).min(90) + 1,
                Problem::LineLength {
                    found: *n,
                    single: true,
                },
            ))
        }
        [_, _, _] => {
            let k = lens.iter().position(|&n| n != 30).unwrap_or(0);
            return Err(Error::shape(
                k + 1,
                lens[k].min(30) + 1,
                Problem::LineLength {
                    found: lens[k],
                    single: false,
                },
            ));
        }
        _ => return Err(count_error(lens.len())),
    }
    for (done, repair) in [
        (trimmed, Repair::WhitespaceTrimmed),
        (crlf, Repair::LineEndingsNormalized),
        (spaces, Repair::SpacesRemoved),
        (lower, Repair::Uppercased),
        (rejoined, Repair::LinesRejoined),
        (padded, Repair::FillerPadded),
    ] {
        if done {
            repairs.push(repair);
        }
    }
    let mut grid = grid_of(chars.into_iter())?;
    fix_confusions(&mut grid, repairs);
    Ok(grid)
}

/// The digit a letter stands for when OCR confuses them.
const fn confused_digit(c: u8) -> Option<u8> {
    match c {
        b'O' => Some(b'0'),
        b'I' => Some(b'1'),
        b'B' => Some(b'8'),
        b'S' => Some(b'5'),
        _ => None,
    }
}

/// Replaces confusable letters in the digit-only fields (document number, ID number, dates,
/// check digits) by digits, field by field, where the field's own check digit then matches;
/// then the composite check digit itself, if the composite then matches.
fn fix_confusions(grid: &mut [u8; 90], repairs: &mut Vec<Repair>) {
    for which in CheckDigit::ALL {
        let positions: Vec<usize> = if which == CheckDigit::Composite {
            vec![which.index()]
        } else {
            which
                .covers()
                .iter()
                .flat_map(|&(from, to)| from..to)
                .chain([which.index()])
                .collect()
        };
        if !positions.iter().any(|&i| confused_digit(grid[i]).is_some()) {
            continue;
        }
        let mut candidate = *grid;
        for &i in &positions {
            if let Some(d) = confused_digit(candidate[i]) {
                candidate[i] = d;
            }
        }
        if positions.iter().all(|&i| candidate[i].is_ascii_digit()) && which.holds(&candidate) {
            for &i in &positions {
                if candidate[i] != grid[i] {
                    repairs.push(Repair::DigitConfusion {
                        letter: char::from(grid[i]),
                        digit: char::from(candidate[i]),
                        line: i / 30 + 1,
                        column: i % 30 + 1,
                    });
                }
            }
            *grid = candidate;
        }
    }
}
