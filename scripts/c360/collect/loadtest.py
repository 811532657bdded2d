"""A load test of a running collector on loopback.

``python -m c360.collect.loadtest --messages N --clients C [--url URL] [--write-key KEY]``
sends N messages as ``/v1/batch`` requests of ``--batch-size`` messages (100, as
the SDKs batch), from C concurrent clients, each on its own connection, and
prints messages per second and the requests' p50/p99 latency. Each message
has a ``messageId`` of its own, so what was acknowledged can be compared with
what landed (the crash test does: ``run_load(..., keep_going=True)`` waits
through a dead collector and returns every acknowledged id).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip as gzip_module
import json
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

_KINDS = ("track", "track", "track", "page", "identify", "group")


@dataclass
class LoadResult:
    sent: int = 0  # messages posted, answered or not
    acked: list[str] = field(default_factory=list)  # messageIds of 200s
    failed_requests: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, of the 200s
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.acked) / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> str:
        return (
            f"{len(self.acked):,} of {self.sent:,} messages acknowledged in {self.seconds:.2f}s:"
            f" {self.rate:,.0f} messages/s; request latency p50 {self.percentile(0.5) * 1000:.1f}"
            f" ms, p99 {self.percentile(0.99) * 1000:.1f} ms; {self.failed_requests} failed"
            " request(s)"
        )


def message(number: int, run: str) -> dict[str, object]:
    """One message like an app sends: a mix of track, page, identify and group calls."""
    kind = _KINDS[number % len(_KINDS)]
    user = f"load-user-{number % 997}"
    body: dict[str, object] = {
        "type": kind,
        "messageId": f"{run}-{number}",
        "userId": user,
        "anonymousId": f"anon-{number % 1999}",
        "timestamp": "2026-12-07T10:00:00.000Z",
        "context": {
            "library": {"name": "c360-loadtest", "version": "1"},
            "timezone": "Europe/Berlin",
            "locale": "de-DE",
            "page": {"url": f"https://app.example.com/reports/{number % 50}"},
        },
    }
    if kind == "track":
        body.update(event="Report Created", properties={"report_id": number, "rows": 42})
    elif kind == "page":
        body.update(name="Reports", properties={"path": f"/reports/{number % 50}"})
    elif kind == "identify":
        body["traits"] = {"email": f"{user}@example.com", "name": f"User {number % 997}"}
    else:
        body.update(groupId=f"load-account-{number % 53}", traits={"plan": "growth"})
    return body


async def run_load(
    url: str,
    write_key: str,
    messages: int,
    clients: int,
    *,
    batch_size: int = 100,
    gzip: bool = False,
    keep_going: bool = False,
    stop: threading.Event | None = None,
    run: str | None = None,
) -> LoadResult:
    """Post ``messages`` messages. ``keep_going``: a refused connection (the collector is
    down) is tried again until it connects; a request that was sent and got no answer or
    a 5xx is counted as failed and not sent again (its ids stay unacknowledged).
    ``stop`` ends the run early."""
    run = run or uuid.uuid4().hex[:12]
    result = LoadResult()
    batches = iter(range(0, messages, batch_size))
    endpoint = url.rstrip("/") + "/v1/batch"

    async def client() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(auth=(write_key, ""), limits=limits, timeout=60.0) as http:
            for start in batches:
                if stop is not None and stop.is_set():
                    return
                batch = [message(n, run) for n in range(start, min(start + batch_size, messages))]
                content = json.dumps({"batch": batch, "sentAt": "2026-12-07T10:00:01.000Z"})
                data = content.encode()
                headers = {"Content-Type": "application/json"}
                if gzip:
                    data = gzip_module.compress(data, compresslevel=1)
                    headers["Content-Encoding"] = "gzip"
                result.sent += len(batch)
                while True:
                    began = time.perf_counter()
                    try:
                        answer = await http.post(endpoint, content=data, headers=headers)
                        break
                    except httpx.ConnectError:
                        # Nothing reached the collector (it is down): wait and send the
                        # same batch again, as the SDKs do.
                        if not keep_going:
                            raise
                        if stop is not None and stop.is_set():
                            return
                        await asyncio.sleep(0.05)
                    except httpx.TransportError:
                        # Sent, and no answer: the batch may or may not have been
                        # spooled. It is not sent again, so its ids are unacknowledged.
                        if not keep_going:
                            raise
                        answer = None
                        break
                if answer is None:
                    result.failed_requests += 1
                    continue
                took = time.perf_counter() - began
                if answer.status_code != 200:
                    if not keep_going:
                        raise RuntimeError(f"{endpoint}: {answer.status_code} {answer.text}")
                    result.failed_requests += 1
                    continue
                result.latencies.append(took)
                result.acked.extend(str(m["messageId"]) for m in batch)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    result.seconds = time.perf_counter() - began
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m c360.collect.loadtest",
        description="Load a running c360 collect on loopback; print messages/s and p50/p99.",
    )
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--url", default="http://127.0.0.1:8088")
    parser.add_argument("--write-key", default="loadtest")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--gzip", action="store_true", help="gzip each request, as RudderStack")
    args = parser.parse_args(argv)
    try:
        result = asyncio.run(
            run_load(
                args.url,
                args.write_key,
                args.messages,
                args.clients,
                batch_size=args.batch_size,
                gzip=args.gzip,
            )
        )
    except (httpx.HTTPError, RuntimeError) as exc:
        print(f"loadtest: error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.clients} clients, batches of {args.batch_size}: {result.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
