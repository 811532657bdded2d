"""Salesforce CSV exports (Data Export or Bulk API) to ``crm/*`` rows.

Both write one CSV per object with the fields' API names as headers
(Data Export in capitals, e.g. ``ISDELETED``: headers match the contract's
names in any case when no exact match exists). Values are text: an empty
field is null, checkboxes are ``true``/``false`` or ``1``/``0``, numbers are
plain or scientific (``1.7095E7``), DateTime is ISO-8601 UTC
(``2026-03-04T10:11:12.000Z``; an offset such as ``+0000`` is converted) and
Date is ``YYYY-MM-DD``. Columns the contract does not name (``Owner.Name``,
custom fields) are ignored; a missing required column (``Id``,
``SystemModstamp``) stops the import naming the file.

Objects: Account, Contact, User, Opportunity, from ``--object`` or the
file's name (``Account.csv``, ``contacts-2026-03-04.csv``). All files of one
object land in one partition of ``--extract-date``, ``--mode`` incremental
(the records changed since the last export) or full (every record).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from c360 import spec
from c360.errors import C360Error
from c360.importers.batches import Mapped, Values
from c360.importers.csvfile import match_header, read_csv
from c360.importers.rejects import Reject, shown
from c360.importers.sources import input_files, shown_path
from c360.importers.values import (
    ValueProblem,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_sf_datetime,
    text_or_none,
)

OBJECTS: dict[str, str] = {
    "account": "crm/accounts",
    "contact": "crm/contacts",
    "user": "crm/users",
    "opportunity": "crm/opportunities",
}
_ALIASES = {
    "accounts": "account",
    "contacts": "contact",
    "users": "user",
    "opportunities": "opportunity",
}
_NAME_RE = re.compile(
    r"^(opportunities|opportunity|accounts|account|contacts|contact|users|user)(?![a-z])"
)
DATETIME_COLUMNS = frozenset({"CreatedDate", "LastModifiedDate", "SystemModstamp"})
DATE_COLUMNS = frozenset({"Contract_Signed_Date__c", "Onboarding_Completed_Date__c", "CloseDate"})

Parser = Callable[[str], object]


def object_name(text: str) -> str | None:
    """``Account``/``accounts``/... as the importer's object name, or None."""
    lowered = text.strip().lower()
    return _ALIASES.get(lowered, lowered if lowered in OBJECTS else None)


def object_of(path: Path, forced: str | None) -> spec.Table:
    """The table a file lands in: ``--object``, else its name."""
    if forced is not None:
        name = object_name(forced)
    else:
        match = _NAME_RE.match(path.name.lower())
        name = object_name(match.group(1)) if match else None
    if name is None:
        raise C360Error(
            f"{path}: which Salesforce object is it? Name the file Account.csv, Contact.csv, "
            "User.csv or Opportunity.csv, or pass --object"
        )
    return spec.table(OBJECTS[name])


def parser_for(column: spec.Column) -> Parser:
    if column.name in DATETIME_COLUMNS:
        return parse_sf_datetime
    if column.name in DATE_COLUMNS:
        return parse_date
    kinds: dict[str, Parser] = {
        "string": text_or_none,
        "int64": parse_int,
        "double": parse_float,
        "bool": parse_bool,
    }
    return kinds[str(column.arrow_type)]


def read_exports(
    paths: Sequence[Path],
    *,
    forced_object: str | None,
    extract_date: dt.date,
    mode: spec.Mode,
    on_file: Callable[[str, str, int, int, int], None],
) -> Mapped:
    """Every record of every CSV file; ``on_file(file, table, records, rejected, ignored
    columns)`` after each."""
    mapped = Mapped()
    for path in input_files(paths):
        table = object_of(path, forced_object)
        export = read_csv(path)
        positions = match_header(path, export.header, table.column_names, any_case=True)
        missing = [c for c in table.required_columns if c not in positions]
        if missing:
            raise C360Error(
                f"{path}: no {', '.join(missing)} column: a {table.name} export needs "
                f"{', '.join(table.required_columns)} (nothing was imported)"
            )
        parsers = {name: parser_for(c) for c in table.columns if (name := c.name) in positions}
        name = shown_path(path)
        mapped.touch(table, extract_date, mode)
        counts = mapped.counts_of(table)
        read0, rejected0 = counts.read, counts.rejected
        for record in export.records:
            line = str(record.line)
            if record.problem is not None:
                mapped.reject(table, [Reject(name, line, "", "", record.problem)])
                continue
            values: Values = {}
            problems: list[Reject] = []
            for column, parse in parsers.items():
                text = record.fields[positions[column]]
                try:
                    values[column] = parse(text)
                except ValueProblem as exc:
                    problems.append(Reject(name, line, column, shown(text), exc.reason))
            if problems:
                mapped.reject(table, problems)
            else:
                mapped.add(table, extract_date, mode, values, name, line)
        ignored = len(export.header) - len(positions)
        on_file(name, table.name, counts.read - read0, counts.rejected - rejected0, ignored)
    return mapped
