"""The setuptools build step that compiles the gettext catalogues (``.po`` -> ``.mo``).

Everything else is in pyproject.toml. The ``.mo`` files are not committed
(docs/decisions/0007-gettext-catalogues.md): a wheel gets them in its build folder, an editable install
(``pip install -e .``, what scripts/_setup.sh does) next to the ``.po`` files in the source tree.
smartdesk/i18n/build.py is loaded by its path: it needs only the standard library, which is all an
isolated build environment has besides setuptools.
"""

import importlib.util
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
LOCALE = ROOT / "smartdesk" / "i18n" / "locale"


def _catalogue_compiler():  # noqa: ANN202 - a module loaded by path
    spec = importlib.util.spec_from_file_location(
        "_smartdesk_i18n_build", ROOT / "smartdesk" / "i18n" / "build.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class BuildPyWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        compiler = _catalogue_compiler()
        if getattr(self, "editable_mode", False):
            compiler.compile_all(LOCALE)
        else:
            compiler.compile_all(LOCALE, Path(self.build_lib) / "smartdesk" / "i18n" / "locale")


setup(cmdclass={"build_py": BuildPyWithCatalogues})
