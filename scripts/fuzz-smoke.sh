#!/usr/bin/env bash
# Run every cargo-fuzz target in fuzz/ for SECONDS each (default 60) from its committed
# corpus; a crash, leak or assertion fails the run and leaves the input in
# fuzz/artifacts/TARGET/. Needs a nightly toolchain (cargo-fuzz instruments with
# -Zsanitizer); installs cargo-fuzz from crates.io when missing. Without nightly it
# says so and exits 0, unless WMWRITER_REQUIRE_TOOLS=1 (then it fails).
# New corpus entries found during the run are written to a scratch copy, not committed.
# Targets run in parallel, one more than there are cores.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "fuzz-smoke: no nightly toolchain: the fuzz targets were not run"
    [ "${WMWRITER_REQUIRE_TOOLS:-0}" != 1 ] || exit 1
    exit 0
fi
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
scratch="$(mktemp -d "${TMPDIR:-/tmp}/wmwriter-fuzz.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
# Build every target once, then run them directly, one more at a time than there are cores.
cargo +nightly fuzz build >"$scratch/build.log" 2>&1 || { tail -n 40 "$scratch/build.log" >&2; exit 1; }
bin="target/$(rustc -vV | sed -n 's/^host: //p')/release"
jobs="$(( $(nproc 2>/dev/null || echo 2) + 1 ))" # one more than the cores: five targets in two rounds on 2 cores
run_one() {
    local target="$1" extra=() corpus=()
    mkdir -p "$scratch/$target"
    [ -f "$target.dict" ] && extra+=("-dict=$target.dict")
    [ -d "corpus/$target" ] && corpus+=("corpus/$target") # a target may start with no seeds
    mkdir -p "artifacts/$target"
    "$bin/$target" "$scratch/$target" "${corpus[@]}" -artifact_prefix="artifacts/$target/" \
        -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=4096 "${extra[@]}" >"$scratch/$target.log" 2>&1
}
targets=()
failed=()
for target in $(cargo +nightly fuzz list); do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    echo "fuzz-smoke: $target for ${seconds}s"
    { rc=0; run_one "$target" || rc=$?; echo "$rc" >"$scratch/$target.rc"; } &
    targets+=("$target")
done
wait
for target in "${targets[@]}"; do
    rc="$(cat "$scratch/$target.rc" 2>/dev/null || echo 1)"
    grep -E '^(Done|==[0-9]+==|SUMMARY|thread .* panicked)' "$scratch/$target.log" | sed "s/^/$target: /" || true
    if [ "$rc" -ne 0 ]; then
        tail -n 40 "$scratch/$target.log" >&2
        echo "fuzz-smoke: $target failed (input in fuzz/artifacts/$target)" >&2
        failed+=("$target")
    fi
done
[ "${#failed[@]}" -eq 0 ] || exit 1
echo "fuzz-smoke: every target ran ${seconds}s clean ($jobs at a time)"
