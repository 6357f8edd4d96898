//! The chip's elementary files and how readers name them.

use std::fmt;

/// One elementary file of the ICAO 9303 application (LDS 1): EF.COM, EF.SOD and the data
/// groups DG1–DG16. Readers name files by file identifier (`0x0101` for DG1), by short name
/// (`dg1`) or by the tag that opens the file (`0x61`); each converts both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
#[allow(missing_docs)] // the variants are the files' names
pub enum ElementaryFile {
    Com,
    Dg1,
    Dg2,
    Dg3,
    Dg4,
    Dg5,
    Dg6,
    Dg7,
    Dg8,
    Dg9,
    Dg10,
    Dg11,
    Dg12,
    Dg13,
    Dg14,
    Dg15,
    Dg16,
    Sod,
}

/// DG1–DG16, in order: [`ElementaryFile::ALL`] without EF.COM and EF.SOD.
fn data_groups() -> &'static [ElementaryFile] {
    &ElementaryFile::ALL[1..17]
}
/// The tag opening each data group, DG1 first.
const DG_TAGS: [u8; 16] = [
    0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70,
];
const NAMES: [&str; 18] = [
    "com", "dg1", "dg2", "dg3", "dg4", "dg5", "dg6", "dg7", "dg8", "dg9", "dg10", "dg11", "dg12",
    "dg13", "dg14", "dg15", "dg16", "sod",
];

impl ElementaryFile {
    /// Every file, in the order EF.COM, DG1–DG16, EF.SOD.
    pub const ALL: [ElementaryFile; 18] = [
        ElementaryFile::Com,
        ElementaryFile::Dg1,
        ElementaryFile::Dg2,
        ElementaryFile::Dg3,
        ElementaryFile::Dg4,
        ElementaryFile::Dg5,
        ElementaryFile::Dg6,
        ElementaryFile::Dg7,
        ElementaryFile::Dg8,
        ElementaryFile::Dg9,
        ElementaryFile::Dg10,
        ElementaryFile::Dg11,
        ElementaryFile::Dg12,
        ElementaryFile::Dg13,
        ElementaryFile::Dg14,
        ElementaryFile::Dg15,
        ElementaryFile::Dg16,
        ElementaryFile::Sod,
    ];

    fn index(self) -> usize {
        ElementaryFile::ALL
            .iter()
            .position(|&f| f == self)
            .unwrap_or(0)
    }

    /// The short name: `com`, `dg1` … `dg16`, `sod` (also the file name stem
    /// [`Chip::from_dir`](crate::Chip::from_dir) reads: `dg13.bin`).
    pub fn name(self) -> &'static str {
        NAMES[self.index()]
    }

    /// The file for a short name, ASCII case-insensitive, with or without an `ef.` or `ef_`
    /// prefix (`DG13`, `EF.SOD`, `ef_com`).
    pub fn from_name(name: &str) -> Option<ElementaryFile> {
        let lower = name.to_ascii_lowercase();
        let stem = lower
            .strip_prefix("ef.")
            .or_else(|| lower.strip_prefix("ef_"))
            .unwrap_or(&lower);
        NAMES
            .iter()
            .position(|&n| n == stem)
            .map(|i| ElementaryFile::ALL[i])
    }

    /// The data group's number (1–16), `None` for EF.COM and EF.SOD.
    pub fn data_group(self) -> Option<u8> {
        data_groups()
            .iter()
            .position(|&f| f == self)
            .and_then(|i| u8::try_from(i + 1).ok())
    }

    /// The data group with this number (1–16).
    pub fn from_data_group(number: u32) -> Option<ElementaryFile> {
        let i = usize::try_from(number).ok()?.checked_sub(1)?;
        data_groups().get(i).copied()
    }

    /// The file identifier readers select: `0x011E` EF.COM, `0x0101`–`0x0110` DG1–DG16,
    /// `0x011D` EF.SOD.
    pub fn fid(self) -> u16 {
        match self {
            ElementaryFile::Com => 0x011E,
            ElementaryFile::Sod => 0x011D,
            dg => 0x0100 + u16::from(dg.data_group().unwrap_or(0)),
        }
    }

    /// The file with this file identifier.
    pub fn from_fid(fid: u16) -> Option<ElementaryFile> {
        match fid {
            0x011E => Some(ElementaryFile::Com),
            0x011D => Some(ElementaryFile::Sod),
            0x0101..=0x0110 => ElementaryFile::from_data_group(u32::from(fid - 0x0100)),
            _ => None,
        }
    }

    /// The tag that opens the file: `0x60` EF.COM, `0x61` DG1, `0x75` DG2 … `0x6D` DG13 …,
    /// `0x77` EF.SOD.
    pub fn tag(self) -> u8 {
        match self {
            ElementaryFile::Com => 0x60,
            ElementaryFile::Sod => 0x77,
            dg => DG_TAGS[usize::from(dg.data_group().unwrap_or(1)) - 1],
        }
    }

    /// The file opened by this tag (EF.COM lists data groups by these tags).
    pub fn from_tag(tag: u8) -> Option<ElementaryFile> {
        match tag {
            0x60 => Some(ElementaryFile::Com),
            0x77 => Some(ElementaryFile::Sod),
            t => DG_TAGS
                .iter()
                .position(|&d| d == t)
                .and_then(|i| data_groups().get(i).copied()),
        }
    }
}

impl fmt::Display for ElementaryFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ElementaryFile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fids_tags_round_trip() {
        for f in ElementaryFile::ALL {
            assert_eq!(ElementaryFile::from_name(f.name()), Some(f));
            assert_eq!(ElementaryFile::from_fid(f.fid()), Some(f));
            assert_eq!(ElementaryFile::from_tag(f.tag()), Some(f));
        }
        assert_eq!(ElementaryFile::Dg13.fid(), 0x010D);
        assert_eq!(ElementaryFile::Dg13.tag(), 0x6D);
        assert_eq!(ElementaryFile::Dg2.tag(), 0x75);
        assert_eq!(
            ElementaryFile::from_name("EF.SOD"),
            Some(ElementaryFile::Sod)
        );
        assert_eq!(ElementaryFile::from_name("dg17"), None);
        assert_eq!(ElementaryFile::from_data_group(0), None);
    }
}
