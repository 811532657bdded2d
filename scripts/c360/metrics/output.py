"""Print a metric query's answer: an aligned text table, or CSV."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from c360.errors import C360Error
from c360.metrics.layer import Cell, MetricTable


def cell_text(value: Cell) -> str:
    """A cell as text: dates without a midnight time, numbers to 4 decimals at most."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (float, Decimal)):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return str(value)


def write_table(table: MetricTable, out: TextIO) -> None:
    """Columns padded to their widest cell, numbers right-aligned."""
    texts = [[cell_text(cell) for cell in row] for row in table.rows]
    widths = [len(name) for name in table.columns]
    for row in texts:
        widths = [max(width, len(text)) for width, text in zip(widths, row, strict=True)]
    numeric = [
        all(isinstance(row[i], (int, float, Decimal)) or row[i] is None for row in table.rows)
        and any(row[i] is not None for row in table.rows)
        for i in range(len(table.columns))
    ]

    def line(cells: list[str]) -> str:
        padded = (
            text.rjust(width) if is_number else text.ljust(width)
            for text, width, is_number in zip(cells, widths, numeric, strict=True)
        )
        return "  ".join(padded).rstrip()

    print(line(list(table.columns)), file=out)
    print("  ".join("-" * width for width in widths), file=out)
    for row in texts:
        print(line(row), file=out)


def write_csv(table: MetricTable, path: Path) -> None:
    """The table as CSV with a header (unrounded values)."""
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.columns)
            for row in table.rows:
                writer.writerow(["" if cell is None else cell for cell in row])
    except OSError as exc:
        raise C360Error(f"{path}: cannot write it: {exc.strerror or exc}") from None
