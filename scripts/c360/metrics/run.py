"""``c360 metrics``: list the metrics, their dimensions, and query them."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from c360.analytics_target import analytics_path
from c360.metrics.layer import MetricTable, SemanticLayer, parse_semantic_layer
from c360.metrics.output import write_csv, write_table
from c360.progress import Progress


def open_layer(project: Path, progress: Progress) -> SemanticLayer:
    """Parse the semantic layer under the analytics target and open it on the analytics file."""
    analytics = analytics_path(project)
    started = time.perf_counter()
    manifest = parse_semantic_layer(project, analytics)
    took = time.perf_counter() - started
    progress.line(f"dbt parse: semantic layer on {analytics} ({took:.1f}s)")
    return SemanticLayer(manifest, analytics)


def run_list(project: Path, progress: Progress) -> int:
    layer = open_layer(project, progress)
    try:
        for metric in layer.metrics():
            print(f"{metric.name}\t{metric.label}\t{metric.type}\t{metric.description}")
    finally:
        layer.close()
    return 0


def run_dimensions(project: Path, metrics: Sequence[str], progress: Progress) -> int:
    layer = open_layer(project, progress)
    try:
        for name in layer.dimensions(metrics):
            print(name)
    finally:
        layer.close()
    return 0


def run_query(
    project: Path,
    *,
    metrics: Sequence[str],
    group_by: Sequence[str],
    where: Sequence[str],
    order_by: Sequence[str],
    limit: int | None,
    csv_path: Path | None,
    explain: bool,
    progress: Progress,
) -> int:
    layer = open_layer(project, progress)
    try:
        with progress.stage("query") as stage:
            table: MetricTable = layer.query(
                metrics, group_by, where, order_by or list(group_by), limit
            )
            stage.rows = len(table.rows)
            stage.detail = ", ".join(metrics)
    finally:
        layer.close()
    if explain:
        print(table.sql, file=sys.stdout)
    if csv_path is not None:
        write_csv(table, csv_path)
        progress.line(f"wrote {csv_path}")
    else:
        write_table(table, sys.stdout)
    return 0
