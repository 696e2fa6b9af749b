#!/usr/bin/env python3
"""Check that README.md's SDK method table tells the truth about include/wmwriter.h.

The table is every Markdown table in README.md whose header row is
`| SDK method | C function | status |`. Fails (exit 1) when:
  * a row marked "implemented" names no `wm_` function, or names one the header does
    not declare;
  * a row marked "not yet" names a `wm_` function the header declares (stale status);
  * a row's status is neither "implemented" nor "not yet (#N)";
  * a `wm_` function declared in the header appears in no row.

usage: scripts/check-readme-table.py [README.md] [include/wmwriter.h]
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER_ROW = ["sdk method", "c function", "status"]


def declared_functions(header_text):
    """Names of the wm_* functions the header declares (comments stripped)."""
    text = re.sub(r"/\*.*?\*/", " ", header_text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^\s*#[^\n]*", " ", text, flags=re.M)
    return set(re.findall(r"\b(wm_\w+)\s*\(", text))


def cells(line):
    parts = line.strip().strip("|").split("|")
    return [p.strip() for p in parts]


def table_rows(readme_text):
    """(line number, sdk method, c function cell, status) for every row of the tables."""
    rows = []
    lines = readme_text.splitlines()
    in_table = False
    for n, line in enumerate(lines, 1):
        if not line.lstrip().startswith("|"):
            in_table = False
            continue
        c = cells(line)
        if [x.lower() for x in c] == HEADER_ROW:
            in_table = True
            continue
        if not in_table or all(re.fullmatch(r":?-+:?", x) for x in c):
            continue
        if len(c) != 3:
            rows.append((n, line, None, None))
        else:
            rows.append((n, c[0], c[1], c[2]))
    return rows


def main():
    readme = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "README.md"
    header = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "include" / "wmwriter.h"
    declared = declared_functions(header.read_text(encoding="utf-8"))
    rows = table_rows(readme.read_text(encoding="utf-8"))
    errors = []
    if not rows:
        errors.append(f"{readme}: no table with the header row | SDK method | C function | status |")
    named = set()
    for n, method, cfun, status in rows:
        where = f"{readme.name}:{n}"
        if cfun is None:
            errors.append(f"{where}: a row of the method table needs exactly 3 cells: {method}")
            continue
        funcs = re.findall(r"\bwm_\w+", cfun)
        named.update(funcs)
        if status == "implemented":
            if not funcs:
                errors.append(f"{where}: {method} is marked implemented but names no wm_ function")
            for f in funcs:
                if f not in declared:
                    errors.append(f"{where}: {method} is marked implemented but {f} is not declared in {header.name}")
        elif re.fullmatch(r"not yet \(#\d+\)", status):
            for f in funcs:
                if f in declared:
                    errors.append(f"{where}: {method} is marked '{status}' but {f} is declared in {header.name}")
        else:
            errors.append(f"{where}: {method}: status must be 'implemented' or 'not yet (#N)', got '{status}'")
    for f in sorted(declared - named):
        errors.append(f"{header.name}: {f} is declared but missing from the README method table")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"check-readme-table: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    implemented = sum(1 for r in rows if r[3] == "implemented")
    print(f"check-readme-table: {len(rows)} rows ({implemented} implemented) agree with {len(declared)} wm_ functions in {header.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
