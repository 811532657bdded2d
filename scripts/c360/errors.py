"""The one exception type a user sees: its message is a single actionable line."""


class C360Error(Exception):
    """An error the CLI reports as one line (what failed, where, what to do) and exit code 1."""

    exit_code = 1


class WarehouseBusy(C360Error):
    """The warehouse is being written by another process (a build, a refresh): exit code 4.

    DuckDB lets one process write a file or many read it, never both; the
    command did nothing and can be retried once the writer has finished.
    """

    exit_code = 4
