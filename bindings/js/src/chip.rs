//! `readChip` and `verify`: the objects `cccd chip` and `cccd verify` print, without `"dir"`
//! (feature `chip`). The chip's files come in memory, by name, as a reader read them.

use cccd::report::{self, ChipReport, Options, Records};
use cccd::{Chip, ElementaryFile, TrustAnchors, MAX_FILE_LEN};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::today;

fn type_error(message: String) -> JsValue {
    js_sys::TypeError::new(&message).into()
}

/// The chip of the files `names[i]` → `files[i]`.
///
/// A file longer than [`MAX_FILE_LEN`] is copied only that far and one byte more: the
/// library rejects it from its length alone, and a huge array is not copied into the
/// module's memory.
fn chip_of(fn_: &str, names: &[String], files: &[Uint8Array]) -> Result<Chip, JsValue> {
    if names.len() != files.len() {
        return Err(type_error(format!(
            "{fn_}: {} names for {} files",
            names.len(),
            files.len()
        )));
    }
    if names.is_empty() {
        return Err(type_error(format!(
            "{fn_}: the chip's files are empty: give at least one of com, dg1 … dg16, sod"
        )));
    }
    let mut chip = Chip::new();
    for (name, bytes) in names.iter().zip(files) {
        let Some(file) = ElementaryFile::from_name(name) else {
            return Err(type_error(format!(
                "{fn_}: {name:?} is not a chip file: the names are com, dg1 … dg16, sod"
            )));
        };
        let limit = u32::try_from(MAX_FILE_LEN + 1).unwrap_or(u32::MAX);
        let bytes = if bytes.length() > limit {
            bytes.subarray(0, limit).to_vec()
        } else {
            bytes.to_vec()
        };
        if chip.insert(file, bytes).is_some() {
            return Err(type_error(format!(
                "{fn_}: the file {} is given twice (names are case-insensitive; `ef.` and `ef_` prefixes are ignored)",
                file.name()
            )));
        }
    }
    Ok(chip)
}

/// The trust anchors in `csca` (DER or PEM bytes each). A certificate that does not parse is
/// an `Error` named `CccdError` with `code` `bad_certificate` (the message names the array
/// element), which the JavaScript wrapper turns into a `CccdError`.
fn anchors(fn_: &str, csca: &[Uint8Array]) -> Result<TrustAnchors, JsValue> {
    let mut anchors = TrustAnchors::new();
    for (i, bytes) in csca.iter().enumerate() {
        if let Err(e) = anchors.add(&bytes.to_vec()) {
            let error = js_sys::Error::new(&format!("{fn_}: csca[{i}]: {e}"));
            error.set_name("CccdError");
            js_sys::Reflect::set(&error, &"code".into(), &e.code().into())?;
            return Err(error.into());
        }
    }
    Ok(anchors)
}

/// The object `cccd chip DIR` prints for the files `names[i]` → `files[i]`, without `"dir"`,
/// passive authentication against the certificates `csca`.
///
/// # Errors
/// A `TypeError` for an unknown file name, a file given twice or no file; a `CccdError`
/// (code `bad_certificate`) for a certificate that does not parse.
#[wasm_bindgen(js_name = chipJson)]
pub fn chip_json(
    names: Vec<String>,
    files: Vec<Uint8Array>,
    csca: Vec<Uint8Array>,
    redact: bool,
) -> Result<String, JsValue> {
    let chip = chip_of("readChip", &names, &files)?;
    let anchors = anchors("readChip", &csca)?;
    Ok(report::to_json(&ChipReport::new(
        None,
        Ok(&chip),
        &anchors,
        redact,
    )))
}

/// The object `cccd verify` prints for one card's records, without `chip.dir`: the QR
/// payload's bytes, the MRZ's, the chip's files (`names` → `files`, when `names` is given).
///
/// # Errors
/// As [`chip_json`], and a `TypeError` when `today` is not a date.
#[wasm_bindgen(js_name = verifyJson)]
#[allow(clippy::too_many_arguments)]
pub fn verify_json(
    qr: Option<Vec<u8>>,
    mrz: Option<Vec<u8>>,
    names: Option<Vec<String>>,
    files: Vec<Uint8Array>,
    csca: Vec<Uint8Array>,
    lenient: bool,
    redact: bool,
    today_: Option<String>,
) -> Result<String, JsValue> {
    let opts = Options::new(today(today_)?).lenient(lenient).redact(redact);
    let chip = names
        .map(|names| chip_of("verify", &names, &files))
        .transpose()?;
    let anchors = anchors("verify", &csca)?;
    let mut records = Records::new().qr(qr.as_deref()).mrz(mrz.as_deref());
    if let Some(chip) = chip {
        records = records.chip(chip);
    }
    Ok(report::verify_json(records, &anchors, &opts))
}
