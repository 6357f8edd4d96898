"""Validate a file of card payloads on Spark with cccd, and write the results as Parquet.

    spark-submit spark_validate.py INPUT OUTPUT [--lenient] [--today YYYY-MM-DD]
    python spark_validate.py INPUT OUTPUT ...          # local mode (pyspark installed)

INPUT is a text file (or directory, or glob) of payloads, one per line as ``cccd parse`` reads
standard input: a final LF or CR LF ends a line and blank lines are skipped. Lines are read as
bytes, so payloads that are not UTF-8 reach the parser untouched (an ``encoding`` failure, or
repaired with ``--lenient``). OUTPUT is a Parquet directory with one row per payload and the
columns of ``cccd parse --format csv`` (every column a string, each cell what the CSV holds).

The executors need the ``cccd`` module: ``pip install cccd-vn`` on them, or ship the wheel
(see the README's "Python" section). Each Arrow batch is validated by ``cccd.validate_arrow``,
in parallel in Rust on the executor's cores.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from typing import Iterator, Optional


def parse_args(argv: Optional[list] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input", help="text file of payloads, one per line")
    p.add_argument("output", help="Parquet output directory (overwritten)")
    p.add_argument("--lenient", action="store_true", help="repair what scanners damage")
    p.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        default=None,
        help="reference date for 'expired' and the warnings (default: the driver's local date)",
    )
    p.add_argument("--master", default=None, help="Spark master when run with python (default local[*])")
    p.add_argument(
        "--conf", action="append", default=[], metavar="KEY=VALUE", help="a Spark setting (repeatable)"
    )
    return p.parse_args(argv)


def result_schema():
    """The output schema: the columns of `cccd parse --format csv`, all strings."""
    import cccd
    from pyspark.sql.types import StringType, StructField, StructType

    return StructType([StructField(name, StringType(), False) for name in cccd.CSV_COLUMNS])


def validate_batches(lenient: bool, today: datetime.date):
    """The function mapInArrow runs on the executors: payload bytes in, CSV cells out."""

    def run(batches: Iterator["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        import cccd

        for batch in batches:
            yield cccd.validate_arrow(batch.column(0), lenient=lenient, today=today)

    return run


def main(argv: Optional[list] = None) -> int:
    args = parse_args(argv)
    from pyspark.sql import SparkSession, functions as F

    builder = SparkSession.builder.appName("cccd-validate")
    if args.master:
        builder = builder.master(args.master)
    for setting in args.conf:
        key, _, value = setting.partition("=")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    # The driver fixes the reference date, so every executor checks against the same day.
    today = args.today or datetime.date.today()
    # lineSep "\n": as `cccd parse`, split on LF only; the CR of a CR LF is removed below.
    lines = spark.read.option("lineSep", "\n").text(args.input)
    payloads = (
        lines.select(F.col("value").cast("binary").alias("payload"))
        .select(
            F.when(F.expr("substring(payload, -1, 1) = X'0D'"), F.expr("substring(payload, 1, length(payload) - 1)"))
            .otherwise(F.col("payload"))
            .alias("payload")
        )
        .where(F.length("payload") > 0)
    )
    results = payloads.mapInArrow(validate_batches(args.lenient, today), result_schema())
    results.write.mode("overwrite").parquet(args.output)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
