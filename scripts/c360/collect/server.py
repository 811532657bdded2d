"""Serve the collector with uvicorn: bind, open the spool, run until SIGTERM or SIGINT.

On either signal uvicorn stops accepting connections and lets the requests in
flight finish (up to ``GRACE_SECONDS``); the app's lifespan then runs the last
flush of everything acknowledged, and ``serve`` returns 0. uvicorn on its own
re-raises the signal once it has shut down, so the process would die by it:
``_Server`` only starts the shutdown on the signal, which is what an init
system or a test waiting for exit code 0 expects.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Iterator

import uvicorn

from c360.collect.app import create_app
from c360.collect.collector import Collector, CollectSettings
from c360.errors import C360Error
from c360.progress import Progress

GRACE_SECONDS = 30
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in _SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0: any free port); C360Error when it cannot be had."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise C360Error(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise C360Error(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
            " (another process on that port? choose another --port)"
        ) from None
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(settings: CollectSettings, host: str, port: int, progress: Progress) -> int:
    """Run the collector until a signal; 0 once everything acknowledged has landed."""
    sock = bind(host, port)
    collector = Collector(settings, progress)
    try:
        collector.open()
    except BaseException:
        sock.close()
        raise
    config = uvicorn.Config(
        create_app(collector, settings.write_keys),
        log_level="warning",
        access_log=False,
        lifespan="on",
        server_header=False,
        timeout_graceful_shutdown=GRACE_SECONDS,
    )
    progress.line(
        f"listening on {url_of(sock)} (spool {settings.spool_dir}, landing into"
        f" {settings.raw_dir}; flush every {settings.flush_seconds:g}s, at"
        f" {settings.flush_messages:,} messages and on exit)"
    )
    try:
        _Server(config).run(sockets=[sock])
    finally:
        sock.close()
    if not collector.stopped:
        raise C360Error("the collector did not start (see the lines above); nothing was accepted")
    if not collector.stopped_clean:
        raise C360Error(
            f"the last flush failed; {collector.counters.spooled:,} acknowledged message(s)"
            f" stay in {settings.spool_dir} and land when the collector starts again"
        )
    progress.line(
        f"stopped: {collector.counters.accepted:,} message(s) accepted,"
        f" {collector.counters.rejected:,} rejected, {collector.counters.landed:,} landed"
    )
    return 0
