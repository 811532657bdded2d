"""The company ids a seed may name, from the warehouse (read-only) and the landing zone.

A seed names a company by a company key (``co_...``), a CRM account Id, an
app account id (events groupId) or a Stripe customer id. A built warehouse
knows all of them (intermediate.int_company_identifiers and every key ever
issued, intermediate.int_company_key_lookup); the landing zone knows the
natural ids only (complete partitions of crm/accounts, billing/customers
and events/messages), so company keys can be checked only against a
warehouse. Both are used when both exist: an id is known if either knows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from c360 import landing

COMPANY_KEY_PREFIX = "co_"

_WAREHOUSE_SQL = """
select identifier_value from intermediate.int_company_identifiers
union
select issued_company_key from intermediate.int_company_key_lookup
"""

# (system, table, column) of the landing zone that hold company ids
_LANDING_COLUMNS = (
    ("crm", "accounts", "Id"),
    ("crm", "accounts", "App_Account_Id__c"),
    ("billing", "customers", "id"),
    ("events", "messages", "groupId"),
)


@dataclass
class KnownCompanies:
    ids: set[str] = field(default_factory=set)
    checked_against: list[str] = field(default_factory=list)  # what was read, in words
    not_read: list[str] = field(default_factory=list)  # what could not be, and why
    knows_company_keys: bool = False

    @property
    def can_check(self) -> bool:
        return bool(self.checked_against)

    def describe(self) -> str:
        if not self.checked_against:
            return "company ids NOT checked: " + "; ".join(self.not_read)
        text = "company ids checked against " + " and ".join(self.checked_against)
        return text + (f" ({'; '.join(self.not_read)})" if self.not_read else "")


def load_known_companies(warehouse: Path | None, raw_dir: Path | None) -> KnownCompanies:
    known = KnownCompanies()
    _read_warehouse(known, warehouse)
    _read_landing(known, raw_dir)
    return known


def _read_warehouse(known: KnownCompanies, warehouse: Path | None) -> None:
    if warehouse is None:
        known.not_read.append("no warehouse given")
        return
    if not warehouse.is_file():
        known.not_read.append(f"no warehouse at {warehouse}")
        return
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            rows = con.execute(_WAREHOUSE_SQL).fetchall()
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        known.not_read.append(f"the warehouse {warehouse} could not be read ({reason})")
        return
    ids = {value for (value,) in rows if value}
    known.ids |= ids
    known.knows_company_keys = True
    known.checked_against.append(f"the warehouse {warehouse} ({len(ids):,} ids)")


def _read_landing(known: KnownCompanies, raw_dir: Path | None) -> None:
    if raw_dir is None or not raw_dir.is_dir():
        known.not_read.append(f"no landing zone at {raw_dir}")
        return
    files: dict[tuple[str, str], list[str]] = {}
    for part in landing.scan(raw_dir):
        if part.status == landing.COMPLETE:
            files.setdefault((part.system, part.table_name), []).extend(part.files)
    found: set[str] = set()
    read_any = False
    with duckdb.connect() as con:
        for system, table, column in _LANDING_COLUMNS:
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
            found |= {value for (value,) in rows if value}
    if not read_any:
        known.not_read.append(f"no complete CRM, billing or events partitions in {raw_dir}")
        return
    known.ids |= found
    known.checked_against.append(f"the landing zone {raw_dir} ({len(found):,} ids)")
