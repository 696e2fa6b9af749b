//go:build !wmwriter_shared && !wmwriter_external

package wmwriter

// Default link mode: the static library of this repository (`cargo build --release`
// at the repository root makes target/release/libwmwriter.a). The program carries the
// library and needs nothing at run time.

// #cgo CFLAGS: -I${SRCDIR}/../../../include
// #cgo LDFLAGS: ${SRCDIR}/../../../target/release/libwmwriter.a -lpthread -ldl -lm
import "C"
