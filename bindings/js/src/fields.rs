//! `parse`'s fast path: a parsed card's fields as numbers, so that the wrapper builds the
//! JavaScript strings as slices of the payload string it already holds instead of decoding a
//! JSON report (a report costs more than the parse itself).
//!
//! The numbers ([`parse_text`]): `[layout, sex, birth y, m, d, issue y, m, d, repairs,
//! extras, owned, then one (kind, a, b) triple per text field]`, text fields in the order
//! `id_number, old_id_number, full_name, address, extra_fields…`. Kinds:
//! - [`ABSENT`] (0): `null`;
//! - [`SLICE`] (1): the payload's UTF-16 code units `a..b` (the card borrows the payload);
//! - [`OWNED`] (2): code units `a..b` of the string [`take_owned`] returns (repaired text; `owned`
//!   is 1 when there is some);
//! - [`DIGITS`] (3): the decimal digits of the number `a`, left-padded with zeros to `b` digits.
//!
//! `layout` and `sex` index the lists [`names`] returns. Repairs (`repairs` > 0) come as the
//! library's JSON from [`take_repairs`].

use std::cell::RefCell;

use cccd::{Card, Layout, Parser, Sex};
use wasm_bindgen::prelude::*;

/// `null`.
const ABSENT: f64 = 0.0;
/// A slice of the payload.
const SLICE: f64 = 1.0;
/// A slice of the owned text.
const OWNED: f64 = 2.0;
/// A number written in decimal, zero-padded.
const DIGITS: f64 = 3.0;

/// Room for the numbers: the header and (kind, a, b) for 4 text fields and 4 extra fields.
const OUT_LEN: usize = 11 + 3 * 8;

thread_local! {
    /// Where [`parse_text`] writes the numbers; the wrapper reads them through a view on the
    /// module's memory (no allocation per call: a fresh `Float64Array` per parse costs more
    /// than the parse, in garbage collection).
    static OUT: RefCell<[f64; OUT_LEN]> = const { RefCell::new([0.0; OUT_LEN]) };
    /// See [`input_buffer`].
    static INPUT: RefCell<Vec<u8>> = RefCell::new(vec![0; cccd::MAX_PAYLOAD_LEN]);
    static OWNED_TEXT: RefCell<String> = const { RefCell::new(String::new()) };
    static REPAIRS: RefCell<String> = const { RefCell::new(String::new()) };
}

const SEXES: [Sex; 2] = [Sex::Male, Sex::Female];
const LAYOUTS: [Layout; 2] = [Layout::V2021, Layout::V2024];

/// The names the indexes of [`parse_text`] stand for, as the library writes them:
/// `{"sex": [...], "layout": [...]}`.
#[wasm_bindgen]
pub fn names() -> String {
    let list = |names: &[&str]| format!("[\"{}\"]", names.join("\",\""));
    format!(
        "{{\"sex\":{},\"layout\":{}}}",
        list(&SEXES.map(Sex::as_str)),
        list(&LAYOUTS.map(Layout::as_str))
    )
}

/// The text of the last [`parse_text`] that is not a slice of the payload.
#[wasm_bindgen(js_name = takeOwned)]
pub fn take_owned() -> String {
    OWNED_TEXT.with(|t| std::mem::take(&mut *t.borrow_mut()))
}

/// The repairs of the last [`parse_text`], as the library serialises them (a JSON array).
#[wasm_bindgen(js_name = takeRepairs)]
pub fn take_repairs() -> String {
    REPAIRS.with(|t| std::mem::take(&mut *t.borrow_mut()))
}

/// The address of the numbers [`parse_text`] writes (`f64`s, 8-byte aligned).
#[wasm_bindgen(js_name = parseOut)]
pub fn parse_out() -> usize {
    OUT.with(|o| o.as_ptr() as usize)
}

/// How many numbers there is room for at [`parse_out`].
#[wasm_bindgen(js_name = parseOutLen)]
pub fn parse_out_len() -> usize {
    OUT_LEN
}

/// The module's memory, for the wrapper's view on [`parse_out`].
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// The address of the input buffer, [`cccd::MAX_PAYLOAD_LEN`] bytes long: the wrapper
/// writes a payload's UTF-8 there itself (`TextEncoder.encodeInto`) and calls
/// [`parse_input`], which saves the allocations of passing a string.
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer() -> usize {
    INPUT.with(|b| b.borrow_mut().as_mut_ptr() as usize)
}

/// [`parse_text`] on the first `len` bytes of the input buffer (0 when they are not UTF-8).
#[wasm_bindgen(js_name = parseInput)]
pub fn parse_input(len: usize, lenient: bool) -> usize {
    INPUT.with(|b| {
        let b = b.borrow();
        match b.get(..len).map(std::str::from_utf8) {
            Some(Ok(payload)) => parse_text(payload, lenient),
            _ => 0,
        }
    })
}

/// Parses `payload` and writes its card's fields as numbers at [`parse_out`] (see the
/// module docs); returns how many, or 0 when it does not parse, contains U+FFFD (which may
/// stand for a lone surrogate of the JavaScript string: the wrapper checks), or holds
/// something this encoding does not know (the wrapper then uses the report).
fn parse_text(payload: &str, lenient: bool) -> usize {
    let mut out = Out {
        buf: [0.0; OUT_LEN],
        len: 0,
    };
    if !encode(payload, lenient, &mut out) || out.len > OUT_LEN {
        return 0;
    }
    OUT.with(|o| *o.borrow_mut() = out.buf);
    out.len
}

/// The numbers, on the stack (no allocation); `len` past `OUT_LEN` means they did not fit.
struct Out {
    buf: [f64; OUT_LEN],
    len: usize,
}

impl Out {
    fn extend<const N: usize>(&mut self, values: [f64; N]) {
        for v in values {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = v;
            }
            self.len += 1;
        }
    }
}

fn encode(payload: &str, lenient: bool, out: &mut Out) -> bool {
    // U+FFFD is EF BF BD; 0xEF is rare in Vietnamese text (U+1Exx is E1 xx xx).
    if payload.as_bytes().contains(&0xEF) && payload.contains('\u{FFFD}') {
        return false;
    }
    let Ok(parsed) = Parser::new().lenient(lenient).parse(payload) else {
        return false;
    };
    let card = &parsed.card;
    let (Some(layout), Some(sex)) = (
        LAYOUTS.iter().position(|l| *l == card.layout()),
        SEXES.iter().position(|s| *s == card.sex()),
    ) else {
        return false;
    };
    out.extend([layout as f64, sex as f64]);
    for date in [card.date_of_birth(), card.issue_date()] {
        use cccd::chrono::Datelike;
        out.extend([
            f64::from(date.year()),
            f64::from(date.month()),
            f64::from(date.day()),
        ]);
    }
    // The last 0: whether there is owned text, set below.
    out.extend([
        parsed.repairs.len() as f64,
        card.extra_fields().len() as f64,
        0.0,
    ]);
    if !parsed.repairs.is_empty() {
        let json = cccd::report::to_json(&parsed.repairs);
        REPAIRS.with(|r| *r.borrow_mut() = json);
    }
    OWNED_TEXT.with(|owned| {
        let owned = &mut *owned.borrow_mut();
        owned.clear();
        let mut text = Text::new(payload, owned);
        text.digits(Some(card.id_number().as_str()), out);
        text.digits(card.old_id_number().map(|o| o.as_str()), out);
        fields(card, &mut text, out);
        out.buf[10] = f64::from(u8::from(!owned.is_empty()));
    });
    true
}

fn fields(card: &Card<'_>, text: &mut Text<'_>, out: &mut Out) {
    text.field(card.full_name(), out);
    text.field(card.address(), out);
    for extra in card.extra_fields() {
        text.field(extra, out);
    }
}

/// Where text fields are: slices of the payload (UTF-16 offsets counted forward), or
/// appended to the owned text.
struct Text<'p> {
    payload: &'p str,
    /// A byte offset in the payload and the UTF-16 offset it is at.
    at: (usize, usize),
    owned: &'p mut String,
}

impl<'p> Text<'p> {
    fn new(payload: &'p str, owned: &'p mut String) -> Self {
        Text {
            payload,
            at: (0, 0),
            owned,
        }
    }

    /// The UTF-16 offset of byte offset `byte` (a char boundary) of the payload.
    fn utf16(&mut self, byte: usize) -> usize {
        if byte < self.at.0 {
            self.at = (0, 0);
        }
        // One UTF-16 unit per char (every byte but continuation bytes), two for 4-byte chars.
        let units: usize = self.payload.as_bytes()[self.at.0..byte]
            .iter()
            .map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
            .sum();
        self.at = (byte, self.at.1 + units);
        self.at.1
    }

    fn field(&mut self, s: &str, out: &mut Out) {
        let base = self.payload.as_ptr() as usize;
        let start = s.as_ptr() as usize;
        if !s.is_empty() && start >= base && start + s.len() <= base + self.payload.len() {
            let from = self.utf16(start - base);
            let to = self.utf16(start - base + s.len());
            out.extend([SLICE, from as f64, to as f64]);
        } else {
            let from: usize = self.owned.encode_utf16().count();
            self.owned.push_str(s);
            let to = from + s.encode_utf16().count();
            out.extend([OWNED, from as f64, to as f64]);
        }
    }

    /// An ID number: ASCII digits, as a number when it fits a double exactly.
    fn digits(&mut self, s: Option<&str>, out: &mut Out) {
        match s {
            None => out.extend([ABSENT, 0.0, 0.0]),
            Some(d) if d.len() <= 15 && !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) => {
                let n = d.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
                out.extend([DIGITS, n as f64, d.len() as f64]);
            }
            Some(d) => self.field(d, out),
        }
    }
}
