"""examples/python/spark_validate.py in local[2] on a generated mixed set of 20 000 payloads,
every row checked against `cccd parse --format csv`."""

import csv
import io
import os
import subprocess
import sys
import time

import pyarrow.parquet as pq

import cccd
from conftest import REPO, TODAY

COUNT = 20_000


def test_spark_validate_matches_the_command(tmp_path, cccd_bin):
    payloads = tmp_path / "payloads.txt"
    with open(payloads, "wb") as f:
        subprocess.run(
            [cccd_bin, "gen", "--count", str(COUNT), "--seed", "13", "--kind", "mixed"], stdout=f, check=True
        )
    data = payloads.read_bytes()
    assert data.count(b"\n") == COUNT
    assert b"\xff" in data or any(b >= 0x80 for b in data)  # not only ASCII

    out = tmp_path / "out.parquet"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(REPO / "examples" / "python" / "spark_validate.py"), str(payloads), str(out),
         "--lenient", "--today", TODAY.isoformat(), "--master", "local[2]",
         # several input splits (in order) and several Arrow batches per split
         "--conf", "spark.sql.files.maxPartitionBytes=1000000",
         "--conf", "spark.sql.execution.arrow.maxRecordsPerBatch=3000"],
        check=True,
        env=env,
    )
    elapsed = time.perf_counter() - start
    print(f"spark_validate.py: {COUNT} payloads in {elapsed:.1f} s (JVM start included)")

    parts = sorted(p for p in out.iterdir() if p.name.startswith("part-") and p.suffix == ".parquet")
    assert len(parts) >= 2
    tables = [pq.read_table(p) for p in parts]
    assert all(t.schema.names == list(cccd.CSV_COLUMNS) for t in tables)
    rows = [list(r.values()) for t in tables for r in t.to_pylist()]

    cmd = subprocess.run(
        [cccd_bin, "parse", "--lenient", "--format", "csv", "-q", "--today", TODAY.isoformat()],
        stdin=open(payloads, "rb"),
        stdout=subprocess.PIPE,
        check=False,
    )
    assert cmd.returncode == 1  # the mixed set holds invalid payloads
    expected = list(csv.reader(io.StringIO(cmd.stdout.decode("utf-8"), newline="")))
    assert expected[0] == list(cccd.CSV_COLUMNS)
    expected = expected[1:]
    assert len(rows) == len(expected) == COUNT
    # `line` is the command's numbering of its standard input; the job's rows leave it empty.
    at = list(cccd.CSV_COLUMNS).index("line")
    for i, (got, want) in enumerate(zip(rows, expected)):
        assert got[at] == "" and want[at] == str(i + 1), f"row {i + 1}"
        assert got[:at] + got[at + 1 :] == want[:at] + want[at + 1 :], f"row {i + 1}"
    # The set is mixed: cards, failures and repairs all occur.
    ok = [r[0] for r in rows]
    assert ok.count("true") > COUNT // 2 and ok.count("false") > COUNT // 5
    repairs = cccd.CSV_COLUMNS.index("repairs")
    assert sum(1 for r in rows if r[repairs]) > COUNT // 10
