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
