"""Which customer360 project a command works on, found the way dbt finds one.

In order: ``--project-dir``, else ``$C360_PROJECT_DIR``, else the current
directory or its nearest parent that holds ``dbt_project.yml``. Never the
checkout c360 happens to be installed from: a venv made in one copy of the
repo works on whichever copy you stand in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from c360.errors import C360Error

PROJECT_FILE = "dbt_project.yml"
PROJECT_DIR_ENV = "C360_PROJECT_DIR"


def find_project(
    explicit: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Path:
    """The project folder (resolved); a one-line C360Error when there is none."""
    env = os.environ if environ is None else environ
    here = (cwd if cwd is not None else Path.cwd()).resolve()
    if explicit is not None:
        return _holding_project(here / explicit, "--project-dir")
    from_env = env.get(PROJECT_DIR_ENV) or None
    if from_env is not None:
        return _holding_project(here / from_env, PROJECT_DIR_ENV)
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise C360Error(
        f"no {PROJECT_FILE} in {here} or any folder above it: run c360 inside a customer360 "
        f"project, or name one with --project-dir or {PROJECT_DIR_ENV}"
    )


def _holding_project(folder: Path, named_by: str) -> Path:
    folder = folder.resolve()
    if not (folder / PROJECT_FILE).is_file():
        raise C360Error(
            f"{named_by} {folder}: no {PROJECT_FILE} there; name the folder of a customer360 "
            "project (the one holding dbt_project.yml)"
        )
    return folder
