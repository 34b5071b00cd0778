"""Errors of the server: every one becomes ``{"error": {"code", "message"}}``, never a stack trace."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import Any


class ApiError(Exception):
    """An HTTP error with a stable code and a plain message."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


@dataclass(eq=False)
class Rejection(Exception):
    """A permanent refusal of one mutation: recorded as its result; the mutation id still advances."""

    code: str
    message: str
    _: KW_ONLY
    status: str = "rejected"
    problems: list[dict[str, str]] | None = None
    server_value: dict[str, Any] | None = None
    server_version: int | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def result(self, mutation_id: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mutation_id": mutation_id,
            "status": self.status,
            "code": self.code,
            "message": self.message,
        }
        if self.problems:
            out["problems"] = self.problems
        if self.status == "conflict":
            out["server_value"] = self.server_value
            out["server_version"] = self.server_version or 0
        return out


def bad_request(message: str) -> ApiError:
    return ApiError(400, "invalid_request", message)


def not_found(what: str = "This") -> ApiError:
    return ApiError(404, "not_found", f"{what} does not exist or is not yours.")


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)
