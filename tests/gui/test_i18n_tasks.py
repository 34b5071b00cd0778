"""Catalogue completeness, the pseudo-locale, translated problems and statuses, and the task manager."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest

from smartdesk.domain.lifecycle import Status
from smartdesk.domain.validation import MESSAGES, problem
from smartdesk.gui.tasks import TaskManager
from smartdesk.i18n import ui
from smartdesk.i18n.ui_catalogue import FR, NL, PROBLEMS_FR, PROBLEMS_NL

GUI = Path(__file__).resolve().parents[2] / "smartdesk" / "gui"


def ui_strings() -> dict[str, str]:
    """Every literal passed to _(), tr() or N_() in smartdesk/gui, with the file it is in."""
    found: dict[str, str] = {}
    for path in sorted(GUI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else ""
            arg = node.args[0]
            if name in ("_", "tr", "N_") and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, path.name)
    return found


def test_every_ui_string_has_french_and_dutch():
    strings = ui_strings()
    assert len(strings) > 200
    missing = {s: f for s, f in strings.items() if s not in FR or s not in NL}
    assert missing == {}
    for en, fr in FR.items():  # placeholders survive translation
        assert sorted(_fields(en)) == sorted(_fields(fr)), en
        assert sorted(_fields(en)) == sorted(_fields(NL[en])), en


def _fields(text: str) -> list[str]:
    import string

    return [f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f]


def test_every_validation_code_and_status_is_translated():
    assert set(PROBLEMS_FR) == set(MESSAGES) == set(PROBLEMS_NL)
    ui.set_language("nl")
    p = problem("lines[0].unit_price", "price.negative", n=1)
    assert ui.problem_text(p) == "Regel 1: een eenheidsprijs kan niet negatief zijn. Gebruik een korting of een creditnota."
    ui.set_language("fr")
    assert ui.problem_text(p).startswith("Ligne 1 : un prix unitaire")
    for status in Status:
        assert ui.status_text(status) and ui.status_text(status) != status.value
    assert ui.status_text("formal_notice") == "Mise en demeure"
    ui.set_language("en")
    assert ui.problem_text(p) == p.message


def test_pseudo_locale_is_longer_and_keeps_placeholders(monkeypatch):
    monkeypatch.setenv(ui.ENV_UI_LANG, "pseudo")
    assert ui.set_language("fr") == "pseudo"
    text = ui.tr("{n} change(s) not sent yet", n=3)
    assert text.startswith("[3 ") and len(text) > len("3 change(s) not sent yet") * 1.3
    assert ui._("<b>Lines</b>").count("<b>") == 1


def test_task_manager_writes_in_order_on_one_thread_and_reports_errors(qapp):
    tasks = TaskManager()
    seen: list[int] = []
    threads: set[int] = set()
    errors: list[BaseException] = []

    def job(i: int) -> int:
        threads.add(threading.get_ident())
        return i

    for i in range(50):
        tasks.write(lambda i=i: job(i), seen.append)
    tasks.write(lambda: 1 / 0, None, errors.append)
    pool_result: list[str] = []
    tasks.run(lambda: "pooled", pool_result.append)
    tasks.flush()
    assert seen == list(range(50))
    assert len(threads) == 1 and threading.get_ident() not in threads
    assert isinstance(errors[0], ZeroDivisionError)
    assert pool_result == ["pooled"]
    assert tasks.pending == 0
    tasks.close()
    with pytest.raises(RuntimeError):
        tasks.write(lambda: None)


def test_application_identity_and_icon(qapp) -> None:
    from smartdesk.gui.app import make_app

    app = make_app([])
    assert app.applicationName() == "SmartDesk" and app.organizationName() == "SMart"
    assert not app.windowIcon().isNull()
    assert len(app.windowIcon().availableSizes()) >= 4
