"""CRM extracts (Salesforce-shaped): accounts, contacts, users, opportunities."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from c360.generate import catalog
from c360.generate.clock import DAY, iso_z
from c360.generate.randomness import rng_for, salesforce_ids
from c360.generate.subscriptions import Billing, plan_at
from c360.generate.versioned import Record, Row, daily_extracts
from c360.generate.world import Company, World


def full_dates(w: World) -> set[dt.date]:
    """CRM lands a full extract on the first day, every ``crm_full_every`` days, and the last."""
    dates = w.cfg.dates()
    every = max(1, w.cfg.crm_full_every)
    return {d for i, d in enumerate(dates) if i % every == 0} | {dates[-1]}


def _stamp(row: Row, created: int, modified: int, system: int) -> Row:
    out = dict(row)
    out["CreatedDate"] = iso_z(created)
    out["LastModifiedDate"] = iso_z(modified)
    out["SystemModstamp"] = iso_z(system)
    return out


def _versions(
    created: int,
    initial: Row,
    changes: list[tuple[int, Row]],
    soft_deleted: int | None,
    with_deleted: bool = True,
) -> list[tuple[int, Row]]:
    """Cumulative versions; an empty change moves SystemModstamp only (a system update)."""
    state = dict(initial)
    if with_deleted:
        state["IsDeleted"] = False
    modified = created
    out = [(created, _stamp(state, created, created, created))]
    events = sorted(
        [(ts, ch) for ts, ch in changes if ts > created]
        + ([(soft_deleted, {"IsDeleted": True})] if soft_deleted is not None else []),
        key=lambda item: item[0],
    )
    for ts, change in events:
        if change:
            state.update(change)
            modified = ts
        out.append((ts, _stamp(state, created, modified, ts)))
    return out


def account_records(w: World) -> list[Record]:
    out = []
    for c in w.companies:
        if c.crm_id is None or c.crm_created_ts is None:
            continue
        row = {"Id": c.crm_id, **c.initial}
        out.append(
            Record(
                c.crm_id,
                _versions(c.crm_created_ts, row, c.changes, c.soft_deleted_ts),
                c.hard_deleted_ts,
            )
        )
    return out


def _crm_email(rng: np.random.Generator, email: str) -> str:
    """Reps paste emails with capitals and stray spaces."""
    r = rng.random()
    if r < 0.08:
        local, _, host = email.partition("@")
        return f"{local.title()}@{host.title()}"
    if r < 0.12:
        return f" {email} "
    return email


def contact_records(w: World) -> list[Record]:
    rng = rng_for(w.cfg.seed, "contacts")
    out = []
    for p in w.people:
        if p.contact_id is None or p.contact_created_ts is None:
            continue
        created = p.contact_created_ts
        company = w.companies[p.company_at(created)]
        title = p.title
        for ts, ch in p.changes:
            if ts <= created and "title" in ch:
                title = ch["title"]
        row = {
            "Id": p.contact_id,
            "AccountId": company.crm_id,
            "Email": _crm_email(rng, p.email_at(created)),
            "FirstName": p.first,
            "LastName": p.last,
            "Title": title,
            "LeadSource": str(rng.choice(catalog.LEAD_SOURCES)),
            "App_User_Id__c": p.user_id if p.contact_links_app else None,
            "HasOptedOutOfEmail": bool(rng.random() < 0.1),
        }
        changes: list[tuple[int, Row]] = []
        for ts, ch in p.changes:
            crm_change: Row = {}
            if "title" in ch:
                crm_change["Title"] = ch["title"]
            if "email" in ch:
                crm_change["Email"] = _crm_email(rng, ch["email"])
            if "company_idx" in ch:
                crm_change["AccountId"] = w.companies[ch["company_idx"]].crm_id
            # reps update the contact a little after the person changed
            changes.append((ts + int(rng.integers(0, 3)) * DAY + 3600, crm_change))
        if rng.random() < 0.1:
            changes.append(
                (
                    int(w.start_ts + rng.uniform(0, 1) * w.span()),
                    {"HasOptedOutOfEmail": not row["HasOptedOutOfEmail"]},
                )
            )
        out.append(
            Record(
                p.contact_id, _versions(created, row, changes, p.soft_deleted_ts), p.hard_deleted_ts
            )
        )
    return out


def user_records(w: World) -> list[Record]:
    out = []
    for u in w.crm_users:
        row = {
            "Id": u.user_id,
            "Name": u.name,
            "Email": u.email,
            "Title": u.title,
            "IsActive": True,
        }
        changes: list[tuple[int, Row]] = []
        if u.left_ts is not None:
            changes.append((u.left_ts, {"IsActive": False}))
        versions = _versions(u.modified_ts, row, changes, None, with_deleted=False)
        for _, v in versions:
            v.pop("CreatedDate", None)
        out.append(Record(u.user_id, versions))
    return out


def opportunity_records(w: World, billing: Billing) -> list[Record]:
    rng = rng_for(w.cfg.seed, "opportunities")
    companies = [c for c in w.companies if c.crm_id is not None and c.crm_created_ts is not None]
    ids = iter(salesforce_ids(rng, len(companies) * 4 + 4, "006"))
    out: list[Record] = []
    for c in companies:
        assert c.crm_created_ts is not None
        currency = c.currency.upper()
        timeline = billing.plan_timeline.get(c.idx, [])
        for kind, created, closes, won in _opportunity_plan(w, rng, c, timeline):
            plan = plan_at(timeline, closes) or c.plan
            usd = next(p[2] for p in catalog.PLANS if p[0] == plan)
            amount = usd * 12 * c.seats * catalog.CURRENCY_FACTOR[c.currency] / 100
            amount = float(round(amount, 0 if c.currency == "jpy" else 2))
            row: Row = {
                "Id": next(ids),
                "AccountId": c.crm_id,
                "Name": f"{c.name} - {kind}",
                "StageName": "Prospecting",
                "Type": kind,
                "Amount": amount,
                "CurrencyIsoCode": currency,
                "CloseDate": _date(closes),
                "IsClosed": False,
                "IsWon": False,
            }
            stages = ["Qualification", "Proposal/Price Quote", "Negotiation/Review"]
            changes: list[tuple[int, Row]] = []
            steps = np.linspace(created, closes, len(stages) + 2)[1:-1]
            for stage, ts in zip(stages, steps, strict=True):
                changes.append((int(ts), {"StageName": stage}))
            if won is not None:
                changes.append(
                    (
                        closes,
                        {
                            "StageName": "Closed Won" if won else "Closed Lost",
                            "IsClosed": True,
                            "IsWon": won,
                            "CloseDate": _date(closes),
                        },
                    )
                )
            gone = c.hard_deleted_ts
            out.append(Record(row["Id"], _versions(created, row, changes, c.soft_deleted_ts), gone))
    return out


def _opportunity_plan(
    w: World, rng: np.random.Generator, c: Company, timeline: list[tuple[int, str | None]]
) -> list[tuple[str, int, int, bool | None]]:
    """(type, created, close, won?) for the deals of one account; None = still open."""
    assert c.crm_created_ts is not None
    deals: list[tuple[str, int, int, bool | None]] = []
    start = c.crm_created_ts
    if c.kind in ("customer", "former"):
        signed = c.initial.get("Contract_Signed_Date__c")
        close = _ts(signed) if signed else start + 30 * DAY
        deals.append(("New Business", start, max(close, start + DAY), True))
        plans = [plan for _, plan in timeline]
        if len(set(p for p in plans if p)) > 1:
            first_up = next(ts for ts, p in timeline[1:] if p)
            deals.append(("Expansion", first_up - 20 * DAY, first_up, True))
        if c.interval == "year" and rng.random() < 0.6:
            open_ts = int(w.start_ts + rng.uniform(0.1, 0.6) * w.span())
            deals.append(
                (
                    "Renewal",
                    open_ts,
                    open_ts + 30 * DAY,
                    True if open_ts + 30 * DAY < w.end_ts else None,
                )
            )
    elif c.kind == "trial":
        converted = any(p for _, p in timeline[1:]) or c.churn_ts is None
        close = (c.app_created_ts or start) + 16 * DAY
        deals.append(
            (
                "New Business",
                start,
                max(close, start + DAY),
                converted if close < w.end_ts else None,
            )
        )
    else:
        close = int(max(start, w.start_ts) + rng.uniform(0.2, 0.9) * w.span())
        outcome = rng.random()
        deals.append(
            (
                "New Business",
                start,
                close,
                None if close >= w.end_ts or outcome < 0.5 else bool(outcome < 0.7),
            )
        )
    return deals


def _date(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")


def _ts(date_text: str) -> int:
    return int(dt.datetime.fromisoformat(date_text).replace(tzinfo=dt.UTC).timestamp()) + 15 * 3600


def crm_extracts(w: World, billing: Billing) -> dict[str, dict[dt.date, list[Row]]]:
    """Rows per table per extract date."""
    dates = w.cfg.dates()
    fulls = full_dates(w)
    builders: dict[str, Any] = {
        "crm/accounts": account_records(w),
        "crm/contacts": contact_records(w),
        "crm/users": user_records(w),
        "crm/opportunities": opportunity_records(w, billing),
    }
    return {name: daily_extracts(recs, dates, fulls) for name, recs in builders.items()}
