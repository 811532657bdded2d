"""``c360 docs``: dbt's documentation site as one self-contained HTML file.

``dbt docs generate --static`` under the analytics target: the catalog (column
types) comes from the published analytics file, attached read-only, so the
site can be built while a refresh runs. Descriptions, lineage and the
semantic layer's metrics come from the project itself.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from c360.analytics_target import analytics_path, run_dbt
from c360.errors import C360Error
from c360.progress import Progress

TARGET_PATH = Path("target") / "docs"
STATIC_PAGE = "static_index.html"


def default_output(analytics: Path) -> Path:
    """``docs/index.html`` beside the analytics file (warehouse/docs/index.html by default)."""
    return analytics.parent / "docs" / "index.html"


def build_docs(project: Path, out: Path | None, progress: Progress) -> Path:
    """Generate the site and write it to ``out`` (in one rename); its path."""
    analytics = analytics_path(project)
    destination = (out or default_output(analytics)).resolve()
    target = project / TARGET_PATH
    started = time.perf_counter()
    # parse writes the manifest; generate adds the catalog without compiling
    # (compiling would query the build file's schemas, absent here)
    run_dbt(project, analytics, target, ["parse"])
    run_dbt(project, analytics, target, ["docs", "generate", "--static", "--no-compile"])
    page = target / STATIC_PAGE
    if not page.is_file():
        raise C360Error(f"dbt docs generate wrote no {page}")
    took = time.perf_counter() - started
    progress.line(f"dbt docs generate: catalog from {analytics} ({took:.1f}s)")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        shutil.copyfile(page, partial)
        os.replace(partial, destination)
    except OSError as exc:
        raise C360Error(f"{destination}: cannot write it: {exc.strerror or exc}") from None
    progress.line(f"wrote {destination} ({destination.stat().st_size / 1e6:.1f} MB)")
    return destination
