"""Read the export marts (schema ``personal``, build file only) and hash each row's traits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from c360.errors import C360Error, WarehouseBusy


@dataclass(frozen=True)
class Entity:
    """One exported mart: the file it becomes and the column that identifies a row."""

    name: str  # people, companies: the file's stem and ops.export_state.entity
    table: str  # schema.table in the warehouse
    key: str  # the row's id column


PEOPLE = Entity("people", "personal.export_person_traits", "person_key")
COMPANIES = Entity("companies", "personal.export_company_traits", "company_key")
ENTITIES = (PEOPLE, COMPANIES)


@dataclass
class ExportTable:
    """An export mart in memory: its columns and types, rows, and a traits hash per row."""

    entity: Entity
    columns: list[tuple[str, str]]
    rows: pa.Table
    hashes: list[str]

    def ids(self) -> list[str]:
        return [str(v) for v in self.rows.column(self.entity.key).to_pylist()]


def traits_hash(row: dict[str, Any]) -> str:
    """A stable hash of every value of a row (the same traits, the same hash, in any run)."""
    text = json.dumps(row, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def connect_read_only(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse, read-only; one-line errors when it is missing or a build holds it."""
    if not warehouse.is_file():
        raise C360Error(
            f"no warehouse at {warehouse}: build it first (c360 build) or set C360_WAREHOUSE"
        )
    try:
        return duckdb.connect(str(warehouse), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(
                f"warehouse {warehouse} is being written (a build or refresh holds it): "
                "export after it finishes"
            ) from None
        raise C360Error(f"cannot open warehouse {warehouse}: {exc}") from None


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    schema, name = table.split(".")
    rows = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()
    return [(str(c), str(t)) for c, t in rows]


def read_table(con: duckdb.DuckDBPyConnection, entity: Entity, warehouse: Path) -> ExportTable:
    """Every row of ``entity``'s mart, ordered by its id, with each row's traits hash."""
    columns = _columns(con, entity.table)
    if not columns:
        raise C360Error(
            f"warehouse {warehouse} has no {entity.table}: build the exports first "
            "(c360 build --select +export_person_traits +export_company_traits)"
        )
    rows = con.sql(f"select * from {entity.table} order by {entity.key}").to_arrow_table()
    hashes = [traits_hash(row) for row in rows.to_pylist()]
    return ExportTable(entity, columns, rows, hashes)
