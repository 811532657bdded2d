"""Does this environment hold exactly what the lock file says?

``make lock-check`` (run by ``make check`` and so by CI) compares
``pip freeze --exclude-editable`` with ``requirements.lock``: a package
missing, extra or at another version is one line each, and exit 1.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of '-', '_' and '.' as one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str]) -> dict[str, str]:
    """``name==version`` lines (lock or pip freeze) as {normalised name: version}."""
    found: dict[str, str] = {}
    for line in lines:
        match = _PIN.match(line.strip())
        if match:
            found[normalise(match.group(1))] = match.group(2)
    return found


def differences(locked: dict[str, str], installed: dict[str, str]) -> list[str]:
    """One line per package the two disagree on, sorted by name; empty when equal."""
    lines = []
    for name in sorted(locked.keys() | installed.keys()):
        want, have = locked.get(name), installed.get(name)
        if want == have:
            continue
        if have is None:
            lines.append(f"{name}: locked {want}, not installed")
        elif want is None:
            lines.append(f"{name}: installed {have}, not in the lock")
        else:
            lines.append(f"{name}: locked {want}, installed {have}")
    return lines


def installed_pins() -> dict[str, str]:
    """``pip freeze --exclude-editable`` of the running interpreter."""
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    )
    return pins(freeze.stdout.splitlines())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    lock = Path(args[0] if args else "requirements.lock")
    if not lock.is_file():
        print(f"lock-check: {lock} not found: run 'make lock'", file=sys.stderr)
        return 1
    locked = pins(lock.read_text(encoding="utf-8").splitlines())
    problems = differences(locked, installed_pins())
    for problem in problems:
        print(f"lock-check: {problem}", file=sys.stderr)
    if problems:
        print(
            f"lock-check: the environment differs from {lock} in {len(problems)} package(s):"
            " rebuild it with 'rm -rf .venv && make venv'",
            file=sys.stderr,
        )
        return 1
    print(f"lock-check: {sys.prefix} holds exactly {lock} ({len(locked)} packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
