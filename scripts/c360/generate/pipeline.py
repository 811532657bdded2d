"""Runs the generator stages in order and writes the landing zone."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import asdict
from pathlib import Path

import polars as pl

from c360 import __version__, spec
from c360.generate.billing import billing_extracts
from c360.generate.config import GenerateConfig
from c360.generate.crm import crm_extracts, full_dates
from c360.generate.events import daily_event_frames
from c360.generate.faults import land_faults
from c360.generate.subscriptions import simulate_billing
from c360.generate.support import nps_extracts, ticket_extracts
from c360.generate.versioned import Row
from c360.generate.world import build_world
from c360.generate.writer import LandingWriter, prepare_out_dir
from c360.progress import Progress


def _frame(table: spec.Table, rows: list[Row]) -> pl.DataFrame:
    empty = pl.from_arrow(table.arrow_schema().empty_table())
    assert isinstance(empty, pl.DataFrame)
    return pl.DataFrame(rows, schema=empty.schema)


def _write_rows(
    writer: LandingWriter,
    name: str,
    by_day: dict[dt.date, list[Row]],
    full: set[dt.date] | None,
) -> None:
    table = spec.table(name)
    for day in sorted(by_day):
        mode: spec.Mode = "full" if (full is None or day in full) else "incremental"
        if mode not in table.modes:
            mode = "incremental"
        writer.write(table, day, mode, _frame(table, by_day[day]))


def generate(cfg: GenerateConfig, out: Path, *, progress: Progress, force: bool = False) -> None:
    """Write a complete landing zone for ``cfg`` into ``out``."""
    started = time.perf_counter()
    marker: dict[str, object] = {k: str(v) for k, v in asdict(cfg).items()}
    marker["c360_version"] = __version__
    prepare_out_dir(out, force=force, marker=marker)
    writer = LandingWriter(out, cfg.rows_per_file)

    with progress.stage("world") as st:
        world = build_world(cfg)
        billing = simulate_billing(world)
        st.rows = len(world.companies) + len(world.people)
        st.detail = (
            f"({len(world.companies)} companies, {len(world.people)} people, "
            f"{len(billing.subscriptions)} subscriptions)"
        )

    crm_full = full_dates(world)
    every_day = set(cfg.dates())
    for name, by_day in crm_extracts(world, billing).items():
        with progress.stage(name) as st:
            _write_rows(writer, name, by_day, crm_full)
            st.rows = writer.rows_written.get(name, 0)
            st.detail = f"in {writer.partitions_written.get(name, 0)} partitions"
    for name, by_day in billing_extracts(world, billing).items():
        with progress.stage(name) as st:
            _write_rows(writer, name, by_day, every_day if name != "billing/invoices" else None)
            st.rows = writer.rows_written.get(name, 0)
            st.detail = f"in {writer.partitions_written.get(name, 0)} partitions"
    for name, by_day in (
        ("support/tickets", ticket_extracts(world)),
        ("support/nps_responses", nps_extracts(world)),
    ):
        with progress.stage(name) as st:
            _write_rows(writer, name, by_day, None)
            st.rows = writer.rows_written.get(name, 0)
            st.detail = f"in {writer.partitions_written.get(name, 0)} partitions"

    events = spec.table("events/messages")
    with progress.stage("events/messages") as st:
        for day, frame in daily_event_frames(world, billing):
            writer.write(events, day, "incremental", frame)
            done = writer.partitions_written.get(events.name, 0)
            if done % 30 == 0:
                progress.line(
                    f"events/messages: {done}/{cfg.days} days, "
                    f"{writer.rows_written.get(events.name, 0):,} rows so far"
                )
        st.rows = writer.rows_written.get(events.name, 0)
        st.detail = f"in {writer.partitions_written.get(events.name, 0)} partitions"

    if cfg.faults:
        with progress.stage("faults") as st:
            lines = land_faults(writer, cfg)
            st.rows = len(lines)
            st.detail = "landed: " + "; ".join(lines)
    total = sum(writer.rows_written.values())
    progress.line(
        f"done: {total:,} rows in {sum(writer.partitions_written.values())} "
        f"partitions under {out} ({time.perf_counter() - started:.1f}s)"
    )
