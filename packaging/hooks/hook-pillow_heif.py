"""pillow-heif: its binary extension is imported from C; make sure the package metadata travels too."""

from PyInstaller.utils.hooks import collect_dynamic_libs, copy_metadata

binaries = collect_dynamic_libs("pillow_heif")
datas = copy_metadata("pillow_heif")
