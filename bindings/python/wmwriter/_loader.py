"""Find and load the wmwriter shared library.

Search order (the first hit wins):

1. The package directory: the library a wheel bundles next to ``wmwriter/__init__.py``
   (``pip wheel ./bindings/python`` puts ``libwmwriter.so`` there). It comes first
   because it is the build these ctypes declarations were generated against; a
   variable left over in the environment cannot pair them with another library.
2. ``$WMWRITER_LIBRARY``: a path to the library file, for a package without a bundled
   library (a checkout on ``PYTHONPATH``). When it is set it must work; there is no
   fallback (a wrong path is an error, not a hint).
3. ``target/release`` (then ``target/debug``) of the repository this package sits in,
   when running from a checkout (``bindings/python/wmwriter`` inside the repo).
4. The system: ``ctypes.util.find_library("wmwriter")`` (``ldconfig``, ``LD_LIBRARY_PATH``
   on some platforms, ...).

If nothing loads, :class:`ImportError` lists every place tried and why it failed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path
from typing import List, Optional, Tuple

ENV_VAR = "WMWRITER_LIBRARY"

if sys.platform == "win32":
    _FILE_NAMES: Tuple[str, ...] = ("wmwriter.dll",)
elif sys.platform == "darwin":
    _FILE_NAMES = ("libwmwriter.dylib",)
else:
    _FILE_NAMES = ("libwmwriter.so",)

_lib: Optional[ctypes.CDLL] = None
library_path: Optional[str] = None


def candidates() -> List[Tuple[str, str]]:
    """The places to try, in order, as (description, path or library name)."""
    out: List[Tuple[str, str]] = []
    pkg = Path(__file__).resolve().parent
    for name in _FILE_NAMES:
        if (pkg / name).is_file():
            return [("package directory (bundled)", str(pkg / name))]
    env = os.environ.get(ENV_VAR)
    if env:
        return [(f"${ENV_VAR}", env)]
    for name in _FILE_NAMES:
        out.append(("package directory", str(pkg / name)))
    repo = pkg.parent.parent.parent  # <repo>/bindings/python/wmwriter
    if (repo / "Cargo.toml").is_file():
        for profile in ("release", "debug"):
            for name in _FILE_NAMES:
                out.append((f"repository target/{profile}", str(repo / "target" / profile / name)))
    found = ctypes.util.find_library("wmwriter")
    out.append(("system (ctypes.util.find_library)", found or "wmwriter"))
    return out


def load_library() -> ctypes.CDLL:
    """Load the library once (see the module docstring for the search order)."""
    global _lib, library_path
    if _lib is not None:
        return _lib
    tried: List[str] = []
    for where, path in candidates():
        is_file = os.sep in path or "/" in path
        if is_file and not os.path.exists(path):
            tried.append(f"  {where}: {path}: no such file")
            continue
        if where == "system (ctypes.util.find_library)" and path == "wmwriter":
            tried.append(f"  {where}: libwmwriter not found")
            continue
        try:
            _lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append(f"  {where}: {path}: {e}")
            continue
        library_path = path
        return _lib
    hint = (
        f"Build it with `cargo build --release` in the wmwriter repository and set {ENV_VAR} to "
        "target/release/libwmwriter.so, or install the library where the system linker finds it."
    )
    raise ImportError("wmwriter: cannot load the wmwriter shared library. Tried:\n" + "\n".join(tried) + "\n" + hint)
