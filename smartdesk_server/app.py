"""The HTTP application (FastAPI). Every error is ``{"error": {"code", "message"}}``; OpenAPI at /docs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from smartdesk import __version__
from smartdesk.sync import protocol as P
from smartdesk_server import archive, auth, catalogues, coop, sync
from smartdesk_server import schemas as S
from smartdesk_server.auth import Principal
from smartdesk_server.blobs import BlobStore
from smartdesk_server.config import Settings
from smartdesk_server.db import make_engine
from smartdesk_server.errors import ApiError, bad_request, forbidden
from smartdesk_server.limits import check_tree
from smartdesk_server.quickpull import QuickPull

log = logging.getLogger("smartdesk_server")

JSON_LIMIT = P.MAX_BODY_BYTES


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


BODY_IDLE_SECONDS = 30.0  # longest wait for the next piece of a request body
BODY_TOTAL_SECONDS = 300.0  # longest time to receive a whole body (an 8 MB chunk at 28 KB/s)


async def read_body(
    request: Request, limit: int, idle: float | None = None, total: float | None = None
) -> bytes:
    """The request body, refused past ``limit`` bytes (before reading when Content-Length says so)
    and when it comes too slowly (``408 request_timeout``): a stalled client cannot hold a worker."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isascii() or not declared.isdigit() or len(declared) > 18:
            raise bad_request("Content-Length is not a number.")
        if int(declared) > limit:
            raise ApiError(413, "body_too_large", f"The request is larger than {limit // 1024} KB.")
    idle = BODY_IDLE_SECONDS if idle is None else idle
    total = BODY_TOTAL_SECONDS if total is None else total
    chunks: list[bytes] = []
    size = 0
    stream = request.stream().__aiter__()
    deadline = asyncio.get_running_loop().time() + total
    while True:
        left = min(idle, deadline - asyncio.get_running_loop().time())
        try:
            chunk = await asyncio.wait_for(stream.__anext__(), timeout=max(left, 0.001))
        except StopAsyncIteration:
            break
        except TimeoutError:
            raise ApiError(
                408,
                "request_timeout",
                "The request came too slowly; nothing was applied. Check the connection and try again.",
            ) from None
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "body_too_large", f"The request is larger than {limit // 1024} KB.")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(raw: bytes) -> dict[str, Any]:
    """Parse a JSON object and walk it once (valid text only, a bounded number of values)."""
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise bad_request("The request body is not valid JSON (UTF-8).") from None
    if not isinstance(data, dict):
        raise bad_request("The request body must be a JSON object { ... }.")
    check_tree(data)
    return data


async def json_body(request: Request, limit: int = JSON_LIMIT) -> dict[str, Any]:
    raw = await read_body(request, limit)
    if len(raw) > 64 * 1024:  # a big body is parsed off the event loop: other requests keep flowing
        return await run_in_threadpool(parse_json, raw)
    return parse_json(raw)


def _text(body: dict[str, Any], key: str, max_len: int = 10_000, required: bool = True) -> str:
    value = body.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value) or len(value) > max_len:
        raise bad_request(f"“{key}” must be text of at most {max_len} characters.")
    return value


def _query_versions(request: Request) -> None:
    for name, header, supported in (
        ("protocol_version", "x-smartdesk-protocol", P.SUPPORTED_PROTOCOL_VERSIONS),
        ("schema_version", "x-smartdesk-schema", P.SUPPORTED_SCHEMA_VERSIONS),
    ):
        value = request.query_params.get(name) or request.headers.get(header)
        if value is None:
            continue
        if not value.isdigit() or int(value) not in supported:
            raise ApiError(
                400,
                "version_not_supported",
                f"This server does not speak {name} {value[:20]!r}. Install the latest SmartDesk.",
                supported=sorted(supported),
            )


def create_app(settings: Settings, engine: Engine | None = None, *, background: bool = False) -> FastAPI:
    engine = engine or make_engine(settings.database_url)
    blob_store = BlobStore(settings.blob_dir)
    archive.configure(engine, settings.blob_dir)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = None
        if background and settings.followup_interval > 0:

            async def loop() -> None:
                while True:
                    await asyncio.sleep(settings.followup_interval)
                    try:
                        await run_in_threadpool(coop.tick, engine, None, settings.schedule)
                        await run_in_threadpool(blob_store.clean_partials)
                    except Exception:  # noqa: BLE001 - the loop must survive; next tick retries
                        log.exception("follow-up tick failed")

            task = asyncio.create_task(loop())
        deliver = None
        if background:
            from smartdesk_server.delivery import einvoices
            from smartdesk_server.delivery import queue as delivery

            # the rules are compiled before the server takes connections (uvicorn binds after the
            # lifespan starts): Saxon holds the GIL while compiling, which would stall requests
            await asyncio.to_thread(einvoices.warm_up)
            if settings.delivery_configured and settings.delivery_interval > 0:
                transports = delivery.Transports.from_settings(settings)

                async def deliver_loop() -> None:
                    while True:
                        await asyncio.sleep(settings.delivery_interval)
                        try:
                            await run_in_threadpool(delivery.process_due, engine, transports)
                        except Exception:  # noqa: BLE001 - the loop must survive; the rows stay queued
                            log.exception("delivery pass failed")

                deliver = asyncio.create_task(deliver_loop())
        yield
        if task:
            task.cancel()
        if deliver:
            deliver.cancel()

    app = FastAPI(
        title="SmartDesk cooperative server",
        version=__version__,
        lifespan=lifespan,
        description="Sync protocol and advisor API of the SmartDesk reference backend. "
        "See docs/protocol.md for the full reference and every error code.",
    )
    app.state.engine = engine
    app.add_middleware(QuickPull, engine=engine)
    app.state.settings = settings

    @app.exception_handler(ApiError)
    async def _api_error(_r: Request, exc: ApiError) -> JSONResponse:
        headers = {"Retry-After": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else None
        return JSONResponse(
            P.error_body(exc.code, exc.message, **exc.extra), status_code=exc.status, headers=headers
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "invalid_request")
        message = {
            404: "There is nothing at this address.",
            405: "This address does not take that method.",
        }.get(exc.status_code, str(exc.detail))
        return JSONResponse(P.error_body(code, message), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_r: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            P.error_body("invalid_request", "The request is not well formed."), status_code=400
        )

    @app.exception_handler(OperationalError)
    async def _db_busy(_r: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        return JSONResponse(
            P.error_body("unavailable", "The server is busy. Nothing was applied; try again shortly."),
            status_code=503,
            headers={"Retry-After": "2"},
        )

    @app.exception_handler(ClientDisconnect)
    async def _gone(_r: Request, _exc: ClientDisconnect) -> Response:
        # the client went away mid-request: nothing to answer, nothing worth a stack trace
        log.debug("client disconnected before the request was read")
        return Response(status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(_r: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return JSONResponse(
            P.error_body(
                "internal_error",
                "The server had an unexpected problem. Nothing was applied; try again later.",
            ),
            status_code=500,
        )

    async def who(request: Request, role: str | None = None) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token or len(token) > 200:
            raise ApiError(401, "unauthenticated", "Sign in first (missing or malformed access token).")
        principal = await run_in_threadpool(auth.authenticate, engine, token.strip())
        if role is not None and principal.role != role:
            raise forbidden(f"This needs an account with the {role} role.")
        return principal

    def call(fn: Callable[..., Any], *args: Any) -> Any:
        return run_in_threadpool(fn, *args)

    api = P.API_PREFIX
    adv = P.ADVISOR_PREFIX

    @app.get("/", tags=["meta"])
    async def root() -> dict[str, Any]:
        return {
            "service": "smartdesk-server",
            "version": __version__,
            "protocol_versions": sorted(P.SUPPORTED_PROTOCOL_VERSIONS),
            "schema_versions": sorted(P.SUPPORTED_SCHEMA_VERSIONS),
        }

    @app.get("/health", tags=["meta"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    # --- accounts ---------------------------------------------------------------------------------
    @app.post(f"{api}/login", tags=["auth"], openapi_extra=S.body(S.LoginBody), responses=S.responses(429))
    async def login(request: Request) -> dict[str, Any]:
        body = await json_body(request, 64 * 1024)
        if "protocol_version" in body or "schema_version" in body:
            sync.check_versions(body)
        email, password = _text(body, "email", 320), _text(body, "password", 1000)
        device = _text(body, "device_name", 200, required=False)
        address = request.client.host if request.client else ""
        return await call(auth.login, engine, settings, email, password, device, address)

    @app.post(f"{api}/refresh", tags=["auth"], openapi_extra=S.body(S.RefreshBody), responses=S.responses())
    async def refresh(request: Request) -> dict[str, Any]:
        body = await json_body(request, 64 * 1024)
        return await call(auth.refresh, engine, settings, _text(body, "refresh_token", 200))

    @app.post(f"{api}/logout", tags=["auth"], responses=S.responses())
    async def logout(request: Request) -> dict[str, Any]:
        p = await who(request)
        await call(auth.revoke, engine, p, p.session_id)
        return {"ok": True}

    @app.get(f"{api}/me", tags=["auth"], responses=S.responses())
    async def me(request: Request) -> dict[str, Any]:
        p = await who(request)
        return {
            "account_id": p.account_id,
            "member_id": p.account_id,
            "email": p.email,
            "name": p.name,
            "role": p.role,
        }

    @app.get(f"{api}/devices", tags=["auth"], responses=S.responses())
    async def devices(request: Request) -> dict[str, Any]:
        p = await who(request)
        return {"devices": await call(auth.devices, engine, p)}

    @app.post(f"{api}/devices/{{device_id}}/revoke", tags=["auth"], responses=S.responses(404))
    async def revoke_device(device_id: str, request: Request) -> dict[str, Any]:
        p = await who(request)
        await call(auth.revoke, engine, p, device_id[:64])
        return {"ok": True}

    # --- sync -------------------------------------------------------------------------------------
    @app.post(f"{api}/push", tags=["sync"], openapi_extra=S.body(S.PushBody), responses=S.responses(403, 409))
    async def push(request: Request) -> dict[str, Any]:
        p = await who(request)
        body = await json_body(request)
        return await call(sync.push, engine, p, body)

    @app.post(f"{api}/pull", tags=["sync"], openapi_extra=S.body(S.PullBody), responses=S.responses(403))
    async def pull(request: Request) -> Any:
        # a pull with nothing new was already answered by QuickPull (smartdesk_server/quickpull.py)
        body = await json_body(request, 64 * 1024)
        p = await who(request)
        return await call(sync.pull, engine, p, body)

    @app.get(f"{api}/catalogues", tags=["sync"], responses=S.responses())
    async def catalogue_lists(request: Request) -> dict[str, Any]:
        await who(request)
        _query_versions(request)
        return await call(catalogues.get, engine)

    # --- blobs ------------------------------------------------------------------------------------
    @app.get(f"{api}/blobs/{{sha}}/status", tags=["blobs"], responses=S.responses())
    async def blob_status(sha: str, request: Request) -> dict[str, Any]:
        p = await who(request)
        _query_versions(request)
        return await call(blob_store.status, engine, p, sha)

    @app.head(f"{api}/blobs/{{sha}}", tags=["blobs"], responses=S.responses())
    async def blob_head(sha: str, request: Request) -> Response:
        p = await who(request)
        st = await call(blob_store.status, engine, p, sha)
        return Response(
            status_code=200,
            headers={"Upload-Offset": str(st["offset"]), "X-Blob-Complete": "1" if st["complete"] else "0"},
        )

    @app.put(
        f"{api}/blobs/{{sha}}",
        tags=["blobs"],
        responses=S.responses(403, 409),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/octet-stream": {
                        "schema": {"type": "string", "format": "binary", "maxLength": P.MAX_BLOB_CHUNK_BYTES}
                    }
                },
            }
        },
    )
    async def blob_put(sha: str, request: Request) -> dict[str, Any]:
        p = await who(request, "member")
        _query_versions(request)
        data = await read_body(request, P.MAX_BLOB_CHUNK_BYTES)
        return await call(blob_store.put_chunk, engine, p, sha, request.headers.get("content-range"), data)

    @app.get(f"{api}/blobs/{{sha}}", tags=["blobs"], responses=S.responses(404))
    async def blob_get(sha: str, request: Request) -> Response:
        p = await who(request)
        path = await call(blob_store.readable, engine, p, sha)
        return FileResponse(path, media_type="application/octet-stream")

    @app.get(f"{api}/archives/{{sha}}", tags=["sync"], responses=S.responses(404))
    async def archive_get(sha: str, request: Request) -> Response:
        p = await who(request)
        data = await call(archive.fetch, engine, p, sha[:64])
        return Response(data, media_type="application/pdf", headers={"X-Content-SHA256": sha})

    # --- advisor ----------------------------------------------------------------------------------
    @app.get(f"{adv}/queue", tags=["advisor"], responses=S.responses(403))
    async def advisor_queue(request: Request) -> dict[str, Any]:
        p = await who(request, "advisor")
        return {"documents": await call(coop.queue, engine, p.account_id)}

    @app.get(f"{adv}/documents/{{doc_id}}", tags=["advisor"], responses=S.responses(403, 404))
    async def advisor_document(doc_id: str, request: Request) -> dict[str, Any]:
        p = await who(request, "advisor")
        return await call(coop.get_document, engine, p.account_id, doc_id[:64])

    action_bodies: dict[str, type[Any]] = {
        "return": S.RemarksBody,
        "reject-line": S.RejectLineBody,
        "payments": S.PaymentBody,
    }

    async def advisor_body(request: Request) -> tuple[Principal, dict[str, Any]]:
        """The advisor who asks and the small JSON body of the request."""
        return await who(request, "advisor"), await json_body(request, 64 * 1024)

    def advisor_post(path: str, body: type[Any]) -> Callable[[Any], Any]:
        """The route of an advisor action on ``{adv}/path`` taking a ``body`` (described in the OpenAPI)."""
        return app.post(
            f"{adv}/{path}", tags=["advisor"], openapi_extra=S.body(body), responses=S.responses(403, 404)
        )

    def doc_action(path: str, fn: Callable[..., dict[str, Any]], *fields: str) -> None:
        async def endpoint(doc_id: str, request: Request) -> dict[str, Any]:
            p = await who(request, "advisor")
            body = await json_body(request, 64 * 1024) if fields else {}
            args = [_text(body, f, 10_000) for f in fields]
            return await call(fn, engine, p.account_id, doc_id[:64], *args)

        endpoint.__name__ = "advisor_" + path.replace("-", "_")
        extra = S.body(action_bodies[path]) if path in action_bodies else None
        app.post(
            f"{adv}/documents/{{doc_id}}/{path}",
            tags=["advisor"],
            openapi_extra=extra,
            responses=S.responses(403, 404, 409),
        )(endpoint)

    doc_action("validate", coop.validate)
    doc_action("return", coop.return_document, "remarks")
    doc_action("reject-line", coop.reject_line, "line_id", "reason")
    doc_action("mark-sent", coop.mark_sent)
    doc_action("payments", coop.record_payment, "amount")
    doc_action("reimburse", coop.reimburse)

    @app.get(f"{adv}/requests", tags=["advisor"], responses=S.responses(403))
    async def advisor_requests(request: Request) -> dict[str, Any]:
        p = await who(request, "advisor")
        return {"requests": await call(coop.requests_list, engine, p.account_id)}

    @advisor_post("requests/{request_id}/answer", S.AnswerBody)
    async def advisor_answer(request_id: str, request: Request) -> dict[str, Any]:
        p, body = await advisor_body(request)
        close = body.get("close", False)
        if not isinstance(close, bool):
            raise bad_request("“close” must be true or false.")
        return await call(
            coop.answer_request, engine, p.account_id, request_id[:64], _text(body, "body"), close
        )

    @advisor_post("clients/{client_id}/payment-flag", S.FlagBody)
    async def advisor_flag(client_id: str, request: Request) -> dict[str, Any]:
        p, body = await advisor_body(request)
        return await call(
            coop.set_payment_flag,
            engine,
            p.account_id,
            client_id[:64],
            _text(body, "flag", 10, required=False),
        )

    @advisor_post("activities/{activity_id}/figures", S.FiguresBody)
    async def advisor_figures(activity_id: str, request: Request) -> dict[str, Any]:
        p, body = await advisor_body(request)
        figures = {k: str(body[k]) for k in coop.FIGURE_KEYS if k in body and isinstance(body[k], str | int)}
        return await call(
            coop.set_figures, engine, p.account_id, activity_id[:64], _text(body, "month", 7), figures
        )

    from smartdesk_server.statements import api as statements_api

    statements_api.register(app, engine, who)
    return app


def app_from_environment() -> FastAPI:
    """The app of one worker process of ``smartdesk-server serve --workers N`` (settings from the
    environment the parent set). Every worker runs the periodic follow-up tick; each step re-reads the
    invoice under a row lock and moves it only if it is still due, so two workers never move it twice."""
    import os

    from smartdesk_server.config import parse_schedule

    settings = Settings()
    settings.followup_interval = float(os.environ.get("SMARTDESK_FOLLOWUP_INTERVAL", "3600"))
    schedule = os.environ.get("SMARTDESK_FOLLOWUP_SCHEDULE", "")
    if schedule:
        settings.schedule = parse_schedule(schedule)
    return create_app(settings, background=True)
