#!/usr/bin/env python3
"""Generate ``wmwriter/_ffi.py`` (ctypes declarations) from ``include/wmwriter.h``.

The header is cbindgen's output, which is regular: ``#define NAME VALUE`` constants,
``typedef struct X X;`` opaque handles, ``typedef <int> X;`` aliases,
``typedef struct [X] { ... } X;`` structs (fields may be arrays or function
pointers), ``#pragma pack(push, N)`` / ``#pragma pack(pop)`` around hand-written
packed structs, ``extern const T NAME;`` globals, and function prototypes, each
preceded by a ``/* ... */`` doc comment. This is a small parser for exactly that
subset; anything it does not understand is an error (never silently skipped), so a
new kind of declaration in the header fails the staleness test instead of going
missing from the bindings.

Usage (from anywhere)::

    python3 bindings/python/tools/gen_ffi.py            # rewrite wmwriter/_ffi.py
    python3 bindings/python/tools/gen_ffi.py --check    # exit 1 if it is stale
    python3 bindings/python/tools/gen_ffi.py --header H --output O

The output depends only on the header text, so regenerating is deterministic.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent  # bindings/python
REPO_ROOT = PACKAGE_ROOT.parent.parent
DEFAULT_HEADER = REPO_ROOT / "include" / "wmwriter.h"
DEFAULT_OUTPUT = PACKAGE_ROOT / "wmwriter" / "_ffi.py"
REGEN_COMMAND = "python3 bindings/python/tools/gen_ffi.py"


class GenError(Exception):
    """The header contains something this generator does not understand."""


# C scalar types -> ctypes names.
SCALARS: Dict[str, str] = {
    "void": "None",
    "char": "ctypes.c_char",
    "signed char": "ctypes.c_byte",
    "unsigned char": "ctypes.c_ubyte",
    "short": "ctypes.c_short",
    "unsigned short": "ctypes.c_ushort",
    "int": "ctypes.c_int",
    "signed int": "ctypes.c_int",
    "unsigned": "ctypes.c_uint",
    "unsigned int": "ctypes.c_uint",
    "long": "ctypes.c_long",
    "unsigned long": "ctypes.c_ulong",
    "long long": "ctypes.c_longlong",
    "unsigned long long": "ctypes.c_ulonglong",
    "float": "ctypes.c_float",
    "double": "ctypes.c_double",
    "bool": "ctypes.c_bool",
    "_Bool": "ctypes.c_bool",
    "int8_t": "ctypes.c_int8",
    "int16_t": "ctypes.c_int16",
    "int32_t": "ctypes.c_int32",
    "int64_t": "ctypes.c_int64",
    "uint8_t": "ctypes.c_uint8",
    "uint16_t": "ctypes.c_uint16",
    "uint32_t": "ctypes.c_uint32",
    "uint64_t": "ctypes.c_uint64",
    "intptr_t": "ctypes.c_ssize_t",
    "uintptr_t": "ctypes.c_size_t",
    "size_t": "ctypes.c_size_t",
    "ptrdiff_t": "ctypes.c_ssize_t",
    "ssize_t": "ctypes.c_ssize_t",
}

# Integer casts cbindgen writes in #define values, e.g. ``(int32_t)2147500035u``.
INT_CASTS = {
    "int8_t": (8, True), "int16_t": (16, True), "int32_t": (32, True), "int64_t": (64, True),
    "uint8_t": (8, False), "uint16_t": (16, False), "uint32_t": (32, False), "uint64_t": (64, False),
}

COMMENT_MARK = "\x00"  # \x00<index>\x00 stands for comment number <index>
DIRECTIVE_MARK = "\x01"  # \x01<index>\x01 stands for preprocessor line number <index>


# ---------------------------------------------------------------------------------------
# Items


@dataclass
class Item:
    """One top-level thing of the header, in header order."""

    kind: str  # const | opaque | alias | struct | funcptr | global | function
    name: str
    doc: str = ""
    c_text: str = ""  # the C declaration, one line, for the generated comment
    value: object = None  # const: the Python value
    target: str = ""  # alias/global: ctypes type expression
    fields: List[Tuple[str, str, str]] = field(default_factory=list)  # struct: (name, ctype, doc)
    union: bool = False
    pack: Optional[int] = None
    restype: str = ""  # function / funcptr
    argtypes: List[str] = field(default_factory=list)
    argnames: List[str] = field(default_factory=list)
    helpers: List[Tuple[str, str]] = field(default_factory=list)  # struct: (name, CFUNCTYPE expr)


# ---------------------------------------------------------------------------------------
# Lexing: comments and preprocessor lines become markers in one code string.


def lex(text: str) -> Tuple[str, List[str], List[str]]:
    """Return (code with markers, comments, directives)."""
    text = text.replace("\r\n", "\n").replace("\\\n", " ")
    out: List[str] = []
    comments: List[str] = []
    directives: List[str] = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise GenError("unterminated /* comment")
            comments.append(clean_comment(text[i + 2 : j]))
            out.append(f"{COMMENT_MARK}{len(comments) - 1}{COMMENT_MARK}")
            i = j + 2
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            comments.append(clean_comment(text[i + 2 : j]))
            out.append(f"{COMMENT_MARK}{len(comments) - 1}{COMMENT_MARK}")
            i = j
            continue
        c = text[i]
        if c == "#" and line_start:
            j = text.find("\n", i)
            j = n if j < 0 else j
            line = text[i:j]
            # A directive may end with a comment (``#endif  /* X */``).
            line = re.sub(r"/\*.*?\*/|//.*$", "", line).strip()
            directives.append(line)
            out.append(f"{DIRECTIVE_MARK}{len(directives) - 1}{DIRECTIVE_MARK}")
            i = j
            continue
        if c == "\n":
            line_start = True
        elif not c.isspace():
            line_start = False
        out.append(c)
        i += 1
    return "".join(out), comments, directives


def clean_comment(body: str) -> str:
    lines = [re.sub(r"^\s*\*?\s?", "", l).rstrip() for l in body.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    # Remove the common indentation.
    indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return "\n".join(l[indent:] for l in lines)


MARK_RE = re.compile(f"{COMMENT_MARK}(\\d+){COMMENT_MARK}")


def split_doc(text: str, comments: List[str]) -> Tuple[str, str]:
    """(code without comment markers, the text of the comments in it)."""
    docs = [comments[int(m)] for m in MARK_RE.findall(text)]
    return MARK_RE.sub(" ", text), "\n".join(d for d in docs if d)


def norm(code: str) -> str:
    return re.sub(r"\s+", " ", code).strip()


# ---------------------------------------------------------------------------------------
# Constant expressions (#define values)


def eval_const(expr: str, known: Dict[str, object]) -> object:
    e = expr.strip()
    m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', e)
    if m:
        return ast.literal_eval(e)
    m = re.fullmatch(r"\(\s*(u?int(?:8|16|32|64)_t)\s*\)\s*(.+)", e)
    if m:
        bits, signed = INT_CASTS[m.group(1)]
        v = eval_const(m.group(2), known)
        if not isinstance(v, int):
            raise GenError(f"cast of a non-integer in {expr!r}")
        v &= (1 << bits) - 1
        if signed and v >= 1 << (bits - 1):
            v -= 1 << bits
        return v
    # Integer suffixes; float literals.
    e = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", e)
    e = re.sub(r"\b(\d+\.\d*(?:[eE][-+]?\d+)?)[fF]\b", r"\1", e)
    try:
        tree = ast.parse(e, mode="eval")
    except SyntaxError as err:
        raise GenError(f"cannot evaluate #define value {expr!r}") from err
    return eval_node(tree.body, known, expr)


def eval_node(node: ast.AST, known: Dict[str, object], expr: str) -> object:
    import operator as op

    bin_ops = {
        ast.Add: op.add, ast.Sub: op.sub, ast.Mult: op.mul, ast.FloorDiv: op.floordiv,
        ast.Mod: op.mod, ast.LShift: op.lshift, ast.RShift: op.rshift,
        ast.BitOr: op.or_, ast.BitAnd: op.and_, ast.BitXor: op.xor,
    }
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.Name) and node.id in known:
        return known[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Invert)):
        v = eval_node(node.operand, known, expr)
        return -v if isinstance(node.op, ast.USub) else (+v if isinstance(node.op, ast.UAdd) else ~v)
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Div):  # C integer division
            a, b = eval_node(node.left, known, expr), eval_node(node.right, known, expr)
            return int(a / b) if isinstance(a, int) and isinstance(b, int) else a / b
        if type(node.op) in bin_ops:
            return bin_ops[type(node.op)](eval_node(node.left, known, expr), eval_node(node.right, known, expr))
    raise GenError(f"cannot evaluate #define value {expr!r}")


# ---------------------------------------------------------------------------------------
# Types


class Types:
    """Known type names -> ctypes expressions."""

    def __init__(self) -> None:
        self.names: Dict[str, str] = {}  # typedef/struct name -> python name
        self.funcptrs: set = set()

    def base(self, words: List[str], where: str) -> str:
        key = " ".join(words)
        if key in SCALARS:
            return SCALARS[key]
        if len(words) == 1 and words[0] in self.names:
            return self.names[words[0]]
        raise GenError(f"unknown type {key!r} in {where!r}")

    def resolve(self, ctype: str, where: str) -> str:
        """A C type such as ``const WMGuid *`` -> a ctypes expression."""
        tokens = re.findall(r"\w+|\*", ctype)
        words = [t for t in tokens if t not in ("const", "volatile", "struct", "enum", "union", "*", "restrict")]
        depth = tokens.count("*")
        if not words:
            raise GenError(f"no type in {where!r}")
        if words == ["signed"]:
            words = ["int"]
        base_words = words
        if base_words == ["char"] and depth >= 1:
            expr, depth = "ctypes.c_char_p", depth - 1
        elif base_words == ["void"] and depth >= 1:
            expr, depth = "ctypes.c_void_p", depth - 1
        else:
            expr = self.base(base_words, where)
            if expr == "None" and depth == 0:
                return "None"
        for _ in range(depth):
            expr = f"ctypes.POINTER({expr})"
        return expr


def split_top(s: str, sep: str) -> List[str]:
    """Split on `sep` outside parentheses/brackets/braces."""
    parts, depth, cur = [], 0, []
    for c in s:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


FUNCPTR_RE = re.compile(r"^(?P<ret>.+?)\(\s*\*\s*(?P<name>\w*)\s*\)\s*\((?P<args>.*)\)$", re.S)


def parse_params(args: str, types: Types, where: str) -> Tuple[List[str], List[str]]:
    """Parameter list -> (ctypes expressions, names)."""
    args = args.strip()
    if args in ("", "void"):
        return [], []
    ctypes_list, names = [], []
    for k, p in enumerate(split_top(args, ",")):
        p = norm(p)
        t, n, dims = parse_declarator(p, types, where, allow_unnamed=True)
        if dims:  # an array parameter is a pointer
            t = f"ctypes.POINTER({t})"
        ctypes_list.append(t)
        names.append(n or f"arg{k}")
    return ctypes_list, names


def parse_declarator(decl: str, types: Types, where: str, allow_unnamed: bool = False) -> Tuple[str, str, List[str]]:
    """``TYPE NAME``, ``TYPE *NAME``, ``TYPE NAME[N]``, ``RET (*NAME)(ARGS)`` -> (ctype, name)."""
    decl = norm(decl)
    m = FUNCPTR_RE.match(decl)
    if m:
        restype = types.resolve(m.group("ret"), where)
        argtypes, _ = parse_params(m.group("args"), types, where)
        return f"ctypes.CFUNCTYPE({', '.join([restype] + argtypes)})", m.group("name"), []
    m = re.fullmatch(r"(?P<type>.*?)(?P<name>\b[A-Za-z_]\w*)?\s*(?P<dims>(\[[^\]]*\]\s*)*)", decl)
    if not m:
        raise GenError(f"cannot parse declarator {decl!r} in {where!r}")
    tpart, name, dims = m.group("type"), m.group("name"), m.group("dims")
    # ``uint32_t`` alone: the "name" regex took the type name.
    if name and not re.search(r"\w", tpart.replace("const", "")):
        if not allow_unnamed:
            raise GenError(f"declarator without a name: {decl!r} in {where!r}")
        tpart, name = decl, ""
        dims = ""
    elif name in (None, "") and not allow_unnamed:
        raise GenError(f"declarator without a name: {decl!r} in {where!r}")
    ct = types.resolve(tpart, where)
    dim_list = re.findall(r"\[([^\]]*)\]", dims or "")
    return ct, name or "", dim_list


# ---------------------------------------------------------------------------------------
# Parsing the header


def parse_header(text: str) -> List[Item]:
    code, comments, directives = lex(text)
    items: List[Item] = []
    types = Types()
    known_consts: Dict[str, object] = {}
    pack_stack: List[Optional[int]] = []
    pack: Optional[int] = None
    cond_stack: List[bool] = []  # False = a region we skip (#ifdef __cplusplus)
    buf: List[str] = []
    depth = 0
    pending_doc_marks: List[str] = []

    def active() -> bool:
        return all(cond_stack)

    def directive(line: str) -> None:
        nonlocal pack
        m = re.match(r"#\s*(\w+)\s*(.*)$", line)
        if not m:
            if line.strip("# ") == "":
                return
            raise GenError(f"cannot parse directive {line!r}")
        kw, rest = m.group(1), m.group(2).strip()
        if kw != "pragma" and not (kw == "define" and rest.split(None, 1)[1:]):
            # A comment before #ifndef/#include/... (the file banner) documents no item.
            pending_doc_marks.clear()
        if kw == "ifdef":
            cond_stack.append(rest != "__cplusplus")
        elif kw in ("ifndef", "if"):
            cond_stack.append(True)
        elif kw == "else":
            if not cond_stack:
                raise GenError("#else without #if")
            cond_stack[-1] = not cond_stack[-1]
        elif kw == "elif":
            cond_stack[-1] = True
        elif kw == "endif":
            if not cond_stack:
                raise GenError("#endif without #if")
            cond_stack.pop()
        elif not active():
            return
        elif kw == "include":
            return
        elif kw == "pragma":
            pm = re.fullmatch(r"pack\s*\(\s*(.*?)\s*\)", rest)
            if not pm:
                return  # other pragmas (once, ...) do not change layouts
            args = [a.strip() for a in pm.group(1).split(",") if a.strip()]
            if args[:1] == ["push"]:
                pack_stack.append(pack)
                if len(args) > 1:
                    pack = int(args[1])
            elif args[:1] == ["pop"]:
                pack = pack_stack.pop() if pack_stack else None
            elif len(args) == 1:
                pack = int(args[0])
            elif not args:
                pack = None
            else:
                raise GenError(f"cannot parse {line!r}")
        elif kw == "define":
            dm = re.fullmatch(r"(\w+)(\(.*?\))?\s*(.*)", rest)
            if not dm:
                raise GenError(f"cannot parse {line!r}")
            name, params, value = dm.group(1), dm.group(2), dm.group(3).strip()
            if params:
                raise GenError(f"function-like macro {name} is not supported")
            if not value:
                return  # include guard
            v = eval_const(value, known_consts)
            known_consts[name] = v
            doc = "\n".join(comments[int(i)] for i in pending_doc_marks)
            pending_doc_marks.clear()
            items.append(Item("const", name, doc=doc, value=v, c_text=f"#define {name} {value}"))
        elif kw in ("undef", "error", "warning", "line"):
            raise GenError(f"unsupported directive {line!r}")
        else:
            raise GenError(f"unsupported directive {line!r}")

    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == DIRECTIVE_MARK:
            j = code.index(DIRECTIVE_MARK, i + 1)
            directive(directives[int(code[i + 1 : j])])
            i = j + 1
            continue
        if c == COMMENT_MARK:
            j = code.index(COMMENT_MARK, i + 1)
            if active():
                if depth == 0 and not norm(MARK_RE.sub("", "".join(buf))):
                    pending_doc_marks.append(code[i + 1 : j])
                else:
                    buf.append(code[i : j + 1])
            i = j + 1
            continue
        i += 1
        if not active():
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if c == ";" and depth == 0:
            decl = "".join(buf)
            buf = []
            doc = "\n".join(comments[int(k)] for k in pending_doc_marks)
            pending_doc_marks.clear()
            items.extend(parse_decl(decl, doc, comments, types, known_consts, pack))
        else:
            buf.append(c)
    if norm(MARK_RE.sub("", "".join(buf))):
        raise GenError(f"trailing text without ';': {norm(''.join(buf))!r}")
    if cond_stack:
        raise GenError("unterminated #if")
    return items


def parse_decl(decl: str, doc: str, comments: List[str], types: Types, consts: Dict[str, object],
               pack: Optional[int]) -> List[Item]:
    code_only, _inner = split_doc(decl, comments)
    s = norm(code_only)
    if not s:
        return []
    # typedef struct X X;  (opaque)
    m = re.fullmatch(r"typedef (struct|union) (\w+) (\w+)", s)
    if m:
        if m.group(2) != m.group(3):
            raise GenError(f"typedef of a differently named struct: {s!r}")
        types.names[m.group(3)] = m.group(3)
        return [Item("opaque", m.group(3), doc=doc, c_text=s + ";")]
    # typedef struct [X] { ... } X;   /   struct X { ... };
    m = re.fullmatch(r"(typedef )?(struct|union)( \w+)? ?\{(.*)\} ?(\w*)", s, re.S)
    if m:
        name = m.group(5) or (m.group(3) or "").strip()
        if not name:
            raise GenError(f"anonymous struct: {s[:80]!r}")
        body = decl[decl.index("{") + 1 : decl.rindex("}")]
        item = Item("struct", name, doc=doc, union=m.group(2) == "union", pack=pack,
                    c_text=f"{'typedef ' if m.group(1) else ''}{m.group(2)} {name} {{ ... }}")
        types.names[name] = name  # self-references (pointers) are allowed
        for fdecl in split_top(body, ";"):
            fcode, fdoc = split_doc(fdecl, comments)
            fcode = norm(fcode)
            if not fcode:
                if norm(MARK_RE.sub("", fdecl)):
                    raise GenError(f"cannot parse field {fdecl!r}")
                continue
            if ":" in fcode:
                raise GenError(f"bit fields are not supported: {fcode!r} in {name}")
            fm = FUNCPTR_RE.match(fcode)
            if fm:
                ct, fname = parse_declarator(fcode, types, name)[:2]
                helper = f"{name}_{fname}"
                item.helpers.append((helper, ct))
                item.fields.append((fname, helper, fdoc))
                continue
            ct, fname, dims = parse_declarator(fcode, types, name)
            for d in reversed(dims):
                ct = f"({ct}) * {int(eval_const(d, consts))}" if " " in ct else f"{ct} * {int(eval_const(d, consts))}"
            item.fields.append((fname, ct, fdoc))
        return [item]
    # enum [X] { A = 1, B } [;]  /  typedef enum [X] { ... } X;
    m = re.fullmatch(r"(typedef )?enum( \w+)? ?\{(.*)\} ?(\w*)", s, re.S)
    if m:
        items: List[Item] = []
        nxt = 0
        for entry in split_top(m.group(3), ","):
            entry = norm(entry)
            if not entry:
                continue
            em = re.fullmatch(r"(\w+)(?: ?= ?(.+))?", entry)
            if not em:
                raise GenError(f"cannot parse enum entry {entry!r}")
            v = eval_const(em.group(2), consts) if em.group(2) else nxt
            consts[em.group(1)] = v
            nxt = int(v) + 1  # type: ignore[call-overload]
            items.append(Item("const", em.group(1), value=v, c_text=entry))
        ename = m.group(4) or (m.group(2) or "").strip()
        if m.group(1) and ename:
            types.names[ename] = ename
            items.append(Item("alias", ename, doc=doc, target="ctypes.c_int", c_text=f"typedef enum {ename}"))
        elif ename:
            types.names[ename] = ename
            items.append(Item("alias", ename, doc=doc, target="ctypes.c_int", c_text=f"enum {ename}"))
        return items
    # typedef RET (*NAME)(ARGS);
    m = re.fullmatch(r"typedef (.+?)\( ?\* ?(\w+) ?\) ?\((.*)\)", s)
    if m:
        restype = types.resolve(m.group(1), s)
        argtypes, argnames = parse_params(m.group(3), types, s)
        types.names[m.group(2)] = m.group(2)
        return [Item("funcptr", m.group(2), doc=doc, restype=restype, argtypes=argtypes, argnames=argnames,
                     c_text=s + ";")]
    # typedef TYPE NAME;
    m = re.fullmatch(r"typedef (.+?) ?(\w+)", s)
    if m:
        target = types.resolve(m.group(1), s)
        types.names[m.group(2)] = m.group(2)
        return [Item("alias", m.group(2), doc=doc, target=target, c_text=s + ";")]
    # extern const TYPE NAME;
    m = re.fullmatch(r"extern (.+?) ?(\w+)", s)
    if m and "(" not in s:
        target = types.resolve(m.group(1), s)
        return [Item("global", m.group(2), doc=doc, target=target, c_text=s + ";")]
    # RET NAME(ARGS);
    m = re.fullmatch(r"(?:extern )?(.+?)\b(\w+) ?\((.*)\)", s, re.S)
    if m:
        restype = types.resolve(m.group(1), s)
        argtypes, argnames = parse_params(m.group(3), types, s)
        return [Item("function", m.group(2), doc=doc, restype=restype, argtypes=argtypes, argnames=argnames,
                     c_text=s + ";")]
    raise GenError(f"cannot parse declaration {s[:120]!r}")


# ---------------------------------------------------------------------------------------
# Output


def py_comment(text: str, indent: str = "") -> List[str]:
    return [f"{indent}# {l}".rstrip() for l in text.split("\n")] if text else []


def const_literal(v: object) -> str:
    if isinstance(v, int) and (v < -9 or v > 9999):
        hexa = f"0x{v & 0xFFFFFFFF:08X}" if -(1 << 31) <= v < (1 << 32) else hex(v)
        return f"{v}  # {hexa}"
    return repr(v)


def generate(header_text: str, header_name: str = "include/wmwriter.h") -> str:
    items = parse_header(header_text)
    out: List[str] = []
    w = out.append
    w(f"# GENERATED by bindings/python/tools/gen_ffi.py from {header_name} -- do not edit.")
    w(f"# Regenerate with: {REGEN_COMMAND}")
    w("# (bindings/python/tests/test_ffi.py fails when this file is stale.)")
    w('"""Raw ctypes declarations of every constant, type, global and function in wmwriter.h.')
    w("")
    w("Every function has explicit ``argtypes`` and ``restype``. Functions return the raw")
    w("HRESULT (an ``int``); the Pythonic layer (``wmwriter``) turns failures into")
    w("``WMError``. Opaque handles are ``ctypes.POINTER(<handle struct>)``.")
    w('"""')
    w("")
    w("# fmt: off")
    w("import ctypes")
    w("")
    w("from ._loader import load_library")
    w("")
    w("lib = load_library()")
    w("")
    w("")
    w("def _fn(name, restype, argtypes):")
    w('    """Declare one exported function (explicit restype and argtypes)."""')
    w("    try:")
    w("        f = getattr(lib, name)")
    w("    except AttributeError:")
    w("        raise ImportError(")
    w('            f"{lib._name} does not export {name}, which wmwriter.h declares: the library is older "')
    w('            "than the header these bindings were generated from (rebuild it: cargo build --release)"')
    w("        ) from None")
    w("    f.restype = restype")
    w("    f.argtypes = argtypes")
    w("    return f")
    w("")
    w("")
    w("def _global(ctype, name):")
    w('    """An exported variable, read in place from the library."""')
    w("    try:")
    w("        return ctype.in_dll(lib, name)")
    w("    except ValueError:")
    w('        raise ImportError(f"{lib._name} does not export {name}, which wmwriter.h declares") from None')
    w("")
    consts, types_, globals_, funcs = [], [], [], []
    for it in items:
        w("")
        if it.kind == "const":
            consts.append(it.name)
            out.extend(py_comment(it.doc))
            w(f"{it.name} = {const_literal(it.value)}")
        elif it.kind == "opaque":
            types_.append(it.name)
            out.extend(py_comment(it.doc))
            w(f"class {it.name}(ctypes.Structure):")
            w(f'    """Opaque handle type ``{it.name}``; use ``ctypes.POINTER({it.name})``."""')
        elif it.kind == "alias":
            types_.append(it.name)
            out.extend(py_comment(it.doc))
            w(f"{it.name} = {it.target}")
        elif it.kind == "funcptr":
            types_.append(it.name)
            out.extend(py_comment(it.doc))
            w(f"# {it.c_text}")
            w(f"{it.name} = ctypes.CFUNCTYPE({', '.join([it.restype] + it.argtypes)})")
        elif it.kind == "struct":
            types_.append(it.name)
            out.extend(py_comment(it.doc))
            base = "ctypes.Union" if it.union else "ctypes.Structure"
            w(f"class {it.name}({base}):")
            first = it.doc.split("\n\n")[0].replace("\n", " ").replace('"""', "'''").replace("\\", "\\\\")
            w(f'    """{first or it.name}"""')
            if it.pack is not None:
                w(f"    _pack_ = {it.pack}")
            w("")
            w("")
            for hname, expr in it.helpers:
                w(f"{hname} = {expr}")
            w(f"{it.name}._fields_ = [")
            for fname, ct, fdoc in it.fields:
                note = f"  # {fdoc.splitlines()[0]}" if fdoc else ""
                w(f"    ({fname!r}, {ct}),{note}")
            w("]")
        elif it.kind == "global":
            globals_.append(it.name)
            out.extend(py_comment(it.doc))
            w(f"{it.name} = _global({it.target}, {it.name!r})")
        elif it.kind == "function":
            funcs.append(it.name)
            out.extend(py_comment(it.doc))
            w(f"# {it.c_text}")
            args = ", ".join(it.argtypes)
            w(f"{it.name} = _fn({it.name!r}, {it.restype}, [{args}])")
    w("")
    w("")
    w("# Everything above, by kind (used by the tests and by introspection).")
    for label, names in (("CONSTANTS", consts), ("TYPES", types_), ("GLOBALS", globals_), ("FUNCTIONS", funcs)):
        w(f"{label} = (")
        for nme in names:
            w(f"    {nme!r},")
        w(")")
    w("# Parameter names of each function, as the header spells them.")
    w("PARAMETERS = {")
    for it in items:
        if it.kind == "function":
            w(f"    {it.name!r}: {tuple(it.argnames)!r},")
    w("}")
    w("# fmt: on")
    return "\n".join(out) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--header", type=Path, default=DEFAULT_HEADER, help="path of wmwriter.h")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="path of _ffi.py to write")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if the output is stale")
    args = ap.parse_args(argv)
    try:
        text = generate(args.header.read_text(encoding="utf-8"))
    except GenError as e:
        print(f"gen_ffi: {args.header}: {e}", file=sys.stderr)
        return 2
    old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    if args.check:
        if old != text:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       str(args.output), "generated", n=1))
            print(f"gen_ffi: {args.output} is stale; regenerate with: {REGEN_COMMAND}", file=sys.stderr)
            return 1
        return 0
    if old != text:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"gen_ffi: wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
