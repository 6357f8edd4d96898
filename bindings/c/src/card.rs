//! The typed API: a parsed card behind an opaque pointer, and its accessors.

use std::ffi::{c_char, CString};
use std::ptr;

use cccd::chrono::Datelike;
use cccd::{Layout, NaiveDate, Parsed, Parser, Scanner, Sex};

use crate::boundary::{self, guard, Fallback};
use crate::json::{CCCD_LENIENT, CCCD_RAW};
use crate::status::{cccd_error, cccd_status, Failure};

/// A card read by `cccd_parse` or `cccd_scan`. Opaque: read it with the `cccd_card_*`
/// accessors, free it with `cccd_card_free`.
///
/// A card never changes after it is made, so any number of threads may read the same card at
/// once; freeing it must wait until no thread uses it any more.
pub struct cccd_card {
    parsed: Parsed<'static>,
    id_number: CString,
    old_id_number: Option<CString>,
    full_name: CString,
    full_name_ascii: CString,
    address: CString,
    date_of_birth: CString,
    issue_date: CString,
    payload: CString,
    extra_fields: Vec<CString>,
    repairs: Vec<CString>,
}

impl std::fmt::Debug for cccd_card {
    /// Redacted, as the library's `Card`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("cccd_card")
            .field("card", &self.parsed.card)
            .finish_non_exhaustive()
    }
}

impl cccd_card {
    /// The card with its texts ready for C, or `None` if a text holds a NUL byte (the
    /// library rejects control characters, so this does not happen).
    fn new(parsed: Parsed<'static>) -> Option<Self> {
        let c = |s: &str| CString::new(s).ok();
        let card = &parsed.card;
        Some(cccd_card {
            id_number: c(card.id_number().as_str())?,
            old_id_number: match card.old_id_number() {
                Some(old) => Some(c(old.as_str())?),
                None => None,
            },
            full_name: c(card.full_name())?,
            full_name_ascii: c(&card.full_name_ascii())?,
            address: c(card.address())?,
            date_of_birth: c(&card.date_of_birth().to_string())?,
            issue_date: c(&card.issue_date().to_string())?,
            payload: c(&card.to_string())?,
            extra_fields: card.extra_fields().map(c).collect::<Option<_>>()?,
            repairs: parsed
                .repairs
                .iter()
                .map(|r| c(r.as_str()))
                .collect::<Option<_>>()?,
            parsed,
        })
    }
}

/// A calendar date. `{0, 0, 0}` means "none" (a `NULL` card, a card that never expires).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct cccd_date {
    /// The year, e.g. 2003.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

impl From<NaiveDate> for cccd_date {
    fn from(d: NaiveDate) -> Self {
        cccd_date {
            year: d.year(),
            // chrono's month is 1..=12 and day 1..=31: both fit in a u8.
            month: d.month() as u8,
            day: d.day() as u8,
        }
    }
}

impl Fallback for cccd_date {
    fn panicked() -> Self {
        cccd_date::default()
    }
    fn null() -> Self {
        cccd_date::default()
    }
}

/// The holder's sex.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cccd_sex {
    /// No card (`NULL`), or a value this header does not know.
    Unknown = 0,
    /// `Nam`.
    Male = 1,
    /// `Nữ`.
    Female = 2,
}

impl Fallback for cccd_sex {
    fn panicked() -> Self {
        cccd_sex::Unknown
    }
    fn null() -> Self {
        cccd_sex::Unknown
    }
}

/// The payload layout.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cccd_layout {
    /// No card (`NULL`), or a layout this header does not know.
    Unknown = 0,
    /// 7 fields: CCCDs issued 2021 to mid 2024.
    V2021 = 2021,
    /// 11 fields: cards issued since about September 2024.
    V2024 = 2024,
}

impl Fallback for cccd_layout {
    fn panicked() -> Self {
        cccd_layout::Unknown
    }
    fn null() -> Self {
        cccd_layout::Unknown
    }
}

/// Writes the outcome of a typed call to the caller's out parameters.
///
/// # Safety
/// `out` and `err` must each be `NULL` or valid for writes.
unsafe fn finish(
    out: *mut *mut cccd_card,
    err: *mut cccd_error,
    result: Result<Box<cccd_card>, Failure>,
) -> cccd_status {
    // SAFETY: NULL or writable by the caller's contract.
    let err = unsafe { boundary::as_mut(err) };
    // SAFETY: NULL or writable by the caller's contract.
    let out = unsafe { boundary::as_mut(out) };
    let (card, record) = match (out.is_some(), result) {
        (false, _) => (
            None,
            cccd_error::of_call(cccd_status::NullParameter, "out is NULL"),
        ),
        (true, Ok(card)) => (Some(card), cccd_error::ok()),
        (true, Err(failure)) => (None, failure.record()),
    };
    // Everything that could fail is done: only plain writes from here on.
    if let Some(out) = out {
        *out = card.map_or(ptr::null_mut(), Box::into_raw);
    }
    if let Some(err) = err {
        *err = record;
    }
    record.status
}

/// Runs a typed call's body inside the panic boundary and writes its outcome.
///
/// # Safety
/// As [`finish`].
unsafe fn typed(
    out: *mut *mut cccd_card,
    err: *mut cccd_error,
    body: impl FnOnce() -> Result<Box<cccd_card>, Failure>,
) -> cccd_status {
    let result = guard(|| Ok(body())).unwrap_or(Err(Failure::Call(
        cccd_status::Panic,
        "the library panicked: please report this as a bug",
    )));
    // SAFETY: the caller's contract.
    guard(|| unsafe { finish(out, err, result) })
}

impl<T> Fallback for Result<T, ()> {
    fn panicked() -> Self {
        Err(())
    }
    fn null() -> Self {
        Err(())
    }
}

/// The card for C, boxed.
fn boxed(parsed: Parsed<'static>) -> Result<Box<cccd_card>, Failure> {
    cccd_card::new(parsed).map(Box::new).ok_or(Failure::Call(
        cccd_status::Internal,
        "a card text holds a NUL byte",
    ))
}

/// Parses one card payload into a card.
///
/// - `payload`, `len`: the payload bytes (not NUL-terminated). `NULL` with `len == 0` is the
///   empty payload (`CCCD_STATUS_EMPTY`); `NULL` with `len > 0` is `CCCD_STATUS_NULL_PARAMETER`.
/// - `flags`: 0 (strict) or `CCCD_LENIENT`.
/// - `out`: where the card goes. Required. On success `*out` is a new card the caller owns
///   and frees with `cccd_card_free`; on failure `*out` is set to `NULL`.
/// - `err`: `NULL`, or a `cccd_error` the call fills in (also on success).
///
/// Returns `CCCD_STATUS_OK` (0) or the error's status. Personal data never appears in `err`.
///
/// # Safety
/// `payload` must be `NULL` or point to `len` readable bytes (only read during the call);
/// `out` and `err` must be `NULL` or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn cccd_parse(
    payload: *const u8,
    len: usize,
    flags: u32,
    out: *mut *mut cccd_card,
    err: *mut cccd_error,
) -> cccd_status {
    // SAFETY: the caller's contract.
    unsafe {
        typed(out, err, || {
            if flags & !CCCD_LENIENT != 0 {
                // CCCD_REDACT too: a card's accessors give the real fields, by design.
                return Err(Failure::Call(
                    cccd_status::InvalidArgument,
                    "unknown flag bits: cccd_parse takes 0 or CCCD_LENIENT",
                ));
            }
            // SAFETY: the caller's contract.
            let Some(bytes) = boundary::bytes(payload, len) else {
                return Err(Failure::Call(
                    cccd_status::NullParameter,
                    "payload is NULL but len is not 0",
                ));
            };
            let parser = Parser::new().lenient(flags & CCCD_LENIENT != 0);
            match parser.parse_bytes(bytes) {
                Ok(parsed) => boxed(parsed.into_owned()),
                Err(e) => Err(Failure::Parse(e)),
            }
        })
    }
}

/// Finds the card's QR code in an encoded image (PNG, JPEG, WebP, GIF, BMP) and parses it
/// (leniently, as `cccd scan` does) into a card.
///
/// - `image`, `len`: the encoded image file's bytes.
/// - `flags`: 0 or `CCCD_LENIENT` (no effect). `CCCD_RAW` is refused: a raw scan gives codes,
///   not a card (use `cccd_scan_json`).
/// - `out`, `err`: as for `cccd_parse`. The `CCCD_STATUS_SCAN_*` statuses say why no card
///   came out of the photo.
///
/// Takes up to the scanner's time budget (2 s) of one core.
///
/// # Safety
/// As `cccd_parse`, with `image` for `payload`.
#[no_mangle]
pub unsafe extern "C" fn cccd_scan(
    image: *const u8,
    len: usize,
    flags: u32,
    out: *mut *mut cccd_card,
    err: *mut cccd_error,
) -> cccd_status {
    // SAFETY: the caller's contract.
    unsafe {
        typed(out, err, || {
            if flags & !CCCD_LENIENT != 0 || flags & CCCD_RAW != 0 {
                return Err(Failure::Call(
                    cccd_status::InvalidArgument,
                    "unknown flag bits: cccd_scan takes 0 or CCCD_LENIENT",
                ));
            }
            // SAFETY: the caller's contract.
            let Some(bytes) = boundary::bytes(image, len) else {
                return Err(Failure::Call(
                    cccd_status::NullParameter,
                    "image is NULL but len is not 0",
                ));
            };
            match Scanner::new().card(bytes) {
                Ok(found) => boxed(Parsed {
                    card: found.card,
                    repairs: found.repairs,
                    damaged: found.damaged,
                }),
                Err(e) => Err(Failure::Scan(e)),
            }
        })
    }
}

/// Frees a card. `NULL` is accepted and does nothing.
///
/// # Safety
/// `card` must be `NULL` or a card from `cccd_parse`/`cccd_scan` not freed yet. Afterwards
/// neither the card nor any string its accessors returned may be used.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_free(card: *mut cccd_card) {
    guard(|| {
        if !card.is_null() && card.is_aligned() {
            // SAFETY: `card` came from `Box::into_raw` by the caller's contract.
            drop(unsafe { Box::from_raw(card) });
        }
    })
}

/// Reads `card` inside the panic boundary: `read(card)`, or the fallback value for `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
unsafe fn with<T: Fallback>(card: *const cccd_card, read: impl FnOnce(&cccd_card) -> T) -> T {
    guard(|| {
        // SAFETY: the caller's contract.
        match unsafe { boundary::as_ref(card) } {
            Some(card) => read(card),
            None => T::null(),
        }
    })
}

/// The 12-digit personal ID number.
///
/// The string is NUL-terminated UTF-8 owned by the card: valid until `cccd_card_free`, never
/// to be freed by the caller. `NULL` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_id_number(card: *const cccd_card) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.id_number.as_ptr()) }
}

/// The old 9- or 12-digit ID number (CMND), or `NULL` when the card has none.
///
/// The string is NUL-terminated UTF-8 owned by the card: valid until `cccd_card_free`, never
/// to be freed by the caller. `NULL` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_old_id_number(card: *const cccd_card) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe {
        with(card, |c| {
            c.old_id_number.as_ref().map_or(ptr::null(), |s| s.as_ptr())
        })
    }
}

/// The full name as on the card (NFC), e.g. `"Nguyễn Văn Ánh"`.
///
/// The string is NUL-terminated UTF-8 owned by the card: valid until `cccd_card_free`, never
/// to be freed by the caller. `NULL` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_full_name(card: *const cccd_card) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.full_name.as_ptr()) }
}

/// The full name folded to upper-case ASCII, e.g. `"NGUYEN VAN ANH"`.
///
/// The string is NUL-terminated UTF-8 owned by the card: valid until `cccd_card_free`, never
/// to be freed by the caller. `NULL` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_full_name_ascii(card: *const cccd_card) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.full_name_ascii.as_ptr()) }
}

/// The place of residence as on the card.
///
/// The string is NUL-terminated UTF-8 owned by the card: valid until `cccd_card_free`, never
/// to be freed by the caller. `NULL` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_address(card: *const cccd_card) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.address.as_ptr()) }
}

/// The date of birth, `"YYYY-MM-DD"`.
///
/// The string is NUL-terminated UTF-8 owned by the card: valid until `cccd_card_free`, never
/// to be freed by the caller. `NULL` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_date_of_birth_iso(card: *const cccd_card) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.date_of_birth.as_ptr()) }
}

/// The issue date, `"YYYY-MM-DD"`.
///
/// The string is NUL-terminated UTF-8 owned by the card: valid until `cccd_card_free`, never
/// to be freed by the caller. `NULL` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_issue_date_iso(card: *const cccd_card) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.issue_date.as_ptr()) }
}

/// The canonical payload: the fields joined by `|`, with the repairs applied.
///
/// The string is NUL-terminated UTF-8 owned by the card: valid until `cccd_card_free`, never
/// to be freed by the caller. `NULL` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_payload(card: *const cccd_card) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.payload.as_ptr()) }
}

/// The date of birth; `{0, 0, 0}` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_date_of_birth(card: *const cccd_card) -> cccd_date {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.parsed.card.date_of_birth().into()) }
}

/// The issue date; `{0, 0, 0}` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_issue_date(card: *const cccd_card) -> cccd_date {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.parsed.card.issue_date().into()) }
}

/// The date the card expires under the law of its issue date (the JSON's `expiry.date`);
/// `{0, 0, 0}` when it never expires or `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_expiry_date(card: *const cccd_card) -> cccd_date {
    // SAFETY: the caller's contract.
    unsafe {
        with(card, |c| {
            c.parsed
                .card
                .expiry()
                .date()
                .map(Into::into)
                .unwrap_or_default()
        })
    }
}

/// The sex; `CCCD_SEX_UNKNOWN` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_sex(card: *const cccd_card) -> cccd_sex {
    // SAFETY: the caller's contract.
    unsafe {
        with(card, |c| match c.parsed.card.sex() {
            Sex::Male => cccd_sex::Male,
            Sex::Female => cccd_sex::Female,
            _ => cccd_sex::Unknown,
        })
    }
}

/// The layout (`CCCD_LAYOUT_V2021` = 2021, `CCCD_LAYOUT_V2024` = 2024);
/// `CCCD_LAYOUT_UNKNOWN` when `card` is `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_layout(card: *const cccd_card) -> cccd_layout {
    // SAFETY: the caller's contract.
    unsafe {
        with(card, |c| match c.parsed.card.layout() {
            Layout::V2021 => cccd_layout::V2021,
            Layout::V2024 => cccd_layout::V2024,
            _ => cccd_layout::Unknown,
        })
    }
}

/// How many extra fields the card has: 4 for the 2024 layout, 0 for 2021 or `NULL`.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_extra_field_count(card: *const cccd_card) -> usize {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.extra_fields.len()) }
}

/// Extra field `index` (from 0) of the 2024 layout, usually `""`; `NULL` when `index` is out
/// of range or `card` is `NULL`. Owned by the card, as the other texts.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_extra_field(
    card: *const cccd_card,
    index: usize,
) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe {
        with(card, |c| {
            c.extra_fields
                .get(index)
                .map_or(ptr::null(), |s| s.as_ptr())
        })
    }
}

/// How many repairs the lenient parser applied (0 in strict mode, or for `NULL`).
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_repair_count(card: *const cccd_card) -> usize {
    // SAFETY: the caller's contract.
    unsafe { with(card, |c| c.repairs.len()) }
}

/// The code of repair `index` (from 0), in the order applied, as in the JSON's `repairs`
/// (`"bom_removed"`, `"mojibake_latin1"`…); `NULL` when out of range or `card` is `NULL`.
/// Owned by the card, as the other texts.
///
/// # Safety
/// `card` must be `NULL` or a live card.
#[no_mangle]
pub unsafe extern "C" fn cccd_card_repair(card: *const cccd_card, index: usize) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe {
        with(card, |c| {
            c.repairs.get(index).map_or(ptr::null(), |s| s.as_ptr())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    const PAYLOAD: &[u8] =
        "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021".as_bytes();

    #[test]
    fn parse_and_read_a_card() {
        let mut card = ptr::null_mut();
        let mut err = cccd_error::ok();
        // SAFETY: valid pointers throughout; the card is freed once.
        unsafe {
            let st = cccd_parse(PAYLOAD.as_ptr(), PAYLOAD.len(), 0, &mut card, &mut err);
            assert_eq!(st, cccd_status::Ok);
            let text = |p: *const c_char| CStr::from_ptr(p).to_str().unwrap().to_owned();
            assert_eq!(text(cccd_card_id_number(card)), "079203001234");
            assert_eq!(text(cccd_card_full_name_ascii(card)), "NGUYEN VAN ANH");
            assert_eq!(
                cccd_card_date_of_birth(card),
                cccd_date {
                    year: 2003,
                    month: 1,
                    day: 1
                }
            );
            assert_eq!(cccd_card_layout(card), cccd_layout::V2021);
            assert!(cccd_card_extra_field(card, 0).is_null());
            assert!(!format!("{:?}", &*card).contains("Nguy"));
            cccd_card_free(card);
        }
    }

    #[test]
    fn cards_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<cccd_card>();
        shareable::<cccd_error>();
    }

    #[test]
    fn a_missing_out_pointer_is_an_error() {
        let mut err = cccd_error::ok();
        // SAFETY: NULL `out` is checked; `err` is valid.
        let st = unsafe { cccd_parse(PAYLOAD.as_ptr(), 3, 0, ptr::null_mut(), &mut err) };
        assert_eq!(st, cccd_status::NullParameter);
        assert_eq!(err.status, cccd_status::NullParameter);
    }
}
