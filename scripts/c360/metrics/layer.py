"""Metrics defined once: parse the semantic layer, answer metric queries with MetricFlow.

The semantic manifest is written by ``dbt parse`` under the analytics target
(into ``target/metrics/``), so every relation it names is
``analytics.marts.<mart>``, the published analytics file attached read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow_semantics.model.dbt_manifest_parser import (
    parse_manifest_from_dbt_generated_manifest,
)
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

from c360.analytics_target import run_dbt
from c360.errors import C360Error
from c360.metrics.client import ReadOnlyDuckDbClient

TARGET_PATH = Path("target") / "metrics"

Cell = Decimal | float | str | dt.datetime | bool | None


@dataclass(frozen=True)
class MetricInfo:
    """One metric as the semantic layer defines it."""

    name: str
    label: str
    type: str
    description: str


@dataclass(frozen=True)
class MetricTable:
    """A metric query's answer: column names, rows, and the SQL MetricFlow ran."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    sql: str


def parse_semantic_layer(project: Path, analytics: Path) -> Path:
    """``dbt parse`` under the analytics target; the semantic manifest's path."""
    target = project / TARGET_PATH
    run_dbt(project, analytics, target, ["parse"])
    manifest = target / "semantic_manifest.json"
    if not manifest.is_file():
        raise C360Error(f"dbt parse wrote no semantic manifest at {manifest}")
    return manifest


class SemanticLayer:
    """A MetricFlow engine over the analytics file; close() when done."""

    def __init__(self, manifest: Path, analytics: Path) -> None:
        parsed = parse_manifest_from_dbt_generated_manifest(manifest.read_text(encoding="utf-8"))
        self._client = ReadOnlyDuckDbClient(analytics)
        self._engine = MetricFlowEngine(SemanticManifestLookup(parsed), self._client)

    def metrics(self) -> list[MetricInfo]:
        """Every metric, by name."""
        found = self._engine.list_metrics(include_dimensions=False)
        return sorted(
            (
                MetricInfo(
                    name=metric.name,
                    label=metric.label or metric.name,
                    type=str(metric.type.value),
                    description=" ".join((metric.description or "").split()),
                )
                for metric in found
            ),
            key=lambda info: info.name,
        )

    def dimensions(self, metrics: Sequence[str]) -> list[str]:
        """The dimensions the metrics can be grouped by (``entity__dimension`` names)."""
        found = self._engine.list_dimensions(metric_names=list(metrics))
        return sorted({dimension.dunder_name for dimension in found})

    def query(
        self,
        metrics: Sequence[str],
        group_by: Sequence[str] = (),
        where: Sequence[str] = (),
        order_by: Sequence[str] = (),
        limit: int | None = None,
    ) -> MetricTable:
        """Run one metric query; C360Error with MetricFlow's reason when it is invalid."""
        request = MetricFlowQueryRequest.create(
            metric_names=list(metrics),
            group_by_names=list(group_by) or None,
            where_constraints=list(where) or None,
            order_by_names=list(order_by) or None,
            limit=limit,
        )
        try:
            result = self._engine.query(request)
        except C360Error:
            raise
        except Exception as exc:  # MetricFlow's query errors have no common base
            reason = " ".join(str(exc).split())
            raise C360Error(f"metric query refused: {reason[:400]}") from None
        table = result.result_df
        if table is None:  # pragma: no cover - only when writing to an output table
            raise C360Error("MetricFlow returned no result table")
        return MetricTable(
            columns=tuple(table.column_names),
            rows=tuple(tuple(row) for row in table.rows),
            sql=result.sql,
        )

    def close(self) -> None:
        self._client.close()
