//! Defensive BER-TLV as ICAO 9303 files use it: tags of one to three bytes, definite lengths
//! of up to four bytes, every length checked against what is left before it is used, nesting
//! depth bounded by [`MAX_DEPTH`]. No function here panics or indexes out of bounds.

use super::error::{ChipError, ChipErrorKind};
use super::file::ElementaryFile;

/// How deep constructed values may nest (the deepest ICAO structure, DG2's biometric header
/// inside its templates, or DG13's parents entry, is 6 deep).
pub const MAX_DEPTH: usize = 16;
/// The largest file the parsers accept, in bytes (a JPEG 2000 face is some tens of kilobytes;
/// ICAO files cannot be longer than 65 535 bytes with short reads but extended lengths allow
/// more).
pub const MAX_FILE_LEN: usize = 4 * 1024 * 1024;
/// The most elements one constructed value may hold (bounds the work on hostile input).
pub const MAX_ELEMENTS: usize = 4096;

/// One tag-length-value: `tag` as its bytes read big-endian (`0x5F1F`), `offset` the byte
/// offset of the tag in the file, `value` the value bytes.
#[derive(Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub tag: u32,
    pub offset: usize,
    pub value_offset: usize,
    pub value: &'a [u8],
    /// The whole element: tag, length and value.
    #[cfg_attr(not(feature = "chip-pa"), allow(dead_code))]
    pub raw: &'a [u8],
    /// Depth of this element (0 for the file's outer element).
    pub depth: usize,
}

impl<'a> Tlv<'a> {
    /// Whether the tag's constructed bit is set.
    pub fn constructed(&self) -> bool {
        let first = if self.tag > 0xFFFF {
            self.tag >> 16
        } else if self.tag > 0xFF {
            self.tag >> 8
        } else {
            self.tag
        };
        first & 0x20 != 0
    }

    /// The elements inside this one.
    pub fn children(&self, file: ElementaryFile) -> Result<Reader<'a>, ChipError> {
        if self.depth + 1 >= MAX_DEPTH {
            return Err(ChipError::new(file, self.offset, ChipErrorKind::TooDeep));
        }
        Ok(Reader {
            file,
            data: self.value,
            base: self.value_offset,
            pos: 0,
            depth: self.depth + 1,
            count: 0,
        })
    }
}

/// Reads the elements of one level, in order.
pub(crate) struct Reader<'a> {
    file: ElementaryFile,
    data: &'a [u8],
    base: usize,
    pos: usize,
    depth: usize,
    count: usize,
}

impl<'a> Reader<'a> {
    /// A reader over a whole file (depth 0).
    pub fn new(file: ElementaryFile, data: &'a [u8]) -> Result<Reader<'a>, ChipError> {
        if data.len() > MAX_FILE_LEN {
            return Err(ChipError::new(file, MAX_FILE_LEN, ChipErrorKind::TooLarge));
        }
        Ok(Reader {
            file,
            data,
            base: 0,
            pos: 0,
            depth: 0,
            count: 0,
        })
    }

    /// The absolute offset of the next element (or of the end of this level).
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Whether every element has been read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn err(&self, at: usize, kind: ChipErrorKind) -> ChipError {
        ChipError::new(self.file, self.base + at, kind)
    }

    /// The next element, or `None` at the end of this level.
    pub fn next_tlv(&mut self) -> Result<Option<Tlv<'a>>, ChipError> {
        if self.is_empty() {
            return Ok(None);
        }
        if self.count >= MAX_ELEMENTS {
            return Err(self.err(self.pos, ChipErrorKind::TooManyElements));
        }
        let start = self.pos;
        let mut pos = start;
        let byte = |p: usize| self.data.get(p).copied();
        // Tag: one byte, or more when its low five bits are all set; bit 8 of each later byte
        // says another follows. At most three bytes (ICAO uses up to two).
        let first = byte(pos).ok_or_else(|| self.err(pos, ChipErrorKind::Truncated))?;
        pos += 1;
        let mut tag = u32::from(first);
        if first & 0x1F == 0x1F {
            let mut n = 0;
            loop {
                let b = byte(pos).ok_or_else(|| self.err(pos, ChipErrorKind::Truncated))?;
                pos += 1;
                n += 1;
                if n > 2 {
                    return Err(self.err(start, ChipErrorKind::BadTag));
                }
                tag = (tag << 8) | u32::from(b);
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        // Length: short form, or 0x81..=0x84 followed by that many bytes. 0x80 (indefinite)
        // is not used by ICAO files and refused.
        let len_at = pos;
        let l0 = byte(pos).ok_or_else(|| self.err(pos, ChipErrorKind::Truncated))?;
        pos += 1;
        let len = if l0 < 0x80 {
            usize::from(l0)
        } else if l0 == 0x80 {
            return Err(self.err(len_at, ChipErrorKind::IndefiniteLength));
        } else {
            let n = usize::from(l0 & 0x7F);
            if n > 4 {
                return Err(self.err(len_at, ChipErrorKind::BadLength));
            }
            let mut len: usize = 0;
            for _ in 0..n {
                let b = byte(pos).ok_or_else(|| self.err(pos, ChipErrorKind::Truncated))?;
                pos += 1;
                len = (len << 8) | usize::from(b);
            }
            len
        };
        let left = self.data.len() - pos;
        if len > left {
            return Err(self.err(len_at, ChipErrorKind::Truncated));
        }
        let value = &self.data[pos..pos + len];
        self.pos = pos + len;
        self.count += 1;
        Ok(Some(Tlv {
            tag,
            offset: self.base + start,
            value_offset: self.base + pos,
            value,
            raw: &self.data[start..pos + len],
            depth: self.depth,
        }))
    }

    /// The next element, which must exist.
    pub fn read(&mut self, what: &'static str) -> Result<Tlv<'a>, ChipError> {
        let at = self.pos;
        self.next_tlv()?
            .ok_or_else(|| self.err(at, ChipErrorKind::Missing(what)))
    }

    /// The next element, which must exist and have this tag.
    pub fn expect(&mut self, tag: u32, what: &'static str) -> Result<Tlv<'a>, ChipError> {
        let tlv = self.read(what)?;
        if tlv.tag != tag {
            return Err(ChipError::new(
                self.file,
                tlv.offset,
                ChipErrorKind::UnexpectedTag {
                    found: tlv.tag,
                    expected: tag,
                },
            ));
        }
        Ok(tlv)
    }

    /// Fails when anything is left on this level.
    pub fn finish(&self) -> Result<(), ChipError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.err(self.pos, ChipErrorKind::TrailingData))
        }
    }
}

/// Reads a whole file as one element with this tag and nothing after it.
pub(crate) fn outer(file: ElementaryFile, data: &[u8], tag: u32) -> Result<Tlv<'_>, ChipError> {
    let mut r = Reader::new(file, data)?;
    let tlv = r.expect(tag, "outer element")?;
    r.finish()?;
    Ok(tlv)
}

/// Walks every element of a file, depth first, checking every length; returns how many
/// elements there are. Used by the fuzz targets and by callers who only want to know whether a
/// file is well-formed BER-TLV.
pub(crate) fn walk(file: ElementaryFile, data: &[u8]) -> Result<usize, ChipError> {
    fn level(r: &mut Reader<'_>, file: ElementaryFile, total: &mut usize) -> Result<(), ChipError> {
        while let Some(t) = r.next_tlv()? {
            *total += 1;
            if *total > MAX_ELEMENTS {
                return Err(ChipError::new(
                    file,
                    t.offset,
                    ChipErrorKind::TooManyElements,
                ));
            }
            if t.constructed() {
                let mut c = t.children(file)?;
                level(&mut c, file, total)?;
            }
        }
        Ok(())
    }
    let mut r = Reader::new(file, data)?;
    let mut total = 0;
    level(&mut r, file, &mut total)?;
    Ok(total)
}

/// Reads a non-negative INTEGER (DER, at most 4 value bytes).
pub(crate) fn small_uint(file: ElementaryFile, t: &Tlv<'_>) -> Result<u32, ChipError> {
    let v = t.value;
    if v.is_empty() || v.len() > 5 || v[0] & 0x80 != 0 || (v.len() == 5 && v[0] != 0) {
        return Err(ChipError::new(
            file,
            t.value_offset,
            ChipErrorKind::BadValue("integer out of range"),
        ));
    }
    Ok(v.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: ElementaryFile = ElementaryFile::Dg13;

    #[test]
    fn short_long_and_multibyte_tags() {
        let data = [0x5F, 0x1F, 0x81, 0x02, b'a', b'b', 0x04, 0x00];
        let mut r = Reader::new(F, &data).unwrap();
        let t = r.next_tlv().unwrap().unwrap();
        assert_eq!(
            (t.tag, t.offset, t.value_offset, t.value),
            (0x5F1F, 0, 4, &b"ab"[..])
        );
        let t = r.next_tlv().unwrap().unwrap();
        assert_eq!((t.tag, t.offset, t.value.len()), (0x04, 6, 0));
        assert!(r.next_tlv().unwrap().is_none());
    }

    #[test]
    fn lengths_checked() {
        for (data, code, offset) in [
            (&[0x04, 0x05, 1, 2][..], "truncated", 1),
            (&[0x04, 0x80, 0, 0][..], "indefinite_length", 1),
            (&[0x04, 0x85, 0, 0, 0, 0, 1][..], "bad_length", 1),
            (&[0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF][..], "truncated", 1),
            (&[0x5F][..], "truncated", 1),
            (&[0x5F, 0x81, 0x81, 0x01, 0x00][..], "bad_tag", 0),
        ] {
            let e = walk(F, data).unwrap_err();
            assert_eq!((e.code(), e.offset()), (code, offset), "{data:02x?}");
        }
    }
}
