"""The dbt project end to end: hand-made landing zones, the real ``dbt build``, a temp warehouse.

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
import pytest

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
MACHINE_TZ = "America/Los_Angeles"


@dataclass(frozen=True)
class DbtRun:
    """One finished dbt invocation and where it wrote."""

    result: subprocess.CompletedProcess[str]
    warehouse: Path
    target: Path

    def statuses(self) -> dict[str, tuple[str, int | None]]:
        """Test or model name (unique_id minus package and hash) -> (status, failures)."""
        results = json.loads((self.target / "run_results.json").read_text())["results"]
        return {_node_name(r["unique_id"]): (r["status"], r.get("failures")) for r in results}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.sql(sql).fetchall()


def _node_name(unique_id: str) -> str:
    # model.customer360.landing_manifests, test.customer360.not_null_x_y.0a1b2c3d4e
    return unique_id.split(".")[2]


def run_dbt(args: list[str], workdir: Path, raw_dir: Path) -> DbtRun:
    """Run dbt from the repo root against ``raw_dir``, writing only under ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "C360_"))}
    env.update(
        C360_RAW_DIR=str(raw_dir),
        C360_WAREHOUSE=str(workdir / "warehouse.duckdb"),
        DBT_PROFILES_DIR=str(REPO_ROOT),
        DBT_TARGET_PATH=str(workdir / "target"),
        DBT_LOG_PATH=str(workdir / "logs"),
        TZ=MACHINE_TZ,
    )
    result = subprocess.run(
        [str(DBT), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return DbtRun(result, workdir / "warehouse.duckdb", workdir / "target")


def build(workdir: Path, raw_dir: Path) -> DbtRun:
    run = run_dbt(["build"], workdir, raw_dir)
    assert run.result.returncode == 0, run.result.stdout + run.result.stderr
    return run


def write_manifest(raw: Path, system: str, table: str, extract_date: str, text: str) -> Path:
    path = raw / system / table / f"extract_date={extract_date}" / "_manifest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def manifest_json(system: str, table: str, extract_date: str, **overrides: Any) -> str:
    fields: dict[str, Any] = {
        "system": system,
        "table": table,
        "extract_date": extract_date,
        "mode": "incremental",
        "row_count": 10,
        "extracted_at": f"{extract_date}T02:10:00Z",
    }
    fields.update(overrides)
    return json.dumps(fields)


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    """Three well-formed manifests; one extracted_at has an offset, one has none."""
    root = tmp_path_factory.mktemp("clean")
    raw = root / "raw"
    write_manifest(
        raw,
        "crm",
        "accounts",
        "2026-03-04",
        manifest_json(
            "crm", "accounts", "2026-03-04", row_count=1234, extracted_at="2026-03-05T02:10:00Z"
        ),
    )
    write_manifest(
        raw,
        "billing",
        "customers",
        "2026-03-04",
        manifest_json(
            "billing",
            "customers",
            "2026-03-04",
            mode="full",
            row_count=0,
            extracted_at="2026-03-05T04:30:00+02:00",
        ),
    )
    # No offset: read in the session time zone. 02:10 UTC only if that zone is UTC
    # (it would be 10:10 UTC if the machine's America/Los_Angeles leaked through).
    write_manifest(
        raw,
        "support",
        "tickets",
        "2026-03-05",
        manifest_json(
            "support", "tickets", "2026-03-05", row_count=7, extracted_at="2026-03-06T02:10:00"
        ),
    )
    return build(root / "build", raw)


def test_clean_landing_zone_builds_one_row_per_manifest(clean_build: DbtRun) -> None:
    rows = clean_build.query(
        "select system, table_name, extract_date, mode, row_count, extracted_at"
        " from ops.landing_manifests order by all"
    )
    assert rows == [
        ("billing", "customers", date(2026, 3, 4), "full", 0, datetime(2026, 3, 5, 2, 30)),
        ("crm", "accounts", date(2026, 3, 4), "incremental", 1234, datetime(2026, 3, 5, 2, 10)),
        ("support", "tickets", date(2026, 3, 5), "incremental", 7, datetime(2026, 3, 6, 2, 10)),
    ]
    paths = clean_build.query("select manifest_path from ops.landing_manifests order by all")
    assert [Path(p).parts[-4:] for (p,) in paths] == [
        ("billing", "customers", "extract_date=2026-03-04", "_manifest.json"),
        ("crm", "accounts", "extract_date=2026-03-04", "_manifest.json"),
        ("support", "tickets", "extract_date=2026-03-05", "_manifest.json"),
    ]


def test_clean_landing_zone_passes_every_test(clean_build: DbtRun) -> None:
    statuses = clean_build.statuses()
    assert statuses["landing_manifests"][0] == "success"
    tests = {name: status for name, (status, _) in statuses.items() if name != "landing_manifests"}
    assert tests and set(tests.values()) == {"pass"}, tests


def test_schemas_are_named_exactly(clean_build: DbtRun) -> None:
    tables = clean_build.query(
        "select table_schema, table_name from information_schema.tables"
        " where table_catalog = current_database() order by all"
    )
    assert tables == [("ops", "landing_manifests")]
    schemas = {s for (s,) in clean_build.query("select schema_name from duckdb_schemas()")}
    assert not any(s.startswith("main_") for s in schemas), schemas


def test_extracted_at_column_is_a_utc_timestamp(clean_build: DbtRun) -> None:
    [(data_type,)] = clean_build.query(
        "select data_type from information_schema.columns"
        " where table_schema = 'ops' and table_name = 'landing_manifests'"
        " and column_name = 'extracted_at'"
    )
    assert data_type == "TIMESTAMP"


def test_dbt_sessions_run_in_utc(tmp_path: Path) -> None:
    run = run_dbt(
        [
            "--quiet",
            "show",
            "--output",
            "json",
            "--inline",
            "select current_setting('TimeZone') as time_zone",
        ],
        tmp_path,
        tmp_path / "raw",
    )
    assert run.result.returncode == 0, run.result.stdout + run.result.stderr
    assert json.loads(run.result.stdout) == {"show": [{"time_zone": "UTC"}]}


def test_empty_landing_zone_builds_zero_rows(tmp_path: Path) -> None:
    run = build(tmp_path / "build", tmp_path / "no-such-raw-dir")
    assert run.query("select count(*) from ops.landing_manifests") == [(0,)]


def test_broken_manifests_are_listed_and_warned_about(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    good = manifest_json("crm", "accounts", "2026-03-04")
    write_manifest(raw, "crm", "accounts", "2026-03-04", good)
    # The same partition's manifest copied into another date's folder.
    write_manifest(raw, "crm", "accounts", "2026-03-05", good)
    # Cut off mid-write: not JSON at all.
    truncated = write_manifest(raw, "crm", "users", "2026-03-04", good[:25])
    # Wrong types and an unknown mode.
    write_manifest(
        raw,
        "crm",
        "contacts",
        "2026-03-04",
        manifest_json("crm", "contacts", "2026-03-04", mode="delta", row_count="12"),
    )

    run = build(tmp_path / "build", raw)

    rows = run.query(
        "select manifest_path, system, mode, row_count from ops.landing_manifests order by all"
    )
    assert len(rows) == 4
    assert (str(truncated), None, None, None) in rows
    assert any(
        system == "crm" and mode == "delta" and count is None for _, system, mode, count in rows
    )

    statuses = run.statuses()
    warned = {name: failures for name, (status, failures) in statuses.items() if status == "warn"}
    assert warned == {
        "unique_combination_of_columns_landing_manifests_system__table_name__extract_date": 1,
        "not_null_landing_manifests_system": 1,
        "not_null_landing_manifests_table_name": 1,
        "not_null_landing_manifests_mode": 1,
        "not_null_landing_manifests_extract_date": 1,
        "not_null_landing_manifests_extracted_at": 1,
        "not_null_landing_manifests_row_count": 2,
        "accepted_values_landing_manifests_mode__incremental__full": 1,
    }
    # The model's own grain still holds.
    assert statuses["unique_landing_manifests_manifest_path"] == ("pass", 0)
    assert statuses["not_null_landing_manifests_manifest_path"] == ("pass", 0)
