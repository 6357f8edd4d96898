//! The native part of the Python package `cccd` (distribution `cccd-vn`): glue between
//! Python objects and the `cccd` library. No card logic lives here: parsing, checks and every
//! object returned are the library's (`cccd::report`, the typed report the `cccd` command
//! prints); this crate converts types, maps errors, releases the GIL and spreads batches over
//! threads.
//!
//! The pure-Python layer (`python/cccd/__init__.py`) adds what is easier in Python: accepting
//! pyarrow arrays, numpy arrays and PIL images, and building Arrow record batches.

// PyO3's macros expand to `unsafe` FFI calls; this crate's own `unsafe` is one documented
// function (`utf8::borrow`).
#![deny(unsafe_op_in_unsafe_fn)]

use std::borrow::Cow;

use cccd::report;
use cccd::{Error, NaiveDate, Parsed, Parser};
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString};
use rayon::prelude::*;

pyo3::create_exception!(
    cccd,
    ParseError,
    pyo3::exceptions::PyValueError,
    "A payload that is not a card payload.\n\n\
     Attributes: ``code`` (the JSON contract's error code, e.g. ``\"date_of_birth\"``), \
     ``field`` (the field's name, or ``None``), ``offset`` (byte offset in the UTF-8 input) \
     and ``reason``. The message never quotes the payload."
);

/// The reference date: the caller's, else the local date (the library never reads the clock).
fn today_or_local(today: Option<NaiveDate>) -> NaiveDate {
    today.unwrap_or_else(|| cccd::chrono::Local::now().date_naive())
}

/// The Python `ParseError` for a library error: message and attributes, no payload text.
fn parse_error(py: Python<'_>, e: &Error) -> PyErr {
    let err = ParseError::new_err(e.to_string());
    let value = err.value(py);
    let set = || -> PyResult<()> {
        value.setattr("code", e.code().as_str())?;
        value.setattr("field", e.field().map(|f| f.as_str()))?;
        value.setattr("offset", e.offset())?;
        value.setattr("reason", e.reason().as_str())?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// The bytes of one payload argument: `str` as UTF-8 (a `str` holding lone surrogates is
/// encoded with `surrogatepass`, so the parser reports an `encoding` error at the right
/// offset), `bytes` and `bytearray` as they are.
fn payload_bytes<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(s) = obj.cast::<PyString>() {
        if let Some(bytes) = utf8::borrow(s) {
            return Ok(Cow::Borrowed(bytes));
        }
        return match s.to_cow() {
            Ok(Cow::Borrowed(s)) => Ok(Cow::Borrowed(s.as_bytes())),
            Ok(Cow::Owned(s)) => Ok(Cow::Owned(s.into_bytes())),
            Err(_) => {
                let encoded = s.call_method1("encode", ("utf-8", "surrogatepass"))?;
                Ok(Cow::Owned(encoded.cast::<PyBytes>()?.as_bytes().to_vec()))
            }
        };
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Cow::Owned(b.to_vec()));
    }
    Err(PyTypeError::new_err(format!(
        "a payload must be str or bytes, not {}",
        obj.get_type().name()?
    )))
}

mod utf8 {
    //! Borrowing a `str`'s UTF-8 text without a copy: the only `unsafe` code of this crate.

    use std::os::raw::c_char;
    use std::sync::OnceLock;

    use pyo3::prelude::*;
    use pyo3::types::PyString;
    use pyo3::{ffi, PyErr};

    extern "C" {
        // In the stable ABI since CPython 3.10 (and exported by CPython since 3.3). PyO3 does
        // not declare it for abi3-py39 builds, so it is declared here and called only on 3.10+.
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut ffi::PyObject,
            size: *mut ffi::Py_ssize_t,
        ) -> *const c_char;
    }

    /// The UTF-8 bytes of `s`, borrowed from the buffer CPython caches inside the `str` object
    /// (immutable and freed with the object, which `s` keeps alive); `None` before Python 3.10
    /// or for a `str` that is not valid UTF-8 (lone surrogates): the caller then copies.
    pub fn borrow<'a>(s: &'a Bound<'_, PyString>) -> Option<&'a [u8]> {
        static SUPPORTED: OnceLock<bool> = OnceLock::new();
        if !*SUPPORTED.get_or_init(|| s.py().version_info() >= (3, 10)) {
            return None;
        }
        let mut size: ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live `str` and we hold the GIL (a `Bound` proves both). The call
        // returns a pointer to `size` bytes owned by the object, or NULL with an exception set.
        let ptr = unsafe { PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut size) };
        if ptr.is_null() {
            drop(PyErr::take(s.py()));
            return None;
        }
        let len = usize::try_from(size).ok()?;
        // SAFETY: `ptr` points to `len` initialised bytes that live, unchanged, as long as the
        // `str` object, which outlives `'a` through the borrow of `s`.
        Some(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
    }
}

/// A parsed card. Properties are the card's fields; ``repr()`` is redacted. Two cards are
/// equal when their fields are (however they were read: repairs are not compared).
#[pyclass(module = "cccd", name = "Card", frozen, eq)]
struct Card {
    parsed: Parsed<'static>,
}

impl PartialEq for Card {
    fn eq(&self, other: &Self) -> bool {
        self.parsed.card == other.parsed.card
    }
}

impl Card {
    fn to_dict_value<'py>(
        &self,
        py: Python<'py>,
        today: Option<NaiveDate>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let opts = report::Options::new(today_or_local(today));
        let r = report::ParseReport::new(Ok(self.parsed.clone()), &opts);
        Ok(pythonize::pythonize(py, &r)?)
    }

    fn key<'py>(
        &self,
        py: Python<'py>,
        key: &str,
        today: Option<NaiveDate>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.to_dict_value(py, today)?.get_item(key)
    }
}

#[pymethods]
impl Card {
    /// The 12-digit personal ID number.
    #[getter]
    fn id_number(&self) -> &str {
        self.parsed.card.id_number().as_str()
    }

    /// The old 9- or 12-digit ID number, or ``None``.
    #[getter]
    fn old_id_number(&self) -> Option<&str> {
        self.parsed.card.old_id_number().map(|o| o.as_str())
    }

    /// The full name.
    #[getter]
    fn full_name(&self) -> &str {
        self.parsed.card.full_name()
    }

    /// The full name folded to upper-case ASCII (``NGUYEN VAN ANH``).
    #[getter]
    fn full_name_ascii(&self) -> String {
        self.parsed.card.full_name_ascii().into_owned()
    }

    /// The place of residence.
    #[getter]
    fn address(&self) -> &str {
        self.parsed.card.address()
    }

    /// ``"male"`` or ``"female"``.
    #[getter]
    fn sex(&self) -> &'static str {
        self.parsed.card.sex().as_str()
    }

    /// The date of birth.
    #[getter]
    fn date_of_birth(&self) -> NaiveDate {
        self.parsed.card.date_of_birth()
    }

    /// The issue date.
    #[getter]
    fn issue_date(&self) -> NaiveDate {
        self.parsed.card.issue_date()
    }

    /// ``"2021"`` (7 fields) or ``"2024"`` (11 fields).
    #[getter]
    fn layout(&self) -> &'static str {
        self.parsed.card.layout().as_str()
    }

    /// The 4 extra fields of the 2024 layout (empty list for 2021).
    #[getter]
    fn extra_fields(&self) -> Vec<&str> {
        self.parsed.card.extra_fields().collect()
    }

    /// The repair codes applied by lenient parsing, in order (empty when strict).
    #[getter]
    fn repairs(&self) -> Vec<&'static str> {
        self.parsed.repairs.iter().map(|r| r.as_str()).collect()
    }

    /// What the ID number says: the ``id_info`` object of :meth:`to_dict`.
    fn id_info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.key(py, "id_info", None)
    }

    /// When the card expires: the ``expiry`` object of :meth:`to_dict`.
    fn expiry<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.key(py, "expiry", None)
    }

    /// The cross-field warnings on ``today`` (default: the local date): the ``warnings``
    /// list of :meth:`to_dict`.
    #[pyo3(signature = (today=None))]
    fn check<'py>(&self, py: Python<'py>, today: Option<NaiveDate>) -> PyResult<Bound<'py, PyAny>> {
        self.key(py, "warnings", today)
    }

    /// The object ``cccd parse --format json --today TODAY`` prints for this card.
    #[pyo3(signature = (today=None))]
    fn to_dict<'py>(
        &self,
        py: Python<'py>,
        today: Option<NaiveDate>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.to_dict_value(py, today)
    }

    /// The canonical payload.
    fn __str__(&self) -> String {
        self.parsed.card.to_string()
    }

    /// Redacted: the layout and the masked ID number only.
    fn __repr__(&self) -> String {
        format!(
            "<cccd.Card layout={} id_number={}>",
            self.parsed.card.layout().as_str(),
            self.parsed.card.id_number().masked()
        )
    }
}

/// Parses one card payload.
#[pyfunction]
#[pyo3(signature = (payload, /, *, lenient=false))]
fn parse(py: Python<'_>, payload: &Bound<'_, PyAny>, lenient: bool) -> PyResult<Card> {
    let bytes = payload_bytes(payload)?;
    match Parser::new().lenient(lenient).parse_bytes(&bytes) {
        Ok(parsed) => Ok(Card {
            parsed: parsed.into_owned(),
        }),
        Err(e) => Err(parse_error(py, &e)),
    }
}

/// Payload bytes gathered from Python objects: borrowed from `bytes` objects, owned otherwise.
fn gather<'a>(objs: &'a [Bound<'_, PyAny>]) -> PyResult<Vec<Cow<'a, [u8]>>> {
    objs.iter()
        .enumerate()
        .map(|(i, o)| {
            payload_bytes(o)
                .map_err(|e| PyTypeError::new_err(format!("payload {i}: {}", e.value(o.py()))))
        })
        .collect()
}

fn collect_items<'py>(payloads: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if payloads.is_instance_of::<PyString>() || payloads.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(
            "validate takes an iterable of payloads, not one payload (use parse)",
        ));
    }
    payloads.try_iter()?.collect()
}

/// The payloads of an Arrow binary array given by its buffers: `offsets` (little-endian i32,
/// or i64 when `large`), `data`, the array's `offset` and `length`. Every offset is checked.
fn arrow_slices<'a>(
    offsets: &[u8],
    data: &'a [u8],
    offset: usize,
    length: usize,
    large: bool,
) -> PyResult<Vec<&'a [u8]>> {
    let width = if large { 8 } else { 4 };
    let bad = || PyValueError::new_err("malformed Arrow offsets buffer");
    let need = offset
        .checked_add(length)
        .and_then(|n| n.checked_add(1))
        .and_then(|n| n.checked_mul(width))
        .ok_or_else(bad)?;
    if offsets.len() < need {
        return Err(bad());
    }
    let at = |i: usize| -> PyResult<usize> {
        let b = &offsets[i * width..(i + 1) * width];
        let v = if large {
            i64::from_le_bytes(b.try_into().map_err(|_| bad())?)
        } else {
            i64::from(i32::from_le_bytes(b.try_into().map_err(|_| bad())?))
        };
        usize::try_from(v).map_err(|_| bad())
    };
    (offset..offset + length)
        .map(|i| {
            let (start, end) = (at(i)?, at(i + 1)?);
            data.get(start..end).ok_or_else(bad)
        })
        .collect()
}

fn options(lenient: bool, today: Option<NaiveDate>) -> report::Options {
    report::Options::new(today_or_local(today)).lenient(lenient)
}

/// How many payloads are parsed together before their results are handed to Python.
const CHUNK: usize = 8192;

/// Runs `produce` over `slices` in chunks on other threads (rayon inside, no GIL) while this
/// thread, holding the GIL, hands each finished chunk to `consume`: building Python objects
/// (single-threaded) overlaps with parsing the next chunk. At most two chunks are in flight.
fn pipeline<'s, T, P, C>(
    py: Python<'_>,
    slices: &'s [&'s [u8]],
    produce: P,
    mut consume: C,
) -> PyResult<()>
where
    T: Send,
    P: Fn(&'s [&'s [u8]]) -> T + Send,
    C: FnMut(T) -> PyResult<()>,
{
    std::thread::scope(|scope| {
        let (tx, mut rx) = std::sync::mpsc::sync_channel::<T>(1);
        scope.spawn(move || {
            for chunk in slices.chunks(CHUNK) {
                if tx.send(produce(chunk)).is_err() {
                    break; // the consumer stopped on an error
                }
            }
        });
        loop {
            let (back, next) = py.detach(move || {
                let next = rx.recv();
                (rx, next)
            });
            rx = back;
            match next {
                Ok(item) => consume(item)?,
                Err(_) => return Ok(()),
            }
        }
    })
}

/// Parses every payload in parallel (GIL released) and converts the reports to dicts with
/// `pythonize`, pipelined.
fn validate_slices<'py>(
    py: Python<'py>,
    slices: &[&[u8]],
    opts: &report::Options,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    pipeline(
        py,
        slices,
        |chunk| -> Vec<report::ParseReport<'_>> {
            chunk
                .par_iter()
                .map(|p| report::validate(p, opts))
                .collect()
        },
        |reports| {
            for r in &reports {
                list.append(pythonize::pythonize(py, r)?)?;
            }
            Ok(())
        },
    )?;
    Ok(list)
}

/// Validates many payloads; see the Python docstring of ``cccd.validate``.
#[pyfunction]
#[pyo3(signature = (payloads, /, *, lenient=false, today=None))]
fn validate<'py>(
    py: Python<'py>,
    payloads: &Bound<'py, PyAny>,
    lenient: bool,
    today: Option<NaiveDate>,
) -> PyResult<Bound<'py, PyList>> {
    let items = collect_items(payloads)?;
    let owned = gather(&items)?;
    let slices: Vec<&[u8]> = owned.iter().map(|c| c.as_ref()).collect();
    validate_slices(py, &slices, &options(lenient, today))
}

/// `validate` for an Arrow binary/string array given by its buffers (called by the Python
/// layer).
#[pyfunction]
#[pyo3(signature = (offsets, data, offset, length, large, lenient=false, today=None))]
#[allow(clippy::too_many_arguments)]
fn _validate_arrow<'py>(
    py: Python<'py>,
    offsets: &Bound<'py, PyBytes>,
    data: &Bound<'py, PyBytes>,
    offset: usize,
    length: usize,
    large: bool,
    lenient: bool,
    today: Option<NaiveDate>,
) -> PyResult<Bound<'py, PyList>> {
    let slices = arrow_slices(offsets.as_bytes(), data.as_bytes(), offset, length, large)?;
    validate_slices(py, &slices, &options(lenient, today))
}

/// The JSON route, kept to compare speed with the `pythonize` route (`bench.py`): each chunk
/// as one JSON array text built in parallel, loaded with `json.loads`, pipelined the same way.
#[pyfunction]
#[pyo3(signature = (payloads, /, *, lenient=false, today=None))]
fn _validate_json<'py>(
    py: Python<'py>,
    payloads: &Bound<'py, PyAny>,
    lenient: bool,
    today: Option<NaiveDate>,
) -> PyResult<Bound<'py, PyList>> {
    let items = collect_items(payloads)?;
    let owned = gather(&items)?;
    let slices: Vec<&[u8]> = owned.iter().map(|c| c.as_ref()).collect();
    let opts = options(lenient, today);
    let loads = py.import("json")?.getattr("loads")?;
    let list = PyList::empty(py);
    pipeline(
        py,
        &slices,
        |chunk| {
            let lines: Vec<String> = chunk
                .par_iter()
                .map(|p| report::validate_json(p, &opts))
                .collect();
            let mut out =
                String::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + 2);
            out.push('[');
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(l);
            }
            out.push(']');
            out
        },
        |text| {
            list.call_method1("extend", (loads.call1((text,))?,))?;
            Ok(())
        },
    )?;
    Ok(list)
}

/// Validates payloads into the cells of `cccd parse --format csv`, column by column, as Arrow
/// string buffers: one `(offsets, data)` pair per column of `PARSE_COLUMNS` (offsets little-endian
/// i32).
fn csv_columns(slices: &[&[u8]], opts: &report::Options) -> PyResult<Vec<(Vec<u8>, Vec<u8>)>> {
    let rows: Vec<Vec<String>> = slices
        .par_iter()
        .map(|p| {
            let value = serde_json::to_value(report::validate(p, opts)).unwrap_or_default();
            report::cells(&value, report::PARSE_COLUMNS)
        })
        .collect();
    let n = report::PARSE_COLUMNS.len();
    let mut columns: Vec<(Vec<u8>, Vec<u8>)> = (0..n)
        .map(|_| {
            let mut offsets = Vec::with_capacity((rows.len() + 1) * 4);
            offsets.extend_from_slice(&0i32.to_le_bytes());
            (offsets, Vec::new())
        })
        .collect();
    for row in &rows {
        for ((offsets, data), cell) in columns.iter_mut().zip(row) {
            data.extend_from_slice(cell.as_bytes());
            let end = i32::try_from(data.len()).map_err(|_| {
                PyOverflowError::new_err(
                    "a column of this batch is over 2 GiB: use smaller batches",
                )
            })?;
            offsets.extend_from_slice(&end.to_le_bytes());
        }
    }
    Ok(columns)
}

type Columns<'py> = Vec<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)>;

fn to_py_columns<'py>(py: Python<'py>, columns: Vec<(Vec<u8>, Vec<u8>)>) -> Columns<'py> {
    columns
        .into_iter()
        .map(|(o, d)| (PyBytes::new(py, &o), PyBytes::new(py, &d)))
        .collect()
}

/// CSV cells of payloads given as Python objects (called by `cccd.validate_arrow`).
#[pyfunction]
#[pyo3(signature = (payloads, lenient=false, today=None))]
fn _csv_columns<'py>(
    py: Python<'py>,
    payloads: &Bound<'py, PyAny>,
    lenient: bool,
    today: Option<NaiveDate>,
) -> PyResult<Columns<'py>> {
    let items = collect_items(payloads)?;
    let owned = gather(&items)?;
    let slices: Vec<&[u8]> = owned.iter().map(|c| c.as_ref()).collect();
    let opts = options(lenient, today);
    let columns = py.detach(|| csv_columns(&slices, &opts))?;
    Ok(to_py_columns(py, columns))
}

/// CSV cells of an Arrow binary/string array given by its buffers.
#[pyfunction]
#[pyo3(signature = (offsets, data, offset, length, large, lenient=false, today=None))]
#[allow(clippy::too_many_arguments)]
fn _csv_columns_arrow<'py>(
    py: Python<'py>,
    offsets: &Bound<'py, PyBytes>,
    data: &Bound<'py, PyBytes>,
    offset: usize,
    length: usize,
    large: bool,
    lenient: bool,
    today: Option<NaiveDate>,
) -> PyResult<Columns<'py>> {
    let slices = arrow_slices(offsets.as_bytes(), data.as_bytes(), offset, length, large)?;
    let opts = options(lenient, today);
    let columns = py.detach(|| csv_columns(&slices, &opts))?;
    Ok(to_py_columns(py, columns))
}

/// Scans encoded image bytes; returns the JSON text of the report (the Python layer loads it,
/// so floats print exactly as the command prints them).
#[pyfunction]
#[pyo3(signature = (image, raw=false, today=None))]
fn _scan_bytes(
    py: Python<'_>,
    image: &Bound<'_, PyBytes>,
    raw: bool,
    today: Option<NaiveDate>,
) -> String {
    let bytes = image.as_bytes();
    let opts = report::Options::new(today_or_local(today)).raw(raw);
    py.detach(|| report::scan_json(bytes, &opts))
}

/// Scans decoded 8-bit pixels (`channels` 1, 3 or 4, row-major, no padding).
#[pyfunction]
#[pyo3(signature = (pixels, width, height, channels, raw=false, today=None))]
fn _scan_pixels(
    py: Python<'_>,
    pixels: &Bound<'_, PyBytes>,
    width: u32,
    height: u32,
    channels: u8,
    raw: bool,
    today: Option<NaiveDate>,
) -> PyResult<String> {
    use image::{DynamicImage, GrayImage, RgbImage, RgbaImage};
    let data = pixels.as_bytes().to_vec();
    let wrong = || PyValueError::new_err("pixel buffer does not match width x height x channels");
    let img = match channels {
        1 => DynamicImage::ImageLuma8(GrayImage::from_raw(width, height, data).ok_or_else(wrong)?),
        3 => DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, data).ok_or_else(wrong)?),
        4 => DynamicImage::ImageRgba8(RgbaImage::from_raw(width, height, data).ok_or_else(wrong)?),
        _ => return Err(PyValueError::new_err("an image has 1, 3 or 4 channels")),
    };
    let opts = report::Options::new(today_or_local(today)).raw(raw);
    Ok(py.detach(|| {
        let report = report::ScanReport::run(&cccd::Scanner::new(), &img, &opts);
        report::to_json(&report)
    }))
}

/// The trust anchors in `certificates` (each the bytes of a DER or PEM file).
fn trust_anchors(certificates: &[Vec<u8>]) -> PyResult<cccd::TrustAnchors> {
    let mut anchors = cccd::TrustAnchors::new();
    for (i, bytes) in certificates.iter().enumerate() {
        anchors
            .add(bytes)
            .map_err(|e| PyValueError::new_err(format!("csca[{i}]: {e}")))?;
    }
    Ok(anchors)
}

/// `cccd mrz`'s object for one MRZ, as JSON text.
#[pyfunction]
#[pyo3(signature = (lines, lenient=false, redact=false, today=None))]
fn _mrz_json(
    py: Python<'_>,
    lines: &Bound<'_, PyBytes>,
    lenient: bool,
    redact: bool,
    today: Option<NaiveDate>,
) -> String {
    let opts = options(lenient, today).redact(redact);
    let lines = lines.as_bytes();
    py.detach(|| report::mrz_json(lines, &opts))
}

/// `cccd chip DIR`'s object, as JSON text.
#[pyfunction]
#[pyo3(signature = (dir, csca, redact=false))]
fn _chip_json(
    py: Python<'_>,
    dir: std::path::PathBuf,
    csca: Vec<Vec<u8>>,
    redact: bool,
) -> PyResult<String> {
    let anchors = trust_anchors(&csca)?;
    Ok(py.detach(|| {
        let chip = cccd::Chip::from_dir(&dir);
        let source = Some(dir.display().to_string());
        report::to_json(&report::ChipReport::new(
            source,
            chip.as_ref(),
            &anchors,
            redact,
        ))
    }))
}

/// `cccd verify`'s object for one card's records, as JSON text.
#[pyfunction]
#[pyo3(signature = (qr, mrz, chip, csca, lenient=false, redact=false, today=None))]
#[allow(clippy::too_many_arguments)]
fn _verify_json(
    py: Python<'_>,
    qr: Option<Vec<u8>>,
    mrz: Option<Vec<u8>>,
    chip: Option<std::path::PathBuf>,
    csca: Vec<Vec<u8>>,
    lenient: bool,
    redact: bool,
    today: Option<NaiveDate>,
) -> PyResult<String> {
    let anchors = trust_anchors(&csca)?;
    let opts = options(lenient, today).redact(redact);
    Ok(py.detach(|| {
        let mut records = report::Records::new().qr(qr.as_deref()).mrz(mrz.as_deref());
        if let Some(dir) = &chip {
            records = records.chip_dir(dir);
        }
        report::verify_json(records, &anchors, &opts)
    }))
}

/// The library catches panics inside the QR engines (rqrr has known ones) and goes on with
/// the next step; keep their messages off the interpreter's standard error. Any other panic
/// goes to the hook that was installed before.
fn quiet_engine_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let engine = info.location().is_some_and(|l| {
                let file = l.file().replace('\\', "/");
                file.contains("/rqrr-") || file.contains("/rxing-")
            });
            if !engine {
                previous(info);
            }
        }));
    });
}

/// The native module `cccd._cccd`.
#[pymodule]
fn _cccd(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    quiet_engine_panics();
    m.add("ParseError", py.get_type::<ParseError>())?;
    m.add_class::<Card>()?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(_validate_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(_validate_json, m)?)?;
    m.add_function(wrap_pyfunction!(_csv_columns, m)?)?;
    m.add_function(wrap_pyfunction!(_csv_columns_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(_scan_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(_scan_pixels, m)?)?;
    m.add_function(wrap_pyfunction!(_mrz_json, m)?)?;
    m.add_function(wrap_pyfunction!(_chip_json, m)?)?;
    m.add_function(wrap_pyfunction!(_verify_json, m)?)?;
    m.add("CSV_COLUMNS", report::PARSE_COLUMNS.to_vec())?;
    m.add("MAX_PAYLOAD_LEN", cccd::MAX_PAYLOAD_LEN)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
