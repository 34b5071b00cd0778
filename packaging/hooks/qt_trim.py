"""What SmartDesk keeps of Qt, shared by build.spec and the Qt hooks in this folder.

The plugin filter must run inside the hooks (before PyInstaller analyses the plugins' library
dependencies): a plugin dropped afterwards would leave its libraries behind (the GTK 3 theme alone
drags GTK, cairo and pango in). build.spec applies the same filter again as a safety net, plus the
translation and Qt-library filters.
"""

from __future__ import annotations

import re

# Qt's own translations (standard dialogs, buttons): the interface languages only.
QT_LANGUAGES = ("fr", "nl", "en")
# Qt platform plugins: Linux X11 / Wayland, headless (self-test, CI), Windows, macOS.
QT_PLATFORMS = ("offscreen", "xcb", "wayland", "wayland-egl", "windows", "cocoa")

# Kept on purpose: `multimedia` (the FFmpeg backend behind the receipt camera, QtMultimedia) and
# `networkinformation` (QNetworkInformation: the sync notices when the connection comes back).
# `tls` goes: nothing in SmartDesk opens a Qt TLS socket (the sync talks HTTPS through `requests`).
_DROP_PLUGIN_TYPES = re.compile(
    r"/plugins/(egldeviceintegrations|wayland-graphics-integration-server|qmltooling|generic|sqldrivers|"
    r"position|sensors|texttospeech|webview|geoservices|renderers|sceneparsers|assetimporters|"
    r"geometryloaders|renderplugins|designer|canbus|scxmldatamodel|tls|accessiblebridge|qmllint)/"
)
# the virtual keyboard needs QtQuick; the GTK 3 theme drags GTK, cairo and pango in (the XDG desktop
# portal theme still gives native file dialogs on GNOME and KDE); the PDF image-format plugin needs QtPdf
# (the preview rasterises PDFs with pypdfium2)
_DROP_PLUGINS = re.compile(
    r"/plugins/(platforminputcontexts/(lib)?qtvirtualkeyboard|platformthemes/(lib)?qgtk3|imageformats/(lib)?qpdf)"
)
# Qt libraries left out. The FFmpeg multimedia plugin (Linux) links QtQuick, QtQml, QtQmlModels,
# QtQmlMeta, QtQmlWorkerScript and QtOpenGL: those exact libraries stay, every other Quick/Qml library
# goes. QtMultimedia stays, its Quick and Widgets companions go (SmartDesk imports neither).
_KEEP_LIBS = re.compile(
    r"(^|/)(lib)?Qt6(Quick|Qml|QmlModels|QmlMeta|QmlWorkerScript)(\.so[.0-9]*|\.dll|\.framework)?$"
)
_DROP_LIBS = re.compile(
    r"(^|/)(lib)?Qt6(WebEngine|Quick|Qml|3D|Charts|DataVisualization|Graphs|MultimediaQuick|MultimediaWidgets|"
    r"SpatialAudio|VirtualKeyboard|Designer|Location|Positioning|Bluetooth|Nfc|Sensors|RemoteObjects|Scxml|"
    r"TextToSpeech|ShaderTools|Sql|Test|Help|EglFSDeviceIntegration|EglFsKmsSupport|Pdf|NetworkAuth|"
    r"HttpServer|WebSockets|WebChannel|WebView|Labs)[^/]*$"
)


def keep(dest: str) -> bool:
    """True when the bundle file at ``dest`` (a destination path inside the bundle) is kept."""
    path = "/" + dest.replace("\\", "/")
    name = path.rsplit("/", 1)[-1]
    if "/translations/" in path and name.endswith(".qm"):
        match = re.match(r"(qt|qtbase|qtmultimedia)_([a-z]{2})(_[A-Z]{2})?\.qm$", name)
        return bool(match) and match.group(2) in QT_LANGUAGES
    if "/plugins/platforms/" in path:
        stem = re.sub(r"^(lib)?q", "", name.split(".")[0])
        return stem in QT_PLATFORMS
    if _DROP_PLUGIN_TYPES.search(path) or _DROP_PLUGINS.search(path):
        return False
    if _KEEP_LIBS.search(path):
        return True
    return not _DROP_LIBS.search(path)


def trim(entries: list) -> list:
    """Filter hook results: (source, destination folder) pairs."""
    out = []
    for src, dest_dir in entries:
        dest = f"{dest_dir}/{src.replace(chr(92), '/').rsplit('/', 1)[-1]}"
        if keep(dest):
            out.append((src, dest_dir))
    return out
