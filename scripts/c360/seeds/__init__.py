"""``c360 seeds check``: validate every seed before a build, in words a seed's editor can act on.

One module per job: ``csvfile`` reads a CSV the way spreadsheets save it,
``values`` checks one cell, ``specs`` says what each seed holds,
``companies`` finds the company ids a seed may name, ``rules`` checks rows
against each other and against other seeds, ``check`` runs them all and
``fix`` rewrites a file's formatting (never its values) for dbt.
"""

from c360.seeds.check import CheckResult, check_seeds
from c360.seeds.problems import Problem, Severity

__all__ = ["CheckResult", "Problem", "Severity", "check_seeds"]
