"""Consent everywhere: a message without analytics consent reaches only anonymous counts.

The tiny landing zone gets one more events partition, made by hand, the day
before its first: people who only ever refused (an identify with email, name
and IP, alias, group, track and page calls with URLs carrying the email and a
token, a retried copy, a reject), an anonymous visitor who refused, and two
people with consented and refused messages mixed (one refuses last, one
consents last). ONE ``c360 refresh`` builds and publishes it. Then, in both
the build file and the analytics file:

- no relation with a person column (found from information_schema, not
  listed by hand) holds a refused message's message_id, and in the two
  staging events relations a refused message has every person column null;
- no text anywhere holds an id, email, name, IP or URL token that only
  refused messages carried;
- the mixed people's person-level rows and counts are their consented
  messages only, and their export consent is their latest message's;
- the anonymous daily totals still count every refused message, and the
  load still reconciles (duplicates of a refused message detected by id).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from c360 import spec
from c360.privacy import hashing, keys

pytestmark = pytest.mark.slow

C360 = Path(sys.executable).parent / "c360"
REPO_ROOT = Path(__file__).resolve().parents[2]
MESSAGES = Path("events") / "messages"

# A relation identifies people when it has one of these columns.
PERSON_COLUMN = re.compile(
    r"(^|_)person_key$|^user_id$|^anonymous_id$|^previous_id$|email|^(first|last|full)_name$"
)
# The staging relations that hold every message by design; there, a refused
# message must have every person column null instead.
EVENT_STAGING = {"base_events__messages", "stg_events__messages"}
PERSON_COLUMNS_NULL_WHEN_REFUSED = (
    "user_id",
    "anonymous_id",
    "previous_id",
    "group_id",
    "context_group_id",
    "ip",
    "page_url",
    "page_path",
    "campaign_term",
    "campaign_content",
    "trait_email",
    "trait_name",
    "trait_title",
    "trait_created_at",
    "context",
    "properties",
    "traits",
)

REFUSED = {"analytics": False, "advertising": True}
GIVEN = {"analytics": True, "advertising": False}


@dataclass(frozen=True)
class Person:
    user_id: str | None
    anonymous_id: str
    email: str
    name: str
    ip: str


# only ever refused: none of these values may reach any table
REFUSER = Person(
    "usr_cnsrefuser01",
    "anon-cns-refuser-01",
    "refusa.only@cns-refuser.example",
    "Refusa Onlyperson",
    "203.0.113.241",
)
VISITOR = Person(None, "anon-cns-visitor-02", "", "", "203.0.113.242")
REFUSER_WORKSPACE = "ws_cnsrefuser01"
# consented and refused mixed; what only their refused messages carried
# (another email, name and IP, a URL token) may reach no table either
MIXED_LAST_REFUSED = Person(
    "usr_cnsmixed0001",
    "anon-cns-mixed-01",
    "mixa.one@cns-mixed.example",
    "Mixa Consenting",
    "198.51.100.201",
)
MIXED_LAST_GIVEN = Person(
    "usr_cnsmixed0002",
    "anon-cns-mixed-02",
    "mixo.two@cns-mixed.example",
    "Mixo Consenting",
    "198.51.100.202",
)
PRIVATE = {
    MIXED_LAST_REFUSED.user_id: (
        "mixa.private@cns-secret.example",
        "Mixa Secretname",
        "203.0.113.243",
    ),
    MIXED_LAST_GIVEN.user_id: (
        "mixo.private@cns-secret.example",
        "Mixo Secretname",
        "203.0.113.244",
    ),
}
# refused URLs and utm_content carry this token; consented ones another
URL_TOKEN = "tok-cns-secret-"
OPEN_TOKEN = "tok-cns-open-"


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Messages:
    """Hand-made Segment messages for one day, in the spec's columns."""

    def __init__(self, day: dt.date) -> None:
        self.clock = dt.datetime.combine(day, dt.time(8, 0))
        self.rows: list[dict[str, Any]] = []
        self.refused: set[str] = set()
        self.rejected: set[str] = set()
        self.consented: dict[str, set[str]] = {}

    def add(
        self,
        person: Person,
        kind: str,
        *,
        consent: dict[str, bool],
        ip: str | None = None,
        event: str | None = None,
        name: str | None = None,
        url: str | None = None,
        properties: dict[str, Any] | None = None,
        traits: dict[str, Any] | None = None,
        group_id: str | None = None,
        previous_id: str | None = None,
        raw_traits: str | None = None,
    ) -> str:
        self.clock += dt.timedelta(minutes=7)
        message_id = f"msg-cns-{len(self.rows):03d}"
        context: dict[str, Any] = {
            "consent": {"categoryPreferences": consent},
            "ip": ip or person.ip,
            "library": {"name": "analytics.js", "version": "5.2.1"},
            "locale": "en-GB",
            "timezone": "Europe/London",
        }
        token = OPEN_TOKEN if consent["analytics"] else URL_TOKEN
        if url:
            context["page"] = {"url": url}
            context["campaign"] = {
                "source": "newsletter",
                "medium": "email",
                "name": "cns-launch",
                "term": person.email or "anon",
                "content": f"{token}{len(self.rows)}",
            }
        self.rows.append(
            {
                "messageId": message_id,
                "type": kind,
                "event": event,
                "name": name,
                "userId": person.user_id,
                "anonymousId": person.anonymous_id,
                "groupId": group_id,
                "previousId": previous_id,
                "timestamp": _iso(self.clock),
                "sentAt": _iso(self.clock + dt.timedelta(milliseconds=300)),
                "receivedAt": _iso(self.clock + dt.timedelta(seconds=1)),
                "context": json.dumps(context),
                "properties": None if properties is None else json.dumps(properties),
                "traits": raw_traits if traits is None else json.dumps(traits),
            }
        )
        if raw_traits is not None:
            self.rejected.add(message_id)
        if consent["analytics"]:
            self.consented.setdefault(str(person.user_id), set()).add(message_id)
        else:
            self.refused.add(message_id)
        return message_id

    def retry(self, message_id: str) -> None:
        """Another copy of a message, received a minute later."""
        row = dict(next(r for r in self.rows if r["messageId"] == message_id))
        received = dt.datetime.fromisoformat(row["receivedAt"].replace("Z", "+00:00"))
        row["receivedAt"] = _iso(received + dt.timedelta(minutes=1))
        self.rows.append(row)


def _activity(m: Messages, person: Person, consent: dict[str, bool], ip: str | None = None) -> None:
    token = f"{URL_TOKEN if not consent['analytics'] else OPEN_TOKEN}{len(m.rows)}"
    m.add(
        person,
        "track",
        consent=consent,
        ip=ip,
        event="Report Created",
        properties={"feature": "reports", "report_id": f"rep_{len(m.rows)}", "format": "pdf"},
    )
    m.add(
        person,
        "page",
        consent=consent,
        ip=ip,
        name="Settings",
        url=f"https://app.c360demo.example/app/settings?email={person.email}&t={token}",
        properties={"path": "/app/settings", "title": "Settings"},
    )


def _identify(
    m: Messages, person: Person, consent: dict[str, bool], email: str, name: str, ip: str
) -> str:
    return m.add(
        person,
        "identify",
        consent=consent,
        ip=ip,
        traits={"email": email, "name": name, "title": "Head of Data", "createdAt": _iso(m.clock)},
    )


def _handmade(day: dt.date) -> Messages:
    m = Messages(day)
    # a person who only ever refused
    _identify(m, REFUSER, REFUSED, REFUSER.email, REFUSER.name, REFUSER.ip)
    m.add(REFUSER, "alias", consent=REFUSED, previous_id=REFUSER.anonymous_id)
    m.add(
        REFUSER,
        "group",
        consent=REFUSED,
        group_id=REFUSER_WORKSPACE,
        traits={"name": "Refuser Workspace", "plan": "starter", "employees": 3},
    )
    _activity(m, REFUSER, REFUSED)
    retried = m.add(
        REFUSER,
        "track",
        consent=REFUSED,
        event="Dashboard Viewed",
        properties={"feature": "dashboards", "dashboard_id": "dash_cns"},
    )
    m.retry(retried)
    # a refused identify whose traits are not JSON: rejected, but no raw text kept
    m.add(
        REFUSER,
        "identify",
        consent=REFUSED,
        raw_traits='{"email": "' + REFUSER.email + '", "name": ',
    )
    # an anonymous visitor who refused
    m.add(
        VISITOR,
        "page",
        consent=REFUSED,
        name="Pricing",
        url=f"https://www.c360demo.example/pricing?ref={URL_TOKEN}visitor",
        properties={"path": "/pricing"},
    )
    # mixed: consents, then refuses (the refusal is the latest message)
    p = MIXED_LAST_REFUSED
    _identify(m, p, GIVEN, p.email, p.name, p.ip)
    _activity(m, p, GIVEN)
    m.add(p, "track", consent=GIVEN, event="Dashboard Viewed", properties={"feature": "dashboards"})
    email, name, ip = PRIVATE[str(p.user_id)]
    _identify(m, p, REFUSED, email, name, ip)
    _activity(m, p, REFUSED, ip=ip)
    # mixed: refuses, then consents again (consent is the latest message)
    p = MIXED_LAST_GIVEN
    email, name, ip = PRIVATE[str(p.user_id)]
    _identify(m, p, REFUSED, email, name, ip)
    _activity(m, p, REFUSED, ip=ip)
    _identify(m, p, GIVEN, p.email, p.name, p.ip)
    _activity(m, p, GIVEN)
    return m


def _land(raw: Path, day: dt.date, m: Messages) -> None:
    parts = sorted((raw / MESSAGES).iterdir())
    model = parts[0]
    schema = pq.read_schema(next(model.glob("*.parquet")))
    folder = raw / MESSAGES / f"{spec.PARTITION_PREFIX}{day.isoformat()}"
    folder.mkdir()
    pq.write_table(pa.Table.from_pylist(m.rows, schema=schema), folder / "part-0000.parquet")
    manifest = json.loads((model / spec.MANIFEST_NAME).read_text())
    manifest |= {
        "extract_date": day.isoformat(),
        "row_count": len(m.rows),
        "extracted_at": _iso(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(2, 10))),
    }
    (folder / spec.MANIFEST_NAME).write_text(json.dumps(manifest))


@dataclass(frozen=True)
class Site:
    build_file: Path
    analytics: Path
    messages: Messages
    day: dt.date


@pytest.fixture(scope="module")
def site(tiny_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("consent")
    raw = root / "raw"
    shutil.copytree(tiny_landing, raw)
    first = min(
        dt.date.fromisoformat(p.name.removeprefix(spec.PARTITION_PREFIX))
        for p in (raw / MESSAGES).iterdir()
    )
    day = first - dt.timedelta(days=1)
    messages = _handmade(day)
    _land(raw, day, messages)
    build_file, analytics = root / "wh" / "build.duckdb", root / "wh" / "analytics.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "C360_"))}
    env.update(
        C360_PROJECT_DIR=str(REPO_ROOT),
        C360_RAW_DIR=str(raw),
        C360_WAREHOUSE=str(build_file),
        C360_ANALYTICS_DB=str(analytics),
        C360_HASH_KEY=os.environ["C360_HASH_KEY"],
        C360_MEMORY_LIMIT="4GB",
    )
    done = subprocess.run(
        [str(C360), "refresh"], env=env, capture_output=True, text=True, timeout=900, check=False
    )
    # exit code 3: published with warnings (the hand-made reject, tiny's own warning)
    assert done.returncode in (0, 3), done.stdout[-3000:] + done.stderr[-3000:]
    assert "c360: error" not in done.stderr, done.stderr[-3000:]
    return Site(build_file, analytics, messages, day)


def _connect(site: Site) -> duckdb.DuckDBPyConnection:
    """Both files attached read-only, as `build` and `analytics`."""
    con = duckdb.connect()
    con.execute(f"attach '{site.build_file}' as build (read_only)")
    con.execute(f"attach '{site.analytics}' as analytics (read_only)")
    return con


def _relations(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str], list[str]]:
    """Every table of both files, and the analytics file's mart views (the
    published tables, over their Parquet snapshots); not the `landing` views
    over the raw files. Each with its column names."""
    rows = con.execute(
        "select t.table_catalog, t.table_schema, t.table_name, c.column_name"
        " from information_schema.tables as t"
        " inner join information_schema.columns as c"
        "   using (table_catalog, table_schema, table_name)"
        " where t.table_catalog in ('build', 'analytics')"
        "   and t.table_schema <> 'landing'"
        "   and (t.table_type = 'BASE TABLE'"
        "        or (t.table_catalog = 'analytics' and t.table_schema = 'marts'))"
        " order by 1, 2, 3, c.ordinal_position"
    ).fetchall()
    out: dict[tuple[str, str, str], list[str]] = {}
    for catalog, schema, table, column in rows:
        out.setdefault((catalog, schema, table), []).append(column)
    return out


def _name(relation: tuple[str, str, str]) -> str:
    return ".".join(f'"{part}"' for part in relation)


def _refused_ids(con: duckdb.DuckDBPyConnection, m: Messages) -> set[str]:
    """Every refused message: tiny's own and the hand-made ones."""
    rows = con.execute(
        "select message_id from build.staging.base_events__messages"
        " where not has_analytics_consent and message_id is not null"
    ).fetchall()
    ids = {r[0] for r in rows}
    assert m.refused <= ids
    return ids


def test_no_person_relation_holds_a_refused_message(site: Site) -> None:
    with _connect(site) as con:
        refused = _refused_ids(con, site.messages)
        con.execute("create temp table refused (message_id varchar)")
        con.executemany("insert into refused values (?)", [[i] for i in sorted(refused)])
        relations = _relations(con)
        person = {
            rel: cols
            for rel, cols in relations.items()
            if any(PERSON_COLUMN.search(c) for c in cols) and rel[2] not in EVENT_STAGING
        }
        names = {rel[2] for rel in person}
        # the discovery finds what it must (a sanity check, not the list)
        assert {"int_events_attributed", "int_person_identifiers", "dim_people"} <= names
        assert any(rel[0] == "analytics" for rel in person)
        found = []
        for rel in person:
            text_cols = [
                c
                for (c, kind) in con.execute(
                    "select column_name, data_type from information_schema.columns"
                    " where table_catalog = ? and table_schema = ? and table_name = ?",
                    list(rel),
                ).fetchall()
                if kind == "VARCHAR"
            ]
            for column in text_cols:
                hits = con.execute(
                    f'select count(*) from {_name(rel)} where "{column}" in'
                    " (select message_id from refused)"
                ).fetchone()
                if hits and hits[0]:
                    found.append(f"{_name(rel)}.{column}: {hits[0]}")
        assert found == [], found
        # the staging events relations hold refused messages for anonymous
        # counts, with nothing that identifies a person
        for rel in relations:
            if rel[2] in EVENT_STAGING:
                not_null = " or ".join(f"{c} is not null" for c in PERSON_COLUMNS_NULL_WHEN_REFUSED)
                bad = con.execute(
                    f"select count(*) from {_name(rel)}"
                    f" where not has_analytics_consent and ({not_null})"
                ).fetchone()
                assert bad == (0,), rel


def test_no_text_anywhere_holds_what_only_refused_messages_carried(site: Site) -> None:
    needles = [
        REFUSER.user_id,
        REFUSER.anonymous_id,
        REFUSER.email,
        REFUSER.name,
        REFUSER.ip,
        REFUSER_WORKSPACE,
        VISITOR.anonymous_id,
        VISITOR.ip,
        URL_TOKEN,
        "refuser workspace",
        "cns-secret.example",
    ]
    for email, name, ip in PRIVATE.values():
        needles += [email, name, ip]
    pattern = "|".join(re.escape(str(n).lower()) for n in needles)
    with _connect(site) as con:
        relations = _relations(con)
        assert len(relations) > 100, len(relations)
        found = []
        for rel in relations:
            # the whole row as text: every text, JSON, list and struct column
            hits = con.execute(
                f"select count(*) from {_name(rel)} as r"
                " where regexp_matches(lower(cast(r as varchar)), ?)",
                [pattern],
            ).fetchone()
            if hits and hits[0]:
                found.append(f"{_name(rel)}: {hits[0]}")
        assert found == [], found
        # the needles are there to be found: the consented mixed people's own
        # email is, so the search does look
        seen = con.execute(
            "select count(*) from build.staging.stg_events__messages"
            " where regexp_matches(lower(cast(trait_email as varchar)), ?)",
            [re.escape(MIXED_LAST_REFUSED.email)],
        ).fetchone()
        assert seen == (1,)


def test_refusals_are_kept_only_as_a_keyed_hash(site: Site) -> None:
    key = keys.load().current
    expected = {
        r["messageId"]: hashing.identifier_hash(key, r["userId"] or r["anonymousId"])
        for r in site.messages.rows
        if r["messageId"] in site.messages.refused
    }
    with _connect(site) as con:
        rows = con.execute(
            "select message_id, consent_subject_hash from build.staging.base_events__messages"
            " where message_id like 'msg-cns-%' and not has_analytics_consent"
        ).fetchall()
    assert {m: h for m, h in rows} == expected


def test_mixed_people_count_only_their_consented_messages(site: Site) -> None:
    m = site.messages
    with _connect(site) as con:
        for person, latest_consent in ((MIXED_LAST_REFUSED, False), (MIXED_LAST_GIVEN, True)):
            keys_found = con.execute(
                "select distinct person_key from build.intermediate.int_person_identifiers"
                " where identifier_type = 'user_id' and identifier_value = ?",
                [person.user_id],
            ).fetchall()
            assert len(keys_found) == 1, (person, keys_found)
            person_key = keys_found[0][0]
            consented = m.consented[str(person.user_id)]
            attributed = {
                r[0]
                for r in con.execute(
                    "select message_id from build.intermediate.int_events_attributed"
                    " where person_key = ? and not coalesce(_is_removed, false)",
                    [person_key],
                ).fetchall()
            }
            assert attributed == consented, person
            summary = con.execute(
                "select event_count from build.intermediate.int_person_event_summary"
                " where person_key = ?",
                [person_key],
            ).fetchone()
            assert summary == (len(consented),), person
            daily = con.execute(
                "select sum(event_count) from build.intermediate.int_person_activity_daily"
                " where person_key = ?",
                [person_key],
            ).fetchone()
            activity = {
                r["messageId"]
                for r in m.rows
                if r["messageId"] in consented and r["type"] in ("track", "page", "screen")
            }
            assert daily == (len(activity),), (person, daily)
            # the refusal (or the consent given again) is their latest message
            consent = con.execute(
                "select has_analytics_consent from build.intermediate.int_person_consents"
                " where person_key = ?",
                [person_key],
            ).fetchone()
            assert consent == (latest_consent,), person
            exported = con.execute(
                "select email, has_analytics_consent from build.personal.export_person_traits"
                " where person_key = ?",
                [person_key],
            ).fetchone()
            assert exported == (person.email, latest_consent), (person, exported)


def test_anonymous_totals_still_count_refused_messages(site: Site) -> None:
    m = site.messages
    kept = {r["messageId"]: r for r in m.rows}  # one per message: retries counted once
    rejected = m.rejected
    expected: Counter[tuple[str, str | None]] = Counter(
        (r["type"], r["event"]) for i, r in kept.items() if i in m.refused and i not in rejected
    )
    with _connect(site) as con:
        rows = con.execute(
            "select message_type, event_name, unconsented_message_count, message_count"
            " from analytics.marts.fct_events_anonymous_daily where occurred_date = ?",
            [site.day],
        ).fetchall()
        # tiny's own messages of that day had consent: every refused one is ours
        counted = Counter({(t, e): n for t, e, n, _ in rows if n})
        assert counted == expected
        assert all(total >= refused for _, _, refused, total in rows)
        # the load reconciles: the retried copy is a duplicate, the bad JSON a reject
        recon = con.execute(
            "select landed_rows, loaded_rows, rejected_rows, duplicate_rows, is_reconciled"
            " from analytics.ops.load_reconciliation"
            " where source_table = 'events/messages' and extract_date = ?",
            [site.day],
        ).fetchone()
        assert recon is not None and recon[0] == len(m.rows) and recon[4], recon
        assert (recon[2], recon[3]) == (len(rejected), len(m.rows) - len(kept)), recon
        reject = con.execute(
            "select column_name, raw_value from analytics.ops.rejected_rows"
            " where record_key in (select unnest(?))",
            [sorted(rejected)],
        ).fetchall()
        assert reject == [("traits", None)], reject
