"""A MetricFlow SQL client on DuckDB that reads the analytics file read-only.

MetricFlow's own client goes through a dbt adapter; this one opens an
in-memory DuckDB, attaches the analytics file read-only as ``analytics``
(the database the semantic manifest names under the analytics target) and
runs MetricFlow's SQL on it. It never writes and never takes a lock.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from metricflow.data_table.mf_table import MetricFlowDataTable
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet

from c360.errors import C360Error

DATABASE = "analytics"
NO_PARAMETERS = SqlBindParameterSet()


class ReadOnlyDuckDbClient:
    """SqlClient (metricflow.protocols.sql_client) over one read-only attachment."""

    def __init__(self, analytics: Path) -> None:
        self._connection = duckdb.connect(":memory:")
        self._connection.execute("set TimeZone = 'UTC'")
        quoted = str(analytics).replace("'", "''")
        try:
            self._connection.execute(f"attach '{quoted}' as {DATABASE} (read_only)")
        except duckdb.Error as exc:
            self._connection.close()
            raise C360Error(f"cannot open {analytics} read-only: {exc}") from None
        self._renderer = DuckDbSqlPlanRenderer()

    @property
    def sql_engine_type(self) -> SqlEngine:
        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return self._renderer

    def query(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS
    ) -> MetricFlowDataTable:
        self._refuse_parameters(sql_bind_parameter_set)
        try:
            cursor = self._connection.execute(stmt)
            names = [column[0] for column in cursor.description or []]
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise C360Error(f"metric query failed in DuckDB: {str(exc).splitlines()[0]}") from None
        return MetricFlowDataTable.create_from_rows(column_names=names, rows=rows)

    def execute(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS
    ) -> None:
        self._refuse_parameters(sql_bind_parameter_set)
        self._connection.execute(stmt)

    def dry_run(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = NO_PARAMETERS
    ) -> None:
        self._refuse_parameters(sql_bind_parameter_set)
        self._connection.execute(f"explain {stmt}")

    def close(self) -> None:
        self._connection.close()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"

    @staticmethod
    def _refuse_parameters(parameters: SqlBindParameterSet) -> None:
        if parameters.param_dict:
            raise C360Error("metric queries with bind parameters are not supported")
