#!/usr/bin/env bash
# CI for the Python package: build the wheel the way the README does (setup.py's hook
# bundles libwmwriter.so; it runs `cargo build --release --lib`, a no-op after a
# release build), install it into a fresh venv that sees the system's test packages
# (pytest, numpy, av, mutagen: scripts/setup-test-deps.sh), check that wmwriter/_ffi.py
# matches include/wmwriter.h, and run the pytest suite against the installed wheel and
# its bundled library. WMWRITER_REQUIRE_TOOLS=1 turns tool / package skips into
# failures (tests/conftest.py). Run from anywhere.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
work="$(mktemp -d "${TMPDIR:-/tmp}/wmwriter-py.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$python" -m pip wheel --quiet --no-deps -w "$work/dist" ./bindings/python
wheel="$(ls "$work"/dist/wmwriter-*.whl)"
"$python" -m zipfile -l "$wheel" | grep -q 'wmwriter/libwmwriter\.so' || { echo "ci.sh: $wheel has no libwmwriter.so" >&2; exit 1; }
"$python" -m zipfile -l "$wheel" | grep -q 'wmwriter/py\.typed' || { echo "ci.sh: $wheel has no py.typed" >&2; exit 1; }
echo "built $(basename "$wheel") ($(wc -c <"$wheel") bytes)"

"$python" -m venv --system-site-packages "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --no-deps "$wheel"
"$python" bindings/python/tools/gen_ffi.py --check
# From a directory outside the checkout: `import wmwriter` must be the installed wheel.
pkg="$(cd "$work" && env -u WMWRITER_LIBRARY "$work/venv/bin/python" -c 'import wmwriter; print(wmwriter.library_path)')"
case "$pkg" in
"$work/venv/"*/wmwriter/libwmwriter.so) echo "the installed wheel loads its bundled $pkg" ;;
*) echo "ci.sh: the installed wheel loaded $pkg, not its bundled library" >&2; exit 1 ;;
esac
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider bindings/python/tests
