"""``c360 import segment|rudderstack|salesforce|stripe PATH...``: the argparse wiring.

``add_parser`` adds the sub-command to c360's parser; ``run`` reads every
input, refuses or lands the partitions, writes the rejects and prints a
progress line per file and partition and a summary (docs/importers.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from c360.progress import Progress

SOURCES = ("segment", "rudderstack", "salesforce", "stripe")
_EXIT_CODES = (
    "Exit 0 every row landed, 3 landed with rejected rows (written to the rejects file), "
    "5 refused (a partition exists: nothing written), 1 error (nothing written), 2 usage "
    "error. docs/importers.md."
)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def _instant(text: str) -> str:
    """--extracted-at as the manifest writes it: ISO-8601 UTC, seconds, ``Z``."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"not an ISO-8601 time with a zone (e.g. 2026-03-05T02:10:00Z): {text!r}"
        )
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _common(with_extract_date: bool) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    common.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress lines"
    )
    common.add_argument(
        "--raw-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="the landing zone to write (default: $C360_RAW_DIR or the project's data/raw)",
    )
    how = common.add_mutually_exclusive_group()
    how.add_argument(
        "--replace", action="store_true", help="overwrite partitions that exist (never by default)"
    )
    how.add_argument(
        "--append",
        action="store_true",
        help="add the rows to existing partitions of incremental tables, as a new part",
    )
    common.add_argument(
        "--extracted-at",
        type=_instant,
        default=None,
        metavar="TIME",
        help="the manifests' extracted_at: when the export was taken (default: now, UTC)",
    )
    if with_extract_date:
        common.add_argument(
            "--extract-date",
            type=_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="the partition the export lands in (default: today, UTC)",
        )
    common.add_argument(
        "--rejects",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the rejects file goes (default: <landing zone>/_import_rejects)",
    )
    common.add_argument(
        "--project-dir", type=Path, default=argparse.SUPPRESS, help="the customer360 project"
    )
    return common


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """``c360 import`` and its four sources."""
    imp = sub.add_parser(
        "import",
        help="land the exports you have: Segment/RudderStack archives, Salesforce CSV, Stripe",
        description=(
            "Turn exports into landing-zone partitions with manifests, written atomically "
            "(c360.landing_write) into --raw-dir: rows that cannot be mapped go to a rejects "
            "CSV (file, line, field, value, reason), and a partition that exists is never "
            f"overwritten unless --replace (or --append) is given. {_EXIT_CODES}"
        ),
    )
    sources = imp.add_subparsers(dest="import_source", required=True, parser_class=type(imp))
    archive_help = (
        "newline-delimited JSON, gzip or plain, one message a line; each message lands in "
        "events/messages/extract_date=<UTC day of its receivedAt>, through the same mapping "
        "as the collector. Folders are read recursively."
    )
    for name, title in (("segment", "Segment"), ("rudderstack", "RudderStack")):
        sources.add_parser(
            name,
            parents=[_common(with_extract_date=False)],
            help=f"{title} object-storage archives (S3, GCS, Azure) of events",
            description=f"{title} object-storage archives: {archive_help} {_EXIT_CODES}",
        )
    crm = sources.add_parser(
        "salesforce",
        parents=[_common(with_extract_date=True)],
        help="Salesforce CSV exports (Data Export or Bulk API) of Account, Contact, User, "
        "Opportunity",
        description=(
            "CSV files with API field names as headers, one object each (from --object or the "
            "file name: Account.csv, Contact.csv, User.csv, Opportunity.csv), into "
            f"crm/<object>/extract_date=<--extract-date>. {_EXIT_CODES}"
        ),
    )
    crm.add_argument("--object", default=None, help="Account, Contact, User or Opportunity")
    crm.add_argument(
        "--mode",
        choices=["incremental", "full"],
        default="incremental",
        help="incremental: the records changed since the last export (default); full: every "
        "record (one absent is deleted)",
    )
    billing = sources.add_parser(
        "stripe",
        parents=[_common(with_extract_date=True)],
        help="Stripe API JSON lists or dashboard CSV exports of customers, subscriptions, "
        "products, prices, invoices",
        description=(
            'API list pages ({"object": "list", "data": [...]}), JSON arrays or NDJSON of '
            "Stripe objects, or CSV exports (the dashboard's or API field names), flattened into "
            "billing/<table>/extract_date=<--extract-date> (invoices incremental, the others "
            f"full). {_EXIT_CODES}"
        ),
    )
    billing.add_argument(
        "--object",
        default=None,
        help="customer, subscription, product, price or invoice: for objects that do not say",
    )


def run(args: argparse.Namespace, progress: Progress) -> int:
    from c360.importers.run import ImportRequest, run_import

    request = ImportRequest(
        source=args.import_source,
        paths=list(args.paths),
        raw_dir=args.raw_dir,
        project_dir=getattr(args, "project_dir", None),
        how="replace" if args.replace else "append" if args.append else "create",
        extracted_at=args.extracted_at,
        extract_date=getattr(args, "extract_date", None),
        mode=getattr(args, "mode", None),
        object_name=getattr(args, "object", None),
        rejects_dir=args.rejects,
    )
    return run_import(request, progress, sys.stderr)
