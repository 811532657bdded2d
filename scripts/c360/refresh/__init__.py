"""``c360 refresh``: the nightly job (lock, checks, build, publish, run log, alerts)."""
