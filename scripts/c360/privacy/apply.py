"""How a refresh applies erasure requests to the build file (docs/privacy.md).

Before the build (``resolve``): each pending request is matched, by keyed
hash, against the build's person identifiers; every identifier of the
people found (and the request's own) goes into ``privacy.erased_identifiers``
as a hash, the landed partitions holding their rows into
``privacy.erasure_partitions`` (the build reloads them), and their rows in
the person key registry become tombstones: the key stays, so it is never
issued again, the identifier is replaced by the request id. The rows of the
person in every table are counted.

After the build (``finish``): every table is searched again; what append-only
logs still hold of the person is deleted; anything left elsewhere fails the
refresh (nothing is published). The counts go to ``privacy.erasure_log`` and
the requests are marked applied.

Identifiers are compared by their keyed hashes inside DuckDB; no plain value
is written anywhere or leaves the database connection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from c360.errors import C360Error
from c360.privacy import ledger
from c360.privacy.tables import PERSON_TABLES, REDACTED_TABLES

# Columns that can hold a person's identifier, by name (any text column whose
# name contains one of these): searched before and after the build.
IDENTIFIER_COLUMN_MARKS = (
    "user_id",
    "anonymous_id",
    "previous_id",
    "email",
    "contact_id",
    "person_key",
    "identifier_value",
    "input_key",
    "old_value",
    "new_value",
    "current_value",
    "consent_subject_hash",
)
SEARCHED_SCHEMAS = ("staging", "intermediate", "marts", "personal", "ops", "snapshots")
# Append-only logs that keep what a build once saw: rows of an erased person are
# deleted from them after the build (the key registry's become tombstones first).
APPEND_ONLY_LOGS = (
    "intermediate.int_event_attribution_input_changes",
    "intermediate.int_feature_usage_input_changes",
    "ops.export_state",
)
REGISTRY = "intermediate.person_key_registry"
# Tables of keys only (issued, merged, split): an erased person's key stays in
# them as a tombstone, so that it is never issued again.
KEY_TABLES = (
    REGISTRY,
    "intermediate.person_key_merges",
    "intermediate.person_key_splits",
    "intermediate.int_person_key_lookup",
)


@dataclass
class Erasure:
    """What one refresh applies: the requests and the person's rows per table."""

    request_ids: list[str] = field(default_factory=list)
    people: int = 0
    rows_before: dict[str, int] = field(default_factory=dict)
    tombstones: int = 0
    purged_rows: dict[str, int] = field(default_factory=dict)  # system/table -> rows purged

    @property
    def active(self) -> bool:
        return bool(self.request_ids)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, table = qualified.split(".")
    row = con.execute(
        "select count(*) from information_schema.tables"
        " where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def _matches(value: str) -> str:
    """SQL: the keyed hashes (every key) of a value, as an identifier and as an email."""
    return f"list_concat(c360_hashes(trim({value})), c360_hashes(lower(trim({value}))))"


def _erased_hashes(request_ids: Iterable[str]) -> str:
    ids = ", ".join("'" + r.replace("'", "''") + "'" for r in request_ids)
    return (
        f"select identifier_hash from {ledger.SCHEMA}.erased_identifiers"
        f" where request_id in ({ids})"
    )


def resolve(
    con: duckdb.DuckDBPyConnection, requests: list[ledger.Request], now: dt.datetime
) -> Erasure:
    """Resolve pending requests, mark partitions for reload, tombstone the registry.

    Requests already resolved by an earlier run that did not finish are applied
    again as they are (their identifiers are in the ledger already).
    """
    done = Erasure(request_ids=[r.request_id for r in requests])
    if not requests:
        return done
    has_identity = _exists(con, "intermediate.int_person_identifiers")
    for request in requests:
        if request.status == "pending":
            done.people += _resolve_one(con, request, has_identity, now)
    hashes = _erased_hashes(done.request_ids)
    _mark_partitions(con, done.request_ids, hashes)
    done.rows_before = count_rows(con, hashes)
    done.tombstones = _tombstone_registry(con, done.request_ids, hashes)
    return done


def _resolve_one(
    con: duckdb.DuckDBPyConnection, request: ledger.Request, has_identity: bool, now: dt.datetime
) -> int:
    rid = request.request_id
    con.execute("begin transaction")
    con.execute(f"delete from {ledger.SCHEMA}.erased_identifiers where request_id = ?", [rid])
    con.execute(
        f"insert into {ledger.SCHEMA}.erased_identifiers values (?, ?, ?, ?)",
        [rid, request.identifier_type, request.identifier_hash, request.key_id],
    )
    people = 0
    if has_identity:
        # the people the request names: by one of their identifiers or by a key
        # they hold or once held (a merged key resolves to its survivor)
        lookup = (
            "intermediate.int_person_key_lookup"
            if _exists(con, "intermediate.int_person_key_lookup")
            else None
        )
        if request.identifier_type == "person_key":
            by_key = (
                f"select person_key from {lookup}"
                " where list_contains(c360_hashes(issued_person_key), $hash)"
                if lookup
                else "select person_key from intermediate.int_person_identifiers"
                " where list_contains(c360_hashes(person_key), $hash)"
            )
            named = by_key
        else:
            normalised = (
                "lower(trim(identifier_value))"
                if request.identifier_type == "email"
                else ("trim(identifier_value)")
            )
            named = (
                "select person_key from intermediate.int_person_identifiers"
                " where identifier_type = $type"
                f" and list_contains(c360_hashes({normalised}), $hash)"
            )
        con.execute(
            "create or replace temp table erased_people as"
            f" select distinct person_key from ({named})",
            {"hash": request.identifier_hash}
            if request.identifier_type == "person_key"
            else {"hash": request.identifier_hash, "type": request.identifier_type},
        )
        row = con.execute("select count(*) from erased_people").fetchone()
        people = int(row[0]) if row else 0
        keys = "(select person_key from erased_people)"
        issued = (
            f"select issued_person_key from {lookup} where person_key in {keys}"
            if lookup
            else "select person_key from erased_people"
        )
        con.execute(
            f"""insert into {ledger.SCHEMA}.erased_identifiers
            select distinct $rid, identifier_type, c360_hash(
                case when identifier_type = 'email' then lower(trim(identifier_value))
                     else trim(identifier_value) end), $key_id
            from intermediate.int_person_identifiers
            where person_key in {keys}
            union
            select distinct $rid, 'person_key', c360_hash(k), $key_id
            from ({issued} union select person_key from erased_people) as keys(k)""",
            {"rid": rid, "key_id": request.key_id},
        )
        con.execute("drop table erased_people")
    con.execute(
        f"update {ledger.SCHEMA}.erasure_requests set status = 'resolved', resolved_at = ?,"
        " people_found = ? where request_id = ?",
        [now, people, rid],
    )
    con.execute("commit")
    return people


def _base_match(columns: Iterable[str], hashes: str) -> str:
    return " or ".join(
        f"list_has_any({_matches(_q(c))}, (select list(identifier_hash) from ({hashes})))"
        for c in columns
    )


def _mark_partitions(con: duckdb.DuckDBPyConnection, request_ids: list[str], hashes: str) -> None:
    """The landed partitions holding the people's rows, for the build to reload."""
    ids = ", ".join("'" + r.replace("'", "''") + "'" for r in request_ids)
    con.execute(f"delete from {ledger.SCHEMA}.erasure_partitions where request_id in ({ids})")
    for table in (*PERSON_TABLES, *REDACTED_TABLES):
        base = f"staging.{table.base_model}"
        if not _exists(con, base):
            continue
        dates = [
            r[0]
            for r in con.execute(
                f"with ids as (select distinct extract_date,"
                f" {', '.join(_q(c) for c in table.base_columns)} from {base})"
                " select distinct extract_date from ids"
                f" where {_base_match(table.base_columns, hashes)}"
            ).fetchall()
        ]
        rows = [[rid, table.base_model, d] for rid in request_ids for d in dates]
        if rows:
            con.executemany(
                f"insert into {ledger.SCHEMA}.erasure_partitions values (?, ?, ?)", rows
            )


def _identifier_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    marks = " or ".join(f"column_name ilike '%{m}%'" for m in IDENTIFIER_COLUMN_MARKS)
    schemas = ", ".join(f"'{s}'" for s in SEARCHED_SCHEMAS)
    rows = con.execute(
        "select c.table_schema || '.' || c.table_name, c.column_name"
        " from information_schema.columns as c"
        " inner join information_schema.tables as t"
        " on t.table_catalog = c.table_catalog and t.table_schema = c.table_schema"
        " and t.table_name = c.table_name"
        f" where c.table_catalog = current_database() and c.table_schema in ({schemas})"
        f" and t.table_type = 'BASE TABLE' and c.data_type = 'VARCHAR' and ({marks})"
        " order by 1, 2"
    ).fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(str(table), []).append(str(column))
    return found


def count_rows(con: duckdb.DuckDBPyConnection, hashes: str) -> dict[str, int]:
    """Rows per table holding one of the erased identifiers (by keyed hash), in any
    identifier column; tables with none are left out."""
    counts: dict[str, int] = {}
    for table, columns in _identifier_columns(con).items():
        matched = _matched_values(con, table, columns, hashes)
        if not matched:
            continue
        where = " or ".join(f"{_q(c)} in (select v from erased_values)" for c in columns)
        con.execute("create or replace temp table erased_values (v varchar)")
        con.executemany("insert into erased_values values (?)", [[v] for v in matched])
        row = con.execute(f"select count(*) from {table} where {where}").fetchone()
        con.execute("drop table erased_values")
        if row and row[0]:
            counts[table] = int(row[0])
    return counts


def _matched_values(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str], hashes: str
) -> list[str]:
    """The distinct values of ``columns`` that hash to an erased identifier (held in
    memory only, to count and delete rows)."""
    union = " union ".join(f"select {_q(c)} as v from {table}" for c in columns)
    rows = con.execute(
        f"with vals as (select distinct v from ({union}) where v is not null)"
        f" select v from vals where list_has_any({_matches('v')},"
        f" (select list(identifier_hash) from ({hashes})))"
    ).fetchall()
    return [str(r[0]) for r in rows]


def _tombstone_registry(con: duckdb.DuckDBPyConnection, request_ids: list[str], hashes: str) -> int:
    """Registry rows of the people: identifier replaced by the request id, key kept."""
    if not _exists(con, REGISTRY):
        return 0
    matched = _matched_values(con, REGISTRY, ["identifier_value", "person_key"], hashes)
    if not matched:
        return 0
    tag = request_ids[0] if len(request_ids) == 1 else "+".join(sorted(request_ids))
    con.execute("create or replace temp table erased_values (v varchar)")
    con.executemany("insert into erased_values values (?)", [[v] for v in matched])
    con.execute(
        f"""update {REGISTRY} as registry
        set identifier_type = 'erased',
            identifier_value = $tag || ':' || numbered.n
        from (
            select rowid as rid, row_number() over (order by assigned_at, person_key, rowid) as n
            from {REGISTRY}
            where identifier_type <> 'erased'
                and (identifier_value in (select v from erased_values)
                     or person_key in (select v from erased_values))
        ) as numbered
        where registry.rowid = numbered.rid""",
        {"tag": tag},
    )
    row = con.execute(
        f"select count(*) from {REGISTRY} where identifier_type = 'erased'"
        " and starts_with(identifier_value, $tag)",
        {"tag": tag + ":"},
    ).fetchone()
    con.execute("drop table erased_values")
    return int(row[0]) if row else 0


def finish(
    con: duckdb.DuckDBPyConnection, erasure: Erasure, run_id: str, now: dt.datetime
) -> dict[str, int]:
    """After the build: clear the append-only logs, check nothing is left, log, mark applied.

    Returns the rows removed per table. Raises C360Error naming the tables that
    still hold the person (the requests stay resolved; the next refresh retries).
    """
    if not erasure.active:
        return {}
    hashes = _erased_hashes(erasure.request_ids)
    searched = _identifier_columns(con)
    for log in APPEND_ONLY_LOGS:
        if _exists(con, log):
            columns = searched.get(log, [])
            values = _matched_values(con, log, columns, hashes) if columns else []
            if values:
                con.execute("create or replace temp table erased_values (v varchar)")
                con.executemany("insert into erased_values values (?)", [[v] for v in values])
                where = " or ".join(f"{_q(c)} in (select v from erased_values)" for c in columns)
                con.execute(f"delete from {log} where {where}")
                con.execute("drop table erased_values")
    left = {t: n for t, n in count_rows(con, hashes).items() if t not in KEY_TABLES}
    if left:
        listed = ", ".join(f"{t} ({n:,} rows)" for t, n in sorted(left.items()))
        raise C360Error(
            f"erasure {', '.join(erasure.request_ids)} is incomplete: {listed} still hold the"
            " person; nothing was published, the next refresh tries again"
        )
    con.execute("begin transaction")
    for rid in erasure.request_ids:
        _insert_log(
            con, [[rid, run_id, now, "build", t, n] for t, n in erasure.rows_before.items()]
        )
        con.execute(
            f"update {ledger.SCHEMA}.erasure_requests set status = 'applied', applied_at = ?,"
            " applied_run_id = ? where request_id = ?",
            [now, run_id, rid],
        )
    con.execute("commit")
    return dict(erasure.rows_before)


def log_purge(
    con: duckdb.DuckDBPyConnection,
    request_ids: list[str],
    run_id: str,
    now: dt.datetime,
    purged: dict[str, int],
) -> None:
    _insert_log(
        con, [[rid, run_id, now, "raw", t, n] for rid in request_ids for t, n in purged.items()]
    )


def _insert_log(con: duckdb.DuckDBPyConnection, rows: list[list[object]]) -> None:
    if rows:
        con.executemany(
            f"insert into {ledger.SCHEMA}.erasure_log values (?, ?, ?, ?, ?, ?)",
            sorted(rows, key=lambda r: (str(r[0]), str(r[3]), str(r[4]))),
        )


def purged_rows(con: duckdb.DuckDBPyConnection, request_ids: list[str]) -> dict[str, int]:
    """Rows the open requests removed from the landing zone (this run or an earlier one
    that did not finish), per system/table: the landing guard does not call it a shrink.
    Billing customers keep their rows (only the email goes)."""
    if not request_ids:
        return {}
    ids = ", ".join("'" + r.replace("'", "''") + "'" for r in request_ids)
    rows = con.execute(
        f"select table_name, sum(rows_removed) from {ledger.SCHEMA}.erasure_log"
        f" where stage = 'raw' and request_id in ({ids}) and table_name <> 'billing/customers'"
        " group by table_name"
    ).fetchall()
    return {str(t): int(n) for t, n in rows}
