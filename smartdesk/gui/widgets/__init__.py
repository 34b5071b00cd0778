"""Widgets the screens share: page headings and scrolling bodies, delegates, chips, tables.

``heading`` and ``scroll_page`` are re-exported here (light: the start-up list page uses them).
"""

from smartdesk.gui.widgets.page import heading, scroll_page

__all__ = ["heading", "scroll_page"]
