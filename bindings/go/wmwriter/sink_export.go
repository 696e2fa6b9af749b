package wmwriter

// This file holds only the Go functions exported to C (the callbacks of
// NewCallbackSink); a file with //export may only declare C in its preamble, so the
// trampolines that call these are in cgo.go.

// #include "wmwriter.h"
import "C"

import "runtime/cgo"

//export wmgoSinkHeader
func wmgoSinkHeader(handle C.uintptr_t, data *C.uint8_t, length C.uint32_t) C.HRESULT {
	return sinkCall(handle, data, length, 0)
}

//export wmgoSinkDataUnit
func wmgoSinkDataUnit(handle C.uintptr_t, data *C.uint8_t, length C.uint32_t) C.HRESULT {
	return sinkCall(handle, data, length, 1)
}

//export wmgoSinkEndWriting
func wmgoSinkEndWriting(handle C.uintptr_t, data *C.uint8_t, length C.uint32_t) C.HRESULT {
	return sinkCall(handle, data, length, 2)
}

//export wmgoSinkDestroy
func wmgoSinkDestroy(handle C.uintptr_t) {
	cgo.Handle(handle).Delete()
}

//export wmgoIndexerStatus
func wmgoIndexerStatus(handle C.uintptr_t, status C.uint32_t, hr C.int32_t, value *C.uint8_t, size C.uint32_t) {
	indexerStatus(handle, uint32(status), int32(hr), value, uint32(size))
}

//export wmgoStatus
func wmgoStatus(id C.uintptr_t, status C.uint32_t, hr C.int32_t, value *C.uint8_t, size C.uint32_t) {
	deliverStatus(uintptr(id), uint32(status), int32(hr), value, uint32(size))
}
