"""MRR from a hand-made billing history, checked month by month against values worked out
by hand below (docs: the `mrr_rules` and `mrr_movements` doc blocks).

Full billing extracts land on the 15th of each month (and on 25 January, to see a trial).
Each customer is a company of its own (billing only, no CRM):

- Alpha (usd): 2 seats at 100/month from 10 Jan; 5 seats in February; switches to an
  annual price (960/seat/year = 80/month) on 10 March; down to 3 seats in April; a
  second subscription (add-on, 50/month, plus a one-time setup fee that never counts)
  from 3 May.
- Beta (usd): a trial from 20 January converts on 3 February (1 seat); past_due in April
  (still counts); canceled at once on 5 May; a new subscription on 2 July.
- Gamma (eur): 80/month from 1 February; set to cancel at period end in April; ends at
  1 May 00:00 (paid through April).
- Delta (jpy): 2 x 30,000 yen from 5 January; a cheaper price (2 x 10,000) from the
  period that starts 5 June.
- Echo (usd): a price in an unknown currency and a negative quantity: nothing counts,
  both are reported.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from test_dbt_project import OUTPUTS_ONLY, REPO_ROOT, DbtRun, build, land, run_dbt

pytestmark = pytest.mark.slow

EXTRACTS = ["2026-01-15", "2026-01-25"] + [f"2026-{m:02d}-15" for m in range(2, 9)]
FULL = {"mode": "full"}

CUSTOMERS = {
    "cus_alpha": ("Alpha", "usd"),
    "cus_beta": ("Beta", "usd"),
    "cus_gamma": ("Gamma", "eur"),
    "cus_delta": ("Delta", "jpy"),
    "cus_echo": ("Echo", "usd"),
}

PRICES = [
    ("price_seat", "prod_core", "usd", 10000, "month"),
    ("price_seat_year", "prod_core", "usd", 96000, "year"),
    ("price_addon", "prod_addon", "usd", 5000, "month"),
    ("price_setup", "prod_addon", "usd", 20000, None),
    ("price_eur", "prod_core", "eur", 8000, "month"),
    ("price_jpy", "prod_core", "jpy", 30000, "month"),
    ("price_jpy_small", "prod_core", "jpy", 10000, "month"),
    ("price_xxx", "prod_core", "xxx", 1000, "month"),
]


def epoch(day: str, hour: int = 0) -> int:
    return int(datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC).timestamp())


def subscription(
    sub_id: str,
    customer: str,
    status: str,
    start: str,
    period: tuple[str, str],
    items: list[tuple[str, int]],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": sub_id,
        "customer": customer,
        "status": status,
        "created": epoch(start),
        "start_date": epoch(start),
        "current_period_start": epoch(period[0]),
        "current_period_end": epoch(period[1]),
        "cancel_at_period_end": extra.pop("cancel_at_period_end", False),
        "currency": CUSTOMERS[customer][1],
        "items": json.dumps(
            [
                {"id": f"si_{sub_id}_{n}", "price": price, "quantity": qty}
                for n, (price, qty) in enumerate(items)
            ]
        ),
        **extra,
    }


def month_period(day: int, month: int) -> tuple[str, str]:
    start = date(2026, month, day)
    end = date(2026 + month // 12, month % 12 + 1, day)
    return start.isoformat(), end.isoformat()


def subscriptions_on(extract: str) -> list[dict[str, Any]]:
    """Every subscription as the full extract of ``extract`` shows it."""
    month = int(extract[5:7])
    day = int(extract[8:10])
    rows = []
    # Alpha
    alpha_seats = 2 if month == 1 else 5 if month <= 3 else 3
    if month < 3:
        alpha = subscription(
            "sub_alpha",
            "cus_alpha",
            "active",
            "2026-01-10",
            month_period(10, month),
            [("price_seat", alpha_seats)],
        )
    else:
        alpha = subscription(
            "sub_alpha",
            "cus_alpha",
            "active",
            "2026-01-10",
            ("2026-03-10", "2027-03-10"),
            [("price_seat_year", alpha_seats)],
        )
    rows.append(alpha)
    if month >= 5:
        rows.append(
            subscription(
                "sub_alpha_addon",
                "cus_alpha",
                "active",
                "2026-05-03",
                month_period(3, month),
                [("price_addon", 1), ("price_setup", 1)],
            )
        )
    # Beta
    trial = {"trial_start": epoch("2026-01-20"), "trial_end": epoch("2026-02-03")}
    if month == 1 and day == 25:
        rows.append(
            subscription(
                "sub_beta",
                "cus_beta",
                "trialing",
                "2026-01-20",
                ("2026-01-20", "2026-02-03"),
                [("price_seat", 1)],
                **trial,
            )
        )
    elif 2 <= month <= 4:
        rows.append(
            subscription(
                "sub_beta",
                "cus_beta",
                "past_due" if month == 4 else "active",
                "2026-01-20",
                month_period(3, month),
                [("price_seat", 1)],
                **trial,
            )
        )
    elif month >= 5:
        rows.append(
            subscription(
                "sub_beta",
                "cus_beta",
                "canceled",
                "2026-01-20",
                ("2026-04-03", "2026-05-03"),
                [("price_seat", 1)],
                canceled_at=epoch("2026-05-05", 10),
                ended_at=epoch("2026-05-05", 10),
                **trial,
            )
        )
    if month >= 7:
        rows.append(
            subscription(
                "sub_beta_again",
                "cus_beta",
                "active",
                "2026-07-02",
                month_period(2, month),
                [("price_seat", 1)],
            )
        )
    # Gamma
    if 2 <= month <= 3:
        rows.append(
            subscription(
                "sub_gamma",
                "cus_gamma",
                "active",
                "2026-02-01",
                month_period(1, month),
                [("price_eur", 1)],
            )
        )
    elif month == 4:
        rows.append(
            subscription(
                "sub_gamma",
                "cus_gamma",
                "active",
                "2026-02-01",
                month_period(1, 4),
                [("price_eur", 1)],
                cancel_at_period_end=True,
                canceled_at=epoch("2026-04-12", 9),
            )
        )
    elif month >= 5:
        rows.append(
            subscription(
                "sub_gamma",
                "cus_gamma",
                "canceled",
                "2026-02-01",
                month_period(1, 4),
                [("price_eur", 1)],
                canceled_at=epoch("2026-04-12", 9),
                ended_at=epoch("2026-05-01"),
            )
        )
    # Delta
    price = "price_jpy" if month < 6 else "price_jpy_small"
    rows.append(
        subscription(
            "sub_delta", "cus_delta", "active", "2026-01-05", month_period(5, month), [(price, 2)]
        )
    )
    # Echo
    rows.append(
        subscription(
            "sub_echo",
            "cus_echo",
            "active",
            "2026-01-02",
            month_period(2, month),
            [("price_xxx", 1), ("price_seat", -1)],
        )
    )
    return rows


@pytest.fixture(scope="module")
def revenue_build(tmp_path_factory: pytest.TempPathFactory) -> DbtRun:
    root = tmp_path_factory.mktemp("revenue")
    raw = root / "raw"
    for extract in EXTRACTS:
        land(
            raw,
            "billing/customers",
            extract,
            [
                {
                    "id": cid,
                    "email": f"billing@{name.lower()}.example",
                    "name": name,
                    "created": epoch("2026-01-01"),
                    "currency": currency,
                    "address_country": "US",
                    "deleted": False,
                    "metadata": "{}",
                }
                for cid, (name, currency) in CUSTOMERS.items()
            ],
            FULL,
        )
        land(
            raw,
            "billing/products",
            extract,
            [
                {
                    "id": "prod_core",
                    "name": "Core",
                    "active": True,
                    "metadata": '{"plan": "growth"}',
                },
                {"id": "prod_addon", "name": "Add-on", "active": True, "metadata": "{}"},
            ],
            FULL,
        )
        land(
            raw,
            "billing/prices",
            extract,
            [
                {
                    "id": pid,
                    "product": product,
                    "currency": currency,
                    "unit_amount": amount,
                    "recurring_interval": interval,
                    "recurring_interval_count": 1 if interval else None,
                    "active": True,
                }
                for pid, product, currency, amount, interval in PRICES
            ],
            FULL,
        )
        land(raw, "billing/subscriptions", extract, subscriptions_on(extract), FULL)
    return build(root / "build", raw, *OUTPUTS_ONLY)


# (customer, month) -> (mrr, movement), by hand from the module docstring
EXPECTED: dict[tuple[str, int], tuple[str, str]] = {
    ("cus_alpha", 1): ("200", "new"),  # 2 x 100
    ("cus_alpha", 2): ("500", "expansion"),  # 5 seats
    ("cus_alpha", 3): ("400", "contraction"),  # 5 x 960 / 12
    ("cus_alpha", 4): ("240", "contraction"),  # 3 x 80
    ("cus_alpha", 5): ("290", "expansion"),  # + add-on 50 (the setup fee never counts)
    ("cus_alpha", 6): ("290", "flat"),
    ("cus_alpha", 7): ("290", "flat"),
    ("cus_alpha", 8): ("290", "flat"),
    ("cus_beta", 2): ("100", "new"),  # the trial (January) counts nothing
    ("cus_beta", 3): ("100", "flat"),
    ("cus_beta", 4): ("100", "flat"),  # past_due still counts
    ("cus_beta", 5): ("0", "churn"),  # canceled on 5 May; June starts and ends at 0
    ("cus_beta", 7): ("100", "reactivation"),
    ("cus_beta", 8): ("100", "flat"),
    ("cus_gamma", 2): ("80", "new"),
    ("cus_gamma", 3): ("80", "flat"),
    ("cus_gamma", 4): ("80", "flat"),  # paid through April
    ("cus_gamma", 5): ("0", "churn"),
    ("cus_delta", 1): ("60000", "new"),
    ("cus_delta", 2): ("60000", "flat"),
    ("cus_delta", 3): ("60000", "flat"),
    ("cus_delta", 4): ("60000", "flat"),
    ("cus_delta", 5): ("60000", "flat"),
    ("cus_delta", 6): ("20000", "contraction"),
    ("cus_delta", 7): ("20000", "flat"),
    ("cus_delta", 8): ("20000", "flat"),
}

COMPANY_OF = """
    select identifier_value, company_key from marts.bridge_company_identifiers
    where identifier_type = 'billing_customer_id'
"""


def test_every_month_s_mrr_and_movement_match_the_hand_computed_values(
    revenue_build: DbtRun,
) -> None:
    rows = revenue_build.query(
        f"""
        select ids.identifier_value, m.month, m.mrr, m.movement, m.currency
        from marts.fct_mrr_monthly as m
        inner join ({COMPANY_OF}) as ids on m.company_key = ids.company_key
        """
    )
    got = {(cus, month.month): (mrr, movement) for cus, month, mrr, movement, _ in rows}
    expected = {key: (Decimal(mrr), movement) for key, (mrr, movement) in EXPECTED.items()}
    assert got == expected
    currencies = {cus: currency for cus, _, _, _, currency in rows}
    assert currencies == {
        "cus_alpha": "usd",
        "cus_beta": "usd",
        "cus_gamma": "eur",
        "cus_delta": "jpy",
    }


def test_changes_are_dated_by_stripe_s_times(revenue_build: DbtRun) -> None:
    def mrr_on(customer: str, day: str) -> Decimal | None:
        found = revenue_build.query(
            f"""
            select sum(d.mrr) from marts.fct_mrr_daily as d
            inner join ({COMPANY_OF}) as ids on d.company_key = ids.company_key
            where ids.identifier_value = '{customer}' and d.mrr_date = date '{day}'
            """
        )
        return found[0][0]

    assert mrr_on("cus_beta", "2026-02-02") is None  # still trialing
    assert mrr_on("cus_beta", "2026-02-03") == Decimal(100)  # trial_end
    assert mrr_on("cus_beta", "2026-05-04") == Decimal(100)
    assert mrr_on("cus_beta", "2026-05-05") is None  # ended_at, 10:00 that day
    assert mrr_on("cus_alpha", "2026-03-09") == Decimal(500)
    assert mrr_on("cus_alpha", "2026-03-10") == Decimal(400)  # the annual period's start
    assert mrr_on("cus_gamma", "2026-04-30") == Decimal(80)  # ends at 1 May 00:00
    assert mrr_on("cus_gamma", "2026-05-01") is None
    assert mrr_on("cus_delta", "2026-06-04") == Decimal(60000)
    assert mrr_on("cus_delta", "2026-06-05") == Decimal(20000)


def test_the_reporting_currency_reconciles_month_by_month(revenue_build: DbtRun) -> None:
    rows = revenue_build.query(
        """
        select month, sum(previous_mrr_reporting) + sum(movement_mrr_reporting)
            + sum(fx_effect) - sum(mrr_reporting), sum(previous_mrr) + sum(movement_mrr)
            - sum(mrr), count(*) filter (where mrr_reporting is null and mrr > 0)
        from marts.fct_mrr_monthly group by month
        """
    )
    assert len(rows) == 8
    for month, reporting_gap, gap, unconverted in rows:
        assert reporting_gap == 0 and gap == 0 and unconverted == 0, month
    gamma_feb = revenue_build.query(
        """
        select m.mrr_reporting, m.mrr * m.fx_rate, m.fx_effect
        from marts.fct_mrr_monthly as m
        where m.currency = 'eur' and m.month = date '2026-03-01'
        """
    )
    [(reporting, converted, fx_effect)] = gamma_feb
    assert reporting == round(converted, 4) and fx_effect != 0  # the example rates move


def test_bad_billing_input_is_reported_and_left_out(revenue_build: DbtRun) -> None:
    issues = revenue_build.query(
        """
        select issue_type, entity_id from ops.data_issues
        where issue_type in ('missing_price', 'negative_quantity', 'price_without_interval')
        """
    )
    assert sorted(issues) == [
        ("missing_price", "sub_echo"),
        ("negative_quantity", "sub_echo"),
        ("price_without_interval", "sub_alpha_addon"),
    ]
    rejected = revenue_build.query(
        "select reason from ops.rejected_rows where source_table = 'billing/prices'"
    )
    assert {r for (r,) in rejected} == {"unknown currency"}
    echo = revenue_build.query(
        f"""
        select count(*) from marts.fct_mrr_daily as d
        inner join ({COMPANY_OF}) as ids on d.company_key = ids.company_key
        where ids.identifier_value = 'cus_echo'
        """
    )
    assert echo == [(0,)]


def test_the_revenue_data_tests_pass_on_this_history(revenue_build: DbtRun) -> None:
    """The reconciliation and grain tests declared on the revenue models hold here too."""
    done = run_dbt(
        [
            "test",
            "--select",
            "+fct_mrr_monthly,config.materialized:table",
            "--exclude-resource-type",
            "unit_test",
        ],
        revenue_build.warehouse.parent,
        revenue_build.warehouse.parent.parent / "raw",
    )
    assert done.result.returncode == 0, done.result.stdout[-3000:]
    assert any("fct_mrr_monthly" in t for t in done.statuses()), "no test ran"


def _rate(month: str, currency: str) -> Decimal:
    with (REPO_ROOT / "seeds" / "fx_rates.csv").open() as f:
        for row in csv.DictReader(f):
            if (
                row["month"] == month
                and row["currency"] == currency
                and row["reporting_currency"] == "usd"
            ):
                return Decimal(row["rate"])
    raise AssertionError(f"no {currency} rate for {month} in fx_rates.csv")


def test_quarterly_retention_at_constant_currency(revenue_build: DbtRun) -> None:
    # April to June: the cohort at the end of March is Alpha 400, Beta 100, Gamma 80 EUR and
    # Delta 60,000 JPY; at the end of June Alpha 290, Delta 20,000 JPY, the others 0; both
    # ends at June's rates
    eur, jpy = _rate("2026-06-01", "eur"), _rate("2026-06-01", "jpy")
    start = Decimal(400) + 100 + 80 * eur + 60000 * jpy
    retained = Decimal(290) + 20000 * jpy
    [row] = revenue_build.query(
        """
        select start_mrr_reporting, end_mrr_reporting, net_revenue_retention,
            gross_revenue_retention, logo_retention, start_customer_count,
            churn_mrr_reporting, new_mrr_reporting + reactivation_mrr_reporting
        from marts.rpt_revenue_retention
        where rollup = 'company' and segment_type = 'all' and window_months = 3
            and period_end_month = date '2026-06-01'
        """
    )
    start_got, end_got, nrr, grr, logos, cohort, churn, added = row
    assert abs(start_got - start) < Decimal("0.001")
    assert abs(end_got - retained) < Decimal("0.001")
    assert abs(Decimal(nrr) - retained / start) < Decimal("0.000001")
    assert grr == nrr  # nobody expanded
    assert logos == 0.5 and cohort == 4
    assert abs(churn + 100 + 80 * eur) < Decimal("0.001")
    assert added == 0


def test_customer_360_says_where_each_customer_stands(revenue_build: DbtRun) -> None:
    rows = revenue_build.query(
        f"""
        select ids.identifier_value, c.lifecycle_stage, c.mrr_currency, c.mrr, c.first_mrr_date
        from marts.customer_360 as c
        inner join ({COMPANY_OF}) as ids on c.company_key = ids.company_key
        """
    )
    got = {cus: (stage, currency, mrr, first) for cus, stage, currency, mrr, first in rows}
    assert got == {
        "cus_alpha": ("paying", "usd", Decimal(290), date(2026, 1, 10)),
        "cus_beta": ("paying", "usd", Decimal(100), date(2026, 2, 3)),
        # its MRR ended on 30 April, more than 90 days before the latest extract (15 August)
        "cus_gamma": ("former_customer", None, None, date(2026, 2, 1)),
        "cus_delta": ("paying", "jpy", Decimal(20000), date(2026, 1, 5)),
        "cus_echo": ("prospect", None, None, None),
    }
