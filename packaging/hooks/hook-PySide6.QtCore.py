"""Replaces PyInstaller's hook for PySide6.QtCore: the same collection, minus the Qt plugins,
translations and libraries SmartDesk leaves out (see qt_trim.py)."""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_trim import trim

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = trim(binaries)
datas = trim(datas)
