//! DG2: the holder's face, as an ISO/IEC 19794-5 facial record inside the ICAO biometric
//! templates. The image is located, never decoded.

use std::fmt;

use super::error::{ChipError, ChipErrorKind};
use super::file::ElementaryFile;
use super::tlv::{self, Tlv};

const F: ElementaryFile = ElementaryFile::Dg2;
/// The most faces one DG2 may hold before the parser refuses it.
const MAX_FACES: usize = 16;

/// How a face image is encoded, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum ImageFormat {
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// JPEG 2000, as a JP2 file or a bare codestream (`FF 4F FF 51`).
    Jpeg2000,
    /// Neither: the bytes are kept as they are.
    Unknown,
}

impl ImageFormat {
    /// The format of an image from its first bytes.
    pub fn sniff(bytes: &[u8]) -> ImageFormat {
        const JP2: [u8; 12] = [
            0, 0, 0, 0x0C, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A,
        ];
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            ImageFormat::Jpeg
        } else if bytes.starts_with(&JP2) || bytes.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
            ImageFormat::Jpeg2000
        } else {
            ImageFormat::Unknown
        }
    }

    /// `jpeg`, `jpeg2000` or `unknown`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpeg",
            ImageFormat::Jpeg2000 => "jpeg2000",
            ImageFormat::Unknown => "unknown",
        }
    }

    /// The usual file extension: `jpg`, `jp2` or `bin`.
    pub const fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Jpeg2000 => "jp2",
            ImageFormat::Unknown => "bin",
        }
    }
}

/// One face image from DG2. `Debug` and serde show its format, size and length, never its
/// bytes; [`image`](Self::image) gives them.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Face {
    format: ImageFormat,
    declared_type: u8,
    width: u16,
    height: u16,
    image: Vec<u8>,
}

impl Face {
    /// The image's encoding, from its first bytes.
    pub const fn format(&self) -> ImageFormat {
        self.format
    }

    /// The image data type the facial record declares (0 JPEG, 1 JPEG 2000).
    pub const fn declared_type(&self) -> u8 {
        self.declared_type
    }

    /// Width in pixels, as the facial record declares it.
    pub const fn width(&self) -> u16 {
        self.width
    }

    /// Height in pixels, as the facial record declares it.
    pub const fn height(&self) -> u16 {
        self.height
    }

    /// The encoded image bytes (personal data: the holder's photograph).
    pub fn image(&self) -> &[u8] {
        &self.image
    }
}

impl fmt::Debug for Face {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Face")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("len", &self.image.len())
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Face {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Face", 4)?;
        st.serialize_field("format", &self.format)?;
        st.serialize_field("width", &self.width)?;
        st.serialize_field("height", &self.height)?;
        st.serialize_field("len", &self.image.len())?;
        st.end()
    }
}

/// DG2 (tag `0x75`): the biometric information group template (`7F61`) holding one or more
/// biometric information templates (`7F60`), each a header (`A1`) and a data block (`5F2E` or
/// `7F2E`) with an ISO/IEC 19794-5 facial record.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg2 {
    faces: Vec<Face>,
}

impl Dg2 {
    /// Parses DG2.
    ///
    /// # Errors
    /// A [`ChipError`] naming `dg2` and the offset when the templates or the facial record are
    /// malformed (lengths that disagree, a record that is not `FAC`), or when no face is there.
    pub fn parse(data: &[u8]) -> Result<Dg2, ChipError> {
        let outer = tlv::outer(F, data, 0x75)?;
        let mut r = outer.children(F)?;
        let group = r.expect(0x7F61, "biometric information group template (7F61)")?;
        let mut g = group.children(F)?;
        let count = g.expect(0x02, "number of instances (02)")?;
        let declared = tlv::small_uint(F, &count)?;
        let mut faces = Vec::new();
        while let Some(t) = g.next_tlv()? {
            if t.tag != 0x7F60 {
                continue;
            }
            if faces.len() >= MAX_FACES {
                return Err(ChipError::new(F, t.offset, ChipErrorKind::TooManyElements));
            }
            let mut b = t.children(F)?;
            let mut block = None;
            while let Some(e) = b.next_tlv()? {
                if e.tag == 0x5F2E || e.tag == 0x7F2E {
                    block = Some(e);
                }
            }
            let block = block.ok_or_else(|| {
                ChipError::new(
                    F,
                    t.offset,
                    ChipErrorKind::Missing("biometric data block (5F2E)"),
                )
            })?;
            faces.extend(facial_record(&block)?);
        }
        if faces.is_empty() {
            return Err(ChipError::new(
                F,
                group.offset,
                ChipErrorKind::Missing("face image"),
            ));
        }
        if usize::try_from(declared).ok() != Some(faces.len()) && declared != 0 {
            // The count is informative only; a disagreement is not worth refusing the face.
        }
        Ok(Dg2 { faces })
    }

    /// The first face (the one a card holds).
    pub fn face(&self) -> &Face {
        // `parse` refuses a DG2 without a face.
        &self.faces[0]
    }

    /// Every face, in file order.
    pub fn faces(&self) -> &[Face] {
        &self.faces
    }
}

/// Reads the facial record (ISO/IEC 19794-5:2005, `FAC\0` `010\0`) in a biometric data block.
fn facial_record(block: &Tlv<'_>) -> Result<Vec<Face>, ChipError> {
    let d = block.value;
    let base = block.value_offset;
    let bad =
        |at: usize, why: &'static str| ChipError::new(F, base + at, ChipErrorKind::BadValue(why));
    let get = |at: usize, n: usize| -> Result<&[u8], ChipError> {
        d.get(at..at.saturating_add(n))
            .ok_or_else(|| ChipError::new(F, base + at.min(d.len()), ChipErrorKind::Truncated))
    };
    let be = |b: &[u8]| b.iter().fold(0usize, |a, &x| (a << 8) | usize::from(x));
    if get(0, 4)? != b"FAC\0" {
        return Err(bad(0, "facial record does not start with FAC"));
    }
    if get(4, 4)? != b"010\0" {
        return Err(bad(4, "facial record version other than 010"));
    }
    let record_len = be(get(8, 4)?);
    if record_len != d.len() {
        return Err(bad(8, "facial record length disagrees with its block"));
    }
    let count = be(get(12, 2)?);
    if count == 0 || count > MAX_FACES {
        return Err(bad(12, "number of facial images out of range"));
    }
    let mut faces = Vec::with_capacity(count);
    let mut at = 14;
    for _ in 0..count {
        let start = at;
        let len = be(get(at, 4)?);
        let points = be(get(at + 4, 2)?);
        // 20 bytes of facial information, 8 per feature point, 12 of image information.
        let header = 20 + 8 * points + 12;
        if len < header {
            return Err(bad(start, "facial record block shorter than its headers"));
        }
        let info = start + 20 + 8 * points;
        let image_info = get(info, 12)?;
        let declared_type = image_info[1];
        let width = u16::from_be_bytes([image_info[2], image_info[3]]);
        let height = u16::from_be_bytes([image_info[4], image_info[5]]);
        let image = get(info + 12, len - header)?;
        faces.push(Face {
            format: ImageFormat::sniff(image),
            declared_type,
            width,
            height,
            image: image.to_vec(),
        });
        at = start + len;
    }
    if at != d.len() {
        return Err(bad(at, "bytes after the last facial image"));
    }
    Ok(faces)
}
