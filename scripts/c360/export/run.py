"""``c360 export``: read the export marts, apply --changed-since-last, write the files
atomically with a manifest, then record the state.

Exit codes: 0 written; 1 failed, nothing written (no warehouse, export marts
not built, DIR not writable); 2 usage (an unknown --format); 4 the
warehouse is being written by a build or refresh (nothing written, or, at
the state step, files written but state not saved: retry after it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from c360 import __version__
from c360.export import files, segment, state
from c360.export.tables import ENTITIES, PEOPLE, ExportTable, connect_read_only, read_table
from c360.progress import Progress

FORMATS = ("jsonl", "csv", "parquet")


@dataclass
class Selection:
    """The rows of one entity this export writes, and how they compare with the last one."""

    table: ExportTable
    mask: list[bool]
    no_longer_exported: int

    @property
    def written_ids(self) -> list[str]:
        return [i for i, keep in zip(self.table.ids(), self.mask, strict=True) if keep]

    @property
    def written_hashes(self) -> list[str]:
        return [h for h, keep in zip(self.table.hashes, self.mask, strict=True) if keep]

    def rows(self) -> pa.Table:
        return self.table.rows.filter(pa.array(self.mask, pa.bool_()))


@dataclass
class ExportResult:
    manifest: Path
    files: list[dict[str, Any]] = field(default_factory=list)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def select_rows(table: ExportTable, previous: dict[str, str], changed_only: bool) -> Selection:
    """Every row, or (changed_only) those whose id is new or whose traits hash changed."""
    ids = table.ids()
    mask = [
        not changed_only or previous.get(i) != h for i, h in zip(ids, table.hashes, strict=True)
    ]
    gone = len(set(previous) - set(ids))
    return Selection(table, mask, gone)


def _calls(selection: Selection, timestamp: str) -> Iterator[dict[str, Any]]:
    build = segment.identify_call if selection.table.entity == PEOPLE else segment.group_call
    rows = selection.rows().to_pylist()
    for row, digest in zip(rows, selection.written_hashes, strict=True):
        yield build(row, digest, timestamp)


def run_export(
    warehouse: Path,
    out_dir: Path,
    file_format: str,
    changed_since_last: bool,
    progress: Progress,
) -> ExportResult:
    out_dir = out_dir.resolve()
    destination = str(out_dir)
    with progress.stage("read") as stage:
        con = connect_read_only(warehouse)
        try:
            selections = []
            for entity in ENTITIES:
                table = read_table(con, entity, warehouse)
                previous = state.read_state(con, destination, file_format, entity.name)
                selections.append(select_rows(table, previous, changed_since_last))
        finally:
            con.close()
        files.check_writable(out_dir)
        stage.rows = sum(s.table.rows.num_rows for s in selections)
        stage.detail = f"from {warehouse}"
    started = _now()
    timestamp = started.isoformat() + "Z"
    listed: list[dict[str, Any]] = []
    with files.staged(out_dir) as staging:
        for selection in selections:
            entity = selection.table.entity
            name = f"{entity.name}.{file_format}"
            with progress.stage(f"write {name}") as stage:
                path = staging.path_for(name)
                if file_format == "jsonl":
                    rows = files.write_jsonl(path, _calls(selection, timestamp))
                else:
                    rows = files.write_table(path, selection.rows(), file_format)
                stage.rows = rows
                if changed_since_last:
                    stage.detail = f"changed of {selection.table.rows.num_rows:,}"
            listed.append(
                {
                    "name": name,
                    "entity": entity.name,
                    "table": entity.table,
                    "rows": rows,
                    "rows_in_table": selection.table.rows.num_rows,
                    "no_longer_exported": selection.no_longer_exported,
                    "bytes": path.stat().st_size,
                    "sha256": files.file_digest(path),
                    "columns": [{"name": c, "type": t} for c, t in selection.table.columns],
                }
            )
        manifest = {
            "format": file_format,
            "changed_since_last": changed_since_last,
            "created_at": timestamp,
            "warehouse": str(warehouse.resolve()),
            "c360_version": __version__,
            "files": listed,
        }
        written = staging.commit(manifest)
    progress.line(f"manifest: {written}")
    with progress.stage("state") as stage:
        state.save_state(
            warehouse,
            destination,
            file_format,
            {
                s.table.entity.name: (s.table.ids(), s.written_ids, s.written_hashes)
                for s in selections
            },
            started,
        )
        stage.rows = sum(len(s.written_ids) for s in selections)
        stage.detail = f"recorded in {state.STATE_TABLE}"
    return ExportResult(written, listed)
