"""dbt against the published analytics file: the ``analytics`` target of profiles.yml.

That target is an in-memory DuckDB with the analytics file attached read-only
as database ``analytics``, so what runs here (dbt parse, dbt docs generate)
never takes the file's lock and works while a refresh runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from c360.build import one_line
from c360.errors import C360Error
from c360.settings import DEFAULT_ANALYTICS

TARGET = "analytics"


def analytics_path(project: Path) -> Path:
    """The published analytics file: ``$C360_ANALYTICS_DB`` or the project's
    ``warehouse/analytics.duckdb``; an error when it does not exist yet."""
    path = Path(os.environ.get("C360_ANALYTICS_DB") or project / DEFAULT_ANALYTICS).resolve()
    if not path.is_file():
        raise C360Error(
            f"no analytics file at {path}: run c360 refresh first (or set C360_ANALYTICS_DB)"
        )
    return path


def run_dbt(project: Path, analytics: Path, target_path: Path, args: Sequence[str]) -> None:
    """Run ``dbt <args>`` in ``project`` against the analytics target, writing
    its artifacts to ``target_path``; raise C360Error with dbt's first error line."""
    dbt = Path(sys.executable).parent / "dbt"
    env = {
        **os.environ,
        "C360_ANALYTICS_DB": str(analytics),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(dbt),
        "--quiet",
        *args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target",
        TARGET,
        "--target-path",
        str(target_path),
    ]
    done = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        errors = [line for line in lines if "rror" in line] or lines or ["no output"]
        raise C360Error(f"dbt {args[0]} failed: {one_line(errors[0].strip())}")
