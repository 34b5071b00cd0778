#!/usr/bin/env bash
# Build the SmartDesk desktop app with PyInstaller: one command, from any folder.
#
#   packaging/build.sh               one-folder bundle in dist/SmartDesk/ (then runs its self-test)
#   packaging/build.sh --onefile     single executable dist/SmartDesk (SMARTDESK_ONEFILE=1)
#   packaging/build.sh --no-self-test
#
# Environment: PYTHON (default .venv/bin/python, then python3), SOURCE_DATE_EPOCH (default: the time of
# the last git commit) for reproducible builds, SMARTDESK_DIST_DIR (default dist) and SMARTDESK_WORK_DIR
# (default build/pyinstaller) to build elsewhere (the bundle test does).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SELF_TEST=1
for arg in "$@"; do
  case "$arg" in
    --onefile) export SMARTDESK_ONEFILE=1 ;;
    --no-self-test) SELF_TEST=0 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

if [ -z "${PYTHON:-}" ]; then
  if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  echo "build.sh: PyInstaller is not installed for $PYTHON. Run: $PYTHON -m pip install -e '.[build]'" >&2
  exit 1
fi
if [ "$(uname -s)" = "Linux" ] && ! command -v objdump >/dev/null 2>&1; then
  echo "build.sh: PyInstaller needs objdump on Linux. Run: sudo apt-get install binutils" >&2
  exit 1
fi

# Reproducibility: fixed hash seed, fixed timestamps (last commit), no bytecode left from the source tree.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH="$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 1767225600)"
fi
export SOURCE_DATE_EPOCH
export PYTHONHASHSEED=0
export PYTHONDONTWRITEBYTECODE=1

DIST="${SMARTDESK_DIST_DIR:-$ROOT/dist}"
WORK="${SMARTDESK_WORK_DIR:-$ROOT/build/pyinstaller}"
started=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" "$ROOT/build.spec"

if [ "${SMARTDESK_ONEFILE:-0}" != "0" ]; then
  APP="$DIST/SmartDesk"
else
  APP="$DIST/SmartDesk/SmartDesk"
  # Linux desktop integration next to the program (packaging/install-linux.sh copies them into place).
  if [ "$(uname -s)" = "Linux" ]; then
    SHARE="$DIST/SmartDesk/share"
    install -Dm644 packaging/coop.smart.SmartDesk.desktop "$SHARE/applications/coop.smart.SmartDesk.desktop"
    install -Dm644 packaging/coop.smart.SmartDesk.metainfo.xml "$SHARE/metainfo/coop.smart.SmartDesk.metainfo.xml"
    install -Dm644 resources/icons/smartdesk.svg "$SHARE/icons/hicolor/scalable/apps/coop.smart.SmartDesk.svg"
    for png in resources/icons/smartdesk-*.png; do
      size="${png##*-}"; size="${size%.png}"
      install -Dm644 "$png" "$SHARE/icons/hicolor/${size}x${size}/apps/coop.smart.SmartDesk.png"
    done
    install -Dm755 packaging/install-linux.sh "$DIST/SmartDesk/install-linux.sh"
  fi
  find "$DIST/SmartDesk" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
fi
echo "Built $APP in $(( $(date +%s) - started )) s ($(du -sh "$(dirname "$APP")" | cut -f1) on disk)."

if [ "$SELF_TEST" = 1 ]; then
  echo "Self-test of the bundle:"
  QT_QPA_PLATFORM=offscreen "$APP" --self-test
fi
