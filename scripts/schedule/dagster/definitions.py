"""Dagster definitions for customer360, for teams that already run Dagster.

Every dbt model, seed and snapshot is a Dagster asset (dagster-dbt reads the
manifest), so the lineage shows in Dagster's asset graph. They are
materialised together by one ``c360 refresh``: the same lock, seeds check,
landing guard rails, build with tests, run log, alerts and publish as the cron
and systemd jobs, never a bare ``dbt build`` that would skip them. After the
refresh, every model dbt built successfully is reported as materialised, with
the run id, exit code and rows of the refresh as metadata.

Install and run (from the project folder):

    .venv/bin/pip install -e '.[dagster]'
    .venv/bin/dbt parse --target-path target/dagster   # once per deploy; `dagster dev` does it
    .venv/bin/dagster dev -f scripts/schedule/dagster/definitions.py

The schedule ``customer360_nightly`` (03:30, the job ``customer360_refresh``)
is off until turned on in Dagster's UI. Configuration is the refresh's own:
``C360_RAW_DIR``, ``C360_WAREHOUSE``, ``C360_ANALYTICS_DB``, ``C360_ALERT_WEBHOOK``
in the environment of the Dagster code server.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtProject,
    dbt_assets,
    get_asset_key_for_model,
)

PROJECT_DIR = Path(os.environ.get("C360_PROJECT_DIR") or Path(__file__).resolve().parents[3])
C360 = Path(sys.executable).parent / "c360"
# c360 refresh's exit codes (see the README): 0 published, 3 published with warnings.
PUBLISHED = {0, 3}

project = DbtProject(
    project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR, target_path=Path("target/dagster")
)
project.prepare_if_dev()


def _last_run(project_dir: Path) -> dict[str, Any]:
    """The refresh's own record of the run (the last line of refresh_runs.jsonl)."""
    analytics = os.environ.get("C360_ANALYTICS_DB") or str(
        project_dir / "warehouse" / "analytics.duckdb"
    )
    runs = Path(analytics).parent / "refresh_runs.jsonl"
    lines = runs.read_text().splitlines() if runs.is_file() else []
    return dict(json.loads(lines[-1])) if lines else {}


# dbt's data tests run inside the refresh, which fails or warns on them and records them in
# ops.refresh_runs; they are not mirrored as Dagster asset checks.
TRANSLATOR = DagsterDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=False))


@dbt_assets(
    manifest=project.manifest_path,
    project=project,
    exclude="resource_type:unit_test",
    dagster_dbt_translator=TRANSLATOR,
)
def customer360(context: AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
    """One ``c360 refresh``; each model it built is a materialisation."""
    done = subprocess.run(
        [str(C360), "--quiet", "refresh", "--project-dir", str(PROJECT_DIR)],
        capture_output=True,
        text=True,
        check=False,
    )
    log = context.log.warning if done.returncode in PUBLISHED else context.log.error
    for line in done.stderr.splitlines():
        log(line)
    if done.returncode not in PUBLISHED:
        raise dg.Failure(
            description=done.stderr.strip() or f"c360 refresh exited {done.returncode}",
            metadata={"exit_code": done.returncode},
        )
    record = _last_run(PROJECT_DIR)
    metadata = {
        "run_id": str(record.get("run_id", "")),
        "exit_code": done.returncode,
        "status": str(record.get("status", "")),
    }
    results = json.loads((PROJECT_DIR / "target" / "refresh" / "run_results.json").read_text())
    for result in results["results"]:
        kind, _, name = result["unique_id"].split(".", 2)
        if kind != "model" or result["status"] != "success":
            continue
        key = get_asset_key_for_model([customer360], name.split(".")[-1])
        if key in context.selected_asset_keys:
            yield dg.MaterializeResult(asset_key=key, metadata=metadata)


customer360_refresh = dg.define_asset_job("customer360_refresh", selection=[customer360])

defs = dg.Definitions(
    assets=[customer360],
    jobs=[customer360_refresh],
    schedules=[
        dg.ScheduleDefinition(
            name="customer360_nightly", job=customer360_refresh, cron_schedule="30 3 * * *"
        )
    ],
)
