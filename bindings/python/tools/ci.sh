#!/usr/bin/env bash
# CI for the Python package: install bindings/python (with its test extras: pytest,
# numpy, av, mutagen) the way a user would, check that wmwriter/_ffi.py matches
# include/wmwriter.h, and run the pytest suite against the library built from this tree.
# Needs `cargo build --release` first. Run from anywhere.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
lib="$root/target/release/libwmwriter.so"
[ -f "$lib" ] || { echo "bindings/python/tools/ci.sh: $lib is missing: run cargo build --release first" >&2; exit 1; }

# Debian's system Python refuses pip installs (PEP 668) unless told otherwise.
pip_install() {
    "$python" -m pip install --quiet "$@" || "$python" -m pip install --quiet --break-system-packages "$@"
}
pip_install "./bindings/python[test]"

"$python" bindings/python/tools/gen_ffi.py --check
WMWRITER_LIBRARY="$lib" "$python" -m pytest -q -p no:cacheprovider bindings/python/tests
