"""Where SmartDesk keeps its data: platformdirs, overridable for development and portable use."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from smartdesk import APP_NAME, ORG_NAME

ENV_DATA_DIR = "SMARTDESK_DATA_DIR"


def data_dir(override: Path | str | None = None) -> Path:
    """The data folder: ``--data-dir`` first, then $SMARTDESK_DATA_DIR, then the user data dir."""
    chosen = override or os.environ.get(ENV_DATA_DIR) or user_data_dir(APP_NAME, ORG_NAME)
    path = Path(chosen).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


DEMO_APP_NAME = f"{APP_NAME}-demo"


def demo_dir() -> Path:
    """Where ``smartdesk demo-data`` writes when no folder is given: beside, never inside, the member's
    own data (sample invoices carry realistic legal numbers)."""
    path = Path(user_data_dir(DEMO_APP_NAME, ORG_NAME)).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
