"""E-invoices (no Qt): Peppol BIS 3.0 UBL, CII (EN 16931), Factur-X, their official checks and a reader.

Public API (see docs/einvoice.md):

- ``build(doc, client=, entity=)`` -> :class:`EInvoice`, the EN 16931 view of an invoice or credit note;
- ``write_ubl(doc, client=, entity=, pdf=None)``, ``write_cii(...)``, ``write_facturx(pdf, ...)`` -> bytes;
- ``check(doc, client=, entity=, syntax="ubl")`` -> ``list[Finding]``: the official rules that apply
  (EN 16931; Peppol for UBL; UBL.BE for a Belgian issuer; French CTC for a French one), each rule
  set compiled once per process; thread-safe, meant to run off the GUI thread;
- ``check_file(data)`` -> :class:`CheckReport` for any UBL / CII XML or Factur-X PDF;
- ``read_invoice(data)`` -> :class:`ReceivedInvoice`, what an expense line needs from a supplier's e-invoice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from smartdesk.domain.documents import Client, CooperativeEntity, Document
from smartdesk.einvoice import rules
from smartdesk.einvoice.messages import wording
from smartdesk.einvoice.model import EInvoice, EInvoiceError, build
from smartdesk.einvoice.reader import RateAmount, ReceivedInvoice, read_invoice
from smartdesk.einvoice.rules import RuleSet, Severity, Syntax, ValidationSetupError, warm_up
from smartdesk.einvoice.safexml import UnreadableInvoice, invoice_xml, parse_xml

__all__ = [
    "CheckReport",
    "EInvoice",
    "RateAmount",
    "ReceivedInvoice",
    "EInvoiceError",
    "Finding",
    "RuleSet",
    "Severity",
    "Syntax",
    "UnreadableInvoice",
    "ValidationSetupError",
    "build",
    "check",
    "check_file",
    "preferred_syntax",
    "check_xml",
    "read_invoice",
    "warm_up",
    "write_cii",
    "write_facturx",
    "write_ubl",
]


@dataclass(frozen=True)
class Finding:
    """One failed rule: what to fill in (FR/NL/EN), where, and the rule id for the advisor."""

    rule_id: str
    severity: Severity
    rule_set: str  # "en16931", "peppol", "ublbe", "fr-ctc"
    field: str  # document field it concerns ("reference", "client.vat_number", "lines[2]"...), or ""
    message_en: str
    message_fr: str
    message_nl: str
    rule_text: str  # the rule set's own sentence
    location: str  # XPath in the e-invoice
    waived_because: str = ""  # set when a rule contradicting a winning rule set was turned into a warning

    @property
    def fatal(self) -> bool:
        return self.severity is Severity.FATAL

    def message(self, language: str) -> str:
        return {"fr": self.message_fr, "nl": self.message_nl}.get(language[:2].lower(), self.message_en)


@dataclass(frozen=True)
class CheckReport:
    syntax: Syntax
    issuer_country: str
    rule_sets: tuple[str, ...]  # titles of the sets that ran
    findings: tuple[Finding, ...]

    @property
    def fatal(self) -> list[Finding]:
        return [f for f in self.findings if f.fatal]

    @property
    def ok(self) -> bool:
        return not self.fatal


def _findings(raw: list[rules.RawFinding], sets: list[RuleSet]) -> list[Finding]:
    titles = {s.key: s.title for s in sets}
    out = []
    seen: set[tuple[str, str]] = set()
    for r in raw:
        # UBL.BE repeats many EN 16931 and Peppol rules: one finding per rule and place is enough
        if (r.rule_id, r.location) in seen:
            continue
        seen.add((r.rule_id, r.location))
        w = wording(
            r.rule_id, titles.get(r.rule_set, r.rule_set), r.text, r.location, r.severity is Severity.FATAL
        )
        out.append(
            Finding(
                rule_id=r.rule_id,
                severity=r.severity,
                rule_set=r.rule_set,
                field=w.field,
                message_en=w.en,
                message_fr=w.fr,
                message_nl=w.nl,
                rule_text=r.text,
                location=r.location,
                waived_because=r.waived_because,
            )
        )
    return out


def write_ubl(
    doc: Document,
    *,
    client: Client,
    entity: CooperativeEntity,
    pdf: bytes | None = None,
    today: date | None = None,
) -> bytes:
    from smartdesk.einvoice.ubl import write_ubl as write

    return write(build(doc, client=client, entity=entity, today=today), pdf=pdf)


def write_cii(
    doc: Document, *, client: Client, entity: CooperativeEntity, today: date | None = None
) -> bytes:
    from smartdesk.einvoice.cii import write_cii as write

    return write(build(doc, client=client, entity=entity, today=today))


def write_facturx(
    pdf: bytes, doc: Document, *, client: Client, entity: CooperativeEntity, today: date | None = None
) -> bytes:
    from smartdesk.einvoice.facturx import make_facturx

    return make_facturx(
        pdf, write_cii(doc, client=client, entity=entity, today=today), doc=doc, entity=entity
    )


def preferred_syntax(entity: CooperativeEntity) -> Syntax:
    """The syntax a document of this issuer is checked and sent in: CII (Factur-X) for a French
    issuer, Peppol UBL otherwise."""
    return Syntax.CII if entity.country == "FR" else Syntax.UBL


def check(
    doc: Document,
    *,
    client: Client,
    entity: CooperativeEntity,
    syntax: Syntax | str = Syntax.UBL,
    today: date | None = None,
) -> list[Finding]:
    """The failed official rules of the e-invoice ``doc`` would give (a draft gets a placeholder number).

    Raises :class:`EInvoiceError` for a document that cannot be an e-invoice at all (a quote, no lines)
    and :class:`ValidationSetupError` when the rule sets are missing.
    """
    syntax = Syntax(syntax)
    xml = (
        write_ubl(doc, client=client, entity=entity, today=today)
        if syntax is Syntax.UBL
        else write_cii(doc, client=client, entity=entity, today=today)
    )
    sets = rules.sets_for(syntax, entity.country)
    return _findings(rules.run_rule_sets(xml, sets), sets)


_UBL_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote",
}
_CII_ROOT = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"


def _seller_country(root: object, syntax: Syntax) -> str:
    if syntax is Syntax.UBL:
        path = "./{*}AccountingSupplierParty/{*}Party/{*}PostalAddress/{*}Country/{*}IdentificationCode"
    else:
        path = (
            "./{*}SupplyChainTradeTransaction/{*}ApplicableHeaderTradeAgreement/{*}SellerTradeParty/"
            "{*}PostalTradeAddress/{*}CountryID"
        )
    found = root.find(path)  # type: ignore[attr-defined]
    return (found.text or "").strip().upper() if found is not None else ""


def check_xml(
    xml: bytes, issuer_country: str | None = None, only: Iterable[str] | None = None
) -> CheckReport:
    """Check any UBL Invoice/CreditNote or CII XML (untrusted: parsed safely first).

    The rule sets are those that apply to the issuer's country (read from the seller's address unless
    given); ``only`` keeps the sets with these keys ("en16931", "peppol", "ublbe", "fr-ctc")."""
    root = parse_xml(xml)
    if root.tag in _UBL_ROOTS:
        syntax = Syntax.UBL
    elif root.tag == _CII_ROOT:
        syntax = Syntax.CII
    else:
        raise UnreadableInvoice("This XML is neither a UBL invoice or credit note nor a CII invoice.")
    country = (issuer_country or _seller_country(root, syntax)).upper()
    sets = rules.sets_for(syntax, country)
    if only is not None:
        keys = set(only)
        sets = [s for s in rules.RULE_SETS if s.syntax is syntax and s.key in keys]
    findings = _findings(rules.run_rule_sets(xml, sets), sets)
    return CheckReport(
        syntax=syntax,
        issuer_country=country,
        rule_sets=tuple(s.title for s in sets),
        findings=tuple(findings),
    )


def check_file(data: bytes, issuer_country: str | None = None) -> CheckReport:
    """Check an e-invoice file: XML as it is, a Factur-X PDF through the XML it carries."""
    return check_xml(invoice_xml(data), issuer_country)
