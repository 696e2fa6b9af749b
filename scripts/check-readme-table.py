#!/usr/bin/env python3
"""Check that README.md's SDK method census tells the truth.

The census is every Markdown table in README.md whose header row is
`| SDK method | C function | status |`, plus the table `| C function | what it is for |`
of functions with no SDK counterpart. This check is independent of the generator
(scripts/update-readme-table.py): it derives what it needs from the rows, the header and
the test sources. It fails (exit 1) when:
  * a row's status is not one of: `implemented`, `partial (#N): why`, `not yet (#N)`,
    ``refused by design (`CODE`): why`` (CODE an HRESULT that src/ffi/hresult.rs defines);
  * an implemented / partial / refused row names no `wm_` function, or one the header
    does not declare; a "not yet" row names a declared function;
  * a row names the wrong function: for `IWMSomething::Method` every function must be the
    interface's object prefix + the method in snake case (`GetHostURL` -> `get_host_url`),
    unless the row is one of the callback / media-props rows listed in EXCEPTIONS;
  * an implemented row has a function that no test names (C/C++ tests in c_tests/, Rust
    integration tests in tests/ and cli/tests/, the fuzz targets);
  * the summary line "N of M methods implemented." is not the count of the rows;
  * a `wm_` function of the header appears in no row of either table.

usage: scripts/check-readme-table.py [README.md] [include/wmwriter.h]
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER_ROW = ["sdk method", "c function", "status"]
NON_SDK_ROW = ["c function", "what it is for"]

# Which C object prefix each SDK interface's methods take.
PREFIX = {
    "IWMWriter": "wm_writer_", "IWMWriterAdvanced": "wm_writer_", "IWMWriterAdvanced2": "wm_writer_",
    "IWMWriterAdvanced3": "wm_writer_", "IWMWriterPreprocess": "wm_writer_", "IWMWriterPostView": "wm_writer_",
    "IWMHeaderInfo": "wm_writer_", "IWMHeaderInfo2": "wm_writer_", "IWMHeaderInfo3": "wm_writer_",
    "IWMDRMWriter": "wm_writer_", "IWMDRMWriter2": "wm_writer_", "IWMDRMWriter3": "wm_writer_",
    "IWMWriterSink": "wm_writer_sink_", "IWMWriterFileSink": "wm_writer_file_sink_",
    "IWMWriterFileSink2": "wm_writer_file_sink_", "IWMWriterFileSink3": "wm_writer_file_sink_",
    "IWMWriterNetworkSink": "wm_writer_network_sink_", "IWMClientConnections": "wm_writer_network_sink_",
    "IWMClientConnections2": "wm_writer_network_sink_", "IWMWriterPushSink": "wm_writer_push_sink_",
    "INSSBuffer": "wm_buffer_", "INSSBuffer2": "wm_buffer_", "INSSBuffer3": "wm_buffer_", "INSSBuffer4": "wm_buffer_",
    "IWMProfileManager": "wm_profile_manager_", "IWMProfileManager2": "wm_profile_manager_",
    "IWMProfileManagerLanguage": "wm_profile_manager_", "IWMCodecInfo": "wm_profile_manager_",
    "IWMCodecInfo2": "wm_profile_manager_", "IWMCodecInfo3": "wm_profile_manager_",
    "IWMProfile": "wm_profile_", "IWMProfile2": "wm_profile_", "IWMProfile3": "wm_profile_",
    "IWMPacketSize": "wm_profile_", "IWMPacketSize2": "wm_profile_", "IWMLanguageList": "wm_profile_",
    "IWMStreamConfig": "wm_stream_config_", "IWMStreamConfig2": "wm_stream_config_",
    "IWMStreamConfig3": "wm_stream_config_", "IWMVideoMediaProps": "wm_stream_config_",
    "IWMPropertyVault": "wm_stream_config_", "IWMInputMediaProps": "wm_input_media_props_",
    "IWMMutualExclusion": "wm_mutual_exclusion_", "IWMMutualExclusion2": "wm_mutual_exclusion_",
    "IWMBandwidthSharing": "wm_bandwidth_sharing_", "IWMStreamPrioritization": "wm_stream_prioritization_",
    "IWMIndexer": "wm_indexer_", "IWMIndexer2": "wm_indexer_",
}
# Rows that do not follow the rule, with the functions they may name.
EXCEPTIONS = {
    "IWMWriterSink::OnHeader": {"wm_create_writer_callback_sink"},
    "IWMWriterSink::OnDataUnit": {"wm_create_writer_callback_sink"},
    "IWMWriterSink::OnEndWriting": {"wm_create_writer_callback_sink"},
    "IWMMediaProps::GetType": {"wm_stream_config_get_type", "wm_input_media_props_get_type"},
    "IWMMediaProps::GetMediaType": {"wm_stream_config_get_media_type", "wm_input_media_props_get_media_type"},
    "IWMMediaProps::SetMediaType": {"wm_stream_config_set_media_type", "wm_input_media_props_set_media_type"},
    "IWMRegisterCallback::Advise": {"wm_writer_advise", "wm_writer_sink_advise"},
    "IWMRegisterCallback::Unadvise": {"wm_writer_unadvise", "wm_writer_sink_unadvise"},
    "IWMStatusCallback::OnStatus": {"wm_writer_advise"},
    "WMCreateWriter": {"wm_create_writer"}, "WMCreateProfileManager": {"wm_create_profile_manager"},
    "WMCreateWriterFileSink": {"wm_create_writer_file_sink"},
    "WMCreateWriterNetworkSink": {"wm_create_writer_network_sink"},
    "WMCreateWriterPushSink": {"wm_create_writer_push_sink"}, "WMCreateIndexer": {"wm_create_indexer"},
}
TEST_GLOBS = ["c_tests/**/*.c", "c_tests/**/*.cpp", "tests/**/*.rs", "cli/tests/**/*.rs", "fuzz/fuzz_targets/*.rs"]


def strip_c(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r"^\s*#[^\n]*", " ", text, flags=re.M)


def declared_functions(header_text):
    return set(re.findall(r"\b(wm_\w+)\s*\(", strip_c(header_text)))


def snake(method):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", method)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()


def cells(line):
    return [p.strip() for p in line.strip().strip("|").split("|")]


def tables(readme_text):
    """(kind, line number, cells) for the rows of the census and of the non-SDK table."""
    rows, kind = [], None
    for n, line in enumerate(readme_text.splitlines(), 1):
        if not line.lstrip().startswith("|"):
            kind = None
            continue
        c = cells(line)
        low = [x.lower() for x in c]
        if low == HEADER_ROW:
            kind = "sdk"
        elif low == NON_SDK_ROW:
            kind = "extra"
        elif kind and not all(re.fullmatch(r":?-+:?", x) for x in c):
            rows.append((kind, n, c))
    return rows


def tested_names(root):
    text = []
    for pat in TEST_GLOBS:
        for f in root.glob(pat):
            text.append(strip_c(f.read_text(encoding="utf-8", errors="replace")) if f.suffix in (".c", ".cpp") else f.read_text(encoding="utf-8", errors="replace"))
    return set(re.findall(r"\bwm_\w+", "\n".join(text)))


def main():
    readme = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "README.md"
    header = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "include" / "wmwriter.h"
    readme_text = readme.read_text(encoding="utf-8")
    declared = declared_functions(header.read_text(encoding="utf-8"))
    codes = set(re.findall(r"\b((?:NS|ASF|E)_[A-Z0-9_]+)\b", (ROOT / "src" / "ffi" / "hresult.rs").read_text(encoding="utf-8")))
    tested = tested_names(ROOT)
    errors, named = [], set()
    total = implemented = 0
    rows = tables(readme_text)
    if not any(k == "sdk" for k, _, _ in rows):
        errors.append(f"{readme}: no table with the header row | SDK method | C function | status |")
    for kind, n, c in rows:
        where = f"{readme.name}:{n}"
        if kind == "extra":
            funcs = re.findall(r"\bwm_\w+", c[0])
            named.update(funcs)
            for f in funcs:
                if f not in declared:
                    errors.append(f"{where}: {f} is listed as a non-SDK function but is not declared in {header.name}")
            continue
        if len(c) != 3:
            errors.append(f"{where}: a row of the method table needs exactly 3 cells")
            continue
        method, cfun, status = c[0].strip("`"), c[1], c[2]
        funcs = re.findall(r"\bwm_\w+", cfun)
        named.update(funcs)
        total += 1
        if status == "implemented":
            implemented += 1
            kind_ok = True
        elif re.fullmatch(r"partial \(#\d+\): .+", status) or re.fullmatch(r"refused by design \(`[A-Z0-9_]+`\): .+", status):
            kind_ok = True
            m = re.match(r"refused by design \(`([A-Z0-9_]+)`\)", status)
            if m and m.group(1) not in codes:
                errors.append(f"{where}: {method} is refused with {m.group(1)}, which src/ffi/hresult.rs does not define")
        elif re.fullmatch(r"not yet \(#\d+\)", status):
            kind_ok = False
            for f in funcs:
                if f in declared:
                    errors.append(f"{where}: {method} is marked '{status}' but {f} is declared in {header.name}")
        else:
            errors.append(f"{where}: {method}: status must be implemented, partial (#N): ..., not yet (#N) or refused by design (`CODE`): ..., got '{status}'")
            continue
        if not kind_ok:
            continue
        if not funcs:
            errors.append(f"{where}: {method} is marked '{status}' but names no wm_ function")
        for f in funcs:
            if f not in declared:
                errors.append(f"{where}: {method} names {f}, which {header.name} does not declare")
        # the right function?
        if method in EXCEPTIONS:
            wrong = [f for f in funcs if f not in EXCEPTIONS[method]]
        elif method.startswith("IUnknown::"):
            suffix = "_add_ref" if method.endswith("AddRef") else "_release"
            wrong = [f for f in funcs if not f.endswith(suffix)]
        elif "::" in method and method.split("::")[0] in PREFIX:
            iface, m = method.split("::", 1)
            want = PREFIX[iface] + snake(m)
            wrong = [f for f in funcs if f != want]
        else:
            wrong = funcs
            errors.append(f"{where}: {method}: unknown interface; add it to PREFIX or EXCEPTIONS in {Path(__file__).name}")
        for f in wrong:
            errors.append(f"{where}: {method} names {f}, which is not that method's function")
        if status == "implemented":
            for f in funcs:
                if f not in tested:
                    errors.append(f"{where}: {method} is marked implemented but no test ({', '.join(TEST_GLOBS)}) names {f}")
    m = re.search(r"^(\d+) of (\d+) methods implemented\.$", readme_text, flags=re.M)
    if not m:
        errors.append(f"{readme.name}: no summary line 'N of M methods implemented.'")
    elif (int(m.group(1)), int(m.group(2))) != (implemented, total):
        errors.append(f"{readme.name}: the summary says {m.group(1)} of {m.group(2)}; the rows say {implemented} of {total}")
    for f in sorted(declared - named):
        errors.append(f"{header.name}: {f} is declared but missing from the README method tables")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"check-readme-table: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(f"check-readme-table: {total} SDK rows ({implemented} implemented) agree with {len(declared)} wm_ functions in {header.name} and the tests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
