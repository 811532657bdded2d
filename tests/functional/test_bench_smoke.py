"""`c360 bench` end to end, in its smallest form: on the session's tiny landing zone
(`--data`, so no 2x zone: generating and refreshing one would double the test's cost; the
2x ratio's arithmetic and printing are unit-tested in tests/unit/test_bench.py), every
step runs and every figure is produced. Nothing here asserts a time: a benchmark
measures, a test only checks it ran."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.bench]

REPO = Path(__file__).resolve().parents[2]
C360 = Path(sys.executable).parent / "c360"
STEPS = ["limit", "full", "nightly", "nightly empty"]


def test_a_smoke_bench_produces_every_figure(tiny_landing: Path, tmp_path: Path) -> None:
    # its own copy of the project: refreshes write the project's target/ folder
    project = tmp_path / "project"
    shutil.copytree(
        REPO,
        project,
        ignore=shutil.ignore_patterns(".venv", ".git", "target", "logs", "warehouse", "data"),
    )
    results = tmp_path / "results.csv"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DBT_", "C360_")) or k == "C360_HASH_KEY"
    }
    command = [str(C360), "bench", "--scale", "tiny", "--data", str(tiny_landing)]
    command += ["--workdir", str(tmp_path / "work"), "--csv", str(results)]
    command += ["--project-dir", str(project)]
    done = subprocess.run(
        command,
        env=env | {"C360_MEMORY_LIMIT": "2GB"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    table = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert [line.split(" | ")[0][2:] for line in table[1:]] == STEPS
    for name in ("full / limit", "nightly / full"):
        assert f"{name}: " in done.stdout
    assert "warehouse growth on a nightly that lands nothing: " in done.stdout
    with results.open() as f:
        rows = list(csv.DictReader(f))
    assert [r["step"] for r in rows] == STEPS
    for row in rows:
        assert row["exit_code"] in {"0", "3"}, row
        assert int(row["landed_rows"]) > 0
        assert float(row["wall_seconds"]) > 0 and float(row["cpu_seconds"]) > 0
        assert float(row["peak_rss_gib"]) > 0 and float(row["warehouse_mb"]) > 0
        assert row["scale"] == f"data:{tiny_landing.name}" and row["duckdb"] and row["dbt_core"]
    # the nightly lands one more day than the full refresh saw; the last one lands nothing
    assert int(rows[2]["landed_rows"]) > int(rows[1]["landed_rows"])
    assert rows[3]["landed_rows"] == rows[2]["landed_rows"]
