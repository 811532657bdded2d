"""Plain ``dbt build`` from the repo root: hand-made landing zones, temp warehouses.

Each build runs in its own temp folder (warehouse, dbt target and logs), so the
repo tree stays clean and builds can run in parallel. The subprocess gets
``TZ=America/Los_Angeles`` on purpose: the profile must pin DuckDB's session
time zone to UTC whatever the machine's zone is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import parse_seed
from c360 import spec
from shared_builds import Published

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
MACHINE_TZ = "America/Los_Angeles"
LAYERS = {"staging", "intermediate", "marts", "ops"}
# models/landing/ (the scan and the views step) writes reports on the landing
# zone, read by c360 report and the ops models: schema ops.
FOLDER_SCHEMAS = {"landing": "ops"}
# marts/activation/ holds personal data for the exports: schema personal, which the
# analytics file never gets (docs/privacy.md).
SUBFOLDER_SCHEMAS = {("marts", "activation"): "personal"}
# Beside the model layers: dbt snapshots of the customer-success seeds (snapshots/).
SNAPSHOT_SCHEMA = "snapshots"
# The dbt sources: views over complete partitions, created by the landing_views node.
SOURCE_SCHEMA = "landing"


@dataclass(frozen=True)
class DbtRun:
    """One finished dbt invocation and where it wrote."""

    result: subprocess.CompletedProcess[str]
    warehouse: Path
    target: Path
    logs: Path

    def statuses(self) -> dict[str, str]:
        """unique_id -> status, from run_results.json."""
        results = json.loads((self.target / "run_results.json").read_text())["results"]
        return {r["unique_id"]: r["status"] for r in results}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.sql(sql).fetchall()


def run_dbt(args: list[str], workdir: Path, raw_dir: Path, **env_vars: str) -> DbtRun:
    """Run dbt on the repo's project against ``raw_dir``, writing only under ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DBT_", "C360_")) or k == "C360_HASH_KEY"
    }
    # The warehouse path is relative to the build's folder, the cwd: the same
    # profile for every build, so they share one parse (tests/parse_seed.py).
    env.update(
        C360_RAW_DIR=str(raw_dir),
        C360_WAREHOUSE="warehouse.duckdb",
        DBT_PROJECT_DIR=str(REPO_ROOT),
        DBT_PROFILES_DIR=str(REPO_ROOT),
        DBT_TARGET_PATH=str(workdir / "target"),
        DBT_LOG_PATH=str(workdir / "logs"),
        TZ=MACHINE_TZ,
    )
    env.update(env_vars)
    parse_seed.prime(workdir / "target")
    result = subprocess.run(
        [str(DBT), *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode == 0:
        parse_seed.keep(workdir / "target")
    return DbtRun(result, workdir / "warehouse.duckdb", workdir / "target", workdir / "logs")


def published_run(published: Published) -> DbtRun:
    """The run's shared ``c360 refresh`` of clean tiny (tests/shared_builds.py) as a DbtRun
    to query, read-only: a build from scratch like any other."""
    done = subprocess.CompletedProcess(
        ["c360", "refresh"], published.returncode, "", published.stderr
    )
    target = published.root / "target"
    return DbtRun(done, published.build_file, target, published.root / "logs")


# Builds whose assertions are on the models' output skip dbt's data and unit
# tests: the clean and faults builds in test_build.py run every test once.
OUTPUTS_ONLY = ("--exclude-resource-type", "test", "unit_test")


def build(workdir: Path, raw_dir: Path, *args: str, **env_vars: str) -> DbtRun:
    run = run_dbt(["build", *args], workdir, raw_dir, **env_vars)
    assert run.result.returncode == 0, run.result.stdout + run.result.stderr
    return run


def land(
    raw: Path,
    table_name: str,
    extract_date: str,
    rows: list[dict[str, Any]],
    manifest: dict[str, Any] | None,
) -> None:
    """One partition: a Parquet file of ``rows`` (spec schema) and, if given, its manifest."""
    table = spec.table(table_name)
    part = raw / table.system / table.table / f"{spec.PARTITION_PREFIX}{extract_date}"
    part.mkdir(parents=True)
    if rows:
        full = [{c: row.get(c) for c in table.column_names} for row in rows]
        pq.write_table(
            pa.Table.from_pylist(full, schema=table.arrow_schema()), part / "part-0000.parquet"
        )
    if manifest is not None:
        fields = {
            "system": table.system,
            "table": table.table,
            "extract_date": extract_date,
            "mode": "incremental",
            "row_count": len(rows),
            "extracted_at": f"{extract_date}T23:10:00Z",
        }
        (part / spec.MANIFEST_NAME).write_text(json.dumps(fields | manifest))


def crm_user(user_id: str, modstamp: str) -> dict[str, Any]:
    return {
        "Id": user_id,
        "Name": "Ada Lovelace",
        "Email": "ada@example.com",
        "Title": "Account Executive",
        "IsActive": True,
        "LastModifiedDate": modstamp,
        "SystemModstamp": modstamp,
    }


@pytest.fixture(scope="module")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    """Two CRM users in a complete partition, one partition without a manifest, one empty
    full extract; built with C360_THREADS=3 and C360_MEMORY_LIMIT=3GiB."""
    root = tmp_path_factory.mktemp("handmade")
    raw = root / "raw"
    land(
        raw,
        "crm/users",
        "2026-03-04",
        [
            crm_user("005000000000000AAA", "2026-03-04T10:00:00.000+0000"),
            crm_user("005000000000000AAB", "2026-03-04T11:30:00.000+0000"),
        ],
        # An offset: stored as the UTC instant, 2026-03-05 02:30.
        {"extracted_at": "2026-03-05T04:30:00+02:00"},
    )
    land(
        raw,
        "crm/users",
        "2026-03-05",
        [crm_user("005000000000000AAC", "2026-03-05T09:00:00.000+0000")],
        None,
    )
    land(raw, "billing/customers", "2026-03-04", [], {"mode": "full"})
    return build(root / "build", raw, C360_THREADS="3", C360_MEMORY_LIMIT="3GiB")


def test_plain_dbt_build_passes(handmade: DbtRun) -> None:
    statuses = handmade.statuses()
    assert statuses, "dbt built nothing"
    # the one build in the suite that runs every unit test (the others skip them)
    assert sum(uid.startswith("unit_test.") for uid in statuses) >= 60
    failed = {uid: s for uid, s in statuses.items() if s not in ("success", "pass", "warn")}
    assert not failed, failed


def test_environment_variables_are_honoured(handmade: DbtRun) -> None:
    # C360_WAREHOUSE: the warehouse is where the variable says.
    assert handmade.warehouse.is_file()
    # C360_RAW_DIR: the scan saw exactly the hand-made partitions.
    assert handmade.query(
        "select system, table_name, extract_date, status from ops.landing_partitions order by all"
    ) == [
        ("billing", "customers", date(2026, 3, 4), "complete"),
        ("crm", "users", date(2026, 3, 4), "complete"),
        ("crm", "users", date(2026, 3, 5), "incomplete"),
    ]
    # C360_THREADS
    log = (handmade.logs / "dbt.log").read_text()
    assert "Concurrency: 3 threads" in log


def test_sources_read_complete_partitions_only(handmade: DbtRun) -> None:
    assert handmade.query(f'select "Id" from {SOURCE_SCHEMA}.crm__users order by 1') == [
        ("005000000000000AAA",),
        ("005000000000000AAB",),
    ]
    assert handmade.query(
        "select partition_path, reason from ops.incomplete_partitions where is_current"
    ) == [("crm/users/extract_date=2026-03-05", "no _manifest.json")]
    assert handmade.query("select count(*) from staging.stg_crm__users") == [(2,)]


def test_manifest_times_are_utc_timestamps(handmade: DbtRun) -> None:
    assert handmade.query(
        "select extracted_at from ops.landing_partitions"
        " where partition_path = 'crm/users/extract_date=2026-03-04'"
    ) == [(datetime(2026, 3, 5, 2, 30),)]
    [(data_type,)] = handmade.query(
        "select data_type from information_schema.columns"
        " where table_schema = 'ops' and table_name = 'landing_partitions'"
        " and column_name = 'extracted_at'"
    )
    assert data_type == "TIMESTAMP"


def test_schemas_are_named_exactly(handmade: DbtRun) -> None:
    schemas = {
        s
        for (s,) in handmade.query(
            "select distinct table_schema from information_schema.tables"
            " where table_catalog = current_database()"
        )
    }
    allowed = LAYERS | {SOURCE_SCHEMA, SNAPSHOT_SCHEMA} | set(SUBFOLDER_SCHEMAS.values())
    assert {"staging", "ops", SOURCE_SCHEMA} <= schemas <= allowed, schemas
    # Every model sits in the schema named after its top folder.
    manifest = json.loads((handmade.target / "manifest.json").read_text())
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model":
            folder, subfolder = Path(node["original_file_path"]).parts[1:3]
            assert folder in LAYERS | set(FOLDER_SCHEMAS), node["original_file_path"]
            expected = SUBFOLDER_SCHEMAS.get(
                (folder, subfolder), FOLDER_SCHEMAS.get(folder, folder)
            )
            assert node["schema"] == expected, (node["unique_id"], node["schema"])


def test_landing_views_are_a_named_first_step(handmade: DbtRun) -> None:
    manifest = json.loads((handmade.target / "manifest.json").read_text())
    nodes = manifest["nodes"]
    scan = "model.customer360.landing_partitions"
    views = "model.customer360.landing_views"
    assert nodes[scan]["original_file_path"] == "models/landing/landing_partitions.py"
    assert nodes[scan]["depends_on"]["nodes"] == []
    assert nodes[views]["depends_on"]["nodes"] == [scan]
    # every model that reads a source waits for the views step
    readers = [n for n in nodes.values() if n["resource_type"] == "model" and n["sources"]]
    assert readers
    for node in readers:
        assert views in node["depends_on"]["nodes"], node["unique_id"]
    # and after the build every source view exists, listed by the step
    expected = sorted(f"{t.system}__{t.table}" for t in spec.TABLES)
    assert [
        name
        for (name,) in handmade.query(
            f"select table_name from information_schema.views"
            f" where table_schema = '{SOURCE_SCHEMA}' order by 1"
        )
    ] == expected
    assert handmade.query(
        "select view_name, partition_count from ops.landing_views"
        " where table_name in ('users', 'customers') order by 1"
    ) == [("landing.billing__customers", 1), ("landing.crm__users", 1)]


def test_dbt_sessions_run_in_utc_with_the_configured_memory_limit(tmp_path: Path) -> None:
    run = run_dbt(
        [
            "--quiet",
            "show",
            "--output",
            "json",
            "--inline",
            "select current_setting('TimeZone') as time_zone,"
            " current_setting('memory_limit') as memory_limit",
        ],
        tmp_path,
        tmp_path / "raw",
        C360_MEMORY_LIMIT="3GiB",
    )
    assert run.result.returncode == 0, run.result.stdout + run.result.stderr
    assert json.loads(run.result.stdout) == {
        "show": [{"time_zone": "UTC", "memory_limit": "3.0 GiB"}]
    }


def test_empty_landing_zone_builds_empty_tables(tmp_path: Path) -> None:
    # dbt's tests on (nearly) empty data run in the handmade build
    run = build(tmp_path / "build", tmp_path / "no-such-raw-dir", *OUTPUTS_ONLY)
    assert run.query("select count(*) from ops.landing_partitions") == [(0,)]
    for table in spec.TABLES:
        name = f"staging.stg_{table.system}__{table.table}"
        assert run.query(f"select count(*) from {name}") == [(0,)], name
