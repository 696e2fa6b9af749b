package wmwriter

import (
	"errors"
	"fmt"
)

// Error is a failed call: the HRESULT the library returned (or the one this package
// chose for a Go-side refusal), its symbolic name, and the library's sentence about
// what was wrong (wm_get_last_error_message, read on the thread that made the call).
//
// Match it with IsHResult(err, NS_E_INVALID_REQUEST), errors.As, or errors.Is against
// ErrClosed or another *Error with the same HResult.
type Error struct {
	// HResult is the SDK's result code (negative), e.g. NS_E_INVALID_REQUEST.
	HResult int32
	// Name is the code's symbolic name, e.g. "NS_E_INVALID_REQUEST" (wm_hresult_name).
	Name string
	// Message says what the call objected to, e.g. "write_sample: input 3 does not
	// exist; the profile has 1 input". It may be empty.
	Message string
	// Op is the C function that failed ("wm_writer_write_sample"); for a refusal made
	// in Go before any C call, the function that would have been called or the Go
	// method ("Writer.InputByName").
	Op string

	closed bool // a closed wrapper (ErrClosed)
	local  bool // refused in Go: Message is this package's, not the library's
}

// Error formats the error as "wmwriter: OP: NAME (0xHRESULT): MESSAGE".
func (e *Error) Error() string {
	s := fmt.Sprintf("wmwriter: %s: %s (0x%08X)", e.Op, e.Name, uint32(e.HResult))
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Is reports whether target is ErrClosed and e is a closed-object error, or target is
// an *Error with the same HResult (its other fields are ignored).
func (e *Error) Is(target error) bool {
	if target == ErrClosed {
		return e.closed
	}
	var t *Error
	if errors.As(target, &t) {
		return t.HResult == e.HResult
	}
	return false
}

// ErrClosed matches (with errors.Is) the error every method returns when its object,
// or an object passed to it, has been closed. That error is an *Error with HResult
// E_POINTER, the code the library gives for a NULL handle.
var ErrClosed = errors.New("wmwriter: object is closed")

// IsHResult reports whether err is (or wraps) an *Error with HResult hr.
func IsHResult(err error, hr int32) bool {
	var e *Error
	return errors.As(err, &e) && e.HResult == hr
}

// HResultOf returns the HRESULT of an *Error in err's chain, S_OK for nil, and E_FAIL
// for any other error.
func HResultOf(err error) int32 {
	if err == nil {
		return S_OK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.HResult
	}
	return E_FAIL
}

func closedError(op, kind string) error {
	return &Error{HResult: E_POINTER, Name: "E_POINTER", Message: "the " + kind + " is closed", Op: op, closed: true, local: true}
}

// invalidArg is a Go-side refusal with the library's code for a bad argument.
func invalidArg(op, msg string) error {
	return &Error{HResult: E_INVALIDARG, Name: "E_INVALIDARG", Message: msg, Op: op, local: true}
}
