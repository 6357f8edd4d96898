//! ICAO 9303 check digits (7-3-1 weighting) and the five check digits of the Vietnamese TD1
//! MRZ.

use std::fmt;

use super::error::Field;

/// The value of an MRZ character in a check-digit sum: digits as themselves, `A`–`Z` as
/// 10–35, the filler `<` as 0. `None` for anything else.
pub(crate) const fn char_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some((c - b'0') as u32),
        b'A'..=b'Z' => Some((c - b'A') as u32 + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// The check digit (an ASCII digit) of the concatenation of `parts`, or `None` if a byte is
/// not an MRZ character.
pub(crate) fn compute(parts: &[&[u8]]) -> Option<u8> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    let mut i = 0;
    for part in parts {
        for &c in *part {
            sum += char_value(c)? * WEIGHTS[i % 3];
            i += 1;
        }
    }
    // `sum % 10` is below 10.
    Some(b'0' + (sum % 10) as u8)
}

/// The ICAO 9303 check digit of `s`: each character's value (`0`–`9` as themselves, `A`–`Z`
/// as 10–35, `<` as 0) times the weights 7, 3, 1, 7, 3, 1, …, summed, modulo 10. `None` when
/// `s` holds anything but digits, upper-case letters and `<`.
///
/// ```
/// assert_eq!(cccd::mrz::check_digit("203012345"), Some('0'));
/// assert_eq!(cccd::mrz::check_digit("030201"), Some('4'));
/// assert_eq!(cccd::mrz::check_digit("AB<12"), Some('6'));
/// assert_eq!(cccd::mrz::check_digit("ab"), None);
/// ```
pub fn check_digit(s: &str) -> Option<char> {
    compute(&[s.as_bytes()]).map(char::from)
}

/// One of the five check digits of the MRZ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum CheckDigit {
    /// Line 1 column 15, over the document number (line 1 columns 6–14).
    DocumentNumber,
    /// Line 1 column 30, over the 12-digit ID number (line 1 columns 16–27). Vietnam-specific.
    IdNumber,
    /// Line 2 column 7, over the date of birth (line 2 columns 1–6).
    DateOfBirth,
    /// Line 2 column 15, over the expiry date (line 2 columns 9–14).
    ExpiryDate,
    /// Line 2 column 30, over line 1 columns 6–30, line 2 columns 1–7, 9–15 and 19–29.
    Composite,
}

impl CheckDigit {
    /// The five, in the order they stand in the MRZ.
    pub const ALL: [CheckDigit; 5] = [
        CheckDigit::DocumentNumber,
        CheckDigit::IdNumber,
        CheckDigit::DateOfBirth,
        CheckDigit::ExpiryDate,
        CheckDigit::Composite,
    ];

    /// The name as used in JSON: `document_number`, `id_number`, `date_of_birth`,
    /// `expiry_date`, `composite`.
    pub const fn as_str(self) -> &'static str {
        match self {
            CheckDigit::DocumentNumber => "document_number",
            CheckDigit::IdNumber => "id_number",
            CheckDigit::DateOfBirth => "date_of_birth",
            CheckDigit::ExpiryDate => "expiry_date",
            CheckDigit::Composite => "composite",
        }
    }

    /// Where the check digit stands: line and column, 1-based.
    pub const fn position(self) -> (usize, usize) {
        let i = self.index();
        (i / 30 + 1, i % 30 + 1)
    }

    /// The index of the check digit in the 90 characters of the MRZ.
    pub(crate) const fn index(self) -> usize {
        match self {
            CheckDigit::DocumentNumber => 14,
            CheckDigit::IdNumber => 29,
            CheckDigit::DateOfBirth => 36,
            CheckDigit::ExpiryDate => 44,
            CheckDigit::Composite => 59,
        }
    }

    /// The field of the check digit itself, as errors name it.
    pub const fn field(self) -> Field {
        match self {
            CheckDigit::DocumentNumber => Field::DocumentNumberCheckDigit,
            CheckDigit::IdNumber => Field::IdNumberCheckDigit,
            CheckDigit::DateOfBirth => Field::DateOfBirthCheckDigit,
            CheckDigit::ExpiryDate => Field::ExpiryDateCheckDigit,
            CheckDigit::Composite => Field::CompositeCheckDigit,
        }
    }

    /// The ranges of the 90 characters the digit is computed over.
    pub(crate) const fn covers(self) -> &'static [(usize, usize)] {
        match self {
            CheckDigit::DocumentNumber => &[(5, 14)],
            CheckDigit::IdNumber => &[(15, 27)],
            CheckDigit::DateOfBirth => &[(30, 36)],
            CheckDigit::ExpiryDate => &[(38, 44)],
            CheckDigit::Composite => &[(5, 30), (30, 37), (38, 45), (48, 59)],
        }
    }

    /// The check digit `grid` should hold here.
    pub(crate) fn expected(self, grid: &[u8; 90]) -> Option<u8> {
        let mut parts: [&[u8]; 4] = [&[]; 4];
        for (part, &(from, to)) in parts.iter_mut().zip(self.covers()) {
            *part = &grid[from..to];
        }
        compute(&parts)
    }

    /// Whether the check digit `grid` holds is the one its characters give.
    pub(crate) fn holds(self, grid: &[u8; 90]) -> bool {
        self.expected(grid) == Some(grid[self.index()])
    }
}

impl fmt::Display for CheckDigit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icao_specimen_and_format_md_example() {
        // ICAO 9303 part 5's fictitious TD1 specimen.
        assert_eq!(check_digit("D23145890"), Some('7'));
        assert_eq!(check_digit("740812"), Some('2'));
        assert_eq!(check_digit("120415"), Some('9'));
        // FORMAT.md section 4's synthetic example.
        assert_eq!(check_digit("203012345"), Some('0'));
        assert_eq!(check_digit("079203012345"), Some('0'));
        assert_eq!(check_digit("030201"), Some('4'));
        assert_eq!(check_digit("280201"), Some('3'));
        assert_eq!(check_digit(""), Some('0'));
        assert_eq!(check_digit("<"), Some('0'));
        assert_eq!(check_digit("Z"), Some('5')); // 35 × 7 = 245
        assert_eq!(check_digit("a"), None);
        assert_eq!(check_digit("É"), None);
    }

    #[test]
    fn positions() {
        assert_eq!(CheckDigit::DocumentNumber.position(), (1, 15));
        assert_eq!(CheckDigit::IdNumber.position(), (1, 30));
        assert_eq!(CheckDigit::DateOfBirth.position(), (2, 7));
        assert_eq!(CheckDigit::ExpiryDate.position(), (2, 15));
        assert_eq!(CheckDigit::Composite.position(), (2, 30));
    }
}
