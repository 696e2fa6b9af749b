#!/usr/bin/env bash
# Throughput: 1 GiB through wmwriter's C API (1024 samples × 1 MiB, one 8-channel
# 32-bit 192 kHz PCM stream, a fresh allocate_sample buffer per sample released right
# after write_sample) versus `dd if=/dev/zero bs=1M count=1024` into the same directory.
#
# Sync policy: BOTH sync once at the end. dd uses conv=fdatasync; the benchmark
# program fdatasyncs the finished file after wm_writer_end_writing, inside its timing.
# Before every run `sync` flushes whatever the previous run left dirty; runs alternate
# which of the two goes first.
#
# usage: bench/throughput.sh [DIR] [RUNS]     (defaults: target/bench, 7)
# Prints every run, then the median and the best run: MB/s (10^6 bytes of payload per
# second) for both and the ratio ours/dd, and peak RSS (KiB) of both processes. Output
# files are deleted afterwards. Both write zeros (the benchmark's samples are zero-filled
# like /dev/zero); see bench/README.md for why that matters on a VM disk, and run it
# with DIR on a tmpfs (/dev/shm/x) to compare CPU cost without the disk.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/target/bench}"
runs="${2:-7}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
ours_file="$dir/bench.wma"
dd_file="$dir/dd.bin"
tmp="$(mktemp -d)"
trap 'rm -f "$ours_file" "$dd_file"; rm -rf "$tmp"' EXIT

(cd "$root" && cargo build --quiet --release --example bench_throughput)
bench="$root/target/release/examples/bench_throughput"

timer=()
if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -f '%M' -o "$tmp/rss"); fi
rss() { if [ -s "$tmp/rss" ]; then tail -n1 "$tmp/rss"; else echo "?"; fi; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "wmwriter throughput: $runs runs, 1 GiB each, into $dir ($(df -P "$dir" | awk 'NR==2 { print $1 }'))"
printf '%-4s %10s %10s %12s %12s\n' run "ours MB/s" "dd MB/s" "ours RSS KiB" "dd RSS KiB"
: >"$tmp/ours"
: >"$tmp/dd"
: >"$tmp/ours_rss"
: >"$tmp/dd_rss"
run_dd() {
    sync
    sleep 1
    rm -f "$tmp/rss"
    LC_ALL=C "${timer[@]}" dd if=/dev/zero of="$dd_file" bs=1M count=1024 conv=fdatasync 2>"$tmp/dd.err"
    dd_secs="$(sed -n 's/.*copied, \([0-9.e+-]*\) s,.*/\1/p' "$tmp/dd.err")"
    dd_rss="$(rss)"
    rm -f "$dd_file"
}

run_ours() {
    sync
    sleep 1
    rm -f "$tmp/rss"
    line="$("${timer[@]}" "$bench" "$ours_file" 1024 1048576)"
    ours_rss="$(rss)"
    if [ "$ours_rss" = "?" ]; then ours_rss="$(sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p' <<<"$line")"; fi
    ours_secs="$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$line")"
    file_bytes="$(sed -n 's/.*file_bytes=\([0-9]*\).*/\1/p' <<<"$line")"
    rm -f "$ours_file"
}

for i in $(seq 1 "$runs"); do
    # Alternate who goes first: the VM disk's speed drifts between runs.
    if [ $((i % 2)) -eq 1 ]; then run_dd; run_ours; else run_ours; run_dd; fi
    ours_mbs="$(awk -v s="$ours_secs" 'BEGIN { printf "%.1f", 1073741824 / s / 1e6 }')"
    dd_mbs="$(awk -v s="$dd_secs" 'BEGIN { printf "%.1f", 1073741824 / s / 1e6 }')"
    echo "$ours_mbs" >>"$tmp/ours"
    echo "$dd_mbs" >>"$tmp/dd"
    echo "$ours_rss" >>"$tmp/ours_rss"
    echo "$dd_rss" >>"$tmp/dd_rss"
    printf '%-4s %10s %10s %12s %12s\n' "$i" "$ours_mbs" "$dd_mbs" "$ours_rss" "$dd_rss"
done

ours_med="$(median <"$tmp/ours")"
dd_med="$(median <"$tmp/dd")"
ours_best="$(sort -g "$tmp/ours" | tail -n1)"
dd_best="$(sort -g "$tmp/dd" | tail -n1)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "median: ours $ours_med MB/s, dd $dd_med MB/s, ratio ours/dd $(ratio "$ours_med" "$dd_med")"
echo "best:   ours $ours_best MB/s, dd $dd_best MB/s, ratio ours/dd $(ratio "$ours_best" "$dd_best")"
echo "peak RSS: ours max $(sort -g "$tmp/ours_rss" | tail -n1) KiB, dd max $(sort -g "$tmp/dd_rss" | tail -n1) KiB"
echo "file: 1073741824 payload bytes -> ${file_bytes} bytes of ASF ($(awk -v f="$file_bytes" 'BEGIN { printf "%.2f", (f / 1073741824 - 1) * 100 }')% overhead)"
