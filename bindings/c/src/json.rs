//! The JSON API: the objects the `cccd` command prints, as strings the caller frees.

use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use cccd::NaiveDate;
use serde_json::json;

use crate::boundary::{self, guard};
use cccd::report::{self, Options};

/// Flag: repair what scanners damage (BOM, whitespace, line endings, NFD text, mojibake,
/// Windows-1258 bytes), as `cccd parse --lenient`; every repair is reported.
pub const CCCD_LENIENT: u32 = 1u32;
/// Flag for scanning: succeed when any QR code is found, card or not (no `"card"` key), as
/// `cccd scan --raw`.
pub const CCCD_RAW: u32 = 2u32;

/// Flag: redact personal data in the JSON, as `cccd parse --redact` and `cccd scan --redact`
/// (for logs): the ID numbers masked, the name as initials, the address and other texts
/// withheld. JSON functions only.
pub const CCCD_REDACT: u32 = 4u32;

/// Which kind of object an error object imitates: a parse failure has `field` and `offset`.
#[derive(Clone, Copy)]
enum Shape {
    Parse,
    Scan,
}

/// The error object for a call that could not run (`code` is not one of the library's).
fn call_error(shape: Shape, code: &str, message: &str) -> String {
    let value = match shape {
        Shape::Parse => json!({
            "ok": false,
            "error": {"code": code, "field": null, "offset": 0, "message": message},
        }),
        Shape::Scan => json!({"ok": false, "error": {"code": code, "message": message}}),
    };
    value.to_string()
}

/// `today` read from the caller's string, or the local date for `NULL`.
///
/// # Safety
/// A non-`NULL` `today` must be NUL-terminated.
unsafe fn today_from(today: *const c_char) -> Result<NaiveDate, &'static str> {
    // SAFETY: passed on from the caller's contract.
    match unsafe { boundary::c_str(today) } {
        None => Ok(cccd::chrono::Local::now().date_naive()),
        Some(s) => s
            .to_str()
            .ok()
            .and_then(|s| s.parse::<NaiveDate>().ok())
            .ok_or("today must be NULL or a date written YYYY-MM-DD"),
    }
}

/// Runs `body` inside the panic boundary and hands its JSON to C; a panic gives the `panic`
/// error object.
fn json_out(shape: Shape, body: impl FnOnce() -> String) -> *mut c_char {
    let json = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        call_error(
            shape,
            "panic",
            "the library panicked: please report this as a bug",
        )
    });
    // serde_json escapes U+0000, so the text never holds a NUL byte; should that ever fail,
    // say so rather than return NULL.
    let c = CString::new(json)
        .or_else(|_| CString::new(call_error(shape, "internal", "the output held a NUL byte")));
    c.map_or(ptr::null_mut(), CString::into_raw)
}

/// Validates one card payload and returns the JSON object `cccd parse --format json` prints
/// for it, without the final newline, as NUL-terminated UTF-8: `{"ok":true,"layout":…}` or
/// `{"ok":false,"error":{"code":…,"field":…,"offset":…,"message":…}}`.
///
/// - `payload`, `len`: the payload bytes (not NUL-terminated; any bytes, the library checks
///   the UTF-8). `NULL` with `len == 0` is the empty payload.
/// - `flags`: 0 (strict), or any of `CCCD_LENIENT` (`cccd parse --lenient`) and
///   `CCCD_REDACT` (`cccd parse --redact`).
/// - `today`: the reference date of the checks and `expired`, `"YYYY-MM-DD"`, or `NULL` for
///   the local date (what `cccd parse` does without `--today`).
///
/// Calls that cannot run give an object of the same shape whose `error.code` is not one of
/// the library's: `null_parameter` (`payload` is `NULL` with `len > 0`), `invalid_argument`
/// (unknown flag bits, `today` not `YYYY-MM-DD`), `panic` (a bug in the library).
///
/// Returns a string the caller owns and frees with `cccd_string_free`; `NULL` only when
/// memory ran out.
///
/// # Safety
/// `payload` must be `NULL` or point to `len` readable bytes; `today` must be `NULL` or a
/// NUL-terminated string. Both are only read during the call.
#[no_mangle]
pub unsafe extern "C" fn cccd_validate_json(
    payload: *const u8,
    len: usize,
    flags: u32,
    today: *const c_char,
) -> *mut c_char {
    json_out(Shape::Parse, || {
        if flags & !(CCCD_LENIENT | CCCD_REDACT) != 0 {
            return call_error(
                Shape::Parse,
                "invalid_argument",
                "unknown flag bits: cccd_validate_json takes CCCD_LENIENT and CCCD_REDACT",
            );
        }
        // SAFETY: the caller's contract.
        let today = match unsafe { today_from(today) } {
            Ok(d) => d,
            Err(m) => return call_error(Shape::Parse, "invalid_argument", m),
        };
        // SAFETY: the caller's contract.
        let Some(bytes) = (unsafe { boundary::bytes(payload, len) }) else {
            return call_error(
                Shape::Parse,
                "null_parameter",
                "payload is NULL but len is not 0",
            );
        };
        let opts = Options::new(today)
            .lenient(flags & CCCD_LENIENT != 0)
            .redact(flags & CCCD_REDACT != 0);
        report::validate_json(bytes, &opts)
    })
}

/// Finds the card's QR code in an encoded image (PNG, JPEG, WebP, GIF, BMP) and returns the
/// JSON object `cccd scan` prints for a file, without the `"file"` key: `{"ok":true,
/// "elapsed_ms":…,"codes":[…],"layout":…,"card":{…},…}` or `{"ok":false,"elapsed_ms":…,
/// "error":{"code":…,"message":…}}`.
///
/// - `image`, `len`: the encoded image file's bytes.
/// - `flags`: 0, or any of `CCCD_RAW` (any QR code is a success, as `cccd scan --raw`) and
///   `CCCD_REDACT` (`cccd scan --redact`); `CCCD_LENIENT` is accepted and changes nothing
///   (the scanner always parses the code leniently).
/// - `today`: as for `cccd_validate_json`.
///
/// Wrong calls give `{"ok":false,"error":{"code":…,"message":…}}` with the codes of
/// `cccd_validate_json`. Takes up to the scanner's time budget (2 s) of one core.
///
/// Returns a string the caller owns and frees with `cccd_string_free`; `NULL` only when
/// memory ran out.
///
/// # Safety
/// `image` must be `NULL` or point to `len` readable bytes; `today` must be `NULL` or a
/// NUL-terminated string. Both are only read during the call.
#[no_mangle]
pub unsafe extern "C" fn cccd_scan_json(
    image: *const u8,
    len: usize,
    flags: u32,
    today: *const c_char,
) -> *mut c_char {
    json_out(Shape::Scan, || {
        if flags & !(CCCD_LENIENT | CCCD_RAW | CCCD_REDACT) != 0 {
            return call_error(
                Shape::Scan,
                "invalid_argument",
                "unknown flag bits: cccd_scan_json takes CCCD_RAW, CCCD_REDACT and CCCD_LENIENT",
            );
        }
        // SAFETY: the caller's contract.
        let today = match unsafe { today_from(today) } {
            Ok(d) => d,
            Err(m) => return call_error(Shape::Scan, "invalid_argument", m),
        };
        // SAFETY: the caller's contract.
        let Some(bytes) = (unsafe { boundary::bytes(image, len) }) else {
            return call_error(
                Shape::Scan,
                "null_parameter",
                "image is NULL but len is not 0",
            );
        };
        let opts = Options::new(today)
            .lenient(flags & CCCD_LENIENT != 0)
            .raw(flags & CCCD_RAW != 0)
            .redact(flags & CCCD_REDACT != 0);
        report::scan_json(bytes, &opts)
    })
}

/// Frees a string returned by `cccd_validate_json` or `cccd_scan_json`. `NULL` is accepted
/// and does nothing.
///
/// # Safety
/// `s` must be `NULL` or a string returned by one of those functions and not freed yet; it
/// must not be used afterwards. Never pass a string from another allocator (`malloc`, a .NET
/// `Marshal` call…), nor one of the `const char *` a card accessor returns.
#[no_mangle]
pub unsafe extern "C" fn cccd_string_free(s: *mut c_char) {
    guard(|| {
        if !s.is_null() {
            // SAFETY: `s` came from `CString::into_raw` by the caller's contract.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

/// This library's version, e.g. `"0.1.0"`: a static NUL-terminated string, never to be
/// freed.
#[no_mangle]
pub extern "C" fn cccd_version() -> *const c_char {
    const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(v) => v,
        Err(_) => c"",
    };
    VERSION.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn call(payload: Option<&[u8]>, len: usize, flags: u32, today: Option<&CStr>) -> String {
        let p = payload.map_or(ptr::null(), <[u8]>::as_ptr);
        let t = today.map_or(ptr::null(), CStr::as_ptr);
        // SAFETY: `p` is NULL or `len` readable bytes, `t` NULL or NUL-terminated.
        unsafe {
            let s = cccd_validate_json(p, len, flags, t);
            assert!(!s.is_null());
            let out = CStr::from_ptr(s).to_str().unwrap().to_owned();
            cccd_string_free(s);
            out
        }
    }

    #[test]
    fn wrong_calls_give_error_objects() {
        let p = b"x";
        assert_eq!(
            call(None, 3, 0, None),
            r#"{"ok":false,"error":{"code":"null_parameter","field":null,"offset":0,"message":"payload is NULL but len is not 0"}}"#
        );
        assert!(call(Some(p), 1, 8, None).contains(r#""code":"invalid_argument""#));
        assert!(call(Some(p), 1, CCCD_RAW, None).contains(r#""code":"invalid_argument""#));
        assert!(call(Some(p), 1, 0, Some(c"2026-13-01")).contains(r#""code":"invalid_argument""#));
        assert!(call(Some(p), 1, 0, Some(c"01/01/2026")).contains(r#""code":"invalid_argument""#));
        assert!(call(None, 0, 0, None).contains(r#""code":"empty""#));
    }

    #[test]
    fn the_version_is_the_crate_version() {
        // SAFETY: a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(cccd_version()) };
        assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
        let root = include_str!("../../../Cargo.toml");
        let line = format!("version = \"{}\"", env!("CARGO_PKG_VERSION"));
        assert!(
            root.lines().any(|l| l == line),
            "keep the version of cccd-ffi equal to cccd's"
        );
    }
}
