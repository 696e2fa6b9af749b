#!/usr/bin/env bash
# The writer's cost with a network sink: 0 clients against 50 loopback clients.
#
# bench/network_bench.rs writes SECONDS (default 60) of 44.1 kHz stereo PCM as fast as it
# can to a file and to a network sink; with 50 plain-HTTP clients (threads of the same
# process) connected before begin_writing, each must receive the whole stream. Runs
# alternate 0 / 50 clients, one process each (peak RSS from /usr/bin/time -f %M).
# Prints every run, then the medians and the ratios 50-client / 0-client of:
#   wall throughput (MB/s of file written) and the writing thread's CPU time.
#
# usage: bench/network.sh [DIR] [RUNS] [SECONDS]   (defaults: /dev/shm, 5, 60)
# Only the file this script creates is deleted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-/dev/shm}"
runs="${2:-5}"
seconds="${3:-60}"
work="$(mktemp -d "$dir/wmwriter-network.XXXXXX")"
trap 'rm -rf "$work"' EXIT

(cd "$root" && cargo build --quiet --release --example network_bench)
bench="$root/target/release/examples/network_bench"
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "peak_rss_kb=%M")

for ((r = 0; r < runs; r++)); do
    for c in 0 50; do
        line=$("${timer[@]}" "$bench" "$c" "$seconds" "$work/out.asf" 2>"$work/err") || { cat "$work/err" >&2; exit 1; }
        rss=$(grep -o 'peak_rss_kb=[0-9]*' "$work/err" || true)
        echo "$line $rss" | tee -a "$work/all"
    done
done

python3 - "$work/all" <<'PY'
import re, statistics, sys
rows = [dict(re.findall(r'(\w+)=([^\s]+)', l)) for l in open(sys.argv[1])]
def med(c, k):
    return statistics.median(float(r[k]) for r in rows if r['clients'] == c and k in r)
print()
print('| clients | MB/s (median) | writer thread CPU s (median) | peak RSS MiB (median) |')
print('|---|---|---|---|')
for c in ('0', '50'):
    rss = med(c, 'peak_rss_kb') / 1024 if any('peak_rss_kb' in r for r in rows) else float('nan')
    print(f"| {c} | {med(c, 'mb_per_s'):.1f} | {med(c, 'writer_cpu_s'):.4f} | {rss:.1f} |")
print()
print(f"throughput 50 / 0 clients: {med('50', 'mb_per_s') / med('0', 'mb_per_s'):.2f}")
print(f"writer CPU 50 / 0 clients: {med('50', 'writer_cpu_s') / med('0', 'writer_cpu_s'):.2f}")
PY
