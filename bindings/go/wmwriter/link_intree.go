//go:build wmwriter_intree && !wmwriter_shared && !wmwriter_external

package wmwriter

// Link mode `-tags wmwriter_intree`: the static library of this checkout (`cargo build
// --release` at the repository root makes target/release/libwmwriter.a), for working
// on the binding inside the repository without installing. The program carries the
// library and needs nothing at run time.

// #cgo CFLAGS: -I${SRCDIR}/../../../include
// #cgo LDFLAGS: ${SRCDIR}/../../../target/release/libwmwriter.a -lpthread -ldl -lm
import "C"
