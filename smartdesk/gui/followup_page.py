"""Compatibility name for ``smartdesk.gui.pages.followup`` (``gui/sync_ui.py`` still imports ``step_words``
from here; remove once the sync screens moved to ``gui/sync/`` import it from the new place)."""

from smartdesk.gui.pages.followup import step_words

__all__ = ["step_words"]
