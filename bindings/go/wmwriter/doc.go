// Package wmwriter writes Windows Media / ASF files (.wma, .wmv) through libwmwriter,
// a reimplementation of the Windows Media Format SDK writer (IWMWriter) with a C ABI
// (include/wmwriter.h). This package is a cgo wrapper over that C API.
//
// # Writing a file
//
//	pm, _ := wmwriter.NewProfileManager()
//	profile, _ := pm.CreateEmptyProfile(wmwriter.WMT_VER_9_0)
//	profile.AddAudioStream(2, 44100, 16)          // PCM stereo 44.1 kHz 16-bit
//	w, _ := wmwriter.NewWriter()
//	w.SetProfile(profile)
//	w.SetOutputFilename("tone.wma")
//	w.BeginWriting()
//	w.WriteSample(0, 0, pcm, 0)                   // input 0 at time 0
//	w.EndWriting()
//
// Writer.InputWriter gives an io.Writer that cuts a PCM byte stream into samples with
// running time stamps; see the Example and bindings/go/examples/tone.
//
// # Objects and references
//
// Each C object has a wrapper (ProfileManager, Profile, StreamConfig, InputMediaProps,
// Writer, Buffer, Sink, MutualExclusion, BandwidthSharing, StreamPrioritization)
// holding exactly one reference. Close releases it; it is
// idempotent, and a finalizer releases a forgotten one. Clone takes a second reference
// (add_ref) in a new wrapper. Objects handed out by a method (Profile.Stream,
// Writer.InputProps, ...) are new references: Close them when done.
//
// # Goroutines
//
// Every method is safe for concurrent use: the C objects are thread-safe, and each
// wrapper guards its handle so that a Close racing a call waits for the call to end
// (a method called after Close fails with ErrClosed; nothing crashes). Several
// goroutines may write different inputs of one writer at once. No method takes a
// context: calls do not block on anything but the output.
//
// # Errors
//
// A failing call returns an *Error with the SDK's HRESULT, its name and the library's
// message saying what was wrong (read on the same OS thread as the call, since the
// library keeps it per thread). Test for a code with IsHResult(err,
// NS_E_INVALID_REQUEST); the HRESULTs, GUIDs and other constants of the header are
// package-level names spelled as in the SDK.
//
// # Linking
//
// By default the package links an installed wmwriter through pkg-config
// (`#cgo pkg-config: wmwriter`): install it with `cmake --install build --prefix P`
// and set PKG_CONFIG_PATH=P/lib/pkgconfig unless P is a system prefix. wmwriter.pc
// carries an rpath to P/lib, so programs run without LD_LIBRARY_PATH. Build tags
// choose otherwise:
//
//	-tags wmwriter_intree    target/release/libwmwriter.a of this checkout (run
//	                         `cargo build --release` at the repository root first)
//	-tags wmwriter_shared    target/release/libwmwriter.so of this checkout, found
//	                         through an rpath
//	-tags wmwriter_external  nothing: set CGO_CFLAGS / CGO_LDFLAGS yourself, e.g.
//	                         from `pkg-config --static --cflags --libs wmwriter-static`
//
// The go command does not hash the library file into its caches: after rebuilding the
// library, `go test` may report a cached result (use -count=1) and `go run` may reuse
// an executable linked against the old one (use `go build`, which always relinks).
package wmwriter

//go:generate go run ../internal/cmd/gen -header ../../../include/wmwriter.h -dir .
