"""The MRZ, the chip and the cross-check of one card's records: each function returns the
object the command prints for the same input."""

import datetime
import json
import subprocess

import pytest

import cccd

TODAY = datetime.date(2026, 11, 27)


def run(cccd_bin, *args, stdin=None):
    out = subprocess.run(
        [cccd_bin, *args, "--format", "json", "-q"],
        input=stdin,
        stdout=subprocess.PIPE,
        check=False,
    )
    assert out.returncode in (0, 1), out.returncode
    lines = out.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


@pytest.fixture(scope="module")
def chips(tmp_path_factory, cccd_bin):
    """Four generated chips (genuine and tampered) with their QR payloads and DG1 lines."""
    out = tmp_path_factory.mktemp("chips")
    subprocess.run(
        [cccd_bin, "gen", "--format", "chip", "--kind", "mixed", "--count", "4", "--seed", "5",
         "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cards = []
    with open(out / "manifest.jsonl", encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            folder = out / m["dir"]
            lines = run(cccd_bin, "chip", str(folder))["mrz"]["lines"]
            cards.append({"dir": folder, "qr": m["payload"], "mrz": "\n".join(lines), "manifest": m})
    return out, cards


def test_chip_equals_the_command(chips, cccd_bin):
    out, cards = chips
    csca = out / "csca.der"
    outcomes = set()
    for card in cards:
        for redact in (False, True):
            flags = ["--redact"] if redact else []
            expected = run(cccd_bin, "chip", "--csca", str(csca), *flags, str(card["dir"]))
            got = cccd.chip(str(card["dir"]), csca=str(csca), redact=redact)
            assert got == expected
        outcomes.add(got["passive_authentication"]["outcome"])
        assert got["passive_authentication"]["outcome"] == (
            card["manifest"]["expected"]["passive_authentication"]
        )
    assert "verified" in outcomes and len(outcomes) > 1
    # Certificates as bytes, and none at all.
    card = cards[0]
    with open(csca, "rb") as f:
        der = f.read()
    assert cccd.chip(card["dir"], csca=[der])["passive_authentication"]["outcome"] == "verified"
    assert cccd.chip(card["dir"])["passive_authentication"]["outcome"] == "chain_not_verified"
    with pytest.raises(ValueError):
        cccd.chip(card["dir"], csca=b"not a certificate")
    missing = cccd.chip(out / "no-such-folder")
    assert missing["ok"] is False and missing["error"]["code"]


def test_mrz_equals_the_command(chips, cccd_bin):
    _, cards = chips
    for card in cards:
        for lines in (card["mrz"], card["mrz"].lower()):
            for lenient in (False, True):
                flags = ["--lenient"] if lenient else []
                expected = run(cccd_bin, "mrz", "--today", str(TODAY), *flags, lines)
                assert cccd.mrz(lines, lenient=lenient, today=TODAY) == expected
    bad = cccd.mrz("IDVNM<<<", today=TODAY)
    assert bad["ok"] is False and "line" in bad["error"]


def test_verify_equals_the_command(chips, cccd_bin):
    out, cards = chips
    csca = out / "csca.der"
    genuine = cards[0]
    other = cards[1]
    for qr, mrz in ((genuine["qr"], genuine["mrz"]), (other["qr"], other["mrz"])):
        for redact in (False, True):
            flags = ["--redact"] if redact else []
            expected = run(
                cccd_bin, "verify", "--today", str(TODAY), "--qr", qr, "--mrz", mrz,
                "--chip", str(genuine["dir"]), "--csca", str(csca), *flags,
            )
            got = cccd.verify(qr=qr, mrz=mrz, chip=str(genuine["dir"]), csca=csca,
                              redact=redact, today=TODAY)
            assert got == expected
    same = cccd.verify(qr=genuine["qr"], mrz=genuine["mrz"], chip=genuine["dir"], csca=csca,
                       today=TODAY)
    assert same["consistent"] is True
    assert same["chip"]["passive_authentication"]["outcome"] == "verified"
    mixed = cccd.verify(qr=other["qr"], chip=genuine["dir"], today=TODAY)
    assert mixed["consistent"] is False
    assert {"code": "chip_id_mismatch", "between": ["qr", "chip.dg13"]}.items() <= (
        mixed["cross_checks"][0].items()
    )
    with pytest.raises(ValueError):
        cccd.verify()
