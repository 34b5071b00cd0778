"""Receipts in the expense-note editor: thumbnails, drop/paste/files, camera, viewer (crop, rotate).

Imports nothing: a screen's modules load only when the screen is first shown."""
