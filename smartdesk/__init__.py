"""SmartDesk: the offline-first desktop app of the SMart cooperative's members."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("smartdesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

APP_NAME = "SmartDesk"
ORG_NAME = "SMart"
ORG_DOMAIN = "smart.coop"
