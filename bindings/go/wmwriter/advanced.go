package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// ---- IWMWriterAdvanced / 2 / 3 -------------------------------------------------------

// WriterTime is the latest sample time the writer accepted in this session
// (IWMWriterAdvanced::GetWriterTime); 0 when not writing.
func (w *Writer) WriterTime() (time.Duration, error) {
	var t C.uint64_t
	err := w.h.call("wm_writer_get_writer_time", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_get_writer_time(p, &t) })
	runtime.KeepAlive(w)
	return time.Duration(t) * 100, err
}

// IsRealTime reports whether the writer runs in real time (IWMWriterAdvanced::IsRealTime).
func (w *Writer) IsRealTime() (bool, error) {
	var v C.int32_t
	err := w.h.call("wm_writer_is_real_time", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_is_real_time(p, &v) })
	runtime.KeepAlive(w)
	return v != 0, err
}

// SetLiveSource declares a live source (IWMWriterAdvanced::SetLiveSource); default false.
func (w *Writer) SetLiveSource(live bool) error {
	err := w.h.call("wm_writer_set_live_source", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_set_live_source(p, cBool(live)) })
	runtime.KeepAlive(w)
	return err
}

// SetNonBlocking is IWMWriterAdvanced3::SetNonBlocking (this writer never blocks anyway).
func (w *Writer) SetNonBlocking() error {
	err := w.h.call("wm_writer_set_non_blocking", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_set_non_blocking(p) })
	runtime.KeepAlive(w)
	return err
}

// WriterStatistics is WM_WRITER_STATISTICS.
type WriterStatistics struct {
	SampleCount, ByteCount, DroppedSampleCount, DroppedByteCount uint64
	CurrentBitrate, AverageBitrate, ExpectedBitrate              uint32
	CurrentSampleRate, AverageSampleRate, ExpectedSampleRate     uint32
}

// WriterStatisticsEx is WM_WRITER_STATISTICS_EX.
type WriterStatisticsEx struct {
	BitratePlusOverhead                                                                            uint32
	CurrentSampleDropRateInQueue, CurrentSampleDropRateInCodec, CurrentSampleDropRateInMultiplexer uint32
	TotalSampleDropsInQueue, TotalSampleDropsInCodec, TotalSampleDropsInMultiplexer                uint32
}

// Statistics of stream (0 = the whole file) in this session
// (IWMWriterAdvanced::GetStatistics); all zero when not writing.
func (w *Writer) Statistics(stream uint16) (WriterStatistics, error) {
	var s C.WM_WRITER_STATISTICS
	err := w.h.call("wm_writer_get_statistics", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_get_statistics(p, C.uint16_t(stream), &s) })
	runtime.KeepAlive(w)
	return WriterStatistics{
		uint64(s.qwSampleCount), uint64(s.qwByteCount), uint64(s.qwDroppedSampleCount), uint64(s.qwDroppedByteCount),
		uint32(s.dwCurrentBitrate), uint32(s.dwAverageBitrate), uint32(s.dwExpectedBitrate),
		uint32(s.dwCurrentSampleRate), uint32(s.dwAverageSampleRate), uint32(s.dwExpectedSampleRate),
	}, err
}

// StatisticsEx is IWMWriterAdvanced3::GetStatisticsEx; NS_E_INVALID_REQUEST when not
// writing.
func (w *Writer) StatisticsEx(stream uint16) (WriterStatisticsEx, error) {
	var s C.WM_WRITER_STATISTICS_EX
	err := w.h.call("wm_writer_get_statistics_ex", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_get_statistics_ex(p, C.uint16_t(stream), &s) })
	runtime.KeepAlive(w)
	return WriterStatisticsEx{
		uint32(s.dwBitratePlusOverhead),
		uint32(s.dwCurrentSampleDropRateInQueue), uint32(s.dwCurrentSampleDropRateInCodec), uint32(s.dwCurrentSampleDropRateInMultiplexer),
		uint32(s.dwTotalSampleDropsInQueue), uint32(s.dwTotalSampleDropsInCodec), uint32(s.dwTotalSampleDropsInMultiplexer),
	}, err
}

// SetInputSetting sets a named input setting (IWMWriterAdvanced2::SetInputSetting),
// e.g. ("FixedFrameRate", true), ("DeinterlaceMode", uint32(1)); values typed as for
// SetAttribute. E_INVALIDARG for an unknown name or a wrong type.
func (w *Writer) SetInputSetting(input uint32, name string, value any) error {
	const op = "wm_writer_set_input_setting"
	err := withNamedValue(op, name, value, 0xFFFF, "", func(cs *C.char, v *attrValue) error {
		return w.h.call(op, func(p *C.WMWriter) C.HRESULT {
			return C.wm_writer_set_input_setting(p, C.uint32_t(input), cs, C.WMT_ATTR_DATATYPE(v.typ), v.ptr(), C.uint16_t(v.n))
		})
	})
	runtime.KeepAlive(w)
	return err
}

// InputSetting reads a named input setting (IWMWriterAdvanced2::GetInputSetting);
// ASF_E_NOTFOUND if never set.
func (w *Writer) InputSetting(input uint32, name string) (any, error) {
	const op = "wm_writer_get_input_setting"
	cs, err := cString(op, "name", name)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	var typ C.WMT_ATTR_DATATYPE
	var b []byte
	err = w.h.with(op, func(p *C.WMWriter) (err error) {
		b, err = sizeQuery(op, func(buf unsafe.Pointer, n *C.uint16_t) C.HRESULT {
			return C.wm_writer_get_input_setting(p, C.uint32_t(input), cs, &typ, (*C.uint8_t)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(w)
	if err != nil {
		return nil, err
	}
	return decodeAttr(uint32(typ), b), nil
}

// ---- IWMWriterPreprocess (two-pass encoding of libavcodec video inputs) --------------

// MaxPreprocessingPasses is IWMWriterPreprocess::GetMaxPreprocessingPasses: 1 for an
// input encoded by libavcodec's WMV1/WMV2/MP43/MPEG-4 encoders, else 0.
func (w *Writer) MaxPreprocessingPasses(input, flags uint32) (int, error) {
	var n C.uint32_t
	err := w.h.call("wm_writer_get_max_preprocessing_passes", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_max_preprocessing_passes(p, C.uint32_t(input), C.uint32_t(flags), &n)
	})
	runtime.KeepAlive(w)
	return int(n), err
}

// SetNumPreprocessingPasses is IWMWriterPreprocess::SetNumPreprocessingPasses (before
// BeginWriting; NS_E_INVALID_NUM_PASSES above the maximum).
func (w *Writer) SetNumPreprocessingPasses(input, flags, passes uint32) error {
	err := w.h.call("wm_writer_set_num_preprocessing_passes", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_set_num_preprocessing_passes(p, C.uint32_t(input), C.uint32_t(flags), C.uint32_t(passes))
	})
	runtime.KeepAlive(w)
	return err
}

// BeginPreprocessingPass is IWMWriterPreprocess::BeginPreprocessingPass (after
// BeginWriting, on an input with a pass set).
func (w *Writer) BeginPreprocessingPass(input, flags uint32) error {
	err := w.h.call("wm_writer_begin_preprocessing_pass", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_begin_preprocessing_pass(p, C.uint32_t(input), C.uint32_t(flags))
	})
	runtime.KeepAlive(w)
	return err
}

// PreprocessSample is IWMWriterPreprocess::PreprocessSample: every sample once, before
// WriteSample takes them again.
func (w *Writer) PreprocessSample(input uint32, t time.Duration, flags uint32, buf *Buffer) error {
	ts, err := time100ns("wm_writer_preprocess_sample", t)
	if err != nil {
		return err
	}
	f := func(b *C.WMBuffer) error {
		return w.h.call("wm_writer_preprocess_sample", func(p *C.WMWriter) C.HRESULT {
			return C.wm_writer_preprocess_sample(p, C.uint32_t(input), ts, C.uint32_t(flags), b)
		})
	}
	if buf == nil {
		err = f(nil)
	} else {
		err = buf.h.with("wm_writer_preprocess_sample", f)
	}
	runtime.KeepAlive(buf)
	runtime.KeepAlive(w)
	return err
}

// EndPreprocessingPass is IWMWriterPreprocess::EndPreprocessingPass: then WriteSample
// the same samples.
func (w *Writer) EndPreprocessingPass(input, flags uint32) error {
	err := w.h.call("wm_writer_end_preprocessing_pass", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_end_preprocessing_pass(p, C.uint32_t(input), C.uint32_t(flags))
	})
	runtime.KeepAlive(w)
	return err
}

// ---- IWMWriterSink, IWMWriterFileSink2 / 3 --------------------------------------------

// IsRealTime is IWMWriterSink::IsRealTime: true for a network sink.
func (s *Sink) IsRealTime() (bool, error) {
	var v C.int32_t
	err := s.h.call("wm_writer_sink_is_real_time", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_sink_is_real_time(p, &v) })
	runtime.KeepAlive(s)
	return v != 0, err
}

// AllocateDataUnit is IWMWriterSink::AllocateDataUnit: a new buffer of size bytes,
// length 0.
func (s *Sink) AllocateDataUnit(size int) (*Buffer, error) {
	if size < 0 || uint64(size) > 0xFFFFFFFF {
		return nil, invalidArg("wm_writer_sink_allocate_data_unit", "size out of range")
	}
	var out *C.WMBuffer
	err := s.h.call("wm_writer_sink_allocate_data_unit", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_sink_allocate_data_unit(p, C.uint32_t(size), &out)
	})
	runtime.KeepAlive(s)
	if err != nil {
		return nil, err
	}
	return newBuffer(out), nil
}

// CloseFile closes the sink early (IWMWriterFileSink2::Close): it receives nothing
// more this session and its file keeps the streaming layout; the writer goes on. (Close
// releases the Go reference.)
func (s *Sink) CloseFile() error {
	err := s.h.call("wm_writer_file_sink_close", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_close(p) })
	runtime.KeepAlive(s)
	return err
}

// IsClosed reports whether CloseFile closed the sink early (IWMWriterFileSink2::IsClosed).
func (s *Sink) IsClosed() (bool, error) {
	var v C.int32_t
	err := s.h.call("wm_writer_file_sink_is_closed", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_is_closed(p, &v) })
	runtime.KeepAlive(s)
	return v != 0, err
}

// FileSize is the bytes the sink received in the current (or last) session
// (IWMWriterFileSink2::GetFileSize).
func (s *Sink) FileSize() (uint64, error) {
	var v C.uint64_t
	err := s.h.call("wm_writer_file_sink_get_file_size", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_get_file_size(p, &v) })
	runtime.KeepAlive(s)
	return uint64(v), err
}

// FileDuration is the time written so far (IWMWriterFileSink2::GetFileDuration).
func (s *Sink) FileDuration() (time.Duration, error) {
	var v C.uint64_t
	err := s.h.call("wm_writer_file_sink_get_file_duration", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_get_file_duration(p, &v) })
	runtime.KeepAlive(s)
	return time.Duration(v) * 100, err
}

// Mode is the WMT_FM_* mode bits (IWMWriterFileSink3::GetMode).
func (s *Sink) Mode() (uint32, error) {
	var v C.uint32_t
	err := s.h.call("wm_writer_file_sink_get_mode", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_get_mode(p, &v) })
	runtime.KeepAlive(s)
	return uint32(v), err
}

// ---- IWMLanguageList, IWMPacketSize2 ---------------------------------------------------

// AddLanguage adds an RFC 1766 tag ("fr-fr") to the profile's language list and
// returns its index (IWMLanguageList::AddLanguageByRFC1766String); a tag already there
// gives its index.
func (pr *Profile) AddLanguage(tag string) (int, error) {
	const op = "wm_profile_add_language_by_rfc1766_string"
	cs, err := cString(op, "language", tag)
	if err != nil {
		return 0, err
	}
	defer C.free(unsafe.Pointer(cs))
	var idx C.uint16_t
	err = pr.h.call(op, func(p *C.WMProfile) C.HRESULT { return C.wm_profile_add_language_by_rfc1766_string(p, cs, &idx) })
	runtime.KeepAlive(pr)
	return int(idx), err
}

// Languages is the language list (IWMLanguageList::GetLanguageCount / GetLanguageDetails).
func (pr *Profile) Languages() ([]string, error) {
	var out []string
	err := pr.h.with("wm_profile_get_language_count", func(p *C.WMProfile) error {
		var n C.uint16_t
		if err := check("wm_profile_get_language_count", func() C.HRESULT { return C.wm_profile_get_language_count(p, &n) }); err != nil {
			return err
		}
		out = make([]string, 0, int(n))
		for i := 0; i < int(n); i++ {
			b, err := sizeQuery("wm_profile_get_language_details", func(buf unsafe.Pointer, l *C.uint16_t) C.HRESULT {
				return C.wm_profile_get_language_details(p, C.uint16_t(i), (*C.char)(buf), l)
			})
			if err != nil {
				return err
			}
			out = append(out, cStringBytes(b))
		}
		return nil
	})
	runtime.KeepAlive(pr)
	return out, err
}

// MinPacketSize is the minimum data packet size, 0 = none (IWMPacketSize2::GetMinPacketSize).
func (pr *Profile) MinPacketSize() (uint32, error) {
	var v C.uint32_t
	err := pr.h.call("wm_profile_get_min_packet_size", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_get_min_packet_size(p, &v) })
	runtime.KeepAlive(pr)
	return uint32(v), err
}

// SetMinPacketSize sets the minimum data packet size (IWMPacketSize2::SetMinPacketSize):
// packets the writer sizes itself are at least this big (at most 65527).
func (pr *Profile) SetMinPacketSize(size uint32) error {
	err := pr.h.call("wm_profile_set_min_packet_size", func(p *C.WMProfile) C.HRESULT { return C.wm_profile_set_min_packet_size(p, C.uint32_t(size)) })
	runtime.KeepAlive(pr)
	return err
}

// ---- IWMPropertyVault -----------------------------------------------------------------

// SetProperty sets a stream property (IWMPropertyVault::SetProperty), e.g.
// ("_VBRENABLED", true), ("_VBRQUALITY", uint32(90)); values typed as for SetAttribute.
func (sc *StreamConfig) SetProperty(name string, value any) error {
	const op = "wm_stream_config_set_property"
	err := withNamedValue(op, name, value, 0xFFFFFFFF, "", func(cs *C.char, v *attrValue) error {
		return sc.h.call(op, func(p *C.WMStreamConfig) C.HRESULT {
			return C.wm_stream_config_set_property(p, cs, C.uint32_t(v.typ), v.ptr(), C.uint32_t(v.n))
		})
	})
	runtime.KeepAlive(sc)
	return err
}

// Property reads a stream property (IWMPropertyVault::GetPropertyByName);
// NS_E_UNSUPPORTED_PROPERTY if not set.
func (sc *StreamConfig) Property(name string) (any, error) {
	const op = "wm_stream_config_get_property_by_name"
	cs, err := cString(op, "name", name)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	var typ C.uint32_t
	var b []byte
	err = sc.h.with(op, func(p *C.WMStreamConfig) (err error) {
		b, err = sizeQuery(op, func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_stream_config_get_property_by_name(p, cs, &typ, (*C.uint8_t)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(sc)
	if err != nil {
		return nil, err
	}
	return decodeAttr(uint32(typ), b), nil
}

// PropertyCount is the number of properties set (IWMPropertyVault::GetPropertyCount).
func (sc *StreamConfig) PropertyCount() (int, error) {
	var n C.uint32_t
	err := sc.h.call("wm_stream_config_get_property_count", func(p *C.WMStreamConfig) C.HRESULT { return C.wm_stream_config_get_property_count(p, &n) })
	runtime.KeepAlive(sc)
	return int(n), err
}

// PropertyByIndex is property index's name and value (IWMPropertyVault::GetPropertyByIndex).
func (sc *StreamConfig) PropertyByIndex(index int) (string, any, error) {
	const op = "wm_stream_config_get_property_by_index"
	if index < 0 || uint64(index) > 0xFFFFFFFF {
		return "", nil, invalidArg(op, "index out of range")
	}
	var name string
	var value any
	err := sc.h.with(op, func(p *C.WMStreamConfig) error {
		for tries := 0; ; tries++ {
			var nl, typ, n C.uint32_t
			if err := check(op, func() C.HRESULT {
				return C.wm_stream_config_get_property_by_index(p, C.uint32_t(index), nil, &nl, &typ, nil, &n)
			}); err != nil {
				return err
			}
			nb := make([]byte, int(nl)+1)
			vb := make([]byte, int(n)+1)
			err := check(op, func() C.HRESULT {
				return C.wm_stream_config_get_property_by_index(p, C.uint32_t(index), (*C.char)(unsafe.Pointer(&nb[0])), &nl, &typ, (*C.uint8_t)(unsafe.Pointer(&vb[0])), &n)
			})
			if IsHResult(err, ASF_E_BUFFERTOOSMALL) && tries < 8 {
				continue
			}
			if err != nil {
				return err
			}
			name, value = cStringBytes(nb[:int(nl)]), decodeAttr(uint32(typ), vb[:int(n)])
			return nil
		}
	})
	runtime.KeepAlive(sc)
	return name, value, err
}

// ClearProperties removes every property (IWMPropertyVault::Clear).
func (sc *StreamConfig) ClearProperties() error {
	err := sc.h.call("wm_stream_config_clear", func(p *C.WMStreamConfig) C.HRESULT { return C.wm_stream_config_clear(p) })
	runtime.KeepAlive(sc)
	return err
}

// CopyPropertiesFrom sets every property of from on sc (IWMPropertyVault::CopyPropertiesFrom).
func (sc *StreamConfig) CopyPropertiesFrom(from *StreamConfig) error {
	err := withStreamConfig(from, "wm_stream_config_copy_properties_from", func(fp *C.WMStreamConfig) error {
		return sc.h.call("wm_stream_config_copy_properties_from", func(p *C.WMStreamConfig) C.HRESULT { return C.wm_stream_config_copy_properties_from(p, fp) })
	})
	runtime.KeepAlive(sc)
	return err
}

// ---- IWMDRMWriter / 2 / 3: refused by design (no DRM system to bind to) ----------------
// Each fails with NS_E_DRM_UNABLE_TO_INITIALIZE, as the library documents.

// GenerateKeyID is IWMDRMWriter::GenerateKeyID (refused).
func (w *Writer) GenerateKeyID() (string, error) {
	const op = "wm_writer_generate_key_id"
	var b []byte
	err := w.h.with(op, func(p *C.WMWriter) (err error) {
		b, err = sizeQuery(op, func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_writer_generate_key_id(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(w)
	return cStringBytes(b), err
}

// GenerateKeySeed is IWMDRMWriter::GenerateKeySeed (refused).
func (w *Writer) GenerateKeySeed() (string, error) {
	const op = "wm_writer_generate_key_seed"
	var b []byte
	err := w.h.with(op, func(p *C.WMWriter) (err error) {
		b, err = sizeQuery(op, func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_writer_generate_key_seed(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(w)
	return cStringBytes(b), err
}

// GenerateSigningKeyPair is IWMDRMWriter::GenerateSigningKeyPair (refused).
func (w *Writer) GenerateSigningKeyPair() (private, public string, err error) {
	const op = "wm_writer_generate_signing_key_pair"
	err = w.h.with(op, func(p *C.WMWriter) error {
		var pl, ul C.uint32_t
		if err := check(op, func() C.HRESULT { return C.wm_writer_generate_signing_key_pair(p, nil, &pl, nil, &ul) }); err != nil {
			return err
		}
		pb, ub := make([]byte, int(pl)+1), make([]byte, int(ul)+1)
		if err := check(op, func() C.HRESULT {
			return C.wm_writer_generate_signing_key_pair(p, (*C.char)(unsafe.Pointer(&pb[0])), &pl, (*C.char)(unsafe.Pointer(&ub[0])), &ul)
		}); err != nil {
			return err
		}
		private, public = cStringBytes(pb), cStringBytes(ub)
		return nil
	})
	runtime.KeepAlive(w)
	return private, public, err
}

// SetDRMAttribute is IWMDRMWriter::SetDRMAttribute (refused; nothing is stored).
func (w *Writer) SetDRMAttribute(stream uint16, name string, value any) error {
	const op = "wm_writer_set_drm_attribute"
	err := withNamedValue(op, name, value, 0xFFFF, "", func(cs *C.char, v *attrValue) error {
		return w.h.call(op, func(p *C.WMWriter) C.HRESULT {
			return C.wm_writer_set_drm_attribute(p, C.uint16_t(stream), cs, C.WMT_ATTR_DATATYPE(v.typ), v.ptr(), C.uint16_t(v.n))
		})
	})
	runtime.KeepAlive(w)
	return err
}

// SetProtectStreamSamples is IWMDRMWriter3::SetProtectStreamSamples with the bytes of a
// WMDRM_IMPORT_INIT_STRUCT (refused).
func (w *Writer) SetProtectStreamSamples(init []byte) error {
	err := w.h.call("wm_writer_set_protect_stream_samples", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_set_protect_stream_samples(p, (*C.uint8_t)(bytesPtr(init)), C.uint32_t(len(init)))
	})
	runtime.KeepAlive(init)
	runtime.KeepAlive(w)
	return err
}

// SetWMDRMNetEncryption is IWMDRMWriter2::SetWMDRMNetEncryption (refused).
func (w *Writer) SetWMDRMNetEncryption(samplesEncrypted bool, keyID []byte) error {
	err := w.h.call("wm_writer_set_wmdrm_net_encryption", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_set_wmdrm_net_encryption(p, cBool(samplesEncrypted), (*C.uint8_t)(bytesPtr(keyID)), C.uint32_t(len(keyID)))
	})
	runtime.KeepAlive(keyID)
	runtime.KeepAlive(w)
	return err
}
