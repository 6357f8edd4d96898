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

/// A C string as UTF-8 text (`Err` when it is not UTF-8); `None` stays `None`.
fn utf8(s: Option<&std::ffi::CStr>) -> Result<Option<&str>, ()> {
    s.map(|s| s.to_str().map_err(|_| ())).transpose()
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

/// Cross-checks the records of one card and returns the JSON object `cccd verify` prints:
/// `{"ok":…,"consistent":…,"records":[…],"qr":{…},"mrz":{…},"chip":{…},"cross_checks":[…]}`
/// — each record's own object (as `cccd parse`, `cccd mrz` and `cccd chip` print it) and
/// every disagreement between two of them (`code`, `message`, `between`). Authenticity is a
/// separate answer: `chip.passive_authentication.outcome` (`verified` only with a CSCA).
///
/// - `qr`, `qr_len`: the QR payload's bytes, or `NULL` when there is none (here `NULL` means
///   "not given", not the empty payload).
/// - `mrz`, `mrz_len`: the MRZ printed on the back (three lines separated by newlines), or
///   `NULL`.
/// - `chip_dir`: a folder of the files a reader dumped from the chip (`com.bin`, `dg1.bin`,
///   `dg2.bin`, `dg13.bin`, `sod.bin`, …), NUL-terminated UTF-8, or `NULL`.
/// - `csca_path`: a file of trusted CSCA certificates (DER, or PEM with one or more), or
///   `NULL` (then the best outcome is `chain_not_verified`).
/// - `flags`: 0, or any of `CCCD_LENIENT` (QR payload and MRZ read leniently) and
///   `CCCD_REDACT`.
/// - `today`: as for `cccd_validate_json`.
///
/// Calls that cannot run give `{"ok":false,"error":{"code":…,"message":…}}` with the codes of
/// `cccd_validate_json`, plus `invalid_argument` when no record is given, a path is not
/// UTF-8 or the CSCA file cannot be read or holds no certificate. Reads only small files
/// (each chip file at most 4 MiB); takes milliseconds.
///
/// Returns a string the caller owns and frees with `cccd_string_free`; `NULL` only when
/// memory ran out.
///
/// # Safety
/// `qr` and `mrz` must be `NULL` or point to `qr_len` / `mrz_len` readable bytes;
/// `chip_dir`, `csca_path` and `today` must be `NULL` or NUL-terminated strings. All are
/// only read during the call.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cccd_verify_json(
    qr: *const u8,
    qr_len: usize,
    mrz: *const u8,
    mrz_len: usize,
    chip_dir: *const c_char,
    csca_path: *const c_char,
    flags: u32,
    today: *const c_char,
) -> *mut c_char {
    let wrong = |m: &str| call_error(Shape::Scan, "invalid_argument", m);
    json_out(Shape::Scan, || {
        if flags & !(CCCD_LENIENT | CCCD_REDACT) != 0 {
            return wrong("unknown flag bits: cccd_verify_json takes CCCD_LENIENT and CCCD_REDACT");
        }
        // SAFETY: the caller's contract.
        let today = match unsafe { today_from(today) } {
            Ok(d) => d,
            Err(m) => return wrong(m),
        };
        // SAFETY: the caller's contract, for each pointer.
        let (qr, mrz) = unsafe {
            (
                (!qr.is_null())
                    .then(|| boundary::bytes(qr, qr_len))
                    .flatten(),
                (!mrz.is_null())
                    .then(|| boundary::bytes(mrz, mrz_len))
                    .flatten(),
            )
        };
        // SAFETY: the caller's contract.
        let (chip_dir, csca_path) =
            unsafe { (boundary::c_str(chip_dir), boundary::c_str(csca_path)) };
        let (Ok(chip_dir), Ok(csca_path)) = (utf8(chip_dir), utf8(csca_path)) else {
            return wrong("chip_dir and csca_path must be UTF-8");
        };
        if qr.is_none() && mrz.is_none() && chip_dir.is_none() {
            return wrong("give at least one of qr, mrz and chip_dir");
        }
        let mut anchors = cccd::TrustAnchors::new();
        if let Some(path) = csca_path {
            if let Err(e) = anchors.add_file(path) {
                return wrong(&format!("csca_path: {e}"));
            }
        }
        let opts = Options::new(today)
            .lenient(flags & CCCD_LENIENT != 0)
            .redact(flags & CCCD_REDACT != 0);
        let mut records = report::Records::new().qr(qr).mrz(mrz);
        if let Some(dir) = chip_dir {
            records = records.chip_dir(dir);
        }
        report::verify_json(records, &anchors, &opts)
    })
}

/// Frees a string returned by `cccd_validate_json`, `cccd_scan_json` or `cccd_verify_json`. `NULL` is accepted
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

    fn verify(
        qr: Option<&[u8]>,
        mrz: Option<&[u8]>,
        chip: Option<&CStr>,
        csca: Option<&CStr>,
        flags: u32,
    ) -> serde_json::Value {
        let bytes = |b: Option<&[u8]>| {
            (
                b.map_or(ptr::null(), <[u8]>::as_ptr),
                b.map_or(0, <[u8]>::len),
            )
        };
        let ((q, ql), (m, ml)) = (bytes(qr), bytes(mrz));
        let c = |s: Option<&CStr>| s.map_or(ptr::null(), CStr::as_ptr);
        // SAFETY: every pointer is NULL or valid for its length / NUL-terminated.
        unsafe {
            let s = cccd_verify_json(
                q,
                ql,
                m,
                ml,
                c(chip),
                c(csca),
                flags,
                c"2026-11-27".as_ptr(),
            );
            assert!(!s.is_null());
            let out = CStr::from_ptr(s).to_str().unwrap().to_owned();
            cccd_string_free(s);
            serde_json::from_str(&out).unwrap()
        }
    }

    #[test]
    fn verify_cross_checks_a_generated_card() {
        let dir = std::env::temp_dir().join(format!("cccd-ffi-verify-{}", std::process::id()));
        let mut g = cccd::synth::ChipGenerator::new(9);
        let (a, b) = (g.chip(), g.chip());
        a.write_dir(dir.join("a")).unwrap();
        std::fs::write(dir.join("csca.der"), &a.csca).unwrap();
        let cstr = |p: &std::path::Path| std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        let (chip, csca) = (cstr(&dir.join("a")), cstr(&dir.join("csca.der")));
        let qr = a.card.to_string();
        let mrz = cccd::synth::mrz_text(&a.card);
        let v = verify(
            Some(qr.as_bytes()),
            Some(mrz.as_bytes()),
            Some(&chip),
            Some(&csca),
            0,
        );
        assert_eq!(v["consistent"], true, "{v}");
        assert_eq!(v["chip"]["passive_authentication"]["outcome"], "verified");
        // Another card's payload: disagreements named with the two records.
        let other = b.card.to_string();
        let v = verify(Some(other.as_bytes()), None, Some(&chip), None, CCCD_REDACT);
        assert_eq!(v["consistent"], false);
        assert_eq!(v["cross_checks"][0]["code"], "chip_id_mismatch");
        assert_eq!(
            v["chip"]["passive_authentication"]["outcome"],
            "chain_not_verified"
        );
        assert!(!v.to_string().contains(&qr[3..12]));
        // Wrong calls.
        let code = |v: serde_json::Value| v["error"]["code"].as_str().unwrap().to_owned();
        assert_eq!(code(verify(None, None, None, None, 0)), "invalid_argument");
        assert_eq!(
            code(verify(Some(b"x"), None, None, None, CCCD_RAW)),
            "invalid_argument"
        );
        let missing = cstr(&dir.join("missing.der"));
        assert_eq!(
            code(verify(Some(b"x"), None, None, Some(&missing), 0)),
            "invalid_argument"
        );
        std::fs::remove_dir_all(&dir).unwrap();
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
