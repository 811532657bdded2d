"""Guard rails before a build: a landing zone that is missing, empty or smaller
than the one behind the last published refresh is refused.

"Smaller" is per table: fewer complete partitions, or fewer rows in them,
than the last published refresh saw. Extracts only ever add partitions, so a
shrink means an unmounted share, a wrong path or lost files, never new data;
``--allow-shrink`` accepts it when it is meant. The rows an erasure purged from
the landing zone in the same run are not a shrink.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from c360 import landing, spec
from c360.errors import C360Error


class LandingRefused(C360Error):
    """The landing zone cannot be what the analysts should see next."""


@dataclass(frozen=True)
class TableTotals:
    partitions: int  # complete partitions
    rows: int  # rows in them

    def as_dict(self) -> dict[str, int]:
        return {"partitions": self.partitions, "rows": self.rows}


def totals(partitions: Sequence[landing.Partition]) -> dict[str, TableTotals]:
    """Complete partitions and their rows, per spec table (every table, zeros included)."""
    out = {t.name: TableTotals(0, 0) for t in spec.TABLES}
    for part in partitions:
        if part.status != landing.COMPLETE:
            continue
        name = f"{part.system}/{part.table_name}"
        seen = out[name]
        out[name] = TableTotals(seen.partitions + 1, seen.rows + part.file_row_count)
    return out


def check_landing(
    root: Path,
    partitions: Sequence[landing.Partition],
    previous: Mapping[str, TableTotals] | None,
    *,
    allow_shrink: bool,
    purged: Mapping[str, int] | None = None,
) -> list[str]:
    """Raise LandingRefused, or return the shrinks that ``allow_shrink`` let through.

    ``purged``: rows per table this run removed from the landing zone itself (an
    erasure with --purge-raw), which a table may be smaller by."""
    if not root.is_dir():
        raise LandingRefused(
            f"the landing zone {root} does not exist (C360_RAW_DIR): nothing was built or published"
        )
    now = totals(partitions)
    if not any(t.partitions for t in now.values()):
        found = len(partitions)
        raise LandingRefused(
            f"the landing zone {root} holds no complete partition ({found} partition folders):"
            " nothing was built or published"
        )
    shrinks = []
    for name, before in sorted((previous or {}).items()):
        after = now.get(name, TableTotals(0, 0))
        allowed = (purged or {}).get(name, 0)
        if after.partitions < before.partitions or after.rows + allowed < before.rows:
            shrinks.append(
                f"{name} has {after.partitions:,} complete partitions and {after.rows:,} rows,"
                f" the last published refresh had {before.partitions:,} and {before.rows:,}"
            )
    if shrinks and not allow_shrink:
        more = f" (and {len(shrinks) - 1} more tables)" if len(shrinks) > 1 else ""
        raise LandingRefused(
            f"the landing zone shrank: {shrinks[0]}{more}; nothing was built or published"
            " (c360 refresh --allow-shrink accepts it)"
        )
    return shrinks
