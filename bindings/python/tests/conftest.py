"""Shared fixtures.

The tests import ``wmwriter`` the normal way: the installed package when run after
``pip install ./bindings/python``, or the checkout when ``bindings/python`` is on
``sys.path``. If ``$WMWRITER_LIBRARY`` is not set and this checkout has a built
``target/release/libwmwriter.so``, it is used (so an installed package is tested
against the library built from this tree, not whatever the system has).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
PACKAGE_ROOT = TESTS.parent  # bindings/python
REPO_ROOT = PACKAGE_ROOT.parent.parent
HEADER = REPO_ROOT / "include" / "wmwriter.h"
GEN_FFI = PACKAGE_ROOT / "tools" / "gen_ffi.py"
LIBRARY_NAME = "libwmwriter.dylib" if sys.platform == "darwin" else "libwmwriter.so"
BUILT_LIBRARY = REPO_ROOT / "target" / "release" / LIBRARY_NAME

if not os.environ.get("WMWRITER_LIBRARY") and BUILT_LIBRARY.exists():
    os.environ["WMWRITER_LIBRARY"] = str(BUILT_LIBRARY)

import wmwriter  # noqa: E402  (after the environment is set)


def pytest_report_header(config: object) -> str:
    return f"wmwriter: package {Path(wmwriter.__file__).parent}, library {wmwriter.library_path}"


@pytest.fixture
def tmp_file(tmp_path: Path):
    """A factory of output paths in the test's temporary directory."""

    def make(name: str = "out.wmv") -> Path:
        return tmp_path / name

    return make


@pytest.fixture
def audio_profile() -> "wmwriter.Profile":
    """A profile with one 16-bit stereo 44.1 kHz PCM stream (connection name "Audio")."""
    p = wmwriter.Profile()
    p.add_audio_stream(2, 44100, 16).close()
    yield p
    p.close()


@pytest.fixture
def writer(audio_profile: "wmwriter.Profile", tmp_path: Path) -> "wmwriter.Writer":
    """A configured (not yet writing) writer on ``audio_profile``."""
    w = wmwriter.Writer(audio_profile, tmp_path / "out.wma")
    yield w
    w.close()


# --- WMWRITER_REQUIRE_TOOLS=1 (CI): a missing tool or package fails, it does not skip ---
# Skips that depend on the platform or the Python version, not on something CI must
# install, stay skips; every other skip (pytest.importorskip of numpy / av / mutagen,
# "ffmpeg not installed", "needs nm", ...) becomes a failure.
REQUIRE_TOOLS = os.environ.get("WMWRITER_REQUIRE_TOOLS") == "1"
ALLOWED_SKIPS = (
    "PEP 688",  # Python < 3.12
    "copies a .so",  # not Linux
    "a library is bundled in the checkout's package directory",
    "a system libwmwriter is installed",
    "not in a repository checkout",
)


def _fail_tool_skip(report) -> None:
    if not (REQUIRE_TOOLS and report.skipped) or getattr(report, "wasxfail", None) is not None:
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    if any(allowed in reason for allowed in ALLOWED_SKIPS):
        return
    report.outcome = "failed"
    report.longrepr = f"skipped, but WMWRITER_REQUIRE_TOOLS=1 makes a missing tool or package a failure: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_tool_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_tool_skip(outcome.get_result())
