"""Publishing writes only the snapshot files whose rows changed, and never pulls a file
from under a connection on one of the last publishes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from c360.errors import C360Error
from c360.refresh.publish import KEEP_PUBLISHES, publish, snapshot_folder

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
