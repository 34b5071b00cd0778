# Shared set-up for scripts/start and scripts/test (sourced, not run).
# Installs what SmartDesk needs on a fresh Debian/Ubuntu machine with Python 3.11+, then a virtualenv in .venv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SMARTDESK_VENV:-$ROOT/.venv}"
PY="${PYTHON:-python3}"

# Debian packages: Qt's runtime libraries (libpulse0 and GLib: the camera and network-status plugins), fonts,
# Tesseract with its fr/nl/de/en data (receipt reading, about 20 MB); for tests poppler (pdftoppm), zbar,
# Xvfb, PostgreSQL, an Adobe RGB colour profile (libgs-common).
APT_RUNTIME="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libfontconfig1 libdbus-1-3 libglib2.0-0 libpulse0 fonts-dejavu-core tesseract-ocr tesseract-ocr-fra tesseract-ocr-nld tesseract-ocr-deu tesseract-ocr-eng"
APT_TEST="poppler-utils libzbar0 xvfb postgresql python3-venv binutils gcc libgs-common"

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Please install these Debian packages first: ${missing[*]}" >&2; return 1; fi
  fi
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

make_venv() {
  local extras="$1"
  if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    echo "SmartDesk needs Python 3.11 or newer ($PY is $("$PY" --version 2>&1))." >&2; return 1
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "Creating the virtual environment in $VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
  fi
  local stamp="$VENV/.installed-$extras"
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    echo "Installing SmartDesk and its dependencies ($extras)"
    "$VENV/bin/python" -m pip install -q -e "$ROOT[$extras]"
    touch "$stamp"
  fi
  # The translations' compiled .mo files are built, not committed (docs/decisions/0007-gettext-catalogues.md):
  # every run, so that an edited .po is what the app shows (a few tens of ms, standard library only).
  "$VENV/bin/python" -m smartdesk.i18n.build >/dev/null
}
