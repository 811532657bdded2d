"""``c360 collect``: its arguments and its run (the server's imports wait until it runs)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from c360.errors import C360Error
from c360.progress import Progress
from c360.project import find_project
from c360.settings import env_raw_dir_is_set, raw_dir

DEFAULT_PORT = 8088
SPOOL_UNDER_RAW = Path(".c360-collect") / "spool"


class NoWriteKeys(C360Error):
    """No write key was configured: a usage error, exit code 2."""

    exit_code = 2


def _positive_int(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return value


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """The ``collect`` sub-command's parser."""
    parser = sub.add_parser(
        "collect",
        help="receive Segment/RudderStack SDK calls over HTTP and land them as events",
        description=(
            "An HTTP collector speaking the Segment/RudderStack tracking API (POST /v1/batch, "
            "/v1/identify, /v1/track, /v1/page, /v1/screen, /v1/group, /v1/alias; GET "
            "/health). Each request is fsynced to an append-only spool before its 200, and "
            "flushed into events/messages partitions of $C360_RAW_DIR (default "
            "<project>/data/raw) on a schedule, on size and on exit. SIGTERM or SIGINT "
            "lands everything acknowledged, then exits 0. Exit 1 failed (cannot listen, the "
            "last flush failed: the spool keeps it), 2 usage error (no write key), 4 the "
            "spool is used by another collector. docs/collector.md."
        ),
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no progress lines"
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="the customer360 project (for its default landing zone data/raw)",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT}; 0 takes a free one)",
    )
    parser.add_argument(
        "--write-key",
        action="append",
        default=[],
        metavar="KEY",
        help="a write key the SDKs send (repeatable; default: $C360_WRITE_KEYS, comma-separated)",
    )
    parser.add_argument(
        "--spool",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"the spool folder (default: $C360_RAW_DIR/{SPOOL_UNDER_RAW.as_posix()})",
    )
    parser.add_argument(
        "--flush-seconds",
        type=_seconds,
        default=60.0,
        help="land the spool at least this often (default 60)",
    )
    parser.add_argument(
        "--flush-messages",
        type=_positive_int,
        default=50_000,
        help="land the spool once it holds this many messages (default 50000)",
    )
    parser.add_argument(
        "--max-parts",
        type=_positive_int,
        default=100,
        help="rewrite a day's partition into one file when it would have more parts (default 100)",
    )


def write_keys(given: list[str], environ: dict[str, str] | None = None) -> frozenset[str]:
    """--write-key values, else ``$C360_WRITE_KEYS``; NoWriteKeys when there are none."""
    env = os.environ if environ is None else environ
    keys = [k.strip() for k in given] or env.get("C360_WRITE_KEYS", "").split(",")
    found = frozenset(k.strip() for k in keys if k.strip())
    if not found:
        raise NoWriteKeys(
            "no write key: give --write-key KEY (repeatable) or set $C360_WRITE_KEYS"
            " (comma-separated)"
        )
    return found


def run(args: argparse.Namespace, progress: Progress) -> int:
    from c360.collect.collector import CollectSettings
    from c360.collect.server import serve

    keys = write_keys(args.write_key)
    project = None if env_raw_dir_is_set() else find_project(args.project_dir)
    landing = raw_dir(project).resolve()
    settings = CollectSettings(
        raw_dir=landing,
        spool_dir=(args.spool or landing / SPOOL_UNDER_RAW).resolve(),
        write_keys=keys,
        flush_seconds=args.flush_seconds,
        flush_messages=args.flush_messages,
        max_parts=args.max_parts,
    )
    return serve(settings, args.host, args.port, progress)
