"""One error hierarchy for the whole client (ARCHITECTURE rule 9).

Every error carries a plain-language message that says what happened and what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class SmartDeskError(Exception):
    """Base of every error SmartDesk raises on purpose. ``str(err)`` is readable by a member."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One validation problem: the field it concerns, a stable code and a plain message."""

    field: str
    code: str
    message: str
    params: tuple[tuple[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "message": self.message}


class ValidationError(SmartDeskError):
    exit_code = 3

    def __init__(self, problems: Sequence[Problem], summary: str | None = None) -> None:
        self.problems = list(problems)
        lines = [f"- {p.field}: {p.message}" for p in self.problems]
        text = summary or f"{len(self.problems)} problem(s) to fix:"
        super().__init__(text + ("\n" + "\n".join(lines) if lines else ""))


class TransitionError(SmartDeskError):
    """An illegal lifecycle transition (wrong state, or not the actor allowed to do it)."""

    exit_code = 4


class NotFoundError(SmartDeskError):
    exit_code = 5


class StoreError(SmartDeskError):
    """The local data file cannot be opened, migrated or written."""

    exit_code = 6


class SyncError(SmartDeskError):
    """A sync failure; ``kind`` is one of auth, network, conflict, version, server, rejected."""

    exit_code = 7

    def __init__(self, message: str, kind: str = "network", retry: bool = True) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry = retry


class AttachmentError(SmartDeskError):
    """A receipt or logo file that cannot be used (corrupt, unsupported, too large...)."""

    exit_code = 8
