#!/usr/bin/env bash
# Run every test suite of wmwriter, stopping at the first failure:
#   1. install the test dependencies (scripts/setup-test-deps.sh; no-op when present)
#   2. cargo fmt --check
#   3. README checks: the method table against include/wmwriter.h, and the README's
#      C quick start identical to examples/quickstart.c
#   4. cargo test --workspace --all-features (WMWRITER_REQUIRE_TOOLS=1: reader checks must run)
#   5. CMake build + CTest (C tests, valgrind) — skipped only if CMakeLists.txt is absent
#   6. the demo (cargo run --release --example demo), its files checked with ffprobe/ffmpeg
#   7. examples/quickstart.c compiled against include/ + libwmwriter.a, run, checked
#   8. the bindings' own suites, when present: pytest for bindings/python, go test for
#      bindings/go (skipped with a note if no Go toolchain is installed)
# Ends with "wmwriter: all test suites passed".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
SECONDS=0
tmp="$(mktemp -d "${TMPDIR:-/tmp}/wmwriter-test.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n==> [%3ds] %s\n' "$SECONDS" "$*"; }
fail() { echo "test-all: $*" >&2; exit 1; }

# probe FILE STREAMS: ffprobe must see STREAMS streams and a 10 s +- 0.1 s duration (or
# DURATION given as $3), and ffmpeg must decode every stream without a message.
probe() {
    local file="$1" want_streams="$2" want_duration="${3:-10}" info streams duration
    [ -s "$file" ] || fail "$file is missing or empty"
    info="$(ffprobe -v error -show_entries format=nb_streams,duration -of default=noprint_wrappers=1 "$file")"
    streams="$(sed -n 's/^nb_streams=//p' <<<"$info")"
    duration="$(sed -n 's/^duration=//p' <<<"$info")"
    [ "$streams" = "$want_streams" ] || fail "$file: ffprobe sees $streams streams, expected $want_streams"
    awk -v d="$duration" -v w="$want_duration" 'BEGIN { exit !(d > w - 0.1 && d < w + 0.1) }' ||
        fail "$file: ffprobe says duration $duration s, expected $want_duration s"
    ffmpeg -nostdin -v error -i "$file" -map 0 -f null - 2>"$tmp/decode.err" || fail "$file: ffmpeg cannot decode it"
    [ ! -s "$tmp/decode.err" ] || fail "$file: ffmpeg complained: $(head -n 5 "$tmp/decode.err")"
    echo "ffprobe: $file: $streams stream(s), $duration s; ffmpeg decodes it cleanly"
}

step "test dependencies"
"$root/scripts/setup-test-deps.sh"

step "cargo fmt --check"
cargo fmt --check

step "README checks"
python3 "$root/scripts/check-readme-table.py"
awk '/^```c$/ { inside = 1; found++; next } /^```/ { inside = 0 } inside && found == 1' README.md >"$tmp/readme-quickstart.c"
[ -s "$tmp/readme-quickstart.c" ] || fail "README.md has no \`\`\`c block"
diff -u examples/quickstart.c "$tmp/readme-quickstart.c" ||
    fail "the README's C quick start differs from examples/quickstart.c (diff above)"
echo "README quick start is identical to examples/quickstart.c"
awk '/^```go$/ { inside = 1; found++; next } /^```/ { inside = 0 } inside && found == 1' README.md >"$tmp/readme-quickstart.go"
diff -u bindings/go/examples/quickstart/main.go "$tmp/readme-quickstart.go" ||
    fail "the README's Go quick start differs from bindings/go/examples/quickstart/main.go (diff above)"
echo "README Go quick start is identical to bindings/go/examples/quickstart/main.go"
awk '/^```cpp$/ { inside = 1; found++; next } /^```/ { inside = 0 } inside && found == 1' README.md >"$tmp/readme-quickstart.cpp"
diff -u c_tests/install/quickstart.cpp "$tmp/readme-quickstart.cpp" ||
    fail "the README's C++ quick start differs from c_tests/install/quickstart.cpp (diff above)"
echo "README C++ quick start is identical to c_tests/install/quickstart.cpp"

step "cargo test --workspace --all-features (library, reader evidence, CLI)"
WMWRITER_REQUIRE_TOOLS=1 cargo test --workspace --all-features

if [ -f CMakeLists.txt ]; then
    step "CMake build and CTest"
    cmake -S . -B build -G Ninja
    cmake --build build
    WMWRITER_REQUIRE_TOOLS=1 ctest --test-dir build --output-on-failure
else
    step "CMake build and CTest: skipped (no CMakeLists.txt)"
fi

step "demo (cargo run --release --example demo)"
cargo build --release
cargo run --release --example demo -- "$tmp/demo"
probe "$tmp/demo/demo.wma" 1
if [ -e "$tmp/demo/demo.wmv" ]; then
    probe "$tmp/demo/demo.wmv" 2
    video="$(ffprobe -v error -select_streams v -show_entries stream=codec_name,width,height -of csv=p=0 "$tmp/demo/demo.wmv")"
    [ "$video" = "rawvideo,320,240" ] || fail "demo.wmv: video stream is '$video', expected rawvideo,320,240"
else
    echo "demo.wmv not written (the demo printed why); only demo.wma checked"
fi

step "C quick start (examples/quickstart.c)"
cc -std=c11 -Wall -Werror -Iinclude examples/quickstart.c target/release/libwmwriter.a -lpthread -ldl -lm -o "$tmp/quickstart"
"$tmp/quickstart" "$tmp/quickstart.wma"
probe "$tmp/quickstart.wma" 1 1

if [ -d bindings/python/tests ]; then
    step "Python binding (pip install ./bindings/python, gen_ffi --check, pytest)"
    WMWRITER_REQUIRE_TOOLS=1 bindings/python/tools/ci.sh
fi
if [ -f bindings/go/go.mod ]; then
    if command -v go >/dev/null 2>&1; then
        step "Go binding (gofmt, go vet, go test, go test -race in bindings/go)"
        (
            cd bindings/go
            unformatted="$(gofmt -l .)"
            [ -z "$unformatted" ] || fail "gofmt would change: $unformatted"
            go vet ./...
            WMWRITER_REQUIRE_TOOLS=1 go test -count=1 ./...
            WMWRITER_REQUIRE_TOOLS=1 go test -count=1 -race ./...
        )
    else
        step "Go binding: skipped (no go toolchain on PATH)"
    fi
fi

echo
echo "wmwriter: all test suites passed (${SECONDS}s)"
