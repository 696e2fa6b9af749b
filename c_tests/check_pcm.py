#!/usr/bin/env python3
"""Check a PCM ASF file written by test_e2e_pcm with independent readers.

  check_pcm.py --asf FILE --label L --chunks N --chunk-ms MS \
      --stream 'codec=pcm_s16le,format=s16le,rate=44100,channels=2,bits=16,chunk_bytes=17640,raw=PATH' ...

One --stream per ASF stream, in stream order; every stream got N samples of MS
milliseconds each (chunk_bytes bytes), starting at time 0, and `raw` holds the PCM
that was written.

Checks:
  ffprobe   codec, rate, channels, bits; stream/format duration within 50 ms;
            -show_packets: N packets per stream, each chunk_bytes, pts k*MS, key
  ffmpeg    `-v warning -i f -f null -` prints nothing; `-map 0:a:i -f fmt -` output is
            byte-identical to the raw PCM
  exiftool  FileLength = file size; DataPackets = (Data Object size - 50) / packet size
            (computed here from the bytes and MaxPacketSize); Min = Max packet size;
            Preroll 3000; Flags 2; Duration = content + preroll; SendDuration = content
  GStreamer `filesrc ! asfdemux ! filesink` per stream: byte-identical PCM

Exit status: 0 all good, 1 a check failed, 77 a tool is missing (skip), unless
WMWRITER_REQUIRE_TOOLS=1, in which case a missing tool is a failure (1).
Only the standard library and subprocess.
"""

import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

SKIP = 77
PREROLL_MS = 3000

ASF_HEADER = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
ASF_DATA = bytes.fromhex("3626b2758e66cf11a6d900aa0062ce6c")
ASF_FILE_PROPS = bytes.fromhex("a1dcab8c47a9cf118ee400c00c205365")

failures = 0
passes = 0


def check(cond, what, detail=""):
    global failures, passes
    if cond:
        passes += 1
        print(f"  ok    {what}")
    else:
        failures += 1
        print(f"  FAIL  {what}" + (f": {detail}" if detail else ""))
    return cond


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def missing_tools(tools):
    return [t for t in tools if shutil.which(t) is None]


def parse_stream(spec):
    d = dict(kv.split("=", 1) for kv in spec.split(","))
    for k in ("rate", "channels", "bits", "chunk_bytes"):
        d[k] = int(d[k])
    return d


def parse_asf(data):
    """The top-level layout: header size, data object size and count, trailer size, and
    the File Properties fields. Raises ValueError when malformed."""
    if data[:16] != ASF_HEADER:
        raise ValueError("no ASF Header Object")
    header_size, children = struct.unpack_from("<QI", data, 16)
    pos, fp = 30, None
    for _ in range(children):
        guid = data[pos:pos + 16]
        (size,) = struct.unpack_from("<Q", data, pos + 16)
        if size < 24 or pos + size > header_size:
            raise ValueError(f"header child at {pos} has size {size}")
        if guid == ASF_FILE_PROPS:
            fp = dict(zip(
                ("file_size", "creation", "packets", "play", "send", "preroll", "flags", "min_packet",
                 "max_packet", "max_bitrate"),
                struct.unpack_from("<QQQQQQIIII", data, pos + 40)))
        pos += size
    if pos != header_size:
        raise ValueError("header children do not add up to the header size")
    if fp is None:
        raise ValueError("no File Properties Object")
    if data[pos:pos + 16] != ASF_DATA:
        raise ValueError("no Data Object after the header")
    data_size, = struct.unpack_from("<Q", data, pos + 16)
    total_packets, = struct.unpack_from("<Q", data, pos + 40)
    trailer = len(data) - header_size - data_size
    if trailer < 0:
        raise ValueError("the Data Object runs past the end of the file")
    return {"header_size": header_size, "data_size": data_size, "data_total_packets": total_packets,
            "trailer": trailer, "fp": fp}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--asf", required=True)
    ap.add_argument("--label", default="")
    ap.add_argument("--chunks", type=int, required=True)
    ap.add_argument("--chunk-ms", type=int, required=True)
    ap.add_argument("--stream", action="append", required=True)
    a = ap.parse_args()
    streams = [parse_stream(s) for s in a.stream]
    f = a.asf
    content_ms = a.chunks * a.chunk_ms
    required = os.environ.get("WMWRITER_REQUIRE_TOOLS") == "1"

    tools = ["ffprobe", "ffmpeg", "exiftool", "gst-launch-1.0", "gst-inspect-1.0"]
    miss = missing_tools(tools)
    if not miss and run(["gst-inspect-1.0", "asfdemux"]).returncode != 0:
        miss.append("GStreamer asfdemux element (gst-plugins-ugly)")
    if miss:
        msg = "missing: " + ", ".join(miss)
        if required:
            print(f"check_pcm.py: FAIL: {msg} (WMWRITER_REQUIRE_TOOLS=1)")
            return 1
        print(f"check_pcm.py: SKIP: {msg}")
        return SKIP

    print(f"check_pcm.py [{a.label}] {f}")
    raw = []
    for s in streams:
        with open(s["raw"], "rb") as fh:
            raw.append(fh.read())
        check(len(raw[-1]) == s["chunk_bytes"] * a.chunks, f"raw side file {s['raw']} has {len(raw[-1])} bytes")

    # ---- ffprobe: streams and format
    r = run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", f])
    check(r.returncode == 0 and not r.stderr.strip(), "ffprobe -show_streams runs cleanly", r.stderr.decode(errors="replace"))
    info = json.loads(r.stdout or b"{}")
    got = info.get("streams", [])
    check(len(got) == len(streams), f"{len(streams)} stream(s)", f"ffprobe found {len(got)}")
    for i, (s, g) in enumerate(zip(streams, got)):
        check(g.get("codec_type") == "audio", f"stream {i}: audio")
        check(g.get("codec_name") == s["codec"], f"stream {i}: codec {s['codec']}", g.get("codec_name"))
        check(int(g.get("sample_rate", 0)) == s["rate"], f"stream {i}: {s['rate']} Hz", g.get("sample_rate"))
        check(g.get("channels") == s["channels"], f"stream {i}: {s['channels']} channels", g.get("channels"))
        check(g.get("bits_per_sample") == s["bits"], f"stream {i}: {s['bits']} bits", g.get("bits_per_sample"))
        dur = float(g.get("duration", "nan"))
        check(abs(dur - content_ms / 1000) <= 0.05, f"stream {i}: duration {content_ms / 1000} s +- 50 ms", dur)
    fdur = float(info.get("format", {}).get("duration", "nan"))
    check(abs(fdur - content_ms / 1000) <= 0.05, f"format duration {content_ms / 1000} s +- 50 ms", fdur)
    check(info.get("format", {}).get("format_name") == "asf", "format asf", info.get("format", {}).get("format_name"))

    # ---- ffprobe: packets
    r = run(["ffprobe", "-v", "error", "-show_packets", "-of", "json", f])
    check(r.returncode == 0 and not r.stderr.strip(), "ffprobe -show_packets runs cleanly", r.stderr.decode(errors="replace"))
    packets = json.loads(r.stdout or b"{}").get("packets", [])
    for i, s in enumerate(streams):
        mine = [p for p in packets if p.get("stream_index") == i]
        check(len(mine) == a.chunks, f"stream {i}: {a.chunks} packets", len(mine))
        sizes = [int(p.get("size", -1)) for p in mine]
        check(all(x == s["chunk_bytes"] for x in sizes), f"stream {i}: every packet {s['chunk_bytes']} bytes",
              sorted(set(sizes)))
        pts = [round(float(p.get("pts_time", "nan")) * 1000) for p in mine]
        want = [k * a.chunk_ms for k in range(a.chunks)]
        check(pts == want, f"stream {i}: pts 0, {a.chunk_ms}, ... {want[-1]} ms", pts[:5] + ["..."] + pts[-2:])
        check(all("K" in p.get("flags", "") for p in mine), f"stream {i}: every packet is a key frame")

    # ---- ffmpeg: a warning-free decode, and bit-exact PCM
    r = run(["ffmpeg", "-nostdin", "-v", "warning", "-i", f, "-map", "0:a", "-f", "null", "-"])
    out = (r.stdout + r.stderr).decode(errors="replace")
    # FFmpeg 5.x's command-line tool warns "Guessed Channel Layout for Input Stream #0.0 :
    # stereo" for every input without a channel mask, i.e. every plain WAVEFORMATEX
    # (FFmpeg's own WAV and ASF files too). That line is about the format the caller
    # chose, not the file; every other line counts.
    lines = [ln for ln in out.splitlines()
             if ln.strip() and not re.fullmatch(r"Guessed Channel Layout for Input Stream #\d+\.\d+ : \S+", ln.strip())]
    check(r.returncode == 0 and not lines, "ffmpeg -v warning -i f -f null - prints nothing", "\n".join(lines)[:2000])
    for i, s in enumerate(streams):
        r = run(["ffmpeg", "-nostdin", "-v", "error", "-i", f, "-map", f"0:a:{i}", "-c:a", f"pcm_{s['format']}",
                 "-f", s["format"], "-"])
        check(r.returncode == 0 and not r.stderr.strip(), f"stream {i}: ffmpeg decode runs cleanly",
              r.stderr.decode(errors="replace")[:2000])
        same = r.stdout == raw[i]
        detail = ""
        if not same:
            n = min(len(r.stdout), len(raw[i]))
            first = next((k for k in range(n) if r.stdout[k] != raw[i][k]), n)
            detail = f"decoded {len(r.stdout)} bytes, raw {len(raw[i])}; first difference at byte {first}"
        check(same, f"stream {i}: ffmpeg -f {s['format']} output is byte-identical to the raw input", detail)

    # ---- exiftool: File Properties against the truth from the bytes
    with open(f, "rb") as fh:
        data = fh.read()
    try:
        asf = parse_asf(data)
    except ValueError as e:
        check(False, "ASF top-level structure parses", str(e))
        asf = None
    r = run(["exiftool", "-j", "-n", f])
    check(r.returncode == 0, "exiftool -j -n runs", r.stderr.decode(errors="replace"))
    ex = (json.loads(r.stdout or b"[{}]") or [{}])[0]
    r = run(["exiftool", "-j", f])
    exf = (json.loads(r.stdout or b"[{}]") or [{}])[0]
    size = os.path.getsize(f)
    check(ex.get("FileLength") == size, f"exiftool FileLength == file size {size}", ex.get("FileLength"))
    packet = ex.get("MaxPacketSize")
    check(isinstance(packet, int) and packet > 0, "exiftool MaxPacketSize", packet)
    check(ex.get("MinPacketSize") == packet, "exiftool MinPacketSize == MaxPacketSize", ex.get("MinPacketSize"))
    if asf and isinstance(packet, int) and packet > 0:
        body = asf["data_size"] - 50
        check(body % packet == 0, f"Data Object size - 50 ({body}) is a whole number of {packet}-byte packets")
        truth = body // packet
        check(ex.get("DataPackets") == truth, f"exiftool DataPackets == (data size - 50) / packet size = {truth}",
              ex.get("DataPackets"))
        check(asf["data_total_packets"] == truth, f"Data Object Total Data Packets == {truth}",
              asf["data_total_packets"])
        check(asf["header_size"] + asf["data_size"] + asf["trailer"] == size, "header + data + index == file size")
        check(asf["trailer"] == 0, "audio only: nothing after the Data Object", asf["trailer"])
    check(ex.get("Preroll") == PREROLL_MS, f"exiftool Preroll {PREROLL_MS}", ex.get("Preroll"))
    check(ex.get("Flags") == 2, "exiftool Flags 2 (seekable, not broadcast)", ex.get("Flags"))
    want_dur = f"{(content_ms + PREROLL_MS) / 1000:.2f} s"
    check(exf.get("Duration") == want_dur, f"exiftool Duration {want_dur} (play duration incl. preroll)",
          exf.get("Duration"))
    check(abs(float(ex.get("Duration", -1)) - (content_ms + PREROLL_MS) / 1000) < 1e-6,
          "exiftool -n Duration exact", ex.get("Duration"))
    want_send = f"{content_ms / 1000:.2f} s"
    check(exf.get("SendDuration") == want_send, f"exiftool SendDuration {want_send}", exf.get("SendDuration"))
    mb = ex.get("MaxBitrate")
    check(isinstance(mb, int) and mb >= sum(s["rate"] * s["channels"] * s["bits"] // 8 * 8 for s in streams),
          "exiftool MaxBitrate >= the streams' bit rates", mb)
    nums = ex.get("StreamNumber")
    check(nums is not None, "exiftool sees the Stream Properties", nums)

    # ---- GStreamer: asfdemux → the same PCM
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["gst-launch-1.0", "-q", "filesrc", f"location={f}", "!", "asfdemux", "name=d"]
        outs = []
        for i in range(len(streams)):
            o = os.path.join(tmp, f"gst{i}.raw")
            outs.append(o)
            cmd += [f"d.audio_{i}", "!", "queue", "!", "filesink", f"location={o}"]
        r = run(cmd, timeout=60)
        check(r.returncode == 0, "gst-launch asfdemux runs", (r.stdout + r.stderr).decode(errors="replace")[:2000])
        for i, o in enumerate(outs):
            got_raw = open(o, "rb").read() if os.path.exists(o) else b""
            check(got_raw == raw[i], f"stream {i}: GStreamer asfdemux output is byte-identical",
                  f"{len(got_raw)} bytes vs {len(raw[i])}")

    print(f"check_pcm.py [{a.label}]: {passes} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
