"""``c360 refresh`` under faults: each case compares the published analytics file
with a clean run's.

One site (landing zone, build file, analytics file) is refreshed clean; an
analyst then holds a read-only connection on its analytics file while bad
partitions land (a struct where the spec has text, bytes that are not UTF-8)
and a second refresh with a dead webhook publishes around them. Another site
is killed with SIGKILL at three points, then refreshed normally, and must
publish the same marts. Missing and empty landing zones, a shrunken one, a
bad seed and a second refresh at once are refused without touching the
published file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from c360.refresh.lock import refresh_lock
from shared_builds import Published, copy_published

pytestmark = pytest.mark.slow

C360 = Path(sys.executable).parent / "c360"
REPO_ROOT = Path(__file__).resolve().parents[2]
ERROR = "c360: error: "


@dataclass(frozen=True)
class Site:
    """A landing zone with its own build and analytics files."""

    root: Path
    raw: Path
    project: Path = REPO_ROOT
    files: Path | None = None  # the build and analytics files' folder (default root/wh)

    @property
    def build_file(self) -> Path:
        return (self.files or self.root / "wh") / "build.duckdb"

    @property
    def analytics(self) -> Path:
        return (self.files or self.root / "wh") / "analytics.duckdb"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DBT_", "C360_")) or k == "C360_HASH_KEY"
        }
        env.update(
            C360_PROJECT_DIR=str(self.project),
            C360_RAW_DIR=str(self.raw),
            C360_WAREHOUSE=str(self.build_file),
            C360_ANALYTICS_DB=str(self.analytics),
            C360_MEMORY_LIMIT="4GB",
            **extra,
        )
        return env

    def refresh(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(C360), "refresh", *args],
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )


def _site(tmp: Path, landing: Path) -> Site:
    raw = tmp / "raw"
    shutil.copytree(landing, raw)
    return Site(tmp, raw)


RUN_TIMES = {"_attributed_at", "_built_at"}


def _content(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """marts.<name> without the run-time columns it has."""
    columns = {
        c
        for (c,) in con.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'marts' and table_name = ?",
            [name],
        ).fetchall()
    }
    dropped = sorted(RUN_TIMES & columns)
    if not dropped:
        return f"marts.{name}"
    return f"(select * exclude ({', '.join(dropped)}) from marts.{name})"


def _published_marts(path: Path) -> dict[str, tuple[int, int]]:
    """Rows and an order-free content hash of every published marts table
    (without the run times incremental facts carry: when a row was written)."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        out = {}
        for name in names:
            row = con.execute(
                f"select count(*), bit_xor(hash(t)) from {_content(con, name)} as t"
            ).fetchone()
            assert row is not None
            out[name] = (int(row[0]), int(row[1] or 0))
        return out


def _last_run(path: Path) -> tuple[str, str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(
            "select run_id, status, exit_code from ops.refresh_runs"
            " order by started_at desc limit 1"
        ).fetchone()
    assert row is not None
    return str(row[0]), str(row[1]), int(row[2])


def _land(raw: Path, system: str, table: str, day: str, data: pa.Table) -> None:
    part = raw / system / table / f"extract_date={day}"
    part.mkdir(parents=True)
    pq.write_table(data, part / "part-0000.parquet")
    manifest = {
        "system": system,
        "table": table,
        "extract_date": day,
        "mode": "incremental",
        "row_count": data.num_rows,
        "extracted_at": f"{day}T23:00:00Z",
    }
    (part / "_manifest.json").write_text(json.dumps(manifest))


def _newest_partition_rows(raw: Path, system: str, table: str) -> pa.Table:
    newest = sorted((raw / system / table).iterdir())[-1]
    return pq.read_table(newest / "part-0000.parquet")


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again at once: nothing listens there


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, published_tiny: Published) -> Site:
    """A site refreshed once from clean tiny: a copy of the run's shared refresh."""
    copy = copy_published(published_tiny, tmp_path_factory.mktemp("refresh_clean") / "site")
    return Site(copy.root, copy.raw, files=copy.root)


@dataclass(frozen=True)
class AfterFaults:
    site: Site
    first_run: str
    result: subprocess.CompletedProcess[str]
    old_connection_run: str
    old_connection_rows: int
    new_connection_run: str


@pytest.fixture(scope="module")
def after_faults(clean: Site) -> AfterFaults:
    """Bad files land, an analyst holds the old file open, a refresh publishes."""
    first_run = _last_run(clean.analytics)[0]
    events = _newest_partition_rows(clean.raw, "events", "messages").slice(0, 5)
    struct_props = pa.array([{"plan": "growth"}] * events.num_rows)
    events = events.set_column(
        events.schema.get_field_index("properties"), "properties", struct_props
    )
    _land(clean.raw, "events", "messages", "2030-01-01", events)
    tickets = _newest_partition_rows(clean.raw, "support", "tickets").slice(0, 3)
    if tickets.num_rows == 0:  # pragma: no cover - tiny always lands tickets
        pytest.skip("no tickets to corrupt")
    latin1 = pa.array([b"caf\xe9"] * tickets.num_rows, pa.binary()).view(pa.string())
    tickets = tickets.set_column(tickets.schema.get_field_index("status"), "status", latin1)
    _land(clean.raw, "support", "tickets", "2030-01-01", tickets)

    analyst = duckdb.connect(str(clean.analytics), read_only=True)
    try:
        result = clean.refresh(C360_ALERT_WEBHOOK=f"http://127.0.0.1:{_dead_port()}/hook")
        old = analyst.execute(
            "select max(run_id), (select count(*) from marts.fct_events) from ops.refresh_runs"
            " where status like 'published%'"
        ).fetchone()
    finally:
        analyst.close()
    assert old is not None
    return AfterFaults(
        clean, first_run, result, str(old[0]), int(old[1]), _last_run(clean.analytics)[0]
    )


def test_a_clean_refresh_publishes_marts_and_ops_only(clean: Site) -> None:
    with duckdb.connect(str(clean.analytics), read_only=True) as con:
        schemas = {
            r[0]
            for r in con.execute(
                "select distinct table_schema from information_schema.tables"
            ).fetchall()
        }
        runs = con.execute("select status, exit_code from ops.refresh_runs").fetchall()
    assert schemas == {"marts", "ops"}
    assert runs and runs[-1][0].startswith("published")
    with duckdb.connect(str(clean.build_file), read_only=True) as con:
        assert con.execute("select count(*) from ops.refresh_runs").fetchone() == (1,)
    assert _published_marts(clean.analytics)["fct_events"][0] > 0


def test_bad_files_are_set_aside_and_the_rest_publishes(after_faults: AfterFaults) -> None:
    result = after_faults.result
    assert result.returncode == 3, result.stderr
    assert "c360: warning: 2 incomplete partitions not loaded" in result.stderr
    with duckdb.connect(str(after_faults.site.analytics), read_only=True) as con:
        reasons = dict(
            con.execute(
                "select partition_path, reason from ops.landing_partitions"
                " where status <> 'complete'"
            ).fetchall()
        )
    assert reasons == {
        "events/messages/extract_date=2030-01-01": (
            "column 'properties' in part-0000.parquet is struct<plan: string>, "
            "a nested type, where the spec has varchar"
        ),
        "support/tickets/extract_date=2030-01-01": (
            "column 'status' in part-0000.parquet row 0 is not valid UTF-8 text"
        ),
    }


def test_a_dead_webhook_never_fails_the_refresh(after_faults: AfterFaults) -> None:
    with duckdb.connect(str(after_faults.site.analytics), read_only=True) as con:
        alerts = con.execute(
            "select severity, webhook_status from ops.alerts where run_id = ?",
            [after_faults.new_connection_run],
        ).fetchall()
    assert len(alerts) == 1 and alerts[0][0] == "warning"
    assert alerts[0][1].startswith("failed after 3 tries"), alerts


def test_an_analyst_connection_survives_a_publish_and_sees_new_data_after_reconnecting(
    after_faults: AfterFaults,
) -> None:
    assert after_faults.old_connection_run == after_faults.first_run
    assert after_faults.old_connection_rows > 0
    assert after_faults.new_connection_run != after_faults.first_run


def test_kill_9_at_three_points_never_publishes_and_the_next_refresh_matches_a_clean_one(
    tmp_path: Path, tiny_landing: Path, after_faults: AfterFaults
) -> None:
    site = _site(tmp_path, tiny_landing)
    for marker in ("landing scan:", "refresh stg_crm__accounts:", "refresh dim_industries:"):
        proc = subprocess.Popen(
            [str(C360), "refresh"], env=site.env(), stderr=subprocess.PIPE, text=True
        )
        assert proc.stderr is not None
        for line in proc.stderr:
            if marker in line:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=120)
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL, f"never reached {marker!r}"
        assert not site.analytics.exists(), f"killed at {marker!r} but published"
    done = site.refresh()
    assert done.returncode in (0, 3), done.stderr
    assert "taking over the lock left by run" in done.stderr
    # the bad partitions after_faults landed are set aside there, so its marts are a clean run's
    assert _published_marts(site.analytics) == _published_marts(after_faults.site.analytics)


@pytest.mark.parametrize("kind", ["missing", "empty", "shrunk"])
def test_a_missing_empty_or_shrunken_landing_zone_is_refused(
    kind: str, after_faults: AfterFaults, tmp_path: Path
) -> None:
    site = after_faults.site
    before = site.analytics.read_bytes()
    if kind == "missing":
        raw = tmp_path / "not-mounted"
    elif kind == "empty":
        raw = tmp_path / "empty"
        raw.mkdir()
    else:
        raw = tmp_path / "raw"
        shutil.copytree(site.raw, raw)
        shutil.rmtree(sorted((raw / "crm" / "contacts").iterdir())[-1])
    done = subprocess.run(
        [str(C360), "-q", "refresh"],
        env={**site.env(), "C360_RAW_DIR": str(raw)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR), done.stderr
    expected = {
        "missing": "does not exist",
        "empty": "holds no complete partition",
        "shrunk": "the landing zone shrank: crm/contacts has",
    }[kind]
    assert expected in lines[0] and "nothing was built or published" in lines[0]
    assert site.analytics.read_bytes() == before
    with duckdb.connect(str(site.build_file), read_only=True) as con:
        status = con.execute(
            "select status from ops.refresh_runs order by started_at desc limit 1"
        ).fetchone()
    assert status == ("refused",)


def test_a_second_refresh_exits_at_once_naming_the_first(after_faults: AfterFaults) -> None:
    site = after_faults.site
    with refresh_lock(site.build_file, "run-under-test", "2026-12-06 03:00:00"):
        started = time.perf_counter()
        done = site.refresh()
        took = time.perf_counter() - started
    assert done.returncode == 1
    assert done.stderr.startswith(
        f"{ERROR}another refresh is running: run run-under-test (pid {os.getpid()} on "
    ), done.stderr
    assert "since 2026-12-06 03:00:00" in done.stderr
    assert took < 20


def test_a_bad_seed_publishes_nothing(after_faults: AfterFaults, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(
        REPO_ROOT,
        project,
        ignore=shutil.ignore_patterns(".venv", ".git", "target", "logs", "warehouse", "data"),
    )
    plans = project / "seeds" / "plans.csv"
    plans.write_text(plans.read_text() + "platinum,not-a-rank,typo\n")
    site = after_faults.site
    before = site.analytics.read_bytes()
    done = subprocess.run(
        [str(C360), "refresh"],
        env={**site.env(), "C360_PROJECT_DIR": str(project)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert "seeds check found 1 error" in done.stderr
    assert "seeds/plans.csv:5" in done.stdout
    assert site.analytics.read_bytes() == before
