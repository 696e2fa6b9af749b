#!/usr/bin/env python3
"""Check the header metadata of an ASF file written by wmwriter against what the
writer was told to write, with readers that share no code with the library:

  1. an ASF header walker written here from the format reference (stdlib only):
     Content Description, Extended Content Description, Metadata, Metadata Library,
     Language List, Marker and Script Command objects, every size exact; each
     attribute must be in the object the SDK's placement rules put it in;
  2. mutagen.asf (pip package "mutagen"): every attribute read back with the same
     type and value, language and stream (duplicates included, nothing extra);
  3. ffprobe -show_format -show_chapters -show_streams: tags, chapters (FFmpeg
     subtracts the preroll), the attached picture stream; ffmpeg extracts the
     picture bytes and decodes the audio without a warning;
  4. exiftool: -j tags, -b -Picture bytes, -v2 lists the Marker and ScriptCommand
     objects and the Metadata Library entries.

Usage:  check_metadata.py FILE.asf SPEC.json     (SPEC "-" = read JSON from stdin)

SPEC (JSON object; every key optional):
  "attributes": [{"name": str, "type": "STRING"|"BINARY"|"BOOL"|"DWORD"|"QWORD"|"WORD"|"GUID",
                  "value": VALUE, "stream": int (0), "language": int (0),
                  "object": "cd"|"ecd"|"metadata"|"library"}, ...]
      VALUE: a string (STRING), an int (DWORD/QWORD/WORD), true/false (BOOL),
             {"hex": "..."} (BINARY/GUID: the bytes as stored),
             {"file": path} (BINARY: a file's bytes),
             {"gen": n, "seed": s} (BINARY: n bytes, b[i] = (31*i + 7*(i>>8) + s) & 255),
             {"picture": {"mime": str, "type": int, "description": str, "file": path}}
                 (BINARY WM/Picture: serialised here from the reference layout:
                  BYTE type, DWORD data length, UTF-16LE MIME + NUL,
                  UTF-16LE description + NUL, data)
      The attributes must be exactly these (as a multiset): nothing missing, nothing extra.
      Without "attributes" the attributes are not compared.
  "languages":    ["en-us", "de-de"]    the Language List, in order
  "markers":      [{"name": str, "time": 100-ns units without preroll}]
  "scripts":      [{"type": str, "command": str, "time": 100-ns units without preroll}]
  "codecs_include": [{"type": 1|2|65535, "name": str, "description": str, "info": "hex"}]
                  entries the Codec List Object must contain (type: 1 video, 2 audio,
                  0xFFFF unknown, as in the file)
  "duration":     content duration in 100-ns units (File Properties play duration - preroll)
  "ffprobe_tags": {"title": "...", ...}  format tags ffprobe must show with these values
  "ffprobe_audio_tags": {"language": "ger"}  tags of ffprobe's (first) audio stream
  "exiftool":     {"Title": "...", ...}  exiftool -j values (compared as strings)
  "readers":      ["walker", "mutagen", "ffprobe", "ffmpeg", "exiftool"] (default: all)

Missing tools (mutagen, ffprobe, ffmpeg, exiftool): a failure when the environment has
WMWRITER_REQUIRE_TOOLS=1, otherwise the part is skipped with "skipped: no <tool>".
Exit status: 0 all checks passed; 1 a check failed; 77 nothing failed but a tool
was missing (the caller reports a skip).
"""

import json
import re
import os
import shutil
import struct
import subprocess
import sys

REQUIRE = os.environ.get("WMWRITER_REQUIRE_TOOLS") == "1"

failures = []
passed = 0
skipped = []


def ok(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)
    return cond


def eq(got, want, what):
    return ok(got == want, "%s: got %s, expected %s" % (what, short(got), short(want)))


def short(v):
    r = repr(v)
    return r if len(r) <= 160 else r[:150] + "...(%d chars)" % len(r)


def missing(tool):
    """Record a missing tool: a failure when required, else a skip."""
    if REQUIRE:
        ok(False, "%s is not installed but WMWRITER_REQUIRE_TOOLS=1" % tool)
    else:
        print("skipped: no %s" % tool)
        skipped.append(tool)


def have(tool):
    if shutil.which(tool):
        return True
    missing(tool)
    return False


def run(args, binary=False):
    p = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout if binary else p.stdout.decode("utf-8", "replace")
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


# ---------------------------------------------------------------------------------
# Expected values
# ---------------------------------------------------------------------------------

def guid_bytes(text):
    h = text.replace("-", "")
    b = bytes.fromhex(h)
    return b[3::-1] + b[5:3:-1] + b[7:5:-1] + b[8:]


G_HEADER = guid_bytes("75B22630-668E-11CF-A6D9-00AA0062CE6C")
G_DATA = guid_bytes("75B22636-668E-11CF-A6D9-00AA0062CE6C")
G_FILE_PROPS = guid_bytes("8CABDCA1-A947-11CF-8EE4-00C00C205365")
G_HEADER_EXT = guid_bytes("5FBF03B5-A92E-11CF-8EE3-00C00C205365")
G_RESERVED_1 = guid_bytes("ABD3D211-A9BA-11CF-8EE6-00C00C205365")
G_CD = guid_bytes("75B22633-668E-11CF-A6D9-00AA0062CE6C")
G_ECD = guid_bytes("D2D0A440-E307-11D2-97F0-00A0C95EA850")
G_METADATA = guid_bytes("C5F8CBEA-5BAF-4877-8467-AA8C44FA4CCA")
G_LIBRARY = guid_bytes("44231C94-9498-49D1-A141-1D134E457054")
G_LANGUAGES = guid_bytes("7C4346A9-EFE0-4BFC-B229-393EDE415C85")
G_MARKER = guid_bytes("F487CD01-A951-11CF-8EE6-00C00C205365")
G_RESERVED_4 = guid_bytes("4CFEDB20-75F6-11CF-9C0F-00A0C90349CB")
G_CODEC_LIST = guid_bytes("86D15240-311D-11D0-A3A4-00A0C90348F6")
G_RESERVED_2 = guid_bytes("86D15241-311D-11D0-A3A4-00A0C90348F6")
G_SCRIPT = guid_bytes("1EFB1A30-0B62-11D0-A39B-00A0C90348F6")
G_RESERVED_3 = guid_bytes("4B1ACBE3-100B-11D0-A39B-00A0C90348F6")

CD_NAMES = ["Title", "Author", "Copyright", "Description", "Rating"]
# ASF data-type codes of the ECD / Metadata / Metadata Library records.
FILE_TYPE = {"STRING": 0, "BINARY": 1, "BOOL": 2, "DWORD": 3, "QWORD": 4, "WORD": 5, "GUID": 6}
TYPE_NAME = {v: k for k, v in FILE_TYPE.items()}
INT_SIZE = {"DWORD": 4, "QWORD": 8, "WORD": 2}


def gen_bytes(n, seed):
    return bytes(((31 * i + 7 * (i >> 8) + seed) & 0xFF) for i in range(n))


def wstr(s):
    return s.encode("utf-16-le") + b"\0\0"


def picture_bytes(p):
    with open(p["file"], "rb") as f:
        data = f.read()
    return struct.pack("<BI", p["type"], len(data)) + wstr(p["mime"]) + wstr(p.get("description", "")) + data


def expected_value(a):
    """(python value as mutagen gives it, bytes as stored in an ECD record)."""
    t, v = a["type"], a["value"]
    if t == "STRING":
        return v, wstr(v)
    if t in INT_SIZE:
        return int(v), int(v).to_bytes(INT_SIZE[t], "little")
    if t == "BOOL":
        return bool(v), struct.pack("<I", 1 if v else 0)
    if isinstance(v, dict) and "hex" in v:
        b = bytes.fromhex(v["hex"])
    elif isinstance(v, dict) and "file" in v:
        with open(v["file"], "rb") as f:
            b = f.read()
    elif isinstance(v, dict) and "gen" in v:
        b = gen_bytes(v["gen"], v.get("seed", 0))
    elif isinstance(v, dict) and "picture" in v:
        b = picture_bytes(v["picture"])
    else:
        raise ValueError("bad value for %s: %r" % (a["name"], v))
    if t == "GUID" and len(b) != 16:
        raise ValueError("GUID value of %s is not 16 bytes" % a["name"])
    return b, b


def stored_bytes(a, obj):
    """Bytes of the value as the walker reads them from object `obj`."""
    _, b = expected_value(a)
    if a["type"] == "BOOL" and obj in ("metadata", "library"):
        return b[:2]  # BOOL is a WORD in the Metadata objects (reference §3.8)
    return b


# ---------------------------------------------------------------------------------
# 1. The walker
# ---------------------------------------------------------------------------------

class Reader:
    def __init__(self, data, where):
        self.d, self.p, self.where = data, 0, where

    def take(self, n):
        if self.p + n > len(self.d):
            raise ValueError("%s: needs %d bytes at offset %d of %d" % (self.where, n, self.p, len(self.d)))
        b = self.d[self.p:self.p + n]
        self.p += n
        return b

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack("<H", self.take(2))[0]

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]

    def u64(self):
        return struct.unpack("<Q", self.take(8))[0]

    def wstr(self, nbytes, what):
        b = self.take(nbytes)
        ok(nbytes % 2 == 0, "%s: %s length %d is odd" % (self.where, what, nbytes))
        ok(nbytes >= 2 and b[-2:] == b"\0\0", "%s: %s is not NUL-terminated" % (self.where, what))
        s = b.decode("utf-16-le")
        return s[:-1] if s.endswith("\0") else s

    def done(self):
        return ok(self.p == len(self.d), "%s: %d bytes left over after the last field" % (self.where, len(self.d) - self.p))


def children(data, start, end, where):
    """(guid, body) for the objects in data[start:end], sizes exact."""
    out = []
    p = start
    while p < end:
        if not ok(p + 24 <= end, "%s: object header runs past the end at %d" % (where, p)):
            break
        g = data[p:p + 16]
        size = struct.unpack("<Q", data[p + 16:p + 24])[0]
        if not ok(24 <= size <= end - p, "%s: object at %d has bad size %d" % (where, p, size)):
            break
        out.append((g, data[p + 24:p + size]))
        p += size
    ok(p == end, "%s: children end at %d, not %d" % (where, p, end))
    return out


def walk(path):
    """Everything the walker finds: attributes (name, type, bytes, stream, language,
    object), languages, markers, scripts, preroll, play duration, packet geometry."""
    with open(path, "rb") as f:
        data = f.read()
    r = {"attributes": [], "languages": None, "markers": None, "scripts": None, "codecs": []}
    if not ok(data[:16] == G_HEADER, "walker: no ASF Header Object at offset 0"):
        return None
    hsize, hcount = struct.unpack("<QI", data[16:28])
    top = children(data, 30, hsize, "Header Object")
    eq(len(top), hcount, "walker: Header Object child count")
    ok(data[hsize:hsize + 16] == G_DATA, "walker: Data Object right after the header")
    counts = {}
    for g, body in top:
        counts[g] = counts.get(g, 0) + 1
    for g, name in [(G_CD, "Content Description"), (G_ECD, "Extended Content Description"), (G_MARKER, "Marker"),
                    (G_SCRIPT, "Script Command"), (G_FILE_PROPS, "File Properties"), (G_HEADER_EXT, "Header Extension")]:
        ok(counts.get(g, 0) <= 1, "walker: %d %s Objects (at most one)" % (counts.get(g, 0), name))
    ext = []
    for g, body in top:
        if g == G_FILE_PROPS:
            r["play_duration"], r["send_duration"], r["preroll"] = struct.unpack("<QQQ", body[40:64])
            r["packets"] = struct.unpack("<Q", body[32:40])[0]
            r["packet_size"] = struct.unpack("<I", body[72:76])[0]
        elif g == G_HEADER_EXT:
            ok(body[:16] == G_RESERVED_1, "walker: Header Extension Reserved Field 1")
            eq(struct.unpack("<H", body[16:18])[0], 6, "walker: Header Extension Reserved Field 2")
            n = struct.unpack("<I", body[18:22])[0]
            eq(n, len(body) - 22, "walker: Header Extension Data Size")
            ext = children(body, 22, len(body), "Header Extension")
        elif g == G_CD:
            rd = Reader(body, "Content Description")
            lens = [rd.u16() for _ in range(5)]
            for name, n in zip(CD_NAMES, lens):
                if n:
                    s = rd.wstr(n, name)
                    r["attributes"].append((name, "STRING", wstr(s), 0, 0, "cd"))
            rd.done()
        elif g == G_ECD:
            rd = Reader(body, "Extended Content Description")
            for _ in range(rd.u16()):
                name = rd.wstr(rd.u16(), "descriptor name")
                t = rd.u16()
                v = rd.take(rd.u16())
                ok(t in TYPE_NAME and t != 6, "ECD: %s has data type %d (0..5 allowed here)" % (name, t))
                r["attributes"].append((name, TYPE_NAME.get(t, str(t)), v, 0, 0, "ecd"))
            rd.done()
        elif g == G_CODEC_LIST:
            rd = Reader(body, "Codec List Object")
            ok(rd.take(16) == G_RESERVED_2, "Codec List Object: Reserved GUID is not ASF_Reserved_2")
            for i in range(rd.u32()):
                t = rd.u16()
                name = rd.wstr(rd.u16() * 2, "codec %d name" % i)
                desc = rd.wstr(rd.u16() * 2, "codec %d description" % i)
                info = rd.take(rd.u16())
                ok(t in (1, 2, 0xFFFF), "Codec List Object: entry %d type %d (1, 2 or 0xFFFF)" % (i, t))
                r["codecs"].append({"type": t, "name": name, "description": desc, "info": info.hex()})
            rd.done()
        elif g == G_MARKER:
            rd = Reader(body, "Marker Object")
            ok(rd.take(16) == G_RESERVED_4, "Marker Object: Reserved GUID is not ASF_Reserved_4")
            n = rd.u32()
            eq(rd.u16(), 0, "Marker Object: Reserved 2")
            rd.take(rd.u16())  # the object's name (bytes); the writer leaves it empty
            r["markers"] = []
            for i in range(n):
                off, pt, entry_len, send, flags, desc_chars = rd.u64(), rd.u64(), rd.u16(), rd.u32(), rd.u32(), rd.u32()
                desc = rd.wstr(desc_chars * 2, "marker %d description" % i)
                eq(entry_len, 12 + desc_chars * 2, "Marker Object: entry %d length" % i)
                eq(flags, 0, "Marker Object: entry %d flags" % i)
                r["markers"].append({"name": desc, "pt": pt, "offset": off, "send": send})
            rd.done()
        elif g == G_SCRIPT:
            rd = Reader(body, "Script Command Object")
            ok(rd.take(16) == G_RESERVED_3, "Script Command Object: Reserved GUID is not ASF_Reserved_3")
            ncmd, ntypes = rd.u16(), rd.u16()
            types = [rd.wstr(rd.u16() * 2, "command type name") for _ in range(ntypes)]
            r["scripts"] = []
            for i in range(ncmd):
                t_ms, ti = rd.u32(), rd.u16()
                cmd = rd.wstr(rd.u16() * 2, "command %d name" % i)
                ok(ti < ntypes, "Script Command Object: command %d type index %d of %d" % (i, ti, ntypes))
                r["scripts"].append({"type": types[ti] if ti < ntypes else None, "command": cmd, "ms": t_ms})
            eq(len(set(types)), len(types), "Script Command Object: command types listed once each")
            rd.done()
    for g, body in ext:
        if g in (G_METADATA, G_LIBRARY):
            lib = g == G_LIBRARY
            where = "Metadata Library" if lib else "Metadata"
            rd = Reader(body, where)
            for _ in range(rd.u16()):
                lang, stream, nlen, t, vlen = rd.u16(), rd.u16(), rd.u16(), rd.u16(), rd.u32()
                name = rd.wstr(nlen, "record name")
                v = rd.take(vlen)
                if not lib:
                    eq(lang, 0, "Metadata: %s Reserved field" % name)
                    ok(t != 6, "Metadata: %s is a GUID (Library only)" % name)
                    ok(vlen <= 0xFFFF, "Metadata: %s value of %d bytes (large values belong in the Library)" % (name, vlen))
                ok(t in TYPE_NAME, "%s: %s has data type %d" % (where, name, t))
                r["attributes"].append((name, TYPE_NAME.get(t, str(t)), v, stream, lang if lib else 0,
                                        "library" if lib else "metadata"))
            rd.done()
        elif g == G_LANGUAGES:
            rd = Reader(body, "Language List")
            r["languages"] = []
            for _ in range(rd.u16()):
                r["languages"].append(rd.wstr(rd.u8(), "language"))
            rd.done()
    if r["languages"] is not None:
        for (name, _, _, _, lang, _) in r["attributes"]:
            ok(lang < len(r["languages"]), "%s: language index %d, Language List has %d" % (name, lang, len(r["languages"])))
    return r


def check_walker_attributes(w, spec):
    want = sorted((a["name"], a["type"], stored_bytes(a, a["object"]), a.get("stream", 0), a.get("language", 0), a["object"])
                  for a in spec["attributes"])
    got = sorted(w["attributes"])
    for x in want:
        ok(x in got, "walker: attribute %s (%s, stream %d, language %d) not found in the %s object with value %s; "
           "found: %s" % (x[0], x[1], x[3], x[4], x[5], short(x[2]),
                          short([(g[0], g[1], g[3], g[4], g[5], short(g[2])) for g in got if g[0] == x[0]])))
    for x in got:
        ok(x in want, "walker: unexpected attribute %s (%s, stream %d, language %d) in the %s object: %s"
           % (x[0], x[1], x[3], x[4], x[5], short(x[2])))
    eq(len(got), len(want), "walker: number of attributes")


def check_walker(path, spec):
    w = walk(path)
    if w is None:
        return None
    for c in spec.get("codecs_include", []):
        ok(c in w["codecs"], "walker: Codec List Object lacks %s; it has %s" % (c, w["codecs"]))
    if "attributes" in spec:
        check_walker_attributes(w, spec)
    if "languages" in spec:
        eq(w["languages"], spec["languages"], "walker: Language List")
    preroll = w.get("preroll", 0)
    if "duration" in spec:
        eq(w.get("play_duration", 0) - preroll * 10000, spec["duration"], "walker: play duration - preroll")
    if "markers" in spec:
        ms = w["markers"] or []
        eq([m["name"] for m in ms], [m["name"] for m in spec["markers"]], "walker: marker names")
        eq([m["pt"] for m in ms], [m["time"] + preroll * 10000 for m in spec["markers"]],
           "walker: marker presentation times (100 ns, preroll included)")
        psize = w.get("packet_size") or 1
        limit = w.get("packets", 0) * psize
        for i, m in enumerate(ms):
            ok(m["offset"] < limit and m["offset"] % psize == 0,
               "walker: marker %d offset %d is not a packet start within the %d bytes of packets" % (i, m["offset"], limit))
        eq([m["offset"] for m in ms], sorted(m["offset"] for m in ms), "walker: marker offsets in time order")
    if "scripts" in spec:
        ss = w["scripts"] or []
        eq([(s["type"], s["command"]) for s in ss], [(s["type"], s["command"]) for s in spec["scripts"]],
           "walker: script commands (type, command)")
        eq([s["ms"] for s in ss], [s["time"] // 10000 + preroll for s in spec["scripts"]],
           "walker: script command times (ms, preroll included)")
    return w


# ---------------------------------------------------------------------------------
# 2. mutagen
# ---------------------------------------------------------------------------------

MUTAGEN_CLASS = {"STRING": "ASFUnicodeAttribute", "BINARY": "ASFByteArrayAttribute", "BOOL": "ASFBoolAttribute",
                 "DWORD": "ASFDWordAttribute", "QWORD": "ASFQWordAttribute", "WORD": "ASFWordAttribute",
                 "GUID": "ASFGUIDAttribute"}


def check_mutagen(path, spec):
    try:
        import mutagen.asf
    except ImportError:
        missing("mutagen (python3 -m pip install mutagen)")
        return
    f = mutagen.asf.ASF(path)
    if "attributes" not in spec:
        return
    got = []
    for name in f.tags.keys():
        for v in f.tags[name]:
            got.append((name, type(v).__name__, v.value, v.stream, v.language))
    want = []
    for a in spec["attributes"]:
        obj = a["object"]
        value, _ = expected_value(a)
        stream = a.get("stream", 0) if obj in ("metadata", "library") else None
        lang = a.get("language", 0) if obj == "library" else None
        want.append((a["name"], MUTAGEN_CLASS[a["type"]], value, stream, lang))
    key = lambda x: (x[0], x[1], repr(x[2]), repr(x[3]), repr(x[4]))
    got.sort(key=key)
    want.sort(key=key)
    for x in want:
        ok(x in got, "mutagen: %s as %s = %s (stream %s, language %s) not read back; mutagen has: %s"
           % (x[0], x[1], short(x[2]), x[3], x[4], short([(g[1], short(g[2]), g[3], g[4]) for g in got if g[0] == x[0]])))
    for x in got:
        ok(x in want, "mutagen: unexpected %s as %s = %s (stream %s, language %s)" % (x[0], x[1], short(x[2]), x[3], x[4]))
    eq(len(got), len(want), "mutagen: number of attributes")
    if "duration" in spec:
        ok(abs(f.info.length - spec["duration"] / 1e7) < 1e-6,
           "mutagen: info.length %s s, expected %s s" % (f.info.length, spec["duration"] / 1e7))


# ---------------------------------------------------------------------------------
# 3. ffprobe / ffmpeg
# ---------------------------------------------------------------------------------

def picture_spec(spec):
    """The WM/Picture FFmpeg and exiftool show: they read it from the Extended Content
    Description only (a picture over 64 KiB lives in the Metadata Library)."""
    for a in spec.get("attributes", []):
        v = a["value"]
        if a["name"] == "WM/Picture" and a["object"] == "ecd" and isinstance(v, dict) and "picture" in v:
            return v["picture"]
    return None


def check_ffprobe(path, spec):
    if not have("ffprobe"):
        return
    rc, out, err = run(["ffprobe", "-v", "warning", "-show_format", "-show_chapters", "-show_streams", "-of", "json", path])
    if not ok(rc == 0, "ffprobe failed (%d): %s" % (rc, err)):
        return
    eq(err.strip(), "", "ffprobe -v warning: messages")
    j = json.loads(out)
    tags = j.get("format", {}).get("tags", {})
    for k, v in spec.get("ffprobe_tags", {}).items():
        eq(tags.get(k), v, "ffprobe: format tag %r" % k)
    if "duration" in spec:
        d = float(j.get("format", {}).get("duration", "nan"))
        ok(abs(d - spec["duration"] / 1e7) < 0.0015, "ffprobe: format duration %s s, expected %s s" % (d, spec["duration"] / 1e7))
    if "markers" in spec:
        ch = j.get("chapters", [])
        eq(len(ch), len(spec["markers"]), "ffprobe: number of chapters")
        for i, (c, m) in enumerate(zip(ch, spec["markers"])):
            eq(c.get("tags", {}).get("title"), m["name"], "ffprobe: chapter %d title" % i)
            ok(abs(float(c["start_time"]) - m["time"] / 1e7) < 1e-6,
               "ffprobe: chapter %d start %s s, expected %s s" % (i, c["start_time"], m["time"] / 1e7))
    pic = picture_spec(spec)
    vids = [s for s in j.get("streams", []) if s.get("codec_type") == "video"]
    auds = [s for s in j.get("streams", []) if s.get("codec_type") == "audio"]
    if ok(len(auds) >= 1, "ffprobe: no audio stream"):
        for k, v in spec.get("ffprobe_audio_tags", {}).items():
            eq(auds[0].get("tags", {}).get(k), v, "ffprobe: audio stream tag %r" % k)
    if spec.get("markers"):
        check_marker_offsets(path, spec)
    if pic is not None:
        aps = [s for s in vids if s.get("disposition", {}).get("attached_pic") == 1]
        if ok(len(aps) == 1, "ffprobe: %d attached-picture streams, expected 1" % len(aps)):
            if pic["mime"] == "image/jpeg":
                eq(aps[0].get("codec_name"), "mjpeg", "ffprobe: attached picture codec")
            if pic.get("width"):
                eq((aps[0].get("width"), aps[0].get("height")), (pic["width"], pic["height"]), "ffprobe: attached picture size")
            if pic.get("description"):
                eq(aps[0].get("tags", {}).get("title"), pic["description"], "ffprobe: attached picture title (description)")


def check_marker_offsets(path, spec):
    """Each Marker Object entry's Offset (bytes from the first data packet) must be the
    start of the packet where FFmpeg finds the first audio object at or after the
    marker's time (FFmpeg reports each packet's position in the file)."""
    rc, out, err = run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "packet=pts,pos",
                        "-of", "json", "-show_packets", path])
    if not ok(rc == 0, "ffprobe -show_packets failed (%d): %s" % (rc, err)):
        return
    pkts = [(int(p["pts"]), int(p["pos"])) for p in json.loads(out).get("packets", [])]
    with open(path, "rb") as f:
        head = f.read(30)
    data_start = struct.unpack("<Q", head[16:24])[0] + 50
    w = walk(path)
    if w is None or not w["markers"]:
        return
    for i, (m, want) in enumerate(zip(w["markers"], spec["markers"])):
        later = [pos for pts, pos in pkts if pts * 10000 >= want["time"]]
        if ok(later, "ffprobe: no audio packet at or after marker %d (%s)" % (i, want["name"])):
            eq(m["offset"], later[0] - data_start, "marker %d (%s) offset vs ffprobe's packet position" % (i, want["name"]))


def check_ffmpeg(path, spec):
    if not have("ffmpeg"):
        return
    rc, out, err = run(["ffmpeg", "-nostdin", "-v", "warning", "-guess_layout_max", "0", "-i", path,
                        "-map", "0:a", "-f", "null", "-"])
    eq(rc, 0, "ffmpeg decode of the audio: exit status")
    eq((out + err).strip(), "", "ffmpeg -v warning decode of the audio: messages")
    pic = picture_spec(spec)
    if pic is not None:
        with open(pic["file"], "rb") as f:
            want = f.read()
        rc, data, err = run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-c", "copy",
                             "-frames:v", "1", "-f", "image2pipe", "-"], binary=True)
        eq(rc, 0, "ffmpeg picture extraction exit status (%s)" % err.strip())
        ok(data == want, "ffmpeg: extracted picture (%d bytes) differs from %s (%d bytes)" % (len(data), pic["file"], len(want)))


# ---------------------------------------------------------------------------------
# 4. exiftool
# ---------------------------------------------------------------------------------

def check_exiftool(path, spec):
    if not have("exiftool"):
        return
    rc, out, err = run(["exiftool", "-j", path])
    if not ok(rc == 0, "exiftool -j failed (%d): %s" % (rc, err)):
        return
    j = json.loads(out)[0]
    for k, v in spec.get("exiftool", {}).items():
        # exiftool (12.57 at least) shows a character outside the BMP (a UTF-16
        # surrogate pair) as a run of '?', also in files written by mutagen: accept that.
        pat = "".join("(?:%s|\\?+)" % re.escape(c) if ord(c) > 0xFFFF else re.escape(c) for c in str(v))
        ok(re.fullmatch(pat, str(j.get(k))) is not None, "exiftool: %s: got %r, expected %r" % (k, j.get(k), v))
    ok(not any(k in j for k in ("Warning", "Error")), "exiftool: warning/error %s" % {k: j[k] for k in ("Warning", "Error") if k in j})
    pic = picture_spec(spec)
    if pic is not None:
        with open(pic["file"], "rb") as f:
            want = f.read()
        rc, data, err = run(["exiftool", "-b", "-Picture", path], binary=True)
        ok(rc == 0 and data == want, "exiftool -b -Picture: %d bytes, expected the %d bytes of %s (%s)"
           % (len(data), len(want), pic["file"], err.strip()))
    rc, out, err = run(["exiftool", "-v2", path])
    lines = [l.strip(" |+") for l in out.splitlines()]
    if spec.get("markers"):
        ok("Marker" in lines, "exiftool -v2 does not list the Marker object")
    if spec.get("scripts"):
        ok("ScriptCommand" in lines, "exiftool -v2 does not list the ScriptCommand object")
    for a in spec.get("attributes", []):
        if a["object"] == "library":
            ok(any(l.startswith("- Tag '%s'" % a["name"].replace("WM/", "")) or ("Tag '%s'" % a["name"]) in l for l in lines),
               "exiftool -v2 does not list Metadata Library entry %s" % a["name"])


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    spec = json.load(sys.stdin if sys.argv[2] == "-" else open(sys.argv[2], encoding="utf-8"))
    readers = spec.get("readers", ["walker", "mutagen", "ffprobe", "ffmpeg", "exiftool"])
    for name, fn in [("walker", check_walker), ("mutagen", check_mutagen), ("ffprobe", check_ffprobe),
                     ("ffmpeg", check_ffmpeg), ("exiftool", check_exiftool)]:
        if name in readers:
            try:
                fn(path, spec)
            except Exception as e:  # a reader crashing on the file is a failure, not a skip
                ok(False, "%s: %s: %s" % (name, type(e).__name__, e))
    if failures:
        print("check_metadata.py: FAILED %d of %d checks on %s" % (len(failures), len(failures) + passed, path), file=sys.stderr)
        return 1
    if skipped:
        print("check_metadata.py: %d checks OK, skipped: %s" % (passed, ", ".join(skipped)))
        return 77
    print("check_metadata.py: all %d checks OK on %s" % (passed, path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
