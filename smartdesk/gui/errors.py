"""The one place that turns an error into plain words for the window (light: no page imports)."""

from __future__ import annotations

from smartdesk.errors import SmartDeskError, ValidationError
from smartdesk.i18n.ui import N_, _, message_text, problem_text, tr

FILE_PROBLEM = N_("The file could not be used ({reason}). Check the folder and the file, then try again.")
SOMETHING_WENT_WRONG = N_(
    "Something went wrong. Your work is saved; try again, and tell the support team if it happens again."
)


def error_text(exc: BaseException) -> str:
    """A SmartDesk error's own message in the interface language (its template translated, then its
    values filled in); anything else, a plain sentence that never shows a stack trace."""
    if isinstance(exc, ValidationError):
        return "\n".join([message_text(exc.summary), *(f"- {problem_text(p)}" for p in exc.problems)])
    if isinstance(exc, SmartDeskError):
        return message_text(exc.message)
    if isinstance(exc, OSError):  # a folder that cannot be written, a disk that is full: the system's words
        return tr(FILE_PROBLEM, reason=exc.strerror or exc.__class__.__name__)
    return _(SOMETHING_WENT_WRONG)


def problem_lines(exc: BaseException) -> list[str]:
    """One line per problem of a refused input, in the interface language; one line otherwise."""
    if isinstance(exc, ValidationError):
        return [problem_text(p) for p in exc.problems]
    return [error_text(exc)]
