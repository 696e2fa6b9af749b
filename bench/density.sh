#!/usr/bin/env bash
# Muxing throughput and container overhead, wmwriter vs libavformat's ASF muxer, on the
# same PCM input (s16le, 44.1 kHz, stereo; 40 MB of random bytes) cut into samples of
# 200, 4096 and 65536 bytes, with the writer's DEFAULT packet size (the profile sets
# none; PACKET overrides it) and the same packet size for lavf (`-packet_size`).
#
#   ours: bench/density_bench.rs reads the raw file in SAMPLE-byte pieces and writes each
#         as one sample (allocate_sample + copy + write_sample) into an ASF file.
#   lavf: `ffmpeg -i src-SAMPLE.nut -c copy -f asf -packet_size P out.asf`, where the
#         NUT file holds the same bytes as SAMPLE-byte packets (made once, untimed, with
#         asetnsamples; ffprobe checks the packet count). Its time includes ffmpeg's start
#         and the NUT demuxer, so the ratio flatters lavf only by those.
#   cli:  `wmwrite wav` of the 40 MB as a mono 16-bit 44.1 kHz WAV (and as the stereo
#         layout): bytes in (the WAV file, and its data chunk) against bytes out.
#
# usage: [PACKET=n] bench/density.sh [DIR] [RUNS]     (defaults: /dev/shm/wmwriter-density, 3)
# Runs alternate which program goes first. Prints every run, then per size the median
# MB/s (10^6 payload bytes per second) of both, the ratio ours/lavf and both overheads
# ((file − payload) / payload). Only files this script creates are deleted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-/dev/shm/wmwriter-density}"
runs="${2:-3}"
packet="${PACKET:-0}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
work="$(mktemp -d "$dir/density.XXXXXX")"
trap 'rm -rf "$work"' EXIT

(cd "$root" && cargo build --quiet --release --example density_bench && cargo build --quiet --release -p wmwrite)
bench="$root/target/release/examples/density_bench"
cli="$root/target/release/wmwrite"

raw="$work/src.raw"
head -c 40000000 /dev/urandom >"$raw"
# The packet size ours uses (the writer's default unless PACKET is set), for lavf too.
head -c 400000 "$raw" >"$work/probe.raw"
lavf_packet="$("$bench" "$work/probe.raw" "$work/probe.asf" 200 "$packet" | sed -n 's/.* packet=\([0-9]*\) .*/\1/p')"
rm -f "$work/probe.raw" "$work/probe.asf"
if [ "$packet" = 0 ]; then echo "packet size: $lavf_packet (the writer's default)"; else echo "packet size: $lavf_packet"; fi
now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-6s %-4s %-5s %10s %12s %9s\n' size run who "MB/s" "file bytes" overhead
for size in 200 4096 65536; do
    n=$((40000000 / size))
    payload=$((n * size))
    nut="$work/src-$size.nut"
    src="$work/src-$size.raw"
    head -c "$payload" "$raw" >"$src"
    ffmpeg -hide_banner -nostdin -v error -f s16le -ar 44100 -ac 2 -i "$src" \
        -af "asetnsamples=n=$((size / 4)):p=0" -c:a pcm_s16le -f nut "$nut"
    got="$(ffprobe -v error -select_streams a -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$nut")"
    if [ "$got" != "$n" ]; then echo "the NUT source has $got packets, not $n" >&2; exit 1; fi
    : >"$work/ours-$size"
    : >"$work/lavf-$size"
    for r in $(seq 1 "$runs"); do
        order="ours lavf"
        if [ $((r % 2)) -eq 0 ]; then order="lavf ours"; fi
        for who in $order; do
            out="$work/out-$who.asf"
            rm -f "$out"
            if [ "$who" = ours ]; then
                t0="$(now)"
                "$bench" "$src" "$out" "$size" "$packet" >/dev/null
                t1="$(now)"
            else
                t0="$(now)"
                ffmpeg -hide_banner -nostdin -v error -i "$nut" -c copy -f asf -packet_size "$lavf_packet" "$out"
                t1="$(now)"
            fi
            file="$(stat -c %s "$out")"
            mbs="$(awk -v p="$payload" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", p / (b - a) / 1e6 }')"
            ov="$(awk -v p="$payload" -v f="$file" 'BEGIN { printf "%.3f%%", (f - p) * 100 / p }')"
            printf '%-6s %-4s %-5s %10s %12s %9s\n' "$size" "$r" "$who" "$mbs" "$file" "$ov"
            echo "$mbs $ov" >>"$work/$who-$size"
            rm -f "$out"
        done
    done
    rm -f "$src" "$nut"
done
echo
printf '%-6s %12s %12s %11s %14s %14s\n' size "ours MB/s" "lavf MB/s" "ours/lavf" "ours overhead" "lavf overhead"
for size in 200 4096 65536; do
    o="$(cut -d' ' -f1 "$work/ours-$size" | median)"
    l="$(cut -d' ' -f1 "$work/lavf-$size" | median)"
    printf '%-6s %12s %12s %11s %14s %14s\n' "$size" "$o" "$l" "$(awk -v a="$o" -v b="$l" 'BEGIN { printf "%.2f", a / b }')" \
        "$(head -n1 "$work/ours-$size" | cut -d' ' -f2)" "$(head -n1 "$work/lavf-$size" | cut -d' ' -f2)"
done
echo
# The CLI: `wmwrite wav` picks its own packet size and sample grouping for PCM.
printf '%-22s %12s %12s %12s %8s %14s\n' layout "wav bytes" "data bytes" "asf bytes" packet "overhead (data)"
for layout in "1 mono" "2 stereo"; do
    set -- $layout
    wav="$work/cli-$2.wav"
    asf="$work/cli-$2.wma"
    ffmpeg -hide_banner -nostdin -v error -f s16le -ar 44100 -ac "$1" -i "$raw" -c:a pcm_s16le "$wav"
    "$cli" wav "$wav" "$asf" >/dev/null
    wav_bytes="$(stat -c %s "$wav")"
    data_bytes=$(( $(stat -c %s "$raw") / (2 * $1) * (2 * $1) ))
    asf_bytes="$(stat -c %s "$asf")"
    ps="$("$cli" info "$asf" --json 2>/dev/null | sed -n 's/.*"packet_size": *\([0-9]*\).*/\1/p' | head -n1)"
    ov="$(awk -v p="$data_bytes" -v f="$asf_bytes" 'BEGIN { printf "%.3f%%", (f - p) * 100 / p }')"
    printf '%-22s %12s %12s %12s %8s %14s\n' "$2 16-bit 44.1 kHz" "$wav_bytes" "$data_bytes" "$asf_bytes" "${ps:-?}" "$ov"
    rm -f "$wav" "$asf"
done
