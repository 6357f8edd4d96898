//! Text checks and repairs: control characters, NFC, byte-order marks, line endings,
//! whitespace and mojibake (UTF-8 read in the wrong charset).

use std::borrow::Cow;
use std::fmt;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// A repair the lenient parser applied to the input. Every repair is reported to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Repair {
    /// A leading byte-order mark (U+FEFF) was removed.
    BomRemoved,
    /// Whitespace around the payload was removed.
    WhitespaceTrimmed,
    /// A trailing CR, LF or CR LF was removed.
    LineEndingRemoved,
    /// Decomposed (NFD) text was normalised to NFC.
    NfcNormalized,
    /// UTF-8 bytes had been decoded as Latin-1 (ISO-8859-1); re-encoded and decoded as UTF-8.
    MojibakeLatin1,
    /// UTF-8 bytes had been decoded as Windows-1252; re-encoded and decoded as UTF-8.
    MojibakeCp1252,
    /// UTF-8 bytes had been decoded as Shift-JIS; re-encoded and decoded as UTF-8.
    MojibakeShiftJis,
    /// UTF-8 bytes had been decoded as Big5; re-encoded and decoded as UTF-8.
    MojibakeBig5,
    /// The input bytes were not UTF-8 but Windows-1258 (the Vietnamese Windows code page),
    /// and were decoded as such (raw-byte input only).
    LegacyCp1258,
}

impl Repair {
    /// The code as used in JSON: `bom_removed`, `whitespace_trimmed`, `line_ending_removed`,
    /// `nfc_normalized`, `mojibake_latin1`, `mojibake_cp1252`, `mojibake_shift_jis`,
    /// `mojibake_big5`, `legacy_cp1258`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Repair::BomRemoved => "bom_removed",
            Repair::WhitespaceTrimmed => "whitespace_trimmed",
            Repair::LineEndingRemoved => "line_ending_removed",
            Repair::NfcNormalized => "nfc_normalized",
            Repair::MojibakeLatin1 => "mojibake_latin1",
            Repair::MojibakeCp1252 => "mojibake_cp1252",
            Repair::MojibakeShiftJis => "mojibake_shift_jis",
            Repair::MojibakeBig5 => "mojibake_big5",
            Repair::LegacyCp1258 => "legacy_cp1258",
        }
    }

    /// The old name of [`Repair::as_str`].
    #[deprecated(since = "0.2.0", note = "use `as_str`, as every other code enum")]
    pub const fn code(self) -> &'static str {
        self.as_str()
    }

    /// Every repair, in the order the lenient parser tries them.
    pub const ALL: [Repair; 9] = [
        Repair::BomRemoved,
        Repair::LineEndingRemoved,
        Repair::WhitespaceTrimmed,
        Repair::LegacyCp1258,
        Repair::MojibakeLatin1,
        Repair::MojibakeCp1252,
        Repair::MojibakeShiftJis,
        Repair::MojibakeBig5,
        Repair::NfcNormalized,
    ];
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Repair {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What a scan of a text field found.
pub(crate) enum TextScan {
    /// No control character, and the text is certainly NFC.
    Clean,
    /// No control character, but the text may not be NFC (needs the full check).
    MaybeNotNfc,
    /// A control character (C0, DEL or C1) at this byte offset.
    Control(usize, char),
}

/// One pass over the bytes of a field: control characters (C0, DEL, C1) and a quick
/// filter for text that might not be NFC. Every character below U+0300 and every character
/// of Latin Extended Additional (U+1E00–U+1EFF, the precomposed Vietnamese letters) is NFC
/// on its own, so only other characters send the field to the full NFC check.
pub(crate) fn scan_text(s: &str) -> TextScan {
    let b = s.as_bytes();
    let mut maybe = false;
    for (i, &c) in b.iter().enumerate() {
        let next = b.get(i + 1).copied().unwrap_or(0);
        if !needs_look(c, next) {
            continue;
        }
        if c < 0x20 || c == 0x7f {
            return TextScan::Control(i, char::from(c));
        }
        if c == 0xc2 && next < 0xa0 {
            return TextScan::Control(
                i,
                char::from_u32(u32::from(next & 0x3f) | 0x80).unwrap_or('\u{80}'),
            );
        }
        maybe |= c != 0xc2;
    }
    if maybe {
        TextScan::MaybeNotNfc
    } else {
        TextScan::Clean
    }
}

/// The clean-byte rule, byte `c` followed by `next`: whether it needs a closer look — a C0
/// control or DEL, the lead byte `0xC2` (C1 controls and U+00A0–U+00BF), or a lead byte of a
/// character at or above U+0300 outside Latin Extended Additional (U+1E00–U+1EFF, the
/// precomposed Vietnamese letters, lead byte `0xE1` then `0xB8`–`0xBB`). Text with no such
/// byte is NFC and free of controls. The payload prescan applies the same rule 16 bytes at
/// a time (its test checks it against this function).
pub(crate) const fn needs_look(c: u8, next: u8) -> bool {
    c < 0x20
        || c == 0x7f
        || c == 0xc2
        || (c >= 0xcc && !(c == 0xe1 && next >= 0xb8 && next <= 0xbb))
}

/// Whether `s` is in NFC (full check; call after [`scan_text`] said it may not be).
pub(crate) fn is_nfc(s: &str) -> bool {
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => true,
        IsNormalized::No => false,
        IsNormalized::Maybe => s.chars().eq(s.nfc()),
    }
}

/// `s` in NFC.
pub(crate) fn to_nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Characters a card payload is made of: printable ASCII, Latin letters (with or without
/// precomposed diacritics, including all Vietnamese letters) and combining diacritics.
/// Anything else (C1 controls, symbols from U+0080–U+00BF, katakana, CJK ideographs, …) in a
/// payload suggests mojibake.
pub(crate) fn is_plausible(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{c0}'..='\u{24f}'
        | '\u{300}'..='\u{36f}'
        | '\u{1e00}'..='\u{1eff}')
        && c != '×'
        && c != '÷'
}

const BOM: char = '\u{feff}';

/// Removes a leading BOM, trailing line endings and surrounding whitespace, reporting each.
/// Returns the trimmed text and its byte offset in `s`.
pub(crate) fn trim<'a>(s: &'a str, repairs: &mut Vec<Repair>) -> (&'a str, usize) {
    let mut t = s;
    if let Some(rest) = t.strip_prefix(BOM) {
        repairs.push(Repair::BomRemoved);
        t = rest;
    }
    let without_eol = t.trim_end_matches(['\r', '\n']);
    if without_eol.len() != t.len() {
        repairs.push(Repair::LineEndingRemoved);
        t = without_eol;
    }
    let trimmed = t.trim_matches(|c: char| c.is_whitespace() || c == BOM);
    if trimmed.len() != t.len() {
        repairs.push(Repair::WhitespaceTrimmed);
    }
    let start = trimmed.as_ptr() as usize - s.as_ptr() as usize;
    (trimmed, start)
}

/// The text `s` turned back into the bytes it was decoded from, if `s` looks like UTF-8 bytes
/// decoded as `repair`'s charset, decoded again as UTF-8. `None` when `s` cannot be encoded in
/// that charset or the bytes are not UTF-8.
pub(crate) fn undo_mojibake(s: &str, repair: Repair) -> Option<String> {
    let bytes: Cow<'_, [u8]> = match repair {
        Repair::MojibakeLatin1 => s
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect::<Option<Vec<u8>>>()?
            .into(),
        Repair::MojibakeCp1252 => encode(s, encoding_rs::WINDOWS_1252)?,
        // UTF-8 lead bytes read as Shift-JIS or Big5 become halfwidth katakana or CJK
        // characters (U+3000 and up), so text without any cannot be such mojibake; the
        // encoders are slow on text they cannot map, so skip it.
        Repair::MojibakeShiftJis | Repair::MojibakeBig5 if !s.chars().any(|c| c >= '\u{3000}') => {
            return None
        }
        Repair::MojibakeShiftJis => encode(s, encoding_rs::SHIFT_JIS)?,
        Repair::MojibakeBig5 => encode(s, encoding_rs::BIG5)?,
        _ => return None,
    };
    String::from_utf8(bytes.into_owned()).ok()
}

fn encode<'a>(s: &'a str, enc: &'static encoding_rs::Encoding) -> Option<Cow<'a, [u8]>> {
    let (bytes, _, unmappable) = enc.encode(s);
    (!unmappable).then_some(bytes)
}

/// `bytes` decoded as Windows-1258, if every byte maps.
pub(crate) fn decode_cp1258(bytes: &[u8]) -> Option<String> {
    encoding_rs::WINDOWS_1258
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(Cow::into_owned)
}

/// Folds text to upper-case ASCII the way bank systems, the MRZ and ASCII-only forms write
/// Vietnamese names: every diacritic removed (tone marks, circumflex, breve, horn), `Đ`/`đ`
/// mapped to `D`/`d`, everything upper-cased.
///
/// Borrows when `s` is already upper-case ASCII. Characters outside Vietnamese that have no
/// decomposition into a base letter and marks (e.g. `ß`, CJK) are upper-cased where Unicode
/// can and otherwise kept, so the result is ASCII for Vietnamese and Latin text only.
///
/// ```
/// assert_eq!(cccd::fold_ascii("Đặng Thị Hồng Nhung"), "DANG THI HONG NHUNG");
/// assert_eq!(cccd::fold_ascii("Nguyễn Văn Ánh"), "NGUYEN VAN ANH");
/// assert!(matches!(cccd::fold_ascii("LE ANH"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn fold_ascii(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| !b.is_ascii() || b.is_ascii_lowercase()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            'Đ' | 'đ' => out.push('D'),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c => out.extend(c.to_uppercase()),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_controls_and_nfd() {
        assert!(matches!(scan_text("Nguyễn Văn Ánh"), TextScan::Clean));
        assert!(matches!(
            scan_text("Nu\u{31b}\u{303}"),
            TextScan::MaybeNotNfc
        ));
        assert!(matches!(scan_text("a\tb"), TextScan::Control(1, '\t')));
        assert!(matches!(
            scan_text("ab\u{7f}"),
            TextScan::Control(2, '\u{7f}')
        ));
        assert!(matches!(
            scan_text("Nguy\u{e1}\u{bb}\u{85}n"),
            TextScan::Control(8, '\u{85}')
        ));
        assert!(matches!(scan_text("\u{a0}"), TextScan::Clean));
    }

    #[test]
    fn undo_each_mojibake() {
        let original = "Nguyễn Văn Đức, Hà Nội";
        let latin1: String = original.bytes().map(char::from).collect();
        assert_eq!(
            undo_mojibake(&latin1, Repair::MojibakeLatin1).as_deref(),
            Some(original)
        );
        for (repair, enc) in [
            (Repair::MojibakeCp1252, encoding_rs::WINDOWS_1252),
            (Repair::MojibakeShiftJis, encoding_rs::SHIFT_JIS),
            (Repair::MojibakeBig5, encoding_rs::BIG5),
        ] {
            let (garbled, _) = enc.decode_without_bom_handling(original.as_bytes());
            let back = undo_mojibake(&garbled, repair);
            // Not every byte string survives a Shift-JIS or Big5 round trip; when it does,
            // it must give back the original.
            if let Some(back) = back {
                assert_eq!(back, original, "{repair}");
            } else {
                assert!(repair != Repair::MojibakeCp1252);
            }
        }
    }
}
