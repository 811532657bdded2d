"""``generate --faults`` lands every bad thing the spec names, found from the files alone.

Each test looks for one kind of fault the way a loader would meet it, with
no knowledge of where the generator put it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from c360 import spec
from landing_helpers import (
    BAD_CURRENCY,
    BAD_TIMESTAMP,
    NULL_KEY,
    SCORE_RANGE,
    PartitionState,
    describe,
    file_hashes,
    iter_rows,
    partition_faults,
    partition_state,
    partitions,
    row_problems,
)


def _states(root: Path) -> list[PartitionState]:
    return [partition_state(p) for p in partitions(root)]


def _table(state: PartitionState) -> spec.Table:
    return spec.table(state.partition.table_name)


def test_a_partition_has_parquet_but_no_manifest(tiny_faults_landing: Path) -> None:
    found = [
        s.partition.name
        for s in _states(tiny_faults_landing)
        if s.manifest is None and s.partition.parts()
    ]
    assert found, "no partition with Parquet files but no _manifest.json"


def test_a_manifest_count_differs_from_the_parquet(tiny_faults_landing: Path) -> None:
    found = [
        f"{s.partition.name}: manifest {s.manifest['row_count']}, parquet {s.parquet_rows}"
        for s in _states(tiny_faults_landing)
        if s.manifest is not None and not s.unreadable and not s.count_matches
    ]
    assert found, "no readable partition whose manifest row_count differs from its rows"


def test_a_file_is_not_readable_parquet(tiny_faults_landing: Path) -> None:
    found = [p for s in _states(tiny_faults_landing) for p in s.unreadable]
    assert found, "every .parquet file reads"


def test_a_partition_has_an_extra_column(tiny_faults_landing: Path) -> None:
    found = [s for s in _states(tiny_faults_landing) if s.extra_columns(_table(s))]
    assert found, "no partition carries a column the spec does not name"
    # Schema drift alone does not make a partition incomplete: it must still load.
    loadable = [s.partition.name for s in found if s.complete(_table(s))]
    assert loadable, (
        "every partition with an extra column is also incomplete for another reason: "
        + describe([s.partition.name for s in found])
    )


def test_a_partition_misses_a_required_column(tiny_faults_landing: Path) -> None:
    found = [
        f"{s.partition.name}: {missing}"
        for s in _states(tiny_faults_landing)
        for missing in s.missing_columns(_table(s)).values()
    ]
    assert found, "no readable file lacks a spec column"


@pytest.fixture(scope="module")
def loadable_row_problems(tiny_faults_landing: Path) -> dict[str, list[str]]:
    """Row problems by kind, in partitions that are otherwise complete."""
    found: dict[str, list[str]] = {}
    for state in _states(tiny_faults_landing):
        table = _table(state)
        if not state.complete(table):
            continue
        for row in iter_rows([state.partition]):
            for p in row_problems(table, row.values):
                found.setdefault(p.kind, []).append(f"{row.where()}: {p.column}: {p.reason}")
    return found


@pytest.mark.parametrize("kind", [NULL_KEY, BAD_TIMESTAMP, SCORE_RANGE, BAD_CURRENCY])
def test_bad_rows_sit_in_loadable_partitions(
    loadable_row_problems: dict[str, list[str]], kind: str
) -> None:
    """Rows the loader must reject, inside partitions that are otherwise complete."""
    assert loadable_row_problems.get(kind), f"no row with a {kind} in a complete partition"


def test_clean_partitions_all_land_in_the_faults_run(
    tiny_landing: Path, tiny_faults_landing: Path
) -> None:
    faults = {p.name for p in partitions(tiny_faults_landing)}
    lost = [p.name for p in partitions(tiny_landing) if p.name not in faults]
    assert not lost, describe(lost)


def test_partitions_without_faults_are_byte_identical_to_the_clean_run(
    tiny_landing: Path, tiny_faults_landing: Path
) -> None:
    """--faults only adds bad things: whatever it changed is visibly faulty."""
    clean, faulty = file_hashes(tiny_landing), file_hashes(tiny_faults_landing)
    faults_parts = {p.name: p for p in partitions(tiny_faults_landing)}
    changed_yet_clean = []
    for part in partitions(tiny_landing):
        prefix = part.name + "/"
        before = {k: v for k, v in clean.items() if k.startswith(prefix)}
        after = {k: v for k, v in faulty.items() if k.startswith(prefix)}
        if before != after and not partition_faults(faults_parts[part.name]):
            changed_yet_clean.append(part.name)
    assert not changed_yet_clean, describe(changed_yet_clean)
