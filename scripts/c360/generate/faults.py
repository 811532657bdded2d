"""``--faults``: land, on top of a clean landing zone, every bad thing the spec names.

- a partition without a manifest (still being written),
- a partition whose manifest count does not match its Parquet rows,
- a file that is not readable Parquet,
- schema drift: an added column (harmless) and a required column missing,
- bad rows inside otherwise good partitions: null keys, unparseable timestamps,
  an out-of-range score, an unknown currency, invalid JSON.

New broken partitions are dated the day after the window, so none of them
replaces a good one; bad rows are appended to the middle day's partitions
(with a manifest that counts them, since they did arrive).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from c360 import spec
from c360.generate.config import GenerateConfig
from c360.generate.writer import LandingWriter


def _read_partition(writer: LandingWriter, table: spec.Table, day: dt.date) -> pa.Table:
    part_dir = writer.partition_dir(table, day)
    return pa.concat_tables([pq.read_table(p) for p in sorted(part_dir.glob("part-*.parquet"))])


def _row(table: spec.Table, template: dict[str, object], **values: object) -> pa.Table:
    data = {**template, **values}
    return pa.Table.from_pylist([data], schema=table.arrow_schema())


def _append_rows(
    writer: LandingWriter, table: spec.Table, day: dt.date, bad: list[dict[str, object]]
) -> None:
    good = _read_partition(writer, table, day)
    template = good.slice(0, 1).to_pylist()[0] if good.num_rows else {}
    extra = pa.concat_tables([_row(table, template, **values) for values in bad])
    manifest = json.loads((writer.partition_dir(table, day) / spec.MANIFEST_NAME).read_text())
    writer.write(
        table,
        day,
        manifest["mode"],
        pa.concat_tables([good, extra]),
        extracted=manifest["extracted_at"],
    )


def land_faults(writer: LandingWriter, cfg: GenerateConfig) -> list[str]:
    """Write the faults; returns one line per fault for the progress report."""
    after = cfg.end_date + dt.timedelta(days=1)
    middle = cfg.start_date + dt.timedelta(days=cfg.days // 2)
    last = cfg.end_date
    done: list[str] = []
    events = spec.table("events/messages")

    # 1. a partition without a manifest: copy of the last day's events, manifest not yet written
    src = _read_partition(writer, events, last)
    no_manifest = writer.partition_dir(events, after)
    no_manifest.mkdir(parents=True, exist_ok=True)
    pq.write_table(src.slice(0, min(50, src.num_rows)), no_manifest / "part-0000.parquet")
    done.append(f"no manifest: {no_manifest.relative_to(writer.root)}")

    # 2. a count mismatch: the manifest promises more rows than arrived
    contacts = spec.table("crm/contacts")
    rows = _read_partition(writer, contacts, last)
    path = writer.write(contacts, after, "incremental", rows.slice(0, max(1, rows.num_rows // 2)))
    manifest = json.loads((path / spec.MANIFEST_NAME).read_text())
    manifest["row_count"] += 3
    (path / spec.MANIFEST_NAME).write_text(json.dumps(manifest) + "\n")
    done.append(f"count mismatch: {path.relative_to(writer.root)}")

    # 3. an unreadable file: truncated Parquet with a plausible manifest
    invoices = spec.table("billing/invoices")
    path = writer.write(invoices, after, "incremental", _read_partition(writer, invoices, last))
    part = path / "part-0000.parquet"
    part.write_bytes(part.read_bytes()[: max(16, part.stat().st_size // 3)])
    done.append(f"unreadable file: {part.relative_to(writer.root)}")

    # 4a. schema drift, harmless: the CRM adds a custom field to accounts
    accounts = spec.table("crm/accounts")
    good = _read_partition(writer, accounts, last)
    drifted = good.append_column(
        "Customer_Tier__c", pa.array(["Gold"] * good.num_rows, pa.string())
    )
    manifest = json.loads((writer.partition_dir(accounts, last) / spec.MANIFEST_NAME).read_text())
    writer.write(accounts, last, manifest["mode"], drifted, extracted=manifest["extracted_at"])
    done.append(f"extra column Customer_Tier__c: {_rel(writer, accounts, last)}")

    # 4b. schema drift, breaking: the survey tool renames score -> Score (names are exact)
    nps = spec.table("support/nps_responses")
    rows = _read_partition(writer, nps, middle)
    if rows.num_rows == 0:
        rows = _row(
            nps,
            {
                "response_id": "resp_drift",
                "survey_id": "nps-drift",
                "email": "drift@example.com",
                "score": 9,
                "submitted_at": "2026-01-01T10:00:00+01:00",
            },
        )
    renamed = rows.rename_columns(["Score" if c == "score" else c for c in rows.column_names])
    writer.write(nps, after, "incremental", renamed)
    done.append(f"missing column score: {_rel(writer, nps, after)}")

    # 5. bad rows inside good partitions
    _append_rows(
        writer,
        events,
        middle,
        [
            {"messageId": None},
            {"messageId": "bad-ts-0001", "timestamp": "yesterday at noon", "sentAt": None},
            {"messageId": "bad-received-0001", "receivedAt": "2026-13-45T99:00:00Z"},
            {"messageId": "bad-json-0001", "context": "{not json"},
        ],
    )
    _append_rows(
        writer,
        accounts,
        middle,
        [
            {"Id": None, "Name": "Nameless Ltd"},
            {"Id": "001BADTIMESTAMP000", "SystemModstamp": "not-a-date"},
        ],
    )
    _append_rows(
        writer,
        nps,
        middle,
        [
            {"response_id": "resp_score_11", "score": 11},
            {"response_id": "resp_score_neg", "score": -1},
            {"response_id": "resp_bad_time", "submitted_at": "31/12/2026 10:00"},
        ],
    )
    _append_rows(
        writer,
        invoices,
        middle,
        [
            {"id": "in_badcurrency0001", "currency": "xxx"},
            {"id": None, "currency": "usd"},
        ],
    )
    subscriptions = spec.table("billing/subscriptions")
    _append_rows(
        writer,
        subscriptions,
        middle,
        [
            {"id": "sub_badjson0001", "items": "[{not json"},
        ],
    )
    tickets = spec.table("support/tickets")
    _append_rows(
        writer,
        tickets,
        middle,
        [
            {"ticket_id": None},
            {"ticket_id": 999_999_001, "created_at": "2026-02-30 10:00:00"},
        ],
    )
    done.append(f"bad rows: 14 rows in 6 tables on {middle.isoformat()}")
    return done


def _rel(writer: LandingWriter, table: spec.Table, day: dt.date) -> Path:
    return writer.partition_dir(table, day).relative_to(writer.root)
