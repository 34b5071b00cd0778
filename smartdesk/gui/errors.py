"""The one place that turns an error into plain words for the window (light: no page imports)."""

from __future__ import annotations

from smartdesk.errors import SmartDeskError, ValidationError
from smartdesk.i18n.ui import N_, _, problem_text

SOMETHING_WENT_WRONG = N_("Something went wrong. Your work is saved; try again, and tell the support team if it "
                          "happens again.")


def error_text(exc: BaseException) -> str:
    """A SmartDesk error's own message (translated when the catalogue knows it); anything else, a
    plain sentence that never shows a stack trace."""
    if isinstance(exc, SmartDeskError):
        return _(exc.message)
    return _(SOMETHING_WENT_WRONG)


def problem_lines(exc: BaseException) -> list[str]:
    """One line per problem of a refused input, in the interface language; one line otherwise."""
    if isinstance(exc, ValidationError):
        return [problem_text(p) for p in exc.problems]
    return [error_text(exc)]
