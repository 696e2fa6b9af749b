//go:build wmwriter_shared && !wmwriter_external

package wmwriter

// Link mode `-tags wmwriter_shared` (in-tree, like wmwriter_intree): the shared library of this checkout
// (target/release/libwmwriter.so), found at run time through an rpath to that
// directory (LD_LIBRARY_PATH is searched before it).

// #cgo CFLAGS: -I${SRCDIR}/../../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../../target/release -Wl,-rpath,${SRCDIR}/../../../target/release -lwmwriter
import "C"
