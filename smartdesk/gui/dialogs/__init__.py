"""Dialogs that are not part of one screen (the first start).

Imports nothing: a screen's modules load only when the screen is first shown."""
