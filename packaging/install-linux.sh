#!/usr/bin/env sh
# Install the SmartDesk bundle for the current user (no root): program in ~/.local/lib/SmartDesk,
# a `SmartDesk` command in ~/.local/bin, the menu entry, icons and AppStream data in ~/.local/share.
# Run from the bundle folder: ./install-linux.sh   (./install-linux.sh --uninstall removes it again)
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
LIB="$HOME/.local/lib/SmartDesk"
BIN="$HOME/.local/bin"
if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$LIB" "$BIN/SmartDesk" "$DATA/applications/coop.smart.SmartDesk.desktop" \
         "$DATA/metainfo/coop.smart.SmartDesk.metainfo.xml"
  find "$DATA/icons/hicolor" -name 'coop.smart.SmartDesk.*' -delete 2>/dev/null || true
  echo "SmartDesk removed (your documents in ~/.local/share/SmartDesk are kept)."
  exit 0
fi
mkdir -p "$LIB" "$BIN"
cp -a "$HERE/." "$LIB/"
ln -sf "$LIB/SmartDesk" "$BIN/SmartDesk"
cp -a "$HERE/share/." "$DATA/"
sed -i "s|^Exec=SmartDesk|Exec=$LIB/SmartDesk|; s|^TryExec=SmartDesk|TryExec=$LIB/SmartDesk|" \
  "$DATA/applications/coop.smart.SmartDesk.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q "$DATA/icons/hicolor" || true
echo "SmartDesk installed: start it from the menu or with $BIN/SmartDesk"
