"""dbt's partial parse, shared by the suite's plain dbt runs.

Parsing the project takes dbt about ten seconds, and every test build has its
own target folder, so each would parse from scratch. dbt reuses a
``partial_parse.msgpack`` only when the profile it was made with is the same,
path included: ``run_dbt`` therefore gives every build the same relative
warehouse path, run from the build's own folder. The first build of a run
keeps its msgpack in a folder every xdist worker sees; later builds start
from a copy. dbt still checks every file's hash and the environment variables
each file reads, and parses again whatever differs, so the seed can make a
build faster, never different.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

SEED_ENV = "C360_TEST_PARSE_SEED"
MSGPACK = "partial_parse.msgpack"


def _seed() -> Path | None:
    folder = os.environ.get(SEED_ENV)
    return Path(folder) / MSGPACK if folder else None


def prime(target: Path) -> None:
    """Start ``target`` from the run's seed, unless it has a parse of its own."""
    seed = _seed()
    if seed is None or not seed.is_file() or (target / MSGPACK).exists():
        return
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed, target / MSGPACK)


def keep(target: Path) -> None:
    """Make ``target``'s parse the run's seed, if there is none yet."""
    seed = _seed()
    made = target / MSGPACK
    if seed is None or seed.is_file() or not made.is_file():
        return
    seed.parent.mkdir(parents=True, exist_ok=True)
    partial = seed.with_name(f"{MSGPACK}.{uuid.uuid4().hex}")
    shutil.copyfile(made, partial)
    partial.replace(seed)
