package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
import "C"

import (
	"encoding/binary"
	"runtime"
	"unsafe"
)

// The profile's stream groups: mutual exclusions (IWMMutualExclusion2), bandwidth
// sharings (IWMBandwidthSharing) and the stream prioritization
// (IWMStreamPrioritization). Each is a copy: configure it, then hand it to the profile
// (Profile.AddMutualExclusion, AddBandwidthSharing, SetStreamPrioritization).

// readNumbers runs the size-query protocol of a stream-number list.
func readNumbers(op string, get func(nums *C.uint16_t, n *C.uint16_t) C.HRESULT) ([]uint16, error) {
	for tries := 0; ; tries++ {
		var n C.uint16_t
		if err := check(op, func() C.HRESULT { return get(nil, &n) }); err != nil {
			return nil, err
		}
		if n == 0 {
			return []uint16{}, nil
		}
		buf := make([]C.uint16_t, int(n))
		m := n
		err := check(op, func() C.HRESULT { return get(&buf[0], &m) })
		if err != nil {
			if IsHResult(err, ASF_E_BUFFERTOOSMALL) && tries < 8 {
				continue
			}
			return nil, err
		}
		out := make([]uint16, int(m))
		for i := range out {
			out[i] = uint16(buf[i])
		}
		return out, nil
	}
}

// MutualExclusion is a group of streams of which a reader plays one (IWMMutualExclusion2,
// WMMutualExclusion); profiles accept the CLSID_WMMUTEX_Bitrate type.
//
// It holds one reference; Close drops it (idempotent; a finalizer does it if you
// forget). Methods are safe for concurrent use, and fail with ErrClosed after Close.
type MutualExclusion struct {
	h ref[*C.WMMutualExclusion]
}

func newMutualExclusion(p *C.WMMutualExclusion) *MutualExclusion {
	m := &MutualExclusion{}
	m.h.init(p, "MutualExclusion", func(p *C.WMMutualExclusion) { C.wm_mutual_exclusion_release(p) })
	runtime.SetFinalizer(m, (*MutualExclusion).Close)
	return m
}

// Close releases the reference (wm_mutual_exclusion_release). Calling it again does
// nothing. It always returns nil.
func (m *MutualExclusion) Close() error {
	if m.h.close() {
		runtime.SetFinalizer(m, nil)
	}
	return nil
}

// Clone returns a second wrapper holding its own reference (wm_mutual_exclusion_add_ref).
func (m *MutualExclusion) Clone() (*MutualExclusion, error) {
	var out *MutualExclusion
	err := m.h.with("wm_mutual_exclusion_add_ref", func(p *C.WMMutualExclusion) error {
		C.wm_mutual_exclusion_add_ref(p)
		out = newMutualExclusion(p)
		return nil
	})
	runtime.KeepAlive(m)
	return out, err
}

func withMutualExclusion(m *MutualExclusion, op string, f func(p *C.WMMutualExclusion) error) error {
	if m == nil {
		return f(nil)
	}
	err := m.h.with(op, f)
	runtime.KeepAlive(m)
	return err
}

// Type is the exclusion type, a CLSID_WMMUTEX_* GUID, zero until set
// (IWMMutualExclusion::GetType).
func (m *MutualExclusion) Type() (GUID, error) {
	var g C.WMGuid
	err := m.h.call("wm_mutual_exclusion_get_type", func(p *C.WMMutualExclusion) C.HRESULT { return C.wm_mutual_exclusion_get_type(p, &g) })
	runtime.KeepAlive(m)
	return goGUID(&g), err
}

// SetType sets the exclusion type: CLSID_WMMUTEX_Bitrate (the one profiles accept),
// _Language, _Presentation or _Unknown (IWMMutualExclusion::SetType).
func (m *MutualExclusion) SetType(t GUID) error {
	g := cGUID(t)
	err := m.h.call("wm_mutual_exclusion_set_type", func(p *C.WMMutualExclusion) C.HRESULT { return C.wm_mutual_exclusion_set_type(p, &g) })
	runtime.KeepAlive(m)
	return err
}

// Streams are the stream numbers of the group (IWMStreamList::GetStreams).
func (m *MutualExclusion) Streams() ([]uint16, error) {
	var out []uint16
	err := m.h.with("wm_mutual_exclusion_get_streams", func(p *C.WMMutualExclusion) (err error) {
		out, err = readNumbers("wm_mutual_exclusion_get_streams", func(nums, n *C.uint16_t) C.HRESULT {
			return C.wm_mutual_exclusion_get_streams(p, nums, n)
		})
		return err
	})
	runtime.KeepAlive(m)
	return out, err
}

// AddStream adds a stream number (IWMStreamList::AddStream).
func (m *MutualExclusion) AddStream(number uint16) error {
	err := m.h.call("wm_mutual_exclusion_add_stream", func(p *C.WMMutualExclusion) C.HRESULT {
		return C.wm_mutual_exclusion_add_stream(p, C.uint16_t(number))
	})
	runtime.KeepAlive(m)
	return err
}

// RemoveStream removes a stream number (IWMStreamList::RemoveStream).
func (m *MutualExclusion) RemoveStream(number uint16) error {
	err := m.h.call("wm_mutual_exclusion_remove_stream", func(p *C.WMMutualExclusion) C.HRESULT {
		return C.wm_mutual_exclusion_remove_stream(p, C.uint16_t(number))
	})
	runtime.KeepAlive(m)
	return err
}

// Name is the exclusion's name (IWMMutualExclusion2::GetName).
func (m *MutualExclusion) Name() (string, error) {
	var b []byte
	err := m.h.with("wm_mutual_exclusion_get_name", func(p *C.WMMutualExclusion) (err error) {
		b, err = sizeQuery("wm_mutual_exclusion_get_name", func(buf unsafe.Pointer, n *C.uint16_t) C.HRESULT {
			return C.wm_mutual_exclusion_get_name(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(m)
	return cStringBytes(b), err
}

// SetName sets the exclusion's name (IWMMutualExclusion2::SetName).
func (m *MutualExclusion) SetName(name string) error {
	cs, err := cString("wm_mutual_exclusion_set_name", "name", name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = m.h.call("wm_mutual_exclusion_set_name", func(p *C.WMMutualExclusion) C.HRESULT { return C.wm_mutual_exclusion_set_name(p, cs) })
	runtime.KeepAlive(m)
	return err
}

// RecordCount is the number of records (IWMMutualExclusion2::GetRecordCount).
func (m *MutualExclusion) RecordCount() (int, error) {
	var n C.uint16_t
	err := m.h.call("wm_mutual_exclusion_get_record_count", func(p *C.WMMutualExclusion) C.HRESULT {
		return C.wm_mutual_exclusion_get_record_count(p, &n)
	})
	runtime.KeepAlive(m)
	return int(n), err
}

// AddRecord appends an empty, unnamed record and returns its index
// (IWMMutualExclusion2::AddRecord).
func (m *MutualExclusion) AddRecord() (int, error) {
	var index int
	err := m.h.with("wm_mutual_exclusion_add_record", func(p *C.WMMutualExclusion) error {
		var n C.uint16_t
		if err := check("wm_mutual_exclusion_get_record_count", func() C.HRESULT { return C.wm_mutual_exclusion_get_record_count(p, &n) }); err != nil {
			return err
		}
		index = int(n)
		return check("wm_mutual_exclusion_add_record", func() C.HRESULT { return C.wm_mutual_exclusion_add_record(p) })
	})
	runtime.KeepAlive(m)
	return index, err
}

// RemoveRecord removes record (later records move down) (IWMMutualExclusion2::RemoveRecord).
func (m *MutualExclusion) RemoveRecord(record int) error {
	if record < 0 || record > 0xFFFF {
		return invalidArg("wm_mutual_exclusion_remove_record", "record out of range")
	}
	err := m.h.call("wm_mutual_exclusion_remove_record", func(p *C.WMMutualExclusion) C.HRESULT {
		return C.wm_mutual_exclusion_remove_record(p, C.uint16_t(record))
	})
	runtime.KeepAlive(m)
	return err
}

// RecordName is record's name (IWMMutualExclusion2::GetRecordName).
func (m *MutualExclusion) RecordName(record int) (string, error) {
	if record < 0 || record > 0xFFFF {
		return "", invalidArg("wm_mutual_exclusion_get_record_name", "record out of range")
	}
	var b []byte
	err := m.h.with("wm_mutual_exclusion_get_record_name", func(p *C.WMMutualExclusion) (err error) {
		b, err = sizeQuery("wm_mutual_exclusion_get_record_name", func(buf unsafe.Pointer, n *C.uint16_t) C.HRESULT {
			return C.wm_mutual_exclusion_get_record_name(p, C.uint16_t(record), (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(m)
	return cStringBytes(b), err
}

// SetRecordName sets record's name (IWMMutualExclusion2::SetRecordName).
func (m *MutualExclusion) SetRecordName(record int, name string) error {
	const op = "wm_mutual_exclusion_set_record_name"
	if record < 0 || record > 0xFFFF {
		return invalidArg(op, "record out of range")
	}
	cs, err := cString(op, "name", name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = m.h.call(op, func(p *C.WMMutualExclusion) C.HRESULT {
		return C.wm_mutual_exclusion_set_record_name(p, C.uint16_t(record), cs)
	})
	runtime.KeepAlive(m)
	return err
}

// StreamsForRecord are the stream numbers of record
// (IWMMutualExclusion2::GetStreamsForRecord).
func (m *MutualExclusion) StreamsForRecord(record int) ([]uint16, error) {
	const op = "wm_mutual_exclusion_get_streams_for_record"
	if record < 0 || record > 0xFFFF {
		return nil, invalidArg(op, "record out of range")
	}
	var out []uint16
	err := m.h.with(op, func(p *C.WMMutualExclusion) (err error) {
		out, err = readNumbers(op, func(nums, n *C.uint16_t) C.HRESULT {
			return C.wm_mutual_exclusion_get_streams_for_record(p, C.uint16_t(record), nums, n)
		})
		return err
	})
	runtime.KeepAlive(m)
	return out, err
}

// AddStreamForRecord adds a stream number to record
// (IWMMutualExclusion2::AddStreamForRecord).
func (m *MutualExclusion) AddStreamForRecord(record int, number uint16) error {
	const op = "wm_mutual_exclusion_add_stream_for_record"
	if record < 0 || record > 0xFFFF {
		return invalidArg(op, "record out of range")
	}
	err := m.h.call(op, func(p *C.WMMutualExclusion) C.HRESULT {
		return C.wm_mutual_exclusion_add_stream_for_record(p, C.uint16_t(record), C.uint16_t(number))
	})
	runtime.KeepAlive(m)
	return err
}

// RemoveStreamForRecord removes a stream number from record
// (IWMMutualExclusion2::RemoveStreamForRecord).
func (m *MutualExclusion) RemoveStreamForRecord(record int, number uint16) error {
	const op = "wm_mutual_exclusion_remove_stream_for_record"
	if record < 0 || record > 0xFFFF {
		return invalidArg(op, "record out of range")
	}
	err := m.h.call(op, func(p *C.WMMutualExclusion) C.HRESULT {
		return C.wm_mutual_exclusion_remove_stream_for_record(p, C.uint16_t(record), C.uint16_t(number))
	})
	runtime.KeepAlive(m)
	return err
}

// BandwidthSharing is a group of streams sharing a bit rate (IWMBandwidthSharing,
// WMBandwidthSharing).
//
// It holds one reference; Close drops it (idempotent; a finalizer does it if you
// forget). Methods are safe for concurrent use, and fail with ErrClosed after Close.
type BandwidthSharing struct {
	h ref[*C.WMBandwidthSharing]
}

func newBandwidthSharing(p *C.WMBandwidthSharing) *BandwidthSharing {
	b := &BandwidthSharing{}
	b.h.init(p, "BandwidthSharing", func(p *C.WMBandwidthSharing) { C.wm_bandwidth_sharing_release(p) })
	runtime.SetFinalizer(b, (*BandwidthSharing).Close)
	return b
}

// Close releases the reference (wm_bandwidth_sharing_release). Calling it again does
// nothing. It always returns nil.
func (b *BandwidthSharing) Close() error {
	if b.h.close() {
		runtime.SetFinalizer(b, nil)
	}
	return nil
}

// Clone returns a second wrapper holding its own reference (wm_bandwidth_sharing_add_ref).
func (b *BandwidthSharing) Clone() (*BandwidthSharing, error) {
	var out *BandwidthSharing
	err := b.h.with("wm_bandwidth_sharing_add_ref", func(p *C.WMBandwidthSharing) error {
		C.wm_bandwidth_sharing_add_ref(p)
		out = newBandwidthSharing(p)
		return nil
	})
	runtime.KeepAlive(b)
	return out, err
}

func withBandwidthSharing(b *BandwidthSharing, op string, f func(p *C.WMBandwidthSharing) error) error {
	if b == nil {
		return f(nil)
	}
	err := b.h.with(op, f)
	runtime.KeepAlive(b)
	return err
}

// Type is CLSID_WMBandwidthSharing_Exclusive or _Partial, zero until set
// (IWMBandwidthSharing::GetType).
func (b *BandwidthSharing) Type() (GUID, error) {
	var g C.WMGuid
	err := b.h.call("wm_bandwidth_sharing_get_type", func(p *C.WMBandwidthSharing) C.HRESULT { return C.wm_bandwidth_sharing_get_type(p, &g) })
	runtime.KeepAlive(b)
	return goGUID(&g), err
}

// SetType sets it (IWMBandwidthSharing::SetType).
func (b *BandwidthSharing) SetType(t GUID) error {
	g := cGUID(t)
	err := b.h.call("wm_bandwidth_sharing_set_type", func(p *C.WMBandwidthSharing) C.HRESULT { return C.wm_bandwidth_sharing_set_type(p, &g) })
	runtime.KeepAlive(b)
	return err
}

// Bandwidth is the shared bit rate (bits per second) and buffer window (ms)
// (IWMBandwidthSharing::GetBandwidth).
func (b *BandwidthSharing) Bandwidth() (bitrate, bufferWindowMs uint32, err error) {
	var r, w C.uint32_t
	err = b.h.call("wm_bandwidth_sharing_get_bandwidth", func(p *C.WMBandwidthSharing) C.HRESULT {
		return C.wm_bandwidth_sharing_get_bandwidth(p, &r, &w)
	})
	runtime.KeepAlive(b)
	return uint32(r), uint32(w), err
}

// SetBandwidth sets them (IWMBandwidthSharing::SetBandwidth).
func (b *BandwidthSharing) SetBandwidth(bitrate, bufferWindowMs uint32) error {
	err := b.h.call("wm_bandwidth_sharing_set_bandwidth", func(p *C.WMBandwidthSharing) C.HRESULT {
		return C.wm_bandwidth_sharing_set_bandwidth(p, C.uint32_t(bitrate), C.uint32_t(bufferWindowMs))
	})
	runtime.KeepAlive(b)
	return err
}

// Streams are the stream numbers of the group (IWMStreamList::GetStreams).
func (b *BandwidthSharing) Streams() ([]uint16, error) {
	var out []uint16
	err := b.h.with("wm_bandwidth_sharing_get_streams", func(p *C.WMBandwidthSharing) (err error) {
		out, err = readNumbers("wm_bandwidth_sharing_get_streams", func(nums, n *C.uint16_t) C.HRESULT {
			return C.wm_bandwidth_sharing_get_streams(p, nums, n)
		})
		return err
	})
	runtime.KeepAlive(b)
	return out, err
}

// AddStream adds a stream number (IWMStreamList::AddStream).
func (b *BandwidthSharing) AddStream(number uint16) error {
	err := b.h.call("wm_bandwidth_sharing_add_stream", func(p *C.WMBandwidthSharing) C.HRESULT {
		return C.wm_bandwidth_sharing_add_stream(p, C.uint16_t(number))
	})
	runtime.KeepAlive(b)
	return err
}

// RemoveStream removes a stream number (IWMStreamList::RemoveStream).
func (b *BandwidthSharing) RemoveStream(number uint16) error {
	err := b.h.call("wm_bandwidth_sharing_remove_stream", func(p *C.WMBandwidthSharing) C.HRESULT {
		return C.wm_bandwidth_sharing_remove_stream(p, C.uint16_t(number))
	})
	runtime.KeepAlive(b)
	return err
}

// StreamPrioritization orders streams for dropping under low bandwidth
// (IWMStreamPrioritization, WMStreamPrioritization).
//
// It holds one reference; Close drops it (idempotent; a finalizer does it if you
// forget). Methods are safe for concurrent use, and fail with ErrClosed after Close.
type StreamPrioritization struct {
	h ref[*C.WMStreamPrioritization]
}

// PriorityRecord is one stream's place in a StreamPrioritization
// (WM_STREAM_PRIORITY_RECORD).
type PriorityRecord struct {
	StreamNumber uint16
	// Mandatory: the stream must never be dropped.
	Mandatory bool
}

// priorityRecordSize is sizeof(WM_STREAM_PRIORITY_RECORD): packed to 2 bytes, 6 bytes
// (cgo cannot name the misaligned field, so records are encoded by hand).
const priorityRecordSize = 6

func newStreamPrioritization(p *C.WMStreamPrioritization) *StreamPrioritization {
	s := &StreamPrioritization{}
	s.h.init(p, "StreamPrioritization", func(p *C.WMStreamPrioritization) { C.wm_stream_prioritization_release(p) })
	runtime.SetFinalizer(s, (*StreamPrioritization).Close)
	return s
}

// Close releases the reference (wm_stream_prioritization_release). Calling it again
// does nothing. It always returns nil.
func (s *StreamPrioritization) Close() error {
	if s.h.close() {
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

// Clone returns a second wrapper holding its own reference
// (wm_stream_prioritization_add_ref).
func (s *StreamPrioritization) Clone() (*StreamPrioritization, error) {
	var out *StreamPrioritization
	err := s.h.with("wm_stream_prioritization_add_ref", func(p *C.WMStreamPrioritization) error {
		C.wm_stream_prioritization_add_ref(p)
		out = newStreamPrioritization(p)
		return nil
	})
	runtime.KeepAlive(s)
	return out, err
}

// Records are the priority records, highest priority first
// (IWMStreamPrioritization::GetPriorityRecords).
func (s *StreamPrioritization) Records() ([]PriorityRecord, error) {
	const op = "wm_stream_prioritization_get_priority_records"
	var out []PriorityRecord
	err := s.h.with(op, func(p *C.WMStreamPrioritization) error {
		for tries := 0; ; tries++ {
			var n C.uint16_t
			if err := check(op, func() C.HRESULT { return C.wm_stream_prioritization_get_priority_records(p, nil, &n) }); err != nil {
				return err
			}
			if n == 0 {
				out = []PriorityRecord{}
				return nil
			}
			buf := make([]byte, int(n)*priorityRecordSize)
			m := n
			err := check(op, func() C.HRESULT {
				return C.wm_stream_prioritization_get_priority_records(p, (*C.WM_STREAM_PRIORITY_RECORD)(unsafe.Pointer(&buf[0])), &m)
			})
			if err != nil {
				if IsHResult(err, ASF_E_BUFFERTOOSMALL) && tries < 8 {
					continue
				}
				return err
			}
			out = make([]PriorityRecord, int(m))
			for i := range out {
				r := buf[i*priorityRecordSize:]
				out[i] = PriorityRecord{StreamNumber: binary.LittleEndian.Uint16(r), Mandatory: binary.LittleEndian.Uint32(r[2:]) != 0}
			}
			return nil
		}
	})
	runtime.KeepAlive(s)
	return out, err
}

// SetRecords replaces the records, highest priority first
// (IWMStreamPrioritization::SetPriorityRecords); the profile checks the streams at
// Profile.SetStreamPrioritization.
func (s *StreamPrioritization) SetRecords(records []PriorityRecord) error {
	const op = "wm_stream_prioritization_set_priority_records"
	if len(records) > 0xFFFF {
		return invalidArg(op, "more than 65535 records")
	}
	var buf []byte // exactly the records: checkptr rejects a pointer type larger than its allocation
	var ptr *C.WM_STREAM_PRIORITY_RECORD
	if len(records) > 0 {
		buf = make([]byte, len(records)*priorityRecordSize)
		ptr = (*C.WM_STREAM_PRIORITY_RECORD)(unsafe.Pointer(&buf[0]))
	}
	for i, r := range records {
		binary.LittleEndian.PutUint16(buf[i*priorityRecordSize:], r.StreamNumber)
		if r.Mandatory {
			binary.LittleEndian.PutUint32(buf[i*priorityRecordSize+2:], 1)
		}
	}
	err := s.h.call(op, func(p *C.WMStreamPrioritization) C.HRESULT {
		return C.wm_stream_prioritization_set_priority_records(p, ptr, C.uint16_t(len(records)))
	})
	runtime.KeepAlive(buf)
	runtime.KeepAlive(s)
	return err
}

// MutualExclusionCount is the number of mutual exclusions
// (IWMProfile::GetMutualExclusionCount).
func (pr *Profile) MutualExclusionCount() (int, error) {
	var n C.uint32_t
	err := pr.h.call("wm_profile_get_mutual_exclusion_count", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_get_mutual_exclusion_count(p, &n)
	})
	runtime.KeepAlive(pr)
	return int(n), err
}

// MutualExclusion is a copy of mutual exclusion index (IWMProfile::GetMutualExclusion).
func (pr *Profile) MutualExclusion(index int) (*MutualExclusion, error) {
	if index < 0 || uint64(index) > 0xFFFFFFFF {
		return nil, invalidArg("wm_profile_get_mutual_exclusion", "index out of range")
	}
	var out *C.WMMutualExclusion
	err := pr.h.call("wm_profile_get_mutual_exclusion", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_get_mutual_exclusion(p, C.uint32_t(index), &out)
	})
	runtime.KeepAlive(pr)
	if err != nil {
		return nil, err
	}
	return newMutualExclusion(out), nil
}

// CreateNewMutualExclusion makes an empty mutual exclusion; set its type and streams,
// then AddMutualExclusion (IWMProfile::CreateNewMutualExclusion).
func (pr *Profile) CreateNewMutualExclusion() (*MutualExclusion, error) {
	var out *C.WMMutualExclusion
	err := pr.h.call("wm_profile_create_new_mutual_exclusion", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_create_new_mutual_exclusion(p, &out)
	})
	runtime.KeepAlive(pr)
	if err != nil {
		return nil, err
	}
	return newMutualExclusion(out), nil
}

// AddMutualExclusion copies m into the profile (IWMProfile::AddMutualExclusion).
func (pr *Profile) AddMutualExclusion(m *MutualExclusion) error {
	err := withMutualExclusion(m, "wm_profile_add_mutual_exclusion", func(mp *C.WMMutualExclusion) error {
		return pr.h.call("wm_profile_add_mutual_exclusion", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_add_mutual_exclusion(p, mp) })
	})
	runtime.KeepAlive(pr)
	return err
}

// RemoveMutualExclusion removes the profile's first mutual exclusion equal to m
// (IWMProfile::RemoveMutualExclusion).
func (pr *Profile) RemoveMutualExclusion(m *MutualExclusion) error {
	err := withMutualExclusion(m, "wm_profile_remove_mutual_exclusion", func(mp *C.WMMutualExclusion) error {
		return pr.h.call("wm_profile_remove_mutual_exclusion", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_remove_mutual_exclusion(p, mp) })
	})
	runtime.KeepAlive(pr)
	return err
}

// BandwidthSharingCount is the number of bandwidth sharings
// (IWMProfile3::GetBandwidthSharingCount).
func (pr *Profile) BandwidthSharingCount() (int, error) {
	var n C.uint32_t
	err := pr.h.call("wm_profile_get_bandwidth_sharing_count", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_get_bandwidth_sharing_count(p, &n)
	})
	runtime.KeepAlive(pr)
	return int(n), err
}

// BandwidthSharing is a copy of bandwidth sharing index
// (IWMProfile3::GetBandwidthSharing).
func (pr *Profile) BandwidthSharing(index int) (*BandwidthSharing, error) {
	if index < 0 || uint64(index) > 0xFFFFFFFF {
		return nil, invalidArg("wm_profile_get_bandwidth_sharing", "index out of range")
	}
	var out *C.WMBandwidthSharing
	err := pr.h.call("wm_profile_get_bandwidth_sharing", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_get_bandwidth_sharing(p, C.uint32_t(index), &out)
	})
	runtime.KeepAlive(pr)
	if err != nil {
		return nil, err
	}
	return newBandwidthSharing(out), nil
}

// CreateNewBandwidthSharing makes an empty bandwidth sharing; set its type, bandwidth
// and streams, then AddBandwidthSharing (IWMProfile3::CreateNewBandwidthSharing).
func (pr *Profile) CreateNewBandwidthSharing() (*BandwidthSharing, error) {
	var out *C.WMBandwidthSharing
	err := pr.h.call("wm_profile_create_new_bandwidth_sharing", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_create_new_bandwidth_sharing(p, &out)
	})
	runtime.KeepAlive(pr)
	if err != nil {
		return nil, err
	}
	return newBandwidthSharing(out), nil
}

// AddBandwidthSharing copies b into the profile (IWMProfile3::AddBandwidthSharing).
func (pr *Profile) AddBandwidthSharing(b *BandwidthSharing) error {
	err := withBandwidthSharing(b, "wm_profile_add_bandwidth_sharing", func(bp *C.WMBandwidthSharing) error {
		return pr.h.call("wm_profile_add_bandwidth_sharing", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_add_bandwidth_sharing(p, bp) })
	})
	runtime.KeepAlive(pr)
	return err
}

// RemoveBandwidthSharing removes the profile's first bandwidth sharing equal to b
// (IWMProfile3::RemoveBandwidthSharing).
func (pr *Profile) RemoveBandwidthSharing(b *BandwidthSharing) error {
	err := withBandwidthSharing(b, "wm_profile_remove_bandwidth_sharing", func(bp *C.WMBandwidthSharing) error {
		return pr.h.call("wm_profile_remove_bandwidth_sharing", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_remove_bandwidth_sharing(p, bp) })
	})
	runtime.KeepAlive(pr)
	return err
}

// StreamPrioritization is a copy of the profile's stream prioritization, or nil (and
// no error) if it has none (IWMProfile3::GetStreamPrioritization).
func (pr *Profile) StreamPrioritization() (*StreamPrioritization, error) {
	var out *C.WMStreamPrioritization
	err := pr.h.call("wm_profile_get_stream_prioritization", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_get_stream_prioritization(p, &out)
	})
	runtime.KeepAlive(pr)
	if err != nil || out == nil {
		return nil, err
	}
	return newStreamPrioritization(out), nil
}

// CreateNewStreamPrioritization makes an empty stream prioritization; set its records,
// then SetStreamPrioritization (IWMProfile3::CreateNewStreamPrioritization).
func (pr *Profile) CreateNewStreamPrioritization() (*StreamPrioritization, error) {
	var out *C.WMStreamPrioritization
	err := pr.h.call("wm_profile_create_new_stream_prioritization", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_create_new_stream_prioritization(p, &out)
	})
	runtime.KeepAlive(pr)
	if err != nil {
		return nil, err
	}
	return newStreamPrioritization(out), nil
}

// SetStreamPrioritization copies s into the profile, replacing any earlier one
// (IWMProfile3::SetStreamPrioritization).
func (pr *Profile) SetStreamPrioritization(s *StreamPrioritization) error {
	f := func(sp *C.WMStreamPrioritization) error {
		return pr.h.call("wm_profile_set_stream_prioritization", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_set_stream_prioritization(p, sp) })
	}
	var err error
	if s == nil {
		err = f(nil)
	} else {
		err = s.h.with("wm_profile_set_stream_prioritization", f)
	}
	runtime.KeepAlive(s)
	runtime.KeepAlive(pr)
	return err
}

// RemoveStreamPrioritization removes the profile's stream prioritization, if any
// (IWMProfile3::RemoveStreamPrioritization).
func (pr *Profile) RemoveStreamPrioritization() error {
	err := pr.h.call("wm_profile_remove_stream_prioritization", func(p *C.WMProfile) C.HRESULT {
		return C.wm_profile_remove_stream_prioritization(p)
	})
	runtime.KeepAlive(pr)
	return err
}
