"""The Qt binding in use does not leak or drop references on the calls the app makes all the time.

PySide6 6.12.0 dropped a reference to ``None`` on each call of a method returning nothing; on
Python 3.11 (where ``None`` is not immortal) the interpreter then aborted after a few thousand
calls. This runs the check in a child process, so a bad binding fails this test instead of
aborting the whole test run.
"""

from __future__ import annotations

import os
import subprocess
import sys

CHILD = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for i in range(3000):
    label.setText("x")
    app.processEvents()
after = sys.getrefcount(None)
print(before, after)
"""


def test_void_calls_keep_the_reference_count_of_none() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    before, after = (int(x) for x in out.stdout.split()[-2:])
    # a few references may be created or released by Qt's own objects; thousands must not vanish
    assert abs(after - before) < 100, (before, after)
