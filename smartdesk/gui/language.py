"""Change the interface language of a running window, in place (issue 16, decision 0029).

Nothing is rebuilt: every text a widget shows (labels, buttons, menus, actions, tooltips, combo box
items, tabs, list items, spin box suffixes, undo steps) is looked up in the catalogue of the language
it was written in and replaced with the same message in the new language. Widgets, their event bus
connections, timers, running tasks, the open document, its undo history and whatever the member was
typing stay as they were. Texts made of a template and values (``tr("Back to {page}", page=...)``) are
matched against the templates of the old language and filled again, their values translated too.

Texts computed from data (figures, totals, a document's heading) are shown again by their screen
afterwards (``refresh``); item models are asked again by their views (``data()`` and ``headerData()``
translate when called).

A widget whose texts must stay as they are (the list of languages, each in its own language) carries
the property ``KEEP_TEXT``.
"""

from __future__ import annotations

import gettext
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QToolBox,
    QTreeView,
    QTreeWidget,
    QWidget,
)

from smartdesk.i18n import ui

KEEP_TEXT = "smartdeskKeepText"  # a widget property: True = its texts are not translated
_FIELD = re.compile(r"\{(\w*)[^{}]*\}")
_JOIN = " · "  # texts shown side by side in one label
_VALUE = "((?:(?! · ).)+?)"  # a value never holds the separator of texts side by side
_LEAD = re.compile(r"^(?:\s|<[a-z][a-z0-9]*>|[●○◀▶•·–—+*(])+")
_TRAIL = re.compile(r"(?:\s+\([^()]{1,20}\)|\s|</[a-z][a-z0-9]*>|[:)])+$")  # "(F5)": a shortcut


@dataclass(frozen=True)
class _Message:
    context: str | None
    msgid: str
    plural: str | None


def catalogue_messages(paths: Iterable[Path]) -> list[_Message]:
    """Every message of the compiled catalogues (msgid, context, plural), read from the ``.mo`` files:
    ``gettext`` keeps the translations only, not the English plural nor the list of contexts."""
    found: dict[tuple[str | None, str], _Message] = {}
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        magic = struct.unpack("<I", data[:4])[0]
        order = "<" if magic == 0x950412DE else ">"
        _rev, count, originals = struct.unpack(order + "3I", data[4:16])
        for i in range(count):
            length, offset = struct.unpack(order + "2I", data[originals + 8 * i : originals + 8 * i + 8])
            raw = data[offset : offset + length].decode("utf-8")
            if not raw:
                continue  # the header
            context: str | None = None
            if "\x04" in raw:
                context, raw = raw.split("\x04", 1)
            msgid, _sep, plural = raw.partition("\x00")
            found.setdefault((context, msgid), _Message(context, msgid, plural or None))
    return list(found.values())


class _Template:
    """An old-language text with placeholders, as a pattern that gives back the values (compiled the
    first time a text starts and ends like it: most never do)."""

    def __init__(self, message: _Message, text: str) -> None:
        self.message = message
        self.names: list[str] = []
        self._text = text
        self._regex: re.Pattern[str] | None = None
        fields = list(_FIELD.finditer(text))
        self.prefix = text[: fields[0].start()]
        self.suffix = text[fields[-1].end() :]

    def _compiled(self) -> re.Pattern[str]:
        if self._regex is None:
            pattern: list[str] = []
            last = 0
            for m in _FIELD.finditer(self._text):
                pattern.append(re.escape(self._text[last : m.start()]))
                pattern.append(_VALUE if m.group(1) not in self.names else "(?:.+?)")
                if m.group(1) not in self.names:
                    self.names.append(m.group(1))
                last = m.end()
            pattern.append(re.escape(self._text[last:]))
            self._regex = re.compile("".join(pattern), re.DOTALL)
        return self._regex

    def values(self, shown: str) -> dict[str, str] | None:
        if not (shown.startswith(self.prefix) and shown.endswith(self.suffix)):
            return None
        m = self._compiled().fullmatch(shown)
        return dict(zip(self.names, m.groups(), strict=True)) if m else None


class Retranslator:
    """Turns texts written in one interface language into the same messages in another."""

    def __init__(
        self,
        old: gettext.NullTranslations,
        new: gettext.NullTranslations,
        messages: Iterable[_Message],
        value: Callable[[str], str] | None = None,
    ) -> None:
        self.old, self.new = old, new
        self.value = value or (lambda v: v)  # a value in a text (an amount) written again in the new language
        self.exact: dict[str, str] = {}
        self.templates: list[_Template] = []
        for message in messages:
            for n in (1, 2) if message.plural else (None,):
                before, after = self._text(old, message, n), self._text(new, message, n)
                if _FIELD.search(before):
                    if before.count("{") == len(_FIELD.findall(before)) and "{" in before:
                        self.templates.append(_Template(message, before))
                    continue
                if before != after and (before not in self.exact or message.context is None):
                    self.exact[before] = after
        self.templates.sort(key=lambda t: -len(t.prefix))  # the most specific first
        self._by_start: dict[str, list[_Template]] = {}  # by the first letter of their fixed start
        for template in self.templates:
            self._by_start.setdefault(template.prefix[:1], []).append(template)
        self._seen: dict[str, str | None] = {}

    @staticmethod
    def _text(t: gettext.NullTranslations, m: _Message, n: int | None) -> str:
        if m.plural is not None and n is not None:
            if m.context is not None:
                return t.npgettext(m.context, m.msgid, m.plural, n)
            return t.ngettext(m.msgid, m.plural, n)
        return t.pgettext(m.context, m.msgid) if m.context is not None else t.gettext(m.msgid)

    def text(self, shown: str) -> str:
        """``shown`` in the new language, or unchanged when it is not a text of the catalogue."""
        if not shown:
            return shown
        found = self._lookup(shown)
        if found is not None:
            return found
        if "\n" in shown:
            return "\n".join(self.text(line) for line in shown.split("\n"))
        lead = _LEAD.match(shown)
        trail = _TRAIL.search(shown)
        start = lead.end() if lead else 0
        end = trail.start() if trail else len(shown)
        if (start or end < len(shown)) and start < end:
            core = self._lookup(shown[start:end])
            if core is not None:
                return shown[:start] + core + shown[end:]
        return self.value(shown)

    def _lookup(self, shown: str) -> str | None:
        if shown in self.exact:
            return self.exact[shown]
        if shown not in self._seen:
            self._seen[shown] = self._match(shown)
        return self._seen[shown]

    def _match(self, shown: str) -> str | None:
        candidates = self._by_start.get(shown[:1], []) + self._by_start.get("", [])
        for template in candidates:
            values = template.values(shown)
            if values is None:
                continue
            filled = {k: self.exact[v] if v in self.exact else self.value(v) for k, v in values.items()}
            m = template.message
            count = next((int(v) for k, v in values.items() if k in ("n", "count") and v.isdigit()), 2)
            pattern = self._text(self.new, m, count if m.plural else None)
            try:
                return pattern.format(**filled)
            except (KeyError, IndexError, ValueError):
                return None
        start = shown.find(_JOIN)
        while start >= 0:  # "Total of these 3: €12.00 · paid {paid} · still due {due}": two texts
            left, right = self._lookup(shown[:start]), self._lookup(shown[start + len(_JOIN) :])
            if left is not None and right is not None:
                return left + _JOIN + right
            start = shown.find(_JOIN, start + 1)
        return None


def retranslator(old_lang: str, new_lang: str, old_locale: str = "") -> Retranslator:
    """From the interface catalogue of ``old_lang`` to that of ``new_lang`` (``en``: the English text);
    amounts written in ``old_locale`` are written again in the current one."""
    from smartdesk.gui import fmt

    langs = {*ui.UI_LANGUAGES, old_lang, new_lang} - {"en"}
    messages = catalogue_messages(ui.catalogue_path(lang) for lang in sorted(langs))

    def value(text: str) -> str:
        amount = fmt.money_in(text, old_locale) if old_locale else None
        return text if amount is None else fmt.money(amount)

    return Retranslator(ui.load(old_lang), ui.load(new_lang), messages, value)


def _set(get: Callable[[], str], put: Callable[[str], object], tr: Retranslator) -> None:
    before = get()
    after = tr.text(before)
    if after != before:
        put(after)


def _set_each(
    get: Callable[[int], str], put: Callable[[int, str], object], count: int, tr: Retranslator
) -> None:
    for i in range(count):
        before = get(i)
        after = tr.text(before)
        if after != before:
            put(i, after)


def translate_action(action: QAction, tr: Retranslator) -> None:
    explicit_tip = action.toolTip() != action.text().replace("&", "")
    _set(action.text, action.setText, tr)
    if explicit_tip:
        _set(action.toolTip, action.setToolTip, tr)
    _set(action.statusTip, action.setStatusTip, tr)


def translate_widget(w: QWidget, tr: Retranslator) -> None:
    """The texts of one widget (not its children)."""
    if w.property(KEEP_TEXT):
        return
    _set(w.toolTip, w.setToolTip, tr)
    _set(w.statusTip, w.setStatusTip, tr)
    _set(w.whatsThis, w.setWhatsThis, tr)
    if w.isWindow():
        _set(w.windowTitle, w.setWindowTitle, tr)
    if isinstance(w, QLabel):
        _set(w.text, w.setText, tr)
    elif isinstance(w, QAbstractButton):
        _set(w.text, w.setText, tr)
    elif isinstance(w, QGroupBox):
        _set(w.title, w.setTitle, tr)
    elif isinstance(w, QMenu):
        _set(w.title, w.setTitle, tr)
    elif isinstance(w, QLineEdit | QPlainTextEdit | QTextEdit):
        _set(w.placeholderText, w.setPlaceholderText, tr)  # what the member typed is left alone
    elif isinstance(w, QComboBox):
        _set_each(w.itemText, w.setItemText, w.count(), tr)
        _set(w.placeholderText, w.setPlaceholderText, tr)
        policy = w.sizeAdjustPolicy()  # its width was measured on its first words: measured again
        w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        w.setSizeAdjustPolicy(policy)
    elif isinstance(w, QSpinBox | QDoubleSpinBox):
        _set(w.prefix, w.setPrefix, tr)
        _set(w.suffix, w.setSuffix, tr)
    if isinstance(w, QAbstractSpinBox):
        _set(w.specialValueText, w.setSpecialValueText, tr)
    if isinstance(w, QTabWidget):
        _set_each(w.tabText, w.setTabText, w.count(), tr)
        _set_each(w.tabToolTip, w.setTabToolTip, w.count(), tr)
    elif isinstance(w, QToolBox):
        _set_each(w.itemText, w.setItemText, w.count(), tr)
    if isinstance(w, QAbstractItemView):
        _translate_items(w, tr)


def _translate_items(view: QAbstractItemView, tr: Retranslator) -> None:
    if isinstance(view, QListWidget):
        for i in range(view.count()):
            item = view.item(i)
            _set(item.text, item.setText, tr)
            _set(item.toolTip, item.setToolTip, tr)
    elif isinstance(view, QTableWidget):
        for r in range(view.rowCount()):
            for c in range(view.columnCount()):
                cell = view.item(r, c)
                if cell is not None:
                    _set(cell.text, cell.setText, tr)
                    _set(cell.toolTip, cell.setToolTip, tr)
        for c in range(view.columnCount()):
            head = view.horizontalHeaderItem(c)
            if head is not None:
                _set(head.text, head.setText, tr)
    elif isinstance(view, QTreeWidget):
        pending = [view.headerItem(), *(view.topLevelItem(i) for i in range(view.topLevelItemCount()))]
        while pending:
            node = pending.pop()
            if node is not None:
                _set_each(node.text, node.setText, view.columnCount(), tr)
                if node is not view.headerItem():
                    pending.extend(node.child(i) for i in range(node.childCount()))
    view.viewport().update()  # models translate in data() and headerData(): the views ask again


def translate_tree(root: QWidget, tr: Retranslator) -> None:
    """``root``, every widget inside it and their actions (each once); item views repaint (their models
    translate when asked)."""
    widgets = [root, *root.findChildren(QWidget)]
    actions: dict[int, QAction] = {}
    for w in widgets:
        translate_widget(w, tr)
        for action in w.actions():
            actions.setdefault(id(action), action)
    for action in root.findChildren(QAction):
        actions.setdefault(id(action), action)
    for action in actions.values():
        if action.menu() is None:  # a menu's own action is its title, translated with the menu
            translate_action(action, tr)
    for view in (w for w in widgets if isinstance(w, QTableView | QTreeView)):
        model = view.model()
        if model is not None and model.columnCount():
            header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
            header.headerDataChanged(Qt.Orientation.Horizontal, 0, model.columnCount() - 1)


def translate_undo(stack: QUndoStack, tr: Retranslator) -> None:
    """The names of the steps of an undo history (shown in Edit › Undo …)."""
    for i in range(stack.count()):
        command = stack.command(i)
        if command is not None:
            _set(command.text, command.setText, tr)
