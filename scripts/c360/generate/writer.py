"""Writes partitions into a landing zone: Parquet parts plus ``_manifest.json``."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from c360 import spec
from c360.errors import C360Error

MARKER_NAME = "_c360_generated.json"


def extracted_at(extract_date: dt.date, minutes_after_midnight: int = 130) -> str:
    """Extracts run after the day closes: 02:10 UTC on the next day by default."""
    moment = dt.datetime.combine(extract_date + dt.timedelta(days=1), dt.time()) + dt.timedelta(
        minutes=minutes_after_midnight
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def to_arrow(table: spec.Table, frame: pl.DataFrame) -> pa.Table:
    """The frame in the table's column order and Arrow types (missing columns are an error)."""
    missing = [c for c in table.column_names if c not in frame.columns]
    if missing:
        raise ValueError(f"{table.name}: generator produced no column(s) {missing}")
    arrow = frame.select(list(table.column_names)).to_arrow()
    return arrow.cast(table.arrow_schema())


@dataclass
class LandingWriter:
    """Writes one landing zone; keeps per-table counts for progress lines."""

    root: Path
    rows_per_file: int
    rows_written: dict[str, int] = field(default_factory=dict)
    partitions_written: dict[str, int] = field(default_factory=dict)

    def partition_dir(self, table: spec.Table, extract_date: dt.date) -> Path:
        return (
            self.root
            / table.system
            / table.table
            / f"{spec.PARTITION_PREFIX}{extract_date.isoformat()}"
        )

    def write(
        self,
        table: spec.Table,
        extract_date: dt.date,
        mode: spec.Mode,
        data: pl.DataFrame | pa.Table,
        *,
        extracted: str | None = None,
    ) -> Path:
        """Write one complete partition (parts first, manifest last, as a real extractor does)."""
        if mode not in table.modes:
            raise ValueError(f"{table.name} does not land {mode} extracts")
        arrow = to_arrow(table, data) if isinstance(data, pl.DataFrame) else data
        part_dir = self.partition_dir(table, extract_date)
        if part_dir.exists():
            shutil.rmtree(part_dir)
        part_dir.mkdir(parents=True)
        n = arrow.num_rows
        step = max(1, self.rows_per_file)
        offsets = list(range(0, n, step)) or [0]
        for i, start in enumerate(offsets):
            pq.write_table(
                arrow.slice(start, step),
                part_dir / f"part-{i:04d}.parquet",
                compression="zstd",
                row_group_size=min(step, 1_000_000),
            )
        manifest = {
            "system": table.system,
            "table": table.table,
            "extract_date": extract_date.isoformat(),
            "mode": mode,
            "row_count": n,
            "extracted_at": extracted or extracted_at(extract_date),
        }
        (part_dir / spec.MANIFEST_NAME).write_text(json.dumps(manifest) + "\n")
        self.rows_written[table.name] = self.rows_written.get(table.name, 0) + n
        self.partitions_written[table.name] = self.partitions_written.get(table.name, 0) + 1
        return part_dir


def prepare_out_dir(root: Path, *, force: bool, marker: dict[str, object]) -> None:
    """Make ``root`` ready for a fresh landing zone.

    A directory we generated before (it holds our marker file) is cleared of
    its table folders. A non-empty directory without the marker may hold
    somebody's real extracts: it is refused unless ``force`` is given.
    """
    try:
        if root.exists() and not root.is_dir():
            raise C360Error(f"--out {root} is a file, not a directory")
        if root.exists() and any(root.iterdir()):
            if not (root / MARKER_NAME).exists() and not force:
                raise C360Error(
                    f"--out {root} is not empty and was not written by 'c360 generate': "
                    "choose an empty directory or pass --force to overwrite it"
                )
            for system in {t.system for t in spec.TABLES}:
                shutil.rmtree(root / system, ignore_errors=True)
        root.mkdir(parents=True, exist_ok=True)
        (root / MARKER_NAME).write_text(json.dumps(marker, sort_keys=True) + "\n")
    except PermissionError as exc:
        raise C360Error(f"cannot write to {root}: {exc.strerror or 'permission denied'}") from None
    except OSError as exc:
        raise C360Error(f"cannot write to {root}: {exc.strerror or exc}") from None
