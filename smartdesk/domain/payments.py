"""Payment references: Belgian structured communication (OGM/VCS) and the EPC QR payload."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

from smartdesk.domain.money import round2

_OGM_RE = re.compile(r"^\D*(\d{3})\D*(\d{4})\D*(\d{5})\D*$")


def ogm_check_digits(base10: int) -> int:
    """Mod 97 of the first 10 digits; 0 becomes 97."""
    rest = base10 % 97
    return 97 if rest == 0 else rest


def ogm_from_number(base10: int) -> str:
    """Structured communication ``+++123/4567/89012+++`` for a 10-digit base."""
    if not 0 <= base10 < 10**10:
        raise ValueError("the base of a structured communication has at most 10 digits")
    digits = f"{base10:010d}{ogm_check_digits(base10):02d}"
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def ogm_for_document(document_id: str, number: str = "") -> str:
    """A stable structured communication for a document.

    From the legal number's digits when it has enough of them (so the advisor can read it back),
    else from a hash of the document id: the same document always gets the same reference.
    """
    digits = re.sub(r"\D", "", number)
    if 6 <= len(digits) <= 10:
        return ogm_from_number(int(digits))
    base = int.from_bytes(hashlib.sha256(document_id.encode()).digest()[:8], "big") % 10**10
    return ogm_from_number(base)


def ogm_digits(text: str) -> str | None:
    match = _OGM_RE.match(text.strip())
    return "".join(match.groups()) if match else None


def is_valid_ogm(text: str) -> bool:
    digits = ogm_digits(text)
    if digits is None:
        return False
    return int(digits[10:]) == ogm_check_digits(int(digits[:10]))


def format_ogm(text: str) -> str:
    digits = ogm_digits(text)
    if digits is None:
        raise ValueError(f"“{text}” is not a structured communication (12 digits)")
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def is_creditor_reference(text: str) -> bool:
    """ISO 11649 creditor reference (RF..)."""
    ref = text.replace(" ", "").upper()
    if not re.fullmatch(r"RF\d{2}[0-9A-Z]{1,21}", ref):
        return False
    moved = ref[4:] + ref[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def epc_qr_payload(
    *,
    name: str,
    iban: str,
    amount: Decimal,
    bic: str = "",
    currency: str = "EUR",
    structured_reference: str = "",
    text: str = "",
    purpose: str = "",
) -> str:
    """EPC069-12 "SEPA credit transfer" QR payload, version 002, UTF-8.

    A Belgian OGM travels as unstructured text ("+++...+++"), as Belgian banks read it there; an
    ISO 11649 RF reference goes into the structured-reference field. Only EUR can be paid this way.
    """
    if currency != "EUR":
        raise ValueError("a scan-to-pay code can only carry an amount in euro")
    amount = round2(amount)
    if not Decimal("0.01") <= amount <= Decimal("999999999.99"):
        raise ValueError("the amount of a scan-to-pay code must be between 0.01 and 999999999.99 euro")
    iban = iban.replace(" ", "").upper()
    reference = ""
    remittance = text
    if structured_reference:
        if is_creditor_reference(structured_reference):
            reference = structured_reference.replace(" ", "").upper()
        else:
            remittance = structured_reference if not text else f"{structured_reference} {text}"
    lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        bic.replace(" ", "").upper(),
        name[:70],
        iban,
        f"EUR{amount}",
        purpose[:4],
        reference[:35],
        "" if reference else remittance[:140],
    ]
    while lines and lines[-1] == "":
        lines.pop()
    payload = "\n".join(lines)
    if len(payload.encode("utf-8")) > 331:
        raise ValueError("the scan-to-pay data is too long (331 bytes at most)")
    return payload
