"""The importer round trip (issue 19): exports land, refresh, and give the same marts.

The baseline is the run's shared refresh of the ``tiny`` landing zone, written
directly (``published_tiny``). From its partitions this test writes the exports a
team would have instead: a Segment object-storage archive (NDJSON, gzip and plain,
files in folders of the wrong day, ``timestamp`` already skew-corrected beside the
device's ``originalTimestamp``), one Salesforce CSV per object and day (Bulk API
style and Data Export style on alternate days) and one Stripe API list page per
object and day. ``c360 import`` lands them in a fresh landing zone with the original
extract dates, modes and extracted_at (support tables, which no importer covers,
are copied), one ``c360 refresh`` builds it, and every marts table of the analytics
file must hold exactly the baseline's rows (``except all`` both ways; the run-time
columns aside). The imported manifests must equal the originals.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import subprocess
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from c360 import spec
from c360.cli import main
from shared_builds import C360, Published, refresh_env

pytestmark = pytest.mark.slow

RUN_TIMES = {"_attributed_at", "_built_at", "recorded_at"}  # when a run wrote a row
ARCHIVE_EXTRACTED_AT = "2026-11-09T03:00:00Z"  # one archive import, one extracted_at


@dataclass(frozen=True)
class Original:
    table: spec.Table
    date: str
    manifest: dict[str, Any]
    rows: list[dict[str, Any]]


def _originals(raw: Path, system: str) -> Iterator[Original]:
    for table in spec.TABLES:
        if table.system != system:
            continue
        for part in sorted((raw / table.system / table.table).iterdir()):
            manifest = json.loads((part / spec.MANIFEST_NAME).read_text())
            rows = [r for f in sorted(part.glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
            yield Original(table, manifest["extract_date"], manifest, rows)


# ------------------------------------------------------------------ the exports


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _iso(moment: dt.datetime) -> str:
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _archive_message(row: dict[str, Any]) -> dict[str, Any]:
    """A landed message as Segment's archive keeps it: objects, not JSON text, the
    device's time in originalTimestamp and the skew-corrected one in timestamp."""
    message = {k: v for k, v in row.items() if v is not None}
    for key in ("context", "properties", "traits"):
        if key in message:
            message[key] = json.loads(message[key])
    message["originalTimestamp"] = row["timestamp"]
    if row["sentAt"]:
        skew = _instant(row["sentAt"]) - _instant(row["timestamp"])
        message["timestamp"] = _iso(_instant(row["receivedAt"]) - skew)
    message.update(integrations={}, version=2, channel="server", writeKey="wk_round_trip")
    return message


def write_archive(raw: Path, out: Path) -> int:
    """The events as a Segment archive, each day's messages split over two files, the
    second in the next day's folder (the folders' days are never trusted)."""
    total = 0
    for original in _originals(raw, "events"):
        day = dt.date.fromisoformat(original.date)
        folder = out / "segment-logs" / "src_round_trip"
        ms = int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp() * 1000)
        lines = [json.dumps(_archive_message(r)) + "\n" for r in original.rows]
        gz = folder / str(ms) / f"{original.date}.gz"
        gz.parent.mkdir(parents=True, exist_ok=True)
        gz.write_bytes(gzip.compress("".join(lines[::2]).encode()))
        plain = folder / str(ms + 86_400_000) / f"late-{original.date}.json"
        plain.parent.mkdir(parents=True, exist_ok=True)
        plain.write_text("".join(lines[1::2]), encoding="utf-8")
        total += len(original.rows)
    return total


SF_OBJECTS = {
    "crm/accounts": "Account",
    "crm/contacts": "Contact",
    "crm/users": "User",
    "crm/opportunities": "Opportunity",
}


def _sf_text(value: Any, data_export: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("1" if value else "0") if data_export else ("true" if value else "false")
    return repr(value) if isinstance(value, float) else str(value)


def write_salesforce(raw: Path, out: Path) -> dict[tuple[str, str], list[Path]]:
    """One CSV per object and day; (date, mode) -> files. Odd days are Data Export style
    (capital headers, 1/0, a byte-order mark, CRLF, every field quoted)."""
    import csv

    runs: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for original in _originals(raw, "crm"):
        day = dt.date.fromisoformat(original.date)
        data_export = day.toordinal() % 2 == 1
        path = out / original.date / f"{SF_OBJECTS[original.table.name]}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        columns = [*original.table.column_names, "Owner.Name"]
        with path.open("w", encoding="utf-8-sig" if data_export else "utf-8", newline="") as f:
            writer = csv.writer(
                f,
                quoting=csv.QUOTE_ALL if data_export else csv.QUOTE_MINIMAL,
                lineterminator="\r\n" if data_export else "\n",
            )
            writer.writerow([c.upper() if data_export else c for c in columns])
            for row in original.rows:
                writer.writerow([_sf_text(row.get(c), data_export) for c in columns])
        runs[(original.date, original.manifest["mode"])].append(path)
    return runs


def _stripe_object(table: str, row: dict[str, Any], n: int) -> dict[str, Any]:
    """A landed billing row back in the API's shape."""
    kind = table.split("/")[1][:-1]
    obj: dict[str, Any] = {"id": row["id"], "object": kind, "livemode": False}
    if kind == "customer":
        obj.update({k: row[k] for k in ("email", "name", "created", "currency")})
        obj["address"] = None if row["address_country"] is None else {
            "country": row["address_country"], "line1": None}  # fmt: skip
        if row["deleted"] is not False:
            obj["deleted"] = row["deleted"]
        if row["metadata"] is not None:
            obj["metadata"] = json.loads(row["metadata"])
    elif kind == "subscription":
        obj.update({k: v for k, v in row.items() if k not in ("id", "items")})
        items = json.loads(row["items"]) if row["items"] is not None else None
        obj["items"] = None if items is None else {
            "object": "list",
            "data": [
                {"id": i["id"], "object": "subscription_item", "quantity": i["quantity"],
                 "price": {"id": i["price"], "object": "price"}}
                for i in items
            ],
        }  # fmt: skip
        obj["customer"] = (
            {"id": row["customer"], "object": "customer"} if n % 2 else row["customer"]
        )
    elif kind == "product":
        obj.update(name=row["name"], active=row["active"])
        if row["metadata"] is not None:
            obj["metadata"] = json.loads(row["metadata"])
    elif kind == "price":
        obj.update({k: row[k] for k in ("product", "currency", "unit_amount", "active")})
        if row["recurring_interval"] is not None or row["recurring_interval_count"] is not None:
            obj["recurring"] = {
                "interval": row["recurring_interval"],
                "interval_count": row["recurring_interval_count"],
                "usage_type": "licensed",
            }
        else:
            obj["recurring"] = None
    else:
        obj.update({k: v for k, v in row.items() if k not in ("id", "subscription")})
        if n % 2 and row["subscription"] is not None:  # newer API versions
            obj["parent"] = {"subscription_details": {"subscription": row["subscription"]}}
        else:
            obj["subscription"] = row["subscription"]
    return obj


def write_stripe(raw: Path, out: Path) -> dict[str, list[Path]]:
    """One API list page per object and day; date -> files."""
    runs: dict[str, list[Path]] = defaultdict(list)
    for original in _originals(raw, "billing"):
        path = out / original.date / f"{original.table.table}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        page = {
            "object": "list",
            "url": f"/v1/{original.table.table}",
            "has_more": False,
            "data": [
                _stripe_object(original.table.name, r, n) for n, r in enumerate(original.rows)
            ],
        }
        path.write_text(json.dumps(page, indent=1), encoding="utf-8")
        runs[original.date].append(path)
    return runs


def _extracted_at(raw: Path, system: str, date: str) -> str:
    (value,) = {o.manifest["extracted_at"] for o in _originals(raw, system) if o.date == date}
    return str(value)


# ------------------------------------------------------------------ the round trip


@dataclass(frozen=True)
class RoundTrip:
    baseline: Published
    raw: Path
    analytics: Path
    refresh: subprocess.CompletedProcess[str]
    archive_messages: int
    seconds: dict[str, float]


@pytest.fixture(scope="module")
def round_trip(published_tiny: Published, tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    source = published_tiny.raw
    root = tmp_path_factory.mktemp("import_round_trip")
    raw, exports = root / "raw", root / "exports"
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    messages = write_archive(source, exports / "segment")
    salesforce = write_salesforce(source, exports / "salesforce")
    stripe = write_stripe(source, exports / "stripe")
    seconds["write exports"] = time.perf_counter() - started

    started = time.perf_counter()
    # the archive through the installed console script, as a team would run it
    done = subprocess.run(
        [str(C360), "import", "segment", str(exports / "segment"), "--raw-dir", str(raw),
         "--extracted-at", ARCHIVE_EXTRACTED_AT],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # one run per nightly export: in process (the same command line, without 60 interpreters)
    common = ["--raw-dir", str(raw), "-q"]
    for (date, mode), files in sorted(salesforce.items()):
        when = ["--extract-date", date, "--extracted-at", _extracted_at(source, "crm", date)]
        argv = ["import", "salesforce", *map(str, files), "--mode", mode, *when, *common]
        assert main(argv) == 0, argv
    for date, files in sorted(stripe.items()):
        when = ["--extract-date", date, "--extracted-at", _extracted_at(source, "billing", date)]
        argv = ["import", "stripe", *map(str, files), *when, *common]
        assert main(argv) == 0, argv
    shutil.copytree(source / "support", raw / "support")
    seconds["import"] = time.perf_counter() - started

    started = time.perf_counter()
    refresh = subprocess.run(
        [str(C360), "refresh"],
        env=refresh_env(root, raw),
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    seconds["refresh"] = time.perf_counter() - started
    print(f"round trip: {messages} archived messages; seconds {seconds}")
    return RoundTrip(published_tiny, raw, root / "analytics.duckdb", refresh, messages, seconds)


def test_the_imported_zone_refreshes_like_the_direct_one(round_trip: RoundTrip) -> None:
    assert round_trip.refresh.returncode == round_trip.baseline.returncode, (
        round_trip.refresh.stderr
    )


def _partitions(raw: Path) -> set[str]:
    return {
        p.relative_to(raw).as_posix()
        for t in spec.TABLES
        if (raw / t.system / t.table).is_dir()
        for p in (raw / t.system / t.table).iterdir()
    }


def test_the_imported_manifests_equal_the_originals(round_trip: RoundTrip) -> None:
    source, raw = round_trip.baseline.raw, round_trip.raw
    assert _partitions(raw) == _partitions(source)
    for system in ("crm", "billing", "support"):
        for original in _originals(source, system):
            part = (
                raw / original.table.system / original.table.table / f"extract_date={original.date}"
            )
            assert json.loads((part / spec.MANIFEST_NAME).read_text()) == original.manifest


def test_the_archive_lands_every_message_by_its_received_day(round_trip: RoundTrip) -> None:
    """A retried copy in the same day's partition is landed once (staging keeps one
    anyway); every other message lands in the day its receivedAt says."""
    source, raw = round_trip.baseline.raw, round_trip.raw
    landed = 0
    for original in _originals(source, "events"):
        content = [c for c in original.table.column_names if c not in ("receivedAt", "sentAt")]
        distinct = {tuple(r[c] for c in content if c not in ("context", "properties", "traits"))
                    + tuple(json.dumps(json.loads(r[c]) if r[c] else None, sort_keys=True)
                            for c in ("context", "properties", "traits"))
                    for r in original.rows}  # fmt: skip
        part = raw / "events" / "messages" / f"extract_date={original.date}"
        manifest = json.loads((part / spec.MANIFEST_NAME).read_text())
        assert manifest == {**original.manifest, "row_count": len(distinct),
                            "extracted_at": ARCHIVE_EXTRACTED_AT}  # fmt: skip
        landed += len(distinct)
    assert landed < round_trip.archive_messages, "the archive had retried copies to drop"


def _mart_names(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [
            n
            for (n,) in con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'marts' order by 1"
            ).fetchall()
        ]


@pytest.fixture(scope="module")
def differences(round_trip: RoundTrip) -> dict[str, tuple[int, int, int]]:
    """marts table -> (rows, rows only in the import's, rows only in the baseline's)."""
    names = _mart_names(round_trip.baseline.analytics)
    assert names == _mart_names(round_trip.analytics)
    out = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{round_trip.baseline.analytics}' as direct (read_only)")
        con.execute(f"attach '{round_trip.analytics}' as imported (read_only)")
        for name in names:
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns where table_catalog ="
                    " 'direct' and table_schema = 'marts' and table_name = ?"
                    " order by ordinal_position",
                    [name],
                ).fetchall()
                if c not in RUN_TIMES
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            a, b = (
                f"select {select} from imported.marts.{name}",
                f"select {select} from direct.marts.{name}",
            )
            [(rows,)] = con.execute(f"select count(*) from ({b})").fetchall()
            [(extra,)] = con.execute(f"select count(*) from ({a} except all {b})").fetchall()
            [(missing,)] = con.execute(f"select count(*) from ({b} except all {a})").fetchall()
            out[name] = (int(rows), int(extra), int(missing))
    print("marts compared:", out)
    return out


def test_every_mart_is_the_same_as_the_directly_landed_zones(
    differences: dict[str, tuple[int, int, int]],
) -> None:
    assert len(differences) >= 30
    assert sum(rows for rows, _, _ in differences.values()) > 0
    wrong = {n: d for n, d in differences.items() if d[1] or d[2]}
    assert not wrong, f"(rows, only imported, only direct): {wrong}"
