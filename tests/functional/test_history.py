"""History (SCD2) and the transaction log: real dbt builds, temp warehouses.

Landing the newer half of the extracts first and backfilling the older half
must give the same ``dim_*_history`` and ``fct_attribute_changes`` (except
``recorded_at``) as landing everything in order: versions sit at the
sources' change times, never at load times. Keys may legitimately differ
between the two landings (the key registry never re-keys on a backfill), so
rows are compared with every key replaced by its entity's smallest natural
id. The generic tests ``no_overlapping_windows`` and
``exactly_one_current_row`` are shown to fail on hand-made bad windows.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pytest
from test_build import REPO_ROOT, copy_partitions
from test_dbt_project import OUTPUTS_ONLY, DbtRun, build, published_run, run_dbt

from landing_helpers import partitions
from shared_builds import Published

pytestmark = pytest.mark.slow

# key -> the entity's smallest natural id, so two landings can be compared
KEY_LABELS = """
    select company_key, min(identifier_type || ':' || identifier_value)
    from intermediate.int_company_identifiers group by company_key
    union all
    select person_key, min(identifier_type || ':' || identifier_value)
    from intermediate.int_person_identifiers group by person_key
"""

# (relation, columns holding keys)
HISTORY = {
    "marts.dim_companies_history": ["company_key"],
    "marts.dim_people_history": ["person_key", "company_key"],
    "marts.fct_attribute_changes": ["entity_key", "old_value", "new_value"],
}


def columns_of(run: DbtRun, relation: str) -> list[str]:
    schema, name = relation.split(".")
    rows = run.query(
        "select column_name from information_schema.columns"
        f" where table_schema = '{schema}' and table_name = '{name}'"
    )
    return [c for (c,) in rows]


def history_rows(run: DbtRun, relation: str, key_columns: list[str]) -> Counter[str]:
    """The relation's rows (without recorded_at) as a multiset, keys replaced by labels."""
    labels = dict(run.query(KEY_LABELS))
    exclude = " exclude (recorded_at)" if "recorded_at" in columns_of(run, relation) else ""
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        rel = con.sql(f"select *{exclude} from {relation}")
        columns = rel.columns
        rows = rel.fetchall()
    positions = [columns.index(c) for c in key_columns]
    out: Counter[str] = Counter()
    for row in rows:
        values = list(row)
        for i in positions:
            values[i] = labels.get(values[i], values[i])
        out[repr(values)] += 1
    return out


@pytest.fixture(scope="module")
def in_order(published_tiny: Published) -> DbtRun:
    """Every partition landed at once: the run's shared refresh of clean tiny."""
    return published_run(published_tiny)


@pytest.fixture(scope="module")
def backfilled(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    """The newer half of the partitions lands and builds first, then the older half."""
    root = tmp_path_factory.mktemp("history_backfill")
    raw = root / "raw"
    parts = partitions(tiny_landing)
    dates = sorted({p.date for p in parts})
    cut = dates[len(dates) // 2]
    copy_partitions([p for p in parts if p.date >= cut], raw)
    build(root, raw, *OUTPUTS_ONLY)
    copy_partitions([p for p in parts if p.date < cut], raw)
    return build(root, raw, *OUTPUTS_ONLY)


@pytest.mark.parametrize("relation", sorted(HISTORY))
def test_backfill_gives_the_same_history_as_landing_in_order(
    relation: str, in_order: DbtRun, backfilled: DbtRun
) -> None:
    want = history_rows(in_order, relation, HISTORY[relation])
    got = history_rows(backfilled, relation, HISTORY[relation])
    assert want, f"{relation} is empty"
    extra, missing = got - want, want - got
    assert not extra and not missing, (
        f"{relation}: {sum(extra.values())} rows only after the backfill, "
        f"{sum(missing.values())} only in order; e.g. {list(extra)[:2]} / {list(missing)[:2]}"
    )


def test_history_has_versions_and_changes_from_every_source(in_order: DbtRun) -> None:
    sources = {
        s for (s,) in in_order.query("select distinct source from marts.fct_attribute_changes")
    }
    # the three systems, plus the derived time zone's own sources and CS seeds
    assert {"crm", "billing", "events"} <= sources
    assert all(
        s in {"country", "default"} or s.startswith("seed:")
        for s in sources - {"crm", "billing", "events"}
    )
    [(multi,)] = in_order.query(
        "select count(*) from (select company_key from marts.dim_companies_history"
        " group by company_key having count(*) > 1)"
    )
    assert multi > 0


# Every mart, every column: the landing order changes nothing but keys (labelled) and the
# run time a row was recorded at.
# schema.table: marts/activation/ builds into schema personal (docs/privacy.md)
MARTS = sorted(
    f"{'personal' if p.parent.name == 'activation' else 'marts'}.{p.stem}"
    for p in (REPO_ROOT / "models" / "marts").rglob("*.sql")
)
RUN_TIMES = {"recorded_at", "_built_at", "_attributed_at"}  # when a run wrote the row, not data


def mart_rows(run: DbtRun, name: str) -> tuple[list[str], Counter[str]]:
    """<schema>.<name>'s columns (without run times) and rows, every key value labelled."""
    labels = dict(run.query(KEY_LABELS))
    with duckdb.connect(str(run.warehouse), read_only=True) as con:
        columns = [c for c in con.sql(f"select * from {name}").columns if c not in RUN_TIMES]
        select = ", ".join(f'"{c}"' for c in columns)
        rows = con.sql(f"select {select} from {name}").fetchall()
    out: Counter[str] = Counter()
    for row in rows:
        out[repr([labels.get(v, v) if isinstance(v, str) else v for v in row])] += 1
    return columns, out


@pytest.mark.parametrize("name", MARTS)
def test_every_mart_is_the_same_whatever_order_partitions_landed_in(
    name: str, in_order: DbtRun, backfilled: DbtRun
) -> None:
    want_columns, want = mart_rows(in_order, name)
    got_columns, got = mart_rows(backfilled, name)
    assert got_columns == want_columns
    extra, missing = got - want, want - got
    assert not extra and not missing, (
        f"{name}: {sum(extra.values())} rows only after the backfill, "
        f"{sum(missing.values())} only in order; e.g. {list(extra)[:2]} / {list(missing)[:2]}"
    )


# --------------------------------------------------------------------------- generic tests


def windows(rows: list[tuple[Any, ...]]) -> str:
    """A subquery of (k, valid_from, valid_to, is_current) rows, usable as a test's model."""
    values = ", ".join(
        "(" + ", ".join("null" if v is None else repr(v) for v in row) + ")" for row in rows
    )
    return f"(select * from (values {values}) as t(k, valid_from, valid_to, is_current))"


def _rewritten(rows: list[tuple[str, bool]]) -> str:
    """unique_among_rewritten over (k, this run wrote it) rows."""
    values = ", ".join(f"('{k}', {str(new).lower()})" for k, new in rows)
    model = f"(select * from (values {values}) as t(k, is_new))"
    written = "'case when is_new then ' ~ run_started_at_utc() ~ ' end'"
    return f"test_unique_among_rewritten({model!r}, 'k', {written})"


GOOD = [(1, 1, 3, False), (1, 3, None, True), (2, 1, None, True)]
OVERLAP = [(1, 1, 3, False), (1, 2, None, True)]
GAP = [(1, 1, 2, False), (1, 3, None, True)]
TWO_OPEN = [(1, 1, None, True), (1, 2, None, True)]
EMPTY = [(1, 2, 2, False), (1, 2, None, True)]
INVERTED = [(1, 5, 2, False), (1, 6, None, True)]
NO_CURRENT = [(1, 1, 2, False), (1, 2, 3, False)]

# (case, test macro call, failing rows expected)
CASES = [
    ("windows ok", f"test_no_overlapping_windows({windows(GOOD)!r}, 'k', allow_gaps=false)", 0),
    ("overlap", f"test_no_overlapping_windows({windows(OVERLAP)!r}, 'k')", 1),
    ("gap allowed", f"test_no_overlapping_windows({windows(GAP)!r}, 'k')", 0),
    ("gap refused", f"test_no_overlapping_windows({windows(GAP)!r}, 'k', allow_gaps=false)", 1),
    ("two open", f"test_no_overlapping_windows({windows(TWO_OPEN)!r}, 'k')", 1),
    ("same start", f"test_no_overlapping_windows({windows(EMPTY)!r}, 'k')", 2),
    ("inverted", f"test_no_overlapping_windows({windows(INVERTED)!r}, 'k')", 1),
    ("current ok", f"test_exactly_one_current_row({windows(GOOD)!r}, 'k', 'is_current')", 0),
    (
        "current ok by valid_to",
        f"test_exactly_one_current_row({windows(GOOD)!r}, 'k', valid_to='valid_to')",
        0,
    ),
    ("two current", f"test_exactly_one_current_row({windows(TWO_OPEN)!r}, 'k', 'is_current')", 1),
    (
        "two open by valid_to",
        f"test_exactly_one_current_row({windows(TWO_OPEN)!r}, 'k', valid_to='valid_to')",
        1,
    ),
    ("no current", f"test_exactly_one_current_row({windows(NO_CURRENT)!r}, 'k', 'is_current')", 1),
    ("rewritten unique", _rewritten([("a", True), ("b", False)]), 0),
    ("rewritten twice", _rewritten([("a", True), ("a", True)]), 1),
    ("rewritten, also held", _rewritten([("a", True), ("a", False), ("b", True)]), 1),
    ("held twice, not rewritten", _rewritten([("a", False), ("a", False), ("b", True)]), 0),
]


def test_generic_history_tests_fail_when_they_should(tmp_path: Path) -> None:
    sql = " union all ".join(
        f"select '{case}' as test_case, count(*) as failures from ({{{{ {call} }}}}) as f"
        for case, call, _ in CASES
    )
    run = run_dbt(
        ["show", "--inline", sql, "--limit", "-1", "--output", "json", "--log-format", "text"],
        tmp_path,
        tmp_path / "no-landing",
    )
    assert run.result.returncode == 0, run.result.stdout + run.result.stderr
    out = run.result.stdout
    shown = json.loads(out[out.index("{") : out.rindex("}") + 1])["show"]
    got = {row["test_case"]: row["failures"] for row in shown}
    assert got == {case: want for case, _, want in CASES}
