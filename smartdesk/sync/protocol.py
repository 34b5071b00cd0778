"""Wire types of the sync protocol, shared by the desktop client and ``smartdesk_server``.

Plain constants, ``TypedDict`` shapes and small helpers only: no pydantic, no HTTP library, so the
desktop client and the server both import it cheaply. ``docs/protocol.md`` is the reference.

Rules that never change:
- a mutation name never changes meaning; a new shape gets a new name;
- every request carries ``protocol_version`` and ``schema_version``; an unknown one is answered with
  the error code ``version_not_supported``;
- errors are ``{"error": {"code": <stable code>, "message": <plain words>}}``.
"""

from __future__ import annotations

from typing import Any, Final, Literal, NotRequired, TypedDict

PROTOCOL_VERSION: Final = 1
SUPPORTED_PROTOCOL_VERSIONS: Final = frozenset({1})
# schema versions of the client's local data the server knows how to talk to
SUPPORTED_SCHEMA_VERSIONS: Final = frozenset({1})

API_PREFIX: Final = "/sync/v1"
ADVISOR_PREFIX: Final = "/advisor/v1"

# --- mutation names (the client's outbox sends exactly these) -------------------------------------
CLIENT_PUT: Final = "client.put"
CLIENT_DELETE: Final = "client.delete"
ACTIVITY_PUT: Final = "activity.put"
DOCUMENT_PUT: Final = "document.put"
DOCUMENT_DELETE: Final = "document.delete"
DOCUMENT_TRANSITION: Final = "document.transition"
FOLLOWUP_SET: Final = "followup.set"
FOLLOWUP_CLEAR: Final = "followup.clear"  # an invoice follows the member's default again
REQUEST_OPEN: Final = "request.open"
REQUEST_REPLY: Final = "request.reply"
PROFILE_PUT: Final = "profile.put"

MUTATION_NAMES: Final = (
    CLIENT_PUT,
    CLIENT_DELETE,
    ACTIVITY_PUT,
    DOCUMENT_PUT,
    DOCUMENT_DELETE,
    DOCUMENT_TRANSITION,
    FOLLOWUP_SET,
    FOLLOWUP_CLEAR,
    REQUEST_OPEN,
    REQUEST_REPLY,
    PROFILE_PUT,
)

# --- entity types in pulled changes --------------------------------------------------------------
ENTITY_TYPES: Final = (
    "activity",
    "client",
    "profile",
    "document",
    "followup",
    "request",
    "notice",
    "payment",
    "delivery",  # the cooperative's delivery of a validated document (docs/delivery.md)
)

# --- support services ----------------------------------------------------------------------------
SERVICES: Final = ("legal", "collections", "client_relations", "accounting")

# --- result statuses -----------------------------------------------------------------------------
STATUS_OK: Final = "ok"
STATUS_REJECTED: Final = "rejected"
STATUS_CONFLICT: Final = "conflict"

# --- limits (the server refuses bigger input with a clear error) ---------------------------------
MAX_BODY_BYTES: Final = 4 * 1024 * 1024
MAX_MUTATIONS_PER_PUSH: Final = 500
MAX_PULL_LIMIT: Final = 5000
DEFAULT_PULL_LIMIT: Final = 1000
MAX_BLOB_BYTES: Final = 25 * 1024 * 1024
MAX_BLOB_CHUNK_BYTES: Final = 8 * 1024 * 1024
MAX_LINES: Final = 500
MAX_TEXT: Final = 10_000

# --- error codes (stable; docs/protocol.md explains each) ----------------------------------------
ERROR_CODES: Final[dict[str, str]] = {
    "version_not_supported": "The protocol or schema version is not one this server speaks.",
    "invalid_request": "The request is not well formed (bad JSON, wrong types, missing fields).",
    "invalid_text": "A text holds characters that are not text (a lone surrogate or a NUL); nothing applied.",
    "request_timeout": "The request body came too slowly; nothing was applied.",
    "body_too_large": "The request body is larger than the server accepts.",
    "too_many_mutations": "More mutations in one push than the server accepts.",
    "unauthenticated": "No valid access token (missing, expired or revoked).",
    "invalid_credentials": "Wrong e-mail address or password.",
    "invalid_refresh_token": "The refresh token is unknown, expired or revoked.",
    "too_many_attempts": "Too many failed sign-ins; wait before trying again.",
    "forbidden": "The account may not do this (wrong role, or not its data).",
    "not_found": "No such thing, or not visible to this account.",
    "method_not_allowed": "The HTTP method is not allowed on this address.",
    "client_id_taken": "This client_id belongs to another account.",
    "mutation_gap": "A mutation id was skipped; send the mutations in order without gaps.",
    "invalid_transition": "The document cannot move to that status (wrong state or actor).",
    "blob_too_large": "The file is larger than the server accepts.",
    "blob_offset_mismatch": "The chunk does not start where the stored part ends.",
    "blob_hash_mismatch": "The uploaded bytes do not have the announced SHA-256.",
    "blob_quota_exceeded": "Too many unfinished uploads for this account; finish or wait for them to expire.",
    "on_hold": "The member put this follow-up step on hold.",
    "unavailable": "The server cannot take the request right now; retry later.",
    "internal_error": "Unexpected server problem; nothing was applied.",
}

# codes carried by mutation results (the id still advances)
RESULT_CODES: Final[dict[str, str]] = {
    "ok": "Applied.",
    "conflict": "The same field changed on the server since base_version; server_value holds the server's record.",
    "document_locked": "The document is no longer a draft (submitted, validated...); its content cannot change.",
    "not_deletable": "Only drafts (never numbered) can be deleted.",
    "invalid": "The arguments are not valid; ``problems`` lists each one.",
    "invalid_transition": "The member cannot make this status change.",
    "not_found": "The record does not exist or belongs to someone else.",
    "unknown_mutation": "The mutation name is not one this server knows.",
    "receipt_missing": "A receipt the document refers to was never uploaded.",
    "over_quote": "This invoice and the others made from its quote go beyond the quote's total.",
}


class Cursor(TypedDict):
    epoch: str
    rev: int


class Mutation(TypedDict):
    mutation_id: int  # ``id`` is accepted as a synonym
    name: str
    args: dict[str, Any]
    base_version: int
    entity_id: NotRequired[str]


class PushRequest(TypedDict):
    protocol_version: int
    schema_version: int
    client_id: str
    mutations: list[Mutation]


class MutationResult(TypedDict):
    mutation_id: int
    status: Literal["ok", "rejected", "conflict"]
    code: str
    message: str
    server_value: NotRequired[dict[str, Any] | None]
    server_version: NotRequired[int]
    problems: NotRequired[list[dict[str, str]]]


class PushResponse(TypedDict):
    last_mutation_id: int
    results: list[MutationResult]


class PullRequest(TypedDict):
    protocol_version: int
    schema_version: int
    client_id: str
    cursor: Cursor | None
    limit: NotRequired[int]


class Change(TypedDict):
    entity: str  # one of ENTITY_TYPES
    id: str
    version: int
    deleted: bool
    value: dict[str, Any] | None  # None for a tombstone


class PullResponse(TypedDict):
    cursor: Cursor
    changes: list[Change]
    last_mutation_id: int
    results: list[MutationResult]
    more: bool
    reset_required: NotRequired[bool]
    # version of the lists the cooperative publishes (GET /sync/v1/catalogues); fetch them when it changes
    catalogue_version: NotRequired[str]


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The one JSON error shape."""
    return {"error": {"code": code, "message": message, **extra}}


def mutation_id_of(mutation: dict[str, Any]) -> Any:
    """The id of a wire mutation (``mutation_id``, or ``id`` for short)."""
    return mutation.get("mutation_id", mutation.get("id"))
