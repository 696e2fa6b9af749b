#!/usr/bin/env bash
# Run every test suite of wmwriter, stopping at the first failure:
#   1. install the test dependencies (scripts/setup-test-deps.sh; no-op when present)
#   2. cargo fmt --check
#   3. README checks: the method table against include/wmwriter.h, and the README's
#      C quick start identical to examples/quickstart.c
#   4. cargo test --workspace --all-features (WMWRITER_REQUIRE_TOOLS=1: reader checks must run)
#   5. CMake build + CTest (C tests, valgrind) — skipped only if CMakeLists.txt is absent;
#      then the C tests again with -fsanitize=address,undefined against an ASan library
#   6. the demo (cargo run --release --example demo), its files checked with ffprobe/ffmpeg
#   7. every README quick start, run exactly as the README writes it (the fenced block
#      after each `<!-- test-all: NAME -->` line, with bash -euo pipefail): C; the CMake
#      install; C++ with find_package and with pkg-config (shared and static); the
#      Python wheel built, then installed into a fresh venv with no Rust on PATH; Go
#      from a scratch module outside the checkout, linked through pkg-config. Only the
#      install prefix /opt/wmwriter and $HOME are moved into the scratch directory.
#      Each written file is checked with ffprobe/ffmpeg.
#   8. the bindings' own suites: pytest for bindings/python against its installed
#      wheel; gofmt, go vet, go test, go test -race for bindings/go, both in-tree
#      (-tags wmwriter_intree) and through pkg-config against the installed tree. Go is
#      installed by setup-test-deps.sh when missing; its absence is a failure.
#   9. scripts/fuzz-smoke.sh: every cargo-fuzz target for 60 s, cores + 1 at a time (needs the nightly toolchain).
# Ends with "wmwriter: all test suites passed".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
SECONDS=0
tmp="$(mktemp -d "${TMPDIR:-/tmp}/wmwriter-test.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# descendants PID: every process below PID, deepest last.
descendants() {
    local c
    for c in $(pgrep -P "$1" || true); do
        echo "$c"
        descendants "$c"
    done
}
# guard LIMIT CMD...: run CMD; when it is still running after LIMIT seconds (a hang: the
# step normally takes a fraction of that), print the process tree and the thread
# backtraces of everything under it (gdb), kill it and fail, so a hang is diagnosed in
# the log instead of eating the CI's time.
guard() {
    local limit="$1" pid waited=0 p
    shift
    "$@" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$waited" -ge "$limit" ]; then
            echo "test-all: '$*' is still running after ${limit}s; the processes and their threads:" >&2
            ps -o pid,ppid,etimes,args -p "$(descendants "$pid" | tr '\n' ',')$pid" >&2 || true
            for p in $(descendants "$pid"); do
                echo "--- $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-300)" >&2
                timeout 60 gdb -p "$p" -batch -ex 'thread apply all bt 25' 2>/dev/null |
                    grep -E '^(Thread|#)' | head -n 300 >&2 || true
            done
            for p in $(descendants "$pid") "$pid"; do kill -9 "$p" 2>/dev/null || true; done
            fail "'$*' timed out after ${limit}s (backtraces above)"
        fi
        sleep 1
        waited=$((waited + 1))
    done
    wait "$pid"
}

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
WMWRITER_REQUIRE_TOOLS=1 guard 900 cargo test --workspace --all-features
step "built-in WMA encoder: the rate matrix against libavcodec (release build)"
WMWRITER_REQUIRE_TOOLS=1 guard 600 cargo test --release --test wma_roundtrip -- --nocapture wmav2_rate_matrix

if [ -f CMakeLists.txt ]; then
    step "CMake build and CTest"
    WMWRITER_REQUIRE_TOOLS=1 cmake -S . -B build -G Ninja
    cmake --build build
    WMWRITER_REQUIRE_TOOLS=1 guard 600 ctest --test-dir build --output-on-failure
    step "C tests under AddressSanitizer + UBSan (library built by nightly cargo with -Zsanitizer=address)"
    if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
        cmake -S . -B build-asan -G Ninja -DWMWRITER_SANITIZE=address,undefined >/dev/null
        guard 400 cmake --build build-asan
        guard 300 ctest --test-dir build-asan -j "$(nproc)" --output-on-failure -L sanitize
    else
        echo "no nightly toolchain: the sanitizer build was not run"
        exit 1
    fi
else
    step "CMake build and CTest: skipped (no CMakeLists.txt)"
fi

step "demo (cargo run --release --example demo)"
cargo build --release
guard 300 cargo run --release --example demo -- "$tmp/demo"
probe "$tmp/demo/demo.wma" 1
audio="$(ffprobe -v error -show_entries stream=codec_name,bit_rate -of csv=p=0 "$tmp/demo/demo.wma")"
[ "$audio" = "wmav2,128000" ] || fail "demo.wma: the stream is '$audio', expected wmav2,128000"
# CI has libavcodec (ffmpeg), so demo.wmv is encoded.
probe "$tmp/demo/demo.wmv" 2
video="$(ffprobe -v error -select_streams v -show_entries stream=codec_name,width,height -of csv=p=0 "$tmp/demo/demo.wmv")"
[ "$video" = "wmv2,320,240" ] || fail "demo.wmv: video stream is '$video', expected wmv2,320,240"
probe "$tmp/demo/demo-pcm.wma" 1
pcm="$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$tmp/demo/demo-pcm.wma")"
[ "$pcm" = "pcm_s16le" ] || fail "demo-pcm.wma: the stream is '$pcm', expected pcm_s16le"

# The fenced block that follows the line <!-- test-all: NAME --> in README.md.
readme_block() {
    awk -v marker="<!-- test-all: $1 -->" '
        $0 == marker { want = 1; next }
        want && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }' README.md
}
prefix="$tmp/opt/wmwriter"
mkdir -p "$tmp/home"
# Tools keep their own homes while HOME moves: rustup/cargo, pip's cache.
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$HOME/.cache/pip}"
# run_block NAME DIR [env ARGS: -u NAME..., then NAME=VALUE...]: run a README block in DIR as written, with /opt/wmwriter
# replaced by $prefix, HOME=$tmp/home and no LD_LIBRARY_PATH (rpaths must do the work).
run_block() {
    local name="$1" dir="$2" body
    shift 2
    body="$(readme_block "$name")"
    [ -n "$body" ] || fail "README.md has no block after <!-- test-all: $name -->"
    body="${body//\/opt\/wmwriter/$prefix}"
    printf -- '--- README block "%s", in %s:\n%s\n---\n' "$name" "$dir" "$body"
    (cd "$dir" && env -u LD_LIBRARY_PATH "$@" HOME="$tmp/home" bash -euo pipefail -c "$body") ||
        fail "the README block \"$name\" failed as written"
}
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

step "README quick start: C"
mkdir -p "$tmp/qs-c"
for d in include examples target; do ln -s "$root/$d" "$tmp/qs-c/$d"; done
run_block c "$tmp/qs-c"
probe "$tmp/qs-c/tone.wma" 1 1

step "README: install (cmake --install)"
run_block install "$root"
for f in bin/wmwrite lib/libwmwriter.so lib/libwmwriter.a; do
    [ -f "$prefix/$f" ] || fail "the install left no $prefix/$f"
    ! readelf -S -W "$prefix/$f" | grep -q '\.debug_' || fail "$prefix/$f is not stripped (.debug_* sections)"
    echo "installed $f: $(wc -c <"$prefix/$f") bytes, no debug sections"
done
"$prefix/bin/wmwrite" --help >/dev/null || fail "the installed wmwrite does not run"

step "README quick start: C++ with find_package"
mkdir -p "$tmp/qs-cxx-cmake"
awk '/^```cpp$/ { inside = 1; found++; next } /^```/ { inside = 0 } inside && found == 1' README.md >"$tmp/qs-cxx-cmake/quickstart.cpp"
readme_block cxx-cmakelists >"$tmp/qs-cxx-cmake/CMakeLists.txt"
run_block cxx-cmake "$tmp/qs-cxx-cmake"
probe "$tmp/qs-cxx-cmake/quickstart.wma" 1 1

step "README quick start: C++ with pkg-config (shared, static)"
mkdir -p "$tmp/qs-cxx-pc"
cp "$tmp/qs-cxx-cmake/quickstart.cpp" "$tmp/qs-cxx-pc/"
run_block cxx-pkgconfig "$tmp/qs-cxx-pc"
probe "$tmp/qs-cxx-pc/quickstart.wma" 1 1
needed "$tmp/qs-cxx-pc/quickstart" | grep -qx 'libwmwriter.so' || fail "the pkg-config quick start does not link libwmwriter.so"
! needed "$tmp/qs-cxx-pc/quickstart-static" | grep -q 'libwmwriter' || fail "the --static quick start still needs libwmwriter.so"
echo "quickstart needs libwmwriter.so (found through the .pc rpath); quickstart-static needs no wmwriter file ($(wc -c <"$tmp/qs-cxx-pc/quickstart-static") bytes)"

step "README quick start: Python (wheel; fresh venv, no Rust on PATH)"
mkdir -p "$tmp/qs-py"
ln -s "$root/bindings" "$tmp/qs-py/bindings"
run_block python-build "$tmp/qs-py"
norust_path=""
IFS=: read -r -a path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
    [ -x "$d/cargo" ] || [ -x "$d/rustc" ] || norust_path="${norust_path:+$norust_path:}$d"
done
PATH="$norust_path" bash -c '! command -v cargo && ! command -v rustc' >/dev/null || fail "cannot take Rust off PATH"
run_block python-run "$tmp/qs-py" -u WMWRITER_LIBRARY -u PYTHONPATH -u VIRTUAL_ENV PATH="$norust_path"
probe "$tmp/qs-py/quickstart.wmv" 2 2
loaded="$(cd "$tmp" && env -u WMWRITER_LIBRARY "$tmp/qs-py/venv/bin/python" -c 'import wmwriter; print(wmwriter.library_path)')"
case "$loaded" in
"$tmp/qs-py/venv/"*) echo "the venv's wmwriter loads its bundled $loaded" ;;
*) fail "the venv's wmwriter loaded $loaded, not the wheel's library" ;;
esac

command -v go >/dev/null 2>&1 || fail "no go on PATH (scripts/setup-test-deps.sh installs golang-go)"
# The module cache stays where it is (HOME moves for the README block); the build cache
# is a fresh one, as on a fresh machine: Go does not notice that pkg-config now names
# another prefix and would link a cgo package cached by an earlier run against its
# (deleted) install tree ("cannot find -lwmwriter").
GOCACHE="$tmp/gocache" GOMODCACHE="$(go env GOMODCACHE)" GOPATH="$(go env GOPATH)"
export GOCACHE GOMODCACHE GOPATH GOFLAGS=-mod=mod

step "README quick start: Go (scratch module, pkg-config against the installed tree)"
run_block go "$root"
probe "$tmp/home/quickstart-go/tone.wma" 1 1
unset GOFLAGS

step "Python binding (wheel, fresh venv, gen_ffi --check, pytest)"
WMWRITER_REQUIRE_TOOLS=1 guard 600 bindings/python/tools/ci.sh

step "Go binding (gofmt, go vet, go test, go test -race: in-tree, then via pkg-config)"
(
    cd bindings/go
    unformatted="$(gofmt -l .)"
    [ -z "$unformatted" ] || fail "gofmt would change: $unformatted"
    go vet -tags wmwriter_intree ./...
    WMWRITER_REQUIRE_TOOLS=1 guard 600 go test -count=1 -tags wmwriter_intree ./...
    WMWRITER_REQUIRE_TOOLS=1 guard 600 go test -count=1 -race -tags wmwriter_intree ./...
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    go vet ./...
    WMWRITER_REQUIRE_TOOLS=1 guard 600 go test -count=1 ./...
)

step "fuzz smoke (every cargo-fuzz target, 60 s each from its committed corpus, cores + 1 at a time)"
WMWRITER_REQUIRE_TOOLS=1 guard 600 "$root/scripts/fuzz-smoke.sh" 60

echo
echo "wmwriter: all test suites passed (${SECONDS}s)"
