"""The generated ctypes layer: up to date with the header, complete, and consistent with the library."""

from __future__ import annotations

import ctypes
import importlib.util
import re
import shutil
import subprocess
import sys
import uuid

import pytest

from conftest import GEN_FFI, HEADER

import wmwriter
from wmwriter import _ffi

REGEN = "python3 bindings/python/tools/gen_ffi.py"


def load_gen_ffi():
    spec = importlib.util.spec_from_file_location("gen_ffi", GEN_FFI)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules["gen_ffi"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


needs_header = pytest.mark.skipif(not HEADER.exists(), reason="not in a repository checkout (no include/wmwriter.h)")


@needs_header
def test_ffi_is_up_to_date_with_the_header():
    """_ffi.py must equal what gen_ffi.py generates from include/wmwriter.h right now."""
    gen = load_gen_ffi()
    expected = gen.generate(HEADER.read_text(encoding="utf-8"))
    committed = (GEN_FFI.parent.parent / "wmwriter" / "_ffi.py").read_text(encoding="utf-8")
    if committed != expected:
        first = next((i for i, (a, b) in enumerate(zip(committed.splitlines(), expected.splitlines())) if a != b),
                     min(len(committed.splitlines()), len(expected.splitlines())))
        pytest.fail(
            "bindings/python/wmwriter/_ffi.py is stale (include/wmwriter.h changed). Regenerate it with:\n"
            f"  {REGEN}\n"
            f"first difference at line {first + 1}:\n"
            f"  committed: {committed.splitlines()[first] if first < len(committed.splitlines()) else '<end>'}\n"
            f"  generated: {expected.splitlines()[first] if first < len(expected.splitlines()) else '<end>'}"
        )


@needs_header
def test_installed_ffi_matches_the_checkout():
    """The imported wmwriter (maybe pip-installed) carries the same _ffi.py as the checkout."""
    gen = load_gen_ffi()
    expected = gen.generate(HEADER.read_text(encoding="utf-8"))
    installed = open(_ffi.__file__, encoding="utf-8").read()
    assert installed == expected, (
        f"{_ffi.__file__} differs from the header: regenerate ({REGEN}) and reinstall (pip install ./bindings/python)"
    )


@needs_header
def test_every_prototype_of_the_header_is_declared():
    protos = re.findall(r"^[A-Za-z_][\w \*]*?\b(wm_\w+)\s*\(", HEADER.read_text(encoding="utf-8"), re.M)
    assert protos, "no prototypes found in the header"
    assert sorted(set(protos)) == sorted(_ffi.FUNCTIONS)


def test_every_function_has_explicit_argtypes_and_restype():
    assert len(_ffi.FUNCTIONS) > 100
    source = open(_ffi.__file__, encoding="utf-8").read()
    for name in _ffi.FUNCTIONS:
        f = getattr(_ffi.lib, name)
        assert f is getattr(_ffi, name)
        assert f.argtypes is not None, name
        assert len(f.argtypes) == len(_ffi.PARAMETERS[name]), name
        # ctypes' default restype is c_int (== c_int32 == HRESULT here), so check the source
        # says it explicitly.
        assert f"{name} = _fn({name!r}, " in source, name
        if name.endswith(("_add_ref", "_release")):
            assert f.restype is ctypes.c_uint32, name
            assert len(f.argtypes) == 1 and f.argtypes[0]._type_.__name__.startswith("WM"), name
        elif name in ("wm_hresult_name", "wm_get_last_error_message"):
            assert f.restype is ctypes.c_char_p
        else:
            assert f.restype is _ffi.HRESULT, name


def test_every_exported_symbol_is_in_the_bindings():
    """Each wm_* function the shared library exports is declared (so none is missing from the header)."""
    nm = shutil.which("nm")
    if nm is None or sys.platform != "linux":
        pytest.skip("needs nm on Linux")
    out = subprocess.run([nm, "-D", "--defined-only", wmwriter.library_path], capture_output=True, text=True,
                         check=True).stdout
    exported = {line.split()[-1] for line in out.splitlines() if re.search(r" T wm_", line)}
    assert exported, "no wm_ functions exported?"
    missing = sorted(exported - set(_ffi.FUNCTIONS))
    assert not missing, f"exported by the library but not declared in include/wmwriter.h: {missing}"
    data = {line.split()[-1] for line in out.splitlines() if re.search(r" [RD] ", line)}
    guids = {n for n in data if re.match(r"(WM|CLSID_)", n)}
    assert not sorted(guids - set(_ffi.GLOBALS)), "exported GUIDs missing from the header"


def test_struct_layouts():
    assert ctypes.sizeof(_ffi.WMGuid) == 16
    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(_ffi.WM_MEDIA_TYPE) == 88  # documented in the header
        assert ctypes.sizeof(_ffi.WMWriterSinkCallbacks) == 48
    assert _ffi.WM_MEDIA_TYPE.cbFormat.offset < _ffi.WM_MEDIA_TYPE.pbFormat.offset
    if hasattr(_ffi, "WM_STREAM_PRIORITY_RECORD"):  # #pragma pack(push, 2)
        assert ctypes.sizeof(_ffi.WM_STREAM_PRIORITY_RECORD) == 6
        assert _ffi.WM_STREAM_PRIORITY_RECORD.fMandatory.offset == 2


def test_constants():
    assert _ffi.S_OK == 0
    assert _ffi.E_POINTER == -2147467261  # (int32_t)0x80004003
    assert _ffi.NS_E_INVALID_REQUEST == 0xC00D002B - (1 << 32)
    assert _ffi.WM_SF_CLEANPOINT == 1
    assert _ffi.WMT_VER_9_0 == 0x90000
    assert _ffi.WMT_TYPE_STRING == 1
    assert wmwriter.E_INVALIDARG == _ffi.E_INVALIDARG  # re-exported


def test_every_hresult_constant_has_its_name_in_the_library():
    names = [n for n in _ffi.CONSTANTS if re.match(r"(S|E|NS_E|ASF_E)_", n)]
    assert len(names) > 20
    for n in names:
        assert wmwriter.hresult_name(getattr(_ffi, n)) == n


def test_guid_globals_are_read_from_the_library():
    assert isinstance(_ffi.WMMEDIATYPE_Audio, _ffi.WMGuid)
    assert wmwriter.guids.WMMEDIATYPE_Audio == uuid.UUID("73647561-0000-0010-8000-00AA00389B71")
    assert wmwriter.guids.WMMEDIASUBTYPE_PCM == uuid.UUID("00000001-0000-0010-8000-00AA00389B71")
    assert wmwriter.guids.WMMEDIASUBTYPE_I420 == uuid.UUID("30323449-0000-0010-8000-00AA00389B71")
    assert wmwriter.guids.name_of(wmwriter.guids.WMFORMAT_WaveFormatEx) == "WMFORMAT_WaveFormatEx"
    assert set(wmwriter.guids.ALL) == set(_ffi.GLOBALS)


def test_raw_functions_accept_wrappers():
    """Wrappers pass straight to the raw functions (``_as_parameter_``)."""
    with wmwriter.Profile() as p:
        n = ctypes.c_uint32(99)
        assert _ffi.wm_profile_get_stream_count(p, ctypes.byref(n)) == _ffi.S_OK
        assert n.value == 0
        with pytest.raises(ctypes.ArgumentError):
            _ffi.wm_writer_begin_writing(p)  # a profile is not a writer


# -- the generator itself -----------------------------------------------------------------


SAMPLE = r"""
/* banner */
#ifndef X_H
#define X_H
#include <stdint.h>
/*
 Doc of A.
 */
#define A (int32_t)4294967295u
#define B (1 << 4)
#define C 0x10
typedef struct Opaque Opaque;
typedef uint16_t Word;
#pragma pack(push, 1)
typedef struct Packed {
  uint8_t a; // first
  uint32_t b[B];
} Packed;
#pragma pack(pop)
typedef struct {
  void *ctx;
  int32_t (*cb)(void *ctx, const char *s);
  const Opaque *const *pp;
} S;
typedef void (*Fp)(uint64_t);
#ifdef __cplusplus
extern "C" {
#endif
extern const S GLOBAL;
const char *f(void);
int32_t g(Opaque *o, Word w, uint8_t **out, S s[2]);
#ifdef __cplusplus
}
#endif
#endif
"""


def test_generator_parses_the_cbindgen_subset():
    gen = load_gen_ffi()
    src = gen.generate(SAMPLE)
    assert "A = -1" in src
    assert "B = 16" in src and "C = 16" in src
    assert "# Doc of A." in src
    assert "_pack_ = 1" in src
    assert "('b', ctypes.c_uint32 * 16)" in src
    assert "S_cb = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_char_p)" in src
    assert "('pp', ctypes.POINTER(ctypes.POINTER(Opaque)))" in src
    assert "Fp = ctypes.CFUNCTYPE(None, ctypes.c_uint64)" in src
    assert "GLOBAL = _global(S, 'GLOBAL')" in src
    assert "f = _fn('f', ctypes.c_char_p, [])" in src
    assert ("g = _fn('g', ctypes.c_int32, [ctypes.POINTER(Opaque), Word, ctypes.POINTER(ctypes.POINTER(ctypes.c_uint8)), "
            "ctypes.POINTER(S)])") in src
    assert "banner" not in src.split("lib = load_library()")[1]
    compile(src, "<generated>", "exec")


@pytest.mark.parametrize("bad", ["int32_t x : 3;", "typedef struct { int32_t a : 1; } T;", "widget w;", "#undef X"])
def test_generator_rejects_what_it_does_not_understand(bad):
    gen = load_gen_ffi()
    with pytest.raises(gen.GenError):
        gen.generate(bad + "\n")


@needs_header
def test_generator_check_mode(tmp_path):
    out = tmp_path / "_ffi.py"
    assert subprocess.run([sys.executable, str(GEN_FFI), "--output", str(out)], capture_output=True).returncode == 0
    ok = subprocess.run([sys.executable, str(GEN_FFI), "--output", str(out), "--check"], capture_output=True)
    assert ok.returncode == 0
    out.write_text(out.read_text() + "# edited\n")
    stale = subprocess.run([sys.executable, str(GEN_FFI), "--output", str(out), "--check"], capture_output=True,
                           text=True)
    assert stale.returncode == 1
    assert "regenerate with: python3 bindings/python/tools/gen_ffi.py" in stale.stderr


@pytest.mark.skipif(not hasattr(_ffi, "WM_PICTURE"), reason="the header has no WM_PICTURE yet")
def test_wm_picture_struct_matches_the_binary_layout(tmp_path):
    """A WM_PICTURE passed through the raw API is stored as Picture.to_bytes() says."""
    profile = wmwriter.Profile()
    profile.add_audio_stream(1, 8000, 16)
    w = wmwriter.Writer(profile, tmp_path / "p.wma")
    data = (ctypes.c_uint8 * 300)(*range(256), *range(44))
    pic = _ffi.WM_PICTURE(pwszMIMEType=b"image/jpeg", bPictureType=3, pwszDescription=b"front",
                          dwDataLen=300, pbData=data)
    assert ctypes.sizeof(pic) == 5 * ctypes.sizeof(ctypes.c_void_p)
    hr = _ffi.wm_writer_set_attribute(w, 0, b"WM/Picture", _ffi.WMT_TYPE_BINARY,
                                      ctypes.cast(ctypes.pointer(pic), ctypes.POINTER(ctypes.c_uint8)),
                                      ctypes.sizeof(pic))
    assert hr == _ffi.S_OK, wmwriter.last_error_message()
    assert w.metadata["WM/Picture"] == wmwriter.Picture("image/jpeg", bytes(data), 3, "front")
    assert w.metadata.get_typed("WM/Picture").type == _ffi.WMT_TYPE_BINARY
