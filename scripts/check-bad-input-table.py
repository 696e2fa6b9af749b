#!/usr/bin/env python3
"""Check (or with --write, rewrite) README.md's bad-input table from `test_bad_input --markdown`.

usage: scripts/check-bad-input-table.py TEST_BAD_INPUT_EXE [--write]
"""
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- bad-input:start -->", "<!-- bad-input:end -->"


def main():
    exe = sys.argv[1]
    table = subprocess.run([exe, "--markdown"], check=True, capture_output=True, text=True).stdout
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    old, tail = rest.split(END, 1)
    new = f"{head}{START}\n{table}{END}{tail}"
    if "--write" in sys.argv[2:]:
        README.write_text(new, encoding="utf-8")
        return 0
    if new != text:
        print("README.md's bad-input table differs from test_bad_input --markdown; "
              "run scripts/check-bad-input-table.py build/c_tests/test_bad_input --write", file=sys.stderr)
        return 1
    rows = table.count("\n") - 2
    print(f"check-bad-input-table: README lists the same {rows} rows as test_bad_input")
    return 0


if __name__ == "__main__":
    sys.exit(main())
