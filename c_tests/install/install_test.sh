#!/bin/sh
# install_test.sh: the install-tree tests (registered with CTest by c_tests/CMakeLists.txt).
#
#   install_test.sh install      <build-dir> <prefix>   cmake --install into a fresh prefix
#   install_test.sh find_package <prefix> <work-dir>    find_package(wmwriter 0.1): shared,
#                                                       static and the C++ quick start
#   install_test.sh pkgconfig    <prefix> <work-dir>    pkg-config --cflags --libs wmwriter
#                                                       (run with no LD_LIBRARY_PATH: the rpath
#                                                       from the .pc finds the .so) and
#                                                       --static wmwriter-static (the archive)
#   install_test.sh relocate     <prefix> <work-dir>    move a copy of the tree elsewhere and
#                                                       build both ways against it again
#
# Environment: CMAKE, CC, CXX, WM_GENERATOR, WM_MAKE_PROGRAM (from CTest). Exit status 77
# (skipped) when pkg-config is missing, unless WMWRITER_REQUIRE_TOOLS=1.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CMAKE=${CMAKE:-cmake}
CC=${CC:-cc}
CXX=${CXX:-c++}
mode=$1
shift

fail() {
    echo "FAILED: $*" >&2
    exit 1
}

skip_or_fail() {
    if [ "${WMWRITER_REQUIRE_TOOLS:-0}" = 1 ]; then
        fail "$* (WMWRITER_REQUIRE_TOOLS=1)"
    fi
    echo "SKIPPED: $*"
    exit 77
}

# The NEEDED entries of an ELF file (empty if readelf is missing).
needed() {
    if command -v readelf >/dev/null 2>&1; then
        readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
    fi
}

expect_static() { # the executable must not need libwmwriter.so
    if needed "$1" | grep -q '^libwmwriter\.so'; then
        fail "$1 needs libwmwriter.so but should link libwmwriter.a"
    fi
}

expect_shared() {
    if command -v readelf >/dev/null 2>&1 && ! needed "$1" | grep -q '^libwmwriter\.so$'; then
        fail "$1 does not need libwmwriter.so"
    fi
}

expect_output() { # <expected> <command...>
    want=$1
    shift
    got=$("$@") || fail "$* exited with $?"
    [ "$got" = "$want" ] || fail "$*: printed '$got', expected '$want'"
    for last in "$@"; do :; done
    echo "  ran $(basename "$last"): $got"
}

check_tree() { # <prefix>
    for f in bin/wmwrite lib/libwmwriter.so lib/libwmwriter.a include/wmwriter.h include/wmwriter.hpp \
             lib/pkgconfig/wmwriter.pc lib/pkgconfig/wmwriter-static.pc \
             lib/cmake/wmwriter/wmwriterConfig.cmake \
             lib/cmake/wmwriter/wmwriterConfigVersion.cmake; do
        [ -f "$1/$f" ] || fail "$1/$f is missing"
    done
}

# Configure, build and run c_tests/install against <prefix> with find_package.
run_find_package() { # <prefix> <build-dir>
    prefix=$1
    b=$2
    rm -rf "$b"
    set -- -S "$here" -B "$b" -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
        -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_BUILD_TYPE=Release
    if [ -n "${WM_GENERATOR:-}" ]; then set -- "$@" -G "$WM_GENERATOR"; fi
    if [ -n "${WM_MAKE_PROGRAM:-}" ]; then set -- "$@" -DCMAKE_MAKE_PROGRAM="$WM_MAKE_PROGRAM"; fi
    "$CMAKE" "$@" || fail "configuring the consumer against $prefix"
    dir=$(sed -n 's/^wmwriter_DIR:PATH=//p' "$b/CMakeCache.txt")
    [ "$dir" = "$prefix/lib/cmake/wmwriter" ] || fail "found wmwriter in '$dir', expected $prefix/lib/cmake/wmwriter"
    "$CMAKE" --build "$b" || fail "building the consumer against $prefix"
    expect_output S_OK "$b/consumer_shared"
    expect_shared "$b/consumer_shared"
    expect_output S_OK "$b/consumer_static"
    expect_static "$b/consumer_static"
    (cd "$b" && rm -f quickstart.wma && ./quickstart) || fail "the C++ quick start failed"
    size=$(wc -c <"$b/quickstart.wma")
    [ "$size" -gt 176400 ] || fail "quickstart.wma has only $size bytes"
    echo "  ran quickstart: quickstart.wma, $size bytes"
}

# Build consumer.c with pkg-config, shared and --static, and run both.
run_pkgconfig() { # <prefix> <work-dir>
    prefix=$1
    w=$2
    command -v pkg-config >/dev/null 2>&1 || skip_or_fail "pkg-config not found"
    rm -rf "$w"
    mkdir -p "$w"
    PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    export PKG_CONFIG_PATH
    unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR 2>/dev/null || true
    pkg-config --exists --print-errors 'wmwriter >= 0.1' || fail "pkg-config does not find wmwriter >= 0.1"
    libdir=$(pkg-config --variable=libdir wmwriter)
    [ "$(cd "$libdir" && pwd -P)" = "$(cd "$prefix/lib" && pwd -P)" ] || fail "pkg-config libdir $libdir is not $prefix/lib"
    echo "  pkg-config --cflags --libs wmwriter: $(pkg-config --cflags --libs wmwriter)"
    # shellcheck disable=SC2046
    "$CC" -o "$w/consumer_shared" "$here/consumer.c" $(pkg-config --cflags --libs wmwriter) \
        || fail "building with pkg-config --cflags --libs wmwriter"
    expect_shared "$w/consumer_shared"
    # No LD_LIBRARY_PATH: the -Wl,-rpath,${libdir} of wmwriter.pc must find the .so.
    expect_output S_OK env -u LD_LIBRARY_PATH "$w/consumer_shared"
    # The archive, through its own .pc file (Libs names libwmwriter.a by path).
    static_libs=$(pkg-config --static --libs wmwriter-static)
    echo "  pkg-config --static --libs wmwriter-static: $static_libs"
    case " $static_libs " in
    *"/libwmwriter.a "*) ;;
    *) fail "pkg-config --static --libs wmwriter-static does not name libwmwriter.a: $static_libs" ;;
    esac
    # shellcheck disable=SC2046,SC2086
    "$CC" -o "$w/consumer_static" "$here/consumer.c" $(pkg-config --static --cflags --libs wmwriter-static) \
        || fail "building with pkg-config --static --cflags --libs wmwriter-static"
    expect_static "$w/consumer_static"
    expect_output S_OK env -u LD_LIBRARY_PATH "$w/consumer_static"
}

case "$mode" in
install)
    build=$1
    prefix=$2
    rm -rf "$prefix"
    "$CMAKE" --install "$build" --prefix "$prefix" || fail "cmake --install $build --prefix $prefix"
    check_tree "$prefix"
    grep -q '^prefix=${pcfiledir}/' "$prefix/lib/pkgconfig/wmwriter.pc" || fail "wmwriter.pc is not relocatable"
    if grep -rqF "$prefix" "$prefix/lib/pkgconfig" "$prefix/lib/cmake"; then
        fail "an absolute install path in the pkg-config / CMake files"
    fi
    # Shipped stripped: no DWARF in the .so, the CLI or the archive, no symbol table in
    # the .so / CLI (their dynamic symbols stay).
    if command -v readelf >/dev/null 2>&1; then
        for f in lib/libwmwriter.so bin/wmwrite lib/libwmwriter.a; do
            if readelf -S -W "$prefix/$f" 2>/dev/null | grep -q '\.debug_'; then
                fail "$prefix/$f has .debug_* sections (not stripped)"
            fi
        done
        for f in lib/libwmwriter.so bin/wmwrite; do
            if readelf -S -W "$prefix/$f" | grep -q ' \.symtab '; then
                fail "$prefix/$f has a .symtab (not stripped)"
            fi
        done
    fi
    "$prefix/bin/wmwrite" --help >/dev/null || fail "the installed wmwrite --help failed"
    for f in bin/wmwrite lib/libwmwriter.so lib/libwmwriter.a; do
        echo "  $f: $(wc -c <"$prefix/$f") bytes"
    done
    echo "installed into $prefix"
    ;;
find_package)
    check_tree "$1"
    run_find_package "$1" "$2/build"
    ;;
pkgconfig)
    check_tree "$1"
    run_pkgconfig "$1" "$2"
    ;;
relocate)
    orig=$1
    w=$2
    check_tree "$orig"
    rm -rf "$w"
    mkdir -p "$w/staging" "$w/moved/elsewhere"
    cp -R "$orig" "$w/staging/prefix"
    mv "$w/staging/prefix" "$w/moved/elsewhere/wm"
    moved="$w/moved/elsewhere/wm"
    run_find_package "$moved" "$w/build"
    if grep -qF "$orig" "$w/build/CMakeCache.txt" "$w/build/"*.ninja "$w/build/Makefile" 2>/dev/null; then
        fail "the consumer build still refers to the original prefix $orig"
    fi
    if command -v pkg-config >/dev/null 2>&1; then
        run_pkgconfig "$moved" "$w/pkgconfig"
    elif [ "${WMWRITER_REQUIRE_TOOLS:-0}" = 1 ]; then
        fail "pkg-config not found (WMWRITER_REQUIRE_TOOLS=1)"
    else
        echo "  pkg-config not found: relocated pkg-config build not checked"
    fi
    echo "relocated tree $moved works"
    ;;
*)
    fail "unknown mode $mode"
    ;;
esac
