"""The documents screens: the lists, the editor with its lines table and live PDF preview.

Imports nothing: a screen's modules load only when the screen is first shown."""
