//! The one error type of the chip parsers.

use std::fmt;

use super::file::ElementaryFile;

/// What went wrong in a chip file. [`code`](ChipErrorKind::code) is stable.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChipErrorKind {
    /// A tag, length or value runs past the end of its file or of its enclosing element.
    Truncated,
    /// A length in the indefinite form (`0x80`), which ICAO files do not use.
    IndefiniteLength,
    /// A length of more than four bytes.
    BadLength,
    /// A tag of more than three bytes.
    BadTag,
    /// Constructed values nested deeper than [`MAX_DEPTH`](crate::MAX_DEPTH).
    TooDeep,
    /// A file longer than [`MAX_FILE_LEN`](crate::MAX_FILE_LEN).
    TooLarge,
    /// More than [`MAX_ELEMENTS`](crate::MAX_ELEMENTS) elements.
    TooManyElements,
    /// An element with another tag than the structure requires.
    UnexpectedTag {
        /// The tag found (its bytes, big-endian).
        found: u32,
        /// The tag required.
        expected: u32,
    },
    /// Bytes after the last element the structure holds.
    TrailingData,
    /// A required element is absent (names the element).
    Missing(&'static str),
    /// An element whose value is not what the structure requires (says why).
    BadValue(&'static str),
    /// The file could not be read from disk.
    Unreadable(std::io::ErrorKind),
    /// A folder without any chip file in it.
    NoFiles,
}

impl ChipErrorKind {
    /// The stable code: `truncated`, `indefinite_length`, `bad_length`, `bad_tag`, `too_deep`,
    /// `too_large`, `too_many_elements`, `unexpected_tag`, `trailing_data`, `missing_element`,
    /// `bad_value`, `unreadable`, `no_files`.
    pub const fn code(&self) -> &'static str {
        match self {
            ChipErrorKind::Truncated => "truncated",
            ChipErrorKind::IndefiniteLength => "indefinite_length",
            ChipErrorKind::BadLength => "bad_length",
            ChipErrorKind::BadTag => "bad_tag",
            ChipErrorKind::TooDeep => "too_deep",
            ChipErrorKind::TooLarge => "too_large",
            ChipErrorKind::TooManyElements => "too_many_elements",
            ChipErrorKind::UnexpectedTag { .. } => "unexpected_tag",
            ChipErrorKind::TrailingData => "trailing_data",
            ChipErrorKind::Missing(_) => "missing_element",
            ChipErrorKind::BadValue(_) => "bad_value",
            ChipErrorKind::Unreadable(_) => "unreadable",
            ChipErrorKind::NoFiles => "no_files",
        }
    }
}

impl fmt::Display for ChipErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChipErrorKind::Truncated => f.write_str("length runs past the end"),
            ChipErrorKind::IndefiniteLength => f.write_str("indefinite length"),
            ChipErrorKind::BadLength => f.write_str("length of more than four bytes"),
            ChipErrorKind::BadTag => f.write_str("tag of more than three bytes"),
            ChipErrorKind::TooDeep => write!(f, "nested deeper than {}", super::tlv::MAX_DEPTH),
            ChipErrorKind::TooLarge => {
                write!(f, "file longer than {} bytes", super::tlv::MAX_FILE_LEN)
            }
            ChipErrorKind::TooManyElements => {
                write!(f, "more than {} elements", super::tlv::MAX_ELEMENTS)
            }
            ChipErrorKind::UnexpectedTag { found, expected } => {
                write!(f, "unexpected tag {found:#04x}, expected {expected:#04x}")
            }
            ChipErrorKind::TrailingData => f.write_str("trailing data"),
            ChipErrorKind::Missing(what) => write!(f, "missing {what}"),
            ChipErrorKind::BadValue(why) => write!(f, "bad value: {why}"),
            ChipErrorKind::Unreadable(kind) => write!(f, "cannot read the file: {kind}"),
            ChipErrorKind::NoFiles => f.write_str("no chip file found"),
        }
    }
}

/// An error in a chip file: which file, at which byte offset, and what. Never holds any of the
/// file's contents.
///
/// ```
/// use cccd::{Chip, ElementaryFile};
/// let mut chip = Chip::new();
/// chip.insert(ElementaryFile::Dg13, vec![0x6D, 0x05, 0x30]);
/// let err = chip.dg13().unwrap().unwrap_err();
/// assert_eq!(err.code(), "truncated");
/// assert_eq!(err.to_string(), "dg13: length runs past the end at byte 1");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChipError {
    file: ElementaryFile,
    offset: usize,
    kind: ChipErrorKind,
}

impl ChipError {
    pub(crate) fn new(file: ElementaryFile, offset: usize, kind: ChipErrorKind) -> ChipError {
        ChipError { file, offset, kind }
    }

    /// The file the error is in.
    pub const fn file(&self) -> ElementaryFile {
        self.file
    }

    /// The byte offset in the file (of the tag, length or value at fault).
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// What went wrong.
    pub const fn kind(&self) -> &ChipErrorKind {
        &self.kind
    }

    /// The stable code of [`kind`](Self::kind).
    pub const fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl fmt::Display for ChipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} at byte {}", self.file, self.kind, self.offset)
    }
}

impl std::error::Error for ChipError {}
