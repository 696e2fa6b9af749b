"""Finding the shared library: bundled in the package dir, $WMWRITER_LIBRARY, checkout target/release, system."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILT_LIBRARY, PACKAGE_ROOT

import wmwriter

PROBE = "import wmwriter, sys; sys.stdout.write(str(wmwriter.library_path))"


def run(code: str, *, path: Path, env_library: "str | None") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("WMWRITER_LIBRARY", "PYTHONPATH")}
    if env_library is not None:
        env["WMWRITER_LIBRARY"] = env_library
    env["PYTHONPATH"] = str(path)
    # -S: no site-packages, so an installed wmwriter cannot shadow the copy under test.
    return subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, env=env,
                          cwd=str(path))


def package_copy(tmp_path: Path, with_library: bool) -> Path:
    dst = tmp_path / "site"
    shutil.copytree(Path(wmwriter.__file__).parent, dst / "wmwriter",
                    ignore=shutil.ignore_patterns("__pycache__", "libwmwriter.*"))
    if with_library:
        shutil.copy(wmwriter.library_path, dst / "wmwriter" / "libwmwriter.so")
    return dst


def test_env_var_wins_without_a_bundled_library(tmp_path):
    lib = wmwriter.library_path
    r = run(PROBE, path=package_copy(tmp_path, with_library=False), env_library=lib)
    assert r.returncode == 0, r.stderr
    assert r.stdout == lib


@pytest.mark.skipif(sys.platform != "linux", reason="copies a .so")
def test_bundled_library_comes_first(tmp_path):
    site = package_copy(tmp_path, with_library=True)
    r = run(PROBE, path=site, env_library=str(tmp_path / "nope.so"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == str(site / "wmwriter" / "libwmwriter.so")


def test_env_var_pointing_nowhere_is_an_error_without_fallback(tmp_path):
    r = run(PROBE, path=package_copy(tmp_path, with_library=False), env_library=str(tmp_path / "nope.so"))
    assert r.returncode != 0
    assert "ImportError" in r.stderr
    assert "$WMWRITER_LIBRARY" in r.stderr and "nope.so: no such file" in r.stderr


def test_env_var_pointing_at_a_non_library(tmp_path):
    bogus = tmp_path / "libbogus.so"
    bogus.write_text("not a library")
    r = run(PROBE, path=package_copy(tmp_path, with_library=False), env_library=str(bogus))
    assert r.returncode != 0
    assert "cannot load the wmwriter shared library" in r.stderr and str(bogus) in r.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="copies a .so")
def test_package_directory_without_env_var(tmp_path):
    site = package_copy(tmp_path, with_library=True)
    r = run(PROBE, path=site, env_library=None)
    assert r.returncode == 0, r.stderr
    assert r.stdout == str(site / "wmwriter" / "libwmwriter.so")


@pytest.mark.skipif(not BUILT_LIBRARY.exists(), reason="no target/release build in this checkout")
def test_checkout_target_release(tmp_path):
    if list((PACKAGE_ROOT / "wmwriter").glob("libwmwriter.*")):
        pytest.skip("a library is bundled in the checkout's package directory")
    r = run(PROBE, path=PACKAGE_ROOT, env_library=None)
    assert r.returncode == 0, r.stderr
    assert r.stdout == str(BUILT_LIBRARY)


@pytest.mark.skipif(ctypes.util.find_library("wmwriter") is not None, reason="a system libwmwriter is installed")
def test_nothing_found_lists_every_place(tmp_path):
    r = run(PROBE, path=package_copy(tmp_path, with_library=False), env_library=None)
    assert r.returncode != 0
    err = r.stderr
    assert "ImportError: wmwriter: cannot load the wmwriter shared library. Tried:" in err
    assert "package directory" in err and "system (ctypes.util.find_library)" in err
    assert "cargo build --release" in err
