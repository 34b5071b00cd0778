"""The cooperative's legal identity as data: the JSON form the cooperative configures
(``smartdesk-server set-entity FILE.json``), publishes to the apps and stamps on validated documents.

``parse_identity`` checks every field strictly (bounded text, VAT number, IBAN and BIC with
python-stdnum, a real time zone) and raises ``ValueError`` with one sentence per problem, so a
staff member sees at once what to fix. ``identity_to_dict`` is its exact inverse.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smartdesk.domain.documents import Address, CooperativeEntity
from smartdesk.domain.identifiers import (
    check_bic,
    check_enterprise_number,
    check_iban,
    check_vat,
    compact_vat,
    vat_country,
)

STATE_KEY = "entities"  # the app's sync_state key of the identities the cooperative published
LANGUAGES = ("fr", "nl", "en", "de", "es", "it")
CODES = ("BE", "FR")  # the entities the app knows (their numbering series, VAT tables, OGM)
MAX_TEXT = 300
MAX_MENTIONS = 1000
MAX_FILE_BYTES = 64 * 1024
_KEYS = {
    "code",
    "name",
    "address",
    "vat_number",
    "enterprise_number",
    "registration",
    "iban",
    "bic",
    "email",
    "phone",
    "website",
    "legal_mentions",
    "late_penalty_rate",
    "time_zone",
    "demo",
}
_ADDRESS_KEYS = ("street", "postcode", "city", "country")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}")


def _text(
    data: dict[str, Any], key: str, problems: list[str], *, required: bool, limit: int = MAX_TEXT
) -> str:
    raw = data.get(key, "")
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        problems.append(f"“{key}” must be text")
        return ""
    value: str = raw.strip()
    if required and not value:
        problems.append(f"“{key}” is missing")
    if len(value) > limit:
        problems.append(f"“{key}” is too long (at most {limit} characters)")
        return value[:limit]
    if any(ord(ch) < 32 for ch in value):
        problems.append(f"“{key}” contains control characters (line breaks, tabs)")
    return value


def parse_identity(data: Any) -> CooperativeEntity:
    """The entity described by ``data`` (the JSON of docs/sync.md), or ValueError listing every problem."""
    if not isinstance(data, dict):
        raise ValueError("the identity must be a JSON object with “code”, “name”, “address”, …")
    problems: list[str] = []
    unknown = sorted(str(k)[:40] for k in data if k not in _KEYS)
    if unknown:
        problems.append(f"unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    code = _text(data, "code", problems, required=True, limit=2).upper()
    if code and code not in CODES:
        problems.append(f"“code” is {code!r}; the entities are {', '.join(CODES)}")
    name = _text(data, "name", problems, required=True)
    raw_address = data.get("address")
    address = Address()
    if not isinstance(raw_address, dict):
        problems.append("“address” must be an object with street, postcode, city and country")
    else:
        extra = sorted(str(k)[:40] for k in raw_address if k not in _ADDRESS_KEYS)
        if extra:
            problems.append(f"unknown address field(s) {', '.join(extra)}")
        parts = {k: _text(raw_address, k, problems, required=True, limit=200) for k in _ADDRESS_KEYS}
        address = Address(parts["street"], parts["postcode"], parts["city"], parts["country"].upper())
        if address.country and address.country != code:
            problems.append(f"the address is in {address.country!r} but the entity is {code!r}")
    vat = _text(data, "vat_number", problems, required=True, limit=20)
    if vat:
        reason = check_vat(vat)
        if reason:
            problems.append(f"the VAT number {vat!r} is not valid ({reason})")
        elif code and vat_country(vat) != code:
            problems.append(f"the VAT number {vat!r} is not a {code} number")
        else:
            vat = compact_vat(vat)
    enterprise = _text(data, "enterprise_number", problems, required=False, limit=20)
    if enterprise and code and check_enterprise_number(enterprise, code):
        problems.append(f"the enterprise number {enterprise!r} is not a valid {code} number")
    registration = _text(data, "registration", problems, required=True)
    iban = _text(data, "iban", problems, required=True, limit=42).replace(" ", "").upper()
    if iban and check_iban(iban):
        problems.append(f"the IBAN {iban!r} is not valid (check digits or length)")
    bic = _text(data, "bic", problems, required=True, limit=11).replace(" ", "").upper()
    if bic and check_bic(bic):
        problems.append(f"the BIC {bic!r} is not valid (8 or 11 letters and digits)")
    email = _text(data, "email", problems, required=False, limit=320)
    if email and not _EMAIL.fullmatch(email):
        problems.append(f"the e-mail address {email!r} is not valid")
    phone = _text(data, "phone", problems, required=False, limit=40)
    website = _text(data, "website", problems, required=False, limit=200)
    mentions_raw = data.get("legal_mentions", {})
    mentions: dict[str, str] = {}
    if not isinstance(mentions_raw, dict):
        problems.append(
            f"“legal_mentions” must be an object with one text per language ({', '.join(LANGUAGES)})"
        )
    else:
        bad = sorted(str(k)[:10] for k in mentions_raw if k not in LANGUAGES)
        if bad:
            problems.append(f"“legal_mentions” in unknown language(s) {', '.join(bad)}")
        missing = [lang for lang in LANGUAGES if not str(mentions_raw.get(lang) or "").strip()]
        if missing:
            problems.append(f"“legal_mentions” needs a text in {', '.join(missing)}")
        for lang in LANGUAGES:
            text = _text(mentions_raw, lang, problems, required=False, limit=MAX_MENTIONS)
            if text:
                mentions[lang] = text
    rate_raw = data.get("late_penalty_rate", "0")
    rate = Decimal(0)
    try:
        if isinstance(rate_raw, bool) or not isinstance(rate_raw, str | int):
            raise InvalidOperation
        rate = Decimal(str(rate_raw))
        if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(100) or rate != round(rate, 2):
            raise InvalidOperation
    except InvalidOperation:
        problems.append('“late_penalty_rate” is a yearly rate in % from 0 to 100, like "12.15"')
        rate = Decimal(0)
    if code == "FR" and rate == 0 and "late_penalty_rate" not in problems[-1:]:
        problems.append("a French entity needs its “late_penalty_rate” (printed on every invoice)")
    tz = _text(data, "time_zone", problems, required=False, limit=60) or "Europe/Brussels"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"the time zone {tz!r} is not known (write it like Europe/Brussels)")
    demo = data.get("demo", False)
    if not isinstance(demo, bool):
        problems.append("“demo” must be true or false")
        demo = False
    if problems:
        raise ValueError("; ".join(problems))
    return CooperativeEntity(
        code=code,
        name=name,
        address=address,
        vat_number=vat,
        registration=registration,
        iban=iban,
        bic=bic,
        email=email,
        phone=phone,
        website=website,
        legal_mentions=mentions.get("fr", "") or next(iter(mentions.values()), ""),
        late_penalty_rate=rate,
        enterprise_number=enterprise,
        legal_mentions_by_language=mentions,
        time_zone=tz,
        demo=demo,
    )


def identity_to_dict(entity: CooperativeEntity) -> dict[str, Any]:
    """The JSON form (the inverse of :func:`parse_identity`; ``provisional`` is never published)."""
    mentions = dict(entity.legal_mentions_by_language) or {
        lang: entity.legal_mentions for lang in LANGUAGES if entity.legal_mentions
    }
    return {
        "code": entity.code,
        "name": entity.name,
        "address": {
            "street": entity.address.street,
            "postcode": entity.address.postcode,
            "city": entity.address.city,
            "country": entity.address.country,
        },
        "vat_number": entity.vat_number,
        "enterprise_number": entity.enterprise_number,
        "registration": entity.registration,
        "iban": entity.iban,
        "bic": entity.bic,
        "email": entity.email,
        "phone": entity.phone,
        "website": entity.website,
        "legal_mentions": mentions,
        "late_penalty_rate": format(entity.late_penalty_rate, "f"),
        "time_zone": entity.time_zone,
        "demo": entity.demo,
    }


def identities_by_code(items: Any) -> dict[str, CooperativeEntity]:
    """The published identities (a list of JSON objects) by code; a malformed one is left out (the
    app keeps the built-in identity for that entity, marked provisional)."""
    out: dict[str, CooperativeEntity] = {}
    if not isinstance(items, list):
        return out
    for item in items[: len(CODES) * 4]:
        try:
            entity = parse_identity(item)
        except ValueError:
            continue
        out[entity.code] = entity
    return out
