//! DG1: the MRZ as stored on the chip.

use std::fmt;

use super::error::{ChipError, ChipErrorKind};
use super::file::ElementaryFile;
use super::tlv;

const F: ElementaryFile = ElementaryFile::Dg1;

/// DG1 (tag `0x61`): the machine-readable zone (`5F1F`), kept as its raw characters. On a
/// Vietnamese card it is a TD1 MRZ, three lines of 30 characters without line breaks.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Dg1 {
    mrz: String,
}

impl Dg1 {
    /// Parses DG1.
    ///
    /// # Errors
    /// A [`ChipError`] naming `dg1` when the file is not `61 { 5F1F mrz }` or the MRZ holds
    /// anything but the MRZ characters (`A`–`Z`, `0`–`9`, `<`).
    pub fn parse(data: &[u8]) -> Result<Dg1, ChipError> {
        let outer = tlv::outer(F, data, 0x61)?;
        let mut r = outer.children(F)?;
        let t = r.expect(0x5F1F, "MRZ (5F1F)")?;
        r.finish()?;
        if let Some(i) = t
            .value
            .iter()
            .position(|&b| !(b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'<'))
        {
            return Err(ChipError::new(
                F,
                t.value_offset + i,
                ChipErrorKind::BadValue("not an MRZ character"),
            ));
        }
        if t.value.is_empty() {
            return Err(ChipError::new(
                F,
                t.value_offset,
                ChipErrorKind::BadValue("empty MRZ"),
            ));
        }
        Ok(Dg1 {
            mrz: t.value.iter().map(|&b| char::from(b)).collect(),
        })
    }

    /// The MRZ as stored: 90 characters for a TD1 card (88 for a passport's TD3), no line
    /// breaks.
    pub fn mrz(&self) -> &str {
        &self.mrz
    }

    /// The MRZ cut into its lines: three of 30 for TD1 (90 characters), two of 36 or 44 for
    /// TD2/TD3, otherwise one line, the whole MRZ.
    pub fn mrz_lines(&self) -> Vec<&str> {
        let width = match self.mrz.len() {
            90 => 30,
            72 => 36,
            88 => 44,
            n => n.max(1),
        };
        // ASCII only, so byte chunks are char boundaries.
        self.mrz
            .as_bytes()
            .chunks(width)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect()
    }

    /// The MRZ read by the MRZ parser ([`crate::mrz::parse`], strict: every check digit must
    /// match).
    ///
    /// # Errors
    /// The MRZ parser's [`Error`](crate::mrz::Error) (line and column in the three-line
    /// layout) when the MRZ is not a valid Vietnamese TD1 MRZ.
    pub fn parse_mrz(&self) -> Result<crate::mrz::Mrz, crate::mrz::Error> {
        crate::mrz::parse(&self.mrz)
    }

    /// The MRZ lines joined by `\n`, as printed on the card.
    pub fn mrz_text(&self) -> String {
        self.mrz_lines().join("\n")
    }
}

impl fmt::Debug for Dg1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dg1")
            .field("mrz", &format_args!("<redacted, {} chars>", self.mrz.len()))
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Dg1 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Dg1", 1)?;
        st.serialize_field("mrz", &self.mrz_lines())?;
        st.end()
    }
}
