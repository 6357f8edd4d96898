"""cccd.parse, cccd.Card, cccd.ParseError and cccd.validate against the payload corpus
(testdata/payloads/cases.jsonl, the expectations tests/corpus.rs checks) and the command."""

import datetime
import gc
import json

import pytest

import cccd
from conftest import TODAY, command_objects

FIELDS = {"id_number", "old_id_number", "full_name", "date_of_birth", "sex", "address", "issue_date"}


def assert_matches(name, actual, expect):
    """Every key of `expect` is in `actual` with an equal value (`error.message` is not
    pinned; `warnings` lists only the codes), as tests/corpus.rs's assert_matches."""
    for key, want in expect.items():
        got = actual.get(key)
        if key == "error":
            assert_matches(name, got, want)
        elif key == "warnings":
            assert [w["code"] for w in got] == want, f"{name}: warnings"
            for w in got:
                assert w["message"], name
                for field in ("id_number", "full_name", "address"):
                    assert actual["card"][field] not in w["message"], f"{name}: {field} in a warning"
        else:
            assert got == want, f"{name}: key {key}"


def test_corpus_is_whole(cases):
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)) >= 110
    assert sum(n.startswith("valid-") for n in names) >= 50
    assert sum(n.startswith("invalid-") for n in names) >= 40
    assert sum(n.startswith("damaged-") for n in names) >= 20


def card_object(card: cccd.Card):
    """The expectation's view of a Card built from its properties (not from to_dict)."""
    return {
        "ok": True,
        "layout": card.layout,
        "card": {
            "id_number": card.id_number,
            "old_id_number": card.old_id_number,
            "full_name": card.full_name,
            "date_of_birth": card.date_of_birth.isoformat(),
            "sex": card.sex,
            "address": card.address,
            "issue_date": card.issue_date.isoformat(),
            "extra_fields": card.extra_fields,
        },
        "repairs": card.repairs,
        "id_info": card.id_info(),
        "expiry": card.expiry(),
        "expired": card.to_dict(TODAY)["expired"],
        "full_name_ascii": card.full_name_ascii,
        "warnings": card.check(TODAY),
    }


def test_corpus_through_parse(cases):
    for case in cases:
        try:
            card = cccd.parse(case["input"], lenient=case["lenient"])
        except cccd.ParseError as e:
            actual = {"ok": False, "error": {"code": e.code, "field": e.field, "offset": e.offset}}
        else:
            actual = card_object(card)
            assert card.to_dict(TODAY) == {**actual, "expired": actual["expired"]}
            assert isinstance(card.date_of_birth, datetime.date)
            # str() is the canonical payload, which parses strictly to the same card.
            canonical = str(card)
            assert cccd.parse(canonical) == card, case["name"]
            if not case["lenient"]:
                assert canonical.encode("utf-8") == case["input"], case["name"]
        assert_matches(case["name"], actual, case["expect"])


def test_corpus_through_parse_str_and_bytes_agree(cases):
    for case in cases:
        try:
            text = case["input"].decode("utf-8")
        except UnicodeDecodeError:
            continue
        for lenient in (False, True):
            results = []
            for payload in (text, case["input"], bytearray(case["input"])):
                try:
                    results.append(cccd.parse(payload, lenient=lenient).to_dict(TODAY))
                except cccd.ParseError as e:
                    results.append((e.code, e.field, e.offset, str(e)))
            assert results[0] == results[1] == results[2], case["name"]


def test_corpus_through_validate(cases):
    for lenient in (False, True):
        mine = [c for c in cases if c["lenient"] == lenient]
        results = cccd.validate([c["input"] for c in mine], lenient=lenient, today=TODAY)
        assert len(results) == len(mine)
        for case, actual in zip(mine, results):
            assert_matches(case["name"], actual, case["expect"])
            if actual["ok"]:
                assert actual == cccd.parse(case["input"], lenient=lenient).to_dict(TODAY)
            else:
                with pytest.raises(cccd.ParseError) as e:
                    cccd.parse(case["input"], lenient=lenient)
                assert actual["error"] == {
                    "code": e.value.code,
                    "reason": e.value.reason,
                    "field": e.value.field,
                    "offset": e.value.offset,
                    "message": str(e.value),
                }


def test_validate_equals_the_command(cases, cccd_bin):
    for lenient in (False, True):
        payloads = [c["input"] for c in cases if c["lenient"] == lenient and c["input"]]
        args = ["--today", TODAY.isoformat()] + (["--lenient"] if lenient else [])
        expected = command_objects(cccd_bin, payloads, *args)
        got = cccd.validate(payloads, lenient=lenient, today=TODAY)
        assert len(got) == len(expected) == len(payloads)
        for g, e in zip(got, expected):
            assert g == e
            assert list(g) == list(e)  # same key order
            if g["ok"]:
                assert list(g["card"]) == list(e["card"])


def test_to_dict_equals_the_command(cases, cccd_bin):
    valid = [c for c in cases if c["expect"]["ok"] and not c["lenient"]]
    for today in (TODAY, datetime.date(2060, 6, 30)):
        expected = command_objects(cccd_bin, [c["input"] for c in valid], "--today", today.isoformat())
        for case, e in zip(valid, expected):
            d = cccd.parse(case["input"]).to_dict(today=today)
            assert d == e and json.dumps(d, ensure_ascii=False) == json.dumps(e, ensure_ascii=False)


def test_today_defaults_to_the_local_date():
    card = cccd.parse("079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021")
    assert card.to_dict() == card.to_dict(datetime.date.today())
    assert card.check() == card.check(datetime.date.today())
    assert cccd.validate([str(card)]) == [card.to_dict(datetime.date.today())]


def test_card_properties_and_methods():
    card = cccd.parse(
        "001190004321|123456789|Trần Thị Hương|29021992|Nữ|Hà Nội|10052024||ghi chú||"
    )
    assert card.layout == "2024"
    assert card.extra_fields == ["", "ghi chú", "", ""]
    assert card.sex == "female"
    assert card.old_id_number == "123456789"
    assert card.date_of_birth == datetime.date(1992, 2, 29)
    assert card.issue_date == datetime.date(2024, 5, 10)
    assert card.full_name_ascii == "TRAN THI HUONG"
    assert card.repairs == []
    assert card.id_info()["birthplace"]["name"] == "Hà Nội"
    assert card.id_info()["birth_year"] == 1990
    # The ID's birth year (1990) disagrees with the date of birth (1992): a warning, not an error.
    assert [w["code"] for w in card.check(TODAY)] == ["id_birth_year_mismatch"]
    assert card.expiry()["law"] == "2014"  # issued before July 2024
    assert cccd.parse(str(card)) == card
    assert card != cccd.parse("079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021")


def test_lenient_reports_repairs():
    raw = "\ufeff001190004321||Trần Thị Hương|29021992|Nữ|Hà Nội|10052021\r\n".encode("utf-8")
    with pytest.raises(cccd.ParseError):
        cccd.parse(raw)
    card = cccd.parse(raw, lenient=True)
    assert card.repairs == ["bom_removed", "line_ending_removed"]
    assert card.to_dict(TODAY)["repairs"] == card.repairs


def test_parse_error_attributes_and_message():
    with pytest.raises(cccd.ParseError) as e:
        cccd.parse("079203001234|123456789|Nguyễn Văn Ánh|01132003|Nam|Hà Nội|15082021")
    err = e.value
    assert isinstance(err, ValueError)
    assert (err.code, err.field, err.offset) == ("date_of_birth", "date_of_birth", 44)
    assert err.reason == "month_out_of_range"
    assert str(err) == "invalid date of birth at byte 44: month 13"
    for secret in ("Nguyễn", "079203001234", "Hà Nội"):
        assert secret not in str(err) and secret not in repr(err)
    with pytest.raises(cccd.ParseError) as e:
        cccd.parse("036303000777||Lê Minh Châu|30092003")
    assert (e.value.code, e.value.field, e.value.offset) == ("field_count", None, 37)


def test_bad_inputs_raise_type_error_or_parse_error():
    for bad in (None, 12, 1.5, ["a"], object(), memoryview(b"x")):
        with pytest.raises(TypeError):
            cccd.parse(bad)
    with pytest.raises(TypeError):
        cccd.parse()
    with pytest.raises(TypeError):
        cccd.parse("x", True)  # lenient is keyword-only
    with pytest.raises(TypeError):
        cccd.validate(["x"], True)
    # Huge inputs: a too_long error before any scanning, in strict and lenient mode.
    for huge in ("1" * 10_000_000, b"\xff" * 5_000_000, "Ữ" * 3_000_000):
        for lenient in (False, True):
            with pytest.raises(cccd.ParseError) as e:
                cccd.parse(huge, lenient=lenient)
            assert e.value.code == "too_long"
    # Invalid UTF-8 bytes: an encoding error at the first bad byte.
    with pytest.raises(cccd.ParseError) as e:
        cccd.parse(b"0792030\xff01234|||||")
    assert (e.value.code, e.value.offset) == ("encoding", 7)
    # A str with a lone surrogate cannot be UTF-8: an encoding error too, never a crash.
    with pytest.raises(cccd.ParseError) as e:
        cccd.parse("079\ud800203001234")
    assert (e.value.code, e.value.offset) == ("encoding", 3)
    for empty in ("", b""):
        with pytest.raises(cccd.ParseError) as e:
            cccd.parse(empty)
        assert e.value.code == "empty"
    with pytest.raises(TypeError):
        cccd.parse("079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021").to_dict(
            today="2026-01-01"
        )


def test_validate_bad_inputs():
    with pytest.raises(TypeError):
        cccd.validate(None)
    with pytest.raises(TypeError):
        cccd.validate("079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021")
    with pytest.raises(TypeError, match="payload 1"):
        cccd.validate(["x", None, "y"])
    with pytest.raises(TypeError, match="payload 0"):
        cccd.validate([3])
    assert cccd.validate([]) == []
    # Failures are dicts, never exceptions; any iterable works (here a generator).
    out = cccd.validate((p for p in ["", b"\xff", "1" * 9000, "a|b", "079\udfff"]), today=TODAY)
    assert [o["ok"] for o in out] == [False] * 5
    assert [o["error"]["code"] for o in out] == ["empty", "encoding", "too_long", "field_count", "encoding"]


def test_repr_hides_name_and_id():
    payload = "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021"
    card = cccd.parse(payload)
    r = repr(card)
    assert r == "<cccd.Card layout=2021 id_number=079*********>"
    for secret in ("079203001234", "123456789", "Nguyễn", "Ánh", "NGUYEN", "Hà Nội", "2003"):
        assert secret not in r
    assert str(card) == payload  # str() is the payload on purpose, repr() is not


def test_many_cards_do_not_leak_or_crash():
    payload = "079203001234|123456789|Nguyễn Văn Ánh|01012003|Nam|Hà Nội|15082021"
    cards = [cccd.parse(payload) for _ in range(20_000)]
    assert len({c.id_number for c in cards}) == 1
    del cards
    gc.collect()


def test_module_metadata():
    assert cccd.MAX_PAYLOAD_LEN == 4096
    assert cccd.CSV_COLUMNS[0] == "ok" and "card.id_number" in cccd.CSV_COLUMNS
    assert cccd.__version__
