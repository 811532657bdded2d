"""Billing lifecycle of the world: prices, customers, subscriptions and their invoices.

Simulated once, before any extract is written, because the CRM (account
``Type``), the events (which features a company can use) and billing must
tell one story.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from c360.generate import catalog
from c360.generate.clock import DAY
from c360.generate.randomness import rng_for, unique_tokens
from c360.generate.world import YEAR, Company, Person, World, _in_window

TRIAL_DAYS = 14
LIVE = ("trialing", "active", "past_due")


@dataclass(frozen=True)
class Price:
    price_id: str
    product_id: str
    plan: str
    currency: str
    interval: str
    unit_amount: int  # minor units
    created_ts: int
    retired_ts: int | None = None  # active becomes false


@dataclass
class Invoice:
    invoice_id: str
    customer_id: str
    subscription_id: str
    currency: str
    total: int
    period_start: int
    period_end: int
    created_ts: int
    # (ts, status, amount_paid): every status the invoice passes through
    statuses: list[tuple[int, str, int]] = field(default_factory=list)


@dataclass
class Subscription:
    sub_id: str
    customer_id: str
    company_idx: int
    currency: str
    interval: str
    created_ts: int
    trial_start: int | None
    trial_end: int | None
    # (ts, {field: value}) with fields status, price_id, plan, quantity,
    # cancel_at_period_end, canceled_at, ended_at
    states: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    removed_ts: int | None = None  # vanishes from full extracts (hard delete)

    def state_at(self, ts: int) -> dict[str, Any]:
        cur: dict[str, Any] = {}
        for when, change in self.states:
            if when > ts:
                break
            cur.update(change)
        return cur

    boundaries: list[int] = field(default_factory=list)  # period starts, then the next one

    def compute_boundaries(self, until: int) -> None:
        """Period boundaries from creation until past ``until`` (trial, then every interval)."""
        months = 12 if self.interval == "year" else 1
        anchor = self.trial_end if self.trial_end is not None else self.created_ts
        out = [self.created_ts] + ([anchor] if self.trial_end is not None else [])
        k = 1
        while out[-1] <= until:
            out.append(add_months(anchor, months * k))
            k += 1
        self.boundaries = out

    def period_at(self, ts: int) -> tuple[int, int]:
        """The billing period containing ``ts``."""
        i = max(0, bisect.bisect_right(self.boundaries, ts) - 1)
        i = min(i, len(self.boundaries) - 2)
        return self.boundaries[i], self.boundaries[i + 1]


@dataclass
class BillingCustomer:
    customer_id: str
    company_idx: int
    email: str
    name: str
    created_ts: int
    currency: str
    country_code: str
    metadata: dict[str, str]
    deleted_ts: int | None = None  # deleted = true from then on
    removed_ts: int | None = None  # vanishes from full extracts


@dataclass
class Billing:
    prices: list[Price]
    customers: list[BillingCustomer]
    subscriptions: list[Subscription]
    invoices: list[Invoice]
    # company idx -> [(ts, plan or None)]: what the company is entitled to, over time
    plan_timeline: dict[int, list[tuple[int, str | None]]]


def add_months(ts: int, months: int) -> int:
    moment = dt.datetime.fromtimestamp(ts, dt.UTC)
    y, m = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + y, m + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def _prices(w: World, rng: np.random.Generator) -> list[Price]:
    out: list[Price] = []
    tokens = iter(unique_tokens(rng, 64, 14))
    created = w.start_ts - 5 * YEAR
    for plan, _name, usd_month in catalog.PLANS:
        for currency in catalog.CURRENCIES:
            for interval in ("month", "year"):
                amount = usd_month * catalog.CURRENCY_FACTOR[currency]
                if currency == "jpy":
                    amount = round(amount / 100 / 100) * 100  # whole yen, rounded to 100
                else:
                    amount = round(amount / 100) * 100
                if interval == "year":
                    amount *= 10  # two months free
                out.append(
                    Price(
                        f"price_{next(tokens)}",
                        f"prod_{plan}",
                        plan,
                        currency,
                        interval,
                        int(amount),
                        created,
                    )
                )
    # a list-price change mid-window: Growth monthly USD gets a new price, the old one retires
    change_ts = _in_window(rng, w, 0.4, 0.6)
    old = next(p for p in out if (p.plan, p.currency, p.interval) == ("growth", "usd", "month"))
    out[out.index(old)] = Price(
        old.price_id,
        old.product_id,
        old.plan,
        old.currency,
        old.interval,
        old.unit_amount,
        old.created_ts,
        change_ts,
    )
    out.append(
        Price(
            f"price_{next(tokens)}",
            old.product_id,
            "growth",
            "usd",
            "month",
            old.unit_amount + 2_000,
            change_ts,
        )
    )
    return out


def _price_for(prices: list[Price], plan: str, currency: str, interval: str, ts: int) -> Price:
    live = [
        p
        for p in prices
        if (p.plan, p.currency, p.interval) == (plan, currency, interval)
        and p.created_ts <= ts
        and (p.retired_ts is None or p.retired_ts > ts)
    ]
    return live[-1]


def simulate_billing(w: World) -> Billing:
    rng = rng_for(w.cfg.seed, "billing")
    prices = _prices(w, rng)
    billable = [c for c in w.companies if c.app_id is not None]
    cus_ids = unique_tokens(rng, len(billable), 14)
    sub_ids = iter(unique_tokens(rng, len(billable) * 3, 14))
    inv_ids = iter(unique_tokens(rng, len(billable) * 40 + 100, 16))
    b = Billing(prices, [], [], [], {})
    customers = [c for c in billable if c.kind == "customer"]
    trials = [c for c in billable if c.kind == "trial"]
    formers = [c for c in billable if c.kind == "former"]
    years = w.span() / YEAR
    admins = {p.company_idx: p for p in w.people if p.is_admin}
    for c, tok in zip(billable, cus_ids, strict=True):
        c.billing_id = f"cus_{tok}"
        b.customers.append(_customer(rng, c, admins.get(c.idx)))
    by_company = {cus.company_idx: cus for cus in b.customers}

    def new_sub(c: Company, created: int, trial: bool) -> Subscription:
        sub = Subscription(
            f"sub_{next(sub_ids)}",
            by_company[c.idx].customer_id,
            c.idx,
            by_company[c.idx].currency,
            c.interval,
            created,
            created if trial else None,
            created + TRIAL_DAYS * DAY if trial else None,
        )
        price = _price_for(prices, c.plan, sub.currency, c.interval, created)
        sub.states.append(
            (
                created,
                {
                    "status": "trialing" if trial else "active",
                    "price_id": price.price_id,
                    "plan": c.plan,
                    "quantity": c.seats,
                    "cancel_at_period_end": False,
                    "canceled_at": None,
                    "ended_at": None,
                },
            )
        )
        sub.compute_boundaries(w.end_ts + 400 * DAY)
        b.subscriptions.append(sub)
        return sub

    for k, c in enumerate(customers):
        assert c.app_created_ts is not None
        # planted upgrade (k=6) and downgrade (k=7) need room to move
        if k == 6 % len(customers) and c.plan == catalog.PLAN_ORDER[-1]:
            c.plan = catalog.PLAN_ORDER[1]
        if k == 7 % len(customers) and c.plan == catalog.PLAN_ORDER[0]:
            c.plan = catalog.PLAN_ORDER[1]
        sub = new_sub(c, c.app_created_ts + int(rng.integers(1, 20)) * DAY, trial=False)
        planned = []
        if k == 6 % len(customers) or rng.random() < 0.15 * years:
            planned.append("upgrade")
        if k == 7 % len(customers) or rng.random() < 0.07 * years:
            planned.append("downgrade")
        if rng.random() < 0.3 * years:
            planned.append("seats")
        if k == 9 % len(customers) or rng.random() < 0.05 * years:
            planned.append("past_due")
        if k == 8 % len(customers) or rng.random() < 0.08 * years:
            planned.append("cancel")
        _lifecycle(w, rng, b, c, sub, planned)
    for j, c in enumerate(trials):
        assert c.app_created_ts is not None
        sub = new_sub(c, c.app_created_ts, trial=True)
        assert sub.trial_end is not None
        converts = j % 3 != 1
        if converts:
            sub.states.append((sub.trial_end, {"status": "active"}))
            c.changes.append(
                (
                    sub.trial_end + 2 * DAY,
                    {"Type": "Customer", "Contract_Signed_Date__c": _date(sub.trial_end)},
                )
            )
        else:
            sub.states.append(
                (
                    sub.trial_end,
                    {"status": "canceled", "canceled_at": sub.trial_end, "ended_at": sub.trial_end},
                )
            )
            c.churn_ts = sub.trial_end
            cus = by_company[c.idx]
            if cus.deleted_ts is None and j == 1:
                cus.deleted_ts = sub.trial_end + 3 * DAY  # the abandoned trial is deleted
    for j, c in enumerate(formers):
        assert c.app_created_ts is not None and c.churn_ts is not None
        sub = new_sub(c, c.app_created_ts + 5 * DAY, trial=False)
        sub.states.append(
            (
                c.churn_ts,
                {
                    "status": "canceled",
                    "canceled_at": c.churn_ts - 20 * DAY,
                    "ended_at": c.churn_ts,
                },
            )
        )
        if j == 0:
            # reactivation: a new subscription on the same customer, inside the window
            back = _in_window(rng, w, 0.2, 0.5)
            c.plan = "growth"
            new_sub(c, back, trial=False)
            c.churn_ts = None
            c.changes.append((back + DAY, {"Type": "Customer"}))
        elif j == 1:
            # purged from billing: the customer and its subscription vanish from full extracts
            gone = _in_window(rng, w, 0.3, 0.5)
            by_company[c.idx].removed_ts = gone
            sub.removed_ts = gone
    for sub in b.subscriptions:
        sub.states.sort(key=lambda item: item[0])
        _invoices(w, rng, b, sub, inv_ids)
    subs_of: dict[int, list[Subscription]] = {}
    for sub in b.subscriptions:
        subs_of.setdefault(sub.company_idx, []).append(sub)
    for c in w.companies:
        c.changes.sort(key=lambda item: item[0])
        b.plan_timeline[c.idx] = _plan_timeline(subs_of.get(c.idx, []))
    return b


def _date(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")


def _customer(rng: np.random.Generator, c: Company, admin: Person | None) -> BillingCustomer:
    email = admin.email if admin is not None else f"billing@{c.domain}"
    if rng.random() < 0.15:
        email = email.title()  # typed with capitals in the checkout form
    r = rng.random()
    meta: dict[str, str] = {}
    if c.app_id is not None and (r < 0.85 or c.crm_id is None):
        meta["app_account_id"] = c.app_id
    if c.crm_id is not None and (r < 0.70 or 0.85 <= r < 0.95):
        meta["crm_account_id"] = c.crm_id
    assert c.app_created_ts is not None
    created = c.app_created_ts if c.kind == "trial" else c.app_created_ts + DAY
    assert c.billing_id is not None
    return BillingCustomer(
        c.billing_id, c.idx, email, c.name, created, c.currency, c.country_code, meta
    )


def _lifecycle(
    w: World,
    rng: np.random.Generator,
    b: Billing,
    c: Company,
    sub: Subscription,
    planned: list[str],
) -> None:
    """Apply upgrades, downgrades, seat changes, payment trouble and cancellation."""
    plan = c.plan
    order = catalog.PLAN_ORDER
    for what in planned:
        when = _in_window(rng, w, 0.1, 0.7)
        if what == "upgrade" and plan != order[-1]:
            plan = order[order.index(plan) + 1]
        elif what == "downgrade" and plan != order[0]:
            plan = order[order.index(plan) - 1]
        elif what == "seats":
            sub.states.append((when, {"quantity": max(1, c.seats + int(rng.integers(-3, 8)))}))
            continue
        elif what == "past_due":
            sub.states.append((when, {"status": "past_due"}))
            sub.states.append((when + int(rng.integers(3, 10)) * DAY, {"status": "active"}))
            continue
        elif what == "cancel":
            when = max(when, max(ts for ts, _ in sub.states) + DAY)
            period_end = sub.period_at(when)[1]
            sub.states.append((when, {"cancel_at_period_end": True, "canceled_at": when}))
            sub.states.append((period_end, {"status": "canceled", "ended_at": period_end}))
            c.churn_ts = period_end
            if period_end < w.end_ts:
                c.changes.append((period_end + 3 * DAY, {"Type": "Former Customer"}))
            continue
        else:
            continue
        price = _price_for(b.prices, plan, sub.currency, sub.interval, when)
        sub.states.append((when, {"price_id": price.price_id, "plan": plan}))


def _invoices(w: World, rng: np.random.Generator, b: Billing, sub: Subscription, ids: Any) -> None:
    """One invoice per billing period started while the subscription was live."""
    boundaries = sub.boundaries
    for p_start, p_end in itertools.pairwise(boundaries):
        if p_start >= w.end_ts or p_start < w.start_ts - 40 * DAY:
            continue
        if sub.removed_ts is not None and p_start >= sub.removed_ts:
            continue
        state = sub.state_at(p_start)
        if state.get("status") not in LIVE:
            continue
        price = next(p for p in b.prices if p.price_id == state["price_id"])
        in_trial = sub.trial_end is not None and p_start < sub.trial_end
        total = 0 if in_trial else price.unit_amount * int(state["quantity"])
        created = p_start + 3600
        inv = Invoice(
            f"in_{next(ids)}",
            sub.customer_id,
            sub.sub_id,
            sub.currency,
            total,
            p_start,
            p_end,
            created,
        )
        r = rng.random()
        if rng.random() < 0.05:
            inv.statuses.append((created, "draft", 0))
        opened = created + (3600 if inv.statuses else 0)
        inv.statuses.append((opened, "open", 0))
        if total == 0 or r < 0.9:
            inv.statuses.append((opened + int(rng.integers(0, 3)) * DAY + 600, "paid", total))
        elif r < 0.95:
            inv.statuses.append((opened + int(rng.integers(3, 10)) * DAY, "paid", total))
        elif r < 0.98:
            inv.statuses.append((opened + 20 * DAY, "uncollectible", 0))
        else:
            inv.statuses.append((opened + DAY, "void", 0))
        b.invoices.append(inv)


def _plan_timeline(subs: list[Subscription]) -> list[tuple[int, str | None]]:
    """When the company had which plan (None: no live subscription)."""
    points: list[tuple[int, str | None]] = []
    moments = sorted({ts for s in subs for ts, _ in s.states})
    for ts in moments:
        live = [s.state_at(ts) for s in subs if s.state_at(ts).get("status") in LIVE]
        plan = live[-1]["plan"] if live else None
        if not points or points[-1][1] != plan:
            points.append((ts, plan))
    return points


def plan_at(timeline: list[tuple[int, str | None]], ts: int) -> str | None:
    plan: str | None = None
    for when, value in timeline:
        if when > ts:
            break
        plan = value
    return plan
