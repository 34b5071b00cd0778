"""HTTP endpoints of the cooperative's staff for bank statements (advisor role)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from smartdesk.sync import protocol as P
from smartdesk_server.auth import Principal
from smartdesk_server.errors import ApiError, bad_request
from smartdesk_server.statements import service
from smartdesk_server.statements.model import StatementError

HTTP_FILE_LIMIT = 20 * 1024 * 1024


def register(app: FastAPI, engine: Engine, who: Callable[..., Awaitable[Principal]]) -> None:
    from smartdesk_server.app import json_body, read_body

    adv = P.ADVISOR_PREFIX

    @app.post(f"{adv}/statements", tags=["statements"])
    async def import_statement(request: Request, name: str = "statement") -> dict[str, Any]:
        """Import one bank statement file (CODA or camt.053/054) sent as the raw request body."""
        p = await who(request, "advisor")
        data = await read_body(request, HTTP_FILE_LIMIT)
        if not data:
            raise bad_request("Send the statement file as the request body.")
        try:
            report = await run_in_threadpool(
                service.import_files, engine, [(name[:200], data)], actor=p.account_id
            )
        except StatementError as exc:
            raise ApiError(422, "invalid_statement", f"Nothing was imported: {exc}.") from None
        return report.as_dict()

    @app.get(f"{adv}/payments/unmatched", tags=["statements"])
    async def payments_unmatched(request: Request) -> dict[str, Any]:
        await who(request, "advisor")
        return {"transactions": await run_in_threadpool(service.unmatched, engine)}

    @app.post(f"{adv}/payments/{{tx_id}}/assign", tags=["statements"])
    async def payments_assign(tx_id: str, request: Request) -> dict[str, Any]:
        p = await who(request, "advisor")
        body = await json_body(request, 16 * 1024)
        doc = body.get("document_id")
        amount = body.get("amount")
        if not isinstance(doc, str) or not doc or len(doc) > 64:
            raise bad_request("document_id: the invoice's id.")
        if amount is not None and (not isinstance(amount, str) or len(amount) > 20):
            raise bad_request('amount: text like "120.50", or leave it out for the whole movement.')
        return await run_in_threadpool(
            lambda: service.assign(
                engine, tx_id[:36], doc, amount, actor=p.account_id, advisor_id=p.account_id
            )
        )

    @app.post(f"{adv}/payments/{{tx_id}}/ignore", tags=["statements"])
    async def payments_ignore(tx_id: str, request: Request) -> dict[str, Any]:
        p = await who(request, "advisor")
        body = await json_body(request, 16 * 1024)
        reason = body.get("reason")
        if not isinstance(reason, str) or len(reason) > 2000:
            raise bad_request("reason: why this movement is ignored (at most 2,000 characters).")
        return await run_in_threadpool(service.ignore, engine, tx_id[:36], reason, actor=p.account_id)
