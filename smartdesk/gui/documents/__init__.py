"""Documents of the desktop interface."""
