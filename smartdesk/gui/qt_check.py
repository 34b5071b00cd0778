"""Checks of the Qt parts SmartDesk loads only on demand, for ``smartdesk --self-test``.

The receipt camera (QtMultimedia and its FFmpeg backend plugin) and the sync's "the connection is back"
trigger (QtNetwork's QNetworkInformation and its backend plugins) are imported lazily by the GUI, so a
bundle that lost them would still start and then silently lack the feature. These checks load them for
real, headless, without a window: ``smartdesk.selftest`` calls them by module name (it may not import Qt
itself, ARCHITECTURE rule 1).

Each function returns a one-line plain report or raises :class:`QtPartMissing` with the reason.
"""

from __future__ import annotations

from pathlib import Path


class QtPartMissing(Exception):
    """A Qt part SmartDesk needs is missing or does not load; the message says which, in plain words."""


def _core_app() -> object:
    """A QCoreApplication for plugin loading: never a GUI one (it would need a display, or abort)."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.instance() or QCoreApplication([])


def _plugin_files(kind: str) -> list[str]:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / kind
    return sorted(p.name for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []


def check_camera_support() -> str:
    """QtMultimedia loads, its backend plugin answers, and the camera list can be read (zero is fine)."""
    _core_app()
    from PySide6.QtCore import QLoggingCategory

    # Qt logs every optional system library it probes (PipeWire, VA-API) and the FFmpeg version: noise in
    # a self-test report.
    QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver=false\nqt.multimedia.ffmpeg.info=false")
    try:
        from PySide6.QtMultimedia import QMediaDevices, QMediaFormat
    except ImportError as exc:
        raise QtPartMissing(f"not installed (Qt Multimedia cannot be loaded: {exc})") from exc
    # Without a backend plugin Qt falls back to a stub that knows no file format and no camera.
    formats = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    if not formats:
        plugins = _plugin_files("multimedia")
        found = f"plugins found: {', '.join(plugins)}" if plugins else "no multimedia plugin is installed"
        raise QtPartMissing(f"Qt Multimedia has no working backend ({found}); the camera cannot be used")
    cameras = QMediaDevices.videoInputs()
    names = [camera.description() for camera in cameras]
    seen = f"{len(names)} camera(s): {', '.join(names)}" if names else "no camera connected"
    return f"Qt Multimedia backend loaded ({len(formats)} media formats), {seen}"


def check_network_status() -> str:
    """QNetworkInformation can load a backend, so the sync hears when the connection comes back.

    Every platform SmartDesk ships for has a backend that needs no running service (GLib's network
    monitor on Linux, the Network List Manager on Windows, the Network framework on macOS), so "no
    backend plugin at all" means the installation is damaged. A backend that exists but does not load is
    reported, not failed: the sync then falls back to retrying on its timer.
    """
    _core_app()
    try:
        from PySide6.QtNetwork import QNetworkInformation
    except ImportError as exc:
        raise QtPartMissing(f"not installed (Qt Network cannot be loaded: {exc})") from exc
    backends = list(QNetworkInformation.availableBackends())
    if not backends:
        plugins = _plugin_files("networkinformation")
        found = (
            f"plugins found but none usable: {', '.join(plugins)}"
            if plugins
            else "no network-status plugin is installed"
        )
        raise QtPartMissing(f"{found}; SmartDesk would not notice when the connection comes back")
    if not QNetworkInformation.loadDefaultBackend():
        return (
            f"no network-status service answers on this system (backends: {', '.join(backends)}); "
            "the sync retries on its timer instead"
        )
    info = QNetworkInformation.instance()
    if info is None:
        return "no network-status backend could start; the sync retries on its timer instead"
    reach = info.reachability().name
    return f"backend {info.backendName()} loaded (of {', '.join(backends)}), network {reach}"
