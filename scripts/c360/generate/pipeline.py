"""Runs the generator stages in order and writes the landing zone."""

from __future__ import annotations

from pathlib import Path

from c360.errors import C360Error
from c360.generate.config import GenerateConfig
from c360.progress import Progress


def generate(cfg: GenerateConfig, out: Path, *, progress: Progress, force: bool = False) -> None:
    raise C360Error("generate: not implemented yet")
