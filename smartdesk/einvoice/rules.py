"""The official rule sets (compiled Schematron, XSLT 2.0) run with Saxon, each compiled once per process.

Where the rule sets are: ``$SMARTDESK_VALIDATION_DIR`` when set, else the first ``shared/validation``
or ``../shared/validation`` folder found beside the source tree (the CI clone has it beside the repo),
else ``resources/validation`` inside the installation (the app bundle's own copy).

Saxon's processor is not shared between threads safely, so every run holds one lock; compiled
stylesheets are kept for the life of the process. ``check_xml`` is safe to call from any thread.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from smartdesk.errors import Message, SmartDeskError

ENV_DIR = "SMARTDESK_VALIDATION_DIR"
MAX_XML_BYTES = 20 * 1024 * 1024


class Syntax(StrEnum):
    UBL = "ubl"
    CII = "cii"


@dataclass(frozen=True)
class RuleSet:
    key: str  # "en16931", "peppol", "ublbe", "fr-ctc"
    title: str
    syntax: Syntax
    relative: str  # path below the validation folder
    # rule ids of this set that contradict a rule of a set that wins over it; reported as warnings
    waived: tuple[tuple[str, str], ...] = ()


RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet("en16931", "EN 16931 (UBL)", Syntax.UBL, "en16931-1.3.16/EN16931-UBL-validation.xslt"),
    RuleSet("en16931", "EN 16931 (CII)", Syntax.CII, "en16931-1.3.16/EN16931-CII-validation.xslt"),
    RuleSet("peppol", "Peppol BIS Billing 3.0", Syntax.UBL, "peppol-bis-3.0.21/PEPPOL-EN16931-UBL.xslt"),
    RuleSet(
        "ublbe",
        "UBL.BE 1.31",
        Syntax.UBL,
        "ublbe-1.31/GLOBALUBL.BE.xslt",
        waived=(
            (
                "PEPPOL-EN16931-R004",
                "UBL.BE wants its own CustomizationID; Peppol BIS 3.0 (PEPPOL-EN16931-R004) "
                "wants Peppol's, and Peppol is how Belgian invoices travel",
            ),
            ("ubl-BE-11", "UBL.BE wants Belgian BETE exemption codes; EN 16931 (BR-CL-22) wants VATEX codes"),
        ),
    ),
    RuleSet(
        "fr-ctc", "France CTC 1.4 (CII)", Syntax.CII, "france-ctc-1.4.0.03/BR-FR-Flux2-Schematron-CII.xslt"
    ),
    RuleSet(
        "fr-ctc",
        "France CTC 1.4 (UBL)",
        Syntax.UBL,
        "france-ctc-1.4.0.03/BR-FR-Flux2-Schematron-UBL.xslt",
        waived=(
            (
                "BR-FR-08_BT-23",
                "the French billing mode goes in ProfileID, where Peppol BIS 3.0 "
                "(PEPPOL-EN16931-R007) wants its own process id: a French issuer's "
                "billing mode travels in CII / Factur-X",
            ),
        ),
    ),
)


class ValidationSetupError(SmartDeskError):
    exit_code = 6


class Severity(StrEnum):
    FATAL = "fatal"
    WARNING = "warning"


@dataclass(frozen=True)
class RawFinding:
    """One failed assertion as the rule set reports it."""

    rule_set: str
    rule_id: str
    severity: Severity
    text: str  # the rule set's own sentence (English, or French for the BR-FR rules)
    location: str  # XPath of the element concerned
    test: str = ""
    waived_because: str = ""


def _candidates() -> list[Path]:
    here = Path(__file__).resolve()
    found: list[Path] = []
    env = os.environ.get(ENV_DIR)
    if env:
        found.append(Path(env))
    for parent in list(here.parents)[1:5]:
        found += [parent / "shared" / "validation", parent.parent / "shared" / "validation"]
    from smartdesk.resources import resource_path

    found.append(resource_path("validation"))
    return found


@cache
def validation_dir() -> Path:
    """The folder of the rule sets; a clear error when none is there."""
    candidates = _candidates()
    env = os.environ.get(ENV_DIR)
    if env:
        path = Path(env)
        if not (path / "en16931-1.3.16").is_dir():
            raise ValidationSetupError(
                Message(
                    "{var} is {path}, but the e-invoice rule sets (en16931-1.3.16/ ...) are not there.",
                    var=ENV_DIR,
                    path=str(path),
                )
            )
        return path
    for path in candidates:
        if (path / "en16931-1.3.16").is_dir():
            return path
    raise ValidationSetupError(
        Message(
            "The official e-invoice rule sets are missing (looked in {places}). Set {var} to the folder "
            "that holds en16931-1.3.16/, peppol-bis-3.0.21/, ublbe-1.31/ and france-ctc-1.4.0.03/.",
            places=", ".join(str(p) for p in candidates[:3]),
            var=ENV_DIR,
        )
    )


_lock = threading.RLock()
_compiled: dict[str, Any] = {}
_processor: Any = None


def _saxon() -> Any:
    global _processor
    if _processor is None:
        from smartdesk.einvoice.packed_saxon import ensure_core

        ensure_core()  # the Linux bundle packs Saxon's core library (build.spec)
        from saxonche import PySaxonProcessor

        _processor = PySaxonProcessor(license=False)
    return _processor


def _executable(rule_set: RuleSet) -> Any:
    exe = _compiled.get(rule_set.relative)
    if exe is None:
        path = validation_dir() / rule_set.relative
        if not path.is_file():
            raise ValidationSetupError(Message("The rule set {file} is missing.", file=str(path)))
        exe = _saxon().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))
        _compiled[rule_set.relative] = exe
    return exe


def warm_up(sets: Iterable[RuleSet] = RULE_SETS) -> None:
    """Compile rule sets ahead of the first check (e.g. on a worker thread at start)."""
    with _lock:
        for rule_set in sets:
            _executable(rule_set)


def sets_for(syntax: Syntax, issuer_country: str) -> list[RuleSet]:
    """EN 16931 always; Peppol for UBL; UBL.BE for a Belgian issuer (UBL); French CTC for a French one."""
    keys = {"en16931"}
    if syntax is Syntax.UBL:
        keys.add("peppol")
        if issuer_country == "BE":
            keys.add("ublbe")
    if issuer_country == "FR":
        keys.add("fr-ctc")
    return [s for s in RULE_SETS if s.syntax is syntax and s.key in keys]


_ASSERT_RE = re.compile(r"<svrl:failed-assert\b(?P<attrs>[^>]*)>(?P<body>.*?)</svrl:failed-assert>", re.S)
_ATTR_RE = re.compile(r'(\w+)="([^"]*)"')
_TEXT_RE = re.compile(r"<svrl:text>(.*?)</svrl:text>", re.S)
_TAG_RE = re.compile(r"<[^>]+>")


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def parse_svrl(svrl: str, rule_set: RuleSet) -> list[RawFinding]:
    """Failed assertions of an SVRL report. (SVRL is Saxon's output, not the checked file.)"""
    waived = dict(rule_set.waived)
    out: list[RawFinding] = []
    for match in _ASSERT_RE.finditer(svrl):
        attrs = {k: _unescape(v) for k, v in _ATTR_RE.findall(match.group("attrs"))}
        text_match = _TEXT_RE.search(match.group("body"))
        text = " ".join(_unescape(_TAG_RE.sub("", text_match.group(1))).split()) if text_match else ""
        rule_id = attrs.get("id", "")
        severity = Severity.WARNING if attrs.get("flag", "fatal") == "warning" else Severity.FATAL
        reason = waived.get(rule_id, "")
        if reason:
            severity = Severity.WARNING
        out.append(
            RawFinding(
                rule_set=rule_set.key,
                rule_id=rule_id,
                severity=severity,
                text=text,
                location=attrs.get("location", ""),
                test=attrs.get("test", ""),
                waived_because=reason,
            )
        )
    return out


def run_rule_sets(xml: bytes, sets: Iterable[RuleSet]) -> list[RawFinding]:
    """Run each rule set on ``xml`` (already checked safe by the caller)."""
    findings: list[RawFinding] = []
    with _lock:
        proc = _saxon()
        node = proc.parse_xml(xml_text=xml.decode("utf-8"))
        for rule_set in sets:
            svrl = _executable(rule_set).transform_to_string(xdm_node=node)
            findings.extend(parse_svrl(svrl or "", rule_set))
    return findings
