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
    /// UTF-8 bytes had been decoded as Big5 (CP950, Big5-HKSCS); re-encoded and decoded as
    /// UTF-8.
    MojibakeBig5,
    /// UTF-8 bytes had been decoded as EUC-KR (CP949); re-encoded and decoded as UTF-8.
    MojibakeEucKr,
    /// UTF-8 bytes had been decoded as GB18030 (GBK); re-encoded and decoded as UTF-8.
    MojibakeGb18030,
    /// The input bytes were not UTF-8 but Windows-1258 (the Vietnamese Windows code page),
    /// and were decoded as such (raw-byte input only).
    LegacyCp1258,
}

impl Repair {
    /// The code as used in JSON: `bom_removed`, `whitespace_trimmed`, `line_ending_removed`,
    /// `nfc_normalized`, `mojibake_latin1`, `mojibake_cp1252`, `mojibake_shift_jis`,
    /// `mojibake_big5`, `mojibake_euc_kr`, `mojibake_gb18030`, `legacy_cp1258`.
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
            Repair::MojibakeEucKr => "mojibake_euc_kr",
            Repair::MojibakeGb18030 => "mojibake_gb18030",
            Repair::LegacyCp1258 => "legacy_cp1258",
        }
    }

    /// The old name of [`Repair::as_str`].
    #[deprecated(since = "0.2.0", note = "use `as_str`, as every other code enum")]
    pub const fn code(self) -> &'static str {
        self.as_str()
    }

    /// Every repair, in the order the lenient parser tries them.
    pub const ALL: [Repair; 11] = [
        Repair::BomRemoved,
        Repair::LineEndingRemoved,
        Repair::WhitespaceTrimmed,
        Repair::LegacyCp1258,
        Repair::MojibakeLatin1,
        Repair::MojibakeCp1252,
        Repair::MojibakeShiftJis,
        Repair::MojibakeBig5,
        Repair::MojibakeEucKr,
        Repair::MojibakeGb18030,
        Repair::NfcNormalized,
    ];

    /// The mojibake repairs, in the order the lenient parser tries them.
    pub(crate) const MOJIBAKE: [Repair; 6] = [
        Repair::MojibakeLatin1,
        Repair::MojibakeCp1252,
        Repair::MojibakeShiftJis,
        Repair::MojibakeBig5,
        Repair::MojibakeEucKr,
        Repair::MojibakeGb18030,
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
#[cfg_attr(not(feature = "synth"), allow(dead_code))]
pub(crate) fn is_plausible(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{c0}'..='\u{24f}'
        | '\u{300}'..='\u{36f}'
        | '\u{1e00}'..='\u{1eff}')
        && c != '×'
        && c != '÷'
}

/// The repertoire of names and addresses, defined here once: every character a card's name or
/// address may hold. Letters: the 26 ASCII letters (F, J, W and Z included: minority and
/// foreign-origin names use them) and the Vietnamese vowels with each of the five tone marks,
/// and `Đ`/`đ`, precomposed (NFC), as listed in [`VIETNAMESE_LETTERS`]; the ASCII digits; the
/// space; and the punctuation addresses are written with, [`PUNCTUATION`]. Everything else
/// (other Latin letters such as `ß` or `Ø`, symbols such as `=`, `@`, `"`, `<`, emoji, CJK,
/// control and format characters, U+FFFD) is not Vietnamese card text.
pub const VIETNAMESE_LETTERS: &str = "\
    aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ uùúủũụ ưừứửữự yỳýỷỹỵ đ \
    AÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ EÈÉẺẼẸ ÊỀẾỂỄỆ IÌÍỈĨỊ OÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ UÙÚỦŨỤ ƯỪỨỬỮỰ YỲÝỶỸỴ Đ \
    bcdfghjklmnpqrstvwxz BCDFGHJKLMNPQRSTVWXZ";

/// The punctuation of the repertoire: what addresses are written with (`Số 12/3`, `P. 101`,
/// `Lô A-12`, `Tổ 5, Khu phố 2`, `Km 10+500`, `(cũ)`, `Ấp 3: Bình Lợi`, `Kon Tum; Gia Lai`,
/// `Đăk R'Lấp`).
pub const PUNCTUATION: &str = ",./-()':;+";

/// The ASCII part of the repertoire as a 128-bit set (bit `b` set when byte `b` is allowed),
/// derived from [`VIETNAMESE_LETTERS`] and [`PUNCTUATION`], plus digits and the space.
const ASCII_SET: u128 = {
    let mut set: u128 = 1 << b' ';
    let mut d = b'0';
    while d <= b'9' {
        set |= 1 << d;
        d += 1;
    }
    let mut i = 0;
    let p = PUNCTUATION.as_bytes();
    while i < p.len() {
        set |= 1 << p[i];
        i += 1;
    }
    let l = VIETNAMESE_LETTERS.as_bytes();
    let mut i = 0;
    while i < l.len() {
        if l[i] < 0x80 && l[i] != b' ' {
            set |= 1 << l[i];
        }
        i += 1;
    }
    set
};

/// The letters of [`VIETNAMESE_LETTERS`] between U+00C0 and U+01BF, as a 256-bit set; the
/// rest of its non-ASCII letters are exactly U+1EA0–U+1EF9 (checked by a test).
const LOW_SET: [u64; 4] = {
    let b = VIETNAMESE_LETTERS.as_bytes();
    let mut set = [0u64; 4];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            i += 1;
        } else if c < 0xe0 {
            let cp = ((c as u32 & 0x1f) << 6) | (b[i + 1] as u32 & 0x3f);
            assert!(cp >= 0xc0 && cp < 0x1c0);
            let k = (cp - 0xc0) as usize;
            set[k / 64] |= 1 << (k % 64);
            i += 2;
        } else {
            let cp = ((c as u32 & 0x0f) << 12)
                | ((b[i + 1] as u32 & 0x3f) << 6)
                | (b[i + 2] as u32 & 0x3f);
            assert!(cp >= 0x1ea0 && cp <= 0x1ef9);
            i += 3;
        }
    }
    set
};

/// Whether ASCII byte `b` is in the repertoire (the payload prescan tests the same set 16
/// bytes at a time; its test checks it against this function).
pub(crate) const fn ascii_allowed(b: u8) -> bool {
    b < 0x80 && ASCII_SET & (1 << b) != 0
}

/// Whether `c` is in the repertoire of names and addresses (see [`VIETNAMESE_LETTERS`]).
pub fn is_vietnamese_text_char(c: char) -> bool {
    let cp = u32::from(c);
    match cp {
        0..=0x7f => ascii_allowed(cp as u8),
        0xc0..=0x1bf => {
            let k = (cp - 0xc0) as usize;
            LOW_SET[k / 64] & (1 << (k % 64)) != 0
        }
        0x1ea0..=0x1ef9 => true,
        _ => false,
    }
}

/// What is wrong with a character outside the repertoire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unfit {
    /// A C0 or C1 control, DEL, or a Unicode format character (bidi controls, zero-width
    /// characters, soft hyphen, BOM, …).
    ControlOrFormat,
    /// U+FFFD: a decoder met bytes it could not read.
    Replacement,
    /// A character that UTF-8 read in a legacy charset produces (Latin-1 symbols, the
    /// Windows-1252 punctuation, kana, CJK, Hangul).
    Mojibake,
    /// Anything else outside the repertoire.
    NotVietnamese,
}

/// Why `c` (outside the repertoire) does not belong in card text.
pub(crate) fn unfit(c: char) -> Unfit {
    let cp = u32::from(c);
    match cp {
        0..=0x1f | 0x7f..=0x9f => Unfit::ControlOrFormat,
        0xfffd => Unfit::Replacement,
        0xad
        | 0x600..=0x605
        | 0x61c
        | 0x6dd
        | 0x70f
        | 0x180e
        | 0x200b..=0x200f
        | 0x202a..=0x202e
        | 0x2060..=0x2064
        | 0x2066..=0x206f
        | 0xfeff
        | 0xfff9..=0xfffb
        | 0xe0001
        | 0xe0020..=0xe007f => Unfit::ControlOrFormat,
        // Latin-1 symbols (UTF-8 continuation bytes read as Latin-1) and `Ä`, `Å`, `Æ`
        // (the lead bytes 0xC4–0xC6); other Latin-1 letters are just not Vietnamese.
        0xa0..=0xbf | 0xc4..=0xc6 | 0xd7 | 0xf7
        // Windows-1252's 0x80–0x9F.
        | 0x152 | 0x153 | 0x160 | 0x161 | 0x178 | 0x17d | 0x17e | 0x192 | 0x2c6 | 0x2dc
        | 0x2013 | 0x2014 | 0x2018..=0x201e | 0x2020..=0x2022 | 0x2026 | 0x2030 | 0x2039
        | 0x203a | 0x20ac | 0x2122
        // Kana, CJK, Hangul, halfwidth forms, private use (Big5-HKSCS, GB18030 gaps).
        | 0x3000..=0x9fff | 0xac00..=0xd7af | 0xe000..=0xf8ff | 0xf900..=0xfaff
        | 0xff00..=0xffef | 0x20000..=0x3134f => Unfit::Mojibake,
        _ => Unfit::NotVietnamese,
    }
}

/// The first character of `s` outside the repertoire, with its byte offset and what is wrong
/// with it.
pub(crate) fn first_unfit(s: &str) -> Option<(usize, char, Unfit)> {
    s.char_indices()
        .find(|&(_, c)| !is_vietnamese_text_char(c))
        .map(|(i, c)| (i, c, unfit(c)))
}

/// Whether the character starting with `lead` (`0xC3`–`0xC6` or `0xE1`), followed by `b1`
/// and `b2`, is in the repertoire.
#[inline]
pub(crate) fn lead_fits(lead: u8, b1: u8, b2: u8) -> bool {
    if lead == 0xe1 {
        // U+1EA0–U+1EF9: 0xE1 0xBA 0xA0–0xBF or 0xE1 0xBB 0x80–0xB9.
        let cp = (u32::from(b1 & 0x3f) << 6) | u32::from(b2 & 0x3f);
        return b1 & 0xfe == 0xba && (0xea0..=0xef9).contains(&cp);
    }
    let k = (usize::from(lead.wrapping_sub(0xc3)) << 6) | usize::from(b1 & 0x3f);
    k < 256 && LOW_SET[k / 64] & (1 << (k % 64)) != 0
}

/// Whether `s` holds nothing but spaces (and is not empty).
#[inline]
pub(crate) fn is_blank(s: &str) -> bool {
    !s.is_empty() && s.chars().all(char::is_whitespace)
}

/// Whether `s` is made only of repertoire characters and the payload's ASCII (digits and `|`
/// separators): a whole payload that needs no text repair.
pub(crate) fn payload_fits(s: &str) -> bool {
    s.chars().all(|c| c == '|' || is_vietnamese_text_char(c))
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
        Repair::MojibakeShiftJis
        | Repair::MojibakeBig5
        | Repair::MojibakeEucKr
        | Repair::MojibakeGb18030
            if !s.chars().any(|c| c >= '\u{3000}') =>
        {
            return None
        }
        Repair::MojibakeShiftJis => encode(s, encoding_rs::SHIFT_JIS)?,
        Repair::MojibakeBig5 => encode(s, encoding_rs::BIG5)?,
        Repair::MojibakeEucKr => encode(s, encoding_rs::EUC_KR)?,
        Repair::MojibakeGb18030 => encode(s, encoding_rs::GB18030)?,
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
/// Borrows when `s` is already upper-case ASCII. Latin letters with no decomposition into a
/// base letter and marks are spelled out (`Ø` → `O`, `Ł` → `L`, `Æ` → `AE`, `ß` → `SS`,
/// `Þ` → `TH`, …); other characters (CJK, …) are upper-cased where Unicode can and
/// otherwise kept, so the result is ASCII for Vietnamese and Latin text.
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
            'Đ' | 'đ' | 'Ð' | 'ð' => out.push('D'),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c if c.is_ascii() => out.push(c.to_ascii_uppercase()),
            // Latin letters with no decomposition (`Ø`, `Ł`, `Æ`, `ß`, `Ɓ`, …): their ASCII
            // transliteration (any_ascii); other scripts as Unicode upper-cases them.
            c if matches!(c, '\u{80}'..='\u{2af}' | '\u{1e00}'..='\u{1eff}') => out.extend(
                any_ascii::any_ascii_char(c)
                    .chars()
                    .map(|c| c.to_ascii_uppercase()),
            ),
            c => out.extend(c.to_uppercase()),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repertoire_is_the_vietnamese_letters_and_nothing_else() {
        use unicode_normalization::UnicodeNormalization;
        // Every vowel with every tone, composed, and nothing else above ASCII but đ/Đ.
        let mut expected = std::collections::BTreeSet::new();
        for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY".chars() {
            for tone in ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"] {
                let s: String = format!("{base}{tone}").nfc().collect();
                assert_eq!(s.chars().count(), 1, "{s}");
                expected.insert(s.chars().next().unwrap());
            }
        }
        expected.extend(['đ', 'Đ']);
        let found: std::collections::BTreeSet<char> = (0x80..0x3_0000)
            .filter_map(char::from_u32)
            .filter(|&c| is_vietnamese_text_char(c))
            .collect();
        let expected: std::collections::BTreeSet<char> =
            expected.into_iter().filter(|c| !c.is_ascii()).collect();
        assert_eq!(found, expected);
        assert_eq!(found.len(), 134);
        let ascii: String = (0u8..0x80)
            .filter(|&b| ascii_allowed(b))
            .map(char::from)
            .collect();
        assert_eq!(
            ascii,
            " '()+,-./0123456789:;ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        );
        for c in VIETNAMESE_LETTERS.chars() {
            assert!(c == ' ' || is_vietnamese_text_char(c), "{c}");
        }
    }

    #[test]
    fn unfit_characters_are_classified() {
        assert_eq!(unfit('\u{fffd}'), Unfit::Replacement);
        assert_eq!(unfit('\u{202e}'), Unfit::ControlOrFormat);
        assert_eq!(unfit('\u{200b}'), Unfit::ControlOrFormat);
        assert_eq!(unfit('\u{85}'), Unfit::ControlOrFormat);
        assert_eq!(unfit('»'), Unfit::Mojibake);
        assert_eq!(unfit('…'), Unfit::Mojibake);
        assert_eq!(unfit('縺'), Unfit::Mojibake);
        assert_eq!(unfit('😀'), Unfit::NotVietnamese);
        assert_eq!(unfit('='), Unfit::NotVietnamese);
        assert_eq!(unfit('Ø'), Unfit::NotVietnamese);
        assert_eq!(unfit('Ä'), Unfit::Mojibake);
        assert_eq!(unfit('Ł'), Unfit::NotVietnamese);
        assert_eq!(first_unfit("Nguyễn Văn A"), None);
        assert_eq!(first_unfit("Ab=c"), Some((2, '=', Unfit::NotVietnamese)));
        assert!(lead_fits(0xc3, 0x81, 0)); // Á
        assert!(lead_fits(0xc4, 0x91, 0)); // đ
        assert!(!lead_fits(0xc3, 0x84, 0)); // Ä
        assert!(!lead_fits(0xc7, 0x80, 0));
        assert!(lead_fits(0xe1, 0xba, 0xa0)); // Ạ
        assert!(lead_fits(0xe1, 0xbb, 0xb9)); // ỹ
        assert!(!lead_fits(0xe1, 0xbb, 0xba)); // Ỻ
        assert!(!lead_fits(0xe1, 0xba, 0x9f));
        assert!(!lead_fits(0xe1, 0xb8, 0x80)); // Ḁ
    }

    #[test]
    fn folding_covers_latin_letters_and_keeps_vietnamese_output() {
        assert_eq!(
            fold_ascii("Søren Łukasz Æsir Straße Þór Œuvre"),
            "SOREN LUKASZ AESIR STRASSE THOR OEUVRE"
        );
        assert_eq!(fold_ascii("Đặng Thị Hồng Nhung"), "DANG THI HONG NHUNG");
        for c in VIETNAMESE_LETTERS.chars() {
            let folded = fold_ascii(&c.to_string()).into_owned();
            assert!(
                folded.chars().all(|c| c.is_ascii_uppercase() || c == ' '),
                "{c}: {folded}"
            );
        }
        // Every Latin letter of U+00C0–U+024F and U+1E00–U+1EFF folds to ASCII.
        for c in ('\u{c0}'..='\u{24f}')
            .chain('\u{1e00}'..='\u{1eff}')
            .filter(|c| c.is_alphabetic())
        {
            let folded = fold_ascii(&c.to_string()).into_owned();
            assert!(
                folded.is_ascii() && !folded.is_empty(),
                "{c} U+{:04X} -> {folded}",
                c as u32
            );
        }
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
