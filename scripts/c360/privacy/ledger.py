"""The erasure ledger: schema ``privacy`` of the build file, outside dbt.

dbt never creates, rebuilds or drops these tables (an on-run-start hook only
creates them empty when missing), so requests survive ``--full-refresh``.
They hold hashes, request ids, times and counts, never an identifier in
plain text:

- ``erasure_requests``: one row per request (the identifier's keyed hash,
  its type, the key's id, a reason without personal data, whether the raw
  files are purged too, and where it stands: pending -> resolved -> applied).
- ``erased_identifiers``: every identifier of the person found when the
  request was resolved, hashed; the base models withhold any row that
  carries one, in every later load.
- ``erasure_partitions``: the landed partitions that held the person's rows
  when the request was resolved; the next build reloads them.
- ``erasure_log``: per request and table, the rows removed (and the raw
  rows purged).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

import duckdb

from c360.errors import C360Error

SCHEMA = "privacy"
IDENTIFIER_TYPES = ("email", "user_id", "person_key")

DDL = (
    f"create schema if not exists {SCHEMA}",
    f"""create table if not exists {SCHEMA}.erasure_requests (
        request_id varchar not null primary key,
        requested_at timestamp not null,
        identifier_type varchar not null,
        identifier_hash varchar not null,
        key_id varchar not null,
        reason varchar,
        purge_raw boolean not null,
        status varchar not null,
        resolved_at timestamp,
        applied_at timestamp,
        applied_run_id varchar,
        people_found integer
    )""",
    f"""create table if not exists {SCHEMA}.erased_identifiers (
        request_id varchar not null,
        identifier_type varchar not null,
        identifier_hash varchar not null,
        key_id varchar not null
    )""",
    f"""create table if not exists {SCHEMA}.erasure_partitions (
        request_id varchar not null,
        base_model varchar not null,
        extract_date date not null
    )""",
    f"""create table if not exists {SCHEMA}.erasure_log (
        request_id varchar not null,
        run_id varchar not null,
        logged_at timestamp not null,
        stage varchar not null,
        table_name varchar not null,
        rows_removed bigint not null
    )""",
)

_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+")


@dataclass(frozen=True)
class Request:
    request_id: str
    identifier_type: str
    identifier_hash: str
    key_id: str
    purge_raw: bool
    status: str


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    for statement in DDL:
        con.execute(statement)


def check_reason(reason: str | None, identifier: str) -> str | None:
    """A reason is for the audit trail (a ticket number): never the person's data."""
    if reason is None or not reason.strip():
        return None
    text = reason.strip()
    if _EMAIL_LIKE.search(text) or identifier.strip().lower() in text.lower():
        raise C360Error(
            "--reason must not hold personal data (it holds an email or the identifier);"
            " give a ticket or case number instead"
        )
    return text


def add_request(
    con: duckdb.DuckDBPyConnection,
    *,
    identifier_type: str,
    identifier_hash: str,
    key_id: str,
    reason: str | None,
    purge_raw: bool,
    now: dt.datetime,
) -> tuple[str, bool]:
    """Record a request; (request id, whether it is new). The same identifier asked
    again reuses the open request (adding --purge-raw to it when asked)."""
    ensure(con)
    found = con.execute(
        f"select request_id, purge_raw, status from {SCHEMA}.erasure_requests"
        " where identifier_type = ? and identifier_hash = ? order by requested_at desc limit 1",
        [identifier_type, identifier_hash],
    ).fetchone()
    if found is not None and (found[2] != "applied" or not purge_raw or found[1]):
        if purge_raw and not found[1]:
            con.execute(
                f"update {SCHEMA}.erasure_requests set purge_raw = true where request_id = ?",
                [found[0]],
            )
        return str(found[0]), False
    request_id = "er_" + now.strftime("%Y%m%d") + "_" + secrets.token_hex(4)
    con.execute(
        f"insert into {SCHEMA}.erasure_requests values (?, ?, ?, ?, ?, ?, ?, 'pending',"
        " null, null, null, null)",
        [request_id, now, identifier_type, identifier_hash, key_id, reason, purge_raw],
    )
    return request_id, True


def open_requests(con: duckdb.DuckDBPyConnection) -> list[Request]:
    """Requests not yet applied, oldest first (empty when there is no ledger)."""
    if not has_ledger(con):
        return []
    rows = con.execute(
        f"select request_id, identifier_type, identifier_hash, key_id, purge_raw, status"
        f" from {SCHEMA}.erasure_requests where status <> 'applied'"
        " order by requested_at, request_id"
    ).fetchall()
    return [Request(str(a), str(b), str(c), str(d), bool(e), str(f)) for a, b, c, d, e, f in rows]


def has_ledger(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables"
        " where table_catalog = current_database() and table_schema = ?"
        " and table_name = 'erasure_requests'",
        [SCHEMA],
    ).fetchone()
    return bool(row and row[0])
