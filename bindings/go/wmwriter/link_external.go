//go:build wmwriter_external

package wmwriter

// Link mode `-tags wmwriter_external`: no flags from this package; the environment
// names the header and the library, e.g. an installed one:
//
//	CGO_CFLAGS="$(pkg-config --cflags wmwriter)" \
//	CGO_LDFLAGS="$(pkg-config --libs wmwriter)" go build -tags wmwriter_external ./...

import "C"
