//go:build !wmwriter_intree && !wmwriter_shared && !wmwriter_external

package wmwriter

// Default link mode: an installed wmwriter, found by pkg-config (its wmwriter.pc, from
// `cmake --install build --prefix P`; set PKG_CONFIG_PATH=P/lib/pkgconfig when P is
// not a system prefix). wmwriter.pc links libwmwriter.so with an rpath to P/lib, so
// the program finds the library at run time without LD_LIBRARY_PATH. This is the mode
// `go get github.com/wmwriter/wmwriter/bindings/go` users get.

// #cgo pkg-config: wmwriter
import "C"
