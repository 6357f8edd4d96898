"""Speed of the Python package against its baselines, in one run (not a test).

    python bindings/python/bench.py [--count 200000] [--runs 3] [--cccd target/release/cccd]

1. ``cccd.parse`` against a naive pure-Python parser (``split('|')`` + ``datetime.strptime``)
   on the same valid payloads, per call; also with every field read back.
2. ``cccd.validate`` on COUNT payloads (``cccd gen --kind mixed``, one file) against
   ``cccd parse --format json`` on the same file (wall time, output to /dev/null), and the
   two ways of building the dicts: ``pythonize`` (what ``validate`` does) and ``json.loads``
   of the JSON text; plus ``validate_arrow`` (CSV cells as an Arrow batch).

Prints min–max over the runs. Goals (issue 13): parse >= 10x naive; validate >= 150 000
payloads/s on 2 cores and no slower than 1.5x the command.
"""

from __future__ import annotations

import argparse
import datetime
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import cccd

REPO = pathlib.Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 1, 1)


def naive_parse(payload: str) -> dict:
    """What many codebases do: split on '|' and parse the two dates."""
    f = payload.split("|")
    if len(f) not in (7, 11):
        raise ValueError("wrong number of fields")
    return {
        "id_number": f[0],
        "old_id_number": f[1] or None,
        "full_name": f[2],
        "date_of_birth": datetime.datetime.strptime(f[3], "%d%m%Y").date(),
        "sex": f[4],
        "address": f[5],
        "issue_date": datetime.datetime.strptime(f[6], "%d%m%Y").date(),
    }


def read_all(card: cccd.Card) -> tuple:
    return (card.id_number, card.old_id_number, card.full_name, card.date_of_birth, card.sex,
            card.address, card.issue_date)


def timed(fn, runs: int) -> list:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def span(values, fmt="{:.2f}") -> str:
    lo, hi = min(values), max(values)
    return fmt.format(lo) if fmt.format(lo) == fmt.format(hi) else f"{fmt.format(lo)}–{fmt.format(hi)}"


def gen(cccd_bin: str, count: int, kind: str, path: pathlib.Path) -> None:
    with open(path, "wb") as f:
        subprocess.run([cccd_bin, "gen", "--count", str(count), "--seed", "42", "--kind", kind],
                       stdout=f, check=True)


def lines_of(path: pathlib.Path) -> list:
    out = []
    for line in path.read_bytes().split(b"\n"):
        if line.endswith(b"\r"):
            line = line[:-1]
        if line:
            out.append(line)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    ap.add_argument("--cccd", default=os.environ.get("CCCD_BIN", str(target / "release" / "cccd")))
    args = ap.parse_args()
    print(f"cccd {cccd.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        valid_file = tmp / "valid.txt"
        gen(args.cccd, 50_000, "valid", valid_file)
        valid = [p.decode("utf-8") for p in lines_of(valid_file)]

        print(f"\n1. parse, {len(valid)} valid payloads (str), per call, {args.runs} runs")
        naive = timed(lambda: [naive_parse(p) for p in valid], args.runs)
        ours = timed(lambda: [cccd.parse(p) for p in valid], args.runs)
        ours_read = timed(lambda: [read_all(cccd.parse(p)) for p in valid], args.runs)
        per = lambda ts: [t / len(valid) * 1e6 for t in ts]  # noqa: E731
        print(f"   naive split+strptime      {span(per(naive))} µs")
        print(f"   cccd.parse                {span(per(ours))} µs   "
              f"{span([n / o for n, o in zip(naive, ours)], '{:.1f}')}x faster")
        print(f"   cccd.parse + read fields  {span(per(ours_read))} µs   "
              f"{span([n / o for n, o in zip(naive, ours_read)], '{:.1f}')}x faster")

        mixed_file = tmp / "mixed.txt"
        gen(args.cccd, args.count, "mixed", mixed_file)
        payloads = lines_of(mixed_file)
        n = len(payloads)
        print(f"\n2. validate, {n} mixed payloads (valid, invalid, damaged), lenient, {args.runs} runs")

        def command():
            with open(mixed_file, "rb") as f, open(os.devnull, "wb") as null:
                subprocess.run([args.cccd, "parse", "--lenient", "--format", "json", "-q",
                                "--today", TODAY.isoformat()], stdin=f, stdout=null, check=False)

        rows = [
            ("cccd parse (command)", command),
            ("cccd.validate (pythonize)", lambda: cccd.validate(payloads, lenient=True, today=TODAY)),
            ("json.loads route", lambda: cccd._without_gc(
                cccd._cccd._validate_json, payloads, lenient=True, today=TODAY)),
            ("cccd.validate_arrow", lambda: cccd.validate_arrow(payloads, lenient=True, today=TODAY)),
        ]
        results = {name: timed(fn, args.runs) for name, fn in rows}
        base = results["cccd parse (command)"]
        for name, ts in results.items():
            rate = [n / t / 1000 for t in ts]
            ratio = [t / b for t, b in zip(ts, base)]
            print(f"   {name:26} {span(ts)} s  {span(rate, '{:.0f}')}k payloads/s  "
                  f"{span(ratio)}x the command's time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
