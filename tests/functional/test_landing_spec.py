"""A clean generated landing zone obeys the raw-extracts spec, judged from its files alone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from c360 import spec
from c360.generate.config import GenerateConfig
from landing_helpers import (
    PART_RE,
    Partition,
    describe,
    file_hashes,
    generate_quietly,
    iter_rows,
    parse_aware,
    parse_utc_z,
    partition_state,
    partitions,
    row_problems,
    table_partitions,
    try_read_parquet,
)

TABLE_PARAMS = [pytest.param(t, id=t.name) for t in spec.TABLES]
FULL_DAILY = ("billing/customers", "billing/subscriptions", "billing/products", "billing/prices")


# --------------------------------------------------------------------------- layout


def test_root_holds_only_system_folders(tiny_landing: Path) -> None:
    systems = {t.system for t in spec.TABLES}
    unexpected = [
        p.name
        for p in tiny_landing.iterdir()
        # Underscore files at the root are metadata (like _manifest.json), not data.
        if not (p.is_dir() and p.name in systems) and not (p.is_file() and p.name.startswith("_"))
    ]
    assert not unexpected, f"unexpected entries at the landing root: {unexpected}"


def test_every_folder_is_system_table_extract_date(tiny_landing: Path) -> None:
    found = []
    tables = {(t.system, t.table) for t in spec.TABLES}
    for system_dir in (p for p in tiny_landing.iterdir() if p.is_dir()):
        for table_dir in system_dir.iterdir():
            if not table_dir.is_dir() or (system_dir.name, table_dir.name) not in tables:
                found.append(f"not a spec table: {table_dir.relative_to(tiny_landing)}")
                continue
            for part_dir in table_dir.iterdir():
                m = re.fullmatch(r"extract_date=(\d{4}-\d{2}-\d{2})", part_dir.name)
                if not part_dir.is_dir() or not m:
                    where = part_dir.relative_to(tiny_landing)
                    found.append(f"not an extract_date folder: {where}")
                    continue
                try:
                    dt.date.fromisoformat(m.group(1))
                except ValueError:
                    found.append(f"not a real date: {part_dir.relative_to(tiny_landing)}")
    assert not found, describe(found)


def test_all_twelve_tables_have_partitions(tiny_landing: Path) -> None:
    landed = {p.table_name for p in partitions(tiny_landing)}
    assert landed == {t.name for t in spec.TABLES}


def test_partition_holds_manifest_and_gapless_parts(tiny_landing: Path) -> None:
    found = []
    for part in partitions(tiny_landing):
        names = sorted(p.name for p in part.path.iterdir())
        if spec.MANIFEST_NAME not in names:
            found.append(f"{part.name}: no {spec.MANIFEST_NAME}")
        others = [n for n in names if n != spec.MANIFEST_NAME]
        bad = [n for n in others if not PART_RE.match(n)]
        if bad:
            found.append(f"{part.name}: unexpected files {bad}")
        numbers = sorted(int(m.group(1)) for m in map(PART_RE.match, others) if m)
        if numbers != list(range(len(numbers))) or not numbers:
            found.append(f"{part.name}: parts not numbered 0000.. without gaps: {others}")
    assert not found, describe(found)


# --------------------------------------------------------------------------- manifests


def _manifest_findings(part: Partition) -> list[str]:
    manifest = part.manifest()
    if manifest is None:
        return [f"{part.name}: no manifest"]
    found = []
    if not isinstance(manifest, dict) or set(manifest) != set(spec.MANIFEST_KEYS):
        return [f"{part.name}: manifest keys {sorted(manifest)} != {sorted(spec.MANIFEST_KEYS)}"]
    for key in ("system", "table", "extract_date", "mode", "extracted_at"):
        if not isinstance(manifest[key], str):
            found.append(f"{part.name}: {key} is not a string: {manifest[key]!r}")
    count = manifest["row_count"]
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        found.append(f"{part.name}: row_count is not a count: {count!r}")
    expected = {"system": part.system, "table": part.table, "extract_date": part.extract_date}
    for key, value in expected.items():
        if manifest[key] != value:
            found.append(f"{part.name}: manifest {key}={manifest[key]!r}, path says {value!r}")
    table = spec.TABLES_BY_NAME.get(part.table_name)
    if manifest["mode"] not in ("incremental", "full"):
        found.append(f"{part.name}: mode {manifest['mode']!r}")
    elif table is not None and manifest["mode"] not in table.modes:
        found.append(f"{part.name}: {table.name} does not land {manifest['mode']} extracts")
    try:
        extracted = parse_utc_z(manifest["extracted_at"])
    except (ValueError, AttributeError) as exc:
        found.append(f"{part.name}: extracted_at: {exc}")
    else:
        day_start = dt.datetime.combine(part.date, dt.time(), tzinfo=dt.UTC)
        if extracted < day_start:
            found.append(f"{part.name}: extracted_at {manifest['extracted_at']} before its date")
    return found


def test_manifests_follow_the_spec(tiny_landing: Path) -> None:
    found = [f for part in partitions(tiny_landing) for f in _manifest_findings(part)]
    assert not found, describe(found)


def test_manifest_row_count_equals_parquet_rows(tiny_landing: Path) -> None:
    found = []
    for part in partitions(tiny_landing):
        state = partition_state(part)
        if state.unreadable:
            found.append(f"{part.name}: unreadable {[p.name for p in state.unreadable]}")
        elif state.manifest is None or state.manifest["row_count"] != state.parquet_rows:
            count = state.manifest and state.manifest["row_count"]
            found.append(f"{part.name}: manifest {count} rows, parquet {state.parquet_rows}")
    assert not found, describe(found)


# --------------------------------------------------------------------------- schemas


@pytest.mark.parametrize("table", TABLE_PARAMS)
def test_parquet_schema_is_the_spec(tiny_landing: Path, table: spec.Table) -> None:
    found = []
    for part in table_partitions(tiny_landing, table):
        for path in part.parts():
            data = try_read_parquet(path)
            if data is None:
                found.append(f"{part.name}/{path.name}: unreadable")
                continue
            schema = data.schema
            missing = [c for c in table.column_names if c not in schema.names]
            extra = [c for c in schema.names if c not in table.column_names]
            if missing or extra:
                found.append(f"{part.name}/{path.name}: missing {missing}, extra {extra}")
            for column in table.columns:
                if column.name in schema.names:
                    actual = schema.field(column.name).type
                    if actual != column.arrow_type:
                        found.append(
                            f"{part.name}/{path.name}: {column.name} is {actual}, "
                            f"spec.py says {column.arrow_type}"
                        )
                    if table.system == "events" and not pa.types.is_string(actual):
                        found.append(f"{part.name}/{path.name}: {column.name} is {actual}")
    assert not found, describe(found)


# --------------------------------------------------------------------------- rows


@pytest.mark.parametrize("table", TABLE_PARAMS)
def test_key_column_is_never_null(tiny_landing: Path, table: spec.Table) -> None:
    found = []
    for part in table_partitions(tiny_landing, table):
        for path in part.parts():
            data = try_read_parquet(path)
            assert data is not None, f"{part.name}/{path.name}: unreadable"
            nulls = data.column(table.key).null_count
            if nulls:
                found.append(f"{part.name}/{path.name}: {nulls} null {table.key}")
    assert not found, describe(found)


@pytest.mark.parametrize("table", TABLE_PARAMS)
def test_every_row_follows_the_spec(tiny_landing: Path, table: spec.Table) -> None:
    found = []
    rows = 0
    for row in iter_rows(table_partitions(tiny_landing, table)):
        rows += 1
        for problem in row_problems(table, row.values):
            found.append(
                f"{row.where()}: {problem.column}: {problem.kind}: {problem.reason} "
                f"(value {row.values.get(problem.column)!r})"
            )
    assert rows > 0, f"{table.name}: no rows at all"
    assert not found, describe(found)


def test_every_event_type_is_landed(tiny_landing: Path) -> None:
    table = spec.table("events/messages")
    types = {r.values["type"] for r in iter_rows(table_partitions(tiny_landing, table))}
    assert types == {"identify", "track", "page", "screen", "group", "alias"}


def _from_epoch(seconds: Any) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def test_nothing_is_from_after_its_extract(tiny_landing: Path) -> None:
    """An extract can only hold what existed when it ran (``extracted_at``)."""
    collector_clock: dict[str, tuple[str, Callable[[Any], dt.datetime]]] = {
        "events/messages": ("receivedAt", parse_aware),
        "crm/accounts": ("SystemModstamp", parse_utc_z),
        "crm/contacts": ("SystemModstamp", parse_utc_z),
        "crm/users": ("SystemModstamp", parse_utc_z),
        "crm/opportunities": ("SystemModstamp", parse_utc_z),
        "support/nps_responses": ("submitted_at", parse_aware),
    }
    epoch_created = ("billing/customers", "billing/subscriptions", "billing/invoices")
    found = []
    for part in partitions(tiny_landing):
        manifest = part.manifest()
        assert manifest is not None, f"{part.name}: no manifest"
        extracted = parse_utc_z(manifest["extracted_at"])
        for row in iter_rows([part]):
            if part.table_name in collector_clock:
                column, parse = collector_clock[part.table_name]
            elif part.table_name in epoch_created:
                column, parse = "created", _from_epoch
            else:
                break
            try:
                moment = parse(row.values[column])
            except (KeyError, TypeError, ValueError, OverflowError):
                continue  # unparseable or missing: test_every_row_follows_the_spec reports it
            if moment > extracted:
                found.append(
                    f"{row.where()}: {column} {row.values[column]!r} after extracted_at "
                    f"{manifest['extracted_at']}"
                )
    assert not found, describe(found)


def test_full_extracts_hold_each_key_once(tiny_landing: Path) -> None:
    """A full extract is every row that exists: one row per object."""
    found = []
    for part in partitions(tiny_landing):
        manifest = part.manifest()
        if manifest is None or manifest["mode"] != "full":
            continue
        key = spec.table(part.table_name).key
        keys = [r.values[key] for r in iter_rows([part])]
        if len(keys) != len(set(keys)):
            found.append(f"{part.name}: {len(keys) - len(set(keys))} repeated {key}")
    assert not found, describe(found)


# --------------------------------------------------------------------------- dates and modes


def test_partition_dates_are_inside_the_window(
    tiny_landing: Path, tiny_config: GenerateConfig
) -> None:
    outside = [
        p.name
        for p in partitions(tiny_landing)
        if not tiny_config.start_date <= p.date <= tiny_config.end_date
    ]
    assert not outside, describe(outside)


@pytest.mark.parametrize("name", FULL_DAILY)
def test_billing_state_tables_are_full_every_day(
    tiny_landing: Path, tiny_config: GenerateConfig, name: str
) -> None:
    parts = {p.date: p for p in table_partitions(tiny_landing, spec.table(name))}
    missing = [d.isoformat() for d in tiny_config.dates() if d not in parts]
    assert not missing, f"{name}: no partition for {describe(missing)}"
    not_full = [p.name for p in parts.values() if (p.manifest() or {}).get("mode") != "full"]
    assert not not_full, describe(not_full)


# --------------------------------------------------------------------------- determinism


@pytest.fixture(scope="module")
def tiny_again(tmp_path_factory: pytest.TempPathFactory, tiny_config: GenerateConfig) -> Path:
    return generate_quietly(tiny_config, tmp_path_factory.mktemp("tiny_again") / "raw")


@pytest.fixture(scope="module")
def tiny_other_seed(tmp_path_factory: pytest.TempPathFactory, tiny_config: GenerateConfig) -> Path:
    cfg = replace(tiny_config, seed=tiny_config.seed + 1)
    return generate_quietly(cfg, tmp_path_factory.mktemp("tiny_seed") / "raw")


def test_same_seed_gives_byte_identical_files(tiny_landing: Path, tiny_again: Path) -> None:
    first, second = file_hashes(tiny_landing), file_hashes(tiny_again)
    assert sorted(first) == sorted(second), "the two runs wrote different file sets"
    differ = [path for path in first if first[path] != second[path]]
    assert not differ, describe(differ)


def test_other_seed_gives_other_data(tiny_landing: Path, tiny_other_seed: Path) -> None:
    first, other = file_hashes(tiny_landing), file_hashes(tiny_other_seed)
    parquet = [p for p in first if p.endswith(".parquet")]
    assert any(first[p] != other.get(p) for p in parquet)
    # Not just a file or two: the events themselves change.
    events = [p for p in parquet if p.startswith("events/")]
    same = [p for p in events if first[p] == other.get(p)]
    assert len(same) < len(events) / 2, f"{len(same)} of {len(events)} event files unchanged"
