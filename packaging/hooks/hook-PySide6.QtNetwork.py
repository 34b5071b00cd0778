"""Replaces PyInstaller's hook for PySide6.QtNetwork (QNetworkInformation: the sync notices when the
connection comes back): the same collection minus what qt_trim.py leaves out. The ``networkinformation``
plugins stay; the ``tls`` plugins and the OpenSSL copy PyInstaller adds for them do not (the sync talks
HTTPS through ``requests``, never through a Qt socket)."""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_trim import trim

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = trim(binaries)
datas = trim(datas)
