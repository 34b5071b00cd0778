"""Bundle benchmark: size of dist/SmartDesk and start-up time of the frozen app against the source tree.

    .venv/bin/python bench/bundle.py            # uses an existing dist/SmartDesk (packaging/build.sh)
    .venv/bin/python bench/bundle.py --build    # builds it first and prints the build time
    .venv/bin/python bench/bundle.py --runs 7 --dist /path/to/dist/SmartDesk

Start-up is measured to the main window when the GUI offers a "quit once the main window is shown"
switch (an environment variable named SMARTDESK_*QUIT*/*EXIT* found in smartdesk/gui); otherwise it
measures ``--version`` (interpreter, bootloader and the command-line start, no Qt) and says so.
The first run is "cold" only if the page cache could be dropped (root); otherwise it is the first run
after the build. Targets: bundle <= 260 MB (with the e-invoice validator, issue 14), frozen cold start <= 1.2 s. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 260
TARGET_START_S = 1.2


def tree_size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total


def biggest(folder: Path, count: int = 8) -> list[tuple[str, int]]:
    internal = folder / "_internal" if (folder / "_internal").is_dir() else folder
    sizes = []
    for child in internal.iterdir():
        if child.is_symlink():  # PyInstaller links some libraries to the top; counted where they live
            continue
        size = tree_size(child) if child.is_dir() else child.stat().st_size
        sizes.append((child.name, size))
    return sorted(sizes, key=lambda item: -item[1])[:count]


# Parts of the bundle worth watching (glob patterns under _internal/), printed with their size.
PARTS = {
    "receipt camera: QtMultimedia + FFmpeg": [
        "PySide6/QtMultimedia.abi3.so",
        "PySide6/Qt/lib/libQt6Multimedia.so.*",
        "PySide6/Qt/lib/libav*.so.*",
        "PySide6/Qt/lib/libsw*.so.*",
        "PySide6/Qt/lib/libQt6FFmpegStub-*",
        "PySide6/Qt/plugins/multimedia/*",
        "PySide6/Qt/lib/libQt6Concurrent.so.*",
        "PySide6/QtConcurrent.abi3.so",
    ],
    "  QtQuick/QtQml (linked by the FFmpeg plugin)": [
        "PySide6/Qt/lib/libQt6Quick.so.*",
        "PySide6/Qt/lib/libQt6Qml*.so.*",
    ],
    "network status: QtNetwork + plugins": [
        "PySide6/QtNetwork.abi3.so",
        "PySide6/Qt/lib/libQt6Network.so.*",
        "PySide6/Qt/plugins/networkinformation/*",
        "libgio-2.0.so.*",
        "libgobject-2.0.so.*",
        "libgmodule-2.0.so.*",
        "libmount.so.*",
        "libblkid.so.*",
        "libselinux.so.*",
    ],
    "ICU (Qt's Unicode/locale library)": ["PySide6/Qt/lib/libicu*.so.*"],
    "AVIF photos (Pillow's _avif + libavif)": ["PIL/_avif*", "pillow.libs/libavif*"],
    "HEIC photos (pillow-heif)": ["_pillow_heif*", "pillow_heif", "pillow_heif.libs/*"],
    "keyring (cryptography for SecretService)": ["cryptography"],
}


def part_sizes(folder: Path) -> list[tuple[str, int]]:
    internal = folder / "_internal" if (folder / "_internal").is_dir() else folder
    out = []
    for label, patterns in PARTS.items():
        seen: set[Path] = set()
        for pattern in patterns:
            for path in internal.glob(pattern):
                if path.is_symlink():
                    continue
                seen.update(
                    [path]
                    if path.is_file()
                    else [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
                )
        out.append((label, sum(p.stat().st_size for p in seen)))
    return out


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def gui_quit_switch() -> str | None:
    gui = ROOT / "smartdesk" / "gui"
    if not (gui / "app.py").is_file():
        return None
    for path in sorted(gui.rglob("*.py")):
        match = re.search(r"SMARTDESK_[A-Z_]*(?:QUIT|EXIT)[A-Z_]*", path.read_text(encoding="utf-8"))
        if match:
            return match.group(0)
    return None


def prepared_data_dir() -> Path:
    """A data folder past the first-run dialog, with sample documents (made from source)."""
    folder = Path(tempfile.mkdtemp(prefix="smartdesk-bench-bundle-"))
    subprocess.run(
        [sys.executable, "-m", "smartdesk.cli", "--data-dir", str(folder), "demo-data", "--documents", "200"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    sys.path.insert(0, str(ROOT))
    from smartdesk.services import Workspace

    with Workspace.open(folder) as ws:
        ws.settings.set("first_run_done", True)
        ws.settings.set("ui_language", "fr")
    return folder


def time_run(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    return time.perf_counter() - started, done.returncode


def measure(label: str, command: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    cold = drop_caches()
    first, code = time_run(command, env)
    warm = statistics.median(time_run(command, env)[0] for _ in range(runs))
    print(
        f"  {label:<22} {'cold' if cold else 'first'} {first:6.2f} s   warm median {warm:6.2f} s  "
        f"({runs} runs, exit code {code})"
    )
    return first, warm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", action="store_true", help="run packaging/build.sh first")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "SmartDesk")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    if args.build:
        started = time.perf_counter()
        subprocess.run(
            [str(ROOT / "packaging" / "build.sh"), "--no-self-test"],
            check=True,
            env={**os.environ, "SMARTDESK_DIST_DIR": str(args.dist.parent)},
        )
        print(f"build time: {time.perf_counter() - started:.0f} s")
    exe = args.dist / ("SmartDesk.exe" if sys.platform == "win32" else "SmartDesk")
    if not exe.is_file():
        print(f"No bundle at {args.dist}: run packaging/build.sh first (or pass --build).", file=sys.stderr)
        return 1

    size = tree_size(args.dist)
    du = subprocess.run(["du", "-sm", str(args.dist)], capture_output=True, text=True).stdout.split()
    du_mib = int(du[0]) if du else size // 2**20
    verdict = "within" if du_mib <= TARGET_MB else "OVER"
    print(
        f"bundle {args.dist}: du {du_mib} MiB, {size / 1_000_000:.1f} MB of files "
        f"({verdict} the {TARGET_MB} MB target, measured with du)"
    )
    for name, part in biggest(args.dist):
        print(f"  {name:<28} {part / 1_000_000:7.1f} MB")
    print("parts:")
    for label, part in part_sizes(args.dist):
        print(f"  {label:<46} {part / 1_000_000:6.1f} MB")

    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    switch = gui_quit_switch()
    if switch:
        data = prepared_data_dir()
        env[switch] = "1"
        what, extra = f"main window shown ({switch}=1, 200 sample documents)", ["--data-dir", str(data)]
    else:
        what, extra = "--version (the GUI offers no quit-after-show switch yet)", ["--version"]
    print(f"start-up to: {what}")
    frozen_first, frozen_warm = measure("frozen", [str(exe), *extra], env, args.runs)
    measure("source", [sys.executable, "-m", "smartdesk.cli", *extra], env, args.runs)
    verdict = "within" if frozen_first <= TARGET_START_S else "OVER"
    print(
        f"frozen start {frozen_first:.2f} s first / {frozen_warm:.2f} s warm ({verdict} the {TARGET_START_S} s "
        f"target)"
    )
    print("self-test:")
    measure("frozen --self-test", [str(exe), "--self-test"], env, 2)
    measure("source --self-test", [sys.executable, "-m", "smartdesk.cli", "--self-test"], env, 2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
