"""Receipts of the desktop interface."""
