//go:build wmwriter_external

package wmwriter

// Link mode `-tags wmwriter_external`: no flags from this package; the environment
// names the header and the library, e.g. an installed one:
//
//	CGO_CFLAGS="$(pkg-config --static --cflags wmwriter-static)" \
//	CGO_LDFLAGS="$(pkg-config --static --libs wmwriter-static)" go build -tags wmwriter_external ./...

import "C"
