#!/usr/bin/env bash
# Codec benchmark: libavcodec's raw path vs wmwriter's Pipeline, and A/V with and
# without the worker threads. Usage: bench/codec.sh [RUNS]   (default 3; best run kept)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cargo build --release --example bench_codec >/dev/null
bin=target/release/examples/bench_codec
for mode in wma-direct wma-pipeline wmv-direct wmv-pipeline av-inline av-pipeline; do
    best=""
    rss=""
    for _ in $(seq "$runs"); do
        out=$( { /usr/bin/time -f "RSS %M" "$bin" "$mode"; } 2>&1 )
        s=$(echo "$out" | awk -v m="$mode" '$1==m {print $2}')
        r=$(echo "$out" | awk '$1=="RSS" {print $2}')
        if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; rss=$r; fi
    done
    echo "$mode $best s peak RSS ${rss} KiB"
done
