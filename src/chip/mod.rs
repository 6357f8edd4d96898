//! The chip's files (ICAO 9303 LDS as read by any NFC or PC/SC reader): EF.COM, DG1, DG2,
//! DG13, DG14, DG15, EF.SOD, and passive authentication (feature `chip-pa`).
//!
//! Reading the chip (BAC/PACE, secure messaging) is the reader's job: it hands the files'
//! bytes to a [`Chip`], by file identifier, name or tag, and the parsers here do the rest.

mod check;
mod com;
mod dg1;
mod dg13;
mod dg2;
mod error;
mod file;
#[cfg(feature = "chip-pa")]
mod pa;
pub(crate) mod tlv;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

pub use check::{ChipWarning, ChipWarningCode};
pub use com::Com;
pub use dg1::Dg1;
pub use dg13::{ChipExpiry, Dg13, RawEntry, RawReason, MAX_DG13_ENTRIES};
pub use dg2::{Dg2, Face, ImageFormat};
pub use error::{ChipError, ChipErrorKind};
pub use file::ElementaryFile;
#[cfg(feature = "synth-chip")]
pub(crate) use pa::der_header;
#[cfg(feature = "chip-pa")]
pub use pa::{AnchorError, DgHash, DgHashStatus, PaOutcome, PaReport, TrustAnchors};
pub use tlv::{MAX_DEPTH, MAX_ELEMENTS, MAX_FILE_LEN};

/// The files read from one chip, as bytes, keyed by [`ElementaryFile`]. A reader fills it
/// file by file ([`insert`](Self::insert)); [`from_dir`](Self::from_dir) reads a folder of
/// dumps. Parsing happens on demand ([`com`](Self::com), [`dg13`](Self::dg13), …), and
/// [`verify`](Self::verify) (feature `chip-pa`) runs passive authentication over the files.
///
/// `Debug` lists the files and their lengths, never their contents.
///
/// ```
/// use cccd::{Chip, ElementaryFile};
/// let mut chip = Chip::new();
/// chip.insert(ElementaryFile::from_fid(0x0101).unwrap(), b"\x61\x03\x5F\x1F\x00".to_vec());
/// assert!(chip.get(ElementaryFile::Dg1).is_some());
/// assert_eq!(chip.dg1().unwrap().unwrap_err().code(), "bad_value"); // an empty MRZ
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Chip {
    files: BTreeMap<ElementaryFile, Vec<u8>>,
}

impl Chip {
    /// A chip with no file read yet.
    pub fn new() -> Chip {
        Chip::default()
    }

    /// Adds (or replaces) a file's bytes; returns the bytes it replaces.
    pub fn insert(&mut self, file: ElementaryFile, bytes: Vec<u8>) -> Option<Vec<u8>> {
        self.files.insert(file, bytes)
    }

    /// A chip from `(file, bytes)` pairs.
    pub fn from_files(files: impl IntoIterator<Item = (ElementaryFile, Vec<u8>)>) -> Chip {
        Chip {
            files: files.into_iter().collect(),
        }
    }

    /// Reads a folder of file dumps: `com.bin`, `dg1.bin` … `dg16.bin`, `sod.bin` (any that
    /// exist; other files are ignored).
    ///
    /// # Errors
    /// `unreadable` naming the file when one cannot be read, `too_large` when one is longer
    /// than [`MAX_FILE_LEN`], `no_files` (with file `com`) when the folder holds none.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Chip, ChipError> {
        let dir = dir.as_ref();
        let mut chip = Chip::new();
        for file in ElementaryFile::ALL {
            let path = dir.join(format!("{}.bin", file.name()));
            let f = match std::fs::File::open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(ChipError::new(file, 0, ChipErrorKind::Unreadable(e.kind()))),
            };
            let mut bytes = Vec::new();
            let limit = u64::try_from(MAX_FILE_LEN).unwrap_or(u64::MAX) + 1;
            f.take(limit)
                .read_to_end(&mut bytes)
                .map_err(|e| ChipError::new(file, 0, ChipErrorKind::Unreadable(e.kind())))?;
            if bytes.len() > MAX_FILE_LEN {
                return Err(ChipError::new(file, MAX_FILE_LEN, ChipErrorKind::TooLarge));
            }
            chip.insert(file, bytes);
        }
        if chip.files.is_empty() {
            return Err(ChipError::new(
                ElementaryFile::Com,
                0,
                ChipErrorKind::NoFiles,
            ));
        }
        Ok(chip)
    }

    /// A file's bytes, if read.
    pub fn get(&self, file: ElementaryFile) -> Option<&[u8]> {
        self.files.get(&file).map(Vec::as_slice)
    }

    /// The files read, in the order of [`ElementaryFile::ALL`].
    pub fn files(&self) -> impl Iterator<Item = (ElementaryFile, &[u8])> {
        self.files.iter().map(|(f, b)| (*f, b.as_slice()))
    }

    /// EF.COM, parsed; `None` when not read.
    pub fn com(&self) -> Option<Result<Com, ChipError>> {
        self.get(ElementaryFile::Com).map(Com::parse)
    }

    /// DG1 (the MRZ), parsed; `None` when not read.
    pub fn dg1(&self) -> Option<Result<Dg1, ChipError>> {
        self.get(ElementaryFile::Dg1).map(Dg1::parse)
    }

    /// DG2 (the face), parsed; `None` when not read.
    pub fn dg2(&self) -> Option<Result<Dg2, ChipError>> {
        self.get(ElementaryFile::Dg2).map(Dg2::parse)
    }

    /// DG13 (the Vietnamese record), parsed; `None` when not read.
    pub fn dg13(&self) -> Option<Result<Dg13, ChipError>> {
        self.get(ElementaryFile::Dg13).map(Dg13::parse)
    }

    /// Parses every file this crate reads (EF.COM, DG1, DG2, DG13; DG14, DG15 and the others
    /// kept raw) into one record.
    ///
    /// # Errors
    /// `too_large` when a file (EF.SOD included) is longer than [`MAX_FILE_LEN`]; then the
    /// first [`ChipError`], in the order EF.COM, DG1, DG2, DG13; DG14, DG15 and others are
    /// checked to be one well-formed TLV element with their tag.
    pub fn read(&self) -> Result<ChipRecord, ChipError> {
        // Every file, EF.SOD included, within the size a folder is read with: a chip given
        // in memory gives the same error as the same files in a folder.
        if let Some((file, _)) = self.files().find(|(_, b)| b.len() > MAX_FILE_LEN) {
            return Err(ChipError::new(file, MAX_FILE_LEN, ChipErrorKind::TooLarge));
        }
        let com = self.com().transpose()?;
        let dg1 = self.dg1().transpose()?;
        let dg2 = self.dg2().transpose()?;
        let dg13 = self.dg13().transpose()?;
        for (file, bytes) in self.files() {
            let parsed = matches!(
                file,
                ElementaryFile::Com
                    | ElementaryFile::Dg1
                    | ElementaryFile::Dg2
                    | ElementaryFile::Dg13
                    | ElementaryFile::Sod
            );
            if !parsed {
                let outer = tlv::outer(file, bytes, u32::from(file.tag()))?;
                if outer.constructed() {
                    tlv::walk(file, outer.value)?;
                }
            }
        }
        Ok(ChipRecord {
            com,
            dg1,
            dg2,
            dg13,
            dg14: self.get(ElementaryFile::Dg14).map(<[u8]>::to_vec),
            dg15: self.get(ElementaryFile::Dg15).map(<[u8]>::to_vec),
        })
    }
}

impl fmt::Debug for Chip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.files.iter().map(|(k, v)| (k.name(), v.len())))
            .finish()
    }
}

/// What [`Chip::read`] found: each parsed file, `None` when not read. DG14 (chip
/// authentication keys) and DG15 (active authentication key) are kept raw.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ChipRecord {
    /// EF.COM.
    pub com: Option<Com>,
    /// DG1, the MRZ.
    pub dg1: Option<Dg1>,
    /// DG2, the face.
    pub dg2: Option<Dg2>,
    /// DG13, the Vietnamese record.
    pub dg13: Option<Dg13>,
    /// DG14, raw.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub dg14: Option<Vec<u8>>,
    /// DG15, raw.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub dg15: Option<Vec<u8>>,
}
