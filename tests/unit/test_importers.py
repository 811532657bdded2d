"""c360 import: each mapper on hand-made exports, rejects, refuse/replace/append, counts.

Every import runs through ``c360.cli.main`` (the real command line, in process) into a
temporary landing zone, and what landed is read back through the landing scan: an
imported partition must be complete and carry the spec's Arrow types exactly.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from c360 import landing, spec
from c360.cli import main
from c360.importers.values import ValueProblem, minor_units, parse_epoch, parse_sf_datetime

DAY = "2026-03-04"
EXTRACTED = "2026-03-05T02:10:00Z"


def _import(
    capsys: pytest.CaptureFixture[str], raw: Path, source: str, *args: str | Path
) -> tuple[int, str]:
    code = main(["import", source, *map(str, args), "--raw-dir", str(raw)])
    return code, capsys.readouterr().err


def _rows(raw: Path, name: str, date: str = DAY) -> list[dict[str, Any]]:
    part = raw / name / f"extract_date={date}"
    files = sorted(part.glob("*.parquet"))
    return [r for f in files for r in pq.read_table(f).to_pylist()]


def _complete(raw: Path) -> dict[str, landing.Partition]:
    """Every partition of the zone, each checked complete, in the spec's Arrow types."""
    parts = landing.scan(raw)
    for part in parts:
        assert part.status == landing.COMPLETE, (part.path, part.reason)
        table = spec.table(f"{part.system}/{part.table_name}")
        for f in (raw / part.path).glob("*.parquet"):
            assert pq.read_schema(f) == table.arrow_schema(), f
    return {p.path: p for p in parts}


def _manifest(raw: Path, name: str, date: str = DAY) -> dict[str, Any]:
    path = raw / name / f"extract_date={date}" / spec.MANIFEST_NAME
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def _rejects(raw: Path) -> list[dict[str, str]]:
    return [
        row
        for f in sorted((raw / "_import_rejects").glob("*.csv"))
        for row in csv.DictReader(f.open(encoding="utf-8"))
    ]


def _counts(err: str, table: str) -> tuple[int, int, int, int]:
    match = re.search(
        rf"{table}: read ([\d,]+) = landed ([\d,]+) \+ rejected ([\d,]+) \+ duplicates ([\d,]+)",
        err,
    )
    assert match, err
    read, landed, rejected, duplicates = (int(g.replace(",", "")) for g in match.groups())
    assert read == landed + rejected + duplicates
    return read, landed, rejected, duplicates


# ---------------------------------------------------------------- Segment / RudderStack


def _message(n: int, received: str, **extra: Any) -> dict[str, Any]:
    return {
        "messageId": f"m{n}",
        "type": "track",
        "event": "Report Created",
        "userId": f"u{n}",
        "originalTimestamp": "2026-03-04T09:59:59.000Z",
        "timestamp": "2026-03-04T10:00:00.500Z",  # corrected by the pipeline
        "sentAt": "2026-03-04T10:00:00.000Z",
        "receivedAt": received,
        "context": {"timezone": "Europe/Berlin", "library": {"name": "analytics.js"}},
        "properties": {"feature": "reports", "name": "Zürich"},
        "integrations": {},
        "writeKey": "wk",
        **extra,
    }


def _ndjson(path: Path, lines: list[Any], *, gz: bool) -> Path:
    text = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_archives_gzip_and_plain_land_by_the_day_of_each_receivedAt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "segment-logs" / "src" / "1772582400000"  # the folder's day is ignored
    _ndjson(
        archive / "a.gz",
        [_message(1, "2026-03-04T23:59:59.999Z"), _message(2, "2026-03-05T00:00:00.000Z")],
        gz=True,
    )
    _ndjson(archive / "b.json", ["", _message(3, "2026-03-05T08:00:00+01:00")], gz=False)
    (archive / "_SUCCESS").write_text("")
    raw = tmp_path / "raw"
    code, err = _import(capsys, raw, "segment", tmp_path / "segment-logs")
    assert code == 0, err
    assert set(_complete(raw)) == {
        "events/messages/extract_date=2026-03-04",
        "events/messages/extract_date=2026-03-05",
    }
    (first,) = _rows(raw, "events/messages")
    assert first["messageId"] == "m1"
    assert first["timestamp"] == "2026-03-04T09:59:59.000Z", "the device clock lands"
    assert json.loads(first["properties"]) == {"feature": "reports", "name": "Zürich"}
    assert json.loads(first["context"])["timezone"] == "Europe/Berlin"
    later = _rows(raw, "events/messages", "2026-03-05")
    assert [r["receivedAt"] for r in later] == [
        "2026-03-05T00:00:00.000Z",
        "2026-03-05T07:00:00.000Z",
    ]
    assert _counts(err, "events/messages") == (3, 3, 0, 0)
    assert err.count("[c360] import read ") == 2 and err.count("[c360] import wrote ") == 2


def test_rudderstack_request_ip_becomes_context_ip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = _message(1, "2026-03-04T10:00:01.000Z", request_ip="203.0.113.9")
    message["context"] = {"locale": "en-US"}
    path = _ndjson(tmp_path / "rudder-logs" / "x.json.gz", [message], gz=True)
    code, err = _import(capsys, tmp_path / "raw", "rudderstack", path)
    assert code == 0, err
    (row,) = _rows(tmp_path / "raw", "events/messages")
    assert json.loads(row["context"]) == {"locale": "en-US", "ip": "203.0.113.9"}


def test_bad_messages_are_rejected_with_file_line_field_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_event = _message(4, "2026-03-04T10:00:00.000Z")
    del no_event["event"]
    no_received = _message(5, "2026-03-04T10:00:00.000Z")
    del no_received["receivedAt"]
    path = _ndjson(
        tmp_path / "a.ndjson",
        [_message(1, "2026-03-04T10:00:00.000Z"), "{not json", no_event, no_received, [1, 2]],
        gz=False,
    )
    raw = tmp_path / "raw"
    code, err = _import(capsys, raw, "segment", path)
    assert code == 3, err
    assert "4 rows could not be mapped" in err
    rejects = {(r["line"], r["field"]): r for r in _rejects(raw)}
    assert set(rejects) == {("2", ""), ("3", "event"), ("4", "receivedAt"), ("5", "")}
    assert all(r["file"] == str(path) for r in rejects.values())
    assert rejects[("3", "event")]["reason"] == "a track call needs an event name"
    assert "no receivedAt" in rejects[("4", "receivedAt")]["reason"]
    assert _counts(err, "events/messages") == (5, 1, 4, 0)
    assert not list(raw.glob("*/*/*/_import_rejects")), "rejects never sit in a table folder"


def test_a_retried_message_is_one_row_the_first_copy_received(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    late = _message(1, "2026-03-04T10:05:00.000Z", sentAt="2026-03-04T10:04:59.000Z")
    early = _message(1, "2026-03-04T10:00:01.000Z")
    changed = _message(1, "2026-03-04T10:00:02.000Z", event="Report Deleted")
    path = _ndjson(tmp_path / "a.gz", [late, early, changed], gz=True)
    raw = tmp_path / "raw"
    code, err = _import(capsys, raw, "segment", path)
    assert code == 0, err
    rows = _rows(raw, "events/messages")
    # the retry (same content, other arrival) is dropped; a copy that differs lands for
    # staging to report as a conflict
    assert [(r["receivedAt"], r["event"]) for r in rows] == [
        ("2026-03-04T10:00:01.000Z", "Report Created"),
        ("2026-03-04T10:00:02.000Z", "Report Deleted"),
    ]
    assert _counts(err, "events/messages") == (3, 2, 0, 1)
    assert "1 duplicates dropped" in err


def test_a_message_without_an_id_gets_the_same_id_on_every_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = _message(1, "2026-03-04T10:00:01.000Z")
    del message["messageId"]
    path = _ndjson(tmp_path / "a.gz", [message], gz=True)
    ids = []
    for n in (1, 2):
        assert _import(capsys, tmp_path / f"raw{n}", "segment", path)[0] == 0
        ids.append(_rows(tmp_path / f"raw{n}", "events/messages")[0]["messageId"])
    assert ids[0] == ids[1] and len(ids[0]) == 36


def test_an_unreadable_archive_stops_the_import_before_anything_lands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _ndjson(tmp_path / "in" / "a.gz", [_message(1, "2026-03-04T10:00:00.000Z")], gz=True)
    (tmp_path / "in" / "b.gz").write_bytes(gzip.compress(b"x" * 100)[:15])
    code, err = _import(capsys, tmp_path / "raw", "segment", good.parent)
    assert code == 1
    assert "b.gz: not a valid gzip file" in err
    assert not (tmp_path / "raw" / "events").exists()


# ---------------------------------------------------------------- Salesforce

ACCOUNT_HEADER = [
    "Id",
    "Name",
    "NumberOfEmployees",
    "AnnualRevenue",
    "Contract_Signed_Date__c",
    "CreatedDate",
    "SystemModstamp",
    "IsDeleted",
    "Owner.Name",
]


def _csv(path: Path, header: list[str], rows: list[list[str]], **kwargs: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=kwargs.pop("encoding", "utf-8"), newline="") as handle:
        writer = csv.writer(handle, **kwargs)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_bulk_api_and_data_export_quirks_land_the_same_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bulk = _csv(
        tmp_path / "bulk" / "Account.csv",
        ACCOUNT_HEADER,
        [
            [
                "0015g00000GssQ25gF",
                "Soylent, Works",
                "58",
                "1.7095E7",
                "2024-03-18",
                "2024-02-24T00:26:27.000Z",
                "2024-02-24T01:26:27.000+0100",
                "false",
                "Mary",
            ],
            ["0015g00000OJhlfROs", "", "", "", "", "", "2026-05-17T04:08:08.000Z", "true", ""],
        ],
    )
    # Data Export: capitals, a byte-order mark, CRLF, every field quoted, 1/0 checkboxes
    export = _csv(
        tmp_path / "export" / "Account.csv",
        [h.upper() for h in ACCOUNT_HEADER],
        [
            [
                "0015g00000GssQ25gF",
                "Soylent, Works",
                "58.0",
                "17095000.0",
                "2024-03-18",
                "2024-02-24T00:26:27.000Z",
                "2024-02-24T00:26:27.000Z",
                "0",
                "Mary",
            ],
            ["0015g00000OJhlfROs", "", "", "", "", "", "2026-05-17T04:08:08.000Z", "1", ""],
        ],
        encoding="utf-8-sig",
        quoting=csv.QUOTE_ALL,
        lineterminator="\r\n",
    )
    landed = []
    for name, path in (("bulk", bulk), ("export", export)):
        raw = tmp_path / f"raw_{name}"
        code, err = _import(
            capsys, raw, "salesforce", path, "--extract-date", DAY, "--extracted-at", EXTRACTED
        )
        assert code == 0, err
        assert "1 column not in the contract ignored" in err
        _complete(raw)
        landed.append(_rows(raw, "crm/accounts"))
    assert landed[0] == landed[1]
    first, second = landed[0]
    assert first["Name"] == "Soylent, Works"
    assert (first["NumberOfEmployees"], first["AnnualRevenue"]) == (58, 17095000.0)
    assert first["SystemModstamp"] == "2024-02-24T00:26:27.000Z"  # +0100 converted to UTC
    assert first["IsDeleted"] is False and second["IsDeleted"] is True
    assert second["Name"] is None and second["NumberOfEmployees"] is None
    assert second["Website"] is None, "a column the export lacks lands null"


def test_salesforce_rejects_name_file_line_field_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(
        tmp_path / "Opportunity.csv",
        ["Id", "Amount", "CloseDate", "IsWon", "SystemModstamp"],
        [
            ["0065g00000JoMycFus", "617400", "2024-03-18", "true", "2024-03-18T15:00:00.000Z"],
            ["0065g00000aqJkcDW1", "a lot", "31/05/2026", "yes", "2026-05-31 15:00:00"],
            ["0065g00000aqJkcDW2", "1", "2026-05-31"],
        ],
    )
    raw = tmp_path / "raw"
    code, err = _import(capsys, raw, "salesforce", path, "--extract-date", DAY)
    assert code == 3, err
    rejects = {(r["line"], r["field"]): r["reason"] for r in _rejects(raw)}
    assert rejects == {
        ("3", "Amount"): "not a number",
        ("3", "CloseDate"): "not a date (YYYY-MM-DD)",
        ("3", "IsWon"): "not a boolean (true/false or 1/0)",
        ("3", "SystemModstamp"): (
            "not an ISO-8601 date-time with a zone (2026-03-04T10:11:12.000Z)"
        ),
        ("4", ""): "3 fields where the header has 5",
    }
    assert _counts(err, "crm/opportunities") == (3, 1, 2, 0)
    assert next(iter((raw / "_import_rejects").glob("*-crm-opportunities.csv")))


def test_salesforce_objects_modes_and_refusals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = _csv(
        tmp_path / "users-2026-03-04.csv",
        ["Id", "Name", "IsActive", "SystemModstamp"],
        [["0055g00000Jh6hgpsV", "Mary Smith", "true", "2026-05-23T00:00:00.000Z"]],
    )
    contacts = _csv(tmp_path / "Contact.csv", ["Id", "Email", "SystemModstamp"], [])
    raw = tmp_path / "raw"
    code, err = _import(
        capsys, raw, "salesforce", users, contacts, "--mode", "full", "--extract-date", DAY
    )
    assert code == 0, err
    parts = _complete(raw)
    assert parts[f"crm/contacts/extract_date={DAY}"].manifest_row_count == 0, "header only"
    assert _manifest(raw, "crm/users")["mode"] == "full"
    # the name says nothing: --object does
    odd = _csv(tmp_path / "750xx0001.csv", ["Id", "SystemModstamp"], [])
    code, err = _import(capsys, tmp_path / "raw2", "salesforce", odd)
    assert code == 1 and "which Salesforce object is it?" in err
    code, err = _import(capsys, tmp_path / "raw2", "salesforce", odd, "--object", "Account")
    assert code == 0, err
    # a required column missing stops everything
    bad = _csv(tmp_path / "Account.csv", ["Id", "Name"], [["x", "y"]])
    code, err = _import(capsys, tmp_path / "raw3", "salesforce", bad)
    assert code == 1 and "no SystemModstamp column" in err
    assert not (tmp_path / "raw3" / "crm").exists()
    # a full extract is never appended to
    code, err = _import(capsys, raw, "salesforce", users, "--mode", "full", "--append")
    assert code == 2 and "--append adds to incremental extracts only" in err


# ---------------------------------------------------------------- Stripe

CUSTOMER = {
    "id": "cus_yx1BAgOlYcfnHU",
    "object": "customer",
    "email": "patricia@soylent.co",
    "name": "Soylent Works",
    "created": 1709079987,
    "currency": "jpy",
    "address": {"country": "JP", "city": "Tokyo"},
    "metadata": {"app_account_id": "ws_1", "crm_account_id": "0015g00000GssQ25gF"},
    "delinquent": False,
}
SUBSCRIPTION = {
    "id": "sub_B7NYGqFgQy6edJ",
    "object": "subscription",
    "customer": {"id": "cus_yx1BAgOlYcfnHU", "object": "customer"},
    "status": "active",
    "created": 1709079987,
    "start_date": 1709079987,
    "cancel_at_period_end": False,
    "canceled_at": None,
    "ended_at": None,
    "trial_start": None,
    "trial_end": None,
    "currency": "jpy",
    "items": {
        "object": "list",
        "data": [
            {
                "id": "si_1",
                "price": {"id": "price_a", "object": "price"},
                "quantity": 7,
                "current_period_start": 1790555187,
                "current_period_end": 1793147187,
            },
            {
                "id": "si_2",
                "plan": {"id": "plan_b"},
                "quantity": 1,
                "current_period_start": 1790555100,
                "current_period_end": 1793147100,
            },
        ],
    },
}
PRICE = {
    "id": "price_a",
    "object": "price",
    "product": "prod_starter",
    "currency": "usd",
    "unit_amount": 4900,
    "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
    "active": True,
}
PRODUCT = {"id": "prod_starter", "object": "product", "name": "Starter", "active": True,
           "metadata": {"plan": "starter"}}  # fmt: skip
INVOICE = {
    "id": "in_1",
    "object": "invoice",
    "customer": "cus_yx1BAgOlYcfnHU",
    "parent": {"subscription_details": {"subscription": "sub_B7NYGqFgQy6edJ"}},
    "status": "paid",
    "currency": "usd",
    "amount_due": 63700,
    "amount_paid": 63700,
    "total": 63700,
    "period_start": 1791669493,
    "period_end": 1794347893,
    "created": 1791673093,
}


def _stripe_rows(raw: Path) -> dict[str, list[dict[str, Any]]]:
    names = ("customers", "subscriptions", "products", "prices", "invoices")
    return {n: _rows(raw, f"billing/{n}") for n in names if (raw / "billing" / n).exists()}


def test_api_list_pages_arrays_and_ndjson_flatten_to_the_same_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    objects = [CUSTOMER, SUBSCRIPTION, PRICE, PRODUCT, INVOICE]
    forms = {
        "page": json.dumps({"object": "list", "url": "/v1/x", "has_more": False, "data": objects}),
        "array": json.dumps(objects, indent=2),
        "ndjson": "\n".join(json.dumps(o) for o in objects) + "\n",
    }
    landed = []
    for form, text in forms.items():
        path = tmp_path / f"{form}.json"
        path.write_text(text)
        raw = tmp_path / f"raw_{form}"
        code, err = _import(capsys, raw, "stripe", path, "--extract-date", DAY)
        assert code == 0, err
        _complete(raw)
        landed.append(_stripe_rows(raw))
    assert landed[0] == landed[1] == landed[2]
    rows = landed[0]
    (customer,) = rows["customers"]
    assert customer["address_country"] == "JP" and customer["deleted"] is False
    assert json.loads(customer["metadata"]) == CUSTOMER["metadata"]
    (sub,) = rows["subscriptions"]
    assert sub["customer"] == "cus_yx1BAgOlYcfnHU"
    assert json.loads(sub["items"]) == [
        {"id": "si_1", "price": "price_a", "quantity": 7},
        {"id": "si_2", "price": "plan_b", "quantity": 1},
    ]
    assert (sub["current_period_start"], sub["current_period_end"]) == (1790555100, 1793147187)
    (price,) = rows["prices"]
    assert (price["recurring_interval"], price["recurring_interval_count"]) == ("month", 1)
    (invoice,) = rows["invoices"]
    assert invoice["subscription"] == "sub_B7NYGqFgQy6edJ"
    manifests = {n: _manifest(tmp_path / "raw_page", f"billing/{n}")["mode"] for n in rows}
    assert manifests["invoices"] == "incremental" and manifests["customers"] == "full"


def test_an_empty_list_page_lands_an_empty_partition_of_its_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"object": "list", "url": "/v1/invoices", "data": []}))
    raw = tmp_path / "raw"
    code, err = _import(capsys, raw, "stripe", path, "--extract-date", DAY)
    assert code == 0, err
    parts = _complete(raw)
    assert parts[f"billing/invoices/extract_date={DAY}"].manifest_row_count == 0


def test_a_deleted_customer_and_stripe_rejects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = {
        "object": "list",
        "url": "/v1/customers",
        "data": [
            {"id": "cus_gone", "object": "customer", "deleted": True},
            {**CUSTOMER, "id": "cus_bad", "created": "yesterday", "address": "JP"},
            {"id": "ch_1", "object": "charge"},
            {"id": "price_x", "object": "price", "product": "p", "currency": "usd",
             "unit_amount": 1.5},
        ],
    }  # fmt: skip
    path = tmp_path / "customers.json"
    path.write_text(json.dumps(page))
    raw = tmp_path / "raw"
    code, err = _import(capsys, raw, "stripe", path, "--extract-date", DAY)
    assert code == 3, err
    (gone,) = _rows(raw, "billing/customers")
    assert gone["deleted"] is True and gone["email"] is None
    rejects = {(r["line"], r["field"]): r["reason"] for r in _rejects(raw)}
    assert rejects[("data[1]", "created")].startswith("not epoch seconds")
    assert rejects[("data[1]", "address_country")] == "address is not an object"
    assert rejects[("data[2]", "object")].startswith("a charge object")
    assert rejects[("data[3]", "unit_amount")] == "a float, not a whole number"
    assert _counts(err, "billing/customers") == (3, 1, 2, 0)
    assert _counts(err, "billing/prices") == (1, 0, 1, 0)


def test_dashboard_csv_exports_map_titles_metadata_and_major_units(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    customers = _csv(
        tmp_path / "unified_customers.csv",
        ["id", "Description", "Email", "Name", "Created (UTC)", "Currency",
         "app_account_id (metadata)", "crm_account_id (metadata)"],
        [["cus_1", "", "a@b.co", "A", "2024-02-28 00:26", "jpy", "ws_1", ""]],
    )  # fmt: skip
    subscriptions = _csv(
        tmp_path / "subscriptions.csv",
        ["id", "Customer ID", "Plan", "Quantity", "Status", "Created (UTC)",
         "Start Date (UTC)", "Current Period Start (UTC)", "Current Period End (UTC)",
         "Cancel At Period End", "Canceled At (UTC)", "Amount"],
        [["sub_1", "cus_1", "price_a", "7", "active", "2024-02-28 00:26:27",
          "2024-02-28 00:26:27", "2026-09-28 00:26:27", "2026-10-28 00:26:27", "false", "",
          "49.00"]],
    )  # fmt: skip
    prices = _csv(
        tmp_path / "prices.csv",
        ["Price ID", "Product ID", "Amount", "Currency", "Interval", "Interval Count"],
        [["price_a", "prod_s", "49.00", "usd", "month", "1"],
         ["price_j", "prod_s", "6174", "jpy", "year", "1"],
         ["price_z", "prod_s", "4.999", "usd", "month", "1"]],
    )  # fmt: skip
    flat = _csv(
        tmp_path / "invoices.csv",
        ["id", "customer", "status", "currency", "amount_due", "created"],
        [["in_1", "cus_1", "paid", "usd", "63700", "1791673093"]],
    )
    raw = tmp_path / "raw"
    code, err = _import(
        capsys, raw, "stripe", customers, subscriptions, prices, flat, "--extract-date", DAY
    )
    assert code == 3, err
    (customer,) = _rows(raw, "billing/customers")
    assert customer["created"] == 1709079960  # minutes only: the dashboard's resolution
    assert json.loads(customer["metadata"]) == {"app_account_id": "ws_1"}
    (sub,) = _rows(raw, "billing/subscriptions")
    assert sub["customer"] == "cus_1" and sub["start_date"] == 1709079987
    assert sub["cancel_at_period_end"] is False and sub["canceled_at"] is None
    assert json.loads(sub["items"]) == [{"id": None, "price": "price_a", "quantity": 7}]
    amounts = {r["id"]: r["unit_amount"] for r in _rows(raw, "billing/prices")}
    assert amounts == {"price_a": 4900, "price_j": 6174}  # yen have no minor unit
    (reject,) = _rejects(raw)
    assert (reject["line"], reject["field"]) == ("4", "unit_amount")
    assert reject["reason"] == "more decimals than usd has (2)"
    (invoice,) = _rows(raw, "billing/invoices")
    assert invoice["amount_due"] == 63700, "an API-named amount is already minor units"
    _complete(raw)


# ---------------------------------------------------------------- refuse / replace / append


def test_create_refuses_replace_overwrites_append_adds_a_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw"
    first = _ndjson(tmp_path / "a.gz", [_message(1, "2026-03-04T10:00:00.000Z")], gz=True)
    second = _ndjson(
        tmp_path / "b.gz",
        [_message(2, "2026-03-04T11:00:00.000Z"), _message(3, "2026-03-05T11:00:00.000Z")],
        gz=True,
    )
    assert _import(capsys, raw, "segment", first)[0] == 0
    code, err = _import(capsys, raw, "segment", second)
    assert code == 5 and "events/messages/extract_date=2026-03-04 already exist" in err
    assert not (raw / "events/messages/extract_date=2026-03-05").exists(), "all or nothing"
    code, err = _import(capsys, raw, "segment", second, "--append")
    assert code == 0, err
    assert "appended 1 rows, now 2 in 2 parts" in err
    assert [r["messageId"] for r in _rows(raw, "events/messages")] == ["m1", "m2"]
    code, err = _import(capsys, raw, "segment", first, "--replace", "--extracted-at", EXTRACTED)
    assert code == 0, err
    assert [r["messageId"] for r in _rows(raw, "events/messages")] == ["m1"]
    assert _manifest(raw, "events/messages") == {
        "system": "events",
        "table": "messages",
        "extract_date": DAY,
        "mode": "incremental",
        "row_count": 1,
        "extracted_at": EXTRACTED,
    }
    _complete(raw)
    customers = tmp_path / "c.json"
    customers.write_text(json.dumps([CUSTOMER]))
    assert _import(capsys, raw, "stripe", customers, "--extract-date", DAY)[0] == 0
    code, err = _import(capsys, raw, "stripe", customers, "--extract-date", DAY, "--append")
    assert code == 2 and "billing/customers are full extracts" in err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["import", "segment", str(tmp_path), "--extract-date", DAY])
    assert done.value.code == 2
    with pytest.raises(SystemExit) as done:
        main(["import", "stripe", str(tmp_path), "--replace", "--append"])
    assert done.value.code == 2
    with pytest.raises(SystemExit) as done:
        main(["import", "salesforce", str(tmp_path), "--extracted-at", "2026-03-05 02:10"])
    assert done.value.code == 2
    capsys.readouterr()


# ---------------------------------------------------------------- value parsers


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2026-03-04T10:11:12.000Z", "2026-03-04T10:11:12.000Z"),
        ("2026-03-04T10:11:12Z", "2026-03-04T10:11:12.000Z"),
        ("2026-03-04T12:11:12.5+02:00", "2026-03-04T10:11:12.500Z"),
        ("", None),
    ],
)
def test_salesforce_datetimes_land_in_one_utc_form(text: str, want: str | None) -> None:
    assert parse_sf_datetime(text) == want


def test_epochs_and_minor_units() -> None:
    assert parse_epoch("1709079987") == parse_epoch(1709079987) == 1709079987
    assert parse_epoch("2024-02-28 00:26:27") == 1709079987
    with pytest.raises(ValueProblem):
        parse_epoch(True)
    assert minor_units("33.00", "eur") == 3300
    assert minor_units("1.234", "KWD") == 1234
    with pytest.raises(ValueProblem, match="needs the row's currency"):
        minor_units("3.00", None)
