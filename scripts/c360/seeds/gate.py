"""Where the seed check meets the CLI: ``c360 seeds check [--fix]`` and the gate before a build."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from c360.errors import C360Error
from c360.progress import Progress
from c360.seeds.check import CheckResult, check_seeds
from c360.seeds.fix import backup_path, fix_seed


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _check(seeds_dir: Path, raw_dir: Path, warehouse: Path) -> CheckResult:
    if not seeds_dir.is_dir():
        raise C360Error(f"no seeds folder at {seeds_dir}; pass --seeds-dir")
    return check_seeds(
        seeds_dir, warehouse=warehouse, raw_dir=raw_dir, display_root=seeds_dir.parent
    )


def run_check(seeds_dir: Path, *, raw_dir: Path, warehouse: Path, fix: bool, out: TextIO) -> bool:
    """``c360 seeds check``: print every problem and a summary; True when there is no error."""
    if fix:
        for path in sorted(seeds_dir.glob("*.csv")):
            changes = fix_seed(path)
            if changes:
                print(
                    f"fixed {_display(path)}: {'; '.join(changes)} "
                    f"(the original is {_display(backup_path(path))})",
                    file=out,
                )
    result = _check(seeds_dir, raw_dir, warehouse)
    for problem in result.problems:
        print(problem.format(), file=out)
    print(result.summary(), file=out)
    return result.ok


def check_before_build(
    seeds_dir: Path, *, raw_dir: Path, warehouse: Path, progress: Progress, out: TextIO
) -> None:
    """The gate of ``c360 build``: problems on ``out``; errors stop the build before dbt runs."""
    result = _check(seeds_dir, raw_dir, warehouse)
    for problem in result.problems:
        print(problem.format(), file=out)
    progress.line(result.summary())
    errors = len(result.errors)
    if errors:
        raise C360Error(
            f"seeds check found {errors} error{'s' * (errors != 1)} in {_display(seeds_dir)} "
            f"(listed above); nothing was built: fix {'it' if errors == 1 else 'them'}, then run "
            "'c360 seeds check'"
        )
