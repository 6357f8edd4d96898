//! WebAssembly glue for the `cccd-vn` npm package: the library's reports as JSON strings,
//! the parsed card's fields for `parse`, and a panic hook.
//!
//! Only glue lives here: arguments converted, the library's report serialised by the library
//! ([`cccd::report`]), errors mapped. The JavaScript wrapper in `js/` turns the JSON into
//! objects and errors into `CccdError`s.
//!
//! Three builds of this crate make the package's three WebAssembly modules: without features
//! (`parse`, `validate`, `readMrz`: the parser, small), with `scan` (adds the image decoders
//! and the QR engines) and with `chip` (adds the chip's data groups and passive
//! authentication: `readChip`, `verify`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::cell::RefCell;

use cccd::report::{self, Options};
use cccd::{NaiveDate, Parser};
use wasm_bindgen::prelude::*;

#[cfg(feature = "chip")]
mod chip;
mod fields;
#[cfg(feature = "scan")]
mod scan;

thread_local! {
    /// Where the last panic happened (`file:line`), for the JavaScript wrapper to put into
    /// its error after the trap.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs when the module is instantiated: installs the panic hook.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        // Only the location: a panic message can quote the text it choked on (a `str`
        // slicing panic quotes the string), and that text can be personal data.
        let at = info.location().map_or_else(
            || "unknown location".to_owned(),
            |l| format!("{}:{}", short_path(l.file()), l.line()),
        );
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(at));
    }));
}

/// A dependency's source path from `rqrr-0.11.0/` on, without the build machine's registry
/// directory.
fn short_path(file: &str) -> &str {
    match file.rsplit_once("/registry/src/") {
        Some((_, rest)) => rest
            .split_once('/')
            .map_or(rest, |(_, crate_path)| crate_path),
        None => file,
    }
}

/// Takes where the last panic happened, if one did since the last call.
#[wasm_bindgen(js_name = takePanic)]
pub fn take_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow_mut().take())
}

/// Panics, for the test of the panic path (a panic is a trap in WebAssembly: the wrapper must
/// turn it into a `CccdError`).
#[doc(hidden)]
#[wasm_bindgen(js_name = __panicForTest)]
pub fn panic_for_test() {
    panic!("deliberate panic for the test of the panic hook");
}

/// The reference date: `today` as `YYYY-MM-DD`, or the local date of the JavaScript clock.
pub(crate) fn today(today: Option<String>) -> Result<NaiveDate, JsValue> {
    match today {
        Some(s) => s.parse::<NaiveDate>().map_err(|_| {
            js_sys::TypeError::new("options.today must be a date written YYYY-MM-DD").into()
        }),
        None => {
            let now = js_sys::Date::new_0();
            NaiveDate::from_ymd_opt(
                // Years, months and days from the JavaScript clock are small integers.
                now.get_full_year() as i32,
                now.get_month() + 1,
                now.get_date(),
            )
            .ok_or_else(|| js_sys::Error::new("the clock gives an invalid date").into())
        }
    }
}

fn options(lenient: bool, redact: bool, today_: Option<String>) -> Result<Options, JsValue> {
    Ok(Options::new(today(today_)?).lenient(lenient).redact(redact))
}

/// The object `cccd parse --format json` prints for a payload given as text.
///
/// # Errors
/// A `TypeError` when `today` is not a date.
#[wasm_bindgen(js_name = validateText)]
pub fn validate_text(
    payload: &str,
    lenient: bool,
    redact: bool,
    today: Option<String>,
) -> Result<String, JsValue> {
    Ok(report::validate_json(
        payload.as_bytes(),
        &options(lenient, redact, today)?,
    ))
}

/// The object `cccd parse --format json` prints for a payload given as bytes.
///
/// # Errors
/// A `TypeError` when `today` is not a date.
#[wasm_bindgen(js_name = validateBytes)]
pub fn validate_bytes(
    payload: &[u8],
    lenient: bool,
    redact: bool,
    today: Option<String>,
) -> Result<String, JsValue> {
    Ok(report::validate_json(
        payload,
        &options(lenient, redact, today)?,
    ))
}

/// The object `cccd mrz` prints for one MRZ (three lines separated by newlines, or DG1's 90
/// characters).
///
/// # Errors
/// A `TypeError` when `today` is not a date.
#[wasm_bindgen(js_name = mrzJson)]
pub fn mrz_json(
    lines: &[u8],
    lenient: bool,
    redact: bool,
    today: Option<String>,
) -> Result<String, JsValue> {
    Ok(report::mrz_json(lines, &options(lenient, redact, today)?))
}

/// The canonical payload of the card `payload` parses to (what `Display` writes), or `None`
/// when it does not parse.
#[wasm_bindgen]
pub fn canonical(payload: &[u8], lenient: bool) -> Option<String> {
    Parser::new()
        .lenient(lenient)
        .parse_bytes(payload)
        .ok()
        .map(|p| p.card.to_string())
}

/// [`cccd::MAX_PAYLOAD_LEN`]: longer payloads are not copied into WebAssembly memory.
#[wasm_bindgen(js_name = maxPayloadLen)]
pub fn max_payload_len() -> usize {
    cccd::MAX_PAYLOAD_LEN
}

/// The object `cccd parse --format json` prints for a payload of `len` bytes, over
/// [`cccd::MAX_PAYLOAD_LEN`] (the wrapper does not copy such a payload).
///
/// # Errors
/// A `TypeError` when `today` is not a date.
#[wasm_bindgen(js_name = validateTooLong)]
pub fn validate_too_long(
    len: usize,
    lenient: bool,
    redact: bool,
    today: Option<String>,
) -> Result<String, JsValue> {
    let opts = options(lenient, redact, today)?;
    Ok(report::to_json(&report::ParseReport::new(
        Err(cccd::Error::too_long(len)),
        &opts,
    )))
}

/// The error's [`reason`](cccd::Error::reason) for `CccdError.reason` (the report's error
/// object has `code`, `field`, `offset`, `message`): of the payload, or, when `len` is over
/// [`cccd::MAX_PAYLOAD_LEN`] (the wrapper then passes no bytes), of a payload that long.
/// `None` when it parses.
#[wasm_bindgen(js_name = errorReason)]
pub fn error_reason(payload: &[u8], lenient: bool, len: usize) -> Option<String> {
    let error = if len > cccd::MAX_PAYLOAD_LEN {
        cccd::Error::too_long(len)
    } else {
        Parser::new().lenient(lenient).parse_bytes(payload).err()?
    };
    Some(error.reason().as_str().to_owned())
}
