"""Shared fixtures: the repository, the payload corpus, and the `cccd` command to compare with.

The command is found at $CCCD_BIN, else at target/release/cccd (CARGO_TARGET_DIR honoured);
`bindings/python/test.sh` builds it before running pytest.
"""

import datetime
import json
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
TODAY = datetime.date(2026, 1, 1)  # the date cases.jsonl's expectations were computed for


def _target_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))


@pytest.fixture(scope="session")
def cccd_bin() -> str:
    path = os.environ.get("CCCD_BIN") or str(_target_dir() / "release" / "cccd")
    if not os.access(path, os.X_OK):
        pytest.fail(f"the cccd command is missing at {path}: build it (see bindings/python/test.sh)")
    return path


def load_cases():
    cases = []
    with open(REPO / "testdata" / "payloads" / "cases.jsonl", encoding="utf-8") as f:
        for line in f:
            v = json.loads(line)
            if isinstance(v.get("input"), str):
                raw = v["input"].encode("utf-8")
            else:
                raw = bytes.fromhex(v["input_hex"])
            cases.append({"name": v["name"], "input": raw, "lenient": v["lenient"], "expect": v["expect"]})
    return cases


@pytest.fixture(scope="session")
def cases():
    return load_cases()


def run_parse(cccd_bin, payloads, *args, fmt="json"):
    """`cccd parse --format FMT ARGS` on payloads given as stdin lines; returns stdout text."""
    data = b"".join(p + b"\n" for p in payloads)
    out = subprocess.run(
        [cccd_bin, "parse", "--format", fmt, "-q", *args],
        input=data,
        stdout=subprocess.PIPE,
        check=False,
    )
    assert out.returncode in (0, 1), out.returncode
    return out.stdout.decode("utf-8")


def _line_safe(p: bytes) -> bool:
    return bool(p) and b"\n" not in p and not p.endswith(b"\r")


def command_objects(cccd_bin, payloads, *args):
    """The JSON objects `cccd parse` prints for each payload, in order (without the
    input-position key): line-safe payloads go as stdin lines, the others (line breaks, a
    final CR, empty) as arguments, as tests/corpus.rs does."""
    payloads = list(payloads)
    safe = [p for p in payloads if _line_safe(p)]
    objects = [json.loads(line) for line in run_parse(cccd_bin, safe, *args).splitlines()]
    assert len(objects) == len(safe)
    by_stdin = iter(objects)
    out = []
    for p in payloads:
        if _line_safe(p):
            o = next(by_stdin)
        else:
            r = subprocess.run(
                [cccd_bin, "parse", "--format", "json", "-q", *args, p.decode("utf-8")],
                stdout=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                check=False,
            )
            (line,) = r.stdout.decode("utf-8").splitlines()
            o = json.loads(line)
        o.pop("line", None)
        out.append(o)
    return out
