"""One error hierarchy for the whole client (ARCHITECTURE rule 9).

Every error carries a plain-language message that says what happened and what to do. A message that
contains values (a file name, a size...) is built as a :class:`Message`: the English text for the CLI
and the logs, plus the template and the values, so the window can show it in the member's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self


class Message(str):
    """An English sentence that remembers the template and values it was made from.

    ``Message("The file {name} is empty.", name="a.jpg")`` *is* the string "The file a.jpg is empty.";
    ``.template`` and ``.params`` let ``smartdesk.i18n.ui.message_text`` translate the template and fill
    it again. A value that is itself a ``Message`` (e.g. a word such as "rotated") is translated too.
    """

    template: str
    params: dict[str, Any]
    plural: str | None = None  # a counted message: the plural template, ``template`` being the singular
    count: int = 0

    def __new__(cls, template: str, /, **params: Any) -> Message:
        self = super().__new__(cls, template.format(**params) if params else template)
        self.template = template
        self.params = params
        return self

    @classmethod
    def counted(cls, singular: str, plural: str, count: int, /, **params: Any) -> Message:
        """A sentence about ``count`` things: ``Message.counted("{count} problem to fix:", "{count}
        problems to fix:", n, count=n)``; the interface picks its language's plural form (ngettext)."""
        self = cls(singular if count == 1 else plural, **params)
        self.template, self.plural, self.count = singular, plural, count
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_message, (self.template, self.params, self.plural, self.count))


def _message(template: str, params: dict[str, Any], plural: str | None = None, count: int = 0) -> Message:
    return (
        Message(template, **params) if plural is None else Message.counted(template, plural, count, **params)
    )


class SmartDeskError(Exception):
    """Base of every error SmartDesk raises on purpose. ``str(err)`` is readable by a member.

    ``message`` may be a plain string (a fixed sentence) or a :class:`Message` (a sentence with values);
    either way ``str(err)`` and ``err.message`` are the English text, and ``err.template`` /
    ``err.params`` are what the interface translates.
    """

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def template(self) -> str:
        return getattr(self.message, "template", self.message)

    @property
    def params(self) -> dict[str, Any]:
        return dict(getattr(self.message, "params", {}))

    @classmethod
    def of(cls, template: str, /, **params: Any) -> Self:
        """``SmartDeskError.of("The file {name} ...", name=...)``: shorthand for ``cls(Message(...))``
        (for the classes whose only argument is the message)."""
        return cls(Message(template, **params))


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
        self.summary: str = summary or Message.counted(
            "{count} problem to fix:",
            "{count} problems to fix:",
            len(self.problems),
            count=len(self.problems),
        )
        super().__init__(self.summary + ("\n" + "\n".join(lines) if lines else ""))


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
