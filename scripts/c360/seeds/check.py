"""Run every check on every seed: format, cells, keys, then the rules across rows and seeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from c360.seeds import rules
from c360.seeds.companies import KnownCompanies, load_known_companies
from c360.seeds.csvfile import SeedFile, read_seed
from c360.seeds.identities import KnownIdentifiers, load_known_identifiers
from c360.seeds.problems import Problem, Severity, closest, did_you_mean, quote
from c360.seeds.specs import BY_NAME, SPECS, SeedSpec
from c360.seeds.values import Value, check_cell, label_key

SEEDS_YAML = "_seeds.yml"


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Value]  # parsed; None when empty or invalid
    raw: dict[str, str]  # as written


@dataclass
class ParsedSeed:
    spec: SeedSpec | None
    file: SeedFile
    rows: list[ParsedRow] = field(default_factory=list)

    @property
    def display(self) -> str:
        return self.file.display


@dataclass
class CheckResult:
    problems: list[Problem]
    files: list[str]  # display names of the files checked
    company_ids: str | None  # how company ids were checked, when a seed names companies

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        text = (
            f"seeds check: {len(self.files)} files, {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}"
        )
        return text + (f"; {self.company_ids}" if self.company_ids else "")


def check_seeds(
    seeds_dir: Path,
    *,
    warehouse: Path | None = None,
    raw_dir: Path | None = None,
    display_root: Path | None = None,
    known_companies: Callable[[], KnownCompanies] | None = None,
    known_identifiers: Callable[[], KnownIdentifiers] | None = None,
) -> CheckResult:
    """Check every ``*.csv`` in ``seeds_dir`` (and that the seeds the project reads exist).

    Company ids (and the identifiers of identity_overrides) are looked up in
    ``warehouse`` and ``raw_dir`` only when some seed names one.
    ``display_root``: paths in messages are relative to it.
    """
    problems: list[Problem] = []
    root = display_root if display_root is not None else seeds_dir.parent

    def display(path: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return str(path)

    paths = sorted(seeds_dir.glob("*.csv"))
    documented = _documented_seeds(seeds_dir, display, problems)
    seeds: dict[str, ParsedSeed] = {}
    for path in paths:
        seed = _parse(read_seed(path, display(path)), BY_NAME.get(path.stem))
        problems.extend(seed.file.problems)
        seeds[path.stem] = seed
        if documented is not None and path.stem not in documented:
            problems.append(
                Problem(
                    seed.display,
                    None,
                    None,
                    None,
                    f"not documented in {display(seeds_dir / SEEDS_YAML)}",
                    suggestion="add its owner, meaning and column_types there",
                    severity=Severity.WARNING,
                )
            )
    for spec in SPECS:
        if spec.required and spec.name not in seeds:
            problems.append(
                Problem(
                    display(seeds_dir / spec.file_name),
                    None,
                    None,
                    None,
                    "missing: the dbt project reads this seed",
                    suggestion="restore it from git ('git checkout -- <file>')",
                )
            )
    for seed in seeds.values():
        problems.extend(_check_header(seed))
        problems.extend(_check_cells(seed))
        problems.extend(_check_keys(seed))

    company_ids: str | None = None
    if any(_names_companies(seed) for seed in seeds.values()):
        loader = known_companies or (lambda: load_known_companies(warehouse, raw_dir))
        known = loader()
        company_ids = known.describe()
        problems.extend(rules.check_company_ids(_with_company_ids(seeds), known))
    overrides = seeds.get("identity_overrides")
    if overrides is not None and overrides.spec is not None and overrides.rows:
        identifiers = known_identifiers or (lambda: load_known_identifiers(warehouse, raw_dir))
        problems.extend(rules.check_identity_ids(overrides, identifiers()))
    problems.extend(rules.check_all(seeds))

    problems.sort(key=lambda p: p.sort_key)
    return CheckResult(problems, [seed.display for seed in seeds.values()], company_ids)


def _documented_seeds(
    seeds_dir: Path, display: Callable[[Path], str], problems: list[Problem]
) -> set[str] | None:
    path = seeds_dir / SEEDS_YAML
    if not path.is_file():
        return None
    try:
        doc: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(
            Problem(display(path), None, None, None, f"cannot read it: {exc}".splitlines()[0])
        )
        return None
    entries = doc.get("seeds") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        return set()
    return {entry["name"] for entry in entries if isinstance(entry, dict) and "name" in entry}


def _parse(file: SeedFile, spec: SeedSpec | None) -> ParsedSeed:
    seed = ParsedSeed(spec, file)
    for row in file.rows:
        seed.rows.append(ParsedRow(row.line, {}, dict(row.cells)))
    return seed


def _check_header(seed: ParsedSeed) -> list[Problem]:
    spec, file = seed.spec, seed.file
    if not file.readable:
        return []
    if spec is None:
        return [
            Problem(
                seed.display,
                None,
                None,
                None,
                "no rules are known for this seed: only its CSV format was checked",
                severity=Severity.WARNING,
            )
        ]
    out: list[Problem] = []
    expected = [c.name for c in spec.columns]
    for name in expected:
        if name in file.header:
            continue
        close = closest(name, [h for h in file.header if h not in expected], cutoff=0.7)
        hint = f"found {quote(close)} instead" if close is not None else None
        out.append(
            Problem(
                seed.display,
                file.header_line,
                None,
                None,
                f"the header has no column {quote(name)}",
                suggestion=hint or f"the columns are: {', '.join(expected)}",
            )
        )
    for name in file.header:
        if name and name not in expected:
            out.append(
                Problem(
                    seed.display,
                    file.header_line,
                    None,
                    None,
                    f"unexpected column {quote(name)} (the models ignore it)",
                    suggestion=did_you_mean(name, expected),
                    severity=Severity.WARNING,
                )
            )
    return out


def _check_cells(seed: ParsedSeed) -> list[Problem]:
    if seed.spec is None:
        return []
    out: list[Problem] = []
    for row in seed.rows:
        for column in seed.spec.columns:
            if column.name not in seed.file.header:
                continue
            raw = row.raw.get(column.name, "")
            value, findings = check_cell(column, raw)
            row.values[column.name] = value
            for finding in findings:
                out.append(
                    Problem(
                        seed.display,
                        row.line,
                        column.name,
                        raw if raw else None,
                        finding.message,
                        finding.suggestion,
                        finding.severity,
                        finding.fixable,
                    )
                )
    return out


def _key_part(seed: ParsedSeed, row: ParsedRow, column: str) -> object:
    value = row.values.get(column)
    assert seed.spec is not None
    if column in seed.spec.label_key_columns and isinstance(value, str):
        return label_key(value)
    return value


def _check_keys(seed: ParsedSeed) -> list[Problem]:
    spec = seed.spec
    if spec is None or any(k not in seed.file.header for k in spec.key):
        return []
    out: list[Problem] = []
    first_line: dict[tuple[object, ...], int] = {}
    for row in seed.rows:
        key = tuple(_key_part(seed, row, column) for column in spec.key)
        columns = [spec.column(c) for c in spec.key]
        if any(
            v is None and (row.raw.get(name, "").strip() or (c is not None and c.required))
            for v, c, name in zip(key, columns, spec.key, strict=True)
        ):
            continue  # an invalid (or a missing required) key part is reported by its cell
        if key in first_line:
            shown = ", ".join(f"{c} {quote(row.raw.get(c, '').strip())}" for c in spec.key)
            how = " (compared ignoring case, spaces, -, _ and .)" if spec.label_key_columns else ""
            out.append(
                Problem(
                    seed.display,
                    row.line,
                    None,
                    None,
                    f"duplicate: {shown} is already on line {first_line[key]}{how}",
                    suggestion="keep one of the two rows",
                )
            )
        else:
            first_line[key] = row.line
    return out


def _names_companies(seed: ParsedSeed) -> bool:
    column = seed.spec.company_id_column if seed.spec else None
    return column is not None and any(row.values.get(column) for row in seed.rows)


def _with_company_ids(seeds: dict[str, ParsedSeed]) -> list[ParsedSeed]:
    return [seed for seed in seeds.values() if _names_companies(seed)]
