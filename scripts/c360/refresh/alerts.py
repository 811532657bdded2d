"""Alerts: a Slack-compatible JSON POST to ``$C360_ALERT_WEBHOOK`` (when set).

Bounded: a few seconds per try, a few tries with a short pause; a dead or
slow webhook is reported in the alert's ``webhook_status`` and never fails
the refresh.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass(frozen=True)
class Webhook:
    url: str
    timeout_seconds: float = 5.0
    tries: int = 3
    pause_seconds: float = 1.0


def payload(severity: str, project: str, message: str) -> dict[str, str]:
    """Slack's incoming-webhook body: ``text`` is all Slack, Teams' and most others need."""
    icon = {"error": ":red_circle:", "anomaly": ":chart_with_downwards_trend:"}.get(
        severity, ":warning:"
    )
    return {"text": f"{icon} customer360 refresh ({project}): {message}"}


def post(hook: Webhook, body: dict[str, str]) -> str:
    """POST ``body``; ``sent (HTTP 200)`` or why not, never an exception."""
    data = json.dumps(body).encode("utf-8")
    last = "not sent"
    for attempt in range(1, hook.tries + 1):
        request = urllib.request.Request(
            hook.url, data=data, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=hook.timeout_seconds) as response:
                return f"sent (HTTP {response.status})"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} after {attempt} tries"
            if exc.code < 500:
                return last
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            last = f"failed after {attempt} tries: {reason}"
        if attempt < hook.tries:
            time.sleep(hook.pause_seconds)
    return last
