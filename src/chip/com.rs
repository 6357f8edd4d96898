//! EF.COM: the LDS version and the list of data groups present.

use super::error::{ChipError, ChipErrorKind};
use super::file::ElementaryFile;
use super::tlv;

const F: ElementaryFile = ElementaryFile::Com;

/// EF.COM (tag `0x60`): LDS version (`5F01`), Unicode version (`5F36`) and the tags of the
/// data groups present (`5C`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Com {
    lds_version: String,
    unicode_version: String,
    data_groups: Vec<ElementaryFile>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    unknown_tags: Vec<u8>,
}

impl Com {
    /// Parses EF.COM.
    ///
    /// # Errors
    /// A [`ChipError`] naming `com` and the offset when the file is not the structure above
    /// (an unknown tag in the list is kept, see [`unknown_tags`](Self::unknown_tags)).
    pub fn parse(data: &[u8]) -> Result<Com, ChipError> {
        let outer = tlv::outer(F, data, 0x60)?;
        let mut r = outer.children(F)?;
        let mut lds = None;
        let mut unicode = None;
        let mut list = None;
        while let Some(t) = r.next_tlv()? {
            match t.tag {
                0x5F01 => lds = Some(ascii(&t, "LDS version is not ASCII digits")?),
                0x5F36 => unicode = Some(ascii(&t, "Unicode version is not ASCII digits")?),
                0x5C => list = Some(t.value),
                _ => {}
            }
        }
        let lds_version = lds.ok_or_else(|| missing(&r, "LDS version (5F01)"))?;
        let unicode_version = unicode.ok_or_else(|| missing(&r, "Unicode version (5F36)"))?;
        let list = list.ok_or_else(|| missing(&r, "data group list (5C)"))?;
        let mut data_groups = Vec::new();
        let mut unknown_tags = Vec::new();
        for &tag in list {
            match ElementaryFile::from_tag(tag) {
                Some(f) if f.data_group().is_some() => data_groups.push(f),
                _ => unknown_tags.push(tag),
            }
        }
        Ok(Com {
            lds_version,
            unicode_version,
            data_groups,
            unknown_tags,
        })
    }

    /// The LDS version as stored (`0107` for 1.7).
    pub fn lds_version(&self) -> &str {
        &self.lds_version
    }

    /// The Unicode version as stored (`040000` for 4.0.0).
    pub fn unicode_version(&self) -> &str {
        &self.unicode_version
    }

    /// The data groups the list names, in its order.
    pub fn data_groups(&self) -> &[ElementaryFile] {
        &self.data_groups
    }

    /// Tags in the list that name no data group (kept, not an error).
    pub fn unknown_tags(&self) -> &[u8] {
        &self.unknown_tags
    }
}

fn missing(r: &tlv::Reader<'_>, what: &'static str) -> ChipError {
    ChipError::new(F, r.offset(), ChipErrorKind::Missing(what))
}

fn ascii(t: &tlv::Tlv<'_>, why: &'static str) -> Result<String, ChipError> {
    if t.value.iter().all(u8::is_ascii_digit) {
        Ok(t.value.iter().map(|&b| char::from(b)).collect())
    } else {
        Err(ChipError::new(
            F,
            t.value_offset,
            ChipErrorKind::BadValue(why),
        ))
    }
}
