"""``c360 erase``: record an erasure request in the build file's ledger.

Only the identifier's keyed hash, its type, the key's id, the time and a
reason without personal data are stored. The request is applied by the next
``c360 refresh`` (docs/privacy.md). Exit 0 recorded, 1 refused (a reason
holding personal data, an unreadable key), 2 usage error, 4 the build file
is being written by a build or refresh (retry after it).
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb

from c360.errors import C360Error, WarehouseBusy
from c360.privacy import hashing, keys, ledger


@dataclass(frozen=True)
class Recorded:
    request_id: str
    is_new: bool
    people_found: int | None  # None: the build file has no identity tables yet


def read_identifier(value: str, stdin: TextIO) -> str:
    """The identifier, or the first line of stdin for ``-`` (keeps it out of shell
    history and process lists)."""
    text = stdin.readline() if value == "-" else value
    text = text.strip()
    if not text:
        raise C360Error("the identifier to erase is empty")
    return text


def identifier_hash(ring: keys.KeyRing, identifier_type: str, value: str) -> str:
    if identifier_type == "email":
        return hashing.email_hash(ring.current, value)
    return hashing.identifier_hash(ring.current, value)


def record(
    warehouse: Path,
    identifier_type: str,
    value: str,
    *,
    reason: str | None,
    purge_raw: bool,
    now: dt.datetime,
) -> Recorded:
    if identifier_type not in ledger.IDENTIFIER_TYPES:
        raise C360Error(f"unknown identifier type {identifier_type!r}")
    if identifier_type == "email" and "@" not in value:
        raise C360Error("--email: not an email address (no @)")
    reason = ledger.check_reason(reason, value)
    ring = keys.load(sys.stderr)
    digest = identifier_hash(ring, identifier_type, value)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(warehouse))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(
                f"{warehouse} is being written by a build or refresh; nothing was recorded,"
                " run c360 erase again after it"
            ) from None
        raise C360Error(f"{warehouse}: {str(exc).splitlines()[0]}") from None
    try:
        hashing.register_functions(con, ring)
        con.execute("begin transaction")
        request_id, is_new = ledger.add_request(
            con,
            identifier_type=identifier_type,
            identifier_hash=digest,
            key_id=keys.key_id(ring.current),
            reason=reason,
            purge_raw=purge_raw,
            now=now,
        )
        con.execute("commit")
        return Recorded(request_id, is_new, _people(con, identifier_type, digest))
    finally:
        con.close()


def _people(con: duckdb.DuckDBPyConnection, identifier_type: str, digest: str) -> int | None:
    """How many people of the current build the identifier names (a hint for the user)."""
    found = con.execute(
        "select count(*) from information_schema.tables where table_catalog = current_database()"
        " and table_schema = 'intermediate' and table_name = 'int_person_identifiers'"
    ).fetchone()
    if not found or not found[0]:
        return None
    if identifier_type == "person_key":
        sql = (
            "select count(distinct person_key) from intermediate.int_person_identifiers"
            " where c360_hash(trim(person_key)) = ?"
        )
        row = con.execute(sql, [digest]).fetchone()
    else:
        normalised = (
            "lower(trim(identifier_value))"
            if identifier_type == "email"
            else "trim(identifier_value)"
        )
        row = con.execute(
            "select count(distinct person_key) from intermediate.int_person_identifiers"
            f" where identifier_type = ? and c360_hash({normalised}) = ?",
            [identifier_type, digest],
        ).fetchone()
    return int(row[0]) if row else 0
