"""``c360 collect``: a Segment/RudderStack-compatible HTTP collector (docs/collector.md).

- ``spool``: the append-only, fsynced spool a message is in before its 200;
- ``flush``: sealed spool segments into ``events/messages`` partitions, exactly once;
- ``collector``: the running service (spool, flush schedule, counters);
- ``app``: the HTTP API (Starlette); ``server``: uvicorn, signals, exit codes;
- ``cli``: the ``c360 collect`` sub-command; ``loadtest``: a loopback load generator.
"""
