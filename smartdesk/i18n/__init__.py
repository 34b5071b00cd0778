"""Catalogues: documents (six languages) and the interface (FR, NL, EN)."""
