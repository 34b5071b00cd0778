"""Server settings: command-line options, then environment variables, then defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from smartdesk_server.db import sqlite_url

DEFAULT_SCHEDULE: dict[str, int] = {"reminder_1": 7, "reminder_2": 21, "formal_notice": 35, "litigation": 60}


def default_data_dir() -> Path:
    env = os.environ.get("SMARTDESK_SERVER_DATA")
    if env:
        return Path(env)
    return Path.home() / ".local" / "share" / "smartdesk-server"


def _env(name: str) -> str:
    return os.environ.get(f"SMARTDESK_{name}", "").strip()


def parse_schedule(text: str) -> dict[str, int]:
    """``"7,21,35,60"`` or ``"reminder_1=7,reminder_2=21,..."``: days after the due date."""
    out = dict(DEFAULT_SCHEDULE)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if parts and all("=" not in p for p in parts):
        if len(parts) != 4:
            raise ValueError("give four numbers of days: reminder 1, reminder 2, formal notice, litigation")
        parts = [f"{k}={v}" for k, v in zip(DEFAULT_SCHEDULE, parts, strict=True)]
    for part in parts:
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in out:
            raise ValueError(f"“{key}” is not a follow-up step; use {', '.join(out)}")
        try:
            days = int(value)
        except ValueError:
            raise ValueError(f"“{value}” is not a number of days") from None
        if not 0 <= days <= 3650:
            raise ValueError("a number of days is between 0 and 3650")
        out[key] = days
    steps = list(out.values())
    if steps != sorted(steps):
        raise ValueError("each follow-up step must come on or after the previous one")
    return out


@dataclass
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str = ""
    access_ttl: int = 3600
    refresh_ttl: int = 90 * 86400
    login_max_failures: int = 5
    login_window: int = 300
    followup_interval: float = 3600.0  # seconds between follow-up ticks inside ``serve``; 0 = never
    schedule: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_SCHEDULE))
    # delivery of validated invoices (docs/delivery.md); each from $SMARTDESK_<NAME upper-cased>
    ap_url: str = field(default_factory=lambda: _env("AP_URL"))  # Peppol access point; "" = none
    smtp_host: str = field(default_factory=lambda: _env("SMTP_HOST"))  # "" = no e-mail delivery
    smtp_port: int = field(default_factory=lambda: int(_env("SMTP_PORT") or 0))  # 0: 25/465/587 by TLS
    smtp_user: str = field(default_factory=lambda: _env("SMTP_USER"))
    smtp_password: str = field(default_factory=lambda: _env("SMTP_PASSWORD"), repr=False)
    smtp_tls: str = field(default_factory=lambda: _env("SMTP_TLS") or "starttls")  # starttls|ssl|none
    smtp_from: str = field(default_factory=lambda: _env("SMTP_FROM"))
    delivery_interval: float = field(default_factory=lambda: float(_env("DELIVERY_INTERVAL") or 30))

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if self.smtp_tls not in ("starttls", "ssl", "none"):
            raise ValueError("SMTP TLS is starttls, ssl or none")
        if not self.smtp_port:
            self.smtp_port = {"ssl": 465, "starttls": 587}.get(self.smtp_tls, 25)
        if not self.database_url:
            self.database_url = os.environ.get("SMARTDESK_DATABASE_URL", "") or sqlite_url(self.data_dir)

    @property
    def delivery_configured(self) -> bool:
        return bool(self.ap_url or self.smtp_host)

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"
