"""Delivery by e-mail: the message in the client's language and its sending through SMTP (``smtplib``).

The texts live here, in the six document languages (FR/NL/EN/DE/ES/IT), rather than in the app's
gettext catalogues: the server speaks English everywhere else and carries no catalogues of its own
(docs/decisions/0021-server-produces-einvoices.md).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from email.utils import make_msgid

from babel.dates import format_date
from babel.numbers import format_currency

LANGUAGES = ("fr", "nl", "en", "de", "es", "it")
LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB", "de": "de_DE", "es": "es_ES", "it": "it_IT"}

KIND = {
    "invoice": {
        "fr": "Facture",
        "nl": "Factuur",
        "en": "Invoice",
        "de": "Rechnung",
        "es": "Factura",
        "it": "Fattura",
    },
    "credit-note": {
        "fr": "Note de crédit",
        "nl": "Creditnota",
        "en": "Credit note",
        "de": "Gutschrift",
        "es": "Nota de crédito",
        "it": "Nota di credito",
    },
}

BODY = {
    "fr": (
        "Bonjour,\n\nVeuillez trouver ci-joint le document {kind} {number} du {date}, d'un montant de "
        "{total}, émis par {issuer} pour {member}.\n{due}\nCordialement,\n{issuer}\n"
    ),
    "nl": (
        "Goeddag,\n\nIn bijlage vindt u het document {kind} {number} van {date}, voor een bedrag van "
        "{total}, uitgegeven door {issuer} voor {member}.\n{due}\nMet vriendelijke groeten,\n{issuer}\n"
    ),
    "en": (
        "Hello,\n\nPlease find attached the document {kind} {number} of {date}, for {total}, issued by "
        "{issuer} for {member}.\n{due}\nKind regards,\n{issuer}\n"
    ),
    "de": (
        "Guten Tag,\n\nanbei erhalten Sie das Dokument {kind} {number} vom {date} über {total}, "
        "ausgestellt von {issuer} für {member}.\n{due}\nMit freundlichen Grüßen\n{issuer}\n"
    ),
    "es": (
        "Buenos días:\n\nAdjuntamos el documento {kind} {number} del {date}, por un importe de {total}, "
        "emitido por {issuer} para {member}.\n{due}\nAtentamente,\n{issuer}\n"
    ),
    "it": (
        "Buongiorno,\n\nin allegato trova il documento {kind} {number} del {date}, per un importo di "
        "{total}, emesso da {issuer} per {member}.\n{due}\nCordiali saluti,\n{issuer}\n"
    ),
}

DUE = {
    "fr": "À payer au plus tard le {due} sur le compte {iban}, avec la communication {reference}.\n",
    "nl": "Te betalen uiterlijk op {due} op rekening {iban}, met de mededeling {reference}.\n",
    "en": "Please pay by {due} to the account {iban}, with the reference {reference}.\n",
    "de": "Bitte zahlen Sie bis zum {due} auf das Konto {iban}, mit dem Verwendungszweck {reference}.\n",
    "es": "Le rogamos pague antes del {due} en la cuenta {iban}, con la referencia {reference}.\n",
    "it": "La preghiamo di pagare entro il {due} sul conto {iban}, con la causale {reference}.\n",
}


def language_of(text: str) -> str:
    lang = (text or "").lower()[:2]
    return lang if lang in LANGUAGES else "en"


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mime: str  # "application/pdf", "application/xml"


@dataclass(frozen=True)
class Letter:
    """What to say, independent of SMTP: built from the validated document."""

    kind: str  # invoice | credit-note
    number: str
    issue_date: date
    total: Decimal
    currency: str
    issuer: str
    member: str
    due_date: date | None
    iban: str
    reference: str
    language: str


def compose(letter: Letter, sender: str, recipient: str, attachments: list[Attachment]) -> EmailMessage:
    lang = language_of(letter.language)
    locale = LOCALES[lang]
    kind = KIND.get(letter.kind, KIND["invoice"])[lang]
    due = ""
    if letter.kind == "invoice" and letter.due_date is not None:
        due = "\n" + DUE[lang].format(
            due=format_date(letter.due_date, "long", locale=locale),
            iban=letter.iban,
            reference=letter.reference,
        )
    msg = EmailMessage()
    msg["Subject"] = f"{kind} {letter.number} – {letter.issuer}"
    msg["From"] = sender
    msg["To"] = recipient
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "smartdesk.invalid")
    msg["Content-Language"] = lang
    msg.set_content(
        BODY[lang].format(
            kind=kind.lower() if lang != "de" else kind,
            number=letter.number,
            date=format_date(letter.issue_date, "long", locale=locale),
            total=format_currency(letter.total, letter.currency, locale=locale),
            issuer=letter.issuer,
            member=letter.member or letter.issuer,
            due=due,
        )
    )
    for a in attachments:
        maintype, _, subtype = a.mime.partition("/")
        msg.add_attachment(a.content, maintype=maintype, subtype=subtype, filename=a.name)
    return msg


class MailError(Exception):
    """``permanent``: the mail server refused the message or its recipient for good (a bounce);
    otherwise a transient problem (server away, 4xx): try again later."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: str = "starttls"  # starttls | ssl | none
    user: str = ""
    password: str = ""
    timeout: float = 30.0


def send(config: SmtpConfig, msg: EmailMessage) -> str:
    """Send ``msg``; returns its Message-ID. Raises :class:`MailError`."""
    try:
        smtp: smtplib.SMTP
        if config.tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with smtp:
            if config.tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if config.user:
                smtp.login(config.user, config.password)
            refused = smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [c for c, _ in exc.recipients.values()]
        text = "; ".join(
            f"{r}: {code} {m.decode(errors='replace')[:200]}" for r, (code, m) in exc.recipients.items()
        )
        raise MailError(
            f"The client's mail server refused the address ({text}).",
            permanent=all(c >= 500 for c in codes),
        ) from None
    except smtplib.SMTPResponseException as exc:
        words = exc.smtp_error.decode(errors="replace")[:200] if isinstance(exc.smtp_error, bytes) else ""
        raise MailError(
            f"The mail server answered {exc.smtp_code} {words}".strip() + ".",
            permanent=exc.smtp_code >= 500,
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(
            f"The mail server {config.host}:{config.port} cannot be reached ({type(exc).__name__}: "
            f"{str(exc)[:200]}).",
            permanent=False,
        ) from None
    if refused:
        raise MailError(f"The mail server refused {', '.join(refused)}.", permanent=True)
    return str(msg["Message-ID"])
