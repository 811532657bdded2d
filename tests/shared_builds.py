"""Builds shared by every test file of one pytest run, across xdist workers.

A refresh of ``tiny`` takes a minute or more; test files that only read its result
(the analysts' side: metrics, docs, report, guide, notebook) share one. The first
worker to ask builds it under an exclusive file lock in the run's common temporary
folder; the others wait for the lock and reuse the result. Readers must open the
files read-only: a DuckDB file takes one writer or many readers.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from c360.generate.config import GenerateConfig
from landing_helpers import generate_quietly

C360 = Path(sys.executable).parent / "c360"
REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Published:
    """A ``c360 refresh`` of a landing zone: its build file and its analytics file."""

    root: Path
    raw: Path
    build_file: Path
    analytics: Path
    returncode: int
    stderr: str

    def env(self, **extra: str) -> dict[str, str]:
        """The environment the refresh ran with (for more c360 calls on the same files)."""
        return {**refresh_env(self.root, self.raw), **extra}


def copy_published(source: Published, dest: Path) -> Published:
    """A private copy of a shared build to refresh again: landing zone, build and
    analytics files and snapshots, with their modification times (the landing scan
    then sees the same files). The copied analytics file's views still read the
    shared snapshots until the copy publishes its own."""
    shutil.copytree(source.root, dest, symlinks=True)
    (dest / "outcome.json").unlink(missing_ok=True)
    return Published(
        root=dest,
        raw=dest / "raw",
        build_file=dest / "build.duckdb",
        analytics=dest / "analytics.duckdb",
        returncode=source.returncode,
        stderr=source.stderr,
    )


def refresh_env(root: Path, raw: Path) -> dict[str, str]:
    """A clean c360 environment: no DBT_/C360_ settings of the caller but the hashing key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "C360_"))}
    env.update(
        C360_PROJECT_DIR=str(REPO_ROOT),
        C360_RAW_DIR=str(raw),
        C360_WAREHOUSE=str(root / "build.duckdb"),
        C360_ANALYTICS_DB=str(root / "analytics.duckdb"),
        C360_MEMORY_LIMIT="4GB",
        C360_HASH_KEY=os.environ["C360_HASH_KEY"],  # tests/conftest.py
    )
    return env


def shared_folder(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder every xdist worker of this run sees (its own base otherwise)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def published(factory: pytest.TempPathFactory, name: str, cfg: GenerateConfig) -> Published:
    """Generate ``cfg`` and ``c360 refresh`` it once per run, under ``name``."""
    root = shared_folder(factory) / name
    outcome = root / "outcome.json"
    with _locked(root.with_name(name + ".lock")):
        if not outcome.is_file():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            raw = generate_quietly(cfg, root / "raw")
            done = subprocess.run(
                [str(C360), "refresh"],
                env=refresh_env(root, raw),
                capture_output=True,
                text=True,
                timeout=1200,
                check=False,
            )
            outcome.write_text(
                json.dumps({"returncode": done.returncode, "stderr": done.stderr}),
                encoding="utf-8",
            )
    result = json.loads(outcome.read_text(encoding="utf-8"))
    return Published(
        root=root,
        raw=root / "raw",
        build_file=root / "build.duckdb",
        analytics=root / "analytics.duckdb",
        returncode=int(result["returncode"]),
        stderr=str(result["stderr"]),
    )
