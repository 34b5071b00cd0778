"""Request and error shapes of the HTTP API as pydantic models, for the OpenAPI description (/docs,
/openapi.json): every request body with its bounds, every error response with its stable codes.

The server checks requests with the plain functions of ``app``, ``sync`` and ``limits`` (they give
the messages in plain words and run before any work); these models declare the same bounds so that
clients and fuzzers know the shapes (``tests/server/test_issue19.py`` reads them back from
/openapi.json).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from smartdesk.sync import protocol as P


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class LoginBody(_Body):
    email: str = Field(min_length=1, max_length=320, description="compared after NFKC and case folding")
    password: str = Field(min_length=1, max_length=1000)
    device_name: str = Field(default="", max_length=200)
    protocol_version: int | None = None
    schema_version: int | None = None


class RefreshBody(_Body):
    refresh_token: str = Field(min_length=1, max_length=200)


class MutationBody(_Body):
    mutation_id: int = Field(gt=0, lt=2**62)
    name: str = Field(max_length=60, description="one of " + ", ".join(P.MUTATION_NAMES))
    args: dict[str, Any] = Field(
        description="numbers as plain decimal text (ASCII digits, at most 15 + 10 "
        "digits, no exponent); dates YYYY-MM-DD between 1990 and 2199; payment terms "
        "0-365 days; identifiers canonical UUIDs; at most 500 lines per list"
    )
    base_version: int = Field(default=0, ge=0, lt=2**31)


class PushBody(_Body):
    protocol_version: int
    schema_version: int
    client_id: str = Field(min_length=1, max_length=64)
    mutations: list[MutationBody] = Field(max_length=P.MAX_MUTATIONS_PER_PUSH)


class CursorBody(BaseModel):
    epoch: str = Field(max_length=64)
    rev: int = Field(ge=0, lt=2**62)


class PullBody(_Body):
    protocol_version: int
    schema_version: int
    client_id: str = Field(min_length=1, max_length=64)
    cursor: CursorBody | None
    limit: int = Field(default=P.DEFAULT_PULL_LIMIT, ge=1, le=P.MAX_PULL_LIMIT)


class RemarksBody(_Body):
    remarks: str = Field(min_length=1, max_length=P.MAX_TEXT)


class RejectLineBody(_Body):
    line_id: str = Field(min_length=1, max_length=P.MAX_TEXT)
    reason: str = Field(min_length=1, max_length=P.MAX_TEXT)


class PaymentBody(_Body):
    amount: str = Field(
        pattern=r"^[0-9]{1,13}([.,][0-9]{1,2})?$", description="ASCII digits, 2 decimals at most"
    )


class AnswerBody(_Body):
    body: str = Field(min_length=1, max_length=P.MAX_TEXT)
    close: bool = False


class FlagBody(_Body):
    flag: Literal["", "late", "bad"] = ""


class FiguresBody(_Body):
    month: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$")


class ErrorDetail(BaseModel):
    code: str = Field(description="stable code; see docs/protocol.md")
    message: str = Field(description="plain words for a person")


class ErrorBody(BaseModel):
    error: ErrorDetail


# which stable codes each HTTP status can carry
STATUS_CODES: dict[int, tuple[str, ...]] = {
    400: ("invalid_request", "version_not_supported"),
    401: ("unauthenticated", "invalid_credentials", "invalid_refresh_token"),
    403: ("forbidden", "client_id_taken"),
    404: ("not_found",),
    405: ("method_not_allowed",),
    408: ("request_timeout",),
    409: ("mutation_gap", "invalid_transition", "blob_offset_mismatch", "on_hold", "invalid"),
    413: ("body_too_large", "too_many_mutations", "blob_too_large", "blob_quota_exceeded"),
    422: ("invalid_text", "blob_hash_mismatch"),
    429: ("too_many_attempts",),
    500: ("internal_error",),
    503: ("unavailable",),
}

COMMON = (400, 401, 405, 408, 413, 422, 500, 503)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for a route: each status with its codes, all in the one error shape."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in sorted({*COMMON, *statuses}):
        codes = STATUS_CODES[status]
        out[status] = {
            "model": ErrorBody,
            "description": "Error codes: " + ", ".join(f"`{c}`" for c in codes),
        }
    return out


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema with its ``$defs`` references replaced by the definitions (self-contained)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.rsplit("/", 1)[1]])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return dict(walk(schema))


def body(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI ``openapi_extra`` declaring a JSON request body of this shape."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline(model.model_json_schema())}},
        }
    }
