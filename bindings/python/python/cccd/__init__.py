"""Read Vietnamese chip ID cards (CCCD / thẻ căn cước): the QR payload parser, what the card
means, batch validation and the photo scanner of the Rust library ``cccd``, from Python.

>>> import cccd, datetime
>>> card = cccd.parse("079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021")
>>> card.full_name, card.date_of_birth
('Nguyễn Văn Ánh', datetime.date(2003, 1, 1))
>>> card
<cccd.Card layout=2021 id_number=079*********>
>>> card.to_dict(today=datetime.date(2026, 1, 1))["expiry"]
{'date': '2028-01-01', 'never': False, 'law': '2014'}

Every object returned (``Card.to_dict``, ``validate``, ``scan``) is the library's typed report,
the JSON object the ``cccd`` command prints. Errors and ``repr`` never show personal data.
"""

from __future__ import annotations

import datetime as _dt
import gc as _gc
import json as _json
import os as _os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Union

from . import _cccd
from ._cccd import CSV_COLUMNS, MAX_PAYLOAD_LEN, Card, ParseError, __version__, parse

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow

__all__ = [
    "CSV_COLUMNS",
    "MAX_PAYLOAD_LEN",
    "Card",
    "ParseError",
    "parse",
    "scan",
    "validate",
    "validate_arrow",
    "__version__",
    "chip",
    "mrz",
    "verify",
]

Payload = Union[str, bytes]


def _without_gc(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Calls fn with the cyclic garbage collector paused: building a million acyclic dicts
    otherwise triggers collections that traverse them all again and again (a third of the
    time of a large ``validate``)."""
    if not _gc.isenabled():
        return fn(*args, **kwargs)
    _gc.disable()
    try:
        return fn(*args, **kwargs)
    finally:
        _gc.enable()


def _is_arrow(obj: object) -> bool:
    return type(obj).__module__.startswith("pyarrow")


def _arrow_chunks(arr: Any) -> List[Any]:
    """The chunks of a pyarrow array as binary-layout arrays (string, binary or their large
    variants), refusing nulls."""
    import pyarrow as pa

    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    out = []
    base = 0
    for chunk in chunks:
        if not isinstance(chunk, pa.Array):
            raise TypeError(f"expected a pyarrow array, not {type(chunk).__name__}")
        t = chunk.type
        if not (
            pa.types.is_string(t)
            or pa.types.is_binary(t)
            or pa.types.is_large_string(t)
            or pa.types.is_large_binary(t)
        ):
            views = [getattr(pa.types, f, None) for f in ("is_string_view", "is_binary_view")]
            if any(f is not None and f(t) for f in views):  # pyarrow >= 16
                chunk = chunk.cast(pa.large_binary())
            else:
                raise TypeError(f"a pyarrow array of payloads must hold strings or binary, not {t}")
        if chunk.null_count:
            first = chunk.is_null().index(True).as_py()
            raise TypeError(f"payload {base + first}: a payload must be str or bytes, not null")
        out.append(chunk)
        base += len(chunk)
    return out


def _arrow_call(fn: Any, chunk: Any, lenient: bool, today: Optional[_dt.date]) -> Any:
    import pyarrow as pa

    _, offsets, data = chunk.buffers()
    large = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
    if len(chunk) == 0 or offsets is None:
        offsets_b = b"\0" * (16 if large else 8)
        return fn(offsets_b, b"", 0, 0, large, lenient, today)
    data_b = data.to_pybytes() if data is not None else b""
    return fn(offsets.to_pybytes(), data_b, chunk.offset, len(chunk), large, lenient, today)


def validate(
    payloads: Union[Iterable[Payload], "pyarrow.Array", "pyarrow.ChunkedArray"],
    *,
    lenient: bool = False,
    today: Optional[_dt.date] = None,
) -> List[Dict[str, Any]]:
    """Validates many payloads in parallel and returns, in input order, for each one the dict
    ``cccd parse --format json`` prints for it (same keys, order and values).

    ``payloads`` is any iterable of ``str`` / ``bytes`` (bytes are parsed as a QR decoder
    returns them: invalid UTF-8 is an ``encoding`` failure, or repaired when ``lenient``), or a
    pyarrow string/binary array. A payload that fails is a dict with ``"ok": False`` and an
    ``"error"`` object, never an exception. ``today`` (default: the local date) is the
    reference date for ``expired`` and the warnings. The GIL is released while parsing.

    Raises ``TypeError`` when an item is not ``str``/``bytes`` (or is a null in an array).
    """
    if _is_arrow(payloads):
        out: List[Dict[str, Any]] = []
        for chunk in _arrow_chunks(payloads):
            out.extend(_without_gc(_arrow_call, _cccd._validate_arrow, chunk, lenient, today))
        return out
    return _without_gc(_cccd.validate, payloads, lenient=lenient, today=today)


def validate_arrow(
    payloads: Union[Iterable[Payload], "pyarrow.Array", "pyarrow.ChunkedArray"],
    *,
    lenient: bool = False,
    today: Optional[_dt.date] = None,
) -> "pyarrow.RecordBatch":
    """Like :func:`validate`, but returns a ``pyarrow.RecordBatch`` of the rows
    ``cccd parse --format csv`` prints: one string column per name of :data:`CSV_COLUMNS`,
    each cell the exact string the CSV holds (``"true"``, ``""`` for null, lists joined with
    ``;``). Made for Spark's ``mapInArrow`` and other Arrow engines. Needs pyarrow.
    """
    import pyarrow as pa

    if _is_arrow(payloads):
        parts = [
            _arrow_call(_cccd._csv_columns_arrow, chunk, lenient, today)
            for chunk in _arrow_chunks(payloads)
        ]
    else:
        parts = [_cccd._csv_columns(payloads, lenient=lenient, today=today)]
    batches = [_columns_to_batch(pa, cols) for cols in parts]
    if len(batches) == 1:
        return batches[0]
    return pa.Table.from_batches(batches).combine_chunks().to_batches()[0]


def _columns_to_batch(pa: Any, cols: List[Any]) -> Any:
    n = len(cols[0][0]) // 4 - 1
    arrays = [
        pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(off), pa.py_buffer(data)])
        for off, data in cols
    ]
    return pa.RecordBatch.from_arrays(arrays, names=list(CSV_COLUMNS))


def _pixels(image: Any) -> Optional[tuple]:
    """``(bytes, width, height, channels)`` of a numpy array or PIL image, else ``None``."""
    module = type(image).__module__
    if module.startswith("numpy"):
        import numpy as np

        arr = np.asarray(image)
        if arr.dtype != np.uint8:
            raise TypeError(f"an image array must have dtype uint8, not {arr.dtype}")
        if arr.ndim == 3 and arr.shape[2] == 1:
            arr = arr[:, :, 0]
        if arr.ndim == 2:
            channels = 1
        elif arr.ndim == 3 and arr.shape[2] in (3, 4):
            channels = arr.shape[2]
        else:
            raise TypeError(
                f"an image array must be (height, width) or (height, width, 1|3|4), not {arr.shape}"
            )
        arr = np.ascontiguousarray(arr)
        return arr.tobytes(), arr.shape[1], arr.shape[0], channels
    if module.startswith("PIL.") and hasattr(image, "mode") and hasattr(image, "tobytes"):
        modes = {"L": 1, "RGB": 3, "RGBA": 4}
        if image.mode not in modes:
            image = image.convert("RGB")
        width, height = image.size
        return image.tobytes(), width, height, modes[image.mode]
    return None


def scan(
    image: Union[str, "_os.PathLike[str]", bytes, Any],
    *,
    raw: bool = False,
    today: Optional[_dt.date] = None,
) -> Dict[str, Any]:
    """Finds the card's QR code in a photo and returns the object ``cccd scan`` prints for it,
    without ``"file"``: ``ok``, ``elapsed_ms``, ``codes`` and, for a card, the keys of
    :func:`validate`'s objects; or ``"ok": False`` and an ``"error"`` (``not_found``,
    ``not_a_card``, ``unreadable_image``, ``too_large``, ``time_budget``).

    ``image`` is a path, the encoded bytes of a PNG/JPEG/WebP/GIF/BMP file, a numpy ``uint8``
    array (``(h, w)`` gray, ``(h, w, 3)`` RGB, ``(h, w, 4)`` RGBA) or a PIL image. With
    ``raw=True`` any QR code is a success and no card is parsed. The GIL is released while
    scanning. Raises ``OSError`` when a path cannot be read and ``TypeError`` for other types.
    """
    if isinstance(image, (str, _os.PathLike)):
        with open(image, "rb") as f:
            data = f.read()
        text = _cccd._scan_bytes(data, raw, today)
    elif isinstance(image, (bytes, bytearray, memoryview)):
        text = _cccd._scan_bytes(bytes(image), raw, today)
    else:
        pixels = _pixels(image)
        if pixels is None:
            raise TypeError(
                "an image must be a path, bytes, a numpy array or a PIL image, "
                f"not {type(image).__name__}"
            )
        text = _cccd._scan_pixels(*pixels, raw, today)
    return _json.loads(text)


PathLike = Union[str, "_os.PathLike[str]"]
Certificates = Union[None, PathLike, bytes, Iterable[Union[PathLike, bytes]]]


def _text_bytes(value: Payload, what: str) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be str or bytes, not {type(value).__name__}")


def _certificates(csca: Certificates) -> List[bytes]:
    """The bytes of each CSCA certificate given: a path, bytes, or an iterable of them."""
    if csca is None:
        return []
    if isinstance(csca, (str, _os.PathLike, bytes, bytearray, memoryview)):
        csca = [csca]
    out = []
    for item in csca:
        if isinstance(item, (str, _os.PathLike)):
            with open(item, "rb") as f:
                out.append(f.read())
        elif isinstance(item, (bytes, bytearray, memoryview)):
            out.append(bytes(item))
        else:
            raise TypeError(f"a CSCA certificate is a path or bytes, not {type(item).__name__}")
    return out


def mrz(
    lines: Payload,
    *,
    lenient: bool = False,
    redact: bool = False,
    today: Optional[_dt.date] = None,
) -> Dict[str, Any]:
    """Reads the MRZ on the back of a card (three lines of 30 characters separated by
    newlines, or DG1's 90 characters) and returns the object ``cccd mrz`` prints for it:
    ``ok``, ``mrz``, ``repairs``, ``expired``, ``warnings``; or ``"ok": False`` and an
    ``"error"`` with ``line`` and ``column``. ``lenient`` repairs what OCR produces and
    reports each repair; ``redact`` masks personal data as ``--redact`` does.
    """
    return _json.loads(_cccd._mrz_json(_text_bytes(lines, "lines"), lenient, redact, today))


def chip(
    path: PathLike,
    *,
    csca: Certificates = None,
    redact: bool = False,
) -> Dict[str, Any]:
    """Reads a folder of the files a reader dumped from a card's chip (``com.bin``,
    ``dg1.bin``, ``dg2.bin``, ``dg13.bin``, ``sod.bin``, …) and returns the object
    ``cccd chip DIR`` prints: the data groups, their cross-checks and
    ``passive_authentication`` (``verified`` only against a trust anchor in ``csca``: a path,
    the bytes of a DER or PEM certificate, or a list of them). A folder that does not read is
    ``"ok": False`` with an ``"error"``, never an exception; a bad certificate raises
    ``ValueError``.
    """
    return _json.loads(_cccd._chip_json(_os.fspath(path), _certificates(csca), redact))


def verify(
    *,
    qr: Optional[Payload] = None,
    mrz: Optional[Payload] = None,
    chip: Optional[PathLike] = None,
    csca: Certificates = None,
    lenient: bool = False,
    redact: bool = False,
    today: Optional[_dt.date] = None,
) -> Dict[str, Any]:
    """Cross-checks the records of one card — its QR payload, the MRZ printed on its back, its
    chip folder — and returns the object ``cccd verify`` prints: each record's own object
    (``qr``, ``mrz``, ``chip``), ``cross_checks`` (``code``, ``message``, ``between``), ``ok``
    and ``consistent``. Authenticity is ``chip.passive_authentication``, a separate answer.
    Raises ``ValueError`` when no record is given or a certificate is bad.
    """
    if qr is None and mrz is None and chip is None:
        raise ValueError("give at least one of qr, mrz and chip")
    text = _cccd._verify_json(
        None if qr is None else _text_bytes(qr, "qr"),
        None if mrz is None else _text_bytes(mrz, "mrz"),
        None if chip is None else _os.fspath(chip),
        _certificates(csca),
        lenient,
        redact,
        today,
    )
    return _json.loads(text)
