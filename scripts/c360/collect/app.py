"""The HTTP tracking API, as Segment's and RudderStack's SDKs speak it (Starlette).

- ``POST /v1/batch`` (also ``/v1/import`` and analytics.js's ``/v1/b``): ``{"batch":
  [message, ...], "context"?, "sentAt"?}``; batch-level context and sentAt are
  merged into each message (``c360.messages.normalise``).
- ``POST /v1/identify``, ``/v1/track``, ``/v1/page``, ``/v1/screen``, ``/v1/group``,
  ``/v1/alias`` (and analytics.js's ``/v1/i``, ``/v1/t``, ``/v1/p``, ``/v1/s``,
  ``/v1/g``, ``/v1/a``): one message; its type is the path's.
- ``GET /health``: JSON counters (``Collector.health``).

Write key: HTTP Basic auth with the key as user name (the password is ignored;
the SDKs send none), or ``writeKey`` in the body as analytics.js sends it. A
missing or unknown key is 401. Bodies may be ``Content-Encoding: gzip``.
Limits, as the SDKs keep to them: 32 KB a message, 500 KB a request after
decompression; larger is 400 with the reason, and so is a body that is not
JSON or not the shape above.

Invalid messages (no event on a track call, a bad timestamp...): a one-message
call is 400 naming the field. In a batch, the valid messages are accepted and
every invalid one is recorded as a reject (its index, field, reason and the
message itself, in the spool and then ``<spool>/rejected/``), counted in
``/health`` and listed in the 200's body; a batch with no valid message at all
is 400. An SDK drops a whole batch on a 400, so one bad message would
otherwise cost its neighbours.

Every message gets ``receivedAt`` from the collector's clock and a
``messageId`` when it has none; the 200 comes only once the request's records
are fsynced in the spool.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import json
import zlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from c360.collect.collector import Collector
from c360.collect.flush import REJECT_KEY
from c360.collect.spool import SpoolFailed, encode
from c360.messages import TYPES, MessageError, format_instant, normalise

MESSAGE_LIMIT = 32 << 10
BATCH_LIMIT = 500 << 10
# gzip can make incompressible bytes a little longer; the decompressed size is the limit.
_RAW_LIMIT = BATCH_LIMIT + (16 << 10)
_SHORT = {kind[0]: kind for kind in TYPES}  # analytics.js: /v1/t, /v1/i, ...


class HttpError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> JSONResponse:
        headers = {"WWW-Authenticate": 'Basic realm="c360 collect"'} if self.status == 401 else {}
        # Segment's SDK reads "code" and "message" from an error body.
        return JSONResponse(
            {"success": False, "code": self.code, "message": self.message},
            status_code=self.status,
            headers=headers,
        )


def _basic_user(header: str) -> str:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        raise HttpError(401, "unauthorized", "use HTTP Basic auth with the write key as user name")
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise HttpError(
            401, "unauthorized", "the Authorization header is not Basic base64"
        ) from None
    return decoded.partition(":")[0]


def _check_key(key: object, keys: frozenset[str]) -> None:
    if not isinstance(key, str) or not key:
        raise HttpError(401, "unauthorized", "no write key (HTTP Basic user name or writeKey)")
    if key not in keys:
        raise HttpError(401, "unauthorized", "unknown write key")


def _gunzip(raw: bytes) -> bytes:
    out = bytearray()
    data = raw
    while data:  # a gzip stream can hold several members
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(data, BATCH_LIMIT + 1 - len(out))
        except zlib.error as exc:
            raise HttpError(400, "invalid_request", f"the body is not valid gzip: {exc}") from None
        if len(out) > BATCH_LIMIT or inflater.unconsumed_tail:
            raise HttpError(400, "too_large", _too_large("the request", BATCH_LIMIT + 1))
        if not inflater.eof:
            raise HttpError(400, "invalid_request", "the gzip body is truncated")
        data = inflater.unused_data
    return bytes(out)


def _too_large(what: str, size: int) -> str:
    over = f"{size:,} bytes" if size <= BATCH_LIMIT else f"over {BATCH_LIMIT:,} bytes"
    limit = "32 KB a message" if what != "the request" else "500 KB a request"
    return f"{what} is {over}, over the limit of {limit}"


async def read_body(request: Request) -> bytes:
    """The body, decompressed, within the request limit (HttpError otherwise)."""
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity", "gzip"):
        raise HttpError(415, "unsupported_encoding", f"Content-Encoding {encoding!r}: use gzip")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > _RAW_LIMIT:
        raise HttpError(400, "too_large", _too_large("the request", int(declared)))
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > _RAW_LIMIT:
            raise HttpError(400, "too_large", _too_large("the request", len(raw)))
    body = _gunzip(bytes(raw)) if encoding == "gzip" else bytes(raw)
    if len(body) > BATCH_LIMIT:
        raise HttpError(400, "too_large", _too_large("the request", len(body)))
    return body


def parse_json(body: bytes) -> dict[str, Any]:
    try:
        loaded = json.loads(body)
    except UnicodeDecodeError:
        raise HttpError(400, "invalid_json", "the body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise HttpError(
            400, "invalid_json", f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(loaded, dict):
        raise HttpError(400, "invalid_request", "the body must be a JSON object")
    return loaded


def message_size(message: object) -> int:
    """A message's size as the SDKs measure it: its JSON, in bytes."""
    return len(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode())


@dataclass(frozen=True)
class Prepared:
    """A request's records for the spool: its rows, then its rejects."""

    payloads: list[bytes]
    rows: int
    rejects: list[dict[str, object]]


def _body_key(body: Mapping[str, Any], messages: list[Any]) -> object:
    """analytics.js sends the write key in the body: at the top, or in every message."""
    if body.get("writeKey"):
        return body["writeKey"]
    keys = {m.get("writeKey") for m in messages if isinstance(m, dict)}
    if len(keys) > 1:
        raise HttpError(401, "unauthorized", "the messages carry different write keys")
    return keys.pop() if keys else None


def prepare(
    messages: list[Any],
    *,
    batch: Mapping[str, Any] | None,
    received: dt.datetime,
    client_ip: str | None,
    path: str,
    single: bool,
) -> Prepared:
    """Normalise each message; a reject keeps its index, field, reason and the message."""
    for index, message in enumerate(messages):
        size = message_size(message)
        if size > MESSAGE_LIMIT:
            where = "the message" if single else f"batch[{index}]"
            raise HttpError(400, "too_large", _too_large(where, size))
    rows: list[bytes] = []
    rejects: list[dict[str, object]] = []
    kept: list[bytes] = []
    stamp = format_instant(received)
    for index, message in enumerate(messages):
        try:
            row = normalise(message, received_at=received, batch=batch, client_ip=client_ip)
        except MessageError as exc:
            if single:
                raise HttpError(400, "invalid_message", f"{exc.field}: {exc.reason}") from None
            reject: dict[str, object] = {"index": index, "field": exc.field, "reason": exc.reason}
            rejects.append(reject)
            # The message as sent, but its write key: what an operator needs to fix the sender.
            sent = (
                {k: v for k, v in message.items() if k != "writeKey"}
                if isinstance(message, dict)
                else message
            )
            record = {"receivedAt": stamp, "path": path, **reject, "message": sent}
            kept.append(encode({REJECT_KEY: record}))
            continue
        rows.append(encode(row))
    if rejects and not rows:
        first = rejects[0]
        more = f" (and {len(rejects) - 1} more invalid)" if len(rejects) > 1 else ""
        raise HttpError(
            400,
            "invalid_message",
            f"no valid message: batch[{first['index']}].{first['field']}: {first['reason']}{more}",
        )
    return Prepared(rows + kept, len(rows), rejects)


class Api:
    """The request handlers over one collector and its write keys."""

    def __init__(
        self,
        collector: Collector,
        write_keys: frozenset[str],
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.collector = collector
        self.write_keys = write_keys
        self.clock = clock

    async def batch(self, request: Request) -> Response:
        return await self._handle(request, None)

    async def single(self, request: Request) -> Response:
        name = str(request.path_params["kind"])
        kind = _SHORT.get(name, name)
        if kind not in TYPES:
            return HttpError(404, "not_found", f"no endpoint /v1/{name}").response()
        return await self._handle(request, kind)

    async def health(self, request: Request) -> Response:
        body = self.collector.health()
        return JSONResponse(body, status_code=200 if body["accepting"] else 503)

    async def _handle(self, request: Request, kind: str | None) -> Response:
        try:
            header = request.headers.get("authorization")
            if header:
                _check_key(_basic_user(header), self.write_keys)
            body = parse_json(await read_body(request))
            if kind is None:
                messages = body.get("batch")
                if not isinstance(messages, list):
                    raise HttpError(400, "invalid_request", "batch: must be a JSON array")
            else:
                given = body.get("type")
                if given is not None and str(given).lower() != kind:
                    raise HttpError(
                        400, "invalid_message", f"type: {given!r} posted to the {kind} endpoint"
                    )
                messages = [{**body, "type": kind}]
            if not header:
                _check_key(_body_key(body, messages), self.write_keys)
            prepared = prepare(
                messages,
                batch=body if kind is None else None,
                received=self.clock(),
                client_ip=request.client.host if request.client else None,
                path=request.url.path,
                single=kind is not None,
            )
            await self.collector.accept(prepared.payloads, prepared.rows, len(prepared.rejects))
        except HttpError as exc:
            return exc.response()
        except SpoolFailed as exc:
            # 5xx: the SDKs keep the batch and retry it.
            return HttpError(503, "unavailable", str(exc)).response()
        reply: dict[str, object] = {"success": True}
        if prepared.rejects:
            reply.update(accepted=prepared.rows, rejected=prepared.rejects)
        return JSONResponse(reply)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_app(
    collector: Collector,
    write_keys: frozenset[str],
    *,
    clock: Callable[[], dt.datetime] = _utc_now,
) -> Starlette:
    """The ASGI app; its lifespan starts the collector's flush loop and stops it (final
    flush). ``collector.open()`` must have run."""
    api = Api(collector, write_keys, clock)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await collector.start()
        try:
            yield
        finally:
            await collector.stop()

    batch_paths = ("/v1/batch", "/v1/import", "/v1/b")
    routes = [Route(p, api.batch, methods=["POST"]) for p in batch_paths]
    routes.append(Route("/v1/{kind}", api.single, methods=["POST"]))
    routes.append(Route("/health", api.health, methods=["GET"]))
    # Browsers (analytics.js, RudderStack's JS SDK) post from the site's own origin.
    # The API has no cookies or sessions, only the write key, so any origin may.
    cors = Middleware(
        CORSMiddleware,
        allow_origin_regex=".*",
        allow_credentials=True,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "Content-Encoding", "AnonymousId"],
        max_age=86400,
    )
    return Starlette(routes=routes, middleware=[cors], lifespan=lifespan)
