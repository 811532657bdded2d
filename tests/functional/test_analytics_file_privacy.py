"""The analytics file holds no personal data (docs/privacy.md): one ``c360 refresh`` of the
tiny landing zone with faults, then every text column of every table and view the
analysts' file has (varchar; lists, structs, maps and JSON cast to text) is scanned for
emails, IPv4 and IPv6 addresses and the names of the people the build file knows. The
emails stay in the build file's ``personal`` schema, and ``marts.dim_people.email_hash``
is what ``c360 hash`` gives for each person's email.

Names of our own staff (CRM users: account owners and CSMs, published by name in
customer_360, fct_opportunities and export_company_traits by decision, docs/privacy.md)
are left out of the names searched for, word by word: a customer who shares a word of a
staff member's name cannot be told apart from them in a text column.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from shared_builds import refresh_env

C360 = Path(sys.executable).parent / "c360"
REPO_ROOT = Path(__file__).resolve().parents[2]

EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4 = rf"(^|[^0-9.]){_OCTET}(\.{_OCTET}){{3}}([^0-9.]|$)"
# Eight groups, or fewer around a '::'. A time of day (10:00:00, T99:00:00Z) has neither.
_H = "[0-9a-f]{1,4}"
IPV6 = (
    rf"(?i)(^|[^0-9a-z:])(({_H}:){{7}}{_H}|({_H}:){{1,7}}:({_H}(:{_H}){{0,6}})?"
    rf"|::{_H}(:{_H}){{0,6}})([^0-9a-z:]|$)"
)
# Types that cannot hold text; every other column is cast to varchar and scanned.
NOT_TEXT = (
    "BOOLEAN",
    "DATE",
    "TIME",
    "TIMESTAMP",
    "TIMESTAMP WITH TIME ZONE",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "INTERVAL",
)

# Every word (4 letters or more) of a name a person is known by in the build file: CRM
# contacts, identify calls' traits.name, billing customers named like a person, and the
# first.last of the emails NPS respondents and ticket requesters give.
KNOWN_NAMES = """
with

person_names as (
    select first_name as name from staging.stg_crm__contacts
    union all
    select last_name from staging.stg_crm__contacts
    union all
    select trait_name from staging.stg_events__messages where message_type = 'identify'
    union all
    select replace(split_part(email_normalized, '@', 1), '.', ' ')
    from staging.stg_support__nps_responses
    where split_part(email_normalized, '@', 1) like '%.%'
    union all
    select replace(split_part(requester_email_normalized, '@', 1), '.', ' ')
    from staging.stg_support__tickets
    where split_part(requester_email_normalized, '@', 1) like '%.%'
),

full_names as (
    select lower(full_name) as name from personal.dim_people_contact_details
),

all_names as (
    select name from person_names
    union all
    select customer_name from staging.stg_billing__customers
    where lower(customer_name) in (select name from full_names)
),

words as (
    select distinct lower(unnest(regexp_split_to_array(name, '[^A-Za-z]+'))) as word
    from all_names
),

staff_words as (
    select distinct lower(unnest(regexp_split_to_array(user_name, '[^A-Za-z]+'))) as word
    from staging.stg_crm__users
)

select word from words
where length(word) >= 4 and word not in (select word from staff_words)
order by word
"""


@dataclass(frozen=True)
class Refreshed:
    build_file: Path
    analytics: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory, tiny_faults_landing: Path) -> Refreshed:
    root = tmp_path_factory.mktemp("privacy")
    env = refresh_env(root, tiny_faults_landing)
    done = subprocess.run(
        [str(C360), "-q", "refresh"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    # 3: published, with warnings (the faults' rejected rows and incomplete partitions)
    assert done.returncode in (0, 3), done.stdout + done.stderr
    return Refreshed(root / "build.duckdb", root / "analytics.duckdb", env)


def known_names(build_file: Path) -> list[str]:
    with duckdb.connect(str(build_file), read_only=True) as con:
        return [str(w) for (w,) in con.sql(KNOWN_NAMES).fetchall()]


def patterns(names: list[str]) -> dict[str, str]:
    return {
        "an email": EMAIL,
        "an IPv4 address": IPV4,
        "an IPv6 address": IPV6,
        "a known person's name": r"(?i)\b(" + "|".join(names) + r")\b",
    }


def text_columns(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    """(schema, table or view) -> its columns that can hold text."""
    out: dict[tuple[str, str], list[str]] = {}
    for schema, table, column, data_type in con.execute(
        "select table_schema, table_name, column_name, data_type"
        " from information_schema.columns"
        " where table_catalog = current_database()"
        " order by table_schema, table_name, ordinal_position"
    ).fetchall():
        out.setdefault((schema, table), [])
        if data_type not in NOT_TEXT and not str(data_type).startswith("DECIMAL"):
            out[(schema, table)].append(column)
    return out


def scan(path: Path, found: dict[str, str]) -> list[str]:
    """'schema.table.column holds <what> (n rows), e.g. <value>' per hit."""
    hits = []
    with duckdb.connect(str(path), read_only=True) as con:
        for (schema, table), columns in text_columns(con).items():
            for column in columns:
                text = f'cast("{column}" as varchar)'
                for what, pattern in found.items():
                    row = con.execute(
                        f"select count(*), min({text}) from {schema}.{table}"
                        f" where regexp_matches({text}, ?)",
                        [pattern],
                    ).fetchone()
                    if row and row[0]:
                        example = str(row[1])[:120]
                        hits.append(
                            f"{schema}.{table}.{column} holds {what} ({row[0]} rows),"
                            f" e.g. {example!r}"
                        )
    return hits


def test_the_patterns_find_what_they_should_and_not_timestamps() -> None:
    found = patterns(["ingrid", "okafor"])
    yes = {
        "an email": ["ada@a.example", '{"email": "Ada.L@X.IO"}'],
        "an IPv4 address": ["192.168.0.1", '{"ip":"8.8.4.4"}'],
        "an IPv6 address": ["2001:db8::1", "fe80:0:0:0:0:0:0:1", "ip ::1", "2001:DB8:0:0:8::"],
        "a known person's name": ["Ingrid Okafor", "by ingrid."],
    }
    no = {
        "an email": ["ada at a.example", "@handle"],
        "an IPv4 address": ["1.2.3", "2026-03-01", "v1.2.3.4.5", "999.1.1.1"],
        "an IPv6 address": ["2026-13-45T99:00:00Z", "2026-01-01 10:00:00", "12:30:45.123"],
        "a known person's name": ["ingridx", "Okafors"],
    }
    with duckdb.connect() as con:
        for what, pattern in found.items():
            for text in yes[what]:
                assert con.execute("select regexp_matches(?, ?)", [text, pattern]).fetchone() == (
                    True,
                ), (what, text)
            for text in no[what]:
                assert con.execute("select regexp_matches(?, ?)", [text, pattern]).fetchone() == (
                    False,
                ), (what, text)


@pytest.mark.slow
def test_no_text_column_of_the_analytics_file_holds_personal_data(refreshed: Refreshed) -> None:
    names = known_names(refreshed.build_file)
    # not a vacuous scan: the build file knows people by name
    assert len(names) >= 10, names
    with duckdb.connect(str(refreshed.analytics), read_only=True) as con:
        schemas = con.sql("select distinct table_schema from information_schema.tables")
        assert {s for (s,) in schemas.fetchall()} == {"marts", "ops"}
    hits = scan(refreshed.analytics, patterns(names))
    assert not hits, "personal data in the analytics file:\n" + "\n".join(hits)


@pytest.mark.slow
def test_the_emails_stay_in_the_build_file_and_email_hash_is_c360_hash(
    refreshed: Refreshed,
) -> None:
    with duckdb.connect(str(refreshed.build_file), read_only=True) as con:
        people = con.sql(
            "select contacts.person_key, contacts.email, people.email_hash"
            " from personal.dim_people_contact_details as contacts"
            " inner join marts.dim_people as people using (person_key)"
            " where contacts.email is not null order by contacts.person_key"
        ).fetchall()
        exported = con.execute("select count(email) from personal.export_person_traits").fetchone()
    assert len(people) >= 10 and exported and exported[0] >= 10
    hashed = subprocess.run(
        [str(C360), "hash"],
        input="".join(f"{email}\n" for _, email, _ in people),
        env=refreshed.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    assert hashed == [email_hash for _, _, email_hash in people]
    # and the analytics file has the same hashes for the same people
    with duckdb.connect(str(refreshed.analytics), read_only=True) as con:
        published = dict(con.sql("select person_key, email_hash from marts.dim_people").fetchall())
    assert {key: published[key] for key, _, _ in people} == {
        key: email_hash for key, _, email_hash in people
    }


@pytest.mark.slow
def test_rejected_rows_withhold_values_that_may_be_personal(refreshed: Refreshed) -> None:
    query = (
        "select column_name, raw_value, withheld_reason from ops.rejected_rows"
        " where source_table = 'events/messages' and column_name = 'context'"
    )
    with duckdb.connect(str(refreshed.analytics), read_only=True) as con:
        [(column, raw, why)] = con.execute(query).fetchall()
        # a timestamp that is no timestamp keeps its raw value: it is what to fix
        kept = con.execute(
            "select count(raw_value) from ops.rejected_rows where reason = 'unparseable timestamp'"
        ).fetchone()
    assert (column, raw) == ("context", None) and why and "personal" in why
    assert kept and kept[0] >= 1
    with duckdb.connect(str(refreshed.build_file), read_only=True) as con:
        held = con.execute(
            "select count(_reject_value) from staging.base_events__messages"
            " where _reject_column = 'context'"
        ).fetchone()
    assert held == (1,)
