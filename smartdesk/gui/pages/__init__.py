"""The main window's other pages (clients, activities, settings, glossary, requests, follow-up) and the page registry.

Imports nothing: a screen's modules load only when the screen is first shown."""
