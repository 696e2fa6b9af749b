#!/usr/bin/env bash
# Install what the test suites need on a Debian machine (run as root, or with sudo
# available). Idempotent: packages already installed are skipped, `apt-get update` runs
# only when something has to be installed and the package lists don't know it (or the
# install fails on stale lists), and pytest is installed with pip only when Python
# cannot import it. With everything present this does nothing and needs no root.
set -euo pipefail

packages=(
    ffmpeg valgrind gdb procps libimage-exiftool-perl
    gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
    gstreamer1.0-plugins-ugly gstreamer1.0-plugins-base-apps gstreamer1.0-libav
    vlc-bin vlc-plugin-base
    cmake ninja-build pkg-config python3-pip python3-venv binutils
)
# The Go binding's suite and the Go quick start always run: install Debian's Go
# (bookworm: 1.19, the go line of bindings/go/go.mod) unless a `go` is already on PATH.
if ! command -v go >/dev/null 2>&1; then packages+=(golang-go); fi
# The C tests and examples/quickstart.c need a C compiler; a fresh Debian has none.
if ! command -v cc >/dev/null 2>&1; then packages+=(gcc libc6-dev); fi
if ! command -v c++ >/dev/null 2>&1; then packages+=(g++); fi

installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "setup-test-deps: need root (or sudo) to run: $*" >&2
        exit 1
    fi
}

missing=()
for p in "${packages[@]}"; do
    installed "$p" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "setup-test-deps: all ${#packages[@]} Debian packages already installed"
else
    echo "setup-test-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    updated=0
    # Update first only if the lists don't know a missing package (fresh machine).
    for p in "${missing[@]}"; do
        if ! apt-cache show "$p" >/dev/null 2>&1; then
            as_root apt-get update
            updated=1
            break
        fi
    done
    if ! as_root apt-get install -y "${missing[@]}"; then
        [ "$updated" -eq 0 ] || exit 1
        # Stale lists (404s): refresh once and retry.
        as_root apt-get update
        as_root apt-get install -y "${missing[@]}"
    fi
fi

# The Rust toolchain is the project's build requirement, not installed here; but the
# tests also need rustfmt (cargo fmt --check), which rustup can add.
if ! command -v cargo >/dev/null 2>&1; then
    echo "setup-test-deps: cargo not found; install Rust (https://rustup.rs) first" >&2
    exit 1
fi
if ! cargo fmt --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null 2>&1; then
        echo "setup-test-deps: adding the rustfmt component"
        rustup component add rustfmt
    else
        echo "setup-test-deps: cargo fmt is missing and there is no rustup to add it" >&2
        exit 1
    fi
fi

# The nightly toolchain: cargo-fuzz (fuzz smoke) and the AddressSanitizer build of the
# library (-Zsanitizer) need it. Installed only when missing.
if command -v rustup >/dev/null 2>&1 && ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "setup-test-deps: installing the nightly Rust toolchain (minimal profile)"
    rustup toolchain install nightly --profile minimal
fi

# Python packages the tests read files with: pytest, mutagen (tags), numpy + av (PyAV,
# the Python binding's round trips). Installed only when missing.
py_missing=""
for mod in pytest mutagen numpy av; do
    python3 -c "import $mod" >/dev/null 2>&1 || py_missing="$py_missing $mod"
done
if [ -z "$py_missing" ]; then
    echo "setup-test-deps: Python packages already installed (pytest mutagen numpy av)"
else
    echo "setup-test-deps: installing with pip:$py_missing"
    # Debian's system Python refuses pip installs (PEP 668) unless told otherwise.
    # shellcheck disable=SC2086
    if ! python3 -m pip install --quiet $py_missing; then
        python3 -m pip install --quiet --break-system-packages $py_missing
    fi
fi
