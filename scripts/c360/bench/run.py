"""``c360 bench``: the limit, a full refresh, a nightly refresh, and a nightly on 2x history.

All on landing zones prepared before anything is timed: the newest extract date is held
back, the full refresh loads the rest, the nightly lands the held-back day and refreshes
again, and a last refresh lands nothing (the warehouse must not grow). The same full and
nightly are done on a zone with twice the days and events. Each step runs as a
process tree measured by ``proctree.run_measured``; the results print as a table and
append to a CSV with the machine, versions and commit.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TextIO

from c360 import landing
from c360.bench.proctree import Measured, run_measured
from c360.errors import C360Error
from c360.generate.config import SCALES
from c360.progress import Progress

C360 = Path(sys.executable).parent / "c360"
PUBLISHED = {0, 3}
CSV_COLUMNS = (
    "recorded_at",
    "commit",
    "machine",
    "cpus",
    "memory_gib",
    "python",
    "duckdb",
    "dbt_core",
    "scale",
    "step",
    "exit_code",
    "landed_rows",
    "wall_seconds",
    "cpu_seconds",
    "peak_rss_gib",
    "rows_per_second",
    "warehouse_mb",
)


@dataclass(frozen=True)
class Step:
    name: str
    measured: Measured
    landed_rows: int
    warehouse_bytes: int

    @property
    def rows_per_second(self) -> float:
        return self.landed_rows / self.measured.wall_seconds if self.measured.wall_seconds else 0


@dataclass(frozen=True)
class Zone:
    """A landing zone ready to refresh, with its newest day held back."""

    raw: Path
    held: Path
    work: Path


def _landed_rows(raw: Path) -> int:
    return sum(p.file_row_count for p in landing.scan(raw) if p.status == landing.COMPLETE)


def _size(*paths: Path) -> int:
    total = 0
    for path in paths:
        if path.is_file():
            total += path.stat().st_size
        elif path.is_dir():
            total += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return total


def _hold_back_newest_day(source: Path, work: Path) -> Zone:
    """Hard-link ``source`` into work/raw, all but its newest extract date (into work/held)."""
    parts = [p for p in landing.scan(source) if p.extract_date is not None]
    if not parts:
        raise C360Error(f"bench: {source} holds no partition")
    newest = max(p.extract_date for p in parts if p.extract_date is not None)
    raw, held = work / "raw", work / "held"
    for folder in (raw, held):
        shutil.rmtree(folder, ignore_errors=True)
    for part in parts:
        dest = (held if part.extract_date == newest else raw) / part.path
        shutil.copytree(source / part.path, dest, copy_function=os.link)
    return Zone(raw, held, work)


def _land_held(zone: Zone) -> None:
    shutil.copytree(zone.held, zone.raw, copy_function=os.link, dirs_exist_ok=True)


def _env(zone: Zone, project: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "C360_"))}
    for key in ("C360_MEMORY_LIMIT", "C360_THREADS", "C360_HASH_KEY", "C360_HASH_KEY_FILE"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    env.update(
        C360_PROJECT_DIR=str(project),
        C360_RAW_DIR=str(zone.raw),
        C360_WAREHOUSE=str(zone.work / "wh" / "build.duckdb"),
        C360_ANALYTICS_DB=str(zone.work / "wh" / "analytics.duckdb"),
    )
    return env


def _refresh(name: str, zone: Zone, project: Path, landed_rows: int) -> Step:
    measured = run_measured(
        [str(C360), "refresh", "--project-dir", str(project)],
        _env(zone, project),
        zone.work / f"{name.replace(' ', '_')}.log",
    )
    if measured.returncode not in PUBLISHED:
        raise C360Error(
            f"bench: {name} refresh exited {measured.returncode}: {measured.stderr_tail}"
        )
    return Step(name, measured, landed_rows, _size(zone.work / "wh"))


def _limit(zone: Zone, project: Path, landed_rows: int) -> Step:
    out = zone.work / "limit.duckdb"
    measured = run_measured(
        [sys.executable, "-m", "c360.bench.limit", str(zone.raw), str(out)],
        _env(zone, project),
        zone.work / "limit.log",
    )
    if measured.returncode != 0:
        raise C360Error(f"bench: the limit pass failed: {measured.stderr_tail}")
    return Step("limit", measured, landed_rows, _size(out))


def _generate(out: Path, scale: str, seed: int, days: int, events: int) -> Path:
    shutil.rmtree(out, ignore_errors=True)
    command = [str(C360), "-q", "generate", "--scale", scale, "--seed", str(seed)]
    command += ["--days", str(days), "--events", str(events), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise C360Error(f"bench: generating {out.name} failed: {why}")
    return out


def bench(
    scale: str,
    work: Path,
    project: Path,
    progress: Progress,
    *,
    data: Path | None = None,
    seed: int = 42,
    days: int | None = None,
    events: int | None = None,
) -> list[Step]:
    """Prepare the zones, then measure the limit, full, nightly and nightly on 2x history.

    ``days`` and ``events`` override the scale's (a short smoke run, or a size between
    two scales); the 2x zone doubles them."""
    days = days or SCALES[scale].days
    events = SCALES[scale].events if events is None else events
    with progress.stage("prepare") as st:
        source = data or _generate(work / "landing", scale, seed, days, events)
        one = _hold_back_newest_day(source, work / "1x")
        two = None
        if data is None:
            double = _generate(work / "landing-2x", scale, seed, 2 * days, 2 * events)
            two = _hold_back_newest_day(double, work / "2x")
        rows = st.rows = _landed_rows(one.raw)  # each zone state is scanned once
        st.detail = (
            f"landed; zones {'1x and 2x history' if two else '1x only (--data)'} under {work}"
        )
    steps = [_stage(progress, "limit", lambda: _limit(one, project, rows))]
    steps.append(_stage(progress, "full", lambda: _refresh("full", one, project, rows)))
    _land_held(one)
    rows = _landed_rows(one.raw)
    steps.append(_stage(progress, "nightly", lambda: _refresh("nightly", one, project, rows)))
    steps.append(
        _stage(progress, "nightly empty", lambda: _refresh("nightly empty", one, project, rows))
    )
    if two is not None:
        rows_2x = _landed_rows(two.raw)
        steps.append(
            _stage(progress, "full 2x", lambda: _refresh("full 2x", two, project, rows_2x))
        )
        _land_held(two)
        rows_2x = _landed_rows(two.raw)
        steps.append(
            _stage(progress, "nightly 2x", lambda: _refresh("nightly 2x", two, project, rows_2x))
        )
    return steps


def _stage(progress: Progress, name: str, action: Callable[[], Step]) -> Step:
    with progress.stage(name) as st:
        step = action()
        st.rows = step.landed_rows
        st.detail = (
            f"landed; {step.measured.cpu_seconds:.1f} CPU s,"
            f" peak {step.measured.peak_rss_bytes / 2**30:.2f} GiB"
        )
    return step


def ratios(steps: list[Step]) -> dict[str, float]:
    wall = {s.name: s.measured.wall_seconds for s in steps}
    out = {
        "full / limit": wall["full"] / wall["limit"],
        "nightly / full": wall["nightly"] / wall["full"],
    }
    if "nightly 2x" in wall:
        out["nightly 2x / nightly"] = wall["nightly 2x"] / wall["nightly"]
    return out


def print_table(steps: list[Step], out: TextIO) -> None:
    header = ("step", "landed rows", "wall s", "CPU s", "peak RSS GiB", "rows/s", "warehouse MB")
    rows = [
        (
            s.name,
            f"{s.landed_rows:,}",
            f"{s.measured.wall_seconds:.1f}",
            f"{s.measured.cpu_seconds:.1f}",
            f"{s.measured.peak_rss_bytes / 2**30:.2f}",
            f"{s.rows_per_second:,.0f}",
            f"{s.warehouse_bytes / 1e6:,.1f}",
        )
        for s in steps
    ]
    print("| " + " | ".join(header) + " |", file=out)
    print("|" + "---|" * len(header), file=out)
    for row in rows:
        print("| " + " | ".join(row) + " |", file=out)
    print(file=out)
    for name, value in ratios(steps).items():
        print(f"{name}: {value:.2f}x", file=out)
    growth = empty_nightly_growth_mb(steps)
    if growth is not None:
        print(f"warehouse growth on a nightly that lands nothing: {growth:+,.1f} MB", file=out)


def empty_nightly_growth_mb(steps: list[Step]) -> float | None:
    """How much the warehouse grew on the refresh that landed nothing, if it ran."""
    size = {s.name: s.warehouse_bytes for s in steps}
    if "nightly" not in size or "nightly empty" not in size:
        return None
    return (size["nightly empty"] - size["nightly"]) / 1e6


def _commit(project: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(project), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return 0.0


def append_csv(steps: list[Step], path: Path, scale: str, project: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.is_file()
    common = {
        "recorded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(project),
        "machine": platform.node(),
        "cpus": os.cpu_count() or 0,
        "memory_gib": f"{_memory_gib():.1f}",
        "python": platform.python_version(),
        "duckdb": metadata.version("duckdb"),
        "dbt_core": metadata.version("dbt-core"),
        "scale": scale,
    }
    with path.open("a", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        if new:
            writer.writeheader()
        for s in steps:
            writer.writerow(
                common
                | {
                    "step": s.name,
                    "exit_code": s.measured.returncode,
                    "landed_rows": s.landed_rows,
                    "wall_seconds": f"{s.measured.wall_seconds:.2f}",
                    "cpu_seconds": f"{s.measured.cpu_seconds:.2f}",
                    "peak_rss_gib": f"{s.measured.peak_rss_bytes / 2**30:.3f}",
                    "rows_per_second": f"{s.rows_per_second:.0f}",
                    "warehouse_mb": f"{s.warehouse_bytes / 1e6:.1f}",
                }
            )
