#!/usr/bin/env bash
# File sink: buffered vs unbuffered (O_DIRECT) writing, next to dd doing the same.
#   bench/unbuffered.sh [DIR] [MIB]
# DIR defaults to a fresh directory under $TMPDIR (the file system under test).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$(mktemp -d)}
mib=${2:-512}
cargo build --release --example bench_unbuffered -q
bin=target/release/examples/bench_unbuffered
for mode in buffered unbuffered unbuffered-small; do
  "$bin" "$dir/bench-$mode.wma" "$mode" "$mib"
  rm -f "$dir/bench-$mode.wma"
done
for flags in "conv=fdatasync" "oflag=direct conv=fdatasync"; do
  # shellcheck disable=SC2086
  line=$(dd if=/dev/zero of="$dir/dd.bin" bs=1M count="$mib" $flags 2>&1 | tail -1)
  echo "dd $flags: $line"
  rm -f "$dir/dd.bin"
done
