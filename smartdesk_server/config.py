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

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if not self.database_url:
            self.database_url = os.environ.get("SMARTDESK_DATABASE_URL", "") or sqlite_url(self.data_dir)

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"
