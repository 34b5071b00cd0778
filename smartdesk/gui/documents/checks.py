"""The editor's pre-flight check: the official e-invoice rules run on the document as the member types.

An invoice or credit note to a business becomes the e-invoice the cooperative will send (Peppol UBL for
a Belgian issuer, CII for a French one: ``einvoice.preferred_syntax``) and is checked with every rule
set that applies (EN 16931, Peppol, UBL.BE, the French CTC rules). The check is debounced, runs on the
task pool (never on the GUI thread) and a newer check supersedes an older one: only one runs at a time,
and a result for a state of the document that is no longer on screen is dropped.

Every fatal rule is shown in plain words (FR/NL/EN) under the field it concerns, with its rule id in
small grey text and the rule set's own sentence in the tooltip for the advisor; rules that concern no
editable field go to one summary area under the totals. A B2B invoice with fatal errors cannot be sent
for validation (``allows_submit``). Without Saxon (``saxonche``) or the rule sets, nothing is checked and
nothing is blocked; the summary says so in one grey line only when a check was wanted.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from smartdesk import einvoice
from smartdesk.domain.documents import Client, CooperativeEntity, Document, DocumentKind
from smartdesk.domain.lifecycle import is_editable
from smartdesk.einvoice import Finding
from smartdesk.gui.errors import error_text
from smartdesk.gui.tasks import TaskManager
from smartdesk.gui.widgets.docs_labels import problem_label
from smartdesk.i18n import ui
from smartdesk.i18n.ui import N_, _, ntr, tr

DEFAULT_DELAY_MS = 700

# the editor rows a finding's field is shown under (einvoice.Finding.field -> editor problem row)
_ROWS: dict[str, str] = {
    "reference": "reference",
    "order_reference": "reference",
    "client": "client_id",
    "client_id": "client_id",
    "issue_date": "issue_date",
    "delivery_date": "issue_date",
    "due_date": "due_date",
    "title": "title",
    "currency": "currency",
    "language": "language",
}
# the caption of each row, for the reason a submission is refused: the editor's own captions, whose
# translations come from editor.py (not marked here, so that their catalogue entries stay where they are)
_ROW_NAMES: dict[str, str] = {
    "reference": "Your reference",
    "client_id": "Client",
    "issue_date": "Date",
    "due_date": "Due date",
    "title": "Title",
    "currency": "Currency",
    "language": "Document language",
    "lines": "Lines",
}

Subject = tuple[Document, Client, CooperativeEntity]
Checker = Callable[..., list[Finding]]


def row_for(finding_field: str) -> str:
    """The editor row a finding is shown under: a header row, ``lines``, or ``""`` (the summary)."""
    if finding_field.startswith("lines"):
        return "lines"
    if finding_field.startswith("client."):
        return "client_id"
    return _ROWS.get(finding_field, "")


def needs_einvoice(doc: Document, client: Client | None) -> bool:
    """Is this document an e-invoice the rules must pass? An invoice or credit note to a business, still
    being written. Quotes, expense notes and invoices to private clients are not checked."""
    return (
        doc.kind in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE)
        and client is not None
        and client.is_business
        and is_editable(doc.status)
    )


@dataclass(frozen=True)
class PreflightResult:
    """What one check found, for one state of the document."""

    generation: int
    findings: tuple[Finding, ...] = ()
    unavailable: str = ""  # why nothing could be checked (no Saxon, no rule sets), in plain words
    failed: str = ""  # the document cannot become an e-invoice at all (the rules did not run)
    rule_sets: tuple[str, ...] = field(default=())

    @property
    def fatal(self) -> list[Finding]:
        return [f for f in self.findings if f.fatal]


def run_check(subject: Subject, generation: int, checker: Checker) -> PreflightResult:
    """Runs on a pool thread: the document becomes its e-invoice and is checked. Never raises for what a
    member or a missing install can cause: that comes back in the result."""
    doc, client, entity = subject
    syntax = einvoice.preferred_syntax(entity)
    sets = tuple(s.title for s in einvoice.rules.sets_for(syntax, entity.country))
    try:
        findings = checker(doc, client=client, entity=entity, syntax=syntax)
    except ImportError:
        return PreflightResult(generation, unavailable=N_("the e-invoice checker (Saxon) is not installed"))
    except einvoice.ValidationSetupError:
        return PreflightResult(generation, unavailable=N_("the official rule sets are not installed"))
    except einvoice.EInvoiceError as exc:
        return PreflightResult(generation, failed=error_text(exc), rule_sets=sets)
    return PreflightResult(generation, findings=tuple(findings), rule_sets=sets)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _finding_html(f: Finding) -> str:
    return (
        f"{_esc(f.message(ui.language()))} "
        f"<span style='color:#8a8a8a; font-size:small'>{_esc(f.rule_id)}</span>"
    )


def _finding_tip(f: Finding) -> str:
    parts = [f"{f.rule_id} ({f.rule_set}): {f.rule_text}"]
    if f.location:
        parts.append(f.location)
    return "\n".join(parts)


class PreflightCheck(QObject):
    """Schedules, runs and shows the e-invoice check of the editor's document.

    ``subject()`` returns the document, its client and issuing entity as on screen (or ``None``);
    ``delay_ms`` is the debounce after the last change; ``checker`` is ``einvoice.check`` (a test can
    give the same function wrapped, to count or slow its calls)."""

    shown = Signal()  # a result (or "nothing to check") is on screen

    def __init__(
        self,
        tasks: TaskManager,
        subject: Callable[[], Subject | None],
        rows: Sequence[str],
        *,
        delay_ms: int = DEFAULT_DELAY_MS,
        checker: Checker | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._subject = subject
        self._checker: Checker = checker or einvoice.check
        self._generation = 0  # bumped by every change: a result of an older one is stale
        self._running: int | None = None  # the generation being checked on the pool
        self._wanted = False  # a check of the current generation is wanted (timer fired or asked)
        self.result: PreflightResult | None = None  # the last result shown, for the current generation
        self._on_result: list[Callable[[PreflightResult], None]] = []
        self._warming = False  # the rule sets' compiling was started (once, when first needed)
        self.labels: dict[str, QLabel] = {row: problem_label(f"rule_{row}") for row in rows}
        self.lines_label = problem_label("rule_lines")
        self.summary = QLabel()
        self.summary.setObjectName("rule_summary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._fire)

    # --- scheduling ------------------------------------------------------------------------------------
    @property
    def delay_ms(self) -> int:
        return self._timer.interval()

    @delay_ms.setter
    def delay_ms(self, value: int) -> None:
        self._timer.setInterval(value)

    @property
    def current(self) -> bool:
        """Is the result on screen the one of the document as it is now?"""
        return self.result is not None and self.result.generation == self._generation

    def schedule(self) -> None:
        """The document changed: what is shown is stale; check again once the member pauses."""
        self._generation += 1
        subject = self._subject()
        if subject is None or not needs_einvoice(subject[0], subject[1]):
            self._timer.stop()
            self._show(PreflightResult(self._generation))
            return
        if not self._warming:  # the first document that needs the rules: compile them while the member reads
            self._warming = True
            start_warm_up(self.tasks, [subject[2].code])
        self._timer.start()

    def check_now(self, then: Callable[[PreflightResult], None] | None = None) -> None:
        """Check the current state without waiting for the pause; ``then`` gets the result."""
        if then is not None:
            if self.current and self.result is not None:
                then(self.result)
                return
            self._on_result.append(then)
        self._timer.stop()
        self._fire()

    def _fire(self) -> None:
        self._wanted = True
        if self._running is not None:
            return  # one check at a time: the newer one starts when this one ends
        subject = self._subject()
        if subject is None or not needs_einvoice(subject[0], subject[1]):
            self._wanted = False
            self._show(PreflightResult(self._generation))
            return
        self._wanted = False
        generation = self._generation
        doc, client, entity = subject
        snapshot: Subject = (copy.deepcopy(doc), copy.deepcopy(client), entity)
        self._running = generation
        checker = self._checker
        self.tasks.run(lambda: run_check(snapshot, generation, checker), self._finished, self._crashed)

    def _finished(self, result: object) -> None:
        self._running = None
        if isinstance(result, PreflightResult) and result.generation == self._generation:
            self._wanted = False
            self._show(result)
        elif self._wanted or self._on_result:
            self._fire()  # stale: the document changed meanwhile; check what is on screen now
        # else the debounce timer is running and checks the newer state when it fires

    def _crashed(self, exc: BaseException) -> None:
        checked, self._running = self._running, None
        if checked != self._generation:  # for a state no longer on screen: check the current one
            if self._wanted or self._on_result:
                self._fire()
            return
        self._wanted = False
        self._show(
            PreflightResult(
                self._generation, failed=tr("The e-invoice check failed: {error}", error=error_text(exc))
            )
        )

    # --- showing -----------------------------------------------------------------------------------------
    def _show(self, result: PreflightResult) -> None:
        self.result = result
        by_row: dict[str, list[Finding]] = {}
        for f in result.fatal:
            by_row.setdefault(row_for(f.field), []).append(f)
        for row, label in self.labels.items():
            found = by_row.pop(row, [])
            label.setText("<br>".join(_finding_html(f) for f in found))
            label.setToolTip("\n\n".join(_finding_tip(f) for f in found))
            label.setVisible(bool(found))
        lines = sorted(by_row.pop("lines", []), key=lambda f: f.field)
        self.lines_label.setText(
            "<br>".join(
                (tr("Line {n}: ", n=int(f.field[6:-1]) + 1) if f.field.startswith("lines[") else "")
                + _finding_html(f)
                for f in lines
            )
        )
        self.lines_label.setToolTip("\n\n".join(_finding_tip(f) for f in lines))
        self.lines_label.setVisible(bool(lines))
        rest = [f for found in by_row.values() for f in found]
        self._show_summary(result, rest)
        self.shown.emit()
        waiting, self._on_result = self._on_result, []
        for then in waiting:
            then(result)

    def _show_summary(self, result: PreflightResult, rest: list[Finding]) -> None:
        subject = self._subject()
        wanted = subject is not None and needs_einvoice(subject[0], subject[1])
        if not wanted:
            self.summary.hide()
            return
        if result.unavailable:
            text = _esc(
                tr(
                    "The e-invoice is not checked on this computer ({why}); your advisor checks it "
                    "before it is sent.",
                    why=_(result.unavailable),
                )
            )
            style = "color: #6b6b6b;"
        elif result.failed:
            text, style = _esc(result.failed), "color: #c0392b;"
        elif not result.fatal:
            text = _esc(
                tr(
                    "E-invoice checked: it meets the official rules ({sets}).",
                    sets=", ".join(result.rule_sets),
                )
            )
            style = "color: #1e7e34;"
        else:
            head = ntr(
                "The e-invoice does not meet {n} official rule yet ({sets}):",
                "The e-invoice does not meet {n} official rules yet ({sets}):",
                len(result.fatal),
                n=len(result.fatal),
                sets=", ".join(result.rule_sets),
            )
            text = _esc(head)
            if rest:
                text += "<br>" + "<br>".join(_finding_html(f) for f in rest)
            else:
                text += " " + _esc(_("see the fields marked in red."))
            style = "color: #c0392b;"
        self.summary.setText(text)
        self.summary.setToolTip("\n\n".join(_finding_tip(f) for f in rest))
        self.summary.setStyleSheet(f"QLabel#rule_summary {{ {style} }}")
        self.summary.show()

    # --- submitting --------------------------------------------------------------------------------------
    def refusal(self) -> str:
        """Why the current result forbids sending the document for validation ("" when it does not)."""
        result = self.result
        subject = self._subject()
        if result is None or subject is None or not needs_einvoice(subject[0], subject[1]):
            return ""
        if not result.fatal:
            return ""
        rows: list[str] = []
        for f in result.fatal:
            row = row_for(f.field)
            name = _(_ROW_NAMES[row]) if row in _ROW_NAMES else _("the summary under the totals")
            if name not in rows:
                rows.append(name)
        first = result.fatal[0]
        return tr(
            "This invoice to a business must be a valid e-invoice before it is sent. Complete: {fields}. "
            "First: {message}",
            fields=", ".join(rows),
            message=first.message(ui.language()),
        )

    def widgets(self) -> list[QWidget]:
        return [*self.labels.values(), self.lines_label, self.summary]


def warm_up_order(entity_codes: Sequence[str]) -> list[einvoice.RuleSet]:
    """The rule sets to compile at start, those of the member's own entities first (most used first),
    each once: a Belgian member's first check then needs no compiling at all."""
    from smartdesk.domain.entities import entity_for

    order: list[einvoice.RuleSet] = []
    for code in [*entity_codes, "BE"]:
        try:
            entity = entity_for(code)
        except Exception:  # noqa: BLE001 - an unknown entity code: nothing to compile for it
            continue
        for rule_set in einvoice.rules.sets_for(einvoice.preferred_syntax(entity), entity.country):
            if rule_set not in order:
                order.append(rule_set)
    return order


def warm_up(sets: Sequence[einvoice.RuleSet]) -> int:
    """Compile ``sets`` one by one (the Saxon lock is let go between two, so that a check asked for
    meanwhile does not wait for all of them); returns how many were compiled. Without Saxon or the rule
    sets it does nothing: the editor says so when a check is wanted."""
    done = 0
    for rule_set in sets:
        try:
            einvoice.warm_up([rule_set])
        except (ImportError, einvoice.ValidationSetupError):
            return done
        done += 1
    return done


def start_warm_up(tasks: TaskManager, entity_codes: Sequence[str]) -> int:
    """Compile the rule sets on the task pool (never blocking the window). Started when an editor first
    shows a document that needs them, not at start-up: the compiled rules hold about 270 MB, which a
    member who never sends an e-invoice should not pay for."""
    sets = warm_up_order(entity_codes)
    return tasks.run(lambda: warm_up(sets))
