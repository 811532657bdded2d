"""Rules across rows and across seeds: codes that must exist, the taxonomy's shape, one
primary industry per company, contiguous size bands, time zones, feature overrides that do not
overlap, company ids that name a company, identity overrides that fit their entity, name
identifiers and do not contradict each other, and channel rules that can match."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from c360.seeds.companies import COMPANY_KEY_PREFIX, KnownCompanies
from c360.seeds.identities import TYPES_BY_ENTITY, KnownIdentifiers, normalise
from c360.seeds.problems import Problem, Severity, did_you_mean, quote
from c360.seeds.specs import FRESHNESS_ATTRIBUTES, HEALTH_PARAMETERS
from c360.seeds.values import iana_zones, label_key, normalise_alias

if TYPE_CHECKING:
    from c360.seeds.check import ParsedRow, ParsedSeed

_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+")


def check_all(seeds: dict[str, ParsedSeed]) -> list[Problem]:
    out: list[Problem] = []
    out += check_taxonomy(seeds.get("industry_taxonomy"), seeds.get("industry_taxonomy_edges"))
    out += check_industry_codes(seeds)
    out += check_classification(seeds.get("company_classification"))
    out += check_size_bands(seeds.get("company_size_bands"))
    out += check_company_timezones(seeds.get("company_timezones"), seeds.get("timezone_aliases"))
    out += check_feature_overrides(seeds)
    out += check_fx_rates(seeds.get("fx_rates"), seeds.get("currencies"))
    out += check_opportunity_stages(seeds.get("opportunity_stages"))
    out += check_health_score_model(seeds.get("health_score_model"))
    out += check_freshness_rules(seeds.get("freshness_rules"), seeds.get("company_size_bands"))
    out += check_identity_overrides(seeds.get("identity_overrides"))
    out += check_channel_groups(seeds.get("channel_groups"))
    return out


def _problem(
    seed: ParsedSeed,
    row: ParsedRow | None,
    column: str | None,
    message: str,
    suggestion: str | None = None,
    severity: Severity = Severity.ERROR,
) -> Problem:
    value = row.raw.get(column) or None if row is not None and column is not None else None
    line = row.line if row is not None else None
    return Problem(seed.display, line, column, value, message, suggestion, severity)


def _rows_with(seed: ParsedSeed | None, *columns: str) -> Iterator[ParsedRow]:
    """Rows whose ``columns`` all hold a valid value."""
    if seed is None:
        return
    for row in seed.rows:
        if all(row.values.get(c) is not None for c in columns):
            yield row


# --------------------------------------------------------------------------- taxonomy


def _nodes(taxonomy: ParsedSeed | None) -> dict[str, tuple[ParsedRow, int | None, str]]:
    """code -> (row, level, name) of every valid node."""
    out: dict[str, tuple[ParsedRow, int | None, str]] = {}
    for row in _rows_with(taxonomy, "industry_code"):
        code = str(row.values["industry_code"])
        level = row.values.get("level")
        name = str(row.values.get("industry_name") or "")
        out.setdefault(code, (row, level if isinstance(level, int) else None, name))
    return out


def unknown_code_suggestion(
    value: str, nodes: dict[str, tuple[ParsedRow, int | None, str]]
) -> str | None:
    """A node whose name this is, else the closest code."""
    for code, (_, _, name) in nodes.items():
        if name and label_key(name) == label_key(value):
            return f"that is the name of {quote(code)}; write its code"
    return did_you_mean(value, nodes)


def check_taxonomy(taxonomy: ParsedSeed | None, edges: ParsedSeed | None) -> list[Problem]:
    out: list[Problem] = []
    nodes = _nodes(taxonomy)
    if taxonomy is not None:
        for row in _rows_with(taxonomy, "level"):
            level = row.values["level"]
            if isinstance(level, int) and level < 1:
                out.append(_problem(taxonomy, row, "level", "levels start at 1 (1 = sector)"))
        names: dict[str, int] = {}
        for row in _rows_with(taxonomy, "industry_name"):
            name_key = label_key(str(row.values["industry_name"]))
            if name_key in names:
                out.append(
                    _problem(
                        taxonomy,
                        row,
                        "industry_name",
                        f"the same name as the node on line {names[name_key]}",
                        "give each node its own name",
                        Severity.WARNING,
                    )
                )
            else:
                names[name_key] = row.line
    if edges is None:
        return out
    parents: dict[str, list[tuple[str, ParsedRow]]] = defaultdict(list)
    for row in _rows_with(edges, "industry_code", "parent_industry_code"):
        child, parent = str(row.values["industry_code"]), str(row.values["parent_industry_code"])
        known = True
        for column, code in (("industry_code", child), ("parent_industry_code", parent)):
            if code not in nodes:
                known = False
                out.append(
                    _problem(
                        edges,
                        row,
                        column,
                        "unknown industry code (not in industry_taxonomy.csv)",
                        unknown_code_suggestion(code, nodes),
                    )
                )
        if not known:
            continue
        parents[child].append((parent, row))
        if child == parent:
            continue  # a cycle of one, reported with the cycles
        child_level, parent_level = nodes[child][1], nodes[parent][1]
        if child_level is not None and parent_level is not None and parent_level != child_level - 1:
            wanted = (
                "a sector (level 1) has no parent"
                if child_level == 1
                else f"its parent must be one level up, level {child_level - 1}"
            )
            out.append(
                _problem(
                    edges,
                    row,
                    "parent_industry_code",
                    f"{child} is level {child_level} and {parent} is level {parent_level}: "
                    + wanted,
                )
            )
    out += _check_primary_parents(edges, parents)
    out += _check_orphans(taxonomy, nodes, parents)
    out += _check_cycles(edges, parents)
    return out


def _check_primary_parents(
    edges: ParsedSeed, parents: dict[str, list[tuple[str, ParsedRow]]]
) -> list[Problem]:
    out: list[Problem] = []
    for child, links in parents.items():
        if len(links) < 2:
            continue
        primary = [(parent, row) for parent, row in links if row.values.get("is_primary_parent")]
        listed = ", ".join(parent for parent, _ in links)
        if not primary:
            out.append(
                _problem(
                    edges,
                    links[0][1],
                    "is_primary_parent",
                    f"{child} has {len(links)} parents ({listed}) and none is its primary parent",
                    "mark exactly one of them is_primary_parent = true",
                )
            )
        for _, row in primary[1:]:
            out.append(
                _problem(
                    edges,
                    row,
                    "is_primary_parent",
                    f"{child} already has a primary parent on line {primary[0][1].line}",
                    "mark exactly one of its parents is_primary_parent = true",
                )
            )
    return out


def _check_orphans(
    taxonomy: ParsedSeed | None,
    nodes: dict[str, tuple[ParsedRow, int | None, str]],
    parents: dict[str, list[tuple[str, ParsedRow]]],
) -> list[Problem]:
    if taxonomy is None:
        return []
    out: list[Problem] = []
    for code, (row, level, _) in nodes.items():
        if level is not None and level > 1 and code not in parents:
            out.append(
                _problem(
                    taxonomy,
                    row,
                    "level",
                    f"{code} is level {level} but has no parent, so it rolls up to no sector",
                    f"add a row '{code},<parent code>,true' to industry_taxonomy_edges.csv",
                )
            )
    return out


def _check_cycles(
    edges: ParsedSeed, parents: dict[str, list[tuple[str, ParsedRow]]]
) -> list[Problem]:
    """Each cycle once, on its link with the highest line (most likely the newest edit)."""
    out: list[Problem] = []
    reported: set[frozenset[str]] = set()
    for start in sorted(parents):
        for nodes, links in _cycles_from(start, parents):
            if frozenset(nodes) in reported:
                continue
            reported.add(frozenset(nodes))
            last = max(range(len(links)), key=lambda i: links[i].line)
            turned = nodes[last:] + nodes[:last]
            shown = " > ".join([*turned, turned[0]])
            out.append(
                _problem(
                    edges,
                    links[last],
                    "parent_industry_code",
                    f"a cycle in the taxonomy: {shown} (a node cannot be its own ancestor)",
                    "remove one of these links",
                )
            )
    return out


def _cycles_from(
    start: str, parents: dict[str, list[tuple[str, ParsedRow]]]
) -> Iterator[tuple[list[str], list[ParsedRow]]]:
    """Cycles through ``start``: its nodes in order, and the link from each to the next."""
    stack: list[tuple[str, list[str], list[ParsedRow]]] = [(start, [start], [])]
    seen: set[str] = set()
    while stack:
        node, path, links = stack.pop()
        for parent, row in sorted(parents.get(node, []), key=lambda item: item[0]):
            if parent == start:
                yield path, [*links, row]
            elif parent not in path and parent not in seen:
                seen.add(parent)
                stack.append((parent, [*path, parent], [*links, row]))


def check_industry_codes(seeds: dict[str, ParsedSeed]) -> list[Problem]:
    """Codes the CRM map and the classification name must be taxonomy nodes."""
    taxonomy = seeds.get("industry_taxonomy")
    if taxonomy is None:
        return []
    nodes = _nodes(taxonomy)
    out: list[Problem] = []
    for name in ("crm_industry_map", "company_classification"):
        seed = seeds.get(name)
        for row in _rows_with(seed, "industry_code"):
            code = str(row.values["industry_code"])
            if code not in nodes:
                assert seed is not None
                out.append(
                    _problem(
                        seed,
                        row,
                        "industry_code",
                        "unknown industry code (not in industry_taxonomy.csv)",
                        unknown_code_suggestion(row.raw["industry_code"].strip(), nodes),
                    )
                )
    return out


# --------------------------------------------------------------------------- classification


def check_classification(seed: ParsedSeed | None) -> list[Problem]:
    """One primary row per company; use case and business type belong to the primary row."""
    out: list[Problem] = []
    by_company: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in _rows_with(seed, "company_id", "industry_code"):
        by_company[str(row.values["company_id"])].append(row)
    assert seed is not None or not by_company
    for company, rows in by_company.items():
        assert seed is not None
        primaries = [row for row in rows if row.values.get("is_primary") is True]
        if not primaries and all(row.values.get("is_primary") is False for row in rows):
            out.append(
                _problem(
                    seed,
                    rows[0],
                    "is_primary",
                    f"company {company} has no primary industry "
                    f"(lines {', '.join(str(r.line) for r in rows)})",
                    "mark exactly one of its rows is_primary = true",
                )
            )
        for row in primaries[1:]:
            out.append(
                _problem(
                    seed,
                    row,
                    "is_primary",
                    f"company {company} already has a primary industry on line {primaries[0].line}",
                    "mark only one row is_primary = true (the others false)",
                )
            )
        if not primaries:
            continue
        primary = primaries[0]
        for row in rows:
            if row is primary:
                continue
            for column in ("use_case", "business_type"):
                value, wanted = row.values.get(column), primary.values.get(column)
                if value is not None and value != wanted:
                    out.append(
                        _problem(
                            seed,
                            row,
                            column,
                            f"differs from the primary row's (line {primary.line}); "
                            f"{column} belongs to the company and is read from its primary row",
                            "leave it empty on secondary rows",
                        )
                    )
    return out


# --------------------------------------------------------------------------- size bands


def check_size_bands(seed: ParsedSeed | None) -> list[Problem]:
    """Per measure: bands from 0, each starting where the previous ends, the last one open."""
    if seed is None:
        return []
    out: list[Problem] = []
    by_measure: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in _rows_with(seed, "measure", "lower_bound"):
        by_measure[str(row.values["measure"])].append(row)
    # mrr bands are optional: without them mrr_band is empty, nothing else changes
    for measure in ("employees", "annual_revenue"):
        if measure not in by_measure:
            out.append(
                Problem(
                    seed.display,
                    None,
                    "measure",
                    measure,
                    "no bands for this measure: every company's band will be empty",
                    severity=Severity.WARNING,
                )
            )
    unreadable = {
        str(row.values.get("measure"))
        for row in seed.rows
        if any(row.values.get(c) is None and row.raw.get(c, "").strip() for c in _BOUNDS)
    }
    for measure, rows in by_measure.items():
        if measure in unreadable:
            continue  # a bound that is not a number is reported by its cell
        rows.sort(key=lambda r: _decimal(r.values["lower_bound"]))
        first = rows[0]
        if _decimal(first.values["lower_bound"]) != 0:
            out.append(
                _problem(
                    seed,
                    first,
                    "lower_bound",
                    f"the first {measure} band starts above 0: smaller values get no band",
                    "start it at 0",
                )
            )
        for previous, row in itertools.pairwise(rows):
            end = previous.values.get("upper_bound")
            start = _decimal(row.values["lower_bound"])
            if end is None:
                out.append(
                    _problem(
                        seed,
                        previous,
                        "upper_bound",
                        f"empty (no upper bound), but band {row.values.get('band_code')} "
                        f"(line {row.line}) comes after it",
                        f"end it where the next band starts: {start}",
                    )
                )
            elif _decimal(end) != start:
                gap = "a gap" if _decimal(end) < start else "an overlap"
                out.append(
                    _problem(
                        seed,
                        row,
                        "lower_bound",
                        f"{gap}: the previous {measure} band ({previous.values.get('band_code')}, "
                        f"line {previous.line}) ends at {end}",
                        f"start this band at {end}",
                    )
                )
        for row in rows:
            end = row.values.get("upper_bound")
            if end is not None and _decimal(end) <= _decimal(row.values["lower_bound"]):
                out.append(
                    _problem(
                        seed,
                        row,
                        "upper_bound",
                        "not above lower_bound (upper_bound is the first value above the band)",
                    )
                )
        last = rows[-1]
        if last.values.get("upper_bound") is not None:
            out.append(
                _problem(
                    seed,
                    last,
                    "upper_bound",
                    f"the last {measure} band has an upper bound: larger values get no band",
                    "leave upper_bound empty on the last band",
                )
            )
    return out


_BOUNDS = ("lower_bound", "upper_bound")


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


# --------------------------------------------------------------------------- time zones


def check_company_timezones(seed: ParsedSeed | None, aliases: ParsedSeed | None) -> list[Problem]:
    """A company's zone is an IANA name in any case, or an alias from timezone_aliases.csv."""
    if seed is None:
        return []
    zones = iana_zones()
    known_aliases = {
        normalise_alias(str(row.values["alias"])) for row in _rows_with(aliases, "alias")
    }
    out: list[Problem] = []
    for row in _rows_with(seed, "timezone"):
        value = str(row.values["timezone"])
        if value.casefold() in zones or normalise_alias(value) in known_aliases:
            continue
        where = "" if aliases is not None else " (there is no timezone_aliases.csv)"
        out.append(
            _problem(
                seed,
                row,
                "timezone",
                f"unknown time zone: not an IANA name, nor an alias{where}",
                did_you_mean(value, [*zones.values(), *known_aliases], cutoff=0.8)
                or "write an IANA name such as 'America/Los_Angeles', or add the alias to "
                "timezone_aliases.csv",
            )
        )
    return out


# --------------------------------------------------------------------------- features


def check_feature_overrides(seeds: dict[str, ParsedSeed]) -> list[Problem]:
    """Known features; ends after starts; no two rows for a company and feature overlap."""
    seed = seeds.get("feature_access_overrides")
    if seed is None:
        return []
    out: list[Problem] = []
    features: set[str] = set()
    sources = [seeds[name] for name in ("plan_entitlements", "event_dictionary") if name in seeds]
    for source in sources:
        features |= {str(row.values["feature"]) for row in _rows_with(source, "feature")}
    for row in _rows_with(seed, "feature"):
        feature = str(row.values["feature"])
        if sources and feature not in features:
            out.append(
                _problem(
                    seed,
                    row,
                    "feature",
                    "unknown feature (in neither plan_entitlements.csv nor event_dictionary.csv)",
                    did_you_mean(feature, features),
                )
            )
    if not sources and any(True for _ in _rows_with(seed, "feature")):
        out.append(
            Problem(
                seed.display,
                None,
                "feature",
                None,
                "features not checked: there is no plan_entitlements.csv or event_dictionary.csv",
                severity=Severity.WARNING,
            )
        )
    windows: dict[tuple[str, str], list[ParsedRow]] = defaultdict(list)
    for row in _rows_with(seed, "company_id", "feature", "starts_on"):
        starts, ends = row.values["starts_on"], row.values.get("ends_on")
        if isinstance(ends, dt.date) and isinstance(starts, dt.date) and ends <= starts:
            out.append(
                _problem(
                    seed,
                    row,
                    "ends_on",
                    f"not after starts_on ({starts}); the end is exclusive",
                    "use the first day without the override",
                )
            )
            continue
        windows[(str(row.values["company_id"]), str(row.values["feature"]))].append(row)
    for (company, feature), rows in windows.items():
        rows.sort(key=lambda r: r.values["starts_on"])  # type: ignore[arg-type,return-value]
        for previous, row in itertools.pairwise(rows):
            prev_end, start = previous.values.get("ends_on"), row.values["starts_on"]
            if prev_end is None or prev_end > start:  # type: ignore[operator]
                until = "open end" if prev_end is None else str(prev_end)
                out.append(
                    _problem(
                        seed,
                        row,
                        "starts_on",
                        f"overlaps line {previous.line} ({previous.values['starts_on']} to "
                        f"{until}) for company {company} and feature {feature}",
                        f"end line {previous.line} on {start} (ends_on is exclusive), "
                        "or start this row later",
                    )
                )
    return out


# --------------------------------------------------------------------------- company ids


def check_company_ids(seeds: list[ParsedSeed], known: KnownCompanies) -> list[Problem]:
    out: list[Problem] = []
    for seed in seeds:
        assert seed.spec is not None and seed.spec.company_id_column is not None
        column = seed.spec.company_id_column
        if not known.can_check:
            out.append(
                Problem(
                    seed.display,
                    None,
                    column,
                    None,
                    known.describe(),
                    "build the warehouse or set C360_RAW_DIR, then check again",
                    Severity.WARNING,
                )
            )
            continue
        for row in _rows_with(seed, column):
            value = str(row.values[column])
            if value in known.ids:
                continue
            if value.startswith(COMPANY_KEY_PREFIX) and not known.knows_company_keys:
                out.append(
                    _problem(
                        seed,
                        row,
                        column,
                        "company keys can be checked only against a built warehouse",
                        "run 'c360 build' once, then check again",
                        Severity.WARNING,
                    )
                )
                continue
            out.append(
                _problem(
                    seed,
                    row,
                    column,
                    "unknown company id: no company key, CRM account, app account or Stripe "
                    "customer has it",
                    _company_id_suggestion(value, known.ids),
                )
            )
    return out


def _company_id_suggestion(value: str, ids: set[str]) -> str | None:
    if _SCIENTIFIC.fullmatch(value):
        return "a spreadsheet rewrote a long number: format the column as text, paste the id again"
    if len(value) == 15:
        longer = sorted(i for i in ids if len(i) == 18 and i.startswith(value))
        if longer:
            return f"that is a 15-character Salesforce Id; use the 18-character {quote(longer[0])}"
    return did_you_mean(value, ids, cutoff=0.8)


# --------------------------------------------------------------------------- exchange rates


def _month_number(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def check_fx_rates(seed: ParsedSeed | None, currencies: ParsedSeed | None) -> list[Problem]:
    """First-of-month dates, known codes, rates above 0, and no month missing in a series."""
    if seed is None:
        return []
    known = {
        str(r.values["currency_code"]).lower() for r in _rows_with(currencies, "currency_code")
    }
    out: list[Problem] = []
    months: dict[tuple[str, str], dict[int, ParsedRow]] = defaultdict(dict)
    for row in seed.rows:
        month = row.values.get("month")
        if isinstance(month, dt.date) and month.day != 1:
            out.append(
                _problem(
                    seed,
                    row,
                    "month",
                    "a rate applies to a whole month: write the month's first day",
                    f"{month:%Y-%m}-01",
                )
            )
        for column in ("currency", "reporting_currency"):
            code = row.values.get(column)
            if code is not None and known and str(code).lower() not in known:
                out.append(
                    _problem(
                        seed,
                        row,
                        column,
                        "not a currency of currencies.csv",
                        did_you_mean(str(code).lower(), sorted(known))
                        or "add the currency to currencies.csv, or fix the code",
                    )
                )
        rate = row.values.get("rate")
        if rate is not None and _decimal(rate) <= 0:
            out.append(
                _problem(
                    seed,
                    row,
                    "rate",
                    "a rate must be above 0 (units of the reporting currency per unit)",
                )
            )
        pair = (
            str(row.values.get("currency") or "").lower(),
            str(row.values.get("reporting_currency") or "").lower(),
        )
        if pair[0] and pair[0] == pair[1]:
            out.append(
                _problem(
                    seed,
                    row,
                    "currency",
                    "a currency needs no rate to itself (it is 1): remove the row",
                )
            )
        elif all(pair) and isinstance(month, dt.date):
            months[pair].setdefault(_month_number(month), row)
    for (currency, reporting), series in sorted(months.items()):
        numbers = sorted(series)
        for before, after in itertools.pairwise(numbers):
            if after - before > 1:
                gap = dt.date((before + 1) // 12, (before + 1) % 12 + 1, 1)
                out.append(
                    _problem(
                        seed,
                        series[after],
                        "month",
                        f"no {currency} to {reporting} rate for {gap:%Y-%m} (the series skips"
                        f" {after - before - 1} month(s) before this row): MRR in those months"
                        " gets null reporting amounts",
                        "add the missing months",
                        severity=Severity.WARNING,
                    )
                )
    return out


# --------------------------------------------------------------------------- sales stages


def check_opportunity_stages(seed: ParsedSeed | None) -> list[Problem]:
    """Probabilities from 0 to 1; stage orders unique; a won stage is a closed one."""
    if seed is None:
        return []
    out: list[Problem] = []
    orders: dict[int, ParsedRow] = {}
    for row in seed.rows:
        probability = row.values.get("probability")
        if probability is not None and not 0 <= _decimal(probability) <= 1:
            out.append(
                _problem(
                    seed,
                    row,
                    "probability",
                    "a probability is between 0 and 1 (write 0.25 for 25%)",
                    str(_decimal(probability) / 100) if 1 < _decimal(probability) <= 100 else None,
                )
            )
        order = row.values.get("stage_order")
        if isinstance(order, int):
            if order in orders:
                out.append(
                    _problem(
                        seed,
                        row,
                        "stage_order",
                        f"stage_order {order} is already used on line {orders[order].line}",
                    )
                )
            orders.setdefault(order, row)
        if row.values.get("is_won") is True and row.values.get("is_closed") is False:
            out.append(
                _problem(seed, row, "is_closed", "a won stage is a closed stage: write true")
            )
    return out


# --------------------------------------------------------------------------- health score

# (component, lower parameter, higher parameter): the first must be below the second
_HEALTH_ORDER = (
    ("usage_recency", "full_days", "zero_days"),
    ("usage_trend", "floor_ratio", "full_ratio"),
    ("team_growth", "floor_ratio", "full_ratio"),
    ("band", "watch_min", "healthy_min"),
)


def check_health_score_model(seed: ParsedSeed | None) -> list[Problem]:
    """Known parameters, all present; weights from 0 to 1 summing to 1; thresholds in order."""
    if seed is None:
        return []
    out: list[Problem] = []
    values: dict[tuple[str, str], tuple[Decimal, ParsedRow]] = {}
    for row in _rows_with(seed, "component", "parameter", "value"):
        component = str(row.values["component"]).strip().lower()
        parameter = str(row.values["parameter"]).strip().lower()
        known = HEALTH_PARAMETERS.get(component, ())
        if parameter not in known:
            out.append(
                _problem(
                    seed,
                    row,
                    "parameter",
                    f"component {component} has no parameter {quote(parameter)} "
                    f"(it has: {', '.join(known)})",
                    did_you_mean(parameter, known),
                )
            )
            continue
        value = _decimal(row.values["value"])
        values[(component, parameter)] = (value, row)
        if parameter == "weight" and not 0 <= value <= 1:
            out.append(_problem(seed, row, "value", "a weight is between 0 and 1"))
        elif parameter != "weight" and value < 0:
            out.append(_problem(seed, row, "value", "thresholds and penalties are not negative"))
        elif component == "band" and value > 100:
            out.append(_problem(seed, row, "value", "a band's lowest score is 0 to 100"))
    for component, names in HEALTH_PARAMETERS.items():
        for name in names:
            if (component, name) not in values:
                out.append(
                    _problem(
                        seed,
                        None,
                        None,
                        f"no row for component {component}, parameter {name}: add one",
                    )
                )
    weights = [v for (_, name), (v, _) in values.items() if name == "weight"]
    total = sum(weights, Decimal(0))
    if len(weights) == len(HEALTH_PARAMETERS) - 1 and abs(total - 1) > Decimal("0.000001"):
        out.append(_problem(seed, None, None, f"the weights sum to {total.normalize()}, not 1"))
    for component, low, high in _HEALTH_ORDER:
        if (component, low) in values and (component, high) in values:
            low_value, _ = values[(component, low)]
            high_value, row = values[(component, high)]
            if low_value >= high_value:
                out.append(
                    _problem(
                        seed,
                        row,
                        "value",
                        f"{component} {high} must be above its {low} ({low_value.normalize()})",
                    )
                )
    return out


# --------------------------------------------------------------------------- identity overrides

_SIDES = ("a", "b")
_PAIR = (
    "entity", "identifier_type_a", "identifier_value_a", "identifier_type_b", "identifier_value_b",
    "rule",
)  # fmt: skip
Node = tuple[str, str, str]  # entity, identifier type, value (normalised)


def _override_nodes(row: ParsedRow) -> tuple[Node, Node]:
    entity = str(row.values["entity"])
    a, b = (
        (
            entity,
            str(row.values[f"identifier_type_{side}"]),
            normalise(
                str(row.values[f"identifier_type_{side}"]),
                str(row.values[f"identifier_value_{side}"]),
            ),
        )
        for side in _SIDES
    )
    return a, b


def check_identity_overrides(seed: ParsedSeed | None) -> list[Problem]:
    """Types that fit the entity, two different ids, no row contradicting another."""
    if seed is None:
        return []
    out: list[Problem] = []
    valid: list[ParsedRow] = []
    for row in _rows_with(seed, *_PAIR):
        entity = str(row.values["entity"])
        fits = True
        for side in _SIDES:
            kind = str(row.values[f"identifier_type_{side}"])
            if kind not in TYPES_BY_ENTITY[entity]:
                fits = False
                out.append(
                    _problem(
                        seed,
                        row,
                        f"identifier_type_{side}",
                        f"not an identifier type of a {entity}",
                        f"use one of: {', '.join(TYPES_BY_ENTITY[entity])}",
                    )
                )
        if not fits:
            continue
        a, b = _override_nodes(row)
        if a == b:
            out.append(_problem(seed, row, "identifier_value_b", "the same identifier as _a", None))
            continue
        valid.append(row)
    out += _identity_contradictions(seed, valid)
    return out


def _identity_contradictions(seed: ParsedSeed, rows: list[ParsedRow]) -> list[Problem]:
    """A pair both never_same and always_same, or a never_same pair always_same rows chain."""
    parent: dict[Node, Node] = {}

    def root(node: Node) -> Node:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    always: dict[frozenset[Node], ParsedRow] = {}
    for row in rows:
        if row.values["rule"] == "always_same":
            a, b = _override_nodes(row)
            always.setdefault(frozenset((a, b)), row)
            parent[root(a)] = root(b)
    out: list[Problem] = []
    for row in rows:
        if row.values["rule"] != "never_same":
            continue
        a, b = _override_nodes(row)
        same = always.get(frozenset((a, b)))
        if same is not None:
            message = f"contradicts line {same.line}, which says they are always the same"
        elif root(a) == root(b):
            message = "always_same rows chain these two together: they cannot also be apart"
        else:
            continue
        out.append(
            _problem(
                seed, row, "rule", message, "remove this row or the always_same row(s) joining them"
            )
        )
    return out


def check_identity_ids(seed: ParsedSeed, known: KnownIdentifiers) -> list[Problem]:
    """Each identifier an override names is one the warehouse or the landing zone knows."""
    if not known.can_check:
        return [
            Problem(
                seed.display,
                None,
                None,
                None,
                known.describe(),
                "build the warehouse or set C360_RAW_DIR, then check again",
                Severity.WARNING,
            )
        ]
    out: list[Problem] = []
    for row in _rows_with(seed, "entity"):
        entity = str(row.values["entity"])
        for side in _SIDES:
            kind, value = (row.values.get(f"identifier_{c}_{side}") for c in ("type", "value"))
            if kind is None or value is None or str(kind) not in TYPES_BY_ENTITY[entity]:
                continue  # reported by its cell or by check_identity_overrides
            if (entity, str(kind), normalise(str(kind), str(value))) in known.ids:
                continue
            same_kind = {v for e, t, v in known.ids if (e, t) == (entity, kind)}
            out.append(
                _problem(
                    seed,
                    row,
                    f"identifier_value_{side}",
                    f"unknown {kind}: no {entity} has it",
                    did_you_mean(str(value), same_kind, cutoff=0.8),
                )
            )
    return out


# --------------------------------------------------------------------------- freshness rules

_FRESHNESS_DIMENSIONS = ("attribute", "lifecycle_stage", "employee_size_band", "mrr_band")
_BAND_MEASURES = {"employee_size_band": "employees", "mrr_band": "mrr"}


def _freshness_rule(row: ParsedRow) -> tuple[str, tuple[str, ...]]:
    entity = str(row.values["entity"]).strip().lower()
    return entity, tuple(str(row.values[c]).strip().lower() for c in _FRESHNESS_DIMENSIONS)


def _rules_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Some attribute value matches both: on every dimension equal, or one is ``*``."""
    return all(x == y or "*" in (x, y) for x, y in zip(a, b, strict=True))


def check_freshness_rules(seed: ParsedSeed | None, size_bands: ParsedSeed | None) -> list[Problem]:
    """Known attributes and bands, positive ages, a default per entity, no equal-rank overlap."""
    if seed is None:
        return []
    bands: dict[str, set[str]] = defaultdict(set)
    for band in _rows_with(size_bands, "measure", "band_code"):
        bands[str(band.values["measure"]).strip().lower()].add(
            str(band.values["band_code"]).strip().lower()
        )
    out: list[Problem] = []
    rules: list[tuple[ParsedRow, str, tuple[str, ...]]] = []
    for row in _rows_with(seed, "entity", *_FRESHNESS_DIMENSIONS, "max_age_days"):
        entity, dims = _freshness_rule(row)
        attribute = dims[0]
        known = FRESHNESS_ATTRIBUTES.get(entity, ())
        valid = True
        if attribute != "*" and attribute not in known:
            out.append(
                _problem(
                    seed,
                    row,
                    "attribute",
                    f"{entity} has no attribute {quote(attribute)} whose age is measured "
                    f"(it has: *, {', '.join(known)})",
                    did_you_mean(attribute, known),
                )
            )
            valid = False
        for column, measure in _BAND_MEASURES.items():
            code = dims[_FRESHNESS_DIMENSIONS.index(column)]
            if code != "*" and size_bands is not None and code not in bands[measure]:
                out.append(
                    _problem(
                        seed,
                        row,
                        column,
                        f"no {measure} band {quote(code)} in company_size_bands "
                        f"(write * for any band)",
                        did_you_mean(code, bands[measure]),
                    )
                )
                valid = False
        age = row.values["max_age_days"]
        if isinstance(age, int) and age <= 0:
            out.append(_problem(seed, row, "max_age_days", "a maximum age is at least 1 day"))
        if valid:
            rules.append((row, entity, dims))
    for entity in FRESHNESS_ATTRIBUTES:
        if not any(e == entity and all(d == "*" for d in dims) for _, e, dims in rules):
            out.append(
                Problem(
                    seed.display,
                    None,
                    "entity",
                    entity,
                    f"no default rule (*, *, *, *) for {entity}: attributes no rule "
                    "matches are not judged",
                    severity=Severity.WARNING,
                )
            )
    for (row_a, entity_a, a), (row_b, entity_b, b) in itertools.combinations(rules, 2):
        rank_a = sum(d != "*" for d in a)
        rank_b = sum(d != "*" for d in b)
        if entity_a != entity_b or rank_a != rank_b or a == b or not _rules_overlap(a, b):
            continue
        both = tuple(x if x != "*" else y for x, y in zip(a, b, strict=True))
        if any(e == entity_b and dims == both for _, e, dims in rules):
            continue  # a more specific rule decides where the two meet
        out.append(
            _problem(
                seed,
                row_b,
                None,
                f"overlaps line {row_a.line} with the same specificity: both match "
                f"{entity_b} ({', '.join(both)}); add a rule for exactly that, "
                "or make one of them more specific",
            )
        )
    return out


# --------------------------------------------------------------------------- channel rules


def check_channel_groups(seed: ParsedSeed | None) -> list[Problem]:
    """No rule the models read as another's twin; none after a catch-all; none gives unassigned.

    The models lower-case and trim source and medium, so ``Google,CPC`` repeats
    ``google,cpc``: only the first by rule_order can ever match. ``unassigned`` is the
    channel of a touch no rule matches (reported in ops.data_issues): a rule may not give it.
    Duplicate rule orders are the spec's key.
    """
    if seed is None:
        return []
    out: list[Problem] = []
    ordered = sorted(
        (row for row in seed.rows if isinstance(row.values.get("rule_order"), int)),
        key=lambda row: (row.values["rule_order"], row.line),
    )
    pairs: dict[tuple[str, str], ParsedRow] = {}
    catch_all: ParsedRow | None = None
    for row in ordered:
        if str(row.values.get("channel", "")).strip().lower() == "unassigned":
            out.append(
                _problem(
                    seed,
                    row,
                    "channel",
                    "unassigned is the channel of a touch no rule matches: name a channel",
                )
            )
        source, medium = row.values.get("source"), row.values.get("medium")
        if not (isinstance(source, str) and isinstance(medium, str)):
            continue
        pair = (source.strip().lower(), medium.strip().lower())
        if catch_all is not None:
            out.append(
                _problem(
                    seed,
                    row,
                    "rule_order",
                    f"comes after the rule on line {catch_all.line} that matches every touch"
                    " (source * and medium *): it never matches",
                    severity=Severity.WARNING,
                )
            )
        elif pair in pairs:
            out.append(
                _problem(
                    seed,
                    row,
                    "source",
                    f"the same source and medium as line {pairs[pair].line} (case and spaces"
                    " around are ignored), which is tried first: this rule never matches",
                )
            )
        pairs.setdefault(pair, row)
        if pair == ("*", "*") and catch_all is None:
            catch_all = row
    return out
