"""Stripe export files, JSON or CSV, to ``billing/*`` rows of one extract date.

A file whose text starts with ``{`` or ``[`` is JSON (``c360.importers.stripe``),
anything else CSV (``c360.importers.stripe_csv``). Each JSON object lands in
the table of its ``object``; a CSV file holds one object, named by
``--object`` or by the file's name (``customers.csv``,
``unified_customers.csv``, ``prices-2026-03-04.csv``). Every table read gets
a partition, an empty one when its file had no rows: a full extract with no
rows says that nothing exists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from c360 import spec
from c360.errors import C360Error
from c360.importers.batches import Mapped
from c360.importers.csvfile import read_csv
from c360.importers.rejects import Reject, shown
from c360.importers.sources import input_files, read_text, shown_path
from c360.importers.stripe import OBJECTS, flatten, object_name, parse_document
from c360.importers.stripe_csv import flatten_record, layout

_NAME_RE = re.compile(
    r"(?:^|[^a-z])(customers|customer|subscriptions|subscription|products|product|prices|price"
    r"|invoices|invoice)(?![a-z])"
)


def mode_of(table: spec.Table) -> spec.Mode:
    """Billing tables land one mode each: invoices incremental, the others full."""
    return table.modes[0]


def _table(name: str) -> spec.Table:
    return spec.table(OBJECTS[name])


def read_exports(
    paths: Sequence[Path],
    *,
    forced_object: str | None,
    extract_date: dt.date,
    on_file: Callable[[str, dict[str, int], int], None],
) -> Mapped:
    """Every object of every file; ``on_file(file, rows per table, rejected)`` after each."""
    mapped = Mapped()
    forced = object_name(forced_object) if forced_object is not None else None
    if forced_object is not None and forced is None:
        raise C360Error(f"--object {forced_object!r}: not one of {', '.join(OBJECTS)}")
    for path in input_files(paths):
        before = {n: (c.read, c.rejected) for n, c in mapped.counts.items()}
        text = read_text(path)
        if text.lstrip()[:1] in ("{", "["):
            _json_file(mapped, path, text, forced, extract_date)
        else:
            _csv_file(mapped, path, forced, extract_date)
        read = {
            n: c.read - before.get(n, (0, 0))[0]
            for n, c in mapped.counts.items()
            if c.read - before.get(n, (0, 0))[0] or n not in before
        }
        rejected = sum(c.rejected - before.get(n, (0, 0))[1] for n, c in mapped.counts.items())
        on_file(shown_path(path), read, rejected)
    return mapped


def _json_file(
    mapped: Mapped, path: Path, text: str, forced: str | None, extract_date: dt.date
) -> None:
    name = shown_path(path)
    try:
        document = parse_document(text)
    except ValueError as exc:
        raise C360Error(f"{path}: {exc} (nothing was imported)") from None
    listed = document.url_object or forced
    if listed is not None:
        mapped.touch(_table(listed), extract_date, mode_of(_table(listed)))
    for item in document.items:
        value = item.value
        default = forced or document.url_object
        kind = value.get("object") if isinstance(value, Mapping) else None
        known = object_name(kind) if isinstance(kind, str) else None
        if known is None and default is None:
            # no table to count it in, so no reject line: stop before anything lands
            raise C360Error(
                f"{path}: {item.where} is not a Stripe {', '.join(OBJECTS)} object "
                f"(its object is {kind!r}); pass --object for objects without one "
                "(nothing was imported)"
            )
        table = _table(known or str(default))
        if isinstance(value, ValueError) or not isinstance(value, Mapping):
            reason = str(value) if isinstance(value, ValueError) else "not a JSON object"
            mapped.reject(table, [Reject(name, item.where, "", shown(value), reason)])
        elif isinstance(kind, str) and known is None:
            reason = f"a {kind} object: c360 import stripe lands {', '.join(OBJECTS)}"
            mapped.reject(table, [Reject(name, item.where, "object", kind, reason)])
        elif forced is not None and known is not None and known != forced:
            reason = f"--object says {forced}"
            mapped.reject(table, [Reject(name, item.where, "object", str(kind), reason)])
        else:
            row = flatten(_object_of(table), value, name, item.where)
            if row.problems:
                mapped.reject(table, row.problems)
            else:
                mapped.add(table, extract_date, mode_of(table), row.values, name, item.where)


def _object_of(table: spec.Table) -> str:
    return next(o for o, t in OBJECTS.items() if t == table.name)


def _csv_file(mapped: Mapped, path: Path, forced: str | None, extract_date: dt.date) -> None:
    if forced is None:
        match = _NAME_RE.search(path.name.lower())
        found = object_name(match.group(1)) if match else None
    else:
        found = forced
    if found is None:
        raise C360Error(
            f"{path}: which Stripe object is it? Name the file customers.csv, "
            "subscriptions.csv, products.csv, prices.csv or invoices.csv, or pass --object"
        )
    table = _table(found)
    export = read_csv(path)
    shape = layout(path, table, export.header)
    name = shown_path(path)
    mapped.touch(table, extract_date, mode_of(table))
    for record in export.records:
        line = str(record.line)
        if record.problem is not None:
            mapped.reject(table, [Reject(name, line, "", "", record.problem)])
            continue
        row = flatten_record(table, shape, record.fields, name, line)
        if row.problems:
            mapped.reject(table, row.problems)
        else:
            mapped.add(table, extract_date, mode_of(table), row.values, name, line)
