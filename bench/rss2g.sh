#!/usr/bin/env bash
# Peak RSS against file length: the writer's memory must not grow with the file.
#
# bench/density_bench.rs (the writer's Rust API: allocate_sample + copy + write_sample
# per sample, the default packet size, a file sink) writes SIZE bytes of PCM (s16le,
# 44.1 kHz stereo) read from a pipe (`head -c SIZE /dev/zero`) into an ASF file in DIR,
# under `/usr/bin/time -f %M` (peak resident set, KiB). Sizes: 256 MiB and 2 GiB, in
# 65536-byte and 4096-byte samples. The input is a pipe, so the page cache of an input
# file never counts; the output file's page cache is the kernel's, not the process's.
#
# usage: bench/rss2g.sh [DIR]     (default: /tmp; needs 2 GiB + a little free there)
# Only the files this script creates (the ASF file and its log) are deleted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-/tmp}"
need=$(((2 << 30) / 1024 + 65536))
free="$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')"
if [ "$free" -lt "$need" ]; then
    echo "$dir has $free KiB free; this needs $need KiB" >&2
    exit 1
fi
(cd "$root" && cargo build --quiet --release --example density_bench)
bench="$root/target/release/examples/density_bench"
out="$(mktemp "$dir/wmwriter-rss2g.XXXXXX.asf")"
trap 'rm -f "$out" "$out.log"' EXIT

printf '%-8s %-7s %12s %14s %10s %10s\n' size sample "file bytes" "peak RSS KiB" "MB/s" packet
for sample in 65536 4096; do
    for size in $((256 << 20)) $((2 << 30)); do
        rm -f "$out"
        rss="$(
            { head -c "$size" /dev/zero | /usr/bin/time -f 'RSS %M' "$bench" /dev/stdin "$out" "$sample" 0 >"$out.log"; } 2>&1 |
                sed -n 's/^RSS //p'
        )"
        line="$(cat "$out.log")"
        rm -f "$out.log"
        mbs="$(sed -n 's/.*mb_per_s=\([0-9.]*\).*/\1/p' <<<"$line")"
        packet="$(sed -n 's/.*packet=\([0-9]*\).*/\1/p' <<<"$line")"
        printf '%-8s %-7s %12s %14s %10s %10s\n' "$((size >> 20))MiB" "$sample" "$(stat -c %s "$out")" "$rss" "$mbs" "$packet"
    done
done
