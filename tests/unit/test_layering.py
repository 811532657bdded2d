"""Layering rules that need no build: seeds are read through staging only."""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted(p.stem for p in (REPO_ROOT / "seeds").glob("*.csv"))
SEED_STAGING = REPO_ROOT / "models" / "staging" / "seeds"


def _seed_refs(text: str) -> set[str]:
    names = set(re.findall(r"""ref\(\s*['"]([A-Za-z0-9_]+)['"]\s*\)""", text))
    return names & set(SEEDS)


def test_only_seed_staging_models_ref_a_seed() -> None:
    offenders = []
    for path in sorted((REPO_ROOT / "models").rglob("*")):
        if path.suffix not in (".sql", ".py", ".yml") or path.parent == SEED_STAGING:
            continue
        for name in sorted(_seed_refs(path.read_text(encoding="utf-8"))):
            offenders.append(f"{path.relative_to(REPO_ROOT)} refs seed {name!r}")
    assert not offenders, "read seeds through stg_seeds__<seed>:\n" + "\n".join(offenders)


def test_every_seed_has_a_staging_model() -> None:
    missing = [s for s in SEEDS if not (SEED_STAGING / f"stg_seeds__{s}.sql").is_file()]
    assert not missing, missing


def test_seed_staging_models_read_their_own_seed_only() -> None:
    for seed in SEEDS:
        text = (SEED_STAGING / f"stg_seeds__{seed}.sql").read_text(encoding="utf-8")
        assert _seed_refs(text) == {seed}, seed
