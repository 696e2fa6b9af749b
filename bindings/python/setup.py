"""Build hook of the wmwriter wheel: bundle libwmwriter.so next to the Python package.

The package is plain Python over ctypes (no extension module), so the only native
part of the wheel is the Rust library itself. The backend is setuptools, with this
hook, rather than maturin or scikit-build-core:

* maturin builds a Rust crate *as* a Python module (pyo3) or generates a cffi module
  from the header; neither fits a ctypes package over an existing C ABI, and its
  "bin" mode ships executables, not libraries.
* scikit-build-core would drive the whole CMake project (cargo, the C tests, the
  install tree) to obtain the one file cargo makes directly.
* setuptools is the reference backend, and the hook is a single `cargo build` plus a
  copy; everything else (metadata, py.typed, the wheel tag) is standard.

Where the library comes from, in order:

1. ``$WMWRITER_LIBRARY`` at build time: a ready library file to bundle (e.g. a CI
   artefact); no Rust needed.
2. ``cargo build --release --lib -p wmwriter`` in the repository that holds this
   directory (``$CARGO_TARGET_DIR`` is honoured; with the default, an earlier
   ``cargo build --release`` makes this a no-op).

The wheel is tagged ``py3-none-<platform>``: any Python 3 (ctypes has no ABI tie to
the interpreter), one platform (the bundled library's).

    python3 -m pip wheel --no-deps -w dist ./bindings/python
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
if sys.platform == "darwin":
    LIBRARY = "libwmwriter.dylib"
elif sys.platform == "win32":
    LIBRARY = "wmwriter.dll"
else:
    LIBRARY = "libwmwriter.so"


def library_to_bundle() -> Path:
    given = os.environ.get("WMWRITER_LIBRARY")
    if given:
        path = Path(given)
        if not path.is_file():
            raise SystemExit(f"wmwriter build: WMWRITER_LIBRARY={given} is not a file")
        return path
    manifest = REPO / "Cargo.toml"
    if not manifest.is_file():
        raise SystemExit(
            f"wmwriter build: {HERE} is not inside the wmwriter repository (no {manifest}), so there is "
            "no Rust crate to build; set WMWRITER_LIBRARY to a built libwmwriter to bundle"
        )
    cargo = shutil.which("cargo")
    if cargo is None:
        raise SystemExit(
            "wmwriter build: cargo is not on PATH; install Rust (https://rustup.rs) to build the library, "
            "or set WMWRITER_LIBRARY to a built libwmwriter to bundle"
        )
    subprocess.run([cargo, "build", "--release", "--lib", "-p", "wmwriter", "--manifest-path", str(manifest)],
                   check=True, cwd=str(REPO))
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    if not target.is_absolute():
        target = REPO / target
    built = target / "release" / LIBRARY
    if not built.is_file():
        raise SystemExit(f"wmwriter build: cargo succeeded but {built} is missing")
    return built


class BuildPyWithLibrary(build_py):
    """build_py, then copy the library into the built package."""

    def run(self) -> None:
        super().run()
        src = library_to_bundle()
        dst = Path(self.build_lib) / "wmwriter" / LIBRARY
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o755)
        print(f"wmwriter build: bundled {src} ({dst.stat().st_size} bytes)")


class PlatformWheel(bdist_wheel):
    """A platform wheel (it carries a native library) for every Python 3."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        _, _, plat = super().get_tag()
        return "py3", "none", plat


class BinaryDistribution(Distribution):
    def has_ext_modules(self) -> bool:  # install into platlib, like any native package
        return True


setup(distclass=BinaryDistribution, cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel})
