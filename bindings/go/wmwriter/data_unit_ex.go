package wmwriter

// #include "wmwriter.h"
// HRESULT wmgo_on_data_unit_ex(WMWriterSink *s, const uint8_t *data, uint32_t len, uint32_t hdr_len, uint32_t npay,
//                              const uint32_t *pay_off, const uint32_t *pay_len, uint32_t nfrag, const uint32_t *frag_pay,
//                              const uint32_t *frag_off, const uint32_t *frag_len);
import "C"

import (
	"math"
	"runtime"
	"unsafe"
)

// PayloadFragment is one piece of a payload's data in a data unit
// (WMT_PAYLOAD_FRAGMENT): Payload indexes the unit's payload headers.
type PayloadFragment struct {
	Payload uint32
	Data    []byte
}

// OnDataUnitEx hands a file sink one data packet as segments
// (IWMWriterFileSink3::OnDataUnitEx, wm_writer_file_sink_on_data_unit_ex): the packet
// header, each payload's header, and the payloads' data fragments (in order); the
// sink appends the packet (padded to the session's packet size) and counts it in the
// final header and index. Only while the sink is writing. The slices are copied into
// one data unit buffer of the sink for the call.
func (s *Sink) OnDataUnitEx(packetHeader []byte, payloadHeaders [][]byte, fragments []PayloadFragment) error {
	const op = "wm_writer_file_sink_on_data_unit_ex"
	total := len(packetHeader)
	for _, h := range payloadHeaders {
		total += len(h)
	}
	for _, f := range fragments {
		total += len(f.Data)
	}
	if total > math.MaxUint32/2 {
		return invalidArg(op, "the data unit is too large")
	}
	data := make([]byte, 0, total)
	data = append(data, packetHeader...)
	payOff := make([]C.uint32_t, len(payloadHeaders)+1)
	payLen := make([]C.uint32_t, len(payloadHeaders)+1)
	for i, h := range payloadHeaders {
		payOff[i], payLen[i] = C.uint32_t(len(data)), C.uint32_t(len(h))
		data = append(data, h...)
	}
	fragPay := make([]C.uint32_t, len(fragments)+1)
	fragOff := make([]C.uint32_t, len(fragments)+1)
	fragLen := make([]C.uint32_t, len(fragments)+1)
	for i, f := range fragments {
		fragPay[i], fragOff[i], fragLen[i] = C.uint32_t(f.Payload), C.uint32_t(len(data)), C.uint32_t(len(f.Data))
		data = append(data, f.Data...)
	}
	var dp *C.uint8_t
	if len(data) > 0 {
		dp = (*C.uint8_t)(unsafe.Pointer(&data[0]))
	}
	err := s.h.call(op, func(p *C.WMWriterSink) C.HRESULT {
		return C.wmgo_on_data_unit_ex(p, dp, C.uint32_t(len(data)), C.uint32_t(len(packetHeader)),
			C.uint32_t(len(payloadHeaders)), &payOff[0], &payLen[0],
			C.uint32_t(len(fragments)), &fragPay[0], &fragOff[0], &fragLen[0])
	})
	runtime.KeepAlive(data)
	runtime.KeepAlive(s)
	return err
}
