"""Land an import's partitions through ``c360.landing_write``, and write its rejects.

``create`` (the default) never touches a partition that is there: before
anything is written, every target is checked, and if any exists the whole
import is refused (``PartitionExists``, exit 5) naming them, so an import
either lands all its partitions or none. ``replace`` swaps each one in;
``append`` adds the rows to an incremental partition as its next part (the
collector may have landed that day already).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from c360.importers.batches import Mapped, Partition
from c360.importers.rejects import write_rejects
from c360.landing_write import (
    How,
    PartitionExists,
    Written,
    conform,
    partition_dir,
    write_partition,
)


def refuse_existing(root: Path, parts: list[Partition]) -> None:
    """Exit 5 before writing when a ``create`` would meet a partition that exists."""
    there = [
        partition_dir(root, p.table, p.extract_date).relative_to(root).as_posix()
        for p in parts
        if partition_dir(root, p.table, p.extract_date).exists()
    ]
    if there:
        more = f" and {len(there) - 3} more" if len(there) > 3 else ""
        raise PartitionExists(
            f"{', '.join(there[:3])}{more} already exist: nothing was imported; pass "
            "--replace to overwrite them, or --append to add to incremental ones"
        )


def land(
    root: Path,
    mapped: Mapped,
    *,
    how: How,
    extracted_at: str,
    on_partition: Callable[[Partition, Written], None],
) -> list[Partition]:
    """Write every partition of ``mapped``; returns them (with their duplicates counted)."""
    parts = mapped.partitions()
    if how == "create":
        refuse_existing(root, parts)
    for part in parts:
        data = conform(part.table, [row.values for row in part.rows])
        written = write_partition(
            root, part.table, part.extract_date, part.mode, data, how=how, extracted_at=extracted_at
        )
        counts = mapped.counts[part.table.name]
        counts.landed += written.rows_added
        counts.partitions += 1
        on_partition(part, written)
    return parts


def save_rejects(directory: Path, stamp: str, mapped: Mapped) -> list[Path]:
    """One rejects file per table that has rejects."""
    return [
        write_rejects(directory, stamp, name, rejects)
        for name, rejects in sorted(mapped.rejects.items())
        if rejects
    ]
