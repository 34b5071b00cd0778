"""Entry script of the frozen app (PyInstaller needs a file): the same as the ``smartdesk`` command."""

import sys

from smartdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
