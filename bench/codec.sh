#!/usr/bin/env bash
# Codec benchmark: libavcodec's raw path vs wmwriter's Pipeline, and A/V with and
# without the worker threads. Usage: bench/codec.sh [ROUNDS]   (default 7)
# Each round runs every mode once (modes alternate, so machine load hits all alike);
# the table gives the median and the best time of each mode and the peak RSS of the
# median run.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
cargo build --release --example bench_codec >/dev/null 2>&1
bin=target/release/examples/bench_codec
modes="wma-direct wma-pipeline wmv-direct wmv-pipeline wmv-pipeline-buf av-inline av-pipeline"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for _ in $(seq "$rounds"); do
    for mode in $modes; do
        out=$( { /usr/bin/time -f "RSS %M" "$bin" "$mode"; } 2>&1 )
        s=$(echo "$out" | awk -v m="$mode" '$1==m {print $2}')
        r=$(echo "$out" | awk '$1=="RSS" {print $2}')
        echo "$s $r" >> "$tmp/$mode"
    done
done
printf '%-18s %10s %10s %14s\n' mode median_s best_s peak_RSS_KiB
for mode in $modes; do
    sort -n "$tmp/$mode" > "$tmp/$mode.s"
    n=$(wc -l < "$tmp/$mode.s")
    med=$(sed -n "$(( (n + 1) / 2 ))p" "$tmp/$mode.s")
    best=$(head -1 "$tmp/$mode.s" | cut -d' ' -f1)
    printf '%-18s %10s %10s %14s\n' "$mode" "${med% *}" "$best" "${med#* }"
done
