"""The landing scan decides which partitions load: every rule of the spec, one case each."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from c360 import landing, spec

NPS = spec.table("support/nps_responses")


def _rows(n: int, drop: str | None = None, extra: str | None = None) -> pa.Table:
    data: dict[str, list[object]] = {
        "response_id": [f"r{i}" for i in range(n)],
        "survey_id": ["s"] * n,
        "email": ["a@b.c"] * n,
        "user_id": [None] * n,
        "score": [7] * n,
        "comment": [None] * n,
        "submitted_at": ["2026-10-01T10:00:00+02:00"] * n,
    }
    if drop:
        data.pop(drop)
    if extra:
        data[extra] = ["x"] * n
    return pa.table(data)


def _land(
    root: Path,
    day: str = "2026-10-01",
    rows: pa.Table | None = None,
    manifest: dict[str, object] | str | None = None,
    files: int = 1,
) -> Path:
    part = root / "support" / "nps_responses" / f"extract_date={day}"
    part.mkdir(parents=True)
    table = rows if rows is not None else _rows(4)
    step = max(1, -(-table.num_rows // files))
    for i in range(files):
        pq.write_table(table.slice(i * step, step), part / f"part-{i:04d}.parquet")
    if manifest is not None:
        text = manifest if isinstance(manifest, str) else json.dumps(manifest)
        (part / "_manifest.json").write_text(text)
    return part


def _manifest(day: str = "2026-10-01", count: int = 4, **over: object) -> dict[str, object]:
    m: dict[str, object] = {
        "system": "support",
        "table": "nps_responses",
        "extract_date": day,
        "mode": "incremental",
        "row_count": count,
        "extracted_at": "2026-10-02T02:10:00Z",
    }
    m.update(over)
    return m


def _only(root: Path) -> landing.Partition:
    parts = landing.scan(root)
    assert len(parts) == 1
    return parts[0]


def test_complete_partition(tmp_path: Path) -> None:
    _land(tmp_path, manifest=_manifest(), files=2)
    part = _only(tmp_path)
    assert part.status == landing.COMPLETE and part.reason is None
    assert part.file_row_count == 4 and part.file_count == 2 and len(part.files) == 2
    assert part.mode == "incremental"
    assert part.extracted_at is not None and part.extracted_at.hour == 2


def test_empty_partition_is_complete(tmp_path: Path) -> None:
    _land(tmp_path, rows=_rows(0), manifest=_manifest(count=0))
    assert _only(tmp_path).status == landing.COMPLETE


@pytest.mark.parametrize(
    ("manifest", "rows", "expected"),
    [
        (None, None, "no _manifest.json"),
        ("{not json", None, "unreadable _manifest.json"),
        (_manifest(count=5), None, "row count mismatch: _manifest.json says 5, files hold 4"),
        (_manifest(count="4"), None, "row_count '4' is not a whole number"),
        (_manifest(table="tickets"), None, "says table 'tickets', path says 'nps_responses'"),
        (_manifest(extract_date="2026-10-02"), None, "says extract_date '2026-10-02'"),
        (_manifest(mode="full"), None, "support/nps_responses does not land full extracts"),
        (_manifest(mode="delta"), None, "mode 'delta' is not incremental or full"),
        (_manifest(extracted_at="2026-10-02 02:10"), None, "is not ISO-8601 with a zone"),
        ({"system": "support"}, None, "lacks table, extract_date, mode, row_count"),
        (_manifest(), _rows(4, drop="score"), "missing required column 'score' in part-0000"),
    ],
)
def test_incomplete_partitions_name_the_reason(
    tmp_path: Path,
    manifest: dict[str, object] | str | None,
    rows: pa.Table | None,
    expected: str,
) -> None:
    _land(tmp_path, rows=rows, manifest=manifest)
    part = _only(tmp_path)
    assert part.status == landing.INCOMPLETE
    assert part.reason is not None and expected in part.reason
    assert part.files == []  # never loaded


def test_column_names_match_exactly(tmp_path: Path) -> None:
    renamed = _rows(4).rename_columns(
        ["Score" if c == "score" else c for c in _rows(4).column_names]
    )
    _land(tmp_path, rows=renamed, manifest=_manifest())
    part = _only(tmp_path)
    assert part.reason == "missing required column 'score' in part-0000.parquet"


def test_unreadable_file(tmp_path: Path) -> None:
    part_dir = _land(tmp_path, manifest=_manifest())
    data = (part_dir / "part-0000.parquet").read_bytes()
    (part_dir / "part-0000.parquet").write_bytes(data[: len(data) // 2])
    part = _only(tmp_path)
    assert part.status == landing.INCOMPLETE
    assert part.reason is not None and part.reason.startswith("unreadable file part-0000.parquet")


def test_bad_folder_name(tmp_path: Path) -> None:
    (tmp_path / "support" / "nps_responses" / "extract_date=2026-13-01").mkdir(parents=True)
    assert "is not extract_date=YYYY-MM-DD" in (_only(tmp_path).reason or "")


def test_hidden_folders_are_a_writers_work_in_progress_not_partitions(tmp_path: Path) -> None:
    _land(tmp_path, "2026-10-01", manifest=_manifest("2026-10-01"))
    (tmp_path / "support" / "nps_responses" / ".extract_date=2026-10-02.new").mkdir()
    assert [p.path for p in landing.scan(tmp_path)] == [
        "support/nps_responses/extract_date=2026-10-01"
    ]


def test_one_bad_partition_does_not_stop_the_others(tmp_path: Path) -> None:
    _land(tmp_path, "2026-10-01", manifest=_manifest("2026-10-01"))
    _land(tmp_path, "2026-10-02", manifest=None)
    _land(tmp_path, "2026-10-03", manifest=_manifest("2026-10-03"))
    statuses = [p.status for p in landing.scan(tmp_path)]
    assert statuses == [landing.COMPLETE, landing.INCOMPLETE, landing.COMPLETE]


def test_view_reads_complete_partitions_only(tmp_path: Path) -> None:
    _land(tmp_path, "2026-10-01", manifest=_manifest("2026-10-01"))
    _land(tmp_path, "2026-10-02", manifest=_manifest("2026-10-02", count=99))
    _land(
        tmp_path,
        "2026-10-03",
        rows=_rows(2, drop="comment", extra="new_col"),
        manifest=_manifest("2026-10-03", count=2),
    )
    parts = landing.scan(tmp_path)
    con = duckdb.connect()
    con.execute("create schema landing")
    con.execute(landing.view_sql(tmp_path, NPS, parts, "landing"))
    rows = con.execute(
        "select extract_date::varchar, count(*), count(comment), min(_file), min(_file_row), "
        "min(_load_mode) from landing.support__nps_responses group by 1 order by 1"
    ).fetchall()
    assert rows == [
        (
            "2026-10-01",
            4,
            0,
            "support/nps_responses/extract_date=2026-10-01/part-0000.parquet",
            0,
            "incremental",
        ),
        (
            "2026-10-03",
            2,
            0,
            "support/nps_responses/extract_date=2026-10-03/part-0000.parquet",
            0,
            "incremental",
        ),
    ]
    columns = [r[0] for r in con.execute("describe landing.support__nps_responses").fetchall()]
    assert "new_col" not in columns  # drift: unknown columns are ignored
    assert columns[: len(NPS.columns)] == list(NPS.column_names)


def test_view_without_complete_partitions_is_empty_and_typed(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute("create schema landing")
    con.execute(landing.view_sql(tmp_path, NPS, [], "landing"))
    assert con.execute("select count(*) from landing.support__nps_responses").fetchall() == [(0,)]
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'support__nps_responses'"
        ).fetchall()
    )
    assert types["score"] == "BIGINT" and types["extract_date"] == "DATE"


def test_a_struct_where_the_spec_has_text_sets_the_partition_aside(tmp_path: Path) -> None:
    rows = _rows(4)
    nested = pa.array([{"text": "nice"}] * 4)
    rows = rows.set_column(rows.schema.get_field_index("comment"), "comment", nested)
    _land(tmp_path, rows=rows, manifest=_manifest())
    _land(tmp_path, "2026-10-02", manifest=_manifest("2026-10-02"))
    bad, good = landing.scan(tmp_path)
    assert bad.status == landing.INCOMPLETE and not bad.files
    assert bad.reason == (
        "column 'comment' in part-0000.parquet is struct<text: string>, "
        "a nested type, where the spec has varchar"
    )
    assert good.status == landing.COMPLETE


def test_bytes_where_the_spec_has_text_are_not_text(tmp_path: Path) -> None:
    rows = _rows(4)
    rows = rows.set_column(
        rows.schema.get_field_index("email"), "email", pa.array([b"a@b.c"] * 4, pa.binary())
    )
    _land(tmp_path, rows=rows, manifest=_manifest())
    assert "column 'email' in part-0000.parquet is binary (bytes, not text)" in (
        _only(tmp_path).reason or ""
    )


def test_a_number_written_as_text_is_left_for_staging_to_cast(tmp_path: Path) -> None:
    rows = _rows(4)
    rows = rows.set_column(rows.schema.get_field_index("score"), "score", pa.array(["7"] * 4))
    _land(tmp_path, rows=rows, manifest=_manifest())
    assert _only(tmp_path).status == landing.COMPLETE


def _with_bad_utf8(row: int) -> pa.Table:
    rows = _rows(4)
    raw = [b"fine"] * 4
    raw[row] = b"caf\xe9"  # latin-1, not UTF-8
    bad = pa.array(raw, pa.binary()).view(pa.string())
    return rows.set_column(rows.schema.get_field_index("comment"), "comment", bad)


def test_text_that_is_not_utf8_names_file_column_and_row(tmp_path: Path) -> None:
    _land(tmp_path, rows=_with_bad_utf8(2), manifest=_manifest())
    part = _only(tmp_path)
    assert part.status == landing.INCOMPLETE and not part.files
    assert part.reason == "column 'comment' in part-0000.parquet row 2 is not valid UTF-8 text"


def test_verified_files_are_not_read_again_until_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part_dir = _land(tmp_path, manifest=_manifest())
    first = _only(tmp_path)
    assert first.status == landing.COMPLETE and len(first.stamps) == 1
    reads: list[object] = []
    real_read = pq.read_table
    monkeypatch.setattr(pq, "read_table", lambda *a, **k: reads.append(a) or real_read(*a, **k))
    table = landing.to_arrow([first], tmp_path)
    stamps = [(v["file"], v["size"], v["mtime_ns"]) for v in table["verified_files"][0].as_py()]
    size, mtime = next(iter(first.stamps.values()))
    path = "support/nps_responses/extract_date=2026-10-01/part-0000.parquet"
    assert stamps == [(path, size, mtime)]
    verified = landing.verified_from_rows(stamps, tmp_path)
    assert landing.scan(tmp_path, verified)[0].status == landing.COMPLETE
    assert reads == []
    # the same file re-landed with a bad value: a new stamp, read again, set aside
    pq.write_table(_with_bad_utf8(0), part_dir / "part-0000.parquet")
    again = landing.scan(tmp_path, verified)[0]
    assert len(reads) == 1
    assert again.status == landing.INCOMPLETE and "row 0 is not valid UTF-8" in (again.reason or "")
