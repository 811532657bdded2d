"""The erasure ledger and the raw purge, without a build: what a request stores, how
it is refused, and how a partition is rewritten (and recovered after a crash)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from c360.cli import main
from c360.errors import C360Error
from c360.privacy import hashing, keys, ledger, purge

NOW = dt.datetime(2026, 12, 7, 12, 0, 0)


def test_reason_holding_personal_data_is_refused() -> None:
    assert ledger.check_reason("  DSR-2026-114 ", "ann@example.com") == "DSR-2026-114"
    assert ledger.check_reason(None, "u1") is None
    with pytest.raises(C360Error, match="personal data"):
        ledger.check_reason("asked by bob@example.org", "u1")
    with pytest.raises(C360Error, match="personal data"):
        ledger.check_reason("user U_123 asked", "u_123")


def test_a_request_stores_hashes_only_and_is_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "build.duckdb"
    monkeypatch.setenv("C360_WAREHOUSE", str(warehouse))
    assert main(["erase", "-q", "--email", " Ann@Example.com ", "--reason", "DSR-1"]) == 0
    assert main(["erase", "-q", "--email", "ann@example.com", "--purge-raw"]) == 0  # reused
    assert main(["erase", "-q", "--user-id", "u_1"]) == 0
    assert main(["erase", "-q", "--email", "not-an-address"]) == 1
    with pytest.raises(SystemExit) as usage:
        main(["erase", "-q", "--email", "a@b.co", "--user-id", "u_2"])
    assert usage.value.code == 2
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        "select identifier_type, identifier_hash, key_id, reason, purge_raw, status"
        " from privacy.erasure_requests order by identifier_type"
    ).fetchall()
    text = " ".join(
        str(v)
        for table in ("erasure_requests", "erased_identifiers", "erasure_partitions", "erasure_log")
        for row in con.execute(f"select * from privacy.{table}").fetchall()
        for v in row
    )
    con.close()
    key = keys.load().current
    assert rows == [
        (
            "email",
            hashing.email_hash(key, "ann@example.com"),
            keys.key_id(key),
            "DSR-1",
            True,
            "pending",
        ),
        ("user_id", hashing.identifier_hash(key, "u_1"), keys.key_id(key), None, False, "pending"),
    ]
    assert "ann@" not in text.lower() and "u_1" not in text


def test_erase_while_a_build_writes_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "build.duckdb"
    duckdb.connect(str(warehouse)).close()
    monkeypatch.setenv("C360_WAREHOUSE", str(warehouse))
    hold = f"import duckdb, time; c = duckdb.connect({str(warehouse)!r}); print('ok', flush=True)"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold + "; time.sleep(30)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        assert main(["erase", "-q", "--user-id", "u_1"]) == 4
    finally:
        holder.kill()
        holder.wait()


def _partition(root: Path, rows: list[dict[str, object]], name: str = "2026-10-10") -> Path:
    part = root / "support" / "nps_responses" / f"extract_date={name}"
    part.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), part / "part-0000.parquet")
    pq.write_table(pa.Table.from_pylist(rows[:1]), part / "part-0001.parquet")
    manifest = {
        "system": "support",
        "table": "nps_responses",
        "extract_date": name,
        "mode": "incremental",
        "row_count": len(rows) + 1,
        "extracted_at": "2026-10-11T02:10:00Z",
    }
    (part / "_manifest.json").write_text(json.dumps(manifest))
    return part


def _ledger_connection(erased: list[str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ring = keys.load()
    hashing.register_functions(con, ring)
    con.execute("create table erased (identifier_hash varchar)")
    for value in erased:
        con.execute("insert into erased values (?)", [hashing.keyed_hash(ring.current, value)])
    return con


def test_purge_rewrites_only_the_files_holding_the_person(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"response_id": "r1", "email": "keep@example.org", "user_id": "u_keep", "score": 9},
        {"response_id": "r2", "email": "Ann@Example.com", "user_id": None, "score": 3},
        {"response_id": "r3", "email": None, "user_id": "u_ann", "score": 7},
    ]
    part = _partition(tmp_path, rows)
    untouched = (part / "part-0001.parquet").stat().st_ino
    con = _ledger_connection(["ann@example.com", "u_ann"])
    done = purge.purge(con, tmp_path, "select identifier_hash from erased")
    assert done == [purge.Purged("support/nps_responses", 1, 2)]
    kept = pq.read_table(part / "part-0000.parquet").to_pylist()
    assert [r["response_id"] for r in kept] == ["r1"]
    assert (part / "part-0001.parquet").stat().st_ino == untouched  # linked, not rewritten
    assert json.loads((part / "_manifest.json").read_text())["row_count"] == 2
    assert sorted(p.name for p in part.parent.iterdir()) == [part.name]  # no folder left behind
    assert purge.purge(con, tmp_path, "select identifier_hash from erased") == []


def test_a_purge_interrupted_between_the_renames_is_finished(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"response_id": "r1", "email": "a@b.co", "user_id": "u", "score": 1}
    ]
    part = _partition(tmp_path, rows)
    new = part.with_name(f".{part.name}.purging")
    part.rename(new)  # the crash: the old folder renamed away and removed, the new one not in place
    purge.recover(tmp_path)
    assert part.is_dir() and not new.exists()
    half = part.with_name(f".{part.name}.purging")
    half.mkdir()  # a rewrite that never reached its manifest
    purge.recover(tmp_path)
    assert not half.exists() and part.is_dir()
