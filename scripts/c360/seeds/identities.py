"""The identifiers seeds/identity_overrides.csv may name, from the warehouse (read-only) and
the landing zone.

An override names an identifier of the identity graph by entity, type and
value: a company's ``crm_account_id``, ``app_account_id`` or
``billing_customer_id``, a person's ``user_id``, ``crm_contact_id`` or
``email`` (compared trimmed and lower-cased, as the person graph holds it).
A built warehouse knows all of them (intermediate.int_company_identifiers,
intermediate.int_person_identifiers); the landing zone knows those its
complete partitions show in the columns below. An identifier is known if
either knows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from c360 import landing

COMPANY_TYPES = ("crm_account_id", "app_account_id", "billing_customer_id")
PERSON_TYPES = ("user_id", "crm_contact_id", "email")
TYPES_BY_ENTITY = {"company": COMPANY_TYPES, "person": PERSON_TYPES}

Identifier = tuple[str, str, str]  # entity, identifier type, value

_WAREHOUSE_SQL = """
select 'company', identifier_type, identifier_value from intermediate.int_company_identifiers
union
select 'person', identifier_type, identifier_value from intermediate.int_person_identifiers
"""

# (system, table, column) -> (entity, identifier type) of the landing zone's identifiers
_LANDING_COLUMNS = {
    ("crm", "accounts", "Id"): ("company", "crm_account_id"),
    ("crm", "accounts", "App_Account_Id__c"): ("company", "app_account_id"),
    ("events", "messages", "groupId"): ("company", "app_account_id"),
    ("billing", "customers", "id"): ("company", "billing_customer_id"),
    ("crm", "contacts", "Id"): ("person", "crm_contact_id"),
    ("crm", "contacts", "App_User_Id__c"): ("person", "user_id"),
    ("crm", "contacts", "Email"): ("person", "email"),
    ("events", "messages", "userId"): ("person", "user_id"),
    ("billing", "customers", "email"): ("person", "email"),
}


def normalise(identifier_type: str, value: str) -> str:
    """The value as the identity graph holds it (emails trimmed and lower-cased)."""
    return value.strip().lower() if identifier_type == "email" else value


@dataclass
class KnownIdentifiers:
    ids: set[Identifier] = field(default_factory=set)
    checked_against: list[str] = field(default_factory=list)  # what was read, in words
    not_read: list[str] = field(default_factory=list)  # what could not be, and why

    @property
    def can_check(self) -> bool:
        return bool(self.checked_against)

    def describe(self) -> str:
        if not self.checked_against:
            return "identifiers NOT checked: " + "; ".join(self.not_read)
        text = "identifiers checked against " + " and ".join(self.checked_against)
        return text + (f" ({'; '.join(self.not_read)})" if self.not_read else "")


def load_known_identifiers(warehouse: Path | None, raw_dir: Path | None) -> KnownIdentifiers:
    known = KnownIdentifiers()
    _read_warehouse(known, warehouse)
    _read_landing(known, raw_dir)
    return known


def _read_warehouse(known: KnownIdentifiers, warehouse: Path | None) -> None:
    if warehouse is None or not warehouse.is_file():
        known.not_read.append(f"no warehouse at {warehouse}")
        return
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            rows = con.execute(_WAREHOUSE_SQL).fetchall()
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        known.not_read.append(f"the warehouse {warehouse} could not be read ({reason})")
        return
    ids = {(str(e), str(t), normalise(str(t), str(v))) for e, t, v in rows if v}
    known.ids |= ids
    known.checked_against.append(f"the warehouse {warehouse} ({len(ids):,} identifiers)")


def _read_landing(known: KnownIdentifiers, raw_dir: Path | None) -> None:
    if raw_dir is None or not raw_dir.is_dir():
        known.not_read.append(f"no landing zone at {raw_dir}")
        return
    files: dict[tuple[str, str], list[str]] = {}
    for part in landing.scan(raw_dir):
        if part.status == landing.COMPLETE:
            files.setdefault((part.system, part.table_name), []).extend(part.files)
    found: set[Identifier] = set()
    read_any = False
    with duckdb.connect() as con:
        for (system, table, column), (entity, kind) in _LANDING_COLUMNS.items():
            paths = files.get((system, table))
            if not paths:
                continue
            try:
                rows = con.execute(
                    f'select distinct cast("{column}" as varchar) from read_parquet(?, '
                    "union_by_name = true)",
                    [paths],
                ).fetchall()
            except duckdb.Error:  # a column no file has: nothing to learn from it
                continue
            read_any = True
            found |= {(entity, kind, normalise(kind, value)) for (value,) in rows if value}
    if not read_any:
        known.not_read.append(f"no complete CRM, billing or events partitions in {raw_dir}")
        return
    known.ids |= found
    known.checked_against.append(f"the landing zone {raw_dir} ({len(found):,} identifiers)")
