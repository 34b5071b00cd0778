"""The no-change pull answered below the web framework.

Most requests a synced app sends are pulls with nothing new (every few minutes from every open app).
:func:`smartdesk_server.sync.quick_pull` already answers them with one SQL statement; this ASGI layer
answers them before FastAPI's routing, request object, dependency handling and response encoding,
which were most of the remaining cost per request. Anything it is not sure about (another path, a
body it cannot parse, a cursor that is behind, an expired session, any error) goes on unchanged to
the application, which gives the full answer with its own checks and messages: this layer never
refuses anything by itself. Measured by ``bench/server.py`` (docs/protocol.md, "Serving").
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from anyio import to_thread
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import OperationalError

from smartdesk.sync import protocol as P
from smartdesk_server import auth, sync
from smartdesk_server.errors import ApiError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PULL_PATH = f"{P.API_PREFIX}/pull"
BODY_LIMIT = 64 * 1024  # the pull route's own limit: a bigger body goes on to be refused there
TOKEN_LIMIT = 200


class QuickPull:
    """ASGI middleware: ``POST /sync/v1/pull`` with nothing new is answered here."""

    def __init__(self, app: ASGIApp, engine: Engine) -> None:
        self.app = app
        self.engine = quick_engine(engine)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PULL_PATH:
            await self.app(scope, receive, send)
            return
        token = _bearer(scope)
        chunks: list[bytes] = []
        size = 0
        more = True
        while more and size <= BODY_LIMIT:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: let the app see it
                await self.app(scope, _replay(chunks, [message], receive), send)
                return
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            more = bool(message.get("more_body", False))
        answer = None
        if token is not None and not more and size <= BODY_LIMIT:
            answer = await _answer(self.engine, token, b"".join(chunks))
        if answer is None:
            final = {"type": "http.request", "body": b"", "more_body": more}
            await self.app(scope, _replay(chunks, [final], receive), send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(answer)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer})


def quick_engine(engine: Engine) -> Engine:
    """The engine the quick answer reads with. On PostgreSQL a small pool of its own without the
    main pool's ping before each checkout (one more round trip to the database, as long as the query
    itself): a connection that broke (database restarted) fails the quick answer, which then falls
    back to the application's pre-pinged pool, and SQLAlchemy replaces the broken connections."""
    if engine.dialect.name != "postgresql":
        return engine
    return create_engine(engine.url, pool_size=4, max_overflow=8, pool_pre_ping=False, hide_parameters=True)


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            if scheme.lower() == "bearer" and token and len(token) <= TOKEN_LIMIT:
                return token
            return None
    return None


async def _answer(engine: Engine, token: str, raw: bytes) -> bytes | None:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(body, dict) or not all(isinstance(k, str) for k in body):
        return None
    try:
        quick = await to_thread.run_sync(sync.quick_pull, engine, auth.token_hash(token), body)
    except (ApiError, OperationalError):  # a malformed pull, a broken connection: the app answers
        return None
    if quick is None:
        return None
    return json.dumps(quick, separators=(",", ":")).encode()


def _replay(chunks: list[bytes], tail: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that first hands out what was already read, then the rest of the request."""
    pending: list[Message] = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]
    pending.extend(tail)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
