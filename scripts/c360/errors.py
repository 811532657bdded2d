"""The one exception type a user sees: its message is a single actionable line."""


class C360Error(Exception):
    """An error the CLI reports as one line (what failed, where, what to do) and exit code 1."""
