"""``c360 build`` end to end: the installed console script, real dbt, temp warehouses.

Each warehouse is built once per module. Every build writes only under its own
temp folder (warehouse, dbt target and logs) and runs from a temp working
directory, so the repo tree stays clean and ``c360`` must find the dbt project
by itself. ``TZ`` is set to a zone with DST on purpose: nothing may depend on
the machine's zone.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from c360 import spec
from c360.generate.config import GenerateConfig
from landing_helpers import Partition, partitions

pytestmark = pytest.mark.slow

C360 = Path(sys.executable).parent / "c360"
REPO_ROOT = Path(__file__).resolve().parents[2]
MACHINE_TZ = "America/Los_Angeles"
PROGRESS_PREFIX = "[c360] build "
ERROR_PREFIX = "c360: error: "
STG_TABLES = sorted(f"stg_{t.system}__{t.table}" for t in spec.TABLES)


@dataclass(frozen=True)
class Build:
    """One finished ``c360 build`` and the warehouse it wrote."""

    result: subprocess.CompletedProcess[str]
    warehouse: Path

    @property
    def out(self) -> str:
        return self.result.stdout

    @property
    def err(self) -> str:
        return self.result.stderr

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return query(self.warehouse, sql)


def query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(sql).fetchall()


# The faults build runs every data test (on clean tiny they run in the shared refresh,
# published_tiny). Unit tests do not read the landing zone: test_dbt_project's
# hand-made build runs them all.
NO_UNIT_TESTS = ("--exclude-resource-type", "unit_test")
OUTPUTS_ONLY = ("--exclude-resource-type", "test", "unit_test")

# The backfill builds compare the staging layer only: they skip the layers
# above it and dbt's tests.
STAGING_ONLY = (
    "--exclude",
    "path:models/intermediate",
    "path:models/marts",
    "data_issues",
    "--exclude-resource-type",
    "test",
    "unit_test",
)


def c360_build(
    raw: Path, workdir: Path, *args: str, warehouse: Path | None = None, check: bool = True
) -> Build:
    """``c360 build [args]`` against ``raw``, writing only under ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = warehouse if warehouse is not None else workdir / "warehouse" / "c360.duckdb"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DBT_", "C360_")) or k == "C360_HASH_KEY"
    }
    env.update(
        C360_PROJECT_DIR=str(REPO_ROOT),
        C360_RAW_DIR=str(raw),
        C360_WAREHOUSE=str(warehouse),
        C360_MEMORY_LIMIT="4GB",
        DBT_TARGET_PATH=str(workdir / "target"),
        DBT_LOG_PATH=str(workdir / "logs"),
        TZ=MACHINE_TZ,
    )
    result = subprocess.run(
        [str(C360), "build", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    build = Build(result, warehouse)
    if check:
        assert result.returncode == 0, f"c360 build failed:\n{result.stderr}\n{result.stdout}"
    return build


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(ERROR_PREFIX)]


def assert_fails_with_one_line(build: Build) -> str:
    """Non-zero exit; exactly one error line, the last one on stderr; no traceback."""
    assert build.result.returncode != 0, build.out
    assert "Traceback" not in build.err
    errors = error_lines(build.err)
    assert len(errors) == 1, build.err
    assert build.err.splitlines()[-1] == errors[0]
    odd = [line for line in build.err.splitlines()[:-1] if not line.startswith(PROGRESS_PREFIX)]
    assert not odd, f"stderr lines that are neither progress nor the error: {odd}"
    return errors[0]


def copy_partitions(parts: list[Partition], dest: Path) -> None:
    for part in parts:
        shutil.copytree(part.path, dest / part.path.relative_to(part.root), dirs_exist_ok=True)


Contents = dict[str, tuple[list[tuple[str, str]], Counter[str]]]


# when a run wrote a row: differs between two builds that agree on the data
RUN_METADATA = {"_loaded_at"}


def schema_contents(warehouse: Path, schema: str = "staging") -> Contents:
    """Every relation in ``schema``: its columns and its rows as a multiset."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables"
                " where table_catalog = current_database() and table_schema = ?"
                " order by table_name",
                [schema],
            ).fetchall()
        ]
        out = {}
        for name in names:
            every = con.sql(f'select * from {schema}."{name}"').columns
            kept = ", ".join(f'"{c}"' for c in every if c not in RUN_METADATA)
            rel = con.sql(f'select {kept} from {schema}."{name}"')
            columns = list(zip(rel.columns, map(str, rel.types), strict=True))
            out[name] = (columns, Counter(repr(row) for row in rel.fetchall()))
    return out


def assert_same_staging(
    got: Path, want: Path, *, with_base: bool = True, schema: str = "staging"
) -> None:
    """Same relations in ``schema``, same columns, same rows (``base_`` tables optional)."""
    left, right = schema_contents(got, schema), schema_contents(want, schema)
    assert sorted(left) == sorted(right), f"different {schema} relations"
    for name, (columns, rows) in right.items():
        if name.startswith("base_") and not with_base:
            continue
        assert left[name][0] == columns, f"{schema}.{name}: different columns"
        extra, missing = left[name][1] - rows, rows - left[name][1]
        assert not extra and not missing, (
            f"{schema}.{name}: {sum(extra.values())} rows only in {got}, "
            f"{sum(missing.values())} only in {want}; e.g. {list(extra)[:2]} / {list(missing)[:2]}"
        )


def parquet_rows(part: Partition) -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in part.parts())


# --------------------------------------------------------------------------- builds


@pytest.fixture(scope="module")
def clean(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Models only: dbt's data tests on clean tiny run in the shared refresh (published_tiny),
    and on the faults landing zone below."""
    return c360_build(tiny_landing, tmp_path_factory.mktemp("build_clean"), *OUTPUTS_ONLY)


@pytest.fixture(scope="module")
def faults(tiny_faults_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Build:
    return c360_build(tiny_faults_landing, tmp_path_factory.mktemp("build_faults"), *NO_UNIT_TESTS)


@dataclass(frozen=True)
class Backfill:
    newer_half: Build
    both_halves: Build
    relanded: Build


@pytest.fixture(scope="module")
def backfill(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Backfill:
    """The newer half of the partitions lands first, then the older half, then a re-landing."""
    root = tmp_path_factory.mktemp("build_backfill")
    raw = root / "raw"
    parts = partitions(tiny_landing)
    dates = sorted({p.date for p in parts})
    cut = dates[len(dates) // 2]
    copy_partitions([p for p in parts if p.date >= cut], raw)
    newer = c360_build(raw, root, *STAGING_ONLY)
    copy_partitions([p for p in parts if p.date < cut], raw)
    both = c360_build(raw, root, *STAGING_ONLY)
    # Re-land: the same files written again (new inodes and mtimes, same bytes).
    for part in parts:
        shutil.rmtree(raw / part.path.relative_to(part.root))
    copy_partitions(parts, raw)
    relanded = c360_build(raw, root, *STAGING_ONLY)
    return Backfill(newer, both, relanded)


# --------------------------------------------------------------------------- clean tiny


def test_clean_build_prints_progress_on_stderr(clean: Build) -> None:
    lines = clean.err.splitlines()
    odd = [line for line in lines if not line.startswith(PROGRESS_PREFIX)]
    assert not odd, f"stderr lines that are not progress lines: {odd}"
    node_line = re.compile(r"^\[c360\] build (\S+): (\S+)( \([\d,]+ [a-z ]+\))? \(\d+\.\d+s\)$")
    finished = {m[1]: m[2] for m in map(node_line.match, lines) if m}
    for name in [*STG_TABLES, "landing_partitions", "currencies"]:
        assert finished.get(name) == "success", f"no success line for {name}: {lines}"
    assert re.match(r"^\[c360\] build done: \d+ model success", lines[-1]), lines[-1]


def test_passing_tests_are_counted_not_listed(faults: Build) -> None:
    lines = faults.err.splitlines()
    assert re.match(r"^\[c360\] build done: .*tests \d+ pass", lines[-1]), lines[-1]
    assert not any(line.startswith(f"{PROGRESS_PREFIX}build not_null_") for line in lines)


def test_clean_build_fills_every_staging_table(clean: Build) -> None:
    for name in STG_TABLES:
        [(rows,)] = clean.query(f"select count(*) from staging.{name}")
        assert rows > 0, f"staging.{name} is empty"


def test_clean_build_reports_nothing_missing_and_everything_reconciled(clean: Build) -> None:
    assert "Incomplete partitions: none" in clean.out
    assert "Rejected rows: none." in clean.out
    assert "Every complete partition reconciles." in clean.out
    assert clean.query("select count(*) from ops.rejected_rows") == [(0,)]
    source_tables = [
        t for (t,) in clean.query("select distinct source_table from ops.load_reconciliation")
    ]
    assert len(source_tables) == len(spec.TABLES)
    table_lines = {line.split()[0] for line in clean.out.splitlines() if line.startswith("  ")}
    assert set(source_tables) <= table_lines, clean.out


def test_clean_build_reconciles_every_partition_against_the_files(
    clean: Build, tiny_landing: Path
) -> None:
    rows = clean.query(
        "select partition_path, status, landed_rows, loaded_rows, rejected_rows,"
        " duplicate_rows, is_reconciled from ops.load_reconciliation"
    )
    by_path = {row[0]: row[1:] for row in rows}
    parts = partitions(tiny_landing)
    assert set(by_path) == {p.name for p in parts}
    for part in parts:
        status, landed, loaded, rejected, duplicates, ok = by_path[part.name]
        assert status == "complete", part.name
        assert landed == parquet_rows(part), part.name
        assert landed == loaded + rejected + duplicates, part.name
        assert ok is True, part.name


def test_clean_build_uses_or_reports_every_feature_access_input(clean: Build) -> None:
    """Seed rows, plans and toggles either become access or are in ops.data_issues."""
    [(seed_rows, usable, reported)] = clean.query(
        "select (select count(*) from staging.feature_access_overrides),"
        " (select count(*) from intermediate.int_feature_access_overrides where is_usable),"
        " (select count(*) from ops.data_issues"
        "  where entity_type = 'seed:feature_access_overrides.csv'"
        "  and issue_type in ('unknown_company_id', 'invalid_feature_override'))"
    )
    assert seed_rows == usable + reported
    # every usable grant is visible: a window holds its start, unless a revoke does
    # (the shipped seed is empty; this guards rows a deployment adds)
    [(invisible,)] = clean.query(
        "select count(*) from intermediate.int_feature_access_overrides as o"
        " where o.is_usable and o.access = 'grant' and not exists ("
        "  select 1 from marts.fct_feature_access_windows as w"
        "  where w.company_key = o.company_key and w.feature = o.feature"
        "  and w.access_from <= o.valid_from"
        "  and (w.access_to is null or o.valid_from < w.access_to))"
        " and not exists ("
        "  select 1 from intermediate.int_feature_access_overrides as r"
        "  where r.is_usable and r.access = 'revoke' and r.company_key = o.company_key"
        "  and r.feature = o.feature and r.valid_from <= o.valid_from"
        "  and (r.valid_to is null or o.valid_from < r.valid_to))"
    )
    assert invisible == 0
    unmapped = clean.query(
        "select distinct plan from intermediate.int_subscription_item_plans"
        " where plan is not null and plan not in"
        " (select lower(trim(plan)) from staging.plan_entitlements)"
        " and plan not in"
        " (select entity_id from ops.data_issues where issue_type = 'unmapped_plan')"
    )
    assert unmapped == []
    [(toggles_without_company, reported_toggles)] = clean.query(
        "select (select count(*) from marts.fct_events where company_key is null"
        "  and event_name in ('Feature Enabled', 'Feature Disabled')),"
        " (select count(*) from ops.data_issues where issue_type = 'toggle_without_company')"
    )
    assert toggles_without_company == reported_toggles
    sources = {
        source
        for (sources_text,) in clean.query("select sources from marts.fct_feature_access_windows")
        for source in sources_text.split(", ")
    }
    assert {"plan", "toggle"} <= sources
    # the last consented switch position of every company and feature is what
    # the toggle windows end in
    mismatched = clean.query(
        "with last_toggles as ("
        " select company_key, lower(trim(feature)) as feature, event_name"
        " from marts.fct_events"
        " where company_key is not null and nullif(trim(feature), '') is not null"
        " and event_name in ('Feature Enabled', 'Feature Disabled')"
        " qualify row_number() over (partition by company_key, lower(trim(feature))"
        "  order by occurred_at desc, received_at desc, message_id desc) = 1)"
        " select l.company_key, l.feature from last_toggles as l"
        " left join intermediate.int_feature_windows_from_toggles as w"
        "  on l.company_key = w.company_key and l.feature = w.feature and w.valid_to is null"
        " where w.toggle_state is distinct from"
        "  case l.event_name when 'Feature Enabled' then 'on' else 'off' end"
    )
    assert mismatched == []


def test_clean_build_judges_the_age_of_every_live_value(clean: Build) -> None:
    """rpt_data_staleness: one row per live value, confirmations never before the change,
    re-assertions move last confirmed without a change row, every row judged by a rule."""
    [(rows, early, unjudged, reasserted)] = clean.query(
        "select count(*),"
        " count(*) filter (where last_confirmed_at < last_changed_at),"
        " count(*) filter (where is_stale is null),"
        " count(*) filter (where last_confirmed_at > last_changed_at)"
        " from marts.rpt_data_staleness"
    )
    assert rows > 0 and early == 0 and unjudged == 0
    assert reasserted > 0
    # a re-assertion is not a change: only rows confirmed at their change time are logged there
    [(confirmed_later_and_logged,)] = clean.query(
        "select count(*) from marts.rpt_data_staleness as s"
        " where s.last_confirmed_at > s.last_changed_at and exists ("
        "  select 1 from marts.fct_attribute_changes as c"
        "  where c.entity = s.entity and c.entity_key = s.entity_key"
        "  and c.attribute = s.attribute and c.changed_at = s.last_confirmed_at)"
    )
    assert confirmed_later_and_logged == 0
    # customer_360's score is the share of fresh judged attributes
    [(mismatched,)] = clean.query(
        "select count(*) from marts.customer_360 as c left join ("
        "  select entity_key, avg(case when is_stale then 0.0 else 1.0 end) as share"
        "  from marts.rpt_data_staleness where entity = 'company' group by entity_key"
        " ) as s on c.company_key = s.entity_key"
        " where c.freshness_score is distinct from s.share"
    )
    assert mismatched == 0


def test_plain_dbt_build_gives_the_same_warehouse(
    clean: Build, tiny_landing: Path, tmp_path: Path, repo_root: Path
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DBT_", "C360_")) or k == "C360_HASH_KEY"
    }
    warehouse = tmp_path / "warehouse.duckdb"
    env.update(
        C360_RAW_DIR=str(tiny_landing),
        C360_WAREHOUSE=str(warehouse),
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
        TZ=MACHINE_TZ,
    )
    done = subprocess.run(
        [str(C360.parent / "dbt"), "build", "--exclude-resource-type", "test", "unit_test"],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert_same_staging(warehouse, clean.warehouse)
    # ops too, except incomplete_partitions, which records when each run saw what,
    # and data_issues.detected_at, which is the run's start
    tables = "select table_name from duckdb_tables() where schema_name = 'ops' order by 1"
    assert query(warehouse, tables) == clean.query(tables)
    for (name,) in clean.query(tables):
        if name != "incomplete_partitions":
            columns = "* exclude (detected_at)" if name == "data_issues" else "*"
            sql = f"select {columns} from ops.{name} order by all"
            assert query(warehouse, sql) == clean.query(sql), f"ops.{name}"


# --------------------------------------------------------------------------- tiny --faults


FAULT_PARTITIONS = ["events/messages", "crm/contacts", "billing/invoices", "support/nps_responses"]

# The bad rows --faults appends to the middle day's partitions: (table, key column, key).
BAD_ROWS = [
    ("events/messages", "messageId", None),
    ("events/messages", "messageId", "bad-ts-0001"),
    ("events/messages", "messageId", "bad-received-0001"),
    ("events/messages", "messageId", "bad-json-0001"),
    ("crm/accounts", "Id", None),
    ("crm/accounts", "Id", "001BADTIMESTAMP000"),
    ("support/nps_responses", "response_id", "resp_score_11"),
    ("support/nps_responses", "response_id", "resp_score_neg"),
    ("support/nps_responses", "response_id", "resp_bad_time"),
    ("billing/invoices", "id", "in_badcurrency0001"),
    ("billing/invoices", "id", None),
    ("billing/subscriptions", "id", "sub_badjson0001"),
    ("support/tickets", "ticket_id", None),
    ("support/tickets", "ticket_id", 999_999_001),
]


def locate(root: Path, table: str, day: dt.date, column: str, key: Any) -> str:
    """``<file relative to root>:<0-based row>`` of the row whose ``column`` is ``key``."""
    system, name = table.split("/")
    part = Partition(root, system, name, day.isoformat())
    for path in part.parts():
        values = pq.read_table(path, columns=[column]).column(0).to_pylist()
        if key in values:
            return f"{path.relative_to(root).as_posix()}:{values.index(key)}"
    raise AssertionError(f"{table} {column}={key!r} not found in {part.name}")


def test_faults_build_succeeds_and_names_every_incomplete_partition(
    faults: Build, tiny_faults_config: GenerateConfig
) -> None:
    after = tiny_faults_config.end_date + dt.timedelta(days=1)
    expected = {f"{t}/extract_date={after.isoformat()}" for t in FAULT_PARTITIONS}
    current = {
        path
        for (path,) in faults.query(
            "select partition_path from ops.incomplete_partitions where is_current"
        )
    }
    assert current == expected
    reported = [line.strip() for line in faults.out.splitlines()]
    for path in expected:
        assert any(line.startswith(f"{path}: ") for line in reported), (path, faults.out)
    assert f"Incomplete partitions (not loaded): {len(expected)}" in faults.out


def test_faults_build_names_every_bad_row(
    faults: Build, tiny_faults_landing: Path, tiny_faults_config: GenerateConfig
) -> None:
    middle = tiny_faults_config.start_date + dt.timedelta(days=tiny_faults_config.days // 2)
    assert faults.query("select count(*) from ops.rejected_rows") == [(len(BAD_ROWS),)]
    for table, column, key in BAD_ROWS:
        where = locate(tiny_faults_landing, table, middle, column, key)
        assert f"  {where} " in faults.out, f"bad row {table} {column}={key!r} at {where}"
    for shown in ("=not-a-date:", "=11:", "=-1:", "=xxx:", "=31/12/2026 10:00:"):
        assert shown in faults.out, shown


def test_faults_build_loads_every_good_partition(faults: Build, clean: Build) -> None:
    # Broken partitions are dated after the window and bad rows are rejected, so
    # every staging model holds exactly what the clean landing zone gives (base_
    # tables keep every landed row, the bad ones included).
    assert_same_staging(faults.warehouse, clean.warehouse, with_base=False)


def test_faults_build_reconciles_every_complete_partition(faults: Build) -> None:
    bad = faults.query(
        "select partition_path from ops.load_reconciliation"
        " where status = 'complete' and (not is_reconciled"
        " or landed_rows <> loaded_rows + rejected_rows + duplicate_rows)"
    )
    assert bad == []
    [(rejected,)] = faults.query(
        "select sum(rejected_rows) from ops.load_reconciliation where status = 'complete'"
    )
    assert rejected == len(BAD_ROWS)
    assert "Every complete partition reconciles." in faults.out


# --------------------------------------------------------------------------- backfill


def test_backfill_gives_the_same_staging_as_landing_in_order(
    backfill: Backfill, clean: Build
) -> None:
    assert_same_staging(backfill.both_halves.warehouse, clean.warehouse)


def test_relanding_the_same_files_changes_nothing(backfill: Backfill, clean: Build) -> None:
    assert_same_staging(backfill.relanded.warehouse, clean.warehouse)
    assert "Every complete partition reconciles." in backfill.relanded.out


# --------------------------------------------------------------------------- invocations


def test_arguments_are_passed_to_dbt(tiny_landing: Path, tmp_path: Path) -> None:
    build = c360_build(tiny_landing, tmp_path, "--select", "landing_partitions")
    assert "landing_partitions: success" in build.err
    assert not any("stg_" in line for line in build.err.splitlines())
    # Tables this run did not build are one line each, not a crash.
    assert "ops.rejected_rows: not in the warehouse" in build.out
    assert "ops.load_reconciliation: not in the warehouse" in build.out


def test_warehouse_under_a_regular_file_is_a_one_line_error(
    tiny_landing: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    build = c360_build(tiny_landing, tmp_path, warehouse=blocker / "w.duckdb", check=False)
    assert build.result.returncode == 1
    line = assert_fails_with_one_line(build)
    assert str(blocker) in line
    assert blocker.read_text() == "x"


def test_a_warehouse_dbt_cannot_open_is_a_one_line_error(
    tiny_landing: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "garbage.duckdb"
    warehouse.write_bytes(b"this is not a DuckDB database file\n" * 200)
    build = c360_build(tiny_landing, tmp_path, warehouse=warehouse, check=False)
    assert build.result.returncode == 1
    line = assert_fails_with_one_line(build)
    assert line.startswith(f"{ERROR_PREFIX}dbt build failed: ")


def test_a_failing_model_is_named_in_a_one_line_error(tmp_path: Path) -> None:
    # A staging model selected alone into a new warehouse: what it reads was never built.
    args = ["--select", "stg_crm__users", "--exclude-resource-type", "unit_test"]
    build = c360_build(tmp_path / "raw", tmp_path, *args, check=False)
    assert build.result.returncode == 1
    line = assert_fails_with_one_line(build)
    assert line.startswith(f"{ERROR_PREFIX}dbt build failed: model stg_crm__users error: "), line
    assert "[c360] build stg_crm__users: error" in build.err


def test_an_option_dbt_rejects_is_a_usage_error(tiny_landing: Path, tmp_path: Path) -> None:
    build = c360_build(tiny_landing, tmp_path, "--no-such-dbt-option", check=False)
    assert build.result.returncode == 2
    line = assert_fails_with_one_line(build)
    assert "--no-such-dbt-option" in line
    assert not (tmp_path / "warehouse" / "c360.duckdb").exists()
