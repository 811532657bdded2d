"""The ``c360`` command line: one sub-command per job, one-line errors, non-zero exits."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from c360 import __version__
from c360.build import DbtUsageError
from c360.collect import cli as collect_cli
from c360.errors import C360Error
from c360.importers import cli as importers_cli
from c360.progress import Progress
from c360.project import find_project
from c360.settings import (
    analytics_storage_version,
    env_raw_dir_is_set,
    event_retention_months,
    raw_dir,
    reporting_timezone,
    warehouse_path,
)

EXIT_ERROR = 1
EXIT_USAGE = 2


_PROJECT_DIR_HELP = (
    "the customer360 project (the folder holding dbt_project.yml); default: "
    "$C360_PROJECT_DIR, else the current folder or its nearest parent that has one"
)


def _add_project_dir(parser: argparse.ArgumentParser) -> None:
    """--project-dir after the sub-command too (``c360 build --project-dir DIR``)."""
    parser.add_argument(
        "--project-dir", type=Path, default=argparse.SUPPRESS, help=_PROJECT_DIR_HELP
    )


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exits 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"c360: error: {message} (see '{self.prog} --help')\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def _nonneg_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be zero or more: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="c360", description="customer360: landing data, builds and checks.")
    parser.add_argument("--version", action="version", version=f"c360 {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--project-dir", type=Path, default=None, help=_PROJECT_DIR_HELP)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    gen = sub.add_parser(
        "generate",
        help="write a synthetic landing zone exactly per docs/landing-contract.md",
        description=(
            "Write a deterministic synthetic landing zone (all 12 tables, daily partitions, "
            "manifests). The same --seed and options always give the same files."
        ),
    )
    gen.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress lines"
    )
    gen.add_argument(
        "--out",
        type=Path,
        default=None,
        help="landing zone directory (default: $C360_RAW_DIR or the project's data/raw)",
    )
    _add_project_dir(gen)
    gen.add_argument("--scale", choices=["tiny", "small", "large"], default="small")
    gen.add_argument("--seed", type=_nonneg_int, default=None, help="random seed (default 42)")
    gen.add_argument("--companies", type=_nonneg_int, default=None, help="override: companies")
    gen.add_argument("--events", type=_nonneg_int, default=None, help="override: events, about")
    gen.add_argument("--days", type=_nonneg_int, default=None, help="override: days of history")
    gen.add_argument(
        "--end-date",
        type=_date,
        default=None,
        help="last extract date, YYYY-MM-DD (default 2026-11-08)",
    )
    gen.add_argument(
        "--faults",
        action="store_true",
        help="also land the bad things the spec names (missing manifest, count mismatch, "
        "unreadable file, schema drift, bad rows)",
    )
    gen.add_argument(
        "--force",
        action="store_true",
        help="overwrite an --out directory that holds files c360 did not generate",
    )

    build = sub.add_parser(
        "build",
        help="build the warehouse: dbt build, with progress lines and a load report",
        description=(
            "Run 'dbt build' in the project against $C360_RAW_DIR (default <project>/data/raw) "
            "and $C360_WAREHOUSE (default <project>/warehouse/customer360.duckdb), then report "
            "incomplete "
            "partitions, rejected rows and per-table reconciliation. Every other argument goes "
            "to dbt, e.g. 'c360 build --full-refresh' or 'c360 build --select stg_crm__accounts+'."
        ),
        usage="c360 build [-h] [-q] [--project-dir DIR] [dbt build arguments ...]",
        allow_abbrev=False,
    )
    build.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress lines"
    )
    _add_project_dir(build)

    refresh = sub.add_parser(
        "refresh",
        help="the nightly job: checks, build, tests, then publish the analytics file",
        description=(
            "Take the refresh lock, check the seeds, scan the landing zone (refused when it is "
            "missing, empty or smaller than the last published refresh's), build the warehouse "
            "with its tests, log the run (ops.refresh_runs), alert ($C360_ALERT_WEBHOOK; new "
            "metric anomalies of accounts with MRR >= $C360_ALERT_KEY_ACCOUNT_MRR, once each), and "
            "publish marts and ops to $C360_ANALYTICS_DB (default "
            "<project>/warehouse/analytics.duckdb) in one atomic rename. Exit 0 published, "
            "1 failed or refused (nothing published), 2 usage or configuration error, "
            "3 published with warnings."
        ),
    )
    refresh.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print only problems (for cron)",
    )
    refresh.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even when a table has fewer complete partitions or rows than the last "
        "published refresh",
    )
    refresh.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every incremental model from the whole landing zone (after an upgrade "
        "that changes staging, or to reclaim a partition Spark cannot delete)",
    )
    _add_project_dir(refresh)

    bench = sub.add_parser(
        "bench",
        help="benchmark: a full and a nightly refresh against one pass over the landing zone",
        description=(
            "On landing zones prepared first (generated at --scale, or --data; the newest "
            "extract date held back), measure the limit (one DuckDB pass reading every landed "
            "table once, parsing the events' JSON and deduplicating messages), a full refresh, "
            "a nightly refresh after landing the held-back day, one more that lands nothing, "
            "and (when generating) the full and nightly on twice the history. Prints wall "
            "time, CPU seconds, peak RSS of the process tree, rows per second and warehouse "
            "size per step, the ratios full / limit, nightly / full and nightly 2x / nightly, "
            "the warehouse growth on the nightly that lands nothing, and appends them to --csv."
        ),
    )
    bench.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS)
    bench.add_argument("--scale", choices=["tiny", "small", "large"], default="small")
    bench.add_argument("--data", type=Path, help="an existing landing zone (no 2x step)")
    bench.add_argument("--seed", type=int, default=42)
    bench.add_argument("--days", type=int, help="days of history to generate (default: scale's)")
    bench.add_argument("--events", type=int, help="events to generate (default: the scale's)")
    bench.add_argument(
        "--workdir",
        type=Path,
        help="where zones and warehouses go (default <project>/target/bench/<scale>)",
    )
    bench.add_argument(
        "--csv",
        type=Path,
        help="results file to append to (default <project>/target/bench/results.csv)",
    )
    _add_project_dir(bench)

    export = sub.add_parser(
        "export",
        help="write the activation exports (people, companies) for marketing and support tools",
        description=(
            "Read personal.export_person_traits and personal.export_company_traits from "
            "$C360_WAREHOUSE (read-only) and write people and companies files to --to, under "
            "temporary names renamed into place, with manifest.json written last; then record "
            "what was sent in ops.export_state (the writer lock, briefly). jsonl: Segment "
            "identify and group calls; csv, parquet: the tables. Exit 0 written, 1 failed "
            "(nothing written), 2 usage error, 4 the warehouse is being written by a build "
            "(retry after it). docs/exports.md."
        ),
    )
    export.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress lines"
    )
    export.add_argument(
        "--to", type=Path, required=True, metavar="DIR", help="the folder to write (created)"
    )
    export.add_argument("--format", choices=["jsonl", "csv", "parquet"], default="jsonl")
    export.add_argument(
        "--changed-since-last",
        action="store_true",
        help="only rows whose traits changed since the last export of this format to DIR",
    )
    _add_project_dir(export)

    erase = sub.add_parser(
        "erase",
        help="record a request to erase a person everywhere; the next refresh applies it",
        description=(
            "Record, in the build file's privacy ledger, a request to erase one person: only "
            "the identifier's keyed hash, the time and the reason are stored. The next c360 "
            "refresh removes the person from every table of the build and analytics files, "
            "keeps their key as a tombstone and withholds their rows from every later load; "
            "with --purge-raw it also rewrites the landed Parquet partitions without them. "
            "Give '-' as the value to read it from stdin. Exit 0 recorded, 1 refused, 2 usage "
            "error, 4 the build file is being written (retry after it). docs/privacy.md."
        ),
    )
    erase.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress lines"
    )
    who = erase.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", metavar="ADDRESS", help="an email address of the person")
    who.add_argument("--user-id", metavar="ID", help="the person's product user id (userId)")
    who.add_argument("--person-key", metavar="KEY", help="the person's key (pe_...)")
    erase.add_argument(
        "--reason",
        metavar="TEXT",
        help="why (a ticket or case number; refused if it holds an email or the identifier)",
    )
    erase.add_argument(
        "--purge-raw",
        action="store_true",
        help="also rewrite the landed partitions ($C360_RAW_DIR) without the person's rows",
    )
    _add_project_dir(erase)
    hash_cmd = sub.add_parser(
        "hash",
        help="print the email_hash of each email of a list, to match it with the analytics file",
        description=(
            "Read emails, one per line (or a CSV with a header and --column NAME), from FILE "
            "or stdin and print one email_hash per line in the same order (CSV: after an "
            "email_hash header), hashed with the build's key ($C360_HASH_KEY, else the key "
            "file; never a new key). A blank line gives a blank line. Exit 0 hashed, 1 failed "
            "(nothing written: no key, unreadable file, no such column, a value without @, "
            "named by its line), 2 usage error. docs/privacy.md."
        ),
    )
    hash_cmd.add_argument(
        "file", nargs="?", type=Path, default=None, metavar="FILE", help="default: stdin"
    )
    hash_cmd.add_argument(
        "--column", metavar="NAME", default=None, help="FILE is a CSV; hash its column NAME"
    )

    report = sub.add_parser(
        "report",
        help="write the morning report: one offline HTML page of charts from the analytics file",
        description=(
            "Read $C360_ANALYTICS_DB (default <project>/warehouse/analytics.duckdb) read-only "
            "and write one self-contained HTML page (plotly charts, no network needed): MRR "
            "and its movements, NRR and GRR, health bands and the week's biggest drops, the "
            "acquisition funnel, feature adoption, stale data and data issues, the last "
            "refresh. Prints the page's path. Exit 0 written, 1 failed (cannot write), 2 "
            "usage error or no readable analytics file. docs/report.md."
        ),
    )
    report.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress lines"
    )
    report.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE.html",
        help="where to write the page (default: report.html beside the analytics file)",
    )
    _add_project_dir(report)
    _add_metrics_parser(sub)
    importers_cli.add_parser(sub)
    docs = sub.add_parser(
        "docs",
        help="build dbt's documentation site (one HTML file) against the analytics file",
        description=(
            "Run 'dbt docs generate --static' against the published analytics file "
            "($C360_ANALYTICS_DB, default <project>/warehouse/analytics.duckdb; attached "
            "read-only, so it works while a refresh runs) and write the self-contained page "
            "(every model, column, lineage and metric) to --out, by default docs/index.html "
            "beside the analytics file. Prints its path. Exit 0 written, 1 failed. "
            "docs/metrics.md."
        ),
    )
    docs.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress lines"
    )
    docs.add_argument(
        "--out", type=Path, default=None, metavar="FILE", help="where to write the page"
    )
    _add_project_dir(docs)

    seeds = sub.add_parser(
        "seeds",
        help="check the seeds (seeds/*.csv) before a build",
        description="Work with the seeds, the CSV files in seeds/ that people edit by hand.",
    )
    seeds_sub = seeds.add_subparsers(dest="seeds_command", required=True, parser_class=_Parser)
    check = seeds_sub.add_parser(
        "check",
        help="validate every seed; exit 1 on errors (c360 build runs it first)",
        description=(
            "Validate every seed in seeds/ and print each problem as file:line, column, value, "
            "what is wrong and what to do. Company ids are checked against the warehouse "
            "($C360_WAREHOUSE, read-only) and the landing zone ($C360_RAW_DIR) when they exist. "
            "Exit 1 when there are errors, 0 when there are only warnings."
        ),
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="first rewrite files dbt would misread (separator, encoding, spaces, empty rows; "
        "never values), keeping <file>.bak",
    )
    check.add_argument(
        "--seeds-dir",
        type=Path,
        default=None,
        help="the seeds folder (default: the project's seeds/)",
    )
    _add_project_dir(check)
    collect_cli.add_parser(sub)
    return parser


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one name")
    return names


def _add_metrics_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    metrics = sub.add_parser(
        "metrics",
        help="query the metrics of the semantic layer (MetricFlow) on the analytics file",
        description=(
            "The metrics defined once in models/semantic (MetricFlow), answered from the "
            "published analytics file ($C360_ANALYTICS_DB, read-only: works while a refresh "
            "runs). Each call runs 'dbt parse' under the analytics target first (a few "
            "seconds). Exit 0 answered, 1 failed or the query is invalid (one line says why), "
            "2 usage error. docs/metrics.md."
        ),
    )
    metrics_sub = metrics.add_subparsers(
        dest="metrics_command", required=True, parser_class=_Parser
    )
    listing = metrics_sub.add_parser(
        "list", help="every metric: name, label, type, description (tab-separated)"
    )
    dims = metrics_sub.add_parser(
        "dimensions", help="what METRICS can be grouped by (entity__dimension names)"
    )
    dims.add_argument("metrics", type=_names, metavar="METRICS", help="comma-separated")
    query = metrics_sub.add_parser(
        "query",
        help="one metric query, printed as a table (or --csv)",
        description=(
            "e.g. c360 metrics query --metrics mrr --group-by "
            "metric_time__month,company__industry_sector"
        ),
    )
    query.add_argument("--metrics", type=_names, required=True, help="comma-separated")
    query.add_argument(
        "--group-by",
        type=_names,
        default=[],
        help="comma-separated, e.g. metric_time__month,company__plan",
    )
    query.add_argument(
        "--where",
        action="append",
        default=[],
        help="a filter, e.g. \"{{ Dimension('company__plan') }} = 'pro'\" (repeatable)",
    )
    query.add_argument(
        "--order",
        type=_names,
        default=[],
        help="comma-separated; '-name' descending (default: the group-by columns)",
    )
    query.add_argument("--limit", type=_nonneg_int, default=None)
    query.add_argument("--csv", type=Path, default=None, metavar="FILE", help="write CSV")
    query.add_argument("--explain", action="store_true", help="also print the SQL run")
    for parser in (listing, dims, query):
        parser.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            default=argparse.SUPPRESS,
            help="no progress lines",
        )
        _add_project_dir(parser)


def _cmd_metrics(args: argparse.Namespace, progress: Progress) -> int:
    from c360.metrics import run

    project = find_project(args.project_dir)
    if args.metrics_command == "list":
        return run.run_list(project, progress)
    if args.metrics_command == "dimensions":
        return run.run_dimensions(project, args.metrics, progress)
    return run.run_query(
        project,
        metrics=args.metrics,
        group_by=args.group_by,
        where=args.where,
        order_by=args.order,
        limit=args.limit,
        csv_path=args.csv,
        explain=args.explain,
        progress=progress,
    )


def _cmd_docs(args: argparse.Namespace, progress: Progress) -> int:
    from c360.docs_site import build_docs

    path = build_docs(find_project(args.project_dir), args.out, progress)
    print(path)
    return 0


def _cmd_build(project: Path, dbt_args: list[str], progress: Progress) -> int:
    from c360 import build
    from c360.report import print_report
    from c360.seeds.gate import check_before_build

    warehouse = warehouse_path(project).resolve()
    landing = raw_dir(project)
    reporting_timezone()  # a mistyped zone stops here, before dbt writes anything
    event_retention_months()  # so does a retention that is not a number of months
    check_before_build(
        project / "seeds",
        raw_dir=landing,
        warehouse=warehouse,
        progress=progress,
        out=sys.stdout,
    )
    build.run_build(
        dbt_args, raw_dir=landing, warehouse=warehouse, progress=progress, project=project
    )
    print_report(warehouse, sys.stdout)
    return 0


def _cmd_refresh(args: argparse.Namespace, progress: Progress) -> int:
    from c360.refresh.run import Refresh, RefreshPaths
    from c360.seeds.gate import check_before_build

    project = find_project(args.project_dir)
    paths = RefreshPaths.of(project)
    reporting_timezone()  # a mistyped zone is a configuration error before anything runs
    event_retention_months()  # and so is a retention that is not a number of months
    analytics_storage_version()  # and a storage version this DuckDB cannot write

    def seeds_gate() -> None:
        check_before_build(
            project / "seeds",
            raw_dir=paths.raw,
            warehouse=paths.warehouse,
            progress=progress,
            out=sys.stdout,
        )

    job = Refresh(
        paths,
        progress=progress,
        problems=sys.stderr,
        allow_shrink=args.allow_shrink,
        seeds_gate=seeds_gate,
        dbt_args=["--full-refresh"] if args.full_refresh else [],
    )
    return job.run()


def _cmd_bench(args: argparse.Namespace, progress: Progress) -> int:
    from c360.bench.run import append_csv, bench, print_table

    project = find_project(args.project_dir)
    work = args.workdir or project / "target" / "bench" / args.scale
    results = args.csv or project / "target" / "bench" / "results.csv"
    steps = bench(
        args.scale,
        work,
        project,
        progress,
        data=args.data,
        seed=args.seed,
        days=args.days,
        events=args.events,
    )
    print_table(steps, sys.stdout)
    # a zone given with --data is not the generated scale: the CSV names its folder
    label = f"data:{args.data.resolve().name}" if args.data else args.scale
    append_csv(steps, results, label, project)
    progress.line(f"results appended to {results}")
    return 0


def _cmd_generate(args: argparse.Namespace, progress: Progress) -> int:
    from c360.generate import generate
    from c360.generate.config import make_config

    try:
        cfg = make_config(
            args.scale,
            seed=args.seed,
            companies=args.companies,
            events=args.events,
            days=args.days,
            end_date=args.end_date,
            faults=args.faults,
        )
    except ValueError as exc:
        raise C360Error(str(exc)) from None
    out = args.out
    if out is None:
        out = raw_dir(_project_unless(env_raw_dir_is_set(), args.project_dir))
    generate(cfg, out, progress=progress, force=args.force)
    return 0


def _cmd_export(args: argparse.Namespace, progress: Progress) -> int:
    from c360.export.run import run_export

    project = _project_unless(bool(os.environ.get("C360_WAREHOUSE")), args.project_dir)
    run_export(
        warehouse_path(project).resolve(),
        args.to,
        args.format,
        args.changed_since_last,
        progress,
    )
    return 0


def _cmd_erase(args: argparse.Namespace, progress: Progress) -> int:
    from c360.privacy.erase import read_identifier, record

    project = _project_unless(bool(os.environ.get("C360_WAREHOUSE")), args.project_dir)
    if args.email is not None:
        kind, value = "email", args.email
    elif args.user_id is not None:
        kind, value = "user_id", args.user_id
    else:
        kind, value = "person_key", args.person_key
    done = record(
        warehouse_path(project).resolve(),
        kind,
        read_identifier(value, sys.stdin),
        reason=args.reason,
        purge_raw=args.purge_raw,
        now=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
    )
    found = (
        "no build yet"
        if done.people_found is None
        else f"{done.people_found} person(s) in the current build"
    )
    state = "recorded" if done.is_new else "already requested"
    progress.line(
        f"erasure {done.request_id} {state} ({kind}, {found}); the next c360 refresh applies it"
        + (" and purges the landed files" if args.purge_raw else "")
    )
    return 0


def _cmd_hash(args: argparse.Namespace) -> int:
    from c360.privacy.hash_list import run_hash

    if args.file is None:
        run_hash(sys.stdin, "<stdin>", args.column, sys.stdout)
        return 0
    try:
        with args.file.open(encoding="utf-8-sig", newline="") as source:
            run_hash(source, str(args.file), args.column, sys.stdout)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise C360Error(f"{args.file}: cannot read it: {reason}") from None
    return 0


def _cmd_report(args: argparse.Namespace, progress: Progress) -> int:
    from c360.report.run import analytics_path, run_report

    project = _project_unless(bool(os.environ.get("C360_ANALYTICS_DB")), args.project_dir)
    written = run_report(analytics_path(project).resolve(), args.out, progress)
    print(written)
    return 0


def _project_unless(optional: bool, project_dir: Path | None) -> Path | None:
    """The project; None instead of an error when ``optional`` and nothing names one."""
    try:
        return find_project(project_dir)
    except C360Error:
        if optional and project_dir is None:
            return None
        raise


def _cmd_seeds(args: argparse.Namespace, progress: Progress) -> int:
    from c360.seeds.gate import run_check

    project = _project_unless(args.seeds_dir is not None, args.project_dir)
    if args.seeds_dir is not None:
        seeds_dir = args.seeds_dir
    elif project is not None:
        seeds_dir = project / "seeds"
    else:  # pragma: no cover - _project_unless raised already
        raise C360Error("no seeds folder")
    ok = run_check(
        seeds_dir,
        raw_dir=raw_dir(project),
        warehouse=warehouse_path(project),
        fix=args.fix,
        out=sys.stdout,
    )
    return 0 if ok else EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # Only `build` takes arguments c360 does not know: they are dbt's.
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "build":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    progress = Progress(command=args.command, quiet=args.quiet)
    try:
        if args.command == "generate":
            return _cmd_generate(args, progress)
        if args.command == "build":
            return _cmd_build(find_project(args.project_dir), extra, progress)
        if args.command == "seeds":
            return _cmd_seeds(args, progress)
        if args.command == "refresh":
            return _cmd_refresh(args, progress)
        if args.command == "bench":
            return _cmd_bench(args, progress)
        if args.command == "export":
            return _cmd_export(args, progress)
        if args.command == "erase":
            return _cmd_erase(args, progress)
        if args.command == "hash":
            return _cmd_hash(args)
        if args.command == "report":
            return _cmd_report(args, progress)
        if args.command == "metrics":
            return _cmd_metrics(args, progress)
        if args.command == "docs":
            return _cmd_docs(args, progress)
        if args.command == "import":
            return importers_cli.run(args, progress)
        if args.command == "collect":
            return collect_cli.run(args, progress)
        raise C360Error(f"unknown command {args.command!r}")
    except DbtUsageError as exc:
        print(f"c360: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except C360Error as exc:
        print(f"c360: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("c360: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
