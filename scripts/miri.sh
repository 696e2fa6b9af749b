#!/usr/bin/env bash
# Miri on the Rust FFI layer's unit tests (src/ffi/abi_tests.rs: handles, out-params, the
# size-query protocol, NULL arguments, a whole writing session into a callback sink) and
# the buffer and GUID tests. Needs the nightly toolchain's miri component
# (`rustup component add miri --toolchain nightly`). Isolation is off because the writer
# reads the real-time clock (the file's creation date). codec_info's test is skipped:
# it dlopens libavcodec, which Miri cannot do; so is everything that writes files or
# uses sockets (Miri runs no foreign code).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
MIRIFLAGS="${MIRIFLAGS:--Zmiri-disable-isolation}" cargo +nightly miri test --lib -- ffi:: buffer:: guid:: --skip codec_info
