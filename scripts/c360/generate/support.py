"""Help-desk extracts: tickets (naive local times in the help desk's zone) and NPS responses."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np

from c360.generate import catalog
from c360.generate.clock import DAY, dst_edges, epoch, iso_local, naive_local
from c360.generate.randomness import rng_for, unique_tokens
from c360.generate.versioned import Row
from c360.generate.world import Person, World

HELPDESK_ZONE = "America/Los_Angeles"  # the spec's default; staging reads it from a dbt var


def _pick_weighted(rng: np.random.Generator, spec: tuple[list[str], list[float]]) -> str:
    values, weights = spec
    return str(values[int(rng.choice(len(values), p=np.asarray(weights) / sum(weights)))])


def _requester(rng: np.random.Generator, p: Person, ts: int) -> str:
    email = p.email_at(ts)
    r = rng.random()
    if r < 0.1:
        return email.upper()
    if r < 0.15:
        return f"  {email}"
    return email


def ticket_extracts(w: World, zone: str = HELPDESK_ZONE) -> dict[dt.date, list[Row]]:
    """Ticket rows per extract date: a ticket lands on every day it changed, in that day's
    last state. ``created_at``/``updated_at``/``solved_at`` are naive wall-clock strings."""
    rng = rng_for(w.cfg.seed, "tickets")
    dates = w.cfg.dates()
    out: dict[dt.date, list[Row]] = {d: [] for d in dates}
    people = [p for p in w.people if p.user_id is not None or p.contact_id is not None]
    n = max(12, int(rng.poisson(0.012 * len(people) * w.cfg.days)))
    first_id = 100_000 + int(rng.integers(0, 50_000))
    # planted: tickets created in the help desk's latest DST gap and overlap
    gap, overlap = dst_edges(zone, w.cfg.end_date)
    planted: list[str] = [t.strftime("%Y-%m-%d %H:%M:%S") for t in (gap, overlap) if t]
    for k in range(n + len(planted)):
        p = people[int(rng.integers(len(people)))]
        company = w.companies[p.company_idx]
        if k < len(planted):
            created_text = planted[k]
            naive = dt.datetime.fromisoformat(created_text)
            created = int(naive.replace(tzinfo=ZoneInfo(zone)).timestamp())  # fold=0
            # updated inside the window so the ticket lands in a partition
            first_update = max(created + 3600, w.start_ts + int(rng.integers(1, 5)) * 3600)
        else:
            created = int(w.start_ts + rng.uniform(0, 1) * w.span())
            created_text = naive_local(created, zone)
            first_update = created
        org = company.crm_id if company.crm_id is not None and rng.random() < 0.8 else ""
        email = _requester(rng, p, created) if rng.random() > 0.03 else "someone@gmail.com"
        base: Row = {
            "ticket_id": first_id + k,
            "requester_email": email,
            "organization_external_id": org,
            "priority": _pick_weighted(rng, catalog.TICKET_PRIORITIES),
            "channel": _pick_weighted(rng, catalog.TICKET_CHANNELS),
            "satisfaction_rating": "",
            "created_at": created_text,
            "solved_at": None,
        }
        opened = first_update + int(rng.integers(600, 86_400))
        solved = opened + int(rng.integers(3600, 6 * DAY))
        steps: list[tuple[int, Row]] = [
            (first_update, {"status": "new"}),
            (opened, {"status": "open"}),
        ]
        if rng.random() < 0.25:
            steps.append((opened + 3600, {"status": "pending"}))
        steps.append((solved, {"status": "solved", "solved_at": naive_local(solved, zone)}))
        if rng.random() < 0.4:
            steps.append(
                (
                    solved + int(rng.integers(3600, 3 * DAY)),
                    {"satisfaction_rating": "good" if rng.random() < 0.8 else "bad"},
                )
            )
        steps.append((solved + 4 * DAY, {"status": "closed"}))
        state = dict(base)
        by_day: dict[dt.date, Row] = {}
        for ts, change in steps:
            state.update(change)
            day = dt.datetime.fromtimestamp(ts, dt.UTC).date()
            if w.start_ts <= ts < w.end_ts:
                by_day[day] = {**state, "updated_at": naive_local(ts, zone)}
        for day, row in by_day.items():
            out[day].append(row)
    return out


def nps_extracts(w: World) -> dict[dt.date, list[Row]]:
    """NPS responses per extract date (the day they were submitted, UTC)."""
    rng = rng_for(w.cfg.seed, "nps")
    dates = w.cfg.dates()
    out: dict[dt.date, list[Row]] = {d: [] for d in dates}
    people = [p for p in w.people if p.user_id is not None]
    score_p = np.array([2, 1, 1, 2, 2, 4, 6, 12, 20, 25, 25], dtype=float)
    score_p /= score_p.sum()
    waves = list(range(w.start_ts + 3 * DAY, w.end_ts, 60 * DAY))
    ids = iter(unique_tokens(rng, len(people) * (len(waves) + 1) + 10, 12, "36"))
    for wave in waves:
        wave_day = dt.datetime.fromtimestamp(wave, dt.UTC).date()
        survey_id = f"nps-{wave_day.year}-{wave_day.month:02d}"
        for p in people:
            if p.joined_ts > wave or rng.random() > 0.3:
                continue
            ts = wave + int(rng.uniform(0, 14 * DAY))
            if ts >= w.end_ts:
                continue
            day = dt.datetime.fromtimestamp(ts, dt.UTC).date()
            email = p.email_at(ts)
            out[day].append(
                {
                    "response_id": f"resp_{next(ids)}",
                    "survey_id": survey_id,
                    "email": email.title() if rng.random() < 0.1 else email,
                    "user_id": p.user_id if rng.random() < 0.8 else None,
                    "score": int(rng.choice(11, p=score_p)),
                    "comment": str(rng.choice(catalog.NPS_COMMENTS)) or None,
                    "submitted_at": iso_local(ts, p.zone),
                }
            )
    assert all(epoch(d) >= w.start_ts for d in out)
    return out
