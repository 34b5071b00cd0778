"""Replaces PyInstaller's hook for PySide6.QtMultimedia (the receipt camera): the same collection minus
what qt_trim.py leaves out, and without PyInstaller's extra ``QtMultimediaWidgets`` import (SmartDesk
shows camera frames in its own widget). Keeps the FFmpeg backend plugin; PyInstaller's dependency
analysis then brings the FFmpeg libraries it links (libavcodec, libavformat, libavutil, libswscale,
libswresample and Qt's FFmpegStub libraries)."""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_trim import trim

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = trim(binaries)
datas = trim(datas)
