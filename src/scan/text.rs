//! Payload bytes to text when the engine gives no better reading.

/// Payload bytes to text: UTF-8 if valid, else a guess between Shift_JIS and Windows-1252
/// in the manner of ZXing's `guessEncoding` (runs of katakana or double-byte characters mean
/// Shift_JIS).
pub(super) fn decode_text(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_owned();
    }
    if let Some(s) =
        encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes)
    {
        let (mut kana_run, mut kana_max, mut kana) = (0, 0, 0);
        let (mut wide_run, mut wide_max) = (0, 0);
        for c in s.chars() {
            if ('\u{ff61}'..='\u{ff9f}').contains(&c) {
                kana += 1;
                kana_run += 1;
                wide_run = 0;
            } else if c > '\u{ff}' {
                wide_run += 1;
                kana_run = 0;
            } else {
                kana_run = 0;
                wide_run = 0;
            }
            kana_max = kana_max.max(kana_run);
            wide_max = wide_max.max(wide_run);
        }
        let high_other = bytes.iter().filter(|&&b| (0x80..0xc0).contains(&b)).count();
        if kana_max >= 3
            || wide_max >= 3
            || (kana_max == 2 && kana == 2)
            || (wide_max > 0 && high_other * 10 >= bytes.len())
        {
            return s.into_owned();
        }
    }
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_decoding() {
        assert_eq!(decode_text("Hà Nội".as_bytes()), "Hà Nội");
        assert_eq!(decode_text(b"caf\xe9 \xc4"), "café Ä");
        let sjis = encoding_rs::SHIFT_JIS.encode("日本語").0;
        assert_eq!(decode_text(&sjis), "日本語");
    }
}
