"""Publishing writes only the snapshot files whose rows changed, and never pulls a file
from under a connection on one of the last publishes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from c360.cli import main
from c360.errors import C360Error
from c360.refresh.publish import KEEP_PUBLISHES, publish, snapshot_folder
from c360.settings import DEFAULT_ANALYTICS_STORAGE_VERSION, analytics_storage_version

COLUMNS = "select table_name, column_name, data_type from information_schema.columns"


def _build(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema ops; create schema staging")
        con.execute(
            "create table marts.fct_daily as select"
            " cast('2026-01-01' as date) + cast(i * 10 as integer) as local_date,"
            " i as n, cast(i as hugeint) as wide, cast(null as varchar) as note"
            " from range(40) as r(i)"
        )
        con.execute("insert into marts.fct_daily values (null, 99, 99, 'no date')")
        con.execute("create table marts.dim_things as select 1 as thing_key, 'a' as name")
        con.execute("create table marts.empty_mart (thing_key integer, seen_at timestamptz)")
        con.execute("create table ops.refresh_runs as select 'r0' as run_id")
        con.execute("create table staging.stg_hidden as select 1 as x")
    return path


def test_views_give_the_build_s_rows_and_types(tmp_path: Path) -> None:
    build = _build(tmp_path / "build.duckdb")
    analytics = tmp_path / "analytics.duckdb"
    done = publish(build, analytics, "20260101T000000Z-a")
    assert done.tables == 4 and done.files_kept == 0
    # fct_daily: one file per month of local_date (2026-01 .. 2027-01) and one for no date
    assert len(list((snapshot_folder(analytics) / "marts" / "fct_daily").iterdir())) == 14
    with (
        duckdb.connect(str(analytics), read_only=True) as got,
        duckdb.connect(str(build), read_only=True) as want,
    ):
        schema = " where table_schema = 'marts' order by all"
        assert got.sql(COLUMNS + schema).fetchall() == want.sql(COLUMNS + schema).fetchall()
        for table in ("fct_daily", "dim_things", "empty_mart"):
            query = f"select * from marts.{table} order by all"
            assert got.sql(query).fetchall() == want.sql(query).fetchall()
        schemas = got.sql("select distinct table_schema from information_schema.tables")
        assert {s for (s,) in schemas.fetchall()} == {"marts", "ops"}


def test_a_second_publish_writes_only_the_changed_month(tmp_path: Path) -> None:
    build = _build(tmp_path / "build.duckdb")
    analytics = tmp_path / "analytics.duckdb"
    publish(build, analytics, "20260101T000000Z-a")
    with duckdb.connect(str(build)) as con:
        con.execute("update marts.fct_daily set note = 'late' where local_date = '2026-03-02'")
    analyst = duckdb.connect(str(analytics), read_only=True)
    try:
        done = publish(build, analytics, "20260102T000000Z-b")
        # the old connection still reads the old rows: its files are kept
        old = analyst.sql("select count(note) from marts.fct_daily").fetchall()
    finally:
        analyst.close()
    assert (done.files_written, done.files_kept) == (1, 15)
    assert old == [(1,)]
    with duckdb.connect(str(analytics), read_only=True) as con:
        assert con.sql("select count(note) from marts.fct_daily").fetchall() == [(2,)]


def test_files_only_old_publishes_used_are_removed(tmp_path: Path) -> None:
    build = _build(tmp_path / "build.duckdb")
    analytics = tmp_path / "analytics.duckdb"
    folder = snapshot_folder(analytics)
    first_files: set[Path] = set()
    for night in range(KEEP_PUBLISHES + 2):
        with duckdb.connect(str(build)) as con:
            con.execute(f"update marts.dim_things set name = 'v{night}'")
        publish(build, analytics, f"2026010{night}T000000Z-x")
        if night == 0:
            first_files = set((folder / "marts" / "dim_things").iterdir())
    assert len(list(folder.glob("publish-*.json"))) == KEEP_PUBLISHES
    assert len(list((folder / "marts" / "dim_things").iterdir())) == KEEP_PUBLISHES
    assert not any(f.exists() for f in first_files)
    # the unchanged marts' files are shared by every publish and stay
    assert len(list((folder / "marts" / "fct_daily").iterdir())) == 14


def test_a_failed_publish_leaves_the_analytics_file_as_it_was(tmp_path: Path) -> None:
    build = _build(tmp_path / "build.duckdb")
    analytics = tmp_path / "analytics.duckdb"
    publish(build, analytics, "20260101T000000Z-a")
    before = analytics.read_bytes()
    with pytest.raises(C360Error, match="failed, the previous file is unchanged"):
        publish(tmp_path / "missing" / "build.duckdb", analytics, "20260102T000000Z-b")
    assert analytics.read_bytes() == before
    assert not list(tmp_path.glob(".analytics.duckdb.*"))


def test_the_personal_schema_never_reaches_the_analytics_file(tmp_path: Path) -> None:
    build = _build(tmp_path / "build.duckdb")
    with duckdb.connect(str(build)) as con:
        con.execute("create schema personal")
        con.execute(
            "create table personal.dim_people_contact_details as"
            " select 'pe_1' as person_key, 'ada@a.example' as email"
        )
    analytics = tmp_path / "analytics.duckdb"
    publish(build, analytics, "20260101T000000Z-a")
    with duckdb.connect(str(analytics), read_only=True) as con:
        schemas = con.sql("select distinct table_schema from information_schema.tables")
        assert {s for (s,) in schemas.fetchall()} == {"marts", "ops"}
        assert con.sql(
            "select count(*) from information_schema.schemata where schema_name = 'personal'"
        ).fetchall() == [(0,)]
    snapshots = snapshot_folder(analytics)
    assert not (snapshots / "personal").exists()
    assert not any(
        "ada@a.example" in p.read_bytes().decode("latin-1")
        for p in snapshots.rglob("*")
        if p.is_file()
    )


DUCKDB_CLI = Path(sys.executable).parent / "duckdb"  # PyPI's duckdb-cli, a dev dependency


def _storage_version(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(
            "select tags['storage_version'] from duckdb_databases()"
            " where database_name = current_database()"
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_the_analytics_file_is_written_for_older_duckdb_the_build_file_is_not(
    tmp_path: Path,
) -> None:
    build = _build(tmp_path / "build.duckdb")
    default = tmp_path / "analytics.duckdb"
    publish(build, default, "20260101T000000Z-a")
    assert _storage_version(default) == f"{DEFAULT_ANALYTICS_STORAGE_VERSION}+" == "v1.5.0+"
    older = tmp_path / "older.duckdb"
    publish(build, older, "20260101T000000Z-b", storage_version="v1.4.0")
    assert _storage_version(older) == "v1.4.0+"
    assert _storage_version(build) != "v1.5.0+"  # publishing never rewrites the build file


def test_the_duckdb_cli_reads_the_analytics_file(tmp_path: Path) -> None:
    if not DUCKDB_CLI.is_file():
        pytest.skip("the duckdb-cli dev dependency is not installed")
    build = _build(tmp_path / "build.duckdb")
    analytics = tmp_path / "analytics.duckdb"
    publish(build, analytics, "20260101T000000Z-a")
    query = "select (select count(*) from marts.fct_daily), (select count(*) from ops.refresh_runs)"
    done = subprocess.run(
        [str(DUCKDB_CLI), "-readonly", "-noheader", "-csv", str(analytics), "-c", query],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "41,1"  # a view over Parquet and a copied table


@pytest.mark.parametrize("value", ["1.5.0", "v9.9.9", "newest"])
def test_an_unknown_storage_version_is_one_line_error(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("C360_ANALYTICS_STORAGE_VERSION", value)
    with pytest.raises(C360Error) as caught:
        analytics_storage_version()
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"C360_ANALYTICS_STORAGE_VERSION={value!r} is not a DuckDB version")


def test_the_storage_version_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("C360_ANALYTICS_STORAGE_VERSION", raising=False)
    assert analytics_storage_version() == "v1.5.0"
    monkeypatch.setenv("C360_ANALYTICS_STORAGE_VERSION", " v1.4.0 ")
    assert analytics_storage_version() == "v1.4.0"
    monkeypatch.setenv("C360_ANALYTICS_STORAGE_VERSION", "latest")
    assert analytics_storage_version() == "latest"


def test_refresh_with_an_unknown_storage_version_stops_before_dbt(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "wh.duckdb"
    monkeypatch.setenv("C360_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("C360_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("C360_ANALYTICS_STORAGE_VERSION", "v1.5")
    assert main(["refresh"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("c360: error: C360_ANALYTICS_STORAGE_VERSION='v1.5' is not")
    assert not warehouse.exists()
