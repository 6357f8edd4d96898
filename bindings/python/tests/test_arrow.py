"""cccd.validate on pyarrow arrays, and cccd.validate_arrow against `cccd parse --format csv`."""

import csv
import io

import pyarrow as pa
import pytest

import cccd
from conftest import TODAY, run_parse


def payloads(cases, lenient):
    return [c["input"] for c in cases if c["lenient"] == lenient]


@pytest.mark.parametrize("lenient", [False, True])
def test_validate_arrow_arrays_equal_lists(cases, lenient):
    ps = payloads(cases, lenient)
    want = cccd.validate(ps, lenient=lenient, today=TODAY)
    texts = [p.decode("utf-8", "surrogateescape") for p in ps]
    arrays = [
        pa.array(ps, pa.binary()),
        pa.array(ps, pa.large_binary()),
        pa.array(ps, pa.binary_view()),
        pa.chunked_array([pa.array(ps[:7], pa.binary()), pa.array(ps[7:], pa.binary())]),
        pa.array(ps, pa.binary()).slice(3),  # an array with an offset
    ]
    for arr in arrays:
        sliced = isinstance(arr, pa.Array) and arr.offset == 3
        assert cccd.validate(arr, lenient=lenient, today=TODAY) == (want[3:] if sliced else want)
    utf8 = [(p, t) for p, t in zip(ps, texts) if t.encode("utf-8", "surrogateescape") == p]
    utf8 = [(p, t) for p, t in utf8 if all(not 0xDC80 <= ord(ch) <= 0xDCFF for ch in t)]
    for typ in (pa.string(), pa.large_string()):
        arr = pa.array([t for _, t in utf8], typ)
        assert cccd.validate(arr, lenient=lenient, today=TODAY) == cccd.validate(
            [p for p, _ in utf8], lenient=lenient, today=TODAY
        )


def test_validate_arrow_refuses_nulls_and_other_types():
    with pytest.raises(TypeError, match="payload 1"):
        cccd.validate(pa.array(["a", None]))
    with pytest.raises(TypeError):
        cccd.validate(pa.array([1, 2]))
    assert cccd.validate(pa.array([], pa.string())) == []


def test_malformed_arrow_buffers_are_refused():
    from cccd import _cccd

    # offsets past the data, decreasing offsets, too short an offsets buffer
    bad = [
        ((0).to_bytes(4, "little") + (10).to_bytes(4, "little"), b"abc", 0, 1),
        ((3).to_bytes(4, "little") + (1).to_bytes(4, "little"), b"abc", 0, 1),
        ((0).to_bytes(4, "little"), b"abc", 0, 1),
        ((0).to_bytes(4, "little") * 2, b"", 2**62, 1),
        ((-1).to_bytes(4, "little", signed=True) * 2, b"", 0, 1),
    ]
    for offsets, data, offset, length in bad:
        with pytest.raises(ValueError):
            _cccd._validate_arrow(offsets, data, offset, length, False)


def command_csv(cccd_bin, ps, lenient):
    args = ["--today", TODAY.isoformat()] + (["--lenient"] if lenient else [])
    text = run_parse(cccd_bin, ps, *args, fmt="csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


@pytest.mark.parametrize("lenient", [False, True])
def test_validate_arrow_equals_command_csv(cases, cccd_bin, lenient):
    ps = [p for p in payloads(cases, lenient) if p and b"\n" not in p and not p.endswith(b"\r")]
    header, rows = command_csv(cccd_bin, ps, lenient)
    assert header == list(cccd.CSV_COLUMNS)
    for source in (ps, pa.array(ps, pa.binary())):
        batch = cccd.validate_arrow(source, lenient=lenient, today=TODAY)
        assert isinstance(batch, pa.RecordBatch)
        assert batch.schema.names == header
        assert all(t == pa.string() for t in batch.schema.types)
        got = [list(r.values()) for r in batch.to_pylist()]
        # `line` numbers the command's standard input; the library's rows have no position.
        at = header.index("line")
        assert all(r[at] == "" for r in got)
        drop = lambda r: r[:at] + r[at + 1 :]  # noqa: E731
        assert [drop(r) for r in got] == [drop(r) for r in rows]
