"""``c360 seeds check`` on deliberately broken seeds: one case per rule, with its exact message.

Every test starts from a valid seeds folder in a temp dir: the repo's seeds
plus fixtures for the seeds other issues own (time zones, countries,
features, event dictionary), whose formats are fixed by the shared context.
A case breaks one thing and asserts the whole output, so a message that
changes, moves line or appears twice fails the test. Company ids are
checked against a fixed set here (tests/unit/test_seeds_companies.py reads
real warehouses and landing zones).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from c360.cli import EXIT_ERROR, main
from c360.seeds import check_seeds
from c360.seeds.companies import KnownCompanies
from c360.seeds.fix import fix_seed
from c360.seeds.identities import KnownIdentifiers

REPO_SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ACCOUNT = "0015g00000aaaaaAAA"  # an 18-character CRM account Id
OTHER_ACCOUNT = "0015g00000bbbbbBBB"
KNOWN_IDS = {ACCOUNT, OTHER_ACCOUNT, "cus_ABC123", "co_0123456789abcdef", "ws_42"}

OTHER_SEEDS = {
    "timezone_aliases.csv": (
        "alias,timezone,note\neastern time,America/New_York,\ncet,Europe/Paris,\n"
    ),
    "company_timezones.csv": (
        "company_id,timezone,effective_from,note\n"
        f"{ACCOUNT},Europe/Berlin,,\n"
        f"{ACCOUNT},Eastern  Time,2026-03-01,moved; an alias in any case and spacing\n"
        f"{OTHER_ACCOUNT},america/chicago,,any case\n"
    ),
    "countries.csv": (
        "country_code,country_code_alpha3,country_name,zone_count,timezone\n"
        "DE,DEU,Germany,2,Europe/Berlin\nUS,USA,United States,29,\n"
    ),
    "plan_entitlements.csv": (
        "plan,feature,note\ngrowth,sso,\nenterprise,sso,\nenterprise,api_access,\n"
    ),
    "feature_access_overrides.csv": (
        "company_id,feature,access,starts_on,ends_on,reason\n"
        f"{ACCOUNT},api_access,grant,2026-01-01,2026-03-01,trial\n"
        f"{ACCOUNT},api_access,revoke,2026-03-01,,\n"
        f"{OTHER_ACCOUNT},sso,grant,2026-01-01,,\n"
    ),
    "event_dictionary.csv": (
        "event_name,feature,is_key_event,required_properties,owner,description\n"
        "Report Created,reports,true,feature|plan,product,\n"
        "Page Viewed,,false,,web,\n"
    ),
}
CLASSIFICATION = (
    "company_id,industry_code,is_primary,use_case,business_type,note\n"
    f"{ACCOUNT},ticketing_online,true,Ticket sales,b2c,\n"
    f"{ACCOUNT},media,false,,,\n"
    "cus_ABC123,fintech,TRUE,Payments,B2B,\n"
)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A valid seeds folder: the repo's seeds, the other issues' seeds, a classification."""
    folder = tmp_path / "seeds"
    shutil.copytree(REPO_SEEDS, folder)
    for name, text in OTHER_SEEDS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "company_classification.csv").write_text(CLASSIFICATION, encoding="utf-8")
    with (folder / "_seeds.yml").open("a", encoding="utf-8") as yml:
        for name in OTHER_SEEDS:
            yml.write(f"\n  - name: {name.removesuffix('.csv')}\n")
    return folder


def known(ids: set[str] = KNOWN_IDS, *, keys: bool = True) -> Callable[[], KnownCompanies]:
    return lambda: KnownCompanies(set(ids), ["the test ids"], [], keys)


def problems(folder: Path, companies: Callable[[], KnownCompanies] | None = None) -> list[str]:
    result = check_seeds(folder, display_root=folder.parent, known_companies=companies or known())
    return [problem.format() for problem in result.problems]


def write(folder: Path, name: str, text: str | bytes) -> None:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")


def lines_of(folder: Path, name: str) -> list[str]:
    return (folder / name).read_text(encoding="utf-8").splitlines()


def append(folder: Path, name: str, *rows: str) -> int:
    """Append rows to a seed; the line number of the first one."""
    path = folder / name
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, *rows]) + "\n", encoding="utf-8")
    return len(lines) + 1


# --------------------------------------------------------------------------- baseline


def test_the_valid_folder_has_no_problem(seeds: Path) -> None:
    assert problems(seeds) == []


def test_the_repo_seeds_have_no_problem() -> None:
    result = check_seeds(REPO_SEEDS, known_companies=known())
    assert [p.format() for p in result.problems] == []
    assert result.ok


# --------------------------------------------------------------------------- how spreadsheets save


def test_bom_crlf_and_quoted_numbers_are_read_as_dbt_reads_them(seeds: Path) -> None:
    # Excel's "CSV UTF-8": a byte-order mark, CR LF, numbers in quotes. dbt reads
    # all three (tests/functional/test_classification.py loads such a file).
    text = (
        "\ufeffmeasure,band_code,band_name,lower_bound,upper_bound\r\n"
        'employees,emp_small,Small,"0","50"\r\n'
        'employees,emp_large,Large,"50",\r\n'
        'annual_revenue,rev_all,"Any, all","0",\r\n'
        'mrr,mrr_10k_plus,"Any, all","0",\r\n'
    )
    write(seeds, "company_size_bands.csv", text)
    assert problems(seeds) == []


def test_semicolons_are_an_error_and_the_values_are_still_checked(seeds: Path) -> None:
    write(
        seeds,
        "company_classification.csv",
        "company_id;industry_code;is_primary;use_case;business_type;note\n"
        f"{ACCOUNT};Ticketting;true;Ticket sales;b2c;\n",
    )
    assert problems(seeds) == [
        "seeds/company_classification.csv:1: error: values are separated by ';', but dbt "
        "reads only ',' — run 'c360 seeds check --fix' to rewrite it (a backup is kept)",
        "seeds/company_classification.csv:2: error: industry_code 'Ticketting': unknown "
        "industry code (not in industry_taxonomy.csv) — did you mean 'ticketing'?",
    ]


def test_a_sep_line_is_an_error(seeds: Path) -> None:
    write(
        seeds,
        "plan_entitlements.csv",
        "sep=;\nplan;feature;note\ngrowth;sso;\nenterprise;api_access;\n",
    )
    assert problems(seeds) == [
        "seeds/plan_entitlements.csv:1: error: a 'sep=;' first line (a spreadsheet hint); "
        "dbt would read it as the header — run 'c360 seeds check --fix' to rewrite it "
        "(a backup is kept)",
        "seeds/plan_entitlements.csv:2: error: values are separated by ';', but dbt reads "
        "only ',' — run 'c360 seeds check --fix' to rewrite it (a backup is kept)",
    ]


def test_spaces_around_values(seeds: Path) -> None:
    write(
        seeds,
        "company_classification.csv",
        "company_id,industry_code,is_primary,use_case,business_type,note\n"
        f"{ACCOUNT} ,ticketing_online,true ,Ticket sales ,b2c,\n",
    )
    assert problems(seeds) == [
        f"seeds/company_classification.csv:2: error: company_id '{ACCOUNT} ': spaces around "
        "the value: dbt keeps them, so the value would not match — run 'c360 seeds check "
        "--fix' to rewrite it (a backup is kept)",
        "seeds/company_classification.csv:2: error: is_primary 'true ': spaces around the "
        "value: dbt cannot read it as true or false — run 'c360 seeds check --fix' to "
        "rewrite it (a backup is kept)",
        "seeds/company_classification.csv:2: warning: use_case 'Ticket sales ': spaces around "
        "the value — run 'c360 seeds check --fix' to rewrite it (a backup is kept)",
    ]


def test_not_utf8_is_an_error(seeds: Path) -> None:
    header = "country_code,country_code_alpha3,country_name,zone_count,timezone\n"
    write(seeds, "countries.csv", (header +
          "CH,CHE,Schweiz / Suisse / Z\xfcrich,1,Europe/Zurich\n").encode("cp1252"))  # fmt: skip
    assert problems(seeds) == [
        "seeds/countries.csv: error: not saved as UTF-8 (byte 0xfc on line 2); dbt cannot "
        "read it — save it as 'CSV UTF-8', or run 'c360 seeds check --fix' to convert it "
        "from Windows-1252 (a backup is kept)",
    ]


def test_mixed_line_endings_are_an_error(seeds: Path) -> None:
    write(
        seeds,
        "plan_entitlements.csv",
        "plan,feature,note\ngrowth,sso,\r\nenterprise,api_access,\r\n",
    )
    assert problems(seeds) == [
        "seeds/plan_entitlements.csv: error: mixed line endings (2 lines end in CR LF, 1 in "
        "LF); DuckDB cannot load such a file — run 'c360 seeds check --fix' to rewrite it "
        "(a backup is kept)",
    ]


def test_empty_rows_and_empty_trailing_cells_are_errors(seeds: Path) -> None:
    write(
        seeds,
        "plan_entitlements.csv",
        "plan,feature,note\ngrowth,sso,,,\n,,\n\nenterprise,api_access,\n",
    )
    assert problems(seeds) == [
        "seeds/plan_entitlements.csv:2: error: 2 empty value(s) after the last column — run "
        "'c360 seeds check --fix' to rewrite it (a backup is kept)",
        "seeds/plan_entitlements.csv:3: error: an empty row (every value empty); dbt would "
        "load it as a row of nulls — delete the row, or run 'c360 seeds check --fix' to "
        "rewrite it (a backup is kept)",
    ]


def test_a_row_with_too_many_or_too_few_values(seeds: Path) -> None:
    write(
        seeds,
        "plan_entitlements.csv",
        "plan,feature,note\ngrowth,sso,a,b\nenterprise\nbasic,api_access,\n",
    )
    assert problems(seeds) == [
        "seeds/plan_entitlements.csv:2: error: 4 values, but the header has 3 columns — a "
        "value that contains the separator needs double quotes around it",
        "seeds/plan_entitlements.csv:3: error: 1 values, but the header has 3 columns — add "
        "the missing values (empty ones too: a,,c)",
        "seeds/plan_entitlements.csv:3: error: feature: empty, but every row needs a value",
    ]


def test_header_columns_missing_or_unexpected(seeds: Path) -> None:
    write(
        seeds,
        "event_dictionary.csv",
        "event_name,feature,is_key_event,required_propertes,owner,notes\n"
        "Report Created,reports,true,,,\n",
    )
    assert problems(seeds) == [
        "seeds/event_dictionary.csv:1: error: the header has no column 'description' — the "
        "columns are: event_name, feature, is_key_event, required_properties, owner, description",
        "seeds/event_dictionary.csv:1: error: the header has no column 'required_properties' — "
        "found 'required_propertes' instead",
        "seeds/event_dictionary.csv:1: warning: unexpected column 'notes' (the models ignore it)",
        "seeds/event_dictionary.csv:1: warning: unexpected column 'required_propertes' (the "
        "models ignore it) — did you mean 'required_properties'?",
    ]


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            "03/04/2026",
            "ambiguous date (3 April or 4 March 2026?) — write it as YYYY-MM-DD: 2026-04-03 "
            "or 2026-03-04",
            id="ambiguous",
        ),
        pytest.param(
            "25/12/2026", "dates are written YYYY-MM-DD — write '2026-12-25'", id="day-first"
        ),
        pytest.param(
            "2026/12/25", "dates are written YYYY-MM-DD — write '2026-12-25'", id="slashes"
        ),
        pytest.param(
            "03/04/26",
            "a two-digit year, and day and month may be either way round — write the date as "
            "YYYY-MM-DD, e.g. '2026-03-04'",
            id="two-digit-year",
        ),
        pytest.param("2026-02-30", "not a real date", id="no-such-day"),
        pytest.param(
            "46085",
            "a spreadsheet's date number, not a date — write it as YYYY-MM-DD: '2026-03-04'?",
            id="serial",
        ),
        pytest.param(
            "2026-03-04 00:00:00",
            "a date and time; this column holds a date — write '2026-03-04'",
            id="date-time",
        ),
    ],
)
def test_dates_must_be_yyyy_mm_dd(seeds: Path, value: str, message: str) -> None:
    line = append(seeds, "company_timezones.csv", f"{OTHER_ACCOUNT},Europe/Paris,{value},")
    assert problems(seeds) == [
        f"seeds/company_timezones.csv:{line}: error: effective_from '{value}': {message}"
    ]


@pytest.mark.parametrize(
    ("column_values", "column", "value", "message"),
    [
        pytest.param(
            ("1,000", "5000"), "lower_bound", "1,000",
            "a number with thousands separators — write '1000'", id="thousands",
        ),
        pytest.param(
            ("1000,5", "5000"), "lower_bound", "1000,5",
            "a decimal comma — write '1000.5'", id="decimal-comma",
        ),
        pytest.param(
            ("1e3", "5000"), "lower_bound", "1e3",
            "a number in scientific notation — write '1000'", id="scientific",
        ),
    ],
)  # fmt: skip
def test_numbers_as_dbt_reads_them(
    seeds: Path, column_values: tuple[str, str], column: str, value: str, message: str
) -> None:
    lower, upper = column_values
    write(
        seeds,
        "company_size_bands.csv",
        "measure,band_code,band_name,lower_bound,upper_bound\n"
        "employees,emp_a,A,0,1000\n"
        f'employees,emp_b,B,"{lower}",{upper}\n'
        "employees,emp_c,C,5000,\n"
        "annual_revenue,rev_all,All,0,\n"
        "mrr,mrr_10k_plus,All,0,\n",
    )
    assert problems(seeds) == [
        f"seeds/company_size_bands.csv:3: error: {column} '{value}': {message}"
    ]


def test_booleans(seeds: Path) -> None:
    write(
        seeds,
        "event_dictionary.csv",
        "event_name,feature,is_key_event,required_properties,owner,description\n"
        "Report Created,reports,yes,,,\nPage Viewed,,WAHR,,,\nSignup,,maybe,,,\n",
    )
    assert problems(seeds) == [
        "seeds/event_dictionary.csv:2: warning: is_key_event 'yes': dbt reads it, but this "
        "column is written true or false — write 'true'",
        "seeds/event_dictionary.csv:3: error: is_key_event 'WAHR': not true or false — "
        "write 'true'",
        "seeds/event_dictionary.csv:4: error: is_key_event 'maybe': not true or false",
    ]


def test_codes_choices_and_properties(seeds: Path) -> None:
    line = append(seeds, "industry_taxonomy.csv", "Online_Bingo,Online bingo,2,")
    write(
        seeds,
        "feature_access_overrides.csv",
        "company_id,feature,access,starts_on,ends_on,reason\n"
        f"{ACCOUNT},api_access,Grant,2026-01-01,,\n"
        f"{OTHER_ACCOUNT},sso,allow,2026-01-01,,\n",
    )
    write(
        seeds,
        "event_dictionary.csv",
        "event_name,feature,is_key_event,required_properties,owner,description\n"
        'Report Created,reports,true,"feature, plan",,\nPage Viewed,,false,feature|,,\n',
    )
    assert problems(seeds) == [
        "seeds/event_dictionary.csv:2: error: required_properties 'feature, plan': properties "
        "are separated by '|' — write 'feature|plan'",
        "seeds/event_dictionary.csv:3: error: required_properties 'feature|': an empty property "
        "name (a '|' at an end, or '||')",
        "seeds/feature_access_overrides.csv:2: error: access 'Grant': write it as 'grant'",
        "seeds/feature_access_overrides.csv:3: error: access 'allow': not one of: grant, revoke",
        f"seeds/industry_taxonomy.csv:{line}: error: industry_code 'Online_Bingo': a code uses "
        "only lower-case letters, digits and _ (and starts with a letter) — write it as "
        "'online_bingo'",
    ]


# --------------------------------------------------------------------------- keys


def test_duplicate_keys(seeds: Path) -> None:
    line = append(seeds, "industry_taxonomy.csv", "ticketing,Ticketing again,2,")
    map_line = append(seeds, "crm_industry_map.csv", "FIN-TECH ,fintech,")
    fintech = lines_of(seeds, "crm_industry_map.csv").index("FinTech,fintech,") + 1
    ticketing = lines_of(seeds, "industry_taxonomy.csv").index("ticketing,Ticketing,2,") + 1
    assert problems(seeds) == [
        f"seeds/crm_industry_map.csv:{map_line}: error: duplicate: crm_value 'FIN-TECH' is "
        f"already on line {fintech} (compared ignoring case, spaces, -, _ and .) — keep one of the "
        "two rows",
        f"seeds/crm_industry_map.csv:{map_line}: warning: crm_value 'FIN-TECH ': spaces around "
        "the value — run 'c360 seeds check --fix' to rewrite it (a backup is kept)",
        f"seeds/industry_taxonomy.csv:{line}: error: duplicate: industry_code 'ticketing' is "
        f"already on line {ticketing} — keep one of the two rows",
    ]


# --------------------------------------------------------------------------- taxonomy


def test_unknown_industry_codes_and_names_used_as_codes(seeds: Path) -> None:
    write(
        seeds,
        "company_classification.csv",
        "company_id,industry_code,is_primary,use_case,business_type,note\n"
        f"{ACCOUNT},Ticketting,true,,,\n"
        f"{OTHER_ACCOUNT},Online Ticketing,true,,,\n",
    )
    assert problems(seeds) == [
        "seeds/company_classification.csv:2: error: industry_code 'Ticketting': unknown "
        "industry code (not in industry_taxonomy.csv) — did you mean 'ticketing'?",
        "seeds/company_classification.csv:3: error: industry_code 'Online Ticketing': not a "
        "code (letters, digits and _ only) — write the code, e.g. 'online_ticketing'",
    ]
    write(
        seeds,
        "company_classification.csv",
        "company_id,industry_code,is_primary,use_case,business_type,note\n"
        f"{OTHER_ACCOUNT},online_ticketing,true,,,\n",
    )
    assert problems(seeds) == [
        "seeds/company_classification.csv:2: error: industry_code 'online_ticketing': unknown "
        "industry code (not in industry_taxonomy.csv) — that is the name of "
        "'ticketing_online'; write its code",
    ]


def test_taxonomy_cycles(seeds: Path) -> None:
    first = append(
        seeds,
        "industry_taxonomy_edges.csv",
        "ticketing,ticketing_online,false",
        "live_events,live_events,false",
    )
    out = problems(seeds)
    assert out == [
        f"seeds/industry_taxonomy_edges.csv:{first}: error: parent_industry_code "
        "'ticketing_online': a cycle in the taxonomy: ticketing > ticketing_online > ticketing "
        "(a node cannot be its own ancestor) — remove one of these links",
        f"seeds/industry_taxonomy_edges.csv:{first}: error: parent_industry_code "
        "'ticketing_online': ticketing is level 2 and ticketing_online is level 3: its parent "
        "must be one level up, level 1",
        f"seeds/industry_taxonomy_edges.csv:{first + 1}: error: parent_industry_code "
        "'live_events': a cycle in the taxonomy: live_events > live_events (a node cannot be "
        "its own ancestor) — remove one of these links",
    ]


def test_taxonomy_levels_parents_and_primary_parents(seeds: Path) -> None:
    node = append(seeds, "industry_taxonomy.csv", "online_bingo,Online bingo,2,")
    first = append(
        seeds,
        "industry_taxonomy_edges.csv",
        "ticketing_online,retail,false",  # two levels up
        "retail,media,false",  # a sector under a sector
        "gaming,media,true",  # gaming already has a primary parent
        "payments,nowhere,false",
    )
    gaming = lines_of(seeds, "industry_taxonomy_edges.csv").index("gaming,entertainment,true") + 1
    assert problems(seeds) == [
        f"seeds/industry_taxonomy.csv:{node}: error: level '2': online_bingo is level 2 but has "
        "no parent, so it rolls up to no sector — add a row 'online_bingo,<parent code>,true' "
        "to industry_taxonomy_edges.csv",
        f"seeds/industry_taxonomy_edges.csv:{first}: error: parent_industry_code 'retail': "
        "ticketing_online is level 3 and retail is level 1: its parent must be one level up, "
        "level 2",
        f"seeds/industry_taxonomy_edges.csv:{first + 1}: error: parent_industry_code 'media': "
        "retail is level 1 and media is level 1: a sector (level 1) has no parent",
        f"seeds/industry_taxonomy_edges.csv:{first + 2}: error: is_primary_parent 'true': "
        f"gaming already has a primary parent on line {gaming} — mark exactly one of its "
        "parents is_primary_parent = true",
        f"seeds/industry_taxonomy_edges.csv:{first + 3}: error: parent_industry_code 'nowhere': "
        "unknown industry code (not in industry_taxonomy.csv) — did you mean 'other'?",
    ]


def test_a_node_with_several_parents_needs_one_primary(seeds: Path) -> None:
    path = seeds / "industry_taxonomy_edges.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ticketing,entertainment,true", "ticketing,entertainment,false"))
    line = text.splitlines().index("ticketing,entertainment,true") + 1
    assert problems(seeds) == [
        f"seeds/industry_taxonomy_edges.csv:{line}: error: is_primary_parent 'false': ticketing "
        "has 2 parents (entertainment, retail) and none is its primary parent — mark exactly "
        "one of them is_primary_parent = true",
    ]


# --------------------------------------------------------------------------- classification


def test_one_primary_industry_per_company(seeds: Path) -> None:
    write(
        seeds,
        "company_classification.csv",
        "company_id,industry_code,is_primary,use_case,business_type,note\n"
        f"{ACCOUNT},ticketing_online,true,Ticket sales,b2c,\n"
        f"{ACCOUNT},media,true,,,\n"
        f"{OTHER_ACCOUNT},fintech,false,,,\n"
        f"{OTHER_ACCOUNT},payments,false,,,\n"
        "cus_ABC123,gaming,true,Games,b2c,\n"
        "cus_ABC123,media,false,Streaming,b2c,\n",
    )
    assert problems(seeds) == [
        f"seeds/company_classification.csv:3: error: is_primary 'true': company {ACCOUNT} "
        "already has a primary industry on line 2 — mark only one row is_primary = true (the "
        "others false)",
        f"seeds/company_classification.csv:4: error: is_primary 'false': company {OTHER_ACCOUNT} "
        "has no primary industry (lines 4, 5) — mark exactly one of its rows is_primary = true",
        "seeds/company_classification.csv:7: error: use_case 'Streaming': differs from the "
        "primary row's (line 6); use_case belongs to the company and is read from its primary "
        "row — leave it empty on secondary rows",
    ]


def test_business_type_any_case_but_from_the_list(seeds: Path) -> None:
    line = append(seeds, "company_classification.csv", f"{OTHER_ACCOUNT},gaming,true,,B2Bee,")
    assert problems(seeds) == [
        f"seeds/company_classification.csv:{line}: error: business_type 'B2Bee': not one of: "
        "b2b, b2c, b2b2c, marketplace, public_sector, non_profit — did you mean 'b2b'?",
    ]


def test_unknown_company_ids(seeds: Path) -> None:
    first = append(
        seeds,
        "company_classification.csv",
        "0015g00000aaaaaAAB,gaming,true,,,",  # a typo
        "0015g00000aaaaa,gaming,true,,,",  # the 15-character Id
        "1.23457E+17,gaming,true,,,",  # a spreadsheet's idea of a long number
        "co_ffffffffffffffff,gaming,true,,,",
    )
    assert problems(seeds) == [
        f"seeds/company_classification.csv:{first}: error: company_id '0015g00000aaaaaAAB': "
        "unknown company id: no company key, CRM account, app account or Stripe customer has "
        f"it — did you mean '{ACCOUNT}'?",
        f"seeds/company_classification.csv:{first + 1}: error: company_id '0015g00000aaaaa': "
        "unknown company id: no company key, CRM account, app account or Stripe customer has "
        f"it — that is a 15-character Salesforce Id; use the 18-character '{ACCOUNT}'",
        f"seeds/company_classification.csv:{first + 2}: error: company_id '1.23457E+17': looks "
        "like a long number a spreadsheet rewrote in scientific notation — format the column "
        "as text and paste the id again",
        f"seeds/company_classification.csv:{first + 3}: error: company_id 'co_ffffffffffffffff': "
        "unknown company id: no company key, CRM account, app account or Stripe customer has it",
    ]


def test_company_keys_need_a_warehouse(seeds: Path) -> None:
    line = append(seeds, "company_classification.csv", "co_0123456789abcdef,gaming,true,,,")
    assert problems(seeds, known(KNOWN_IDS - {"co_0123456789abcdef"}, keys=False)) == [
        f"seeds/company_classification.csv:{line}: warning: company_id 'co_0123456789abcdef': "
        "company keys can be checked only against a built warehouse — run 'c360 build' once, "
        "then check again",
    ]


def test_without_warehouse_or_landing_zone_ids_are_not_checked(seeds: Path) -> None:
    nothing = lambda: KnownCompanies(  # noqa: E731
        set(), [], ["no warehouse at /w.duckdb", "no landing zone at /raw"], False
    )
    expected_tail = (
        "company ids NOT checked: no warehouse at /w.duckdb; no landing zone at /raw — build "
        "the warehouse or set C360_RAW_DIR, then check again"
    )
    assert problems(seeds, nothing) == [
        f"seeds/{name}: warning: company_id: {expected_tail}"
        for name in (
            "company_classification.csv",
            "company_timezones.csv",
            "feature_access_overrides.csv",
        )
    ]


# --------------------------------------------------------------------------- size bands


def test_size_bands_start_at_zero_follow_each_other_and_end_open(seeds: Path) -> None:
    write(
        seeds,
        "company_size_bands.csv",
        "measure,band_code,band_name,lower_bound,upper_bound\n"
        "employees,emp_a,A,1,50\n"
        "employees,emp_b,B,60,100\n"
        "employees,emp_c,C,90,200\n"
        "employees,emp_d,D,200,500\n"
        "annual_revenue,rev_a,A,0,\n"
        "annual_revenue,rev_b,B,1000000,\n"
        "mrr,mrr_10k_plus,All,0,\n",
    )
    assert problems(seeds) == [
        "seeds/company_size_bands.csv:2: error: lower_bound '1': the first employees band "
        "starts above 0: smaller values get no band — start it at 0",
        "seeds/company_size_bands.csv:3: error: lower_bound '60': a gap: the previous employees "
        "band (emp_a, line 2) ends at 50 — start this band at 50",
        "seeds/company_size_bands.csv:4: error: lower_bound '90': an overlap: the previous "
        "employees band (emp_b, line 3) ends at 100 — start this band at 100",
        "seeds/company_size_bands.csv:5: error: upper_bound '500': the last employees band has "
        "an upper bound: larger values get no band — leave upper_bound empty on the last band",
        "seeds/company_size_bands.csv:6: error: upper_bound: empty (no upper bound), but band "
        "rev_b (line 7) comes after it — end it where the next band starts: 1000000",
    ]


# --------------------------------------------------------------------------- time zones


def test_time_zones(seeds: Path) -> None:
    first = append(
        seeds,
        "company_timezones.csv",
        f"{OTHER_ACCOUNT},Europe/Berln,2026-01-01,",
        f"{OTHER_ACCOUNT},Pacific Time,2026-02-01,",
    )
    alias = append(seeds, "timezone_aliases.csv", "Eastern  Time,America/Chicago,")
    country = append(seeds, "countries.csv", "FR,FRA,France,1,europe/paris")
    assert problems(seeds) == [
        f"seeds/company_timezones.csv:{first}: error: timezone 'Europe/Berln': unknown time "
        "zone: not an IANA name, nor an alias — did you mean 'Europe/Berlin'?",
        f"seeds/company_timezones.csv:{first + 1}: error: timezone 'Pacific Time': unknown time "
        "zone: not an IANA name, nor an alias — write an IANA name such as "
        "'America/Los_Angeles', or add the alias to timezone_aliases.csv",
        f"seeds/countries.csv:{country}: error: timezone 'europe/paris': write the zone as the "
        "time-zone database does — write 'Europe/Paris'",
        # aliases match ignoring case and spaces, so this one is the line-2 alias again
        f"seeds/timezone_aliases.csv:{alias}: error: duplicate: alias 'Eastern  Time' is already "
        "on line 2 — keep one of the two rows",
    ]


# --------------------------------------------------------------------------- features


def test_feature_overrides(seeds: Path) -> None:
    write(
        seeds,
        "feature_access_overrides.csv",
        "company_id,feature,access,starts_on,ends_on,reason\n"
        f"{ACCOUNT},api_access,grant,2026-01-01,,open-ended\n"
        f"{ACCOUNT},api_access,revoke,2026-03-01,2026-04-01,overlaps the open one\n"
        f"{ACCOUNT},sso,grant,2026-05-01,2026-04-01,ends before it starts\n"
        f"{OTHER_ACCOUNT},sso_login,grant,2026-01-01,,\n",
    )
    assert problems(seeds) == [
        f"seeds/feature_access_overrides.csv:3: error: starts_on '2026-03-01': overlaps line 2 "
        f"(2026-01-01 to open end) for company {ACCOUNT} and feature api_access — end line 2 "
        "on 2026-03-01 (ends_on is exclusive), or start this row later",
        "seeds/feature_access_overrides.csv:4: error: ends_on '2026-04-01': not after starts_on "
        "(2026-05-01); the end is exclusive — use the first day without the override",
        "seeds/feature_access_overrides.csv:5: error: feature 'sso_login': unknown feature (in "
        "neither plan_entitlements.csv nor event_dictionary.csv)",
    ]


# --------------------------------------------------------------------------- files


def test_missing_and_undocumented_seeds(seeds: Path) -> None:
    (seeds / "industry_taxonomy_edges.csv").unlink()
    write(seeds, "regions.csv", "region,name\nemea,EMEA\n")
    out = problems(seeds)
    assert out == [
        "seeds/industry_taxonomy_edges.csv: error: missing: the dbt project reads this seed — "
        "restore it from git ('git checkout -- <file>')",
        "seeds/regions.csv: warning: no rules are known for this seed: only its CSV format "
        "was checked",
        "seeds/regions.csv: warning: not documented in seeds/_seeds.yml — add its owner, "
        "meaning and column_types there",
    ]


# --------------------------------------------------------------------------- the command


def run_check(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str]:
    code = main(["seeds", "check", "--seeds-dir", str(folder), *args])
    return code, capsys.readouterr().out


@pytest.fixture
def no_company_sources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("C360_WAREHOUSE", str(tmp_path / "no-warehouse.duckdb"))
    monkeypatch.setenv("C360_RAW_DIR", str(tmp_path / "no-raw"))
    monkeypatch.chdir(tmp_path)


@pytest.mark.usefixtures("no_company_sources")
def test_exit_code_is_one_on_errors_and_zero_with_warnings_only(
    capsys: pytest.CaptureFixture[str], seeds: Path
) -> None:
    code, out = run_check(capsys, seeds)
    assert code == 0  # company ids not checked: warnings only
    assert "warning: company_id: company ids NOT checked" in out
    files = len(list(seeds.glob("*.csv")))
    assert out.splitlines()[-1].startswith(f"seeds check: {files} files, 0 errors, 3 warnings; ")
    append(seeds, "company_size_bands.csv", "employees,emp_more,More,10001,")
    code, out = run_check(capsys, seeds)
    assert code == EXIT_ERROR
    assert f"seeds check: {files} files, 1 error, 3 warnings; " in out


@pytest.mark.usefixtures("no_company_sources")
def test_fix_rewrites_formatting_keeps_a_backup_and_never_changes_values(
    capsys: pytest.CaptureFixture[str], seeds: Path
) -> None:
    spreadsheet = (
        "sep=;\r\n"
        "company_id ;industry_code;is_primary;use_case;business_type;note;;\r\n"
        f'{ACCOUNT} ; ticketing_online;true;Ticket sales, Zürich;b2c;"a; b";;\r\n'
        ";;;;;;;\r\n"
        f"{OTHER_ACCOUNT};fintech;true;;;03/04/2026\n"
    ).encode("cp1252")
    path = seeds / "company_classification.csv"
    path.write_bytes(spreadsheet)
    code, out = run_check(capsys, seeds, "--fix")
    assert out.splitlines()[0] == (
        "fixed seeds/company_classification.csv: converted from Windows-1252 to UTF-8; "
        "removed the 'sep=' first line; separator ';' -> ','; line endings -> LF; cleaned the "
        "header (spaces around names, empty columns at the end); trimmed the spaces around 2 "
        "value(s); dropped empty cells after the last column on 1 row(s); dropped 1 empty "
        "row(s) (the original is seeds/company_classification.csv.bak)"
    )
    assert code == 0, out
    assert (seeds / "company_classification.csv.bak").read_bytes() == spreadsheet
    assert path.read_text(encoding="utf-8") == (
        "company_id,industry_code,is_primary,use_case,business_type,note\n"
        f'{ACCOUNT},ticketing_online,true,"Ticket sales, Zürich",b2c,a; b\n'
        f"{OTHER_ACCOUNT},fintech,true,,,03/04/2026\n"
    )
    # A second run finds nothing more to fix.
    assert fix_seed(path) == []


@pytest.mark.usefixtures("no_company_sources")
def test_fix_leaves_values_that_need_a_person(
    capsys: pytest.CaptureFixture[str], seeds: Path
) -> None:
    line = append(
        seeds, "feature_access_overrides.csv", f"{OTHER_ACCOUNT},api_access,grant,03/04/2026,,"
    )
    before = (seeds / "feature_access_overrides.csv").read_bytes()
    code, out = run_check(capsys, seeds, "--fix")
    assert code == EXIT_ERROR
    assert not out.startswith("fixed ")
    assert (seeds / "feature_access_overrides.csv").read_bytes() == before
    assert (
        f"seeds/feature_access_overrides.csv:{line}: error: starts_on '03/04/2026': ambiguous "
        "date (3 April or 4 March 2026?) — write it as YYYY-MM-DD: 2026-04-03 or 2026-03-04"
    ) in out.splitlines()


def test_build_stops_on_a_bad_seed_before_anything_is_written(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    no_company_sources: None,
    seeds: Path,
    tmp_path: Path,
) -> None:
    import c360.build

    line = append(seeds, "company_classification.csv", f"{OTHER_ACCOUNT},Ticketting,true,,,")
    dbt_ran: list[object] = []
    (seeds.parent / "dbt_project.yml").touch()
    monkeypatch.setenv("C360_PROJECT_DIR", str(seeds.parent))
    monkeypatch.setattr(c360.build, "run_build", lambda *a, **k: dbt_ran.append(a))
    warehouse = tmp_path / "warehouse" / "w.duckdb"
    monkeypatch.setenv("C360_WAREHOUSE", str(warehouse))
    code = main(["build"])
    out, err = capsys.readouterr()
    assert code == EXIT_ERROR
    assert dbt_ran == []
    assert not warehouse.parent.exists()
    assert (
        f"seeds/company_classification.csv:{line}: error: industry_code 'Ticketting': unknown "
        "industry code (not in industry_taxonomy.csv) — did you mean 'ticketing'?"
    ) in out.splitlines()
    assert err.splitlines()[-1] == (
        "c360: error: seeds check found 1 error in seeds (listed above); nothing was built: "
        "fix it, then run 'c360 seeds check'"
    )
    files = len(list(seeds.glob("*.csv")))
    assert err.splitlines()[0].startswith(f"[c360] build seeds check: {files} files, 1 error, ")


def test_build_goes_on_with_warnings_only(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    no_company_sources: None,
    seeds: Path,
) -> None:
    import c360.build
    import c360.report

    dbt_ran: list[object] = []
    (seeds.parent / "dbt_project.yml").touch()
    monkeypatch.setenv("C360_PROJECT_DIR", str(seeds.parent))
    monkeypatch.setattr(c360.build, "run_build", lambda *a, **k: dbt_ran.append(a))
    monkeypatch.setattr(c360.report, "print_report", lambda *a, **k: None)
    assert main(["build"]) == 0
    assert len(dbt_ran) == 1
    assert "warning: company_id: company ids NOT checked" in capsys.readouterr().out


# --------------------------------------------------------------------------- health score


def test_health_score_model(seeds: Path) -> None:
    text = (seeds / "health_score_model.csv").read_text(encoding="utf-8")
    text = text.replace("usage_recency,weight,0.15", "usage_recency,weight,0.25")
    text = text.replace("usage_trend,full_ratio,1.0", "usage_trend,full_ratio,0.4")
    text = text.replace("nps,weight,0.10", "nps,wieght,0.10")
    text = text.replace("band,watch_min,40,", "BAND,watch_min,-4,")
    write(seeds, "health_score_model.csv", text)
    lines = lines_of(seeds, "health_score_model.csv")
    trend = next(i for i, line in enumerate(lines, 1) if line.startswith("usage_trend,full"))
    nps = next(i for i, line in enumerate(lines, 1) if line.startswith("nps,"))
    band = next(i for i, line in enumerate(lines, 1) if line.startswith("BAND,"))
    assert problems(seeds) == [
        "seeds/health_score_model.csv: error: no row for component nps, parameter weight: add one",
        f"seeds/health_score_model.csv:{trend}: error: value '0.4': usage_trend full_ratio must "
        "be above its floor_ratio (0.5)",
        f"seeds/health_score_model.csv:{nps}: error: parameter 'wieght': component nps has no "
        "parameter 'wieght' (it has: weight) — did you mean 'weight'?",
        f"seeds/health_score_model.csv:{band}: error: value '-4': thresholds and penalties are "
        "not negative",
    ]
    # the weights: every one present, summing to 1.1
    write(seeds, "health_score_model.csv", text.replace("nps,wieght", "nps,weight"))
    assert "seeds/health_score_model.csv: error: the weights sum to 1.1, not 1" in problems(seeds)


# --------------------------------------------------------------------------- freshness rules


def test_freshness_rules_name_file_line_and_value(seeds: Path) -> None:
    first = append(
        seeds,
        "freshness_rules.csv",
        "company,titel,*,*,*,90,typo",
        "company,*,*,*,mrr_huge,90,no such band",
        "person,email,paying,emp_51_200,mrr_10k_plus,ninety,not a number",
        "person,title,paying,emp_51_200,mrr_10k_plus,0,too young",
        "company,website,churned,emp_51_200,*,30,overlaps the next",
        "company,website,churned,*,mrr_under_500,60,overlaps the previous",
    )
    file = "seeds/freshness_rules.csv"
    assert problems(seeds) == [
        f"{file}:{first}: error: attribute 'titel': company has no attribute 'titel' whose age "
        "is measured (it has: *, company_name, website, industry, employee_count, "
        "annual_revenue, billing_country, billing_state, billing_city, account_type, "
        "owner_user_id, csm_user_id, parent_crm_account_id, time_zone_text, billing_email)",
        f"{file}:{first + 1}: error: mrr_band 'mrr_huge': no mrr band 'mrr_huge' in "
        "company_size_bands (write * for any band)",
        f"{file}:{first + 2}: error: max_age_days 'ninety': not a whole number",
        f"{file}:{first + 3}: error: max_age_days '0': a maximum age is at least 1 day",
        f"{file}:{first + 5}: error: overlaps line {first + 4} with the same specificity: both "
        "match company (website, churned, emp_51_200, mrr_under_500); add a rule for exactly "
        "that, or make one of them more specific",
    ]


def test_a_rule_where_two_meet_resolves_their_overlap(seeds: Path) -> None:
    append(
        seeds,
        "freshness_rules.csv",
        "company,website,churned,emp_51_200,*,30,",
        "company,website,churned,*,mrr_under_500,60,",
        "company,website,churned,emp_51_200,mrr_under_500,30,decides",
    )
    assert problems(seeds) == []


def test_freshness_rules_without_a_default_warn(seeds: Path) -> None:
    text = (seeds / "freshness_rules.csv").read_text(encoding="utf-8")
    default, specific = "\nperson,*,*,*,*,", "\nperson,*,churned,emp_51_200,mrr_10k_plus,"
    write(seeds, "freshness_rules.csv", text.replace(default, specific))
    assert problems(seeds) == [
        "seeds/freshness_rules.csv: warning: entity 'person': no default rule (*, *, *, *) for "
        "person: attributes no rule matches are not judged",
    ]


# --------------------------------------------------------------------------- channel rules


def test_channel_rules_that_can_never_match(seeds: Path) -> None:
    write(
        seeds,
        "channel_groups.csv",
        "rule_order,source,medium,channel,note\n"
        "10,google,cpc,paid_search,\n"
        "30,*,email,unassigned,reserved\n"
        "20,Google,CPC,paid_search,the rule of line 2 in other case\n"
        "40,*,*,other,a catch-all\n"
        "50,*,referral,referral,after the catch-all\n",
    )
    assert problems(seeds) == [
        "seeds/channel_groups.csv:3: error: channel 'unassigned': unassigned is the channel of "
        "a touch no rule matches: name a channel",
        "seeds/channel_groups.csv:4: error: source 'Google': the same source and medium as "
        "line 2 (case and spaces around are ignored), which is tried first: this rule never "
        "matches",
        "seeds/channel_groups.csv:6: warning: rule_order '50': comes after the rule on line 5 "
        "that matches every touch (source * and medium *): it never matches",
    ]


def test_shipped_channel_rules_pass(seeds: Path) -> None:
    assert [p for p in problems(seeds) if "channel_groups" in p] == []


# --------------------------------------------------------------------------- identity overrides

KNOWN_IDENTIFIERS = {
    ("company", "crm_account_id", ACCOUNT),
    ("company", "crm_account_id", OTHER_ACCOUNT),
    ("company", "billing_customer_id", "cus_ABC123"),
    ("company", "app_account_id", "ws_42"),
    ("person", "email", "jane@acme.io"),
    ("person", "crm_contact_id", "0035g00000aaaaaAAA"),
    ("person", "user_id", "u_1"),
}


def override_problems(
    seeds: Path, *rows: str, identifiers: KnownIdentifiers | None = None
) -> list[str]:
    append(seeds, "identity_overrides.csv", *rows)
    result = check_seeds(
        seeds,
        display_root=seeds.parent,
        known_companies=known(),
        known_identifiers=lambda: identifiers or KnownIdentifiers(set(KNOWN_IDENTIFIERS), ["x"]),
    )
    return [p.format() for p in result.problems]


def test_valid_identity_overrides(seeds: Path) -> None:
    assert (
        override_problems(
            seeds,
            f"company,crm_account_id,{ACCOUNT},billing_customer_id,cus_ABC123,never_same,r,,2026-10-01",
            f"company,crm_account_id,{OTHER_ACCOUNT},app_account_id,ws_42,always_same,r,,2026-10-01",
            "person,email,Jane@ACME.io,user_id,u_1,always_same,same person,cs,2026-10-02",
        )
        == []
    )


def test_identity_overrides_unknown_values_and_missing_reason(seeds: Path) -> None:
    assert override_problems(
        seeds,
        f"team,crm_account_id,{ACCOUNT},app_account_id,ws_42,never_same,x,,2026-10-01",
        f"company,account_id,{ACCOUNT},app_account_id,ws_42,never_same,x,,2026-10-01",
        f"company,crm_account_id,{ACCOUNT},app_account_id,ws_42,maybe_same,x,,2026-10-01",
        f"company,crm_account_id,{OTHER_ACCOUNT},app_account_id,ws_42,never_same,,,2026-10-01",
        f"company,crm_account_id,{ACCOUNT},email,jane@acme.io,never_same,x,,2026-10-01",
    ) == [
        "seeds/identity_overrides.csv:2: error: entity 'team': not one of: company, person",
        "seeds/identity_overrides.csv:3: error: identifier_type_a 'account_id': not one of: "
        "crm_account_id, app_account_id, billing_customer_id, user_id, crm_contact_id, email "
        "— did you mean 'crm_account_id'?",
        "seeds/identity_overrides.csv:4: error: rule 'maybe_same': not one of: never_same, "
        "always_same — did you mean 'always_same'?",
        "seeds/identity_overrides.csv:5: error: reason: empty, but every row needs a value",
        "seeds/identity_overrides.csv:6: error: identifier_type_b 'email': not an identifier type "
        "of a company — use one of: crm_account_id, app_account_id, billing_customer_id",
    ]


def test_identity_overrides_ids_that_name_nothing(seeds: Path) -> None:
    assert override_problems(
        seeds,
        "company,crm_account_id,0015g00000aaaaaAAB,app_account_id,ws_42,never_same,x,,2026-10-01",
        "person,email,nobody@acme.io,crm_contact_id,0035g00000aaaaaAAA,always_same,x,,2026-10-01",
    ) == [
        "seeds/identity_overrides.csv:2: error: identifier_value_a '0015g00000aaaaaAAB': unknown "
        f"crm_account_id: no company has it — did you mean '{ACCOUNT}'?",
        "seeds/identity_overrides.csv:3: error: identifier_value_a 'nobody@acme.io': unknown "
        "email: no person has it",
    ]


def test_identity_overrides_that_contradict_each_other(seeds: Path) -> None:
    assert override_problems(
        seeds,
        f"company,crm_account_id,{ACCOUNT},app_account_id,ws_42,always_same,x,,2026-10-01",
        f"company,app_account_id,ws_42,crm_account_id,{ACCOUNT},never_same,x,,2026-10-01",
        "company,app_account_id,ws_42,billing_customer_id,cus_ABC123,always_same,x,,2026-10-01",
        f"company,crm_account_id,{ACCOUNT},billing_customer_id,cus_ABC123,never_same,x,,2026-10-01",
        f"company,crm_account_id,{ACCOUNT},crm_account_id,{ACCOUNT},always_same,x,,2026-10-01",
    ) == [
        "seeds/identity_overrides.csv:3: error: rule 'never_same': contradicts line 2, which says "
        "they are always the same — remove this row or the always_same row(s) joining them",
        "seeds/identity_overrides.csv:5: error: rule 'never_same': always_same rows chain these "
        "two together: they cannot also be apart — remove this row or the always_same row(s) "
        "joining them",
        f"seeds/identity_overrides.csv:6: error: identifier_value_b '{ACCOUNT}': the same "
        "identifier as _a",
    ]


def test_identity_overrides_without_warehouse_or_landing_zone(seeds: Path) -> None:
    nothing = KnownIdentifiers(set(), [], ["no warehouse at /w.duckdb", "no landing zone at /raw"])
    assert override_problems(
        seeds,
        f"company,crm_account_id,{ACCOUNT},app_account_id,ws_42,never_same,x,,2026-10-01",
        identifiers=nothing,
    ) == [
        "seeds/identity_overrides.csv: warning: identifiers NOT checked: no warehouse at "
        "/w.duckdb; no landing zone at /raw — build the warehouse or set C360_RAW_DIR, then "
        "check again",
    ]
