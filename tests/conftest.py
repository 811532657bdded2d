"""Shared fixtures: a tiny landing zone (clean and with faults), generated once per session."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Make tests/landing_helpers.py importable whatever pytest's import mode is.
_TESTS_DIR = Path(__file__).resolve().parent
if str(_TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(_TESTS_DIR))

# Every build and CLI call in the tests hashes with this key (never a key file in
# the home folder); a test of the key file itself unsets it.
os.environ.setdefault("C360_HASH_KEY", "customer360-test-hashing-key-0001")

from c360.generate.config import GenerateConfig, make_config  # noqa: E402
from landing_helpers import generate_quietly  # noqa: E402
from parse_seed import SEED_ENV  # noqa: E402
from shared_builds import Published, published, shared_folder  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def dbt_parse_seed(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Where the run's plain dbt builds share one parse (tests/parse_seed.py)."""
    os.environ[SEED_ENV] = str(shared_folder(tmp_path_factory) / "dbt-parse-seed")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return _TESTS_DIR.parent


@pytest.fixture(scope="session")
def tiny_config() -> GenerateConfig:
    return make_config("tiny")


@pytest.fixture(scope="session")
def tiny_faults_config() -> GenerateConfig:
    return make_config("tiny", faults=True)


@pytest.fixture(scope="session")
def tiny_landing(tmp_path_factory: pytest.TempPathFactory, tiny_config: GenerateConfig) -> Path:
    """A clean tiny landing zone (default seed), written once per session."""
    return generate_quietly(tiny_config, tmp_path_factory.mktemp("tiny") / "raw")


@pytest.fixture(scope="session")
def tiny_faults_landing(
    tmp_path_factory: pytest.TempPathFactory, tiny_faults_config: GenerateConfig
) -> Path:
    """``c360 generate --scale tiny --faults``, written once per session."""
    return generate_quietly(tiny_faults_config, tmp_path_factory.mktemp("tiny_faults") / "raw")


@pytest.fixture(scope="session")
def published_tiny(
    tmp_path_factory: pytest.TempPathFactory, tiny_config: GenerateConfig
) -> Published:
    """One ``c360 refresh`` of a clean tiny landing zone per run, shared by every worker
    (tests/shared_builds.py); open its files read-only."""
    done = published(tmp_path_factory, "published_tiny", tiny_config)
    assert done.returncode in (0, 3), done.stderr
    return done
