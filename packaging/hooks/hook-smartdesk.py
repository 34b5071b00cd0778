"""PyInstaller hook for the ``smartdesk`` package (found through ``hookspath=['packaging/hooks']``).

* every submodule, because the CLI loads its optional command modules with importlib;
* the Alembic migration scripts as *files* (Alembic reads env.py and versions/*.py from disk);
* the package metadata, so ``smartdesk.__version__`` is the real version in the bundle;
* the data files, with the compiled translations (``*.mo``) but not their ``.po`` / ``.pot`` sources.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata

hiddenimports = collect_submodules("smartdesk", filter=lambda name: ".tests" not in name)
datas = collect_data_files(
    "smartdesk.store.migrations", include_py_files=True, excludes=["**/__pycache__", "**/__pycache__/*"]
)
# the data files, among them the compiled translations (*.mo, made by build.spec); not their sources
datas += collect_data_files(
    "smartdesk", excludes=["**/*.py", "**/*.pyc", "**/__pycache__", "**/*.po", "**/*.pot"]
)
datas += copy_metadata("smartdesk")
