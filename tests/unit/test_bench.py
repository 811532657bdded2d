"""``c360 bench``'s parts: the process-tree measurement, the limit pass, the held-back day,
and the table and CSV. The whole bench at ``tiny`` takes about three minutes (four
refreshes), so the suite checks the parts and leaves the run to ``c360 bench``."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import duckdb
import pytest

from c360 import landing
from c360.bench import limit
from c360.bench.proctree import Measured, run_measured
from c360.bench.run import Step, _hold_back_newest_day, _land_held, append_csv, print_table
from c360.errors import C360Error

REPO = Path(__file__).resolve().parents[2]
HOLD_400_MB = (
    "import subprocess, sys;"
    " subprocess.run([sys.executable, '-c',"
    " 'import time; b = b\"x\" * (400 * 2**20); time.sleep(1.5)'], check=True)"
)


def test_a_child_s_memory_counts_in_the_tree_s_peak(tmp_path: Path) -> None:
    done = run_measured([sys.executable, "-c", HOLD_400_MB], {}, tmp_path / "log")
    assert done.returncode == 0
    assert done.peak_rss_bytes > 400 * 2**20
    assert done.wall_seconds >= 1.5
    assert done.cpu_seconds > 0


def test_the_limit_keeps_one_copy_per_message_id(tiny_landing: Path, tmp_path: Path) -> None:
    out = tmp_path / "limit.duckdb"
    rows = limit.run(tiny_landing, out)
    landed = sum(
        p.file_row_count for p in landing.scan(tiny_landing) if p.status == landing.COMPLETE
    )
    with duckdb.connect(str(out), read_only=True) as con:
        total, distinct = con.sql(
            'select count(*), count(distinct "messageId") from events__messages'
        ).fetchall()[0]
        tables = con.sql("select count(*) from duckdb_tables()").fetchall()[0][0]
        json_type = con.sql(
            "select data_type from information_schema.columns"
            " where table_name = 'events__messages' and column_name = 'properties'"
        ).fetchall()
    assert total == distinct > 0
    assert tables == 12
    assert json_type == [("JSON",)]
    assert 0 < rows < landed  # the copies of retried messages are gone


def test_the_newest_day_is_held_back_then_landed(tiny_landing: Path, tmp_path: Path) -> None:
    zone = _hold_back_newest_day(tiny_landing, tmp_path)
    dates = {p.extract_date for p in landing.scan(tiny_landing)}
    held = {p.extract_date for p in landing.scan(zone.held)}
    assert held == {max(d for d in dates if d is not None)}
    assert max(held) not in {p.extract_date for p in landing.scan(zone.raw)}
    _land_held(zone)
    assert len(landing.scan(zone.raw)) == len(landing.scan(tiny_landing))


def _step(name: str, wall: float, warehouse_bytes: int = 5_000_000) -> Step:
    return Step(name, Measured(0, wall, wall * 1.1, 2**30, ""), 1000, warehouse_bytes)


def test_the_table_and_csv_carry_every_figure_and_ratio(tmp_path: Path) -> None:
    steps = [_step("limit", 2.0), _step("full", 10.0), _step("nightly", 5.0)]
    steps.append(_step("nightly empty", 4.0, 5_250_000))
    steps.append(_step("nightly 2x", 6.0))
    out = io.StringIO()
    print_table(steps, out)
    text = out.getvalue()
    assert "| full | 1,000 | 10.0 | 11.0 | 1.00 | 100 | 5.0 |" in text
    assert "full / limit: 5.00x" in text
    assert "nightly / full: 0.50x" in text
    assert "nightly 2x / nightly: 1.20x" in text
    assert "warehouse growth on a nightly that lands nothing: +0.2 MB" in text
    results = tmp_path / "bench" / "results.csv"
    append_csv(steps, results, "tiny", REPO)
    append_csv(steps[:1], results, "tiny", REPO)
    with results.open() as f:
        rows = list(csv.DictReader(f))
    assert [r["step"] for r in rows] == [
        "limit",
        "full",
        "nightly",
        "nightly empty",
        "nightly 2x",
        "limit",
    ]
    assert all(r["duckdb"] and r["commit"] and r["cpus"] for r in rows)
    assert rows[1]["wall_seconds"] == "10.00"


def test_an_empty_zone_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(C360Error, match="holds no partition"):
        _hold_back_newest_day(tmp_path / "empty", tmp_path / "work")
