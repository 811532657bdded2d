"""What an import did, per table, as the lines it prints and the exit code it returns.

Exit codes: 0 every row read landed (copies within the input aside); 3 rows
landed and some were rejected; 5 refused (a partition exists, see
``c360.importers.landing``); 1 error; 2 usage.
"""

from __future__ import annotations

from pathlib import Path

from c360.errors import C360Error
from c360.importers.batches import Counts

EXIT_LANDED = 0
EXIT_WITH_REJECTS = 3


class ImportUsageError(C360Error):
    """A command line that cannot work (a full table appended to, a date for an archive)."""

    exit_code = 2


def table_line(name: str, counts: Counts) -> str:
    return (
        f"{name}: read {counts.read:,} = landed {counts.landed:,} + rejected "
        f"{counts.rejected:,} + duplicates {counts.duplicates:,} "
        f"({counts.partitions} partition{'s' if counts.partitions != 1 else ''})"
    )


def summary(counts: dict[str, Counts], rejects: list[Path]) -> str:
    read = sum(c.read for c in counts.values())
    landed = sum(c.landed for c in counts.values())
    rejected = sum(c.rejected for c in counts.values())
    duplicates = sum(c.duplicates for c in counts.values())
    partitions = sum(c.partitions for c in counts.values())
    where = f"; rejects in {', '.join(str(p) for p in rejects)}" if rejects else ""
    return (
        f"done: read {read:,} = landed {landed:,} + rejected {rejected:,} + duplicates "
        f"{duplicates:,} in {partitions} partition{'s' if partitions != 1 else ''} of "
        f"{len(counts)} table{'s' if len(counts) != 1 else ''}{where}"
    )


def check_reconciled(counts: dict[str, Counts]) -> None:
    """Every row read is landed, rejected or a counted copy; anything else is a bug."""
    for name, c in counts.items():
        if not c.reconciles():
            raise C360Error(
                f"{name}: counts do not reconcile (read {c.read}, landed {c.landed}, rejected "
                f"{c.rejected}, duplicates {c.duplicates}); please report this"
            )


def exit_code(counts: dict[str, Counts]) -> int:
    return EXIT_WITH_REJECTS if any(c.rejected for c in counts.values()) else EXIT_LANDED
