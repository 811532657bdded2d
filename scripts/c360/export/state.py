"""What was exported where: ``ops.export_state`` in the warehouse, one row per destination,
format, entity and id, with the traits hash last sent.

The export reads the warehouse read-only; only this step opens it for
writing, at the end, after the files are renamed into place, and holds the
writer lock for one small transaction. It is a table the CLI creates, never
a dbt model (a build leaves it alone; a refresh publishes it with ``ops``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from c360.errors import C360Error, WarehouseBusy

STATE_TABLE = "ops.export_state"
STATE_DDL = f"""
create table if not exists {STATE_TABLE} (
    destination varchar not null,
    format varchar not null,
    entity varchar not null,
    id varchar not null,
    traits_hash varchar not null,
    exported_at timestamp not null,
    primary key (destination, format, entity, id)
)
"""


def read_state(
    con: duckdb.DuckDBPyConnection, destination: str, file_format: str, entity: str
) -> dict[str, str]:
    """id -> traits hash of the previous exports to this destination and format (empty if none)."""
    exists = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'ops' and table_name = 'export_state'"
    ).fetchall()
    if exists[0][0] == 0:
        return {}
    rows = con.execute(
        f"select id, traits_hash from {STATE_TABLE}"
        " where destination = ? and format = ? and entity = ?",
        [destination, file_format, entity],
    ).fetchall()
    return {str(i): str(h) for i, h in rows}


def save_state(
    warehouse: Path,
    destination: str,
    file_format: str,
    exported: dict[str, tuple[Sequence[str], Sequence[str], Sequence[str]]],
    exported_at: dt.datetime,
) -> None:
    """Record an export: per entity (current ids, written ids, their hashes).

    Written rows get their new hash and ``exported_at``; ids no longer
    exported (deleted, merged away) are dropped, so they would be sent
    again if they came back.
    """
    try:
        con = duckdb.connect(str(warehouse))
    except duckdb.IOException as exc:
        message = (
            f"files written, but export state not saved in {warehouse}: {{}}; "
            "the next --changed-since-last export sends these rows again"
        )
        if "lock" in str(exc).lower():
            raise WarehouseBusy(message.format("a build or refresh is writing it")) from None
        raise C360Error(message.format(str(exc).splitlines()[0])) from None
    try:
        con.execute("create schema if not exists ops")
        con.execute(STATE_DDL)
        con.execute("begin transaction")
        for entity, (current, written, hashes) in exported.items():
            con.register("current_ids", pa.table({"id": pa.array(list(current), pa.string())}))
            con.register(
                "written_rows",
                pa.table(
                    {
                        "id": pa.array(list(written), pa.string()),
                        "traits_hash": pa.array(list(hashes), pa.string()),
                    }
                ),
            )
            key = [destination, file_format, entity]
            con.execute(
                f"delete from {STATE_TABLE} where destination = ? and format = ? and entity = ?"
                " and (id not in (select id from current_ids)"
                " or id in (select id from written_rows))",
                key,
            )
            con.execute(
                f"insert into {STATE_TABLE} select ?, ?, ?, id, traits_hash, ? from written_rows",
                [*key, exported_at],
            )
            con.unregister("current_ids")
            con.unregister("written_rows")
        con.execute("commit")
    finally:
        con.close()
