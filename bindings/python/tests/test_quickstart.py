"""The Python quick start runs as written, and every README copy of it is identical to
bindings/python/examples/quickstart.py (the file this test runs)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import PACKAGE_ROOT, REPO_ROOT

QUICKSTART = PACKAGE_ROOT / "examples" / "quickstart.py"


def first_python_block(markdown: str):
    m = re.search(r"^```python\n(.*?)^```", markdown, re.S | re.M)
    return m.group(1) if m else None


def test_package_readme_quick_start_is_the_example():
    block = first_python_block((PACKAGE_ROOT / "README.md").read_text(encoding="utf-8"))
    assert block == QUICKSTART.read_text(encoding="utf-8"), (
        "bindings/python/README.md's quick start differs from bindings/python/examples/quickstart.py")


def test_repository_readme_quick_start_is_the_example():
    readme = REPO_ROOT / "README.md"
    block = first_python_block(readme.read_text(encoding="utf-8")) if readme.exists() else None
    if block is None:
        pytest.skip("README.md has no ```python quick start (yet)")
    assert block == QUICKSTART.read_text(encoding="utf-8"), (
        "README.md's first ```python block differs from bindings/python/examples/quickstart.py")


def test_quick_start_runs_as_written(tmp_path):
    pytest.importorskip("numpy")
    r = subprocess.run([sys.executable, str(QUICKSTART)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "wrote quickstart.wmv"
    out = tmp_path / "quickstart.wmv"
    assert out.stat().st_size > 2 * 25 * 320 * 240  # 50 raw frames and more
    av = pytest.importorskip("av")
    with av.open(str(out)) as c:
        assert sorted(s.type for s in c.streams) == ["audio", "video"]
        assert c.duration / 1e6 == pytest.approx(2.0, abs=0.05)
        assert c.metadata.get("title") == "Quick start"
        assert sum(1 for _ in c.decode(video=0)) == 50
