"""An incremental build gives the warehouse a full build gives.

A hand-made landing zone (tiny, reshaped) is built once, then changed the
ways a real one changes between two nights, and built again incrementally:

- a **new day** and a **backfilled** day (every table) land late;
- an events partition is **re-landed** with rows gone and a copy of a later
  day's message received earlier, so a kept copy in a partition this run
  does not load becomes a duplicate;
- an events partition **disappears**, so the copy of one of its messages that
  a later partition holds becomes the kept one;
- a CRM partition disappears and a billing partition is re-landed empty.

Every staging relation (base tables included) must equal a fresh full
build's, column for column; every mart too, keys labelled by their entity's
smallest natural id (the key registry never re-keys, so keys may differ
between the two histories). A third build with nothing new must change
nothing and load nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_build import assert_same_staging, schema_contents
from test_dbt_project import OUTPUTS_ONLY, DbtRun, build
from test_history import MARTS, mart_rows

from c360 import spec

pytestmark = pytest.mark.slow

MESSAGES = Path("events") / "messages"


def _events_dir(raw: Path, date: str) -> Path:
    return raw / MESSAGES / f"{spec.PARTITION_PREFIX}{date}"


def _read(part: Path) -> pa.Table:
    return pa.concat_tables(
        [pq.read_table(f) for f in sorted(part.glob("*.parquet"))], promote_options="default"
    )


def _reland(part: Path, rows: pa.Table) -> None:
    """Replace a partition's files and manifest: the same partition landed again."""
    for f in part.glob("*.parquet"):
        f.unlink()
    manifest_path = part / spec.MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text())
    if rows.num_rows:
        pq.write_table(rows, part / "part-0000.parquet")
    else:
        # an empty extract still lands a file with the table's columns
        pq.write_table(rows.schema.empty_table(), part / "part-0000.parquet")
    extracted = dt.datetime.fromisoformat(manifest["extracted_at"].replace("Z", "+00:00"))
    manifest["row_count"] = rows.num_rows
    manifest["extracted_at"] = (extracted + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest_path.write_text(json.dumps(manifest))


def _shift(text: str, seconds: int) -> str:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00")) + dt.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _copy_of_first_message(source: pa.Table, seconds: int) -> pa.Table:
    """The first message of ``source`` again, received ``seconds`` later (or earlier)."""
    row = source.slice(0, 1).to_pylist()[0]
    row["receivedAt"] = _shift(row["receivedAt"], seconds)
    return pa.Table.from_pylist([row], schema=source.schema)


def _land_like(model: Path, part: Path, rows: pa.Table, date: str) -> None:
    """A new partition ``part`` of ``rows``, its manifest shaped like ``model``'s."""
    part.mkdir(parents=True)
    manifest = json.loads((model / spec.MANIFEST_NAME).read_text())
    manifest |= {"extract_date": date, "row_count": rows.num_rows}
    (part / spec.MANIFEST_NAME).write_text(json.dumps(manifest))
    pq.write_table(rows, part / "part-0000.parquet")


def _relanded(
    rows: pa.Table, elsewhere: set[str], anywhere_else: set[str], next_day: pa.Table
) -> pa.Table:
    """The partition landed again: without its retried copies (messages kept
    earlier in it or in another partition), without one identified track
    event no other partition has (gone from the warehouse), with one event
    renamed, and with a copy of the next day's first message received a
    minute before it."""
    seen = set(elsewhere)
    keep = []
    for message_id in rows.column("messageId").to_pylist():
        keep.append(message_id not in seen)
        seen.add(message_id)
    kept = rows.filter(pa.array(keep))
    assert kept.num_rows < rows.num_rows, "the partition had no retried copy to drop"
    gone = next(
        i
        for i, row in enumerate(kept.select(["messageId", "type", "userId"]).to_pylist())
        if row["type"] == "track" and row["userId"] and row["messageId"] not in anywhere_else
    )
    kept = pa.concat_tables([kept.slice(0, gone), kept.slice(gone + 1)])
    events = kept.column("event").to_pylist()
    renamed = next(i for i, e in enumerate(events) if e)
    events[renamed] = f"{events[renamed]} (corrected)"
    kept = kept.set_column(kept.schema.get_field_index("event"), "event", pa.array(events))
    return pa.concat_tables([kept, _copy_of_first_message(next_day, -60)])


@pytest.fixture(scope="module")
def runs(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, DbtRun]:
    root = tmp_path_factory.mktemp("incremental")
    raw, later = root / "raw", root / "later"
    shutil.copytree(tiny_landing, raw)
    dates = sorted(p.name.removeprefix(spec.PARTITION_PREFIX) for p in (raw / MESSAGES).iterdir())
    assert len(dates) >= 10, dates
    backfilled, new_day, relanded = dates[len(dates) // 2], dates[-1], dates[5]

    # the backfilled and the new day arrive later, in every table
    for folder in sorted(raw.glob(f"*/*/{spec.PARTITION_PREFIX}*")):
        if folder.name.removeprefix(spec.PARTITION_PREFIX) in {backfilled, new_day}:
            dest = later / folder.relative_to(raw)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(folder, dest)
    # an extra partition the day before the first, of copies of the next days'
    # messages received earlier: its copies are kept while it is landed
    first = dt.date.fromisoformat(dates[0])
    dropped = (first - dt.timedelta(days=1)).isoformat()
    early = pa.concat_tables(
        [_copy_of_first_message(_read(_events_dir(raw, d)), -7200) for d in dates[1:4]]
    )
    _land_like(_events_dir(raw, dates[0]), _events_dir(raw, dropped), early, dropped)
    runs = {"first": build(root / "incremental", raw, *OUTPUTS_ONLY)}

    # the next night
    for folder in sorted(later.glob(f"*/*/{spec.PARTITION_PREFIX}*")):
        shutil.move(folder, raw / folder.relative_to(later))
    shutil.rmtree(_events_dir(raw, dropped))
    relanded_dir = _events_dir(raw, relanded)
    others = {
        m
        for d in dates[:5]
        if _events_dir(raw, d).exists()
        for m in _read(_events_dir(raw, d)).column("messageId").to_pylist()
    }
    anywhere_else = {
        m
        for part in (raw / MESSAGES).iterdir()
        if part != relanded_dir
        for m in _read(part).column("messageId").to_pylist()
    }
    _reland(
        relanded_dir,
        _relanded(_read(relanded_dir), others, anywhere_else, _read(_events_dir(raw, dates[6]))),
    )
    accounts = sorted((raw / "crm" / "accounts").iterdir())
    shutil.rmtree(accounts[2])
    customers = sorted((raw / "billing" / "customers").iterdir())
    _reland(customers[4], _read(customers[4]).slice(0, 0))

    runs["incremental"] = build(root / "incremental", raw, *OUTPUTS_ONLY)
    runs["contents"] = schema_contents(runs["incremental"].warehouse)  # type: ignore[assignment]
    runs["again"] = build(root / "incremental", raw, *OUTPUTS_ONLY)
    runs["full"] = build(root / "full", raw, *OUTPUTS_ONLY)
    return runs


def test_the_changes_reach_staging(runs: dict[str, DbtRun]) -> None:
    """The scenario does what it says: a copy changed state in a partition not loaded."""
    with duckdb.connect(str(runs["full"].warehouse), read_only=True) as con:
        [(duplicates,)] = con.sql(
            "select count(*) from staging.base_events__messages where _is_duplicate"
        ).fetchall()
        [(empty,)] = con.sql(
            "select count(*) from ops.landing_partitions"
            " where system = 'billing' and table_name = 'customers'"
            " and status = 'complete' and file_row_count = 0"
        ).fetchall()
    assert duplicates > 0
    assert empty == 1


def test_the_changes_reach_attribution_incrementally(runs: dict[str, DbtRun]) -> None:
    """The second build reattributed a few held rows, removed the message that
    is gone, and recounted only some company-days: the incremental path ran."""
    with duckdb.connect(str(runs["incremental"].warehouse), read_only=True) as con:
        [(runs_seen, written, replaced, removed)] = con.sql(
            "select count(distinct _attributed_at),"
            " count(*) filter (where _attributed_at = (select max(_attributed_at)"
            "  from intermediate.int_events_attributed)),"
            " count(_previous_attributed_at), count(*) filter (where _is_removed)"
            " from intermediate.int_events_attributed"
        ).fetchall()
        [(total,)] = con.sql("select count(*) from intermediate.int_events_attributed").fetchall()
        [(days_runs,)] = con.sql(
            "select count(distinct _built_at) from marts.fct_company_activity_daily"
        ).fetchall()
    assert runs_seen == 2
    assert 0 < written < total / 4
    assert replaced > 0
    assert removed == 1
    assert days_runs == 2


def test_every_staging_relation_equals_a_full_build(runs: dict[str, DbtRun]) -> None:
    assert_same_staging(runs["incremental"].warehouse, runs["full"].warehouse)


@pytest.mark.parametrize("name", MARTS)
def test_every_mart_equals_a_full_build(name: str, runs: dict[str, DbtRun]) -> None:
    want_columns, want = mart_rows(runs["full"], name)
    got_columns, got = mart_rows(runs["incremental"], name)
    assert got_columns == want_columns
    extra, missing = got - want, want - got
    assert not extra and not missing, (
        f"marts.{name}: {sum(extra.values())} rows only incremental, "
        f"{sum(missing.values())} only full; e.g. {list(extra)[:2]} / {list(missing)[:2]}"
    )


def test_a_build_with_nothing_new_loads_nothing(runs: dict[str, DbtRun]) -> None:
    assert schema_contents(runs["again"].warehouse) == runs["contents"]
    results = json.loads((runs["again"].target / "run_results.json").read_text())["results"]
    base = {
        r["unique_id"].split(".")[-1]: r["compiled_code"]
        for r in results
        if r["unique_id"].split(".")[-1].startswith("base_")
    }
    assert len(base) == 12
    # a base model reads again only partitions that brought no rows (a partition
    # is known as loaded by its rows): nothing to read but a footer
    with duckdb.connect(str(runs["again"].warehouse), read_only=True) as con:
        empty = {
            (f"base_{system}__{table}", str(date))
            for system, table, date in con.sql(
                "select system, table_name, extract_date from ops.landing_partitions"
                " where status = 'complete' and file_row_count = 0"
            ).fetchall()
        }
    for name, sql in base.items():
        match = re.search(r"where extract_date in \(([^\n]*)\)\n", sql)
        assert match, f"{name}: no partition filter in its compiled SQL"
        dates = set(re.findall(r"'(\d{4}-\d{2}-\d{2})'", match.group(1)))
        assert {(name, d) for d in dates} <= empty, f"{name} read partitions again: {dates}"
