#!/usr/bin/env bash
# WMA Lossless (built-in encoder) vs FLAC (ffmpeg's flac, -compression_level 5 and 8) on
# four 10 s stereo 16-bit 44.1 kHz signals: tonal, noisy, transient, silent-with-bursts.
# Prints, side by side in one run, the compressed sizes, the size ratios WMAL/FLAC and
# the encode speed (seconds of audio per second of CPU time, one thread each, so that
# other load on a shared machine does not count).
#
# usage: bench/wmalossless.sh              (needs ffmpeg on PATH)
#        bench/wmalossless.sh tune SPEC…   (sizes for fixed filter sets; see the example)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v ffmpeg >/dev/null || { echo "wmalossless.sh: ffmpeg is not installed" >&2; exit 1; }
cargo build --quiet --release --example wmalossless_bench
exec "$root/target/release/examples/wmalossless_bench" "$@"
