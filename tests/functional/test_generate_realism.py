"""The tiny landing zone holds every realistic case later models must handle.

Each test looks for one case in the raw files, through the spec's columns
only (never the generator's internals), so a test fails if the generator
stops producing the case.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from c360 import spec


@pytest.fixture(scope="module")
def db(tiny_landing: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for t in spec.TABLES:
        glob = (tiny_landing / t.system / t.table / "*" / "*.parquet").as_posix()
        con.execute(
            f"create view {t.system}_{t.table} as select * from read_parquet("
            f"'{glob}', hive_partitioning = true, union_by_name = true, filename = true)"
        )
    con.execute("""
        create view ev as
        select *,
            timestamp::timestamptz as ts, sentAt::timestamptz as sent_ts,
            receivedAt::timestamptz as recv_ts,
            case when sentAt is null then timestamp::timestamptz
                 else receivedAt::timestamptz
                      - (sentAt::timestamptz - timestamp::timestamptz) end as occurred
        from events_messages
    """)
    yield con
    con.close()


def one(db: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = db.execute(sql).fetchone()
    assert row is not None
    return int(row[0] or 0)


# ---------------------------------------------------------------- CRM


def test_company_trees_several_levels_deep(db: duckdb.DuckDBPyConnection) -> None:
    depth = one(
        db,
        """
        with recursive latest as (
            select Id, ParentId from crm_accounts
            qualify row_number() over (partition by Id order by SystemModstamp desc) = 1
        ),
        walk as (
            select Id, ParentId, 0 as depth from latest
            union all
            select w.Id, l.ParentId, w.depth + 1
            from walk w join latest l on w.ParentId = l.Id
            where w.depth < 10
        )
        select max(depth) from walk
    """,
    )
    assert depth >= 3, "expected a chain of at least four levels"


@pytest.mark.parametrize(
    "column", ["Industry", "OwnerId", "CSM__c", "NumberOfEmployees", "Time_Zone__c", "ParentId"]
)
def test_account_attributes_change_over_time(db: duckdb.DuckDBPyConnection, column: str) -> None:
    changed = one(
        db,
        f"""
        select count(*) from (
            select Id from crm_accounts group by Id
            having count(distinct coalesce("{column}"::varchar, '<null>')) > 1
        )
    """,
    )
    assert changed >= 1, f"no account changes {column}"


def test_time_zone_free_text_variety(db: duckdb.DuckDBPyConnection) -> None:
    values = {
        r[0]
        for r in db.execute(
            "select distinct Time_Zone__c from crm_accounts where Time_Zone__c is not null"
        ).fetchall()
    }
    iana = {v for v in values if "/" in v}
    assert iana and values - iana, f"need IANA names and other forms, got {sorted(values)}"


@pytest.mark.parametrize("column", ["Title", "Email", "AccountId"])
def test_contacts_change(db: duckdb.DuckDBPyConnection, column: str) -> None:
    changed = one(
        db,
        f"""
        select count(*) from (
            select Id from crm_contacts group by Id
            having count(distinct lower(trim("{column}"))) > 1
        )
    """,
    )
    assert changed >= 1, f"no contact changes {column}"


def test_soft_deletes(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "select count(distinct Id) from crm_accounts where IsDeleted") >= 1
    assert one(db, "select count(distinct Id) from crm_contacts where IsDeleted") >= 1
    assert one(db, "select count(distinct id) from billing_customers where deleted") >= 1


@pytest.mark.parametrize("table", ["crm/accounts", "crm/contacts"])
def test_hard_delete_visible_in_full_extract(
    db: duckdb.DuckDBPyConnection, tiny_landing: Path, table: str
) -> None:
    """An Id in one full extract, absent from a later full extract, never soft-deleted."""
    manifests = sorted((tiny_landing / table).glob("*/_manifest.json"))
    full = [json.loads(m.read_text())["extract_date"] for m in manifests]
    full = [
        d
        for d, m in zip(full, manifests, strict=True)
        if json.loads(m.read_text())["mode"] == "full"
    ]
    assert len(full) >= 2
    view = table.replace("/", "_")
    dates = ", ".join(f"date '{d}'" for d in full)
    gone = one(
        db,
        f"""
        with present as (
            select distinct Id, extract_date from {view} where extract_date in ({dates})
        ),
        full_dates as (select distinct extract_date from present)
        select count(distinct p.Id) from present p
        where exists (
            select 1 from full_dates f where f.extract_date > p.extract_date
              and not exists (select 1 from present q
                              where q.Id = p.Id and q.extract_date = f.extract_date)
        )
        and not exists (select 1 from {view} s where s.Id = p.Id and s.IsDeleted)
    """,
    )
    assert gone >= 1


def test_billing_customer_vanishes_from_full_extracts(db: duckdb.DuckDBPyConnection) -> None:
    last = one(db, "select count(distinct extract_date) from billing_customers")
    vanished = one(
        db,
        """
        select count(*) from (
            select id, max(extract_date) as last_seen from billing_customers group by id
        ) where last_seen < (select max(extract_date) from billing_customers)
    """,
    )
    assert last > 1 and vanished >= 1


# ---------------------------------------------------------------- events


def test_anonymous_visits_that_later_log_in(db: duckdb.DuckDBPyConnection) -> None:
    linked = one(
        db,
        """
        select count(distinct a.anonymousId) from ev a
        join ev i on i.anonymousId = a.anonymousId and i.type in ('identify', 'alias')
                  and i.userId is not null and i.recv_ts > a.recv_ts
        where a.userId is null
    """,
    )
    assert linked >= 1


def test_alias_calls(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "select count(*) from ev where type = 'alias' and previousId is not null") >= 1


def test_utm_campaigns(db: duckdb.DuckDBPyConnection) -> None:
    n = one(
        db,
        """
        select count(*) from ev
        where json_extract_string(context, '$.campaign.source') is not null
          and json_extract_string(context, '$.page.url') like '%utm_source=%'
    """,
    )
    assert n >= 1


def test_retried_messages_land_twice(db: duckdb.DuckDBPyConnection) -> None:
    same = one(
        db,
        """select count(*) from (select messageId from ev
                      group by messageId, extract_date having count(*) > 1)""",
    )
    across = one(
        db,
        """select count(*) from (select messageId from ev
                        group by messageId having count(distinct extract_date) > 1)""",
    )
    assert same >= 1 and across >= 1


def test_late_messages(db: duckdb.DuckDBPyConnection) -> None:
    late = one(
        db,
        """select count(*) from ev
                      where occurred < extract_date::timestamptz - interval 1 hour""",
    )
    assert late >= 1


def test_device_clock_skew(db: duckdb.DuckDBPyConnection) -> None:
    skewed = one(
        db,
        """select count(*) from ev where sent_ts is not null
                        and abs(epoch(sent_ts) - epoch(recv_ts)) > 600""",
    )
    assert skewed >= 1
    assert one(db, "select count(*) from ev where sentAt is null") >= 1


def test_timestamps_in_several_offsets(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "select count(*) from ev where timestamp like '%Z'") >= 1
    assert (
        one(db, "select count(*) from ev where regexp_matches(timestamp, '[+-]\\d\\d:\\d\\d$')")
        >= 1
    )


def test_users_without_analytics_consent(db: duckdb.DuckDBPyConnection) -> None:
    n = one(
        db,
        """select count(distinct userId) from ev where userId is not null and
        json_extract(context, '$.consent.categoryPreferences.analytics')::boolean = false""",
    )
    assert n >= 1
    assert one(db, "select count(*) from ev where json_extract(context, '$.consent') is null") >= 1


def test_telemetry_reports(db: duckdb.DuckDBPyConnection) -> None:
    n = one(
        db,
        """
        select count(*) from ev where event = 'Telemetry Reported'
          and json_extract(properties, '$.version') is not null
          and json_extract(properties, '$.servers') is not null
          and json_extract(properties, '$.instances') is not null
          and json_extract(properties, '$.apps') is not null
          and json_extract(properties, '$.frontend_clients') is not null
    """,
    )
    assert n >= 20


def test_feature_toggles(db: duckdb.DuckDBPyConnection) -> None:
    on = one(
        db,
        """select count(*) from ev where event = 'Feature Enabled'
                    and json_extract_string(properties, '$.feature') is not null""",
    )
    off = one(db, "select count(*) from ev where event = 'Feature Disabled'")
    assert on >= 1 and off >= 1


def test_group_and_identify_calls(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "select count(distinct groupId) from ev where type = 'group'") >= 5
    assert one(db, "select count(*) from ev where type = 'identify' and traits like '%email%'") >= 5


def test_person_moves_company_in_events(db: duckdb.DuckDBPyConnection) -> None:
    assert (
        one(
            db,
            """select count(*) from (select userId from ev where type = 'group'
                      group by userId having count(distinct groupId) > 1)""",
        )
        >= 1
    )


# ---------------------------------------------------------------- billing


PLAN_RANK = (
    "case json_extract_string(pr.metadata, '$.plan') when 'starter' then 1 "
    "when 'growth' then 2 when 'enterprise' then 3 end"
)


def _plan_changes(db: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    rows = db.execute(f"""
        with items as (
            select s.id, s.extract_date,
                   json_extract_string(s.items, '$[0].price') as price_id
            from billing_subscriptions s
        ),
        ranked as (
            select i.id, i.extract_date, {PLAN_RANK} as plan_rank
            from items i
            join (select distinct id, product from billing_prices) p on p.id = i.price_id
            join (select distinct id, metadata from billing_products) pr on pr.id = p.product
        ),
        steps as (
            select plan_rank, lag(plan_rank) over (partition by id order by extract_date) as prev
            from ranked
        )
        select prev, plan_rank from steps where prev is not null and prev <> plan_rank
    """).fetchall()
    return [(int(a), int(b)) for a, b in rows]


def test_plan_upgrades_and_downgrades(db: duckdb.DuckDBPyConnection) -> None:
    changes = _plan_changes(db)
    assert any(b > a for a, b in changes), "no upgrade"
    assert any(b < a for a, b in changes), "no downgrade"


def test_cancellations_and_cancel_at_period_end(db: duckdb.DuckDBPyConnection) -> None:
    assert (
        one(db, "select count(distinct id) from billing_subscriptions where cancel_at_period_end")
        >= 1
    )
    newly = one(
        db,
        """
        select count(*) from (
            select id from billing_subscriptions group by id
            having bool_or(status = 'canceled') and bool_or(status in ('active', 'trialing'))
        )
    """,
    )
    assert newly >= 1


def test_reactivation(db: duckdb.DuckDBPyConnection) -> None:
    n = one(
        db,
        """
        with subs as (
            select id, customer, min(created) as created, arg_max(status, extract_date) as status
            from billing_subscriptions group by id, customer
        )
        select count(*) from subs old join subs new
          on new.customer = old.customer and new.created > old.created
        where old.status = 'canceled' and new.status = 'active'
    """,
    )
    assert n >= 1


def test_trials_convert_and_lapse(db: duckdb.DuckDBPyConnection) -> None:
    converted = one(
        db,
        """select count(*) from (select id from billing_subscriptions group by id
        having bool_or(status = 'trialing') and bool_or(status = 'active'))""",
    )
    lapsed = one(
        db,
        """select count(*) from (select id from billing_subscriptions group by id
        having bool_or(status = 'trialing') and bool_or(status = 'canceled'))""",
    )
    assert converted >= 1 and lapsed >= 1
    assert one(db, "select count(*) from billing_subscriptions where trial_end > trial_start") >= 1


def test_annual_and_monthly_prices_in_several_currencies(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute("""
        select distinct p.recurring_interval, p.currency
        from billing_subscriptions s
        join billing_prices p on p.id = json_extract_string(s.items, '$[0].price')
    """).fetchall()
    assert {r[0] for r in rows} >= {"month", "year"}
    assert {r[1] for r in rows} >= {"usd", "eur", "gbp", "jpy"}


def test_jpy_amounts_are_whole_yen(db: duckdb.DuckDBPyConnection) -> None:
    yen = db.execute(
        "select min(unit_amount) from billing_prices where currency = 'jpy'"
    ).fetchone()
    usd = db.execute(
        "select min(unit_amount) from billing_prices where currency = 'usd'"
    ).fetchone()
    assert yen is not None and usd is not None
    # the same plan costs ~150x more units in yen than in cents -> JPY has no minor unit
    assert yen[0] > usd[0]
    assert one(db, "select count(*) from billing_invoices where currency = 'jpy'") >= 1


def test_price_list_changes(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "select count(distinct id) from billing_prices where not active") >= 1
    days = one(
        db,
        "select count(distinct n) from (select extract_date, count(*) n "
        "from billing_prices group by 1)",
    )
    assert days >= 2, "a new price appears during the window"


def test_invoice_lifecycle(db: duckdb.DuckDBPyConnection) -> None:
    assert (
        one(
            db,
            """select count(*) from (select id from billing_invoices group by id
                      having count(distinct status) > 1)""",
        )
        >= 1
    )


# ---------------------------------------------------------------- support


def _naive_kind(text: str, zone: ZoneInfo) -> str:
    naive = dt.datetime.fromisoformat(text)
    a = naive.replace(fold=0, tzinfo=zone)
    b = naive.replace(fold=1, tzinfo=zone)
    if a.utcoffset() == b.utcoffset():
        return "normal"
    # in a gap the wall time does not survive a round trip through UTC
    back = a.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    return "gap" if back != naive else "overlap"


def test_tickets_with_dst_gap_and_overlap_times(db: duckdb.DuckDBPyConnection) -> None:
    zone = ZoneInfo("America/Los_Angeles")
    texts = [
        r[0]
        for r in db.execute("""
        select created_at from support_tickets union select updated_at from support_tickets
        union select solved_at from support_tickets
    """).fetchall()
        if r[0] is not None
    ]
    kinds = {_naive_kind(t, zone) for t in texts}
    assert {"gap", "overlap"} <= kinds


def test_nps_responses(db: duckdb.DuckDBPyConnection) -> None:
    assert one(db, "select count(*) from support_nps_responses") >= 5
    assert one(db, "select count(distinct score) from support_nps_responses") >= 3
