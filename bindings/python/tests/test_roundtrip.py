"""Write with the bindings, read back with PyAV (FFmpeg) and mutagen: the decoded samples
and frames must equal the numpy arrays written, and the tags the metadata set.

PyAV (``pip install av``) is tried first; without it the same checks run through an
``ffmpeg`` subprocess; with neither the tests are skipped.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Tuple

import pytest

import wmwriter

np = pytest.importorskip("numpy")

try:
    import av  # type: ignore
except ImportError:  # pragma: no cover - depends on the machine
    av = None

FFMPEG = shutil.which("ffmpeg")
if av is None and FFMPEG is None:  # pragma: no cover
    pytest.skip("neither PyAV nor ffmpeg is installed", allow_module_level=True)

RATE = 44100
W, H, FPS, FRAMES = 64, 48, 25, 10


def decode_audio(path: Path) -> np.ndarray:
    """All audio samples as an (n, channels) int16 array."""
    if av is not None:
        with av.open(str(path)) as c:
            stream = c.streams.audio[0]
            assert stream.codec_context.name == "pcm_s16le"
            channels = stream.codec_context.channels
            chunks = [f.to_ndarray() for f in c.decode(stream)]
        assert all(ch.dtype == np.int16 for ch in chunks)
        return np.concatenate([ch.reshape(-1) for ch in chunks]).reshape(-1, channels)
    out = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-map", "0:a:0", "-f", "s16le", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(out, np.int16).reshape(-1, 2)


def decode_video(path: Path, pix_fmt: str) -> Tuple[np.ndarray, ...]:
    """Every frame as the raw bytes of ``pix_fmt`` in memory order, one uint8 array each."""
    if av is not None:
        frames = []
        with av.open(str(path)) as c:
            stream = c.streams.video[0]
            assert stream.codec_context.name == "rawvideo"
            for f in c.decode(stream):
                assert f.format.name == pix_fmt and (f.width, f.height) == (W, H)
                frames.append(f.to_ndarray().reshape(-1))
        return tuple(frames)
    out = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt",
                          pix_fmt, "-"], capture_output=True, check=True).stdout
    size = wmwriter.frame_size("I420" if pix_fmt == "yuv420p" else "RGB24", W, H)
    return tuple(np.frombuffer(out, np.uint8)[i:i + size] for i in range(0, len(out), size))


def test_audio_samples_round_trip(tmp_path):
    rng = np.random.default_rng(20240501)
    pcm = rng.integers(-32768, 32768, size=(RATE, 2), dtype=np.int16)  # 1 s, int16 stereo
    profile = wmwriter.Profile()
    profile.add_audio_stream(2, RATE, 16)
    path = tmp_path / "tone.wma"
    step = RATE // 10
    with wmwriter.Writer(profile, path) as w:
        for k in range(10):
            w.write("Audio", k * 1_000_000, pcm[k * step:(k + 1) * step])  # numpy rows: contiguous
    decoded = decode_audio(path)
    assert decoded.shape == pcm.shape
    assert np.array_equal(decoded, pcm)


def test_i420_frames_round_trip(tmp_path):
    """Planar 4:2:0 (I420): Y, then U, then V; not flipped."""
    rng = np.random.default_rng(7)
    frames = [rng.integers(0, 256, size=W * H * 3 // 2, dtype=np.uint8) for _ in range(FRAMES)]
    profile = wmwriter.Profile()
    profile.add_video_stream(W, H, FPS, "I420")
    path = tmp_path / "i420.wmv"
    with wmwriter.Writer(profile, path) as w:
        for i, frame in enumerate(frames):
            w.write(0, i * 10_000_000 // FPS, frame, keyframe=True)
    decoded = decode_video(path, "yuv420p")
    assert len(decoded) == FRAMES
    for got, want in zip(decoded, frames):
        assert np.array_equal(got, want)


def test_rgb24_frames_round_trip(tmp_path):
    """RGB24 (BGR bytes) with a positive biHeight is bottom-up: the first row in memory is
    the bottom line of the picture. We write each top-down image flipped (``img[::-1]``).
    FFmpeg's ASF demuxer does not flip bottom-up BI_RGB back (its AVI demuxer does), so
    the decoded rows come out in memory order: they equal the flipped array we wrote."""
    rng = np.random.default_rng(11)
    images = [rng.integers(0, 256, size=(H, W, 3), dtype=np.uint8) for _ in range(FRAMES)]
    profile = wmwriter.Profile()
    cfg = profile.add_video_stream(W, H, FPS, "RGB24")
    assert cfg.media_type.video_info["height"] == H  # bottom-up
    path = tmp_path / "rgb.wmv"
    with wmwriter.Writer(profile, path) as w:
        for i, img in enumerate(images):
            bottom_up = img[::-1]  # a negative-stride view ...
            with pytest.raises(BufferError):
                w.write(0, i * 400_000, bottom_up)  # ... is refused, not silently copied
            w.write(0, i * 400_000, np.ascontiguousarray(bottom_up), keyframe=True)
    decoded = decode_video(path, "bgr24")
    assert len(decoded) == FRAMES
    for got, img in zip(decoded, images):
        assert np.array_equal(got.reshape(H, W, 3), img[::-1])


def test_audio_and_video_together(tmp_path):
    rng = np.random.default_rng(3)
    pcm = rng.integers(-32768, 32768, size=(RATE * FRAMES // FPS, 2), dtype=np.int16)
    frames = [rng.integers(0, 256, size=W * H * 3 // 2, dtype=np.uint8) for _ in range(FRAMES)]
    profile = wmwriter.Profile()
    profile.add_audio_stream(2, RATE, 16)
    profile.add_video_stream(W, H, FPS, "I420")
    path = tmp_path / "av.wmv"
    per_frame = RATE // FPS
    with wmwriter.Writer(profile, path) as w:
        for i in range(FRAMES):
            t = i * 10_000_000 // FPS
            w.write("Audio", t, pcm[i * per_frame:(i + 1) * per_frame])
            w.write("Video", t, frames[i], keyframe=True)
    assert np.array_equal(decode_audio(path), pcm)
    for got, want in zip(decode_video(path, "yuv420p"), frames):
        assert np.array_equal(got, want)


def test_metadata_round_trip(tmp_path):
    profile = wmwriter.Profile()
    profile.add_audio_stream(1, 8000, 16)
    path = tmp_path / "tags.wma"
    cover = Path(__file__).resolve().parents[3] / "c_tests" / "data" / "cover.jpg"
    picture = cover.read_bytes() if cover.exists() else b"\xff\xd8\xff\xe0" + bytes(200) + b"\xff\xd9"
    w = wmwriter.Writer(profile, path)
    md = w.metadata
    md["Title"] = "Round trip ✓"
    md["Author"] = "wmwriter"
    md["WM/AlbumTitle"] = "Bindings"
    md["WM/TrackNumber"] = 4
    md["WM/Picture"] = wmwriter.Picture("image/jpeg", picture, description="cover")
    md["IsVBR"] = False
    with w:
        w.write(0, 0, np.zeros(8000, np.int16))
    if av is not None:
        with av.open(str(path)) as c:
            assert c.metadata.get("title") == "Round trip ✓"
            assert c.metadata.get("artist", c.metadata.get("author")) == "wmwriter"
            assert c.metadata.get("album") == "Bindings"
    mutagen = pytest.importorskip("mutagen.asf")
    f = mutagen.ASF(str(path))
    assert f.info.length == pytest.approx(1.0, abs=0.01)
    assert [str(v) for v in f.tags["Title"]] == ["Round trip ✓"]
    assert [str(v) for v in f.tags["Author"]] == ["wmwriter"]
    assert [str(v) for v in f.tags["WM/AlbumTitle"]] == ["Bindings"]
    assert [v.value for v in f.tags["WM/TrackNumber"]] == [4]
    assert [v.value for v in f.tags["IsVBR"]] == [False]
    raw = f.tags["WM/Picture"][0].value
    assert wmwriter.Picture.from_bytes(raw) == wmwriter.Picture("image/jpeg", picture, 3, "cover")
