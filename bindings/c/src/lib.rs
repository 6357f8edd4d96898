//! # libcccd: the C ABI of cccd
//!
//! Reads Vietnamese chip ID cards (CCCD) from any language that can call C: C and C++, C#
//! (P/Invoke), Java (FFM, JNA), Go (cgo), Swift, Python (ctypes). The header is
//! `bindings/c/include/cccd.h`, generated from this crate by cbindgen; build with
//! `cargo build --release -p cccd-ffi` to get `libcccd.so` (`libcccd.dylib`, `cccd.dll`) and
//! `libcccd.a` (`cccd.lib`).
//!
//! This crate is glue: every answer comes from the `cccd` library. Two ways in:
//!
//! - **JSON**: `cccd_validate_json` and `cccd_scan_json` return exactly the JSON objects the
//!   `cccd parse` and `cccd scan` commands print, as strings freed with `cccd_string_free`.
//! - **Typed**: `cccd_parse` and `cccd_scan` fill a `cccd_card *` (read it with the
//!   `cccd_card_*` accessors, free it with `cccd_card_free`) or a `cccd_error` (code, field,
//!   byte offset, reason, message), and return a `cccd_status`.
//!
//! ## Rules every function keeps
//! - **No panic crosses the boundary.** Each exported function catches panics: status
//!   functions return `CCCD_STATUS_PANIC`, JSON functions an object with `"code":"panic"`,
//!   accessors `NULL`/0.
//! - **Pointers are checked.** A `NULL` (or misaligned) pointer the function needs gives
//!   `CCCD_STATUS_NULL_PARAMETER`, a `null_parameter` JSON error, or `NULL`/0 from an accessor,
//!   never a crash. Pointers that are wrong in ways no check can see (freed, too short) are
//!   undefined behaviour, as everywhere in C.
//! - **Ownership is explicit.** The caller owns what a function returns as non-`const`
//!   (`char *` strings, `cccd_card *`) and frees it with the matching function, once.
//!   `const char *` results are borrowed: from the card (until `cccd_card_free`) or static
//!   (`cccd_version`). Input buffers are only read during the call and never kept.
//! - **Thread-safe.** There is no global state: any function may be called from any number of
//!   threads at once. A card is immutable, so threads may share it for reading; it must not be
//!   freed while another thread reads it.
//! - **No personal data in errors.** Messages name the field and the byte offset and quote at
//!   most one offending character, never the payload.
//!
//! A panic caught in a QR engine while scanning is recovered inside the library (the scan goes
//! on with the next step), but Rust's default panic hook still prints it to standard error.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![allow(non_camel_case_types)]

mod boundary;
mod card;
mod json;
mod status;

pub use card::{
    cccd_card, cccd_card_address, cccd_card_date_of_birth, cccd_card_date_of_birth_iso,
    cccd_card_expiry_date, cccd_card_extra_field, cccd_card_extra_field_count, cccd_card_free,
    cccd_card_full_name, cccd_card_full_name_ascii, cccd_card_id_number, cccd_card_issue_date,
    cccd_card_issue_date_iso, cccd_card_layout, cccd_card_old_id_number, cccd_card_payload,
    cccd_card_repair, cccd_card_repair_count, cccd_card_sex, cccd_date, cccd_layout, cccd_parse,
    cccd_scan, cccd_sex,
};
pub use json::{
    cccd_scan_json, cccd_string_free, cccd_validate_json, cccd_version, CCCD_LENIENT, CCCD_RAW,
    CCCD_REDACT,
};
pub use status::{cccd_error, cccd_status, CCCD_ERROR_MESSAGE_LEN, CCCD_ERROR_NAME_LEN};
