"""One ``c360 import``: read every input, then land every partition, then the rejects.

Reading comes first and in full, so a file that cannot be read, a missing
required column or a partition that exists stops the import before anything
is written. Progress: a line per file read, per partition written, per
table (read = landed + rejected + duplicates) and a final summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from c360 import spec
from c360.importers import salesforce, segment, stripe_files
from c360.importers.batches import Mapped, Partition
from c360.importers.landing import land, save_rejects
from c360.importers.rejects import default_dir
from c360.importers.result import (
    ImportUsageError,
    check_reconciled,
    exit_code,
    summary,
    table_line,
)
from c360.landing_write import How, Written, utc_now_text
from c360.progress import Progress
from c360.project import find_project
from c360.settings import env_raw_dir_is_set, raw_dir


@dataclass(frozen=True)
class ImportRequest:
    source: str  # segment, rudderstack, salesforce, stripe
    paths: list[Path]
    raw_dir: Path | None = None
    project_dir: Path | None = None
    how: How = "create"
    extracted_at: str | None = None
    extract_date: dt.date | None = None
    mode: spec.Mode | None = None
    object_name: str | None = None
    rejects_dir: Path | None = None


def landing_zone(request: ImportRequest) -> Path:
    """--raw-dir, else $C360_RAW_DIR, else the project's data/raw."""
    if request.raw_dir is not None:
        return request.raw_dir
    if env_raw_dir_is_set():
        return raw_dir(None)
    return raw_dir(find_project(request.project_dir))


def read(request: ImportRequest, progress: Progress) -> Mapped:
    """Every input of the request, mapped (nothing written yet)."""
    extract_date = request.extract_date or dt.datetime.now(dt.UTC).date()
    if request.source in ("segment", "rudderstack"):
        source: segment.Source = "segment" if request.source == "segment" else "rudderstack"

        def archive_file(name: str, messages: int, rejected: int) -> None:
            progress.line(f"read {name}: {messages:,} messages, {rejected:,} rejected")

        return segment.read_archives(request.paths, source, archive_file)
    if request.source == "salesforce":
        mode: spec.Mode = request.mode or "incremental"
        if request.how == "append" and mode == "full":
            raise ImportUsageError(
                "--append adds to incremental extracts only: a full export replaces the "
                "partition (--replace) or lands a new date"
            )

        def crm_file(name: str, table: str, records: int, rejected: int, ignored: int) -> None:
            progress.line(
                f"read {name} ({table}): {records:,} records, {rejected:,} rejected, "
                f"{ignored} column{'s' if ignored != 1 else ''} not in the contract ignored"
            )

        return salesforce.read_exports(
            request.paths,
            forced_object=request.object_name,
            extract_date=extract_date,
            mode=mode,
            on_file=crm_file,
        )
    if request.source == "stripe":

        def billing_file(name: str, read: dict[str, int], rejected: int) -> None:
            tables = ", ".join(f"{t} {n:,}" for t, n in sorted(read.items())) or "no objects"
            progress.line(f"read {name}: {tables}; {rejected:,} rejected")

        mapped = stripe_files.read_exports(
            request.paths,
            forced_object=request.object_name,
            extract_date=extract_date,
            on_file=billing_file,
        )
        full = sorted(n for n in mapped.counts if spec.table(n).modes == ("full",))
        if request.how == "append" and full:
            raise ImportUsageError(
                f"--append adds to incremental tables only (billing/invoices); {', '.join(full)} "
                "are full extracts: --replace them or land a new date (nothing was imported)"
            )
        return mapped
    raise ImportUsageError(f"unknown source {request.source!r}")


def run_import(request: ImportRequest, progress: Progress, problems: TextIO) -> int:
    """The whole command; returns its exit code (PartitionExists and errors raise)."""
    root = landing_zone(request)
    started = dt.datetime.now(dt.UTC)
    mapped = read(request, progress)

    def wrote(part: Partition, written: Written) -> None:
        rel = written.path.relative_to(root).as_posix()
        copies = f", {part.duplicates:,} duplicates dropped" if part.duplicates else ""
        if written.how == "append":
            what = (
                f"appended {written.rows_added:,} rows, now {written.row_count:,} in "
                f"{written.parts} parts"
            )
        else:
            what = f"{written.row_count:,} rows ({written.how})"
        progress.line(f"wrote {rel}: {what}{copies}")

    land(
        root,
        mapped,
        how=request.how,
        extracted_at=request.extracted_at or utc_now_text(),
        on_partition=wrote,
    )
    rejects_dir = request.rejects_dir or default_dir(root)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    files = save_rejects(rejects_dir, stamp, mapped) if mapped.rejects else []
    check_reconciled(mapped.counts)
    for name in sorted(mapped.counts, key=lambda n: [t.name for t in spec.TABLES].index(n)):
        progress.line(table_line(name, mapped.counts[name]))
    progress.line(summary(mapped.counts, files))
    rejected = sum(c.rejected for c in mapped.counts.values())
    if rejected:
        print(
            f"c360: import: {rejected:,} row{'s' if rejected != 1 else ''} could not be "
            f"mapped and did not land; see {', '.join(str(f) for f in files)}",
            file=problems,
        )
    return exit_code(mapped.counts)
