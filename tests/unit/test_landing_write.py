"""c360.landing_write: atomic create / replace / append of landing partitions."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from c360 import landing, spec
from c360.errors import C360Error
from c360.landing_write import PartitionExists, conform, write_partition

DAY = dt.date(2026, 3, 4)
EVENTS = spec.table("events/messages")
PRICES = spec.table("billing/prices")


def _rows(start: int, n: int) -> list[dict[str, object]]:
    return [
        {
            "messageId": f"m{i}",
            "type": "track",
            "event": "Report Created",
            "userId": f"u{i}",
            "timestamp": "2026-03-04T10:00:00Z",
            "receivedAt": "2026-03-04T10:00:01.000Z",
        }
        for i in range(start, start + n)
    ]


def _scan(root: Path) -> landing.Partition:
    (part,) = landing.scan(root)
    return part


def test_create_writes_a_complete_partition_in_spec_types(tmp_path: Path) -> None:
    done = write_partition(tmp_path, EVENTS, DAY, "incremental", conform(EVENTS, _rows(0, 3)))
    part = _scan(tmp_path)
    assert part.status == landing.COMPLETE, part.reason
    assert (done.row_count, done.parts, done.how) == (3, 1, "create")
    assert pq.read_schema(done.path / "part-0000.parquet") == EVENTS.arrow_schema()
    manifest = json.loads((done.path / spec.MANIFEST_NAME).read_text())
    assert manifest["mode"] == "incremental" and manifest["row_count"] == 3
    assert not list((tmp_path / ".c360-staging").glob("events.*")), "stage left behind"


def test_create_refuses_an_existing_partition(tmp_path: Path) -> None:
    write_partition(tmp_path, EVENTS, DAY, "incremental", conform(EVENTS, _rows(0, 1)))
    with pytest.raises(PartitionExists, match=r"already exists \(complete\).*--replace") as info:
        write_partition(tmp_path, EVENTS, DAY, "incremental", conform(EVENTS, _rows(1, 1)))
    assert info.value.exit_code == 5
    assert _scan(tmp_path).manifest_row_count == 1


def test_replace_swaps_in_the_new_rows(tmp_path: Path) -> None:
    write_partition(tmp_path, EVENTS, DAY, "incremental", conform(EVENTS, _rows(0, 5)))
    done = write_partition(
        tmp_path, EVENTS, DAY, "incremental", conform(EVENTS, _rows(10, 2)), how="replace"
    )
    assert done.row_count == 2
    ids = pq.read_table(done.path).column("messageId").to_pylist()
    assert sorted(ids) == ["m10", "m11"]


def test_append_keeps_old_parts_and_adds_the_next(tmp_path: Path) -> None:
    first = write_partition(tmp_path, EVENTS, DAY, "incremental", conform(EVENTS, _rows(0, 2)))
    inode = (first.path / "part-0000.parquet").stat().st_ino
    done = write_partition(
        tmp_path, EVENTS, DAY, "incremental", conform(EVENTS, _rows(2, 3)), how="append"
    )
    assert (done.row_count, done.parts) == (5, 2)
    assert (done.path / "part-0000.parquet").stat().st_ino == inode, "old part rewritten"
    assert (done.path / "part-0001.parquet").is_file()
    assert _scan(tmp_path).status == landing.COMPLETE


def test_append_compacts_past_max_parts(tmp_path: Path) -> None:
    for i in range(3):
        done = write_partition(
            tmp_path,
            EVENTS,
            DAY,
            "incremental",
            conform(EVENTS, _rows(i, 1)),
            how="append",
            max_parts=3,
        )
    assert done.parts == 3
    done = write_partition(
        tmp_path,
        EVENTS,
        DAY,
        "incremental",
        conform(EVENTS, _rows(3, 1)),
        how="append",
        max_parts=3,
    )
    assert (done.row_count, done.parts) == (4, 1)
    assert sorted(pq.read_table(done.path).column("messageId").to_pylist()) == [
        "m0",
        "m1",
        "m2",
        "m3",
    ]


def test_append_refuses_full_tables_and_incomplete_partitions(tmp_path: Path) -> None:
    price = {"id": "price_1", "product": "prod_1", "currency": "usd", "unit_amount": 100}
    with pytest.raises(C360Error, match="only incremental"):
        write_partition(tmp_path, PRICES, DAY, "full", conform(PRICES, [price]), how="append")
    broken = tmp_path / "events" / "messages" / f"extract_date={DAY}"
    broken.mkdir(parents=True)
    with pytest.raises(PartitionExists, match="incomplete"):
        write_partition(
            tmp_path, EVENTS, DAY, "incremental", conform(EVENTS, _rows(0, 1)), how="append"
        )


def test_conform_fills_missing_columns_and_refuses_unknown_ones() -> None:
    table = conform(
        PRICES,
        pa.table(
            {
                "id": ["p"],
                "product": ["x"],
                "currency": ["usd"],
                "unit_amount": pa.array([5], pa.int32()),
            }
        ),
    )
    assert table.schema == PRICES.arrow_schema()
    assert table.column("active").null_count == 1
    with pytest.raises(ValueError, match="no such column"):
        conform(PRICES, [{"id": "p", "colour": "red"}])


def _create_or_append(root: Path, i: int) -> None:
    try:
        write_partition(root, EVENTS, DAY, "incremental", conform(EVENTS, _rows(i, 1)))
    except PartitionExists:
        write_partition(
            root, EVENTS, DAY, "incremental", conform(EVENTS, _rows(i, 1)), how="append"
        )


def test_concurrent_writers_take_turns_and_lose_nothing(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def work(start: int) -> None:
        try:
            for k in range(5):
                _create_or_append(tmp_path, start + k)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n * 100,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    part = _scan(tmp_path)
    assert part.status == landing.COMPLETE and part.manifest_row_count == 15
    assert len(set(pq.read_table(part_path(tmp_path)).column("messageId").to_pylist())) == 15


def part_path(root: Path) -> Path:
    return root / "events" / "messages" / f"extract_date={DAY}"


def test_a_scan_during_a_swap_reads_one_version(tmp_path: Path) -> None:
    write_partition(tmp_path, EVENTS, DAY, "incremental", conform(EVENTS, _rows(0, 1)))
    stop = threading.Event()
    seen: list[str | None] = []

    def scanner() -> None:
        while not stop.is_set():
            seen.append(_scan(tmp_path).reason)

    thread = threading.Thread(target=scanner)
    thread.start()
    for i in range(1, 30):
        write_partition(
            tmp_path, EVENTS, DAY, "incremental", conform(EVENTS, _rows(i, 1)), how="append"
        )
    stop.set()
    thread.join()
    assert seen and all(reason is None for reason in seen), {r for r in seen if r}
