"""Billing extracts (Stripe-shaped): daily full customers, subscriptions, products, prices;
incremental invoices."""

from __future__ import annotations

import datetime as dt
import json

from c360.generate import catalog
from c360.generate.clock import DAY, epoch
from c360.generate.subscriptions import Billing
from c360.generate.versioned import Row
from c360.generate.world import World


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def billing_extracts(w: World, b: Billing) -> dict[str, dict[dt.date, list[Row]]]:
    dates = w.cfg.dates()
    out: dict[str, dict[dt.date, list[Row]]] = {
        name: {d: [] for d in dates}
        for name in (
            "billing/customers",
            "billing/subscriptions",
            "billing/products",
            "billing/prices",
            "billing/invoices",
        )
    }
    retired_products = {"prod_legacy"}
    for d in dates:
        cutoff = epoch(d) + DAY  # state as of the end of the day
        out["billing/products"][d] = [
            {"id": f"prod_{plan}", "name": name, "active": True, "metadata": _json({"plan": plan})}
            for plan, name, _ in catalog.PLANS
        ] + [
            {
                "id": pid,
                "name": "Legacy Pro",
                "active": False,
                "metadata": _json({"plan": "legacy_pro"}),
            }
            for pid in sorted(retired_products)
        ]
        out["billing/prices"][d] = [
            {
                "id": p.price_id,
                "product": p.product_id,
                "currency": p.currency,
                "unit_amount": p.unit_amount,
                "recurring_interval": p.interval,
                "recurring_interval_count": 1,
                "active": p.retired_ts is None or p.retired_ts >= cutoff,
            }
            for p in b.prices
            if p.created_ts < cutoff
        ]
        out["billing/customers"][d] = [
            {
                "id": c.customer_id,
                "email": c.email,
                "name": c.name,
                "created": c.created_ts,
                "currency": c.currency,
                "address_country": c.country_code,
                "deleted": c.deleted_ts is not None and c.deleted_ts < cutoff,
                "metadata": _json(c.metadata),
            }
            for c in b.customers
            if c.created_ts < cutoff and (c.removed_ts is None or c.removed_ts >= cutoff)
        ]
        rows = []
        for s in b.subscriptions:
            if s.created_ts >= cutoff or (s.removed_ts is not None and s.removed_ts < cutoff):
                continue
            st = s.state_at(cutoff - 1)
            period_start, period_end = s.period_at(
                min(cutoff - 1, st["ended_at"] - 1) if st.get("ended_at") else cutoff - 1
            )
            rows.append(
                {
                    "id": s.sub_id,
                    "customer": s.customer_id,
                    "status": st["status"],
                    "created": s.created_ts,
                    "start_date": s.created_ts,
                    "current_period_start": period_start,
                    "current_period_end": period_end,
                    "cancel_at_period_end": bool(st["cancel_at_period_end"]),
                    "canceled_at": st["canceled_at"],
                    "ended_at": st["ended_at"],
                    "trial_start": s.trial_start,
                    "trial_end": s.trial_end,
                    "currency": s.currency,
                    "items": _json(
                        [
                            {
                                "id": f"si_{s.sub_id[4:]}",
                                "price": st["price_id"],
                                "quantity": st["quantity"],
                            }
                        ]
                    ),
                }
            )
        out["billing/subscriptions"][d] = rows
    starts = {epoch(d): d for d in dates}
    for inv in b.invoices:
        seen: dict[dt.date, Row] = {}
        for ts, status, paid in inv.statuses:
            day = starts.get(epoch(dt.datetime.fromtimestamp(ts, dt.UTC).date()))
            if day is None:
                continue
            seen[day] = {  # the last status of a day is what that day's extract sees
                "id": inv.invoice_id,
                "customer": inv.customer_id,
                "subscription": inv.subscription_id,
                "status": status,
                "currency": inv.currency,
                "amount_due": inv.total,
                "amount_paid": paid,
                "total": inv.total,
                "period_start": inv.period_start,
                "period_end": inv.period_end,
                "created": inv.created_ts,
            }
        for day, row in seen.items():
            out["billing/invoices"][day].append(row)
    return out
