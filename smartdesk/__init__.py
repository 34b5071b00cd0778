"""SmartDesk: the offline-first desktop app of the SMart cooperative's members."""

# The single source of the version (pyproject.toml reads it): importlib.metadata would cost
# about 90 ms at every start.
__version__ = "0.1.0"

APP_NAME = "SmartDesk"
ORG_NAME = "SMart"
ORG_DOMAIN = "smart.coop"
