package wmwriter

// The Go functions exported to C for Writer.SetPostViewCallback (the trampolines that
// call them are in post_view.go: a file with //export may only declare C).

// #include "wmwriter.h"
import "C"

//export wmgoPostViewSample
func wmgoPostViewSample(ctx C.uintptr_t, stream C.uint16_t, t, duration C.uint64_t, flags C.uint32_t, sample *C.WMBuffer) C.HRESULT {
	return postViewSample(ctx, stream, t, duration, flags, sample)
}

//export wmgoPostViewAllocate
func wmgoPostViewAllocate(ctx C.uintptr_t, stream C.uint16_t, size C.uint32_t, out **C.WMBuffer) C.HRESULT {
	return postViewAllocate(ctx, stream, size, out)
}
