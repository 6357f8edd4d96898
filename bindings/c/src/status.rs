//! Status codes and the error record of the typed API.

use std::ffi::c_char;

use cccd::{ErrorCode, ScanError, ScanErrorCode};

use crate::boundary::Fallback;

/// Size of the `code`, `field` and `reason` arrays of `cccd_error`, NUL included.
pub const CCCD_ERROR_NAME_LEN: usize = 32;
/// Size of the `message` array of `cccd_error`, NUL included.
pub const CCCD_ERROR_MESSAGE_LEN: usize = 160;

/// What a typed-API function returns. The numbers are stable: they never change meaning in
/// later releases, and new codes only ever get new numbers.
///
/// - 0: success.
/// - 1 to 99: the payload is not a card (the library's error codes; `cccd_error.code` holds
///   the same code as a string, as in the JSON output's `error.code`).
/// - 100 to 199: the call itself is wrong (a `NULL` pointer, unknown flags) or broke inside.
/// - 200 to 299: the photo gave no card (`cccd_scan`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cccd_status {
    /// Success.
    Ok = 0,
    /// The payload is empty.
    Empty = 1,
    /// The payload is longer than 4096 bytes.
    TooLong = 2,
    /// The payload is not valid UTF-8 (and no repair applied).
    Encoding = 3,
    /// The payload does not have 7 or 11 `|`-separated fields.
    FieldCount = 4,
    /// The personal ID number is not 12 digits.
    IdNumber = 5,
    /// The old ID number is neither empty nor 9 or 12 digits.
    OldIdNumber = 6,
    /// The full name is empty, holds a control character or is not NFC.
    FullName = 7,
    /// The date of birth is not a real `ddmmyyyy` date.
    DateOfBirth = 8,
    /// The sex is neither `Nam` nor `Nữ`.
    Sex = 9,
    /// The address is empty, holds a control character or is not NFC.
    Address = 10,
    /// The issue date is not a real `ddmmyyyy` date.
    IssueDate = 11,
    /// One of the 2024 layout's extra fields holds a control character or is not NFC.
    ExtraField = 12,
    /// A payload error this version of the header has no number for: read `cccd_error.code`.
    OtherPayloadError = 99,
    /// A pointer the function needs is `NULL` (or misaligned: it cannot be one of ours).
    NullParameter = 100,
    /// An argument has a wrong value: unknown flag bits, a `today` that is not `YYYY-MM-DD`.
    InvalidArgument = 101,
    /// The library panicked; the call had no effect. Please report it.
    Panic = 102,
    /// An internal invariant failed (a card text holding a NUL byte); the call had no effect.
    Internal = 103,
    /// No QR code was found in the photo.
    ScanNotFound = 200,
    /// QR codes were found, but none holds a card payload.
    ScanNotACard = 201,
    /// The bytes are not a readable image (truncated, corrupt, unknown format).
    ScanUnreadableImage = 202,
    /// The image is larger than the scanner's limits.
    ScanTooLarge = 203,
    /// The scanner's time budget ran out before a code was found.
    ScanTimeBudget = 204,
    /// A scan error this version of the header has no number for: read `cccd_error.code`.
    ScanOther = 299,
}

impl Fallback for cccd_status {
    fn panicked() -> Self {
        cccd_status::Panic
    }
    fn null() -> Self {
        cccd_status::NullParameter
    }
}

impl cccd_status {
    /// The status of a payload error code.
    pub(crate) fn of_code(code: ErrorCode) -> Self {
        match code {
            ErrorCode::Empty => cccd_status::Empty,
            ErrorCode::TooLong => cccd_status::TooLong,
            ErrorCode::Encoding => cccd_status::Encoding,
            ErrorCode::FieldCount => cccd_status::FieldCount,
            ErrorCode::IdNumber => cccd_status::IdNumber,
            ErrorCode::OldIdNumber => cccd_status::OldIdNumber,
            ErrorCode::FullName => cccd_status::FullName,
            ErrorCode::DateOfBirth => cccd_status::DateOfBirth,
            ErrorCode::Sex => cccd_status::Sex,
            ErrorCode::Address => cccd_status::Address,
            ErrorCode::IssueDate => cccd_status::IssueDate,
            ErrorCode::ExtraField => cccd_status::ExtraField,
            _ => cccd_status::OtherPayloadError,
        }
    }

    /// The status of a scan error.
    pub(crate) fn of_scan(e: &ScanError) -> Self {
        match e.code() {
            ScanErrorCode::NotFound => cccd_status::ScanNotFound,
            ScanErrorCode::NotACard => cccd_status::ScanNotACard,
            ScanErrorCode::UnreadableImage => cccd_status::ScanUnreadableImage,
            ScanErrorCode::TooLarge => cccd_status::ScanTooLarge,
            ScanErrorCode::TimeBudget => cccd_status::ScanTimeBudget,
            _ => cccd_status::ScanOther,
        }
    }
}

/// Why a typed call failed, until it is written to the caller's `cccd_error`.
pub(crate) enum Failure {
    /// The payload is not a card.
    Parse(cccd::Error),
    /// The photo gave no card.
    Scan(ScanError),
    /// The call was wrong or broke: the status and a fixed message.
    Call(cccd_status, &'static str),
}

impl Failure {
    /// The record the caller gets.
    pub(crate) fn record(&self) -> cccd_error {
        match self {
            Failure::Parse(e) => cccd_error::of_parse(e),
            Failure::Scan(e) => cccd_error::of_scan(e),
            Failure::Call(status, message) => cccd_error::of_call(*status, message),
        }
    }
}

/// Why a typed-API call failed, filled in by the call when the caller passes one (it may pass
/// `NULL` instead). The caller owns it (on the stack, usually); nothing in it needs freeing.
///
/// The strings are NUL-terminated UTF-8, cut at a character boundary if ever longer than
/// their array. No string ever holds personal data: the message names the field and the byte
/// offset and quotes at most the one offending character, never the payload.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct cccd_error {
    /// The status the function returned (`CCCD_STATUS_OK` after a success).
    pub status: cccd_status,
    /// Byte offset in the payload where the problem is (0 when not about a payload byte).
    pub offset: usize,
    /// The machine-readable code: the JSON output's `error.code` (`"date_of_birth"`,
    /// `"field_count"`, `"not_found"`…), or for a wrong call `"null_parameter"`,
    /// `"invalid_argument"`, `"panic"`, `"internal"`; `""` after a success.
    pub code: [c_char; CCCD_ERROR_NAME_LEN],
    /// The field the problem is in (`"id_number"`, `"date_of_birth"`…; the JSON output's
    /// `error.field`), or `""` when it is not about one field.
    pub field: [c_char; CCCD_ERROR_NAME_LEN],
    /// What exactly is wrong, machine-readable: the library's reason (`"month_out_of_range"`,
    /// `"not_a_digit"`, `"not_nfc"`…), or `""` for scan errors and wrong calls.
    pub reason: [c_char; CCCD_ERROR_NAME_LEN],
    /// The message for people, as the JSON output's `error.message`.
    pub message: [c_char; CCCD_ERROR_MESSAGE_LEN],
}

impl cccd_error {
    /// A record saying `status`, with the given strings.
    pub(crate) fn new(
        status: cccd_status,
        offset: usize,
        code: &str,
        field: &str,
        reason: &str,
        message: &str,
    ) -> Self {
        let mut e = cccd_error {
            status,
            offset,
            code: [0; CCCD_ERROR_NAME_LEN],
            field: [0; CCCD_ERROR_NAME_LEN],
            reason: [0; CCCD_ERROR_NAME_LEN],
            message: [0; CCCD_ERROR_MESSAGE_LEN],
        };
        copy_str(&mut e.code, code);
        copy_str(&mut e.field, field);
        copy_str(&mut e.reason, reason);
        copy_str(&mut e.message, message);
        e
    }

    /// The record of a success.
    pub(crate) fn ok() -> Self {
        cccd_error::new(cccd_status::Ok, 0, "", "", "", "")
    }

    /// The record of a payload error.
    pub(crate) fn of_parse(e: &cccd::Error) -> Self {
        cccd_error::new(
            cccd_status::of_code(e.code()),
            e.offset(),
            e.code().as_str(),
            e.field().map_or("", |f| f.as_str()),
            e.reason().as_str(),
            &e.to_string(),
        )
    }

    /// The record of a scan error.
    pub(crate) fn of_scan(e: &ScanError) -> Self {
        cccd_error::new(
            cccd_status::of_scan(e),
            0,
            e.code().as_str(),
            "",
            e.reason(),
            &e.to_string(),
        )
    }

    /// The record of a wrong call or a failure of this library itself.
    pub(crate) fn of_call(status: cccd_status, message: &str) -> Self {
        let code = match status {
            cccd_status::NullParameter => "null_parameter",
            cccd_status::InvalidArgument => "invalid_argument",
            cccd_status::Panic => "panic",
            _ => "internal",
        };
        cccd_error::new(status, 0, code, "", "", message)
    }
}

/// Copies `s` into `dst` as a NUL-terminated string, cut at a character boundary if needed.
fn copy_str(dst: &mut [c_char], s: &str) {
    let mut end = s.len().min(dst.len() - 1);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    for (d, &b) in dst.iter_mut().zip(&s.as_bytes()[..end]) {
        *d = b as c_char;
    }
    dst[end] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(a: &[c_char]) -> String {
        let bytes: Vec<u8> = a
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn strings_are_cut_at_a_character_boundary() {
        let mut buf = [1 as c_char; 6];
        copy_str(&mut buf, "abcdef");
        assert_eq!(read(&buf), "abcde");
        copy_str(&mut buf, "abcdữ"); // ữ is 3 bytes: does not fit after "abcd"
        assert_eq!(read(&buf), "abcd");
        copy_str(&mut buf, "");
        assert_eq!(read(&buf), "");
    }

    #[test]
    fn payload_errors_keep_code_field_offset_and_message() {
        let err = cccd::parse("079203001234|123456789|Nguyễn Văn Ánh|01132003|Nam|Hà Nội|15082021")
            .unwrap_err();
        let rec = cccd_error::of_parse(&err);
        assert_eq!(rec.status, cccd_status::DateOfBirth);
        assert_eq!(rec.offset, 44);
        assert_eq!(read(&rec.code), "date_of_birth");
        assert_eq!(read(&rec.field), "date_of_birth");
        assert_eq!(
            read(&rec.message),
            "invalid date of birth at byte 44: month 13"
        );
    }
}
